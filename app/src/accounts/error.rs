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
