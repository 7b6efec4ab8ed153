//! The rules applied to every settings change, whoever asks: the page's
//! server functions today, other doors later. Storage errors are logged here
//! and leave as `SaveError::Unavailable`.

use super::store::{self, SwitchChange};
use super::{AiSettings, SaveError, SavedSwitch, SwitchSetting, SwitchVersions};
use crate::accounts::session::Admin;
use crate::boundary::LoadError;
use crate::domain::TrainingControl;
use crate::domain::WorkspaceId;
use crate::state::AppState;

/// The settings that apply to `workspace`: the stored choices under the
/// values the operator fixed. What every other screen and the policy API
/// read.
pub async fn applied(state: &AppState, workspace: &WorkspaceId) -> Result<AiSettings, sqlx::Error> {
    let stored = store::load(&state.pool, workspace).await?;
    Ok(state.deployment.fixed.apply(stored))
}

/// Any signed-in person of the workspace may see its settings: what
/// applies, so values the operator fixed show as they are in force.
pub async fn load(
    state: &AppState,
    workspace: &WorkspaceId,
) -> Result<(AiSettings, SwitchVersions), LoadError> {
    let loaded = async {
        let (settings, versions) = tokio::join!(
            applied(state, workspace),
            store::load_versions(&state.pool, workspace),
        );
        Ok::<_, sqlx::Error>((settings?, versions?))
    }
    .await;
    loaded.map_err(|error| {
        tracing::error!(%error, "loading AI settings failed");
        LoadError::Unavailable
    })
}

/// Saves one switch of the actor's workspace, if nobody changed it since
/// version `based_on`.
pub async fn set_switch(
    state: &AppState,
    admin: &Admin,
    setting: SwitchSetting,
    value: bool,
    based_on: i64,
) -> Result<SavedSwitch, SaveError> {
    if state.deployment.fixed.value_of(setting).is_some() {
        return Err(SaveError::FixedByServer);
    }
    if setting == SwitchSetting::TrainingAllowed
        && state.deployment.plan.training_control() == TrainingControl::NeverUsed
    {
        return Err(SaveError::TrainingFixedByPlan);
    }
    let change = SwitchChange {
        workspace: &admin.workspace,
        setting,
        value,
        based_on,
        actor_id: &admin.user_id,
        actor_name: &admin.name,
        at: state.clock.now(),
    };
    let saved = crate::db::write_policy(state, &admin.workspace, async |tx| {
        store::change_switch(tx, change).await
    })
    .await;
    match saved {
        Ok(Ok(saved)) => Ok(saved),
        Ok(Err(last_change)) => Err(SaveError::Conflict(last_change)),
        Err(error) => {
            tracing::error!(%error, setting = setting.key(), "saving an AI setting failed");
            Err(SaveError::Unavailable)
        }
    }
}
