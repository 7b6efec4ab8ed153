use crate::accounts::AuthError;
use leptos::prelude::*;

/// Signs in with e-mail and password, then goes to `next` (a local path).
/// A failure goes back to the sign-in form with the reason; the typed
/// e-mail stays filled in, the password never travels back.
#[server(endpoint = "account/sign-in")]
pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AuthError> {
    use crate::accounts::{client, safe_next, service, session, LOGIN_PAGE};
    use crate::state;
    use crate::url::query_value;

    let next = safe_next(next.as_deref()).to_string();
    let outcome = async {
        let state = state::current().ok_or(AuthError::Unavailable)?;
        let client = client::address(state.deployment.behind_proxy());
        let user_id = service::sign_in(&state, &email, &password, &client).await?;
        session::sign_in_current(&state, &user_id).await
    }
    .await;
    crate::http_status::answer_with(&outcome);
    match outcome {
        Ok(()) => leptos_axum::redirect(&next),
        Err(error) => leptos_axum::redirect(&format!(
            "{LOGIN_PAGE}?error={}&email={}&next={}",
            error.code(),
            query_value(email.trim()),
            query_value(&next)
        )),
    }
    outcome
}
