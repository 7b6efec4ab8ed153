//! Feature choices and models the operator fixes (`AI_FEATURE_<FEATURE>`,
//! `AI_AGENTS_ACTIONS`, `AI_MANAGED_MODELS`, `AI_MODELS_ALLOWED`,
//! `AI_DEFAULT_MODEL`).

use super::{
    read::{split_list, Variables},
    ConfigError,
};
use app::features::rules::{AgentActions, Audience, FixedFeatures, FEATURES};
use app::models::rules::{
    default_managed_models, FixedAllowed, FixedModels, ALLOWED_VARIABLE, DEFAULT_VARIABLE,
    MANAGED_VARIABLE,
};

pub fn fixed_features(vars: &Variables) -> Result<FixedFeatures, ConfigError> {
    let mut fixed = FixedFeatures::default();
    for spec in FEATURES {
        let audience = vars.choice(
            spec.variable,
            Audience::from_key,
            "everyone, admins, no-one",
        )?;
        if let Some(audience) = audience {
            fixed.set(spec.feature, audience);
        }
    }
    fixed.agent_actions = vars.choice(
        AgentActions::VARIABLE,
        AgentActions::from_key,
        "propose, apply",
    )?;
    Ok(fixed)
}

/// The managed provider's models, by default the shipped list.
pub fn managed_models(vars: &Variables) -> Result<Vec<String>, ConfigError> {
    match vars.value(MANAGED_VARIABLE)? {
        Some(text) => model_list(MANAGED_VARIABLE, &text, ""),
        None => Ok(default_managed_models()),
    }
}

/// The allow-list and default, refusing a default the list excludes.
pub fn fixed_models(vars: &Variables) -> Result<FixedModels, ConfigError> {
    let fixed = FixedModels {
        allowed: match vars.value(ALLOWED_VARIABLE)? {
            Some(text) if text.trim() == "all" => Some(FixedAllowed::All),
            Some(text) => Some(FixedAllowed::Only(model_list(
                ALLOWED_VARIABLE,
                &text,
                ", or all",
            )?)),
            None => None,
        },
        default: vars
            .value(DEFAULT_VARIABLE)?
            .map(|text| text.trim().to_string()),
    };
    if let (Some(FixedAllowed::Only(allowed)), Some(default)) = (&fixed.allowed, &fixed.default) {
        if !allowed.contains(default) {
            return Err(ConfigError::DefaultModelNotAllowed(default.clone()));
        }
    }
    Ok(fixed)
}

/// Model names separated by commas: at least one, each printable ASCII.
fn model_list(
    name: &'static str,
    text: &str,
    also: &'static str,
) -> Result<Vec<String>, ConfigError> {
    let models = split_list(text);
    let plain = models
        .iter()
        .all(|model| model.len() <= 200 && model.chars().all(|c| c.is_ascii_graphic()));
    if models.is_empty() || !plain {
        return Err(ConfigError::Models {
            name,
            value: text.to_string(),
            also,
        });
    }
    Ok(models)
}
