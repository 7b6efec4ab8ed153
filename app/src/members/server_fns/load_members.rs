use crate::domain::Role;
use crate::members::{Member, MembersError, NewInvitationLink, PendingInvitation};
use crate::use_cases::viewer::Viewer;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Everything the Members page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembersSnapshot {
    pub viewer: Viewer,
    pub can_manage: bool,
    pub members: Vec<Member>,
    /// Unused, unexpired invitations; empty for members.
    pub invitations: Vec<PendingInvitation>,
    pub new_link: Option<NewInvitationLink>,
}

impl MembersSnapshot {
    /// How many admins the workspace has who can sign in (a suspended one
    /// cannot act as an admin).
    pub fn admins(&self) -> usize {
        self.members
            .iter()
            .filter(|member| member.role == Role::Admin && !member.suspended)
            .count()
    }
}

/// Everything the Members page shows, including, once, the link of an
/// invitation the viewer just created.
#[server(endpoint = "members/load")]
pub async fn load_members() -> Result<MembersSnapshot, MembersError> {
    use crate::accounts::session::{self, Admin};
    use crate::doors::load_for_actor;
    use crate::members::service;

    load_for_actor(async |state, actor| {
        let members = service::list(state, actor).await?;
        let admin = Admin::check(actor.clone()).ok();
        let (invitations, new_link) = match &admin {
            Some(admin) => (
                service::pending_invitations(state, admin).await?,
                session::take_for_page::<NewInvitationLink>(super::ssr::NEW_LINK).await,
            ),
            None => (Vec::new(), None),
        };
        Ok(MembersSnapshot {
            viewer: crate::use_cases::viewer::of(state, actor).await,
            can_manage: admin.is_some(),
            members,
            invitations,
            new_link,
        })
    })
    .await
}
