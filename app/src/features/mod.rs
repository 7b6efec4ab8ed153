//! The Features section of the AI page: who may use each AI feature (the
//! assistant, agents, semantic search) and what agents may do. This folder
//! holds the catalogue and rules, storage, service, server functions,
//! refusals and the section.

mod error;
pub mod rules;
mod section;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

pub use error::{FeaturesError, FeaturesNotice};
pub use section::Features;

/// The section's anchor on the AI page.
pub const FEATURES_SECTION: &str = "features";

/// Stored keys the section needs in either build.
mod store_keys {
    /// The stored key of the agents' actions choice.
    pub const AGENT_ACTIONS: &str = "agents.actions";
}
