use crate::accounts::AuthError;
use leptos::prelude::*;

/// Corrects the signed-in person's name and e-mail address; a new address
/// needs the current password.
#[server(endpoint = "account/profile")]
pub async fn change_profile(
    name: String,
    email: String,
    #[server(default)] current_password: String,
) -> Result<(), AuthError> {
    use crate::accounts::{client, service};
    use crate::boundary::Refusal;
    use crate::doors::{change_and_return, keep_typed_if_refused};
    use crate::paths::ACCOUNT;

    let back_to = |outcome: &Result<(), AuthError>| {
        Some(match outcome {
            Ok(()) => format!("{ACCOUNT}?done=profile"),
            Err(error) => format!("{ACCOUNT}?profile_error={}", error.code()),
        })
    };
    let outcome = change_and_return(back_to, async |state, actor| {
        let client = client::address(&state.deployment.trusted_proxies);
        service::change_profile(state, actor, &client, &name, &email, &current_password).await
    })
    .await;
    // Back with what was typed, so a refused form loses nothing (never the
    // password).
    let typed = [("name", name.clone()), ("email", email.clone())];
    keep_typed_if_refused(ACCOUNT, &typed, outcome).await
}
