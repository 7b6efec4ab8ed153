use crate::domain::{time::format_utc, LastChange};
use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

/// Why a settings change was not saved, in words an admin can act on.
///
/// This is what crosses the server-function boundary, so it carries no
/// internal detail: storage failures are logged on the server and reach the
/// page only as `Unavailable`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum SaveError {
    #[error("your plan never uses AI usage for training, so there is nothing to change")]
    TrainingFixedByPlan,
    /// Someone else changed the setting after this page was loaded. Known
    /// when the save came from the page's script; after a form post the
    /// page is reloaded and already shows the other change.
    #[error("{}", conflict_message(.0.as_ref()))]
    Conflict(Option<LastChange>),
    #[error("only admins can change AI settings")]
    AdminOnly,
    #[error("the server configuration fixes this setting; an operator can change it there")]
    FixedByServer,
    #[error("your session has ended; sign in again")]
    SignInRequired,
    #[error("the change was not understood; reload the page and try again")]
    BadRequest,
    #[error("the server could not save it; nothing was changed, try again in a moment")]
    Unavailable,
    #[error("the server could not be reached; check your connection and try again")]
    Unreachable,
}

fn conflict_message(change: Option<&LastChange>) -> String {
    match change {
        Some(change) => format!(
            "{} changed this setting at {} \u{2014} reload to see it",
            change.by,
            format_utc(change.at)
        ),
        None => {
            "another admin changed this setting meanwhile; the page now shows their change".into()
        }
    }
}

impl SaveError {
    const ALL: [SaveError; 8] = [
        SaveError::TrainingFixedByPlan,
        SaveError::FixedByServer,
        SaveError::Conflict(None),
        SaveError::AdminOnly,
        SaveError::SignInRequired,
        SaveError::BadRequest,
        SaveError::Unavailable,
        SaveError::Unreachable,
    ];

    /// A stable code, carried in the URL when a form was posted without
    /// JavaScript and the page has to show the outcome after the redirect.
    pub fn code(&self) -> &'static str {
        match self {
            SaveError::TrainingFixedByPlan => "training-fixed-by-plan",
            SaveError::Conflict(_) => "conflict",
            SaveError::AdminOnly => "admin-only",
            SaveError::FixedByServer => "fixed-by-server",
            SaveError::SignInRequired => "sign-in-required",
            SaveError::BadRequest => "bad-request",
            SaveError::Unavailable => "unavailable",
            SaveError::Unreachable => "unreachable",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        SaveError::ALL
            .into_iter()
            .find(|error| error.code() == code)
    }
}

#[cfg(feature = "ssr")]
impl crate::http_status::HasStatus for SaveError {
    fn status(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            SaveError::TrainingFixedByPlan | SaveError::FixedByServer | SaveError::Conflict(_) => {
                StatusCode::CONFLICT
            }
            SaveError::AdminOnly => StatusCode::FORBIDDEN,
            SaveError::SignInRequired => StatusCode::UNAUTHORIZED,
            SaveError::BadRequest => StatusCode::BAD_REQUEST,
            SaveError::Unavailable | SaveError::Unreachable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

#[cfg(feature = "ssr")]
impl crate::http_status::HasStatus for LoadError {
    fn status(&self) -> http::StatusCode {
        match self {
            LoadError::Unavailable => http::StatusCode::SERVICE_UNAVAILABLE,
            LoadError::SignInRequired => http::StatusCode::UNAUTHORIZED,
        }
    }
}

impl From<crate::accounts::NoActorReason> for SaveError {
    fn from(reason: crate::accounts::NoActorReason) -> Self {
        match reason {
            crate::accounts::NoActorReason::SignedOut => SaveError::SignInRequired,
            crate::accounts::NoActorReason::Unavailable => SaveError::Unavailable,
        }
    }
}

impl From<crate::accounts::NoActorReason> for LoadError {
    fn from(reason: crate::accounts::NoActorReason) -> Self {
        match reason {
            crate::accounts::NoActorReason::SignedOut => LoadError::SignInRequired,
            crate::accounts::NoActorReason::Unavailable => LoadError::Unavailable,
        }
    }
}

impl FromServerFnError for SaveError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // The browser never got an answer it could read.
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => SaveError::Unreachable,
            // The request's arguments did not decode: a stale page or a
            // hand-made request.
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_) => SaveError::BadRequest,
            _ => SaveError::Unavailable,
        }
    }
}

/// Why the page could not show the settings. Like `SaveError`, it never
/// carries internal detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum LoadError {
    #[error("The settings could not be loaded right now. Reload the page in a moment.")]
    Unavailable,
    #[error("Your session has ended. Sign in again to see the settings.")]
    SignInRequired,
}

impl FromServerFnError for LoadError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(_: ServerFnErrorErr) -> Self {
        LoadError::Unavailable
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for error in SaveError::ALL {
            assert_eq!(SaveError::from_code(error.code()), Some(error.clone()));
        }
        assert_eq!(SaveError::from_code("something-else"), None);
    }

    #[test]
    fn undecodable_arguments_are_a_bad_request_not_a_server_fault() {
        let error = SaveError::from_server_fn_error(ServerFnErrorErr::Args("enabled=maybe".into()));
        assert_eq!(error, SaveError::BadRequest);
    }

    #[test]
    fn a_lost_connection_says_the_server_was_not_reached() {
        let error = SaveError::from_server_fn_error(ServerFnErrorErr::Request("offline".into()));
        assert_eq!(error, SaveError::Unreachable);
    }
}
