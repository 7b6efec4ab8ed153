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
    use crate::accounts::{session, HOME};
    use crate::members::{service, JOIN_PAGE};
    use crate::state;
    use crate::url::query_value;

    let outcome = async {
        let state = state::current().ok_or(AuthError::Unavailable)?;
        let user_id =
            service::accept_invitation(&state, &token, &name, &password, &password_again).await?;
        session::sign_in_current(&state, &user_id).await
    }
    .await;
    crate::http_status::answer_with(&outcome);
    match &outcome {
        Ok(()) => leptos_axum::redirect(HOME),
        Err(error) => leptos_axum::redirect(&format!(
            "{JOIN_PAGE}?token={}&error={}&name={}",
            query_value(&token),
            error.code(),
            query_value(name.trim())
        )),
    }
    outcome
}
