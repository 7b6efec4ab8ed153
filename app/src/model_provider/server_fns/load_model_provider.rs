use crate::model_provider::{ProviderError, ProviderSnapshot};
use leptos::prelude::*;

/// The workspace's model provider as the page shows it: provider, the
/// key's last four characters, where requests are processed. Never a key.
#[server(endpoint = "settings/ai/provider/load")]
pub async fn load_model_provider() -> Result<ProviderSnapshot, ProviderError> {
    use crate::model_provider::service;

    crate::doors::load_for_actor(async |state, actor| {
        let mut snapshot = service::snapshot(state, actor).await?;
        // A key for another provider resets the models admins chose: the
        // key form asks first.
        snapshot.models_customized =
            crate::models::service::is_customized_now(state, &actor.workspace)
                .await
                .map_err(ProviderError::logged("reading the chosen models"))?;
        Ok(snapshot)
    })
    .await
}
