use crate::accounts::AuthError;
use leptos::prelude::*;

/// Ends the session on the server (not only the cookie) and shows the
/// sign-in page.
#[server(endpoint = "account/sign-out")]
pub async fn sign_out() -> Result<(), AuthError> {
    use crate::accounts::session;
    use crate::routes::SIGN_IN;

    if let Some(current) = session::current_session().await {
        session::sign_out(&current).await.map_err(|error| {
            tracing::error!(%error, "ending a session failed");
            AuthError::Unavailable
        })?;
    }
    leptos_axum::redirect(&format!("{SIGN_IN}?signed_out=1"));
    Ok(())
}
