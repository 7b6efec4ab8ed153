use crate::members::MembersError;
use leptos::prelude::*;

/// Withdraws an invitation that was not used yet; its link stops working.
#[server(endpoint = "members/revoke")]
pub async fn revoke_invitation(invitation_id: String) -> Result<(), MembersError> {
    use super::ssr::change_and_return;
    use crate::members::{service, MembersNotice};

    change_and_return(MembersNotice::Revoked, async |state, actor| {
        service::revoke_invitation(state, actor, &invitation_id).await
    })
    .await
}
