use crate::members::MembersError;
use leptos::prelude::*;

/// Lifts someone's suspension: they can sign in again.
#[server(endpoint = "members/restore")]
pub async fn restore_member(user_id: String) -> Result<(), MembersError> {
    use super::ssr::change_on_members_page;
    use crate::members::{service, MembersNotice};

    change_on_members_page(MembersNotice::Restored, async |state, admin| {
        service::restore(state, admin, &crate::domain::UserId::new(user_id)).await
    })
    .await
}
