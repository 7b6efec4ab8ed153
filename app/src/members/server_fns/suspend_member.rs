use crate::members::MembersError;
use leptos::prelude::*;

/// Suspends someone: they cannot sign in and their sessions end; nothing
/// of theirs is deleted.
#[server(endpoint = "members/suspend")]
pub async fn suspend_member(user_id: String) -> Result<(), MembersError> {
    use super::ssr::change_as_admin;
    use crate::members::{service, MembersNotice};

    change_as_admin(MembersNotice::Suspended, async |state, admin| {
        service::suspend(state, admin, &user_id).await
    })
    .await
}
