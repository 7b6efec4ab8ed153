use crate::accounts::AuthError;
use leptos::prelude::*;

/// Changes the signed-in person's own password. Every other session of
/// theirs ends; this one continues under a new id.
#[server(endpoint = "account/password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    new_password_again: String,
) -> Result<(), AuthError> {
    use crate::accounts::{service, session, ACCOUNT_PAGE};
    use crate::state;

    let outcome = async {
        let state = state::current().ok_or(AuthError::Unavailable)?;
        let actor = session::require_actor(&state).await?;
        service::change_password(
            &state,
            &actor,
            &current_password,
            &new_password,
            &new_password_again,
        )
        .await?;
        session::sign_in_current(&state, &actor.user_id).await
    }
    .await;
    crate::http_status::answer_with(&outcome);
    match &outcome {
        Ok(()) => leptos_axum::redirect(&format!("{ACCOUNT_PAGE}?changed=1")),
        Err(error) => leptos_axum::redirect(&format!("{ACCOUNT_PAGE}?error={}", error.code())),
    }
    outcome
}
