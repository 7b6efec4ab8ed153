//! The doors from the page's Model provider section to the provider
//! service, one server function a file. The section uses plain forms:
//! each change redirects back to the page with its outcome.

mod load_model_provider;
mod remove_provider_key;
mod save_provider_key;

pub use load_model_provider::{load_model_provider, LoadModelProvider};
pub use remove_provider_key::{remove_provider_key, RemoveProviderKey};
pub use save_provider_key::{save_provider_key, SaveProviderKey};

/// Where the section's plain forms send the browser back to.
pub const OUTCOME: crate::doors::SectionOutcome = crate::doors::SectionOutcome {
    key: "provider",
    anchor: crate::model_provider::PROVIDER_SETTING,
};
