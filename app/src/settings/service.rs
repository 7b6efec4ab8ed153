//! The rules applied to every settings change, whoever asks: the page's
//! server functions today, other doors later. Storage errors are logged here
//! and leave as `SaveError::Unavailable`.

use super::store::{self, SwitchChange};
use super::{LoadError, SaveError};
use crate::accounts::session::Actor;
use crate::domain::{AiSettings, SavedSwitch, SwitchSetting, SwitchVersions, TrainingControl};
use crate::state::AppState;

/// Any signed-in person of the workspace may see its settings: what
/// applies, so values the operator fixed show as they are in force.
pub async fn load(
    state: &AppState,
    actor: &Actor,
) -> Result<(AiSettings, SwitchVersions), LoadError> {
    let loaded = async {
        let stored = store::load(&state.pool, &actor.workspace).await?;
        let settings = state.deployment.fixed.apply(stored);
        let versions = store::load_versions(&state.pool, &actor.workspace).await?;
        Ok::<_, sqlx::Error>((settings, versions))
    }
    .await;
    loaded.map_err(|error| {
        tracing::error!(%error, "loading AI settings failed");
        LoadError::Unavailable
    })
}

/// Saves one switch of the actor's workspace, if nobody changed it since
/// version `based_on`. Only admins may.
pub async fn set_switch(
    state: &AppState,
    actor: &Actor,
    setting: SwitchSetting,
    value: bool,
    based_on: i64,
) -> Result<SavedSwitch, SaveError> {
    if !actor.role.can_change_settings() {
        return Err(SaveError::AdminOnly);
    }
    if state.deployment.fixed.value_of(setting).is_some() {
        return Err(SaveError::FixedByServer);
    }
    if setting == SwitchSetting::TrainingAllowed
        && state.deployment.plan.training_control() == TrainingControl::NeverUsed
    {
        return Err(SaveError::TrainingFixedByPlan);
    }
    let change = SwitchChange {
        workspace: &actor.workspace,
        setting,
        value,
        based_on,
        actor_id: &actor.user_id,
        actor_name: &actor.name,
        at: state.clock.now(),
    };
    match store::change_switch(&state.pool, change).await {
        Ok(Ok(saved)) => Ok(saved),
        Ok(Err(last_change)) => Err(SaveError::Conflict(last_change)),
        Err(error) => {
            tracing::error!(%error, setting = setting.key(), "saving an AI setting failed");
            Err(SaveError::Unavailable)
        }
    }
}
