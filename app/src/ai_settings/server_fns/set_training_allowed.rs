use crate::ai_settings::{SaveError, SavedSwitch};
use leptos::prelude::*;

/// Records whether the workspace's AI sessions may be used to improve AI
/// features. Refused on plans that never use them for training.
#[server(endpoint = "settings/ai/training")]
pub async fn set_training_allowed(allowed: bool, version: i64) -> Result<SavedSwitch, SaveError> {
    super::switch_save::save(
        crate::ai_settings::SwitchSetting::TrainingAllowed,
        allowed,
        version,
    )
    .await
}
