use crate::refusals;
use serde::{Deserialize, Serialize};

refusals! {
    /// Why a change on the API access page was not made.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
    pub enum TokensError {
        #[error("Only admins can create or revoke service tokens.")]
        AdminsOnly = "admins-only" => 403,
        #[error("Please name the token after the service that will use it.")]
        NameMissing = "name-missing" => 422,
        #[error("Please shorten the name to at most 80 characters.")]
        NameTooLong = "name-too-long" => 422,
        #[error("That token no longer exists or was already revoked. Reload the page.")]
        NoSuchToken = "no-such-token" => 404,
    }
    standard,
    not_admin: AdminsOnly,
}
