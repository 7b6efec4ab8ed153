use crate::members::MembersError;
use leptos::prelude::*;

/// Gives a member of the workspace the role `role` (`admin` or `member`).
/// The workspace keeps at least one admin.
#[server(endpoint = "members/role")]
pub async fn change_role(user_id: String, role: String) -> Result<(), MembersError> {
    use super::ssr::{change_on_members_page, parse_role};
    use crate::members::{service, MembersNotice};

    change_on_members_page(MembersNotice::RoleChanged, async |state, admin| {
        service::change_role(
            state,
            admin,
            &crate::domain::UserId::new(user_id),
            parse_role(&role)?,
        )
        .await
    })
    .await
}
