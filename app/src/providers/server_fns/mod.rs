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
    use crate::accounts::session::{self, Actor};
    use crate::outcome::SETTINGS_PAGE;
    use crate::providers::{ProviderError, ProviderNotice, PROVIDER_SETTING};
    use crate::state::{self, AppState};

    /// Runs a change as the signed-in person, then sends the browser back
    /// to the page's Model provider section with the outcome.
    pub async fn change_and_return(
        change: impl AsyncFnOnce(&AppState, &Actor) -> Result<ProviderNotice, ProviderError>,
    ) -> Result<(), ProviderError> {
        let outcome = async {
            let state = state::current().ok_or(ProviderError::Unavailable)?;
            let actor = session::require_actor(&state).await?;
            change(&state, &actor).await
        }
        .await;
        crate::http_status::answer_with(&outcome);
        let query = match &outcome {
            Ok(notice) => format!("provider={}", notice.code()),
            Err(error) => format!("provider_error={}", error.code()),
        };
        leptos_axum::redirect(&format!("{SETTINGS_PAGE}?{query}#{PROVIDER_SETTING}"));
        outcome.map(|_| ())
    }
}
