use crate::boundary::LoadError;
use crate::features::rules::{FeatureChoices, FixedFeatures};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the Features section shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeaturesSnapshot {
    /// What applies: the operator's fixed values over the admins' choices.
    pub choices: FeatureChoices,
    /// Each choice's version, by its key.
    pub versions: BTreeMap<String, i64>,
    /// The choices the server configuration fixes; shown read-only.
    pub fixed: FixedFeatures,
    pub can_change: bool,
}

/// Who may use each AI feature, for any signed-in person of the workspace.
#[server(endpoint = "settings/ai/features/load")]
pub async fn load_features() -> Result<FeaturesSnapshot, LoadError> {
    use crate::features::service;

    crate::doors::load_for_actor(async |state, actor| {
        let loaded = async {
            let (choices, versions) = tokio::join!(
                service::applied(state, &actor.workspace),
                service::versions(state, &actor.workspace),
            );
            Ok::<_, sqlx::Error>((choices?, versions?))
        }
        .await;
        let (choices, versions) = loaded.map_err(|error| {
            tracing::error!(%error, "loading feature choices failed");
            LoadError::Unavailable
        })?;
        Ok(FeaturesSnapshot {
            choices,
            versions,
            fixed: state.deployment.fixed_features,
            can_change: actor.role.can_change_settings(),
        })
    })
    .await
}
