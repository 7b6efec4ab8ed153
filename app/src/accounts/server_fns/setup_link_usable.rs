use crate::accounts::AuthError;
use leptos::prelude::*;

/// Whether a setup link can still create the first admin, so the setup
/// page can explain a dead link before anyone fills in the form.
#[server(endpoint = "account/setup-link")]
pub async fn setup_link_usable(token: String) -> Result<bool, AuthError> {
    use crate::accounts::service;

    crate::doors::serve(
        |_| None,
        async |state| service::setup_link_usable(state, &token).await,
    )
    .await
}
