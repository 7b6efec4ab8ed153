use crate::models::ModelsError;
use leptos::prelude::*;

/// Asks the workspace key's provider for its models again.
#[server(endpoint = "settings/ai/models/refresh")]
pub async fn refresh_model_list() -> Result<(), ModelsError> {
    use crate::models::{service, ModelsNotice};

    let done = |_: &_| ModelsNotice::Refreshed;
    crate::doors::change_as_admin(super::OUTCOME, done, Vec::new(), async |state, admin| {
        service::refresh(state, admin).await
    })
    .await
    .map(|_| ())
}
