//! The rules applied to every settings change, whoever asks: the page's
//! server functions today, other doors later. Storage errors are logged here
//! and leave as `SaveError::Unavailable`.

use super::{store, LoadError, SaveError};
use crate::domain::{AiSettings, SwitchSetting, TrainingControl};
use crate::state::AppState;

pub async fn load(state: &AppState) -> Result<AiSettings, LoadError> {
    store::load(&state.pool, &state.deployment.workspace)
        .await
        .map_err(|error| {
            tracing::error!(%error, "loading AI settings failed");
            LoadError::Unavailable
        })
}

/// Saves one switch and returns the value now stored.
pub async fn set_switch(
    state: &AppState,
    setting: SwitchSetting,
    value: bool,
) -> Result<bool, SaveError> {
    if setting == SwitchSetting::TrainingAllowed
        && state.deployment.plan.training_control() == TrainingControl::NeverUsed
    {
        return Err(SaveError::TrainingFixedByPlan);
    }
    store::save_switch(&state.pool, &state.deployment.workspace, setting, value)
        .await
        .map_err(|error| {
            tracing::error!(%error, setting = setting.key(), "saving an AI setting failed");
            SaveError::Unavailable
        })?;
    Ok(value)
}
