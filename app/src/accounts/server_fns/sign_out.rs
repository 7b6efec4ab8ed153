use crate::accounts::AuthError;
use leptos::prelude::*;

/// Ends the session on the server (not only the cookie) and shows the
/// sign-in page.
#[server(endpoint = "account/sign-out")]
pub async fn sign_out() -> Result<(), AuthError> {
    use crate::accounts::session;
    use crate::paths::SIGN_IN;

    let mut provider_sign_out = None;
    if let Some(current) = session::current_session().await {
        // Signed in through the identity provider: signed out there too,
        // which then sends the browser back to the sign-in page.
        provider_sign_out = current
            .get::<String>(session::SIGN_ON_END_SESSION)
            .await
            .ok()
            .flatten();
        session::sign_out(&current).await.map_err(|error| {
            tracing::error!(%error, "ending a session failed");
            AuthError::Unavailable
        })?;
    }
    match provider_sign_out {
        Some(url) => leptos_axum::redirect(&format!(
            "{}?to={}",
            session::SIGN_ON_SIGNED_OUT,
            crate::paths::query_value(&url)
        )),
        None => leptos_axum::redirect(&format!("{SIGN_IN}?signed_out=1")),
    }
    Ok(())
}
