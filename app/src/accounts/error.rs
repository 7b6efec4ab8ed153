use crate::domain::credentials::CredentialProblem;
use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

/// Why signing in or creating an account did not work, in words the person
/// can act on. Crosses the server-function boundary, so it never carries
/// internal detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AuthError {
    /// The same answer for an unknown e-mail and a wrong password.
    #[error("That e-mail address and password do not match an account.")]
    InvalidCredentials,
    #[error("Too many attempts. Try again in {0} minute(s).")]
    TooManyAttempts(i64),
    #[error("This setup link is not valid: it was already used, has expired, or was mistyped.")]
    SetupLinkInvalid,
    #[error("This invitation link is not valid: it was already used, withdrawn, has expired, or was mistyped. Ask an admin for a new one.")]
    InvitationInvalid,
    #[error("An account with this e-mail address already exists.")]
    EmailTaken,
    #[error("The current password is not right. Nothing was changed.")]
    WrongCurrentPassword,
    #[error("Your session has ended. Sign in again.")]
    SignInRequired,
    #[error("Please {0}.")]
    Credentials(CredentialProblem),
    #[error("The form was not understood. Reload the page and try again.")]
    BadRequest,
    #[error("Something went wrong on the server. Nothing was changed; try again in a moment.")]
    Unavailable,
}

impl AuthError {
    /// A stable code for the URL a form without JavaScript is sent back to.
    pub fn code(self) -> String {
        match self {
            AuthError::TooManyAttempts(minutes) => format!("too-many-attempts-{minutes}"),
            other => other.fixed_code().to_string(),
        }
    }

    fn fixed_code(self) -> &'static str {
        match self {
            AuthError::TooManyAttempts(_) => "too-many-attempts",
            AuthError::InvalidCredentials => "invalid-credentials",
            AuthError::SetupLinkInvalid => "setup-link-invalid",
            AuthError::InvitationInvalid => "invitation-invalid",
            AuthError::EmailTaken => "email-taken",
            AuthError::WrongCurrentPassword => "wrong-current-password",
            AuthError::SignInRequired => "sign-in-required",
            AuthError::Credentials(problem) => match problem {
                CredentialProblem::NameMissing => "name-missing",
                CredentialProblem::NameTooLong => "name-too-long",
                CredentialProblem::EmailInvalid => "email-invalid",
                CredentialProblem::PasswordTooShort => "password-too-short",
                CredentialProblem::PasswordTooLong => "password-too-long",
                CredentialProblem::PasswordsDiffer => "passwords-differ",
            },
            AuthError::BadRequest => "bad-request",
            AuthError::Unavailable => "unavailable",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        use CredentialProblem::*;
        if let Some(minutes) = code.strip_prefix("too-many-attempts-") {
            return minutes
                .parse()
                .ok()
                .filter(|m| *m > 0)
                .map(AuthError::TooManyAttempts);
        }
        [
            AuthError::InvalidCredentials,
            AuthError::SetupLinkInvalid,
            AuthError::InvitationInvalid,
            AuthError::EmailTaken,
            AuthError::WrongCurrentPassword,
            AuthError::SignInRequired,
            AuthError::Credentials(NameMissing),
            AuthError::Credentials(NameTooLong),
            AuthError::Credentials(EmailInvalid),
            AuthError::Credentials(PasswordTooShort),
            AuthError::Credentials(PasswordTooLong),
            AuthError::Credentials(PasswordsDiffer),
            AuthError::BadRequest,
            AuthError::Unavailable,
        ]
        .into_iter()
        .find(|error| error.fixed_code() == code)
    }
}

impl From<super::NoActorReason> for AuthError {
    fn from(reason: super::NoActorReason) -> Self {
        match reason {
            super::NoActorReason::SignedOut => AuthError::SignInRequired,
            super::NoActorReason::Unavailable => AuthError::Unavailable,
        }
    }
}

impl From<CredentialProblem> for AuthError {
    fn from(problem: CredentialProblem) -> Self {
        AuthError::Credentials(problem)
    }
}

#[cfg(feature = "ssr")]
impl crate::http_status::HasStatus for AuthError {
    fn status(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            AuthError::InvalidCredentials => StatusCode::UNAUTHORIZED,
            AuthError::TooManyAttempts(_) => StatusCode::TOO_MANY_REQUESTS,
            AuthError::SetupLinkInvalid | AuthError::InvitationInvalid => StatusCode::GONE,
            AuthError::EmailTaken => StatusCode::CONFLICT,
            AuthError::WrongCurrentPassword => StatusCode::FORBIDDEN,
            AuthError::SignInRequired => StatusCode::UNAUTHORIZED,
            AuthError::Credentials(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AuthError::BadRequest => StatusCode::BAD_REQUEST,
            AuthError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

impl FromServerFnError for AuthError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_) => AuthError::BadRequest,
            _ => AuthError::Unavailable,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back_as_its_error() {
        for code in [
            "invalid-credentials",
            "setup-link-invalid",
            "invitation-invalid",
            "email-taken",
            "name-missing",
            "password-too-short",
            "passwords-differ",
            "unavailable",
            "too-many-attempts-7",
        ] {
            assert_eq!(
                AuthError::from_code(code).map(AuthError::code).as_deref(),
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
