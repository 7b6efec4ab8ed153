use crate::accounts::AuthError;
use crate::members::InvitationSummary;
use leptos::prelude::*;

/// What an invitation link offers, so the join page can say it (or that
/// the link is dead) before anyone fills in the form.
#[server(endpoint = "join/invitation")]
pub async fn load_invitation(token: String) -> Result<InvitationSummary, AuthError> {
    use crate::members::service;

    crate::doors::serve(
        |_| None,
        async |state| service::invitation_summary(state, &token).await,
    )
    .await
}
