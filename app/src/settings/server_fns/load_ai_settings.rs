use crate::domain::{AiSettings, Plan};
use crate::settings::LoadError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Everything the page needs to draw the AI switches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsSnapshot {
    pub settings: AiSettings,
    pub plan: Plan,
}

#[server(endpoint = "settings/ai/load")]
pub async fn load_ai_settings() -> Result<SettingsSnapshot, LoadError> {
    use crate::{settings::service, state};

    let state = state::current().ok_or(LoadError::Unavailable)?;
    let settings = service::load(&state).await?;
    Ok(SettingsSnapshot {
        settings,
        plan: state.deployment.plan,
    })
}
