use crate::members::MembersError;
use leptos::prelude::*;

/// Withdraws an invitation that was not used yet; its link stops working.
#[server(endpoint = "members/revoke")]
pub async fn revoke_invitation(invitation_id: String) -> Result<(), MembersError> {
    use super::ssr::change_on_members_page;
    use crate::members::{service, MembersNotice};

    change_on_members_page(MembersNotice::Revoked, async |state, admin| {
        service::revoke_invitation(state, admin, &invitation_id).await
    })
    .await
}
