use crate::domain::SavedSwitch;
use crate::settings::SaveError;
use leptos::prelude::*;

/// Records whether the workspace's AI sessions may be used to improve AI
/// features. Refused on plans that never use them for training.
#[server(endpoint = "settings/ai/training")]
pub async fn set_training_allowed(allowed: bool, version: i64) -> Result<SavedSwitch, SaveError> {
    super::switch_save::save(
        crate::domain::SwitchSetting::TrainingAllowed,
        allowed,
        version,
    )
    .await
}
