use crate::models::ModelsError;
use leptos::prelude::*;

/// Asks the workspace key's provider for its models again.
#[server(endpoint = "settings/ai/models/refresh")]
pub async fn refresh_model_list() -> Result<(), ModelsError> {
    use crate::models::{service, ModelsNotice};

    super::ssr::change_as_admin(ModelsNotice::Refreshed, async |state, admin| {
        service::refresh(state, admin).await
    })
    .await
}
