use crate::providers::{ProviderError, ProviderSnapshot};
use leptos::prelude::*;

/// The workspace's model provider as the page shows it: provider, the
/// key's last four characters, where requests are processed. Never a key.
#[server(endpoint = "settings/ai/provider/load")]
pub async fn load_model_provider() -> Result<ProviderSnapshot, ProviderError> {
    use crate::{accounts::session, providers::service, state};

    let outcome = async {
        let state = state::current().ok_or(ProviderError::Unavailable)?;
        let actor = session::require_actor(&state).await?;
        service::snapshot(&state, &actor).await
    }
    .await;
    crate::http_status::answer_with(&outcome);
    outcome
}
