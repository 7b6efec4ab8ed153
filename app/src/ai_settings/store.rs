//! SQL for the workspace's AI switches. The schema lives in
//! `app/migrations`; a missing row means the workspace never changed a
//! setting and has the defaults.

use super::{on_off, AiSettings, SavedSwitch, SwitchSetting, SwitchVersions};
use crate::activity::log as audit;
use crate::db::versions::{claim_version, version_of};
use crate::db::{Flag, Pool, Tx};
use crate::domain::LastChange;

use crate::domain::WorkspaceId;
use sqlx::AnyExecutor;

#[derive(Debug, sqlx::FromRow)]
struct SettingsRow {
    ai_enabled: Flag,
    training_allowed: Flag,
}

/// The stored switches of `workspace` (defaults if it never saved).
pub async fn load(
    db: impl AnyExecutor<'_>,
    workspace: &WorkspaceId,
) -> Result<AiSettings, sqlx::Error> {
    let row: Option<SettingsRow> = sqlx::query_as(
        "SELECT ai_enabled, training_allowed FROM workspace_ai_settings WHERE workspace_id = $1",
    )
    .bind(workspace.as_str())
    .fetch_optional(db)
    .await?;
    Ok(match row {
        Some(row) => AiSettings {
            ai_enabled: row.ai_enabled.into(),
            training_allowed: row.training_allowed.into(),
        },
        None => AiSettings::default(),
    })
}

/// The version of each switch of `workspace`.
pub async fn load_versions(
    pool: &Pool,
    workspace: &WorkspaceId,
) -> Result<SwitchVersions, sqlx::Error> {
    Ok(SwitchVersions {
        ai_enabled: version_of(pool, workspace, SwitchSetting::AiEnabled.key()).await?,
        training_allowed: version_of(pool, workspace, SwitchSetting::TrainingAllowed.key()).await?,
    })
}

/// One admin's change of one switch.
pub struct SwitchChange<'a> {
    pub workspace: &'a WorkspaceId,
    pub setting: SwitchSetting,
    pub value: bool,
    /// The version the admin's page showed.
    pub based_on: i64,
    pub actor_id: &'a str,
    pub actor_name: &'a str,
    pub at: i64,
}

/// Applies `change` if the switch is still at the version it was based on:
/// bumps the version, stores the value and writes the audit entry, all in
/// one transaction. Otherwise changes nothing and says who changed it.
pub async fn change_switch(
    tx: &mut Tx<'_>,
    change: SwitchChange<'_>,
) -> Result<Result<SavedSwitch, Option<LastChange>>, sqlx::Error> {
    let claimed = claim_version(
        tx,
        change.workspace,
        change.setting.key(),
        change.based_on,
        change.actor_name,
        change.at,
    )
    .await?;
    if let Err(last_change) = claimed {
        return Ok(Err(last_change));
    }

    let old = change
        .setting
        .value_in(&load(&mut **tx, change.workspace).await?);
    save_switch(
        tx,
        change.workspace,
        change.setting,
        change.value,
        change.at,
    )
    .await?;
    audit::record(
        tx,
        audit::NewEntry {
            workspace: change.workspace,
            at: change.at,
            actor_id: Some(change.actor_id),
            actor_name: change.actor_name,
            subject: change.setting.title(),
            old_value: Some(on_off(old)),
            new_value: Some(on_off(change.value)),
        },
    )
    .await?;
    Ok(Ok(SavedSwitch {
        value: change.value,
        version: change.based_on + 1,
    }))
}

/// Stores one switch. Only that column changes, so two admins flipping
/// different switches at the same moment never undo each other. A workspace
/// without a row gets one, with the defaults for every other setting.
pub async fn save_switch(
    tx: &mut Tx<'_>,
    workspace: &WorkspaceId,
    setting: SwitchSetting,
    value: bool,
    at: i64,
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
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (workspace_id) DO UPDATE SET {update}, updated_at = excluded.updated_at"
    );
    sqlx::query(&sql)
        .bind(workspace.as_str())
        .bind(row.ai_enabled)
        .bind(row.training_allowed)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
