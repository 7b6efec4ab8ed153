use crate::refusals;
use serde::{Deserialize, Serialize};

refusals! {
    /// Why a change on the API access page was not made.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
    pub enum TokensError {
        #[error("Your session has ended. Sign in again.")]
        SignInRequired = "sign-in-required" => 401,
        #[error("Only admins can create or revoke service tokens.")]
        AdminsOnly = "admins-only" => 403,
        #[error("Please name the token after the service that will use it.")]
        NameMissing = "name-missing" => 422,
        #[error("Please shorten the name to at most 80 characters.")]
        NameTooLong = "name-too-long" => 422,
        #[error("That token no longer exists or was already revoked. Reload the page.")]
        NoSuchToken = "no-such-token" => 404,
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
        crate::boundary::assert_codes_round_trip::<super::TokensError>();
    }
}
