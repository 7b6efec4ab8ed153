use crate::accounts::AuthError;
use leptos::prelude::*;

/// Creates the invited person's account and signs them in. A failure goes
/// back to the join form with the reason; the typed name goes back
/// sealed.
#[server(endpoint = "join/accept")]
pub async fn accept_invitation(
    token: String,
    name: String,
    password: String,
    password_again: String,
) -> Result<(), AuthError> {
    use crate::accounts::session;
    use crate::doors::{home_or_back_to, serve};
    use crate::members::service;
    use crate::paths::JOIN;

    let typed = vec![("name", name.trim().to_string())];
    serve(home_or_back_to(JOIN, token.clone(), typed), async |state| {
        let user_id =
            service::accept_invitation(state, &token, &name, &password, &password_again).await?;
        session::sign_in_current(state, &user_id).await
    })
    .await
}
