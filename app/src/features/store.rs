//! SQL for per-feature choices. Schema: `app/migrations/*/…_feature_choices.sql`.

use super::rules::{AgentActions, Audience, Feature, FeatureChoices, FEATURES};
use crate::db::Tx;
use crate::db::UnknownName;
use crate::domain::WorkspaceId;
use sqlx::AnyExecutor;

pub use super::store_keys::AGENT_ACTIONS;

#[derive(sqlx::FromRow)]
struct ChoiceRow {
    choice: String,
    value: String,
}

/// The workspace's stored choices over the defaults. A value this build
/// does not know is a decode error, never silently a default.
pub async fn load(
    db: impl AnyExecutor<'_>,
    workspace: &WorkspaceId,
) -> Result<FeatureChoices, sqlx::Error> {
    let rows: Vec<ChoiceRow> =
        sqlx::query_as("SELECT choice, value FROM feature_choices WHERE workspace_id = $1")
            .bind(workspace.as_str())
            .fetch_all(db)
            .await?;
    let mut choices = FeatureChoices::default();
    for row in rows {
        let unknown = || {
            sqlx::Error::Decode(Box::new(UnknownName {
                kind: "feature choice",
                name: row.value.clone(),
            }))
        };
        if row.choice == AGENT_ACTIONS {
            choices.agent_actions = AgentActions::from_key(&row.value).ok_or_else(unknown)?;
        } else if let Some(feature) = Feature::from_key(&row.choice) {
            choices.set(feature, Audience::from_key(&row.value).ok_or_else(unknown)?);
        }
    }
    Ok(choices)
}

/// Stores one choice (`choice` is a feature's key or [`AGENT_ACTIONS`]).
pub async fn save(
    tx: &mut Tx<'_>,
    workspace: &WorkspaceId,
    choice: &str,
    value: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO feature_choices (workspace_id, choice, value) VALUES ($1, $2, $3)
         ON CONFLICT (workspace_id, choice) DO UPDATE SET value = excluded.value",
    )
    .bind(workspace.as_str())
    .bind(choice)
    .bind(value)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The version key of a choice in `setting_versions`.
pub fn version_key(choice: &str) -> String {
    format!("feature.{choice}")
}

/// Every choice's key: the features', then the agents' actions.
pub fn choice_keys() -> impl Iterator<Item = &'static str> {
    FEATURES
        .iter()
        .map(|spec| spec.key)
        .chain(std::iter::once(AGENT_ACTIONS))
}
