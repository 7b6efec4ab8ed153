use crate::domain::provider::KeyProblem;
use crate::domain::{time::format_utc, LastChange};
use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

/// Why the model provider was not changed. Crosses the server-function
/// boundary: it never carries the key, a provider's answer or internals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ProviderError {
    #[error("Your session has ended. Sign in again.")]
    SignInRequired,
    #[error("Only admins can change the model provider.")]
    AdminOnly,
    #[error("Using your own API key is part of the Enterprise plan. Nothing was saved.")]
    NotOnPlan,
    #[error("Please {0}. Nothing was saved.")]
    Key(KeyProblem),
    #[error("The provider refused this key (it may be revoked, mistyped or lack permission to list models). Nothing was saved; the previous setting stays.")]
    KeyRejected,
    #[error("The provider answered with an error ({0}) instead of accepting or refusing the key. Nothing was saved; try again in a moment.")]
    ProviderFailed(u16),
    #[error("The provider could not be reached at that address. Nothing was saved; check the base URL and try again.")]
    ProviderUnreachable,
    #[error("The provider did not answer in time. Nothing was saved; try again in a moment.")]
    ProviderTimedOut,
    #[error(
        "There is no workspace key to remove: the managed provider already serves this workspace."
    )]
    NoKey,
    #[error("{}", conflict_message(.0.as_ref()))]
    Conflict(Option<LastChange>),
    #[error("The form was not understood. Reload the page and try again.")]
    BadRequest,
    #[error("Something went wrong on the server. Nothing was changed; try again in a moment.")]
    Unavailable,
}

fn conflict_message(change: Option<&LastChange>) -> String {
    match change {
        Some(change) => format!(
            "{} changed the model provider at {} \u{2014} reload to see it. Nothing was saved.",
            change.by,
            format_utc(change.at)
        ),
        None => "Another admin changed the model provider meanwhile. Nothing was saved; the page now shows their change.".into(),
    }
}

impl ProviderError {
    /// A stable code for the URL a form is sent back to.
    pub fn code(&self) -> String {
        match self {
            ProviderError::SignInRequired => "sign-in-required".into(),
            ProviderError::AdminOnly => "admin-only".into(),
            ProviderError::NotOnPlan => "not-on-plan".into(),
            ProviderError::Key(problem) => format!("key-{problem:?}").to_lowercase(),
            ProviderError::KeyRejected => "key-rejected".into(),
            ProviderError::ProviderFailed(status) => format!("provider-failed-{status}"),
            ProviderError::ProviderUnreachable => "provider-unreachable".into(),
            ProviderError::ProviderTimedOut => "provider-timed-out".into(),
            ProviderError::NoKey => "no-key".into(),
            ProviderError::Conflict(_) => "conflict".into(),
            ProviderError::BadRequest => "bad-request".into(),
            ProviderError::Unavailable => "unavailable".into(),
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        use KeyProblem::*;
        if let Some(status) = code.strip_prefix("provider-failed-") {
            return status.parse().ok().map(ProviderError::ProviderFailed);
        }
        [
            ProviderError::SignInRequired,
            ProviderError::AdminOnly,
            ProviderError::NotOnPlan,
            ProviderError::Key(Missing),
            ProviderError::Key(TooShort),
            ProviderError::Key(TooLong),
            ProviderError::Key(BadCharacters),
            ProviderError::Key(BaseUrlMissing),
            ProviderError::Key(BaseUrlInvalid),
            ProviderError::KeyRejected,
            ProviderError::ProviderUnreachable,
            ProviderError::ProviderTimedOut,
            ProviderError::NoKey,
            ProviderError::Conflict(None),
            ProviderError::BadRequest,
            ProviderError::Unavailable,
        ]
        .into_iter()
        .find(|error| error.code() == code)
    }
}

impl From<crate::accounts::NoActorReason> for ProviderError {
    fn from(reason: crate::accounts::NoActorReason) -> Self {
        match reason {
            crate::accounts::NoActorReason::SignedOut => ProviderError::SignInRequired,
            crate::accounts::NoActorReason::Unavailable => ProviderError::Unavailable,
        }
    }
}

impl From<KeyProblem> for ProviderError {
    fn from(problem: KeyProblem) -> Self {
        ProviderError::Key(problem)
    }
}

#[cfg(feature = "ssr")]
impl crate::http_status::HasStatus for ProviderError {
    fn status(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            ProviderError::SignInRequired => StatusCode::UNAUTHORIZED,
            ProviderError::AdminOnly | ProviderError::NotOnPlan => StatusCode::FORBIDDEN,
            ProviderError::Key(_) | ProviderError::KeyRejected => StatusCode::UNPROCESSABLE_ENTITY,
            ProviderError::ProviderFailed(_) | ProviderError::ProviderUnreachable => {
                StatusCode::BAD_GATEWAY
            }
            ProviderError::ProviderTimedOut => StatusCode::GATEWAY_TIMEOUT,
            ProviderError::NoKey | ProviderError::Conflict(_) => StatusCode::CONFLICT,
            ProviderError::BadRequest => StatusCode::BAD_REQUEST,
            ProviderError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

impl FromServerFnError for ProviderError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_) => ProviderError::BadRequest,
            _ => ProviderError::Unavailable,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back_as_their_errors() {
        for error in [
            ProviderError::Key(KeyProblem::BaseUrlInvalid),
            ProviderError::KeyRejected,
            ProviderError::ProviderFailed(502),
            ProviderError::NotOnPlan,
            ProviderError::Conflict(None),
        ] {
            assert_eq!(ProviderError::from_code(&error.code()), Some(error));
        }
        assert_eq!(ProviderError::from_code("provider-failed-x"), None);
    }
}
