use crate::providers::ProviderError;
use leptos::prelude::*;

/// Deletes the workspace's keys; the managed provider serves it again.
#[server(endpoint = "settings/ai/provider/remove")]
pub async fn remove_provider_key(version: i64) -> Result<(), ProviderError> {
    use crate::providers::{service, ProviderNotice};

    super::ssr::change_and_return(async |state, actor| {
        service::remove_key(state, actor, version).await?;
        Ok(ProviderNotice::KeyRemoved)
    })
    .await
}
