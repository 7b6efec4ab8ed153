use super::rules::KeyProblem;
use crate::domain::LastChange;
use crate::{code_parts, refusals};
use serde::{Deserialize, Serialize};

refusals! {
    /// Why the model provider was not changed. It never carries the key, a
    /// provider's answer or internals.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
    pub enum ProviderError {
        #[error("Only admins can change the model provider.")]
        AdminOnly = "admin-only" => 403,
        #[error("Using your own API key is part of the Enterprise plan. Nothing was saved.")]
        NotOnPlan = "not-on-plan" => 403,
        #[error("Please {0}. Nothing was saved.")]
        Key(KeyProblem) = "key" => 422,
        #[error("The provider refused this key (it may be revoked, mistyped or lack permission to list models). Nothing was saved; the previous setting stays.")]
        KeyRejected = "key-rejected" => 422,
        #[error("The provider answered with an error ({0}) instead of accepting or refusing the key. Nothing was saved; try again in a moment.")]
        ProviderFailed(u16) = "provider-failed" => 502,
        #[error("The provider could not be reached at that address in time. Nothing was saved; check the base URL and try again.")]
        ProviderUnreachable = "provider-unreachable" => 502,
        #[error("That base URL's host is on a private, loopback or link-local network, which the console calls only when the operator lists its range in AI_CONSOLE_PRIVATE_MODEL_NETWORKS. Nothing was saved.")]
        AddressNotAllowed = "address-not-allowed" => 422,
        #[error("The provider's model list is larger than the console reads (2 MiB), so the key could not be checked. Nothing was saved; check the base URL.")]
        ListTooLarge = "list-too-large" => 502,
        #[error(
            "There is no workspace key to remove: the managed provider already serves this workspace."
        )]
        NoKey = "no-key" => 409,
        #[error("A key for another provider resets the models chosen under Models to all models, no default. Tick the box that says so to go ahead. Nothing was saved.")]
        ModelsWouldReset = "models-would-reset" => 409,
        #[error("{}", conflict_message(.0.as_ref()))]
        Conflict(Option<LastChange>) = "conflict" => 409,
    }
    standard,
    not_admin: AdminOnly,
}

code_parts!(KeyProblem {
    Missing = "missing",
    TooShort = "tooshort",
    TooLong = "toolong",
    BadCharacters = "badcharacters",
    BaseUrlMissing = "baseurlmissing",
    BaseUrlInvalid = "baseurlinvalid",
});

fn conflict_message(change: Option<&LastChange>) -> String {
    LastChange::conflict_message(change, "the model provider")
}

impl From<KeyProblem> for ProviderError {
    fn from(problem: KeyProblem) -> Self {
        ProviderError::Key(problem)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::boundary::{CodePart, Refusal};

    #[test]
    fn codes_read_back_as_their_errors() {
        for problem in [
            "missing",
            "tooshort",
            "toolong",
            "badcharacters",
            "baseurlmissing",
            "baseurlinvalid",
        ] {
            let error = ProviderError::Key(KeyProblem::from_code_part(problem).unwrap());
            assert_eq!(ProviderError::from_code(&error.code()), Some(error));
        }
        assert_eq!(ProviderError::from_code("provider-failed-x"), None);
    }
}
