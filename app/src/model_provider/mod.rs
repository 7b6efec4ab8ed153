//! The Model provider section of the AI & agents page: the managed
//! provider, or the workspace's own key for OpenAI, Anthropic or an
//! OpenAI-compatible endpoint. Keys are verified with the provider before
//! they are saved, sealed at rest, and never leave the server again.

#[cfg(feature = "ssr")]
pub mod cipher;
mod error;
pub mod rules;
mod section;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod verify;

pub use error::ProviderError;
pub use section::{ModelProvider, Partners};
#[cfg(feature = "ssr")]
pub use store::KeyRecord;

use crate::domain::{LastChange, Plan};
use crate::notices;
use rules::{KeyProvider, Region, Route};
use serde::{Deserialize, Serialize};

/// The setting's key in versions, the audit log and page anchors.
pub const PROVIDER_SETTING: &str = "model_provider";

/// A workspace key as the page shows it: never the key itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnKey {
    pub provider: KeyProvider,
    pub base_url: Option<String>,
    pub last4: String,
    pub added_by: String,
    pub added_at: i64,
    pub verified_at: i64,
}

/// A replaced key still accepted until `usable_until`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetiringKey {
    pub last4: String,
    pub usable_until: i64,
}

/// Everything the Model provider section shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderSnapshot {
    pub plan: Plan,
    pub region: Region,
    /// `None`: the managed provider serves the workspace.
    pub current: Option<OwnKey>,
    pub route: Route,
    pub retiring: Option<RetiringKey>,
    /// Where each provider would send this workspace's requests, for the
    /// key form (an OpenAI-compatible endpoint: wherever its URL points).
    pub choices: Vec<(KeyProvider, Route)>,
    pub version: i64,
    pub last_change: Option<LastChange>,
    pub can_change: bool,
    pub grace_hours: i64,
    /// Admins chose specific models: a key for another provider would
    /// reset that choice, which the key form then asks to confirm.
    pub models_customized: bool,
}

notices! {
    /// A change of the model provider that worked, carried through the
    /// redirect back to the page.
    pub enum ProviderNotice {
        KeyAdded = "key-added" => "Key verified and saved. AI requests now use it.",
        KeyReplaced = "key-replaced" => "New key verified and saved. The previous key keeps working until the date shown, then it is deleted.",
        KeyRemoved = "key-removed" => "Key removed and deleted. The managed provider serves this workspace again.",
    }
}
