//! The doors from the Members and join pages to the membership service,
//! one server function a file. The pages are plain forms: each change
//! answers with a redirect back to the page, which says what happened.

mod accept_invitation;
mod change_role;
mod invite_member;
mod load_invitation;
mod load_members;
mod remove_member;
mod restore_member;
mod revoke_invitation;
mod suspend_member;

pub use accept_invitation::{accept_invitation, AcceptInvitation};
pub use change_role::{change_role, ChangeRole};
pub use invite_member::{invite_member, InviteMember};
pub use load_invitation::{load_invitation, LoadInvitation};
pub use load_members::{load_members, LoadMembers, MembersSnapshot};
pub use remove_member::{remove_member, RemoveMember};
pub use restore_member::{restore_member, RestoreMember};
pub use revoke_invitation::{revoke_invitation, RevokeInvitation};
pub use suspend_member::{suspend_member, SuspendMember};

#[cfg(feature = "ssr")]
mod ssr {
    use crate::accounts::session::Admin;
    use crate::domain::Role;
    use crate::doors::{change_and_return, done_or_error};
    use crate::members::{MembersError, MembersNotice};
    use crate::paths::MEMBERS;
    use crate::state::AppState;

    /// Where the link of a just-created invitation waits, in the creating
    /// admin's session, until the Members page shows it once.
    pub const NEW_LINK: &str = "members.new_invitation_link";

    /// Runs a change as the request's admin, then sends the browser back
    /// to the Members page with `notice` or the reason it failed.
    pub async fn change_on_members_page<T>(
        notice: MembersNotice,
        change: impl AsyncFnOnce(&AppState, &Admin) -> Result<T, MembersError>,
    ) -> Result<T, MembersError> {
        change_and_return(
            done_or_error(MEMBERS, notice.code()),
            async |state, actor| change(state, &Admin::check(actor.clone())?).await,
        )
        .await
    }

    /// The role a form names; anything else is a request not understood.
    pub fn parse_role(role: &str) -> Result<Role, MembersError> {
        Role::from_key(role).ok_or(MembersError::BadRequest)
    }
}
