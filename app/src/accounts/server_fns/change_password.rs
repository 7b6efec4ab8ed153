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
    use crate::accounts::{client, service, session};
    use crate::boundary::Refusal;
    use crate::doors::change_and_return;
    use crate::paths::ACCOUNT;

    let back_to = |outcome: &Result<(), AuthError>| {
        Some(match outcome {
            Ok(()) => format!("{ACCOUNT}?changed=1"),
            Err(error) => format!("{ACCOUNT}?error={}", error.code()),
        })
    };
    change_and_return(back_to, async |state, actor| {
        let client = client::address(&state.deployment.trusted_proxies);
        service::change_password(
            state,
            actor,
            &client,
            &current_password,
            &new_password,
            &new_password_again,
        )
        .await?;
        session::sign_in_current(state, &actor.user_id).await
    })
    .await
}
