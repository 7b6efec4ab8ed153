use crate::accounts::AuthError;
use leptos::prelude::*;

/// Deletes the signed-in person's own account and erases their personal
/// data, once they confirmed with their password (or, signing in through
/// the identity provider, their e-mail address).
#[server(endpoint = "account/delete")]
pub async fn delete_own_account(confirmation: String) -> Result<(), AuthError> {
    use crate::accounts::{client, session};
    use crate::boundary::Refusal;
    use crate::doors::change_and_return;
    use crate::paths::{ACCOUNT, SIGN_IN};

    let back_to = |outcome: &Result<(), AuthError>| {
        Some(match outcome {
            Ok(()) => format!("{SIGN_IN}?deleted=1"),
            Err(error) => format!("{ACCOUNT}?delete_error={}#delete", error.code()),
        })
    };
    change_and_return(back_to, async |state, actor| {
        let client = client::address(&state.deployment.trusted_proxies);
        crate::use_cases::erasure::delete_own_account(state, actor, &client, &confirmation).await?;
        if let Some(current) = session::current_session().await {
            if let Err(error) = session::sign_out(&current).await {
                // The account is gone, so the session signs nobody in.
                tracing::warn!(%error, "ending a deleted account's session failed");
            }
        }
        Ok(())
    })
    .await
}
