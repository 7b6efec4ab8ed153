//! The doors from the Members and join pages to the membership service,
//! one server function a file. The pages are plain forms: each change
//! answers with a redirect back to the page, which says what happened.

mod accept_invitation;
mod change_role;
mod invite_member;
mod load_invitation;
mod load_members;
mod remove_member;
mod revoke_invitation;

pub use accept_invitation::{accept_invitation, AcceptInvitation};
pub use change_role::{change_role, ChangeRole};
pub use invite_member::{invite_member, InviteMember};
pub use load_invitation::{load_invitation, LoadInvitation};
pub use load_members::{load_members, LoadMembers};
pub use remove_member::{remove_member, RemoveMember};
pub use revoke_invitation::{revoke_invitation, RevokeInvitation};

#[cfg(feature = "ssr")]
mod ssr {
    use crate::accounts::session::{self, Actor};
    use crate::domain::Role;
    use crate::members::{MembersError, MembersNotice, NewInvitationLink, MEMBERS_PAGE};
    use crate::state::{self, AppState};

    /// Where the link of a just-created invitation waits, in the creating
    /// admin's session, until the Members page shows it once.
    pub const NEW_LINK: &str = "members.new_invitation_link";

    /// Runs a change as the signed-in person, then sends the browser back
    /// to the Members page with `notice` or the reason it failed.
    pub async fn change_and_return<T>(
        notice: MembersNotice,
        change: impl AsyncFnOnce(&AppState, &Actor) -> Result<T, MembersError>,
    ) -> Result<T, MembersError> {
        let outcome = async {
            let state = state::current().ok_or(MembersError::Unavailable)?;
            let actor = session::require_actor(&state).await?;
            change(&state, &actor).await
        }
        .await;
        crate::http_status::answer_with(&outcome);
        match &outcome {
            Ok(_) => leptos_axum::redirect(&format!("{MEMBERS_PAGE}?done={}", notice.code())),
            Err(error) => leptos_axum::redirect(&format!("{MEMBERS_PAGE}?error={}", error.code())),
        }
        outcome
    }

    pub fn parse_role(role: &str) -> Result<Role, MembersError> {
        Role::from_key(role).ok_or(MembersError::BadRequest)
    }

    pub async fn keep_link_for_page(link: &NewInvitationLink) -> Result<(), MembersError> {
        let session = session::current_session()
            .await
            .ok_or(MembersError::Unavailable)?;
        session.insert(NEW_LINK, link).await.map_err(|error| {
            tracing::error!(%error, "keeping an invitation link failed");
            MembersError::Unavailable
        })
    }

    pub async fn take_link_for_page() -> Option<NewInvitationLink> {
        let session = session::current_session().await?;
        match session.remove::<NewInvitationLink>(NEW_LINK).await {
            Ok(link) => link,
            Err(error) => {
                tracing::error!(%error, "reading an invitation link failed");
                None
            }
        }
    }
}
