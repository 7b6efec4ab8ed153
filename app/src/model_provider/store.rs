//! SQL for sealed provider keys. Schema: `app/migrations/0007_*`.

use super::cipher::Sealed;
use super::rules::KeyProvider;
use crate::db::Tx;
use crate::domain::WorkspaceId;
use sqlx::AnyExecutor;

/// A stored key, still sealed. A row whose provider this build does not
/// know fails to decode: an error, never a silently missing key.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct KeyRecord {
    pub id: String,
    #[sqlx(rename = "workspace_id", try_from = "String")]
    pub workspace: WorkspaceId,
    #[sqlx(try_from = "String")]
    pub provider: KeyProvider,
    pub base_url: Option<String>,
    #[sqlx(flatten)]
    pub sealed: Sealed,
    pub last4: String,
    pub added_by_name: String,
    pub added_at: i64,
    pub verified_at: i64,
    pub usable_until: Option<i64>,
}

const KEY_COLUMNS: &str =
    "id, workspace_id, provider, base_url, master_key_id, nonce, ciphertext, \
     last4, added_by_name, added_at, verified_at, usable_until";

/// The key serving the workspace now, if it has one.
pub async fn current(
    db: impl AnyExecutor<'_>,
    workspace: &WorkspaceId,
) -> Result<Option<KeyRecord>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {KEY_COLUMNS} FROM provider_keys WHERE workspace_id = $1 AND replaced_at IS NULL"
    ))
    .bind(workspace.as_str())
    .fetch_optional(db)
    .await
}

/// The most recently replaced key still within its grace period.
pub async fn retiring(
    db: impl AnyExecutor<'_>,
    workspace: &WorkspaceId,
    now: i64,
) -> Result<Option<KeyRecord>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {KEY_COLUMNS} FROM provider_keys
         WHERE workspace_id = $1 AND replaced_at IS NOT NULL AND usable_until > $2
         ORDER BY replaced_at DESC LIMIT 1"
    ))
    .bind(workspace.as_str())
    .bind(now)
    .fetch_optional(db)
    .await
}

/// A verified, sealed key to store as the workspace's current one.
pub struct NewKey<'a> {
    pub id: &'a str,
    pub workspace: &'a WorkspaceId,
    pub provider: KeyProvider,
    pub base_url: Option<&'a str>,
    pub sealed: &'a Sealed,
    pub last4: &'a str,
    pub added_by_name: &'a str,
    pub at: i64,
}

/// Retires the current key (usable until `usable_until`) and stores the
/// new one as current.
pub async fn replace_current(
    tx: &mut Tx<'_>,
    key: NewKey<'_>,
    usable_until: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE provider_keys SET replaced_at = $2, usable_until = $3
         WHERE workspace_id = $1 AND replaced_at IS NULL",
    )
    .bind(key.workspace.as_str())
    .bind(key.at)
    .bind(usable_until)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO provider_keys
           (id, workspace_id, provider, base_url, master_key_id, nonce, ciphertext, last4,
            added_by_name, added_at, verified_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
    )
    .bind(key.id)
    .bind(key.workspace.as_str())
    .bind(key.provider.key())
    .bind(key.base_url)
    .bind(&key.sealed.master_key_id)
    .bind(&key.sealed.nonce)
    .bind(&key.sealed.ciphertext)
    .bind(key.last4)
    .bind(key.added_by_name)
    .bind(key.at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Deletes every key of the workspace, current and retiring.
pub async fn delete_all(tx: &mut Tx<'_>, workspace: &WorkspaceId) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM provider_keys WHERE workspace_id = $1")
        .bind(workspace.as_str())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The workspaces that have a replaced key whose grace period is over.
pub async fn workspaces_with_expired_keys(
    db: impl AnyExecutor<'_>,
    now: i64,
) -> Result<Vec<WorkspaceId>, sqlx::Error> {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT workspace_id FROM provider_keys
         WHERE usable_until IS NOT NULL AND usable_until <= $1",
    )
    .bind(now)
    .fetch_all(db)
    .await?;
    Ok(ids.into_iter().map(WorkspaceId::from).collect())
}

/// Deletes replaced keys whose grace period is over. Returns how many.
pub async fn delete_expired(tx: &mut Tx<'_>, now: i64) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(
        "DELETE FROM provider_keys WHERE usable_until IS NOT NULL AND usable_until <= $1",
    )
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected())
}

/// Every stored key, for re-sealing under a new master key.
pub async fn all(db: impl AnyExecutor<'_>) -> Result<Vec<KeyRecord>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {KEY_COLUMNS} FROM provider_keys"))
        .fetch_all(db)
        .await
}

/// Replaces the sealed form of key `id`.
pub async fn reseal(tx: &mut Tx<'_>, id: &str, sealed: &Sealed) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE provider_keys SET master_key_id = $2, nonce = $3, ciphertext = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(&sealed.master_key_id)
    .bind(&sealed.nonce)
    .bind(&sealed.ciphertext)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Keys added by `name` say `pseudonym` added them (a deleted person).
pub async fn rename_adder(
    tx: &mut Tx<'_>,
    workspace: &WorkspaceId,
    name: &str,
    pseudonym: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE provider_keys SET added_by_name = $3 WHERE workspace_id = $1 AND added_by_name = $2",
    )
    .bind(workspace.as_str())
    .bind(name)
    .bind(pseudonym)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
