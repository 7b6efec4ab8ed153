use crate::members::MembersError;
use leptos::prelude::*;

/// Removes someone from the workspace; their sessions end at once. The
/// workspace keeps at least one admin.
#[server(endpoint = "members/remove")]
pub async fn remove_member(user_id: String) -> Result<(), MembersError> {
    use super::ssr::change_as_admin;
    use crate::members::{service, MembersNotice};

    change_as_admin(MembersNotice::Removed, async |state, admin| {
        service::remove(state, admin, &user_id).await
    })
    .await
}
