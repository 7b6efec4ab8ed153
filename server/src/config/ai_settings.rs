//! The plan and the two settings an operator may fix instead of the page:
//! whether AI features run (`AI_FEATURES`) and training (`AI_TRAINING`).

use super::{read::Variables, ConfigError};
use app::ai_settings::fixed::FixedSettings;
use app::domain::{Plan, TrainingControl};

/// `AI_PLAN`, by default the team plan.
pub fn plan(vars: &Variables) -> Result<Plan, ConfigError> {
    match vars.value("AI_PLAN")? {
        Some(plan) => plan.parse().map_err(ConfigError::Plan),
        None => Ok(Plan::default()),
    }
}

/// The fixed settings, refusing one the plan contradicts.
pub fn fixed(vars: &Variables, plan: Plan) -> Result<FixedSettings, ConfigError> {
    let fixed = FixedSettings {
        ai_enabled: vars.switch("AI_FEATURES")?,
        training_allowed: vars.switch("AI_TRAINING")?,
    };
    if fixed.training_allowed == Some(true) && plan.training_control() == TrainingControl::NeverUsed
    {
        return Err(ConfigError::TrainingOnEnterprise);
    }
    Ok(fixed)
}
