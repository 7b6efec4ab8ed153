use crate::members::{MembersError, MembersSnapshot};
use leptos::prelude::*;

/// Everything the Members page shows, including, once, the link of an
/// invitation the viewer just created.
#[server(endpoint = "members/load")]
pub async fn load_members() -> Result<MembersSnapshot, MembersError> {
    use crate::accounts::session;
    use crate::domain::Role;
    use crate::members::service;
    use crate::state;

    let outcome = async {
        let state = state::current().ok_or(MembersError::Unavailable)?;
        let actor = session::require_actor(&state).await?;
        let (members, invitations) = service::list(&state, &actor).await?;
        let can_manage = actor.role == Role::Admin;
        let new_link = if can_manage {
            super::ssr::take_link_for_page().await
        } else {
            None
        };
        Ok(MembersSnapshot {
            viewer: actor.viewer(),
            can_manage,
            members,
            invitations,
            new_link,
        })
    }
    .await;
    crate::http_status::answer_with(&outcome);
    outcome
}
