use crate::models::rules::ListedModel;
use crate::models::ModelsError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the Models section shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelsSnapshot {
    /// Every model offered or allowed, sorted.
    pub listed: Vec<ListedModel>,
    /// Every offered model is allowed.
    pub all: bool,
    pub default: Option<String>,
    pub version: i64,
    /// The list is the workspace key's provider's (else the managed one's).
    pub own_key: bool,
    /// The variables that fix the models, if any do.
    pub fixed_by: Option<String>,
    pub can_change: bool,
}

/// Which models services may use, for any signed-in person of the workspace.
#[server(endpoint = "settings/ai/models/load")]
pub async fn load_models() -> Result<ModelsSnapshot, ModelsError> {
    use crate::models::service;

    crate::boundary::load_for_actor(async |state, actor| service::snapshot(state, actor).await)
        .await
}
