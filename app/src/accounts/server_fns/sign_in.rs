use crate::accounts::AuthError;
use leptos::prelude::*;

/// Signs in with e-mail and password, then goes to `next` (a local path).
/// A failure goes back to the sign-in form with the reason; the typed
/// e-mail stays filled in (sealed in the URL, see
/// `accounts::typed_input`), the password never travels back.
#[server(endpoint = "account/sign-in")]
pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AuthError> {
    use crate::accounts::{client, safe_next, service, session};
    use crate::boundary::Refusal;
    use crate::doors::{sealed_typed, serve};
    use crate::paths::{query_value, SIGN_IN};

    let next = safe_next(next.as_deref()).to_string();
    let typed = [("email", email.trim().to_string())];
    let back_to = |outcome: &Result<(), AuthError>| {
        Some(match outcome {
            Ok(()) => next.clone(),
            Err(error) => format!(
                "{SIGN_IN}?error={}&next={}{}",
                error.code(),
                query_value(&next),
                sealed_typed(SIGN_IN, &typed)
            ),
        })
    };
    serve(back_to, async |state| {
        if !state.deployment.password_sign_in {
            return Err(AuthError::PasswordSignInOff);
        }
        let client = client::address(&state.deployment.trusted_proxies);
        let user_id = service::sign_in(state, &email, &password, &client).await?;
        session::sign_in_current(state, &user_id).await
    })
    .await
}
