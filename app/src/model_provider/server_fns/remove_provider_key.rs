use crate::model_provider::ProviderError;
use leptos::prelude::*;

/// Deletes the workspace's keys; the managed provider serves it again.
#[server(endpoint = "settings/ai/provider/remove")]
pub async fn remove_provider_key(version: i64) -> Result<(), ProviderError> {
    use crate::model_provider::{service, ProviderNotice};

    let done = |_: &()| ProviderNotice::KeyRemoved;
    crate::doors::change_as_admin(super::OUTCOME, done, Vec::new(), async |state, admin| {
        service::remove_key(state, admin, version).await
    })
    .await
}
