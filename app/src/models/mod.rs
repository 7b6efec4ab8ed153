//! The Models section of the AI page: which models the workspace's
//! services may use and the default one, chosen from what the provider
//! offers. This folder holds the rules, storage, service, server
//! functions, refusals and the section.

mod error;
pub mod rules;
mod section;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

pub use error::{ModelsError, ModelsNotice};
pub use section::Models;

/// The setting's key in versions and its anchor on the page.
pub const MODELS_SETTING: &str = "models";
