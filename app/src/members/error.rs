use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

/// Why a change on the Members page was not made. Crosses the
/// server-function boundary, so it never carries internal detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum MembersError {
    #[error("Your session has ended. Sign in again.")]
    SignInRequired,
    #[error("Only admins can invite people or change members.")]
    AdminsOnly,
    #[error("That person is no longer a member of this workspace. Reload the page.")]
    NoSuchMember,
    #[error("That invitation no longer exists. Reload the page.")]
    NoSuchInvitation,
    #[error("The workspace needs at least one admin. Make someone else an admin first.")]
    LastAdmin,
    #[error("Someone with this e-mail address already has an account.")]
    AlreadyMember,
    #[error("Please enter an e-mail address like name@example.com.")]
    EmailInvalid,
    #[error("The form was not understood. Reload the page and try again.")]
    BadRequest,
    #[error("Something went wrong on the server. Nothing was changed; try again in a moment.")]
    Unavailable,
}

impl MembersError {
    const ALL: [MembersError; 9] = [
        MembersError::SignInRequired,
        MembersError::AdminsOnly,
        MembersError::NoSuchMember,
        MembersError::NoSuchInvitation,
        MembersError::LastAdmin,
        MembersError::AlreadyMember,
        MembersError::EmailInvalid,
        MembersError::BadRequest,
        MembersError::Unavailable,
    ];

    /// A stable code for the URL a form is sent back to.
    pub fn code(self) -> &'static str {
        match self {
            MembersError::SignInRequired => "sign-in-required",
            MembersError::AdminsOnly => "admins-only",
            MembersError::NoSuchMember => "no-such-member",
            MembersError::NoSuchInvitation => "no-such-invitation",
            MembersError::LastAdmin => "last-admin",
            MembersError::AlreadyMember => "already-member",
            MembersError::EmailInvalid => "email-invalid",
            MembersError::BadRequest => "bad-request",
            MembersError::Unavailable => "unavailable",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|error| error.code() == code)
    }
}

impl From<crate::accounts::NoActorReason> for MembersError {
    fn from(reason: crate::accounts::NoActorReason) -> Self {
        match reason {
            crate::accounts::NoActorReason::SignedOut => MembersError::SignInRequired,
            crate::accounts::NoActorReason::Unavailable => MembersError::Unavailable,
        }
    }
}

#[cfg(feature = "ssr")]
impl crate::http_status::HasStatus for MembersError {
    fn status(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            MembersError::SignInRequired => StatusCode::UNAUTHORIZED,
            MembersError::AdminsOnly => StatusCode::FORBIDDEN,
            MembersError::NoSuchMember | MembersError::NoSuchInvitation => StatusCode::NOT_FOUND,
            MembersError::LastAdmin | MembersError::AlreadyMember => StatusCode::CONFLICT,
            MembersError::EmailInvalid => StatusCode::UNPROCESSABLE_ENTITY,
            MembersError::BadRequest => StatusCode::BAD_REQUEST,
            MembersError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

impl FromServerFnError for MembersError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_) => MembersError::BadRequest,
            _ => MembersError::Unavailable,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_reads_back_from_its_code() {
        for error in MembersError::ALL {
            assert_eq!(MembersError::from_code(error.code()), Some(error));
        }
        assert_eq!(MembersError::from_code("nope"), None);
    }
}
