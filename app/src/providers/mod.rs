//! The model provider: the managed one, or the workspace's own key for
//! OpenAI, Anthropic or an OpenAI-compatible endpoint. Keys are verified
//! with the provider before they are saved, sealed at rest, and never
//! leave the server again.

#[cfg(feature = "ssr")]
pub mod cipher;
mod error;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod verify;

pub use error::ProviderError;

use crate::domain::provider::{KeyProvider, Region, Route};
use crate::domain::{LastChange, Plan};
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
}

/// A change of the model provider that worked, carried through the
/// redirect back to the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderNotice {
    KeyAdded,
    KeyReplaced,
    KeyRemoved,
}

impl ProviderNotice {
    const ALL: [ProviderNotice; 3] = [
        ProviderNotice::KeyAdded,
        ProviderNotice::KeyReplaced,
        ProviderNotice::KeyRemoved,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ProviderNotice::KeyAdded => "key-added",
            ProviderNotice::KeyReplaced => "key-replaced",
            ProviderNotice::KeyRemoved => "key-removed",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|notice| notice.code() == code)
    }

    pub fn message(self) -> &'static str {
        match self {
            ProviderNotice::KeyAdded => "Key verified and saved. AI requests now use it.",
            ProviderNotice::KeyReplaced => {
                "New key verified and saved. The previous key keeps working until the date shown, then it is deleted."
            }
            ProviderNotice::KeyRemoved => {
                "Key removed and deleted. The managed provider serves this workspace again."
            }
        }
    }
}
