//! SQL for the workspace's AI switches. The schema lives in
//! `app/migrations`; a missing row means the workspace never changed a
//! setting and has the defaults.

use crate::audit::store as audit;
use crate::db::{Flag, Pool, Tx};
use crate::domain::{
    on_off, AiSettings, LastChange, SavedSwitch, SettingVersion, SwitchSetting, SwitchVersions,
};
use crate::workspace::WorkspaceId;
use sqlx::AnyExecutor;

pub async fn load(
    db: impl AnyExecutor<'_>,
    workspace: &WorkspaceId,
) -> Result<AiSettings, sqlx::Error> {
    let row: Option<(Flag, Flag)> = sqlx::query_as(
        "SELECT ai_enabled, training_allowed FROM workspace_ai_settings WHERE workspace_id = $1",
    )
    .bind(workspace.as_str())
    .fetch_optional(db)
    .await?;
    Ok(match row {
        Some((ai_enabled, training_allowed)) => AiSettings {
            ai_enabled: ai_enabled.into(),
            training_allowed: training_allowed.into(),
        },
        None => AiSettings::default(),
    })
}

pub async fn load_versions(
    pool: &Pool,
    workspace: &WorkspaceId,
) -> Result<SwitchVersions, sqlx::Error> {
    let rows: Vec<(String, i64, Option<String>, Option<i64>)> = sqlx::query_as(
        "SELECT setting, version, changed_by_name, changed_at FROM setting_versions WHERE workspace_id = $1",
    )
    .bind(workspace.as_str())
    .fetch_all(pool)
    .await?;
    let mut versions = SwitchVersions::default();
    for (key, version, by, at) in rows {
        let entry = SettingVersion {
            version,
            last_change: by.zip(at).map(|(by, at)| LastChange { by, at }),
        };
        match SwitchSetting::from_key(&key) {
            Some(SwitchSetting::AiEnabled) => versions.ai_enabled = entry,
            Some(SwitchSetting::TrainingAllowed) => versions.training_allowed = entry,
            None => {}
        }
    }
    Ok(versions)
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
    pool: &Pool,
    change: SwitchChange<'_>,
) -> Result<Result<SavedSwitch, Option<LastChange>>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let claimed = claim_version(
        &mut tx,
        change.workspace,
        change.setting.key(),
        change.based_on,
        change.actor_name,
        change.at,
    )
    .await?;
    if let Err(last_change) = claimed {
        tx.rollback().await?;
        return Ok(Err(last_change));
    }

    let old = change
        .setting
        .value_in(&load(&mut *tx, change.workspace).await?);
    save_switch(&mut *tx, change.workspace, change.setting, change.value).await?;
    audit::record(
        &mut *tx,
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
    tx.commit().await?;
    Ok(Ok(SavedSwitch {
        value: change.value,
        version: change.based_on + 1,
    }))
}

/// Moves `setting` from version `based_on` to the next, recording who
/// changed it. If another change came first, changes nothing and says who
/// made that one. The caller's transaction holds the write from here on.
pub async fn claim_version(
    tx: &mut Tx<'_>,
    workspace: &WorkspaceId,
    setting: &str,
    based_on: i64,
    actor_name: &str,
    at: i64,
) -> Result<Result<(), Option<LastChange>>, sqlx::Error> {
    // Writing first takes SQLite's write lock at once, so concurrent saves
    // queue here instead of failing to upgrade a read lock later.
    sqlx::query(
        "INSERT INTO setting_versions (workspace_id, setting, version) VALUES ($1, $2, 0)
         ON CONFLICT (workspace_id, setting) DO NOTHING",
    )
    .bind(workspace.as_str())
    .bind(setting)
    .execute(&mut **tx)
    .await?;
    let won = sqlx::query(
        "UPDATE setting_versions SET version = version + 1, changed_by_name = $4, changed_at = $5
         WHERE workspace_id = $1 AND setting = $2 AND version = $3",
    )
    .bind(workspace.as_str())
    .bind(setting)
    .bind(based_on)
    .bind(actor_name)
    .bind(at)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1;
    if won {
        return Ok(Ok(()));
    }
    let (by, at): (Option<String>, Option<i64>) = sqlx::query_as(
        "SELECT changed_by_name, changed_at FROM setting_versions WHERE workspace_id = $1 AND setting = $2",
    )
    .bind(workspace.as_str())
    .bind(setting)
    .fetch_one(&mut **tx)
    .await?;
    Ok(Err(by.zip(at).map(|(by, at)| LastChange { by, at })))
}

/// The version of one setting (0 if it never changed).
pub async fn version_of(
    db: impl AnyExecutor<'_>,
    workspace: &WorkspaceId,
    setting: &str,
) -> Result<SettingVersion, sqlx::Error> {
    let row: Option<(i64, Option<String>, Option<i64>)> = sqlx::query_as(
        "SELECT version, changed_by_name, changed_at FROM setting_versions WHERE workspace_id = $1 AND setting = $2",
    )
    .bind(workspace.as_str())
    .bind(setting)
    .fetch_optional(db)
    .await?;
    Ok(match row {
        Some((version, by, at)) => SettingVersion {
            version,
            last_change: by.zip(at).map(|(by, at)| LastChange { by, at }),
        },
        None => SettingVersion::default(),
    })
}

/// Stores one switch. Only that column changes, so two admins flipping
/// different switches at the same moment never undo each other. A workspace
/// without a row gets one, with the defaults for every other setting.
pub async fn save_switch(
    db: impl AnyExecutor<'_>,
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
        .execute(db)
        .await?;
    Ok(())
}
