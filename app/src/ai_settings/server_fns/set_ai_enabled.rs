use crate::ai_settings::{SaveError, SavedSwitch};
use leptos::prelude::*;

/// Turns AI features on or off for the whole workspace. Provider settings
/// are untouched either way.
#[server(endpoint = "settings/ai/enabled")]
pub async fn set_ai_enabled(enabled: bool, version: i64) -> Result<SavedSwitch, SaveError> {
    super::switch_save::save(
        crate::ai_settings::SwitchSetting::AiEnabled,
        enabled,
        version,
    )
    .await
}
