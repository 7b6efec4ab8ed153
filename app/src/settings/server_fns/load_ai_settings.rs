use crate::domain::fixed::FixedSettings;
use crate::domain::{AiSettings, Plan, SwitchVersions, Viewer};
use crate::settings::LoadError;
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

#[server(endpoint = "settings/ai/load")]
pub async fn load_ai_settings() -> Result<SettingsSnapshot, LoadError> {
    use crate::{accounts::session, settings::service, state};

    let snapshot = async {
        let state = state::current().ok_or(LoadError::Unavailable)?;
        let actor = session::require_actor(&state).await?;
        let (settings, versions) = service::load(&state, &actor).await?;
        Ok(SettingsSnapshot {
            settings,
            versions,
            plan: state.deployment.plan,
            viewer: actor.viewer(),
            fixed: state.deployment.fixed,
        })
    }
    .await;
    crate::http_status::answer_with(&snapshot);
    snapshot
}
