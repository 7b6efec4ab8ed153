//! Which models services may use: every model the provider offers, or a
//! selection, and a default that must be one of them. A model the provider
//! stopped offering stays in a selection, flagged, until an admin drops it.
//!
//! Layer: domain.

use serde::{Deserialize, Serialize};

/// What admins chose (or the operator fixed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelChoice {
    /// Every offered model may be used.
    pub all: bool,
    /// With `all` false: the models that may be used, sorted.
    pub allowed: Vec<String>,
    /// The model services use when they have no reason to pick another.
    pub default: Option<String>,
}

impl Default for ModelChoice {
    fn default() -> Self {
        ModelChoice {
            all: true,
            allowed: Vec::new(),
            default: None,
        }
    }
}

impl ModelChoice {
    /// Whether an admin changed anything from "all models, no default".
    pub fn is_customized(&self) -> bool {
        *self != ModelChoice::default()
    }

    /// The models services may use now, given what is `offered`.
    pub fn in_effect(&self, offered: &[String]) -> Vec<String> {
        if self.all {
            offered.to_vec()
        } else {
            self.allowed.clone()
        }
    }
}

/// Why a choice cannot be saved, as an instruction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ModelProblem {
    #[error("tick at least one model, or allow all models")]
    NoneChosen,
    #[error("choose a default model that is one of the allowed models, or no default")]
    DefaultNotAllowed,
    #[error("choose only models from the list")]
    UnknownModel,
}

/// Checks a choice against the models on offer. A model allowed before
/// (`kept`) may stay allowed even if the provider no longer offers it.
pub fn check(
    choice: &ModelChoice,
    offered: &[String],
    kept: &[String],
) -> Result<(), ModelProblem> {
    let known = |model: &String| offered.contains(model) || kept.contains(model);
    if !choice.all {
        if choice.allowed.is_empty() {
            return Err(ModelProblem::NoneChosen);
        }
        if !choice.allowed.iter().all(known) {
            return Err(ModelProblem::UnknownModel);
        }
    }
    if let Some(default) = &choice.default {
        let allowed = if choice.all {
            offered.contains(default)
        } else {
            choice.allowed.contains(default)
        };
        if !allowed {
            return Err(ModelProblem::DefaultNotAllowed);
        }
    }
    Ok(())
}

/// One model as the page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedModel {
    pub name: String,
    /// In the provider's latest list.
    pub offered: bool,
    /// Services may use it.
    pub allowed: bool,
    pub default: bool,
}

/// Every model offered or allowed, sorted, with what applies to it.
pub fn listing(offered: &[String], choice: &ModelChoice) -> Vec<ListedModel> {
    let mut names: Vec<&String> = offered.iter().chain(choice.allowed.iter()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .map(|name| ListedModel {
            name: name.clone(),
            offered: offered.contains(name),
            allowed: choice.all && offered.contains(name) || choice.allowed.contains(name),
            default: choice.default.as_ref() == Some(name),
        })
        .collect()
}

/// Models the operator fixed in the configuration.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FixedModels {
    /// `AI_MODELS_ALLOWED`: `all`, or a list.
    pub allowed: Option<FixedAllowed>,
    /// `AI_DEFAULT_MODEL`.
    pub default: Option<String>,
}

/// The models `AI_MODELS_ALLOWED` names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FixedAllowed {
    All,
    Only(Vec<String>),
}

impl FixedModels {
    pub fn is_fixed(&self) -> bool {
        self.allowed.is_some() || self.default.is_some()
    }

    /// What applies: the operator's values over the stored choice.
    pub fn apply(&self, mut stored: ModelChoice) -> ModelChoice {
        match &self.allowed {
            Some(FixedAllowed::All) => {
                stored.all = true;
                stored.allowed.clear();
            }
            Some(FixedAllowed::Only(models)) => {
                stored.all = false;
                stored.allowed = models.clone();
            }
            None => {}
        }
        if self.default.is_some() {
            stored.default = self.default.clone();
        }
        stored
    }
}

/// The managed provider's models unless `AI_MANAGED_MODELS` names others.
pub fn default_managed_models() -> Vec<String> {
    [
        "gpt-4.1",
        "gpt-4.1-mini",
        "gpt-4o",
        "gpt-4o-mini",
        "o3-mini",
    ]
    .map(str::to_string)
    .to_vec()
}

/// The variable that lists the managed provider's models.
pub const MANAGED_VARIABLE: &str = "AI_MANAGED_MODELS";

/// The variables that fix models.
pub const ALLOWED_VARIABLE: &str = "AI_MODELS_ALLOWED";
pub const DEFAULT_VARIABLE: &str = "AI_DEFAULT_MODEL";

/// What the Models section shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelsSnapshot {
    /// Every model offered or allowed, sorted.
    pub listed: Vec<ListedModel>,
    /// Every offered model is allowed.
    pub all: bool,
    pub default: Option<String>,
    pub version: i64,
    /// The list is the workspace key's provider's (else the managed one's).
    pub own_key: bool,
    /// The variables that fix the models, if any do.
    pub fixed_by: Option<String>,
    pub can_change: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|name| name.to_string()).collect()
    }

    fn only(allowed: &[&str], default: Option<&str>) -> ModelChoice {
        ModelChoice {
            all: false,
            allowed: names(allowed),
            default: default.map(str::to_string),
        }
    }

    #[test]
    fn the_default_must_be_allowed() {
        let offered = names(&["gpt-4o", "gpt-4o-mini", "o3-mini"]);
        assert_eq!(
            check(
                &only(&["gpt-4o", "o3-mini"], Some("o3-mini")),
                &offered,
                &[]
            ),
            Ok(())
        );
        assert_eq!(
            check(&only(&["gpt-4o"], Some("o3-mini")), &offered, &[]),
            Err(ModelProblem::DefaultNotAllowed)
        );
        let all = ModelChoice {
            default: Some("gpt-9".into()),
            ..ModelChoice::default()
        };
        assert_eq!(
            check(&all, &offered, &[]),
            Err(ModelProblem::DefaultNotAllowed)
        );
        assert_eq!(
            check(&only(&[], None), &offered, &[]),
            Err(ModelProblem::NoneChosen)
        );
        assert_eq!(
            check(&only(&["made-up"], None), &offered, &[]),
            Err(ModelProblem::UnknownModel)
        );
    }

    #[test]
    fn a_model_the_provider_dropped_stays_listed_and_flagged_while_allowed() {
        let choice = only(&["gpt-4o", "o3-mini"], Some("gpt-4o"));
        let refreshed = names(&["gpt-4.1", "gpt-4o"]);
        let listed = listing(&refreshed, &choice);
        let dropped = listed.iter().find(|model| model.name == "o3-mini").unwrap();
        assert!(dropped.allowed && !dropped.offered);
        assert!(
            !listed
                .iter()
                .find(|model| model.name == "gpt-4.1")
                .unwrap()
                .allowed
        );
        // Keeping it allowed is still a valid choice.
        assert_eq!(check(&choice, &refreshed, &choice.allowed), Ok(()));
        assert_eq!(choice.in_effect(&refreshed), names(&["gpt-4o", "o3-mini"]));
    }

    #[test]
    fn all_models_follow_the_offer() {
        let offered = names(&["a", "b"]);
        assert_eq!(ModelChoice::default().in_effect(&offered), offered);
        assert!(!ModelChoice::default().is_customized());
        assert!(only(&["a"], None).is_customized());
    }
}
