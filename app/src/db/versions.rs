//! Optimistic versions of settings, shared by every screen that saves one:
//! a save names the version it was based on and wins only if nobody else
//! saved since.

use super::Tx;
use crate::domain::{LastChange, SettingVersion, WorkspaceId};
use sqlx::AnyExecutor;

/// Who last changed a setting, as stored beside its version.
#[derive(Debug, sqlx::FromRow)]
pub struct LastChangeRow {
    pub changed_by_name: Option<String>,
    pub changed_at: Option<i64>,
}

impl LastChangeRow {
    /// `None` for a setting nobody changed yet.
    pub fn into_last_change(self) -> Option<LastChange> {
        self.changed_by_name
            .zip(self.changed_at)
            .map(|(by, at)| LastChange { by, at })
    }
}

#[derive(Debug, sqlx::FromRow)]
struct VersionRow {
    version: i64,
    #[sqlx(flatten)]
    last_change: LastChangeRow,
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
    let last: LastChangeRow = sqlx::query_as(
        "SELECT changed_by_name, changed_at FROM setting_versions WHERE workspace_id = $1 AND setting = $2",
    )
    .bind(workspace.as_str())
    .bind(setting)
    .fetch_one(&mut **tx)
    .await?;
    Ok(Err(last.into_last_change()))
}

/// The version of one setting (0 if it never changed).
pub async fn version_of(
    db: impl AnyExecutor<'_>,
    workspace: &WorkspaceId,
    setting: &str,
) -> Result<SettingVersion, sqlx::Error> {
    let row: Option<VersionRow> = sqlx::query_as(
        "SELECT version, changed_by_name, changed_at FROM setting_versions WHERE workspace_id = $1 AND setting = $2",
    )
    .bind(workspace.as_str())
    .bind(setting)
    .fetch_optional(db)
    .await?;
    Ok(match row {
        Some(row) => SettingVersion {
            version: row.version,
            last_change: row.last_change.into_last_change(),
        },
        None => SettingVersion::default(),
    })
}

/// "Changed by" notes naming `name` name `pseudonym` instead (a deleted
/// person's).
pub async fn rename_changer(
    db: impl AnyExecutor<'_>,
    workspace: &WorkspaceId,
    name: &str,
    pseudonym: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE setting_versions SET changed_by_name = $3
         WHERE workspace_id = $1 AND changed_by_name = $2",
    )
    .bind(workspace.as_str())
    .bind(name)
    .bind(pseudonym)
    .execute(db)
    .await?;
    Ok(())
}

/// A deleted person's "changed by" notes name their pseudonym.
pub async fn forget_person(
    tx: &mut Tx<'_>,
    workspace: &WorkspaceId,
    person: &crate::domain::FormerPerson,
) -> Result<(), sqlx::Error> {
    for name in person.names() {
        rename_changer(&mut **tx, workspace, name, &person.pseudonym).await?;
    }
    Ok(())
}

pub const ERASER: super::erasure::Eraser =
    crate::eraser!("the \"changed by\" notes of settings", forget_person);
