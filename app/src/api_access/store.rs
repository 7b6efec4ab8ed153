//! SQL for service tokens. Schema: `app/migrations/0008_*`.

use super::ServiceToken;
use crate::workspace::WorkspaceId;
use sqlx::AnyExecutor;

/// A live token, as the policy API checks it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TokenRecord {
    pub id: String,
    #[sqlx(rename = "workspace_id", try_from = "String")]
    pub workspace: WorkspaceId,
    pub name: String,
    #[sqlx(try_from = "crate::db::Flag")]
    pub may_receive_keys: bool,
}

/// A token to store; only its digest is kept.
pub struct NewToken<'a> {
    pub id: &'a str,
    pub workspace: &'a WorkspaceId,
    pub name: &'a str,
    pub token_hash: &'a str,
    pub may_receive_keys: bool,
    pub created_by_name: &'a str,
    pub created_at: i64,
}

/// Stores a new token.
pub async fn insert(db: impl AnyExecutor<'_>, token: NewToken<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO service_tokens
           (id, workspace_id, name, token_hash, may_receive_keys, created_by_name, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(token.id)
    .bind(token.workspace.as_str())
    .bind(token.name)
    .bind(token.token_hash)
    .bind(token.may_receive_keys)
    .bind(token.created_by_name)
    .bind(token.created_at)
    .execute(db)
    .await?;
    Ok(())
}

/// The workspace's tokens that still work, newest first.
pub async fn live(
    db: impl AnyExecutor<'_>,
    workspace: &WorkspaceId,
) -> Result<Vec<ServiceToken>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name, may_receive_keys, created_by_name, created_at, last_used_at
         FROM service_tokens WHERE workspace_id = $1 AND revoked_at IS NULL
         ORDER BY created_at DESC, name",
    )
    .bind(workspace.as_str())
    .fetch_all(db)
    .await
}

/// Revokes a live token of `workspace`; returns its name if there was one.
pub async fn revoke(
    db: impl AnyExecutor<'_>,
    workspace: &WorkspaceId,
    id: &str,
    at: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE service_tokens SET revoked_at = $3
         WHERE workspace_id = $1 AND id = $2 AND revoked_at IS NULL RETURNING name",
    )
    .bind(workspace.as_str())
    .bind(id)
    .bind(at)
    .fetch_optional(db)
    .await
}

/// The live token whose digest is `token_hash`.
pub async fn by_hash(
    db: impl AnyExecutor<'_>,
    token_hash: &str,
) -> Result<Option<TokenRecord>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, workspace_id, name, may_receive_keys FROM service_tokens
         WHERE token_hash = $1 AND revoked_at IS NULL",
    )
    .bind(token_hash)
    .fetch_optional(db)
    .await
}

/// Notes that the token was used, at most once a minute per token so
/// reading the policy stays a read.
pub async fn touch(db: impl AnyExecutor<'_>, id: &str, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE service_tokens SET last_used_at = $2
         WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= $2 - 60)",
    )
    .bind(id)
    .bind(at)
    .execute(db)
    .await?;
    Ok(())
}
