use crate::members::{MembersError, MembersSnapshot};
use leptos::prelude::*;

/// Everything the Members page shows, including, once, the link of an
/// invitation the viewer just created.
#[server(endpoint = "members/load")]
pub async fn load_members() -> Result<MembersSnapshot, MembersError> {
    use crate::accounts::session::{self, Admin};
    use crate::doors::load_for_actor;
    use crate::members::{service, NewInvitationLink};

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
