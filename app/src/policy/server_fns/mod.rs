//! The doors from the API access page to the token service, one server
//! function a file; plain forms that redirect back with the outcome.

mod create_service_token;
mod load_service_tokens;
mod revoke_service_token;

pub use create_service_token::{create_service_token, CreateServiceToken};
pub use load_service_tokens::{load_service_tokens, LoadServiceTokens};
pub use revoke_service_token::{revoke_service_token, RevokeServiceToken};

#[cfg(feature = "ssr")]
mod ssr {
    use crate::accounts::session::{self, Actor};
    use crate::policy::{TokensError, TokensNotice, API_PAGE};
    use crate::state::{self, AppState};

    /// Where a just-created token waits, in the creating admin's session,
    /// until the page shows it once.
    pub const NEW_TOKEN: &str = "policy.new_service_token";

    pub async fn change_and_return(
        notice: TokensNotice,
        change: impl AsyncFnOnce(&AppState, &Actor) -> Result<(), TokensError>,
    ) -> Result<(), TokensError> {
        let outcome = async {
            let state = state::current().ok_or(TokensError::Unavailable)?;
            let actor = session::require_actor(&state).await?;
            change(&state, &actor).await
        }
        .await;
        crate::http_status::answer_with(&outcome);
        match &outcome {
            Ok(()) => leptos_axum::redirect(&format!("{API_PAGE}?done={}", notice.code())),
            Err(error) => leptos_axum::redirect(&format!("{API_PAGE}?error={}", error.code())),
        }
        outcome
    }
}
