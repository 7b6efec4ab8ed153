use super::rules::ModelProblem;
use crate::domain::LastChange;
use crate::{code_parts, notices, refusals};
use serde::{Deserialize, Serialize};

refusals! {
    /// Why the models were not changed.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
    pub enum ModelsError {
        #[error("Only admins can choose which models services may use.")]
        AdminOnly = "admin-only" => 403,
        #[error("The models are set by the server configuration, so they cannot be changed here. Nothing was saved.")]
        FixedByServer = "fixed-by-server" => 409,
        #[error("Please {0}. Nothing was saved.")]
        Choice(ModelProblem) = "models" => 422,
        #[error("The managed provider's models come from the server configuration; only a workspace key's list can be refreshed.")]
        NoKey = "no-key" => 409,
        #[error("The provider did not list its models (the key may have been revoked, or the provider could not be reached). The list stays as it was.")]
        ProviderRefused = "provider-refused" => 502,
        #[error("{}", conflict_message(.0.as_ref()))]
        Conflict(Option<LastChange>) = "conflict" => 409,
    }
    standard,
    not_admin: AdminOnly,
}

code_parts!(ModelProblem {
    NoneChosen = "none-chosen",
    DefaultNotAllowed = "default-not-allowed",
    UnknownModel = "unknown-model",
});

impl From<ModelProblem> for ModelsError {
    fn from(problem: ModelProblem) -> Self {
        ModelsError::Choice(problem)
    }
}

notices! {
    /// A change of the models that worked.
    pub enum ModelsNotice {
        Saved = "saved" => "Saved. Services follow it from their next request.",
        Refreshed = "refreshed" => "Model list refreshed from the provider.",
    }
}

fn conflict_message(change: Option<&LastChange>) -> String {
    LastChange::conflict_message(change, "the models")
}
