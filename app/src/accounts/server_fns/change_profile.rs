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
    use crate::doors::change_and_return;
    use crate::paths::{query_value, ACCOUNT};

    // Back with what was typed, so a refused form loses nothing (never the
    // password).
    let typed = format!("&name={}&email={}", query_value(&name), query_value(&email));
    let back_to = |outcome: &Result<(), AuthError>| {
        Some(match outcome {
            Ok(()) => format!("{ACCOUNT}?done=profile"),
            Err(error) => format!("{ACCOUNT}?profile_error={}{typed}", error.code()),
        })
    };
    change_and_return(back_to, async |state, actor| {
        let client = client::address(&state.deployment.trusted_proxies);
        service::change_profile(state, actor, &client, &name, &email, &current_password).await
    })
    .await
}
