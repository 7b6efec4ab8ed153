//! The rules applied to every settings change, whoever asks: the page's
//! server functions today, other doors later. Storage errors are logged here
//! and leave as `SaveError::Unavailable`.

use super::{store, LoadError, SaveError};
use crate::accounts::session::Actor;
use crate::domain::{AiSettings, SwitchSetting, TrainingControl};
use crate::state::AppState;

/// Any signed-in person of the workspace may see its settings.
pub async fn load(state: &AppState, actor: &Actor) -> Result<AiSettings, LoadError> {
    store::load(&state.pool, &actor.workspace)
        .await
        .map_err(|error| {
            tracing::error!(%error, "loading AI settings failed");
            LoadError::Unavailable
        })
}

/// Saves one switch of the actor's workspace and returns the value now
/// stored. Only admins may.
pub async fn set_switch(
    state: &AppState,
    actor: &Actor,
    setting: SwitchSetting,
    value: bool,
) -> Result<bool, SaveError> {
    if !actor.role.can_change_settings() {
        return Err(SaveError::AdminOnly);
    }
    if setting == SwitchSetting::TrainingAllowed
        && state.deployment.plan.training_control() == TrainingControl::NeverUsed
    {
        return Err(SaveError::TrainingFixedByPlan);
    }
    store::save_switch(&state.pool, &actor.workspace, setting, value)
        .await
        .map_err(|error| {
            tracing::error!(%error, setting = setting.key(), "saving an AI setting failed");
            SaveError::Unavailable
        })?;
    Ok(value)
}
