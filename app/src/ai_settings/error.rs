use crate::domain::{time::format_utc, LastChange};
use crate::refusals;
use serde::{Deserialize, Serialize};

refusals! {
    /// Why a settings change was not saved, in words an admin can act on.
    /// Storage failures are logged on the server and reach the page only as
    /// `Unavailable`.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
    pub enum SaveError {
        #[error("your plan never uses AI usage for training, so there is nothing to change")]
        TrainingFixedByPlan = "training-fixed-by-plan" => 409,
        #[error("the server configuration fixes this setting; an operator can change it there")]
        FixedByServer = "fixed-by-server" => 409,
        /// Someone else changed the setting after this page was loaded.
        /// Known when the save came from the page's script; after a form
        /// post the page is reloaded and already shows the other change.
        #[error("{}", conflict_message(.0.as_ref()))]
        Conflict(Option<LastChange>) = "conflict" => 409,
        #[error("only admins can change AI settings")]
        AdminOnly = "admin-only" => 403,
        #[error("your session has ended; sign in again")]
        SignInRequired = "sign-in-required" => 401,
        #[error("the change was not understood; reload the page and try again")]
        BadRequest = "bad-request" => 400,
        #[error("the server could not save it; nothing was changed, try again in a moment")]
        Unavailable = "unavailable" => 503,
        #[error("the server could not be reached; check your connection and try again")]
        Unreachable = "unreachable" => 503,
    }
    signed_out: SignInRequired,
    undecodable: BadRequest,
    failed: Unavailable,
    not_admin: AdminOnly,
    unreachable: Unreachable,
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

#[cfg(test)]
mod tests {
    use super::*;
    use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};

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
