use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

/// Why a change on the API access page was not made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum TokensError {
    #[error("Your session has ended. Sign in again.")]
    SignInRequired,
    #[error("Only admins can create or revoke service tokens.")]
    AdminsOnly,
    #[error("Please name the token after the service that will use it.")]
    NameMissing,
    #[error("Please shorten the name to at most 80 characters.")]
    NameTooLong,
    #[error("That token no longer exists or was already revoked. Reload the page.")]
    NoSuchToken,
    #[error("The form was not understood. Reload the page and try again.")]
    BadRequest,
    #[error("Something went wrong on the server. Nothing was changed; try again in a moment.")]
    Unavailable,
}

impl TokensError {
    const ALL: [TokensError; 7] = [
        TokensError::SignInRequired,
        TokensError::AdminsOnly,
        TokensError::NameMissing,
        TokensError::NameTooLong,
        TokensError::NoSuchToken,
        TokensError::BadRequest,
        TokensError::Unavailable,
    ];

    pub fn code(self) -> &'static str {
        match self {
            TokensError::SignInRequired => "sign-in-required",
            TokensError::AdminsOnly => "admins-only",
            TokensError::NameMissing => "name-missing",
            TokensError::NameTooLong => "name-too-long",
            TokensError::NoSuchToken => "no-such-token",
            TokensError::BadRequest => "bad-request",
            TokensError::Unavailable => "unavailable",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|error| error.code() == code)
    }
}

impl From<crate::accounts::NoActorReason> for TokensError {
    fn from(reason: crate::accounts::NoActorReason) -> Self {
        match reason {
            crate::accounts::NoActorReason::SignedOut => TokensError::SignInRequired,
            crate::accounts::NoActorReason::Unavailable => TokensError::Unavailable,
        }
    }
}

#[cfg(feature = "ssr")]
impl crate::http_status::HasStatus for TokensError {
    fn status(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            TokensError::SignInRequired => StatusCode::UNAUTHORIZED,
            TokensError::AdminsOnly => StatusCode::FORBIDDEN,
            TokensError::NameMissing | TokensError::NameTooLong => StatusCode::UNPROCESSABLE_ENTITY,
            TokensError::NoSuchToken => StatusCode::NOT_FOUND,
            TokensError::BadRequest => StatusCode::BAD_REQUEST,
            TokensError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

impl FromServerFnError for TokensError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_) => TokensError::BadRequest,
            _ => TokensError::Unavailable,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_reads_back_from_its_code() {
        for error in TokensError::ALL {
            assert_eq!(TokensError::from_code(error.code()), Some(error));
        }
    }
}
