use crate::accounts::AuthError;
use leptos::prelude::*;

/// Creates the invited person's account and signs them in. A failure goes
/// back to the join form with the reason and the typed name.
#[server(endpoint = "join/accept")]
pub async fn accept_invitation(
    token: String,
    name: String,
    password: String,
    password_again: String,
) -> Result<(), AuthError> {
    use crate::accounts::session;
    use crate::boundary::Refusal;
    use crate::members::service;
    use crate::routes::{query_value, HOME, JOIN};

    let back_to = |outcome: &Result<(), AuthError>| {
        Some(match outcome {
            Ok(()) => HOME.to_string(),
            Err(error) => format!(
                "{JOIN}?token={}&error={}&name={}",
                query_value(&token),
                error.code(),
                query_value(name.trim())
            ),
        })
    };
    crate::boundary::serve(back_to, async |state| {
        let user_id =
            service::accept_invitation(state, &token, &name, &password, &password_again).await?;
        session::sign_in_current(state, &user_id).await
    })
    .await
}
