//! SQL for the workspace's AI switches. The schema lives in
//! `app/migrations`; a missing row means the workspace never changed a
//! setting and has the defaults.

use crate::domain::{AiSettings, SwitchSetting};
use crate::workspace::WorkspaceId;
use sqlx::SqlitePool;

pub async fn load(pool: &SqlitePool, workspace: &WorkspaceId) -> Result<AiSettings, sqlx::Error> {
    let row: Option<(bool, bool)> = sqlx::query_as(
        "SELECT ai_enabled, training_allowed FROM workspace_ai_settings WHERE workspace_id = $1",
    )
    .bind(workspace.as_str())
    .fetch_optional(pool)
    .await?;
    Ok(match row {
        Some((ai_enabled, training_allowed)) => AiSettings {
            ai_enabled,
            training_allowed,
        },
        None => AiSettings::default(),
    })
}

/// Stores one switch. Only that column changes, so two admins flipping
/// different switches at the same moment never undo each other. A workspace
/// without a row gets one, with the defaults for every other setting.
pub async fn save_switch(
    pool: &SqlitePool,
    workspace: &WorkspaceId,
    setting: SwitchSetting,
    value: bool,
) -> Result<(), sqlx::Error> {
    let mut row = AiSettings::default();
    let update = match setting {
        SwitchSetting::AiEnabled => {
            row.ai_enabled = value;
            "ai_enabled = excluded.ai_enabled"
        }
        SwitchSetting::TrainingAllowed => {
            row.training_allowed = value;
            "training_allowed = excluded.training_allowed"
        }
    };
    let sql = format!(
        "INSERT INTO workspace_ai_settings (workspace_id, ai_enabled, training_allowed, updated_at)
         VALUES ($1, $2, $3, CURRENT_TIMESTAMP)
         ON CONFLICT (workspace_id) DO UPDATE SET {update}, updated_at = excluded.updated_at"
    );
    sqlx::query(&sql)
        .bind(workspace.as_str())
        .bind(row.ai_enabled)
        .bind(row.training_allowed)
        .execute(pool)
        .await?;
    Ok(())
}
