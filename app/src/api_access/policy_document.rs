//! The policy document the AI services receive, as JSON. Its OpenAPI
//! schema is derived from these types (utoipa), so the description served
//! at `/api/v1/openapi.json` cannot drift from what is sent.

use secrecy::{ExposeSecret, SecretString};
use serde::{Serialize, Serializer};
use utoipa::ToSchema;

/// The AI policy of a workspace, as it applies now.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Policy)]
pub struct PolicyDocument {
    /// The workspace's id.
    pub workspace_id: String,
    /// Whether any AI feature may run. When false, call no model.
    pub ai_enabled: bool,
    /// Whether the workspace's AI sessions may be used to improve AI
    /// features (the plan's guarantee and the operator's configuration
    /// applied).
    pub training_allowed: bool,
    pub provider: ProviderPolicy,
}

/// Which model provider serves the workspace, and where.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Provider)]
pub struct ProviderPolicy {
    /// `managed`, `openai`, `anthropic` or `openai_compatible`.
    #[schema(value_type = String, example = "managed")]
    pub kind: &'static str,
    /// The base URL to call.
    pub endpoint: String,
    /// The workspace's region: `us` or `eu`.
    #[schema(value_type = String, example = "us")]
    pub region: &'static str,
    /// Where the endpoint processes requests (`us`, `eu`); null when
    /// unknown (a custom endpoint).
    #[schema(value_type = Option<String>, required = true)]
    pub processed_in: Option<&'static str>,
    /// The last four characters of the workspace key, if it has one.
    #[schema(required = true)]
    pub key_last4: Option<String>,
    /// The workspace key. Only for tokens allowed to receive keys, and
    /// only when the workspace has one; each answer with it is audited.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "expose_key")]
    #[schema(value_type = Option<String>)]
    pub key: Option<SecretString>,
    /// A key the workspace replaced that still works until its grace
    /// period ends, so jobs begun with it can finish. Only for tokens
    /// allowed to receive keys.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retiring_key: Option<RetiringKeyPolicy>,
}

/// A replaced key in its grace period.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = RetiringKey)]
pub struct RetiringKeyPolicy {
    /// The replaced key.
    #[serde(serialize_with = "expose")]
    #[schema(value_type = String)]
    pub key: SecretString,
    /// Its last four characters.
    pub key_last4: String,
    /// When it stops working (Unix seconds).
    pub usable_until: i64,
}

fn expose<S: Serializer>(key: &SecretString, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(key.expose_secret())
}

fn expose_key<S: Serializer>(key: &Option<SecretString>, serializer: S) -> Result<S::Ok, S::Error> {
    match key {
        Some(key) => serializer.serialize_str(key.expose_secret()),
        None => serializer.serialize_none(),
    }
}
