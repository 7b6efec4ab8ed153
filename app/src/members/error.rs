use crate::refusals;
use serde::{Deserialize, Serialize};

refusals! {
    /// Why a change on the Members page was not made.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
    pub enum MembersError {
        #[error("Your session has ended. Sign in again.")]
        SignInRequired = "sign-in-required" => 401,
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
        #[error("The form was not understood. Reload the page and try again.")]
        BadRequest = "bad-request" => 400,
        #[error("Something went wrong on the server. Nothing was changed; try again in a moment.")]
        Unavailable = "unavailable" => 503,
    }
    signed_out: SignInRequired,
    undecodable: BadRequest,
    failed: Unavailable,
    not_admin: AdminsOnly,
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_error_reads_back_from_its_code() {
        crate::boundary::assert_codes_round_trip::<super::MembersError>();
    }
}
