//! The policy document the AI services receive, as JSON. Described for
//! clients in `server/src/openapi.json`.

use secrecy::{ExposeSecret, SecretString};
use serde::{Serialize, Serializer};

#[derive(Debug, Serialize)]
pub struct PolicyDocument {
    pub workspace_id: String,
    /// Whether any AI feature may run for the workspace.
    pub ai_enabled: bool,
    /// Whether its AI sessions may be used to improve AI features (the
    /// plan's guarantee and the operator's configuration applied).
    pub training_allowed: bool,
    pub provider: ProviderPolicy,
}

#[derive(Debug, Serialize)]
pub struct ProviderPolicy {
    /// `managed`, `openai`, `anthropic` or `openai_compatible`.
    pub kind: &'static str,
    /// The base URL to call.
    pub endpoint: String,
    /// The workspace's region: `us` or `eu`.
    pub region: &'static str,
    /// Where the endpoint processes requests (`us`, `eu`), or `null` when
    /// unknown (a custom endpoint).
    pub processed_in: Option<&'static str>,
    pub key_last4: Option<String>,
    /// The workspace key itself: only for tokens allowed to receive keys,
    /// and only when the workspace has one.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "expose_key")]
    pub key: Option<SecretString>,
}

fn expose_key<S: Serializer>(key: &Option<SecretString>, serializer: S) -> Result<S::Ok, S::Error> {
    match key {
        Some(key) => serializer.serialize_str(key.expose_secret()),
        None => serializer.serialize_none(),
    }
}
