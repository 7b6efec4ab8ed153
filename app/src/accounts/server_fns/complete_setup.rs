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
    use crate::accounts::{service, session};
    use crate::boundary::{serve, Refusal};
    use crate::routes::{query_value, HOME, SETUP};

    let back_to = |outcome: &Result<(), AuthError>| {
        Some(match outcome {
            Ok(()) => HOME.to_string(),
            Err(error) => format!(
                "{SETUP}?token={}&error={}&name={}&email={}",
                query_value(&token),
                error.code(),
                query_value(name.trim()),
                query_value(email.trim())
            ),
        })
    };
    serve(back_to, async |state| {
        let account = service::NewAccount {
            name: &name,
            email: &email,
            password: &password,
            password_again: &password_again,
        };
        let user_id = service::complete_setup(state, &token, account).await?;
        session::sign_in_current(state, &user_id).await
    })
    .await
}
