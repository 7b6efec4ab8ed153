use crate::ai_settings::fixed::FixedSettings;
use crate::ai_settings::{AiSettings, SwitchVersions};
use crate::boundary::LoadError;
use crate::domain::Plan;
use crate::use_cases::viewer::Viewer;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Everything the page needs to draw the AI switches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsSnapshot {
    pub settings: AiSettings,
    pub versions: SwitchVersions,
    pub plan: Plan,
    pub viewer: Viewer,
    /// Settings the server configuration fixes; shown read-only.
    pub fixed: FixedSettings,
}

/// The switches as they apply, for any signed-in person of the workspace.
#[server(endpoint = "settings/ai/load")]
pub async fn load_ai_settings() -> Result<SettingsSnapshot, LoadError> {
    use crate::ai_settings::service;

    crate::doors::load_for_actor(async |state, actor| {
        let (settings, versions) = service::load(state, &actor.workspace).await?;
        Ok(SettingsSnapshot {
            settings,
            versions,
            plan: state.deployment.plan,
            viewer: crate::use_cases::viewer::of(state, actor).await,
            fixed: state.deployment.fixed,
        })
    })
    .await
}
