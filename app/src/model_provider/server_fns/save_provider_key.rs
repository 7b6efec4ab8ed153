use crate::model_provider::ProviderError;
use leptos::prelude::*;

/// Adds the workspace's own key, or replaces the current one, after the
/// provider accepted it. `base_url` only counts for an OpenAI-compatible
/// endpoint. The key never comes back in any answer.
#[server(endpoint = "settings/ai/provider/key")]
pub async fn save_provider_key(
    provider: String,
    key: String,
    base_url: Option<String>,
    version: i64,
    reset_models: Option<String>,
) -> Result<(), ProviderError> {
    use crate::model_provider::rules::KeyProvider;
    use crate::model_provider::service::KeyForm;
    use crate::model_provider::ProviderNotice;
    use secrecy::SecretString;

    let key = SecretString::from(key);
    let done = |notice: &ProviderNotice| *notice;
    crate::doors::change_as_admin(super::OUTCOME, done, Vec::new(), async |state, admin| {
        let provider = KeyProvider::from_key(&provider).ok_or(ProviderError::BadRequest)?;
        let form = KeyForm {
            provider,
            key,
            base_url: base_url.as_deref(),
            based_on: version,
            models_reset_confirmed: reset_models.is_some(),
        };
        crate::use_cases::provider_change::save_key(state, admin, form).await
    })
    .await
    .map(|_| ())
}
