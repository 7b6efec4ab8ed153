use crate::domain::{AiSettings, Plan, Viewer};
use crate::settings::LoadError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Everything the page needs to draw the AI switches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsSnapshot {
    pub settings: AiSettings,
    pub plan: Plan,
    pub viewer: Viewer,
}

#[server(endpoint = "settings/ai/load")]
pub async fn load_ai_settings() -> Result<SettingsSnapshot, LoadError> {
    use crate::{accounts::session, settings::service, state};

    let snapshot = async {
        let state = state::current().ok_or(LoadError::Unavailable)?;
        let actor = session::current_actor(&state)
            .await
            .map_err(|error| {
                tracing::error!(%error, "reading the session failed");
                LoadError::Unavailable
            })?
            .ok_or(LoadError::SignInRequired)?;
        let settings = service::load(&state, &actor).await?;
        Ok(SettingsSnapshot {
            settings,
            plan: state.deployment.plan,
            viewer: actor.viewer(),
        })
    }
    .await;
    crate::http_status::answer_with(&snapshot);
    snapshot
}
