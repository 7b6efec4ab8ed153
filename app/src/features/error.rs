use crate::domain::LastChange;
use crate::{notices, refusals};
use serde::{Deserialize, Serialize};

refusals! {
    /// Why a feature choice was not saved.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
    pub enum FeaturesError {
        #[error("Only admins can decide who may use AI features.")]
        AdminOnly = "admin-only" => 403,
        #[error("This choice is set by the server configuration, so it cannot be changed here. Nothing was saved.")]
        FixedByServer = "fixed-by-server" => 409,
        #[error("That is not one of the choices on the page. Nothing was saved; reload the page and try again.")]
        ChoiceInvalid = "choice-invalid" => 422,
        #[error("{}", conflict_message(.0.as_ref()))]
        Conflict(Option<LastChange>) = "conflict" => 409,
    }
    standard,
    not_admin: AdminOnly,
}

notices! {
    /// A feature choice that was saved.
    pub enum FeaturesNotice {
        Saved = "saved" => "Saved. Services follow it from their next request.",
    }
}

fn conflict_message(change: Option<&LastChange>) -> String {
    LastChange::conflict_message(change, "this choice")
}
