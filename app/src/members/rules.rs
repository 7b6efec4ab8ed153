//! Who may change whose membership. One rule matters beyond "admins
//! only": a workspace always keeps at least one admin, so nobody can lock
//! everyone out of its settings.

use crate::domain::Role;

/// What an admin does to someone's membership.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MembershipChange {
    SetRole(Role),
    Remove,
}

/// Why a membership change would break the workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MembershipProblem {
    /// The change would leave the workspace without an admin.
    LastAdmin,
}

/// Checks `change` to a person who has `current` role, in a workspace
/// that has `admins` admins (the person included).
pub fn check_change(
    current: Role,
    change: MembershipChange,
    admins: usize,
) -> Result<(), MembershipProblem> {
    let stays_admin = change == MembershipChange::SetRole(Role::Admin);
    if current == Role::Admin && !stays_admin && admins <= 1 {
        return Err(MembershipProblem::LastAdmin);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use MembershipChange::*;

    #[test]
    fn the_last_admin_can_be_neither_demoted_nor_removed() {
        assert_eq!(
            check_change(Role::Admin, SetRole(Role::Member), 1),
            Err(MembershipProblem::LastAdmin)
        );
        assert_eq!(
            check_change(Role::Admin, Remove, 1),
            Err(MembershipProblem::LastAdmin)
        );
    }

    #[test]
    fn an_admin_with_a_fellow_admin_can_be_demoted_or_removed() {
        assert_eq!(check_change(Role::Admin, SetRole(Role::Member), 2), Ok(()));
        assert_eq!(check_change(Role::Admin, Remove, 2), Ok(()));
    }

    #[test]
    fn members_can_always_be_promoted_or_removed_and_roles_kept() {
        assert_eq!(check_change(Role::Member, SetRole(Role::Admin), 1), Ok(()));
        assert_eq!(check_change(Role::Member, Remove, 1), Ok(()));
        assert_eq!(check_change(Role::Admin, SetRole(Role::Admin), 1), Ok(()));
    }
}
