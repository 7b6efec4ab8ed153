//! SQL for service tokens. Schema: `app/migrations/0008_*`.

use super::ServiceToken;
use crate::db::Flag;
use crate::workspace::WorkspaceId;
use sqlx::AnyExecutor;

#[derive(Debug, Clone)]
pub struct TokenRecord {
    pub id: String,
    pub workspace: WorkspaceId,
    pub name: String,
    pub may_receive_keys: bool,
}

pub struct NewToken<'a> {
    pub id: &'a str,
    pub workspace: &'a WorkspaceId,
    pub name: &'a str,
    pub token_hash: &'a str,
    pub may_receive_keys: bool,
    pub created_by_name: &'a str,
    pub created_at: i64,
}

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
    type Row = (String, String, Flag, String, i64, Option<i64>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, name, may_receive_keys, created_by_name, created_at, last_used_at
         FROM service_tokens WHERE workspace_id = $1 AND revoked_at IS NULL
         ORDER BY created_at DESC, name",
    )
    .bind(workspace.as_str())
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, name, may_receive_keys, created_by, created_at, last_used_at)| ServiceToken {
                id,
                name,
                may_receive_keys: may_receive_keys.into(),
                created_by,
                created_at,
                last_used_at,
            },
        )
        .collect())
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
    let row: Option<(String, String, String, Flag)> = sqlx::query_as(
        "SELECT id, workspace_id, name, may_receive_keys FROM service_tokens
         WHERE token_hash = $1 AND revoked_at IS NULL",
    )
    .bind(token_hash)
    .fetch_optional(db)
    .await?;
    Ok(
        row.map(|(id, workspace, name, may_receive_keys)| TokenRecord {
            id,
            workspace: WorkspaceId::new(workspace),
            name,
            may_receive_keys: may_receive_keys.into(),
        }),
    )
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
