use crate::refusals;
use serde::{Deserialize, Serialize};

refusals! {
    /// Why a change on the Members page was not made.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
    pub enum MembersError {
        #[error("Only admins can invite people or change members.")]
        AdminsOnly = "admins-only" => 403,
        #[error("That person is no longer a member of this workspace. Reload the page.")]
        NoSuchMember = "no-such-member" => 404,
        #[error("That invitation no longer exists. Reload the page.")]
        NoSuchInvitation = "no-such-invitation" => 404,
        #[error("The workspace needs at least one admin. Make someone else an admin first.")]
        LastAdmin = "last-admin" => 409,
        #[error("Someone with this e-mail address already has an account.")]
        AlreadyMember = "already-member" => 409,
        #[error("Please enter an e-mail address like name@example.com.")]
        EmailInvalid = "email-invalid" => 422,
        #[error("You cannot suspend yourself.")]
        NotYourself = "not-yourself" => 409,
    }
    standard,
    not_admin: AdminsOnly,
}
