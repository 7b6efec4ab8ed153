//! The doors from the page's Model provider section to the provider
//! service, one server function a file. The section uses plain forms:
//! each change redirects back to the page with its outcome.

mod load_model_provider;
mod remove_provider_key;
mod save_provider_key;

pub use load_model_provider::{load_model_provider, LoadModelProvider};
pub use remove_provider_key::{remove_provider_key, RemoveProviderKey};
pub use save_provider_key::{save_provider_key, SaveProviderKey};

#[cfg(feature = "ssr")]
mod ssr {
    use crate::accounts::session::Admin;
    use crate::boundary::Refusal;
    use crate::doors::change_and_return;
    use crate::model_provider::{ProviderError, ProviderNotice, PROVIDER_SETTING};
    use crate::paths::AI_SETTINGS;
    use crate::state::AppState;

    /// Runs a change as the request's admin, then sends the browser back
    /// to the page's Model provider section with the outcome.
    pub async fn change_as_admin(
        change: impl AsyncFnOnce(&AppState, &Admin) -> Result<ProviderNotice, ProviderError>,
    ) -> Result<(), ProviderError> {
        let back_to = |outcome: &Result<ProviderNotice, ProviderError>| {
            let query = match outcome {
                Ok(notice) => format!("provider={}", notice.code()),
                Err(error) => format!("provider_error={}", error.code()),
            };
            Some(format!("{AI_SETTINGS}?{query}#{PROVIDER_SETTING}"))
        };
        change_and_return(back_to, async |state, actor| {
            change(state, &Admin::check(actor.clone())?).await
        })
        .await
        .map(|_| ())
    }
}
