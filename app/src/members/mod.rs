//! Who belongs to the workspace: the Members page, where admins invite
//! people, change roles and remove members, and the join page an
//! invitation link leads to.

mod error;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

pub use error::MembersError;

use crate::domain::{Role, Viewer};
use serde::{Deserialize, Serialize};

pub const MEMBERS_PAGE: &str = "/settings/members";
pub const JOIN_PAGE: &str = "/join";

/// How long an invitation link stays usable.
pub const INVITATION_LIFETIME_SECS: i64 = 7 * 24 * 60 * 60;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    /// The person looking at the page.
    pub is_you: bool,
}

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
    pub fn admins(&self) -> usize {
        self.members
            .iter()
            .filter(|member| member.role == Role::Admin)
            .count()
    }
}

/// What the join page shows before the person fills in the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationSummary {
    pub email: String,
    pub role: Role,
    pub workspace_name: String,
    pub invited_by: String,
}

/// A change on the Members page that worked, carried through the redirect
/// back to the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MembersNotice {
    Invited,
    RoleChanged,
    Removed,
    Revoked,
}

impl MembersNotice {
    const ALL: [MembersNotice; 4] = [
        MembersNotice::Invited,
        MembersNotice::RoleChanged,
        MembersNotice::Removed,
        MembersNotice::Revoked,
    ];

    pub fn code(self) -> &'static str {
        match self {
            MembersNotice::Invited => "invited",
            MembersNotice::RoleChanged => "role-changed",
            MembersNotice::Removed => "removed",
            MembersNotice::Revoked => "revoked",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|notice| notice.code() == code)
    }

    pub fn message(self) -> &'static str {
        match self {
            MembersNotice::Invited => "Invitation created.",
            MembersNotice::RoleChanged => "Role changed. It applies from their next click.",
            MembersNotice::Removed => "Removed from the workspace and signed out.",
            MembersNotice::Revoked => "Invitation withdrawn; its link no longer works.",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_read_back_from_their_codes() {
        for notice in MembersNotice::ALL {
            assert_eq!(MembersNotice::from_code(notice.code()), Some(notice));
        }
        assert_eq!(MembersNotice::from_code("deleted-everyone"), None);
    }
}
