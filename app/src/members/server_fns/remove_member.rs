use crate::members::MembersError;
use leptos::prelude::*;

/// Removes someone from the workspace; their sessions end at once. The
/// workspace keeps at least one admin.
#[server(endpoint = "members/remove")]
pub async fn remove_member(user_id: String) -> Result<(), MembersError> {
    use super::ssr::change_on_members_page;
    use crate::members::MembersNotice;

    change_on_members_page(MembersNotice::Removed, async |state, admin| {
        crate::use_cases::erasure::remove_member(state, admin, &crate::domain::UserId::new(user_id))
            .await
    })
    .await
}
