pub use crate::models::rules::ModelsSnapshot;
use crate::models::ModelsError;
use leptos::prelude::*;

/// Which models services may use, for any signed-in person of the workspace.
#[server(endpoint = "settings/ai/models/load")]
pub async fn load_models() -> Result<ModelsSnapshot, ModelsError> {
    use crate::models::service;

    crate::doors::load_for_actor(async |state, actor| service::snapshot(state, actor).await).await
}
