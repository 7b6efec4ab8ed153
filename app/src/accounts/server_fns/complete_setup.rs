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
    use crate::doors::{home_or_back_to, serve};
    use crate::paths::SETUP;

    let typed = vec![
        ("name", name.trim().to_string()),
        ("email", email.trim().to_string()),
    ];
    serve(
        home_or_back_to(SETUP, token.clone(), typed),
        async |state| {
            let account = service::NewAccount {
                name: &name,
                email: &email,
                password: &password,
                password_again: &password_again,
            };
            let user_id = service::complete_setup(state, &token, account).await?;
            session::sign_in_current(state, &user_id).await
        },
    )
    .await
}
