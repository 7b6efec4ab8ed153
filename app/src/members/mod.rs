//! The Members page, where admins invite people, change roles and remove
//! members, and the join page an invitation link leads to. The rule that
//! a workspace keeps an admin is in `rules.rs`.

mod error;
mod join_page;
mod page;
pub mod rules;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

pub use error::MembersError;
pub use join_page::JoinPage;
pub use page::MembersPage;
pub use server_fns::MembersSnapshot;

use crate::domain::Role;
use crate::notices;
use serde::{Deserialize, Serialize};

/// How long an invitation link stays usable.
pub const INVITATION_LIFETIME_SECS: i64 = 7 * 24 * 60 * 60;

/// A person of the workspace as the Members page lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub id: crate::domain::UserId,
    pub name: String,
    pub email: String,
    pub role: Role,
    /// Suspended by an admin: cannot sign in until restored.
    pub suspended: bool,
    /// The person looking at the page.
    pub is_you: bool,
}

/// An invitation not used yet, as admins see it (never its link).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingInvitation {
    pub id: String,
    pub email: String,
    pub role: Role,
    pub invited_by: String,
    pub expires_at: i64,
}

/// A link just created, shown once to the admin who created it: only its
/// digest is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewInvitationLink {
    pub email: String,
    pub link: String,
    pub expires_at: i64,
}

/// What the join page shows before the person fills in the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationSummary {
    pub email: String,
    pub role: Role,
    pub workspace_name: String,
    pub invited_by: String,
}

notices! {
    /// A change on the Members page that worked, carried through the
    /// redirect back to the page.
    pub enum MembersNotice {
        Invited = "invited" => "Invitation created.",
        RoleChanged = "role-changed" => "Role changed. It applies from their next click.",
        Removed = "removed" => "Removed from the workspace and signed out; their name and e-mail address were erased.",
        Suspended = "suspended" => "Suspended: they are signed out and cannot sign in until restored.",
        Restored = "restored" => "Restored: they can sign in again.",
        Revoked = "revoked" => "Invitation withdrawn; its link no longer works.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_read_back_from_their_codes() {
        for notice in MembersNotice::ALL {
            assert_eq!(MembersNotice::from_code(notice.code()), Some(*notice));
        }
        assert_eq!(MembersNotice::from_code("deleted-everyone"), None);
    }
}
