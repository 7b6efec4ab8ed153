use crate::accounts::AuthError;
use leptos::prelude::*;

/// Creates the first admin from the one-time setup link and signs them in.
#[server(endpoint = "account/setup")]
pub async fn complete_setup(
    token: String,
    name: String,
    email: String,
    password: String,
    password_again: String,
) -> Result<(), AuthError> {
    use crate::accounts::{service, session, HOME, SETUP_PAGE};
    use crate::state;
    use crate::url::query_value;

    let outcome = async {
        let state = state::current().ok_or(AuthError::Unavailable)?;
        let account = service::NewAccount {
            name: &name,
            email: &email,
            password: &password,
            password_again: &password_again,
        };
        let user_id = service::complete_setup(&state, &token, account).await?;
        session::sign_in_current(&state, &user_id).await
    }
    .await;
    crate::http_status::answer_with(&outcome);
    match outcome {
        Ok(()) => leptos_axum::redirect(HOME),
        Err(error) => leptos_axum::redirect(&format!(
            "{SETUP_PAGE}?token={}&error={}&name={}&email={}",
            query_value(&token),
            error.code(),
            query_value(name.trim()),
            query_value(email.trim())
        )),
    }
    outcome
}
