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
        #[error("Please choose how long the token works: 30, 90 or 365 days, or never expires.")]
        LifetimeInvalid = "lifetime-invalid" => 422,
        #[error("Please choose the feature the token's calls are for, or let the service say.")]
        FeatureInvalid = "feature-invalid" => 422,
        #[error("A token that receives the provider key needs your password, typed again. Nothing was created.")]
        PasswordNeeded = "password-needed" => 403,
        #[error("That password is not right. Nothing was created.")]
        WrongPassword = "wrong-password" => 403,
        #[error("Too many wrong passwords. Try again in {0} minute(s). Nothing was created.")]
        TooManyAttempts(i64) = "too-many-attempts" => 429,
        #[error("The console is busy checking other passwords. Nothing was created; try again in a moment.")]
        Busy = "busy" => 503,
    }
    standard,
    not_admin: AdminsOnly,
}
