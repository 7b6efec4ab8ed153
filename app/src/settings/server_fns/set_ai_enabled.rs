use crate::domain::SavedSwitch;
use crate::settings::SaveError;
use leptos::prelude::*;

/// Turns AI features on or off for the whole workspace. Provider settings
/// are untouched either way.
#[server(endpoint = "settings/ai/enabled")]
pub async fn set_ai_enabled(enabled: bool, version: i64) -> Result<SavedSwitch, SaveError> {
    super::switch_save::save(crate::domain::SwitchSetting::AiEnabled, enabled, version).await
}
