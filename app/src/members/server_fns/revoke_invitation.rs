use crate::members::MembersError;
use leptos::prelude::*;

/// Withdraws an invitation that was not used yet; its link stops working.
#[server(endpoint = "members/revoke")]
pub async fn revoke_invitation(invitation_id: String) -> Result<(), MembersError> {
    use super::ssr::change_as_admin;
    use crate::members::{service, MembersNotice};

    change_as_admin(MembersNotice::Revoked, async |state, admin| {
        service::revoke_invitation(state, admin, &invitation_id).await
    })
    .await
}
