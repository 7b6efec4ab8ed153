use crate::members::MembersError;
use leptos::prelude::*;

/// Suspends someone: they cannot sign in and their sessions end; nothing
/// of theirs is deleted.
#[server(endpoint = "members/suspend")]
pub async fn suspend_member(user_id: String) -> Result<(), MembersError> {
    use super::ssr::change_on_members_page;
    use crate::members::{service, MembersNotice};

    change_on_members_page(MembersNotice::Suspended, async |state, admin| {
        service::suspend(state, admin, &crate::domain::UserId::new(user_id)).await
    })
    .await
}
