//! Layer: platform.

use super::credentials::CredentialProblem;
use crate::{code_parts, refusals};
use serde::{Deserialize, Serialize};

refusals! {
    /// Why signing in or creating an account did not work, in words the
    /// person can act on.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
    pub enum AuthError {
        /// The same answer for an unknown e-mail and a wrong password.
        #[error("That e-mail address and password do not match an account.")]
        InvalidCredentials = "invalid-credentials" => 401,
        #[error("Too many attempts. Try again in {0} minute(s).")]
        TooManyAttempts(i64) = "too-many-attempts" => 429,
        #[error("The console is busy checking other passwords. Nothing was changed; try again in a moment.")]
        Busy = "busy" => 503,
        #[error("This setup link is not valid: it was already used, has expired, or was mistyped.")]
        SetupLinkInvalid = "setup-link-invalid" => 410,
        #[error("This invitation link is not valid: it was already used, withdrawn, has expired, or was mistyped. Ask an admin for a new one.")]
        InvitationInvalid = "invitation-invalid" => 410,
        #[error("An account with this e-mail address already exists.")]
        EmailTaken = "email-taken" => 409,
        #[error("The current password is not right. Nothing was changed.")]
        WrongCurrentPassword = "wrong-current-password" => 403,
        #[error("Please {0}.")]
        Credentials(CredentialProblem) = "" => 422,
        #[error("Signing in with a password is turned off here: use the single sign-on button. (The operator can still create an admin with `server create-admin`.)")]
        PasswordSignInOff = "password-sign-in-off" => 403,
        #[error("The identity provider could not be reached, so nobody can sign in through it right now. Try again in a moment.")]
        SignOnUnreachable = "sign-on-unreachable" => 503,
        #[error("The sign-in at the identity provider was cancelled or refused. Nothing was changed.")]
        SignOnDenied = "sign-on-denied" => 401,
        #[error("That sign-in could not be completed: it was started elsewhere, used already or took too long. Start again.")]
        SignOnExpired = "sign-on-expired" => 401,
        #[error("Your account at the identity provider is in no group that may use this console. Ask whoever runs your organisation's sign-in to add you.")]
        SignOnNoGroup = "sign-on-no-group" => 403,
        #[error("An account with your e-mail address already signs in here with a password. Sign in with it, or ask the operator to allow linking it to single sign-on.")]
        SignOnEmailTaken = "sign-on-email-taken" => 409,
        #[error("The identity provider did not say who you are (no usable e-mail address). Nothing was changed.")]
        SignOnIncomplete = "sign-on-incomplete" => 401,
        #[error("This account is suspended: it cannot sign in for now. Ask an admin of your workspace.")]
        Suspended = "suspended" => 403,
        #[error("You are the workspace's only admin, so your account cannot be deleted yet. Make another member an admin on the Members page first.")]
        LastAdminCannotLeave = "last-admin" => 409,
        #[error("That is not your e-mail address. Nothing was deleted.")]
        ConfirmationWrong = "confirmation-wrong" => 403,
        #[error("Your e-mail address comes from your organisation's sign-in. Change it there.")]
        EmailFromSignOn = "email-from-sign-on" => 409,
    }
    standard,
}

code_parts!(CredentialProblem {
    NameMissing = "name-missing",
    NameTooLong = "name-too-long",
    NameHiddenCharacters = "name-hidden-characters",
    EmailInvalid = "email-invalid",
    PasswordTooShort = "password-too-short",
    PasswordTooLong = "password-too-long",
    PasswordsDiffer = "passwords-differ",
});

impl From<CredentialProblem> for AuthError {
    fn from(problem: CredentialProblem) -> Self {
        AuthError::Credentials(problem)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::boundary::Refusal;

    #[test]
    fn every_code_reads_back_as_its_error() {
        for code in [
            "invalid-credentials",
            "setup-link-invalid",
            "name-missing",
            "password-too-short",
            "passwords-differ",
            "too-many-attempts-7",
        ] {
            assert_eq!(
                AuthError::from_code(code)
                    .map(|error| error.code())
                    .as_deref(),
                Some(code)
            );
        }
        assert_eq!(AuthError::from_code("too-many-attempts-x"), None);
    }

    #[test]
    fn credential_problems_read_as_instructions() {
        assert_eq!(
            AuthError::from(CredentialProblem::PasswordTooShort).to_string(),
            "Please use a password of at least 12 characters."
        );
    }
}
