//! SQL for service tokens. Schema: `app/migrations/0008_*`.

use super::ServiceToken;
use crate::db::Tx;
use crate::domain::WorkspaceId;
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
    /// May call models through the AI gateway.
    #[sqlx(try_from = "crate::db::Flag")]
    pub may_call_models: bool,
    /// The feature its gateway calls are for, when fixed at creation.
    pub gateway_feature: Option<String>,
    /// `None`: never expires.
    pub expires_at: Option<i64>,
}

/// A token to store; only its digest is kept.
pub struct NewToken<'a> {
    pub id: &'a str,
    pub workspace: &'a WorkspaceId,
    pub name: &'a str,
    pub token_hash: &'a str,
    pub may_receive_keys: bool,
    pub may_call_models: bool,
    pub gateway_feature: Option<&'a str>,
    pub created_by_name: &'a str,
    pub created_by_id: &'a str,
    pub created_at: i64,
    pub expires_at: Option<i64>,
}

/// Stores a new token.
pub async fn insert(tx: &mut Tx<'_>, token: NewToken<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO service_tokens
           (id, workspace_id, name, token_hash, may_receive_keys, created_by_name, created_at,
            expires_at, created_by_id, may_call_models, gateway_feature)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(token.id)
    .bind(token.workspace.as_str())
    .bind(token.name)
    .bind(token.token_hash)
    .bind(token.may_receive_keys)
    .bind(token.created_by_name)
    .bind(token.created_at)
    .bind(token.expires_at)
    .bind(token.created_by_id)
    .bind(token.may_call_models)
    .bind(token.gateway_feature)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

const LISTED_COLUMNS: &str =
    "id, name, may_receive_keys, may_call_models, created_by_name, created_at,
     last_used_at, expires_at, created_by_id, revoked_at";

/// The workspace's tokens not revoked (expired ones too), newest first.
pub async fn live(
    db: impl AnyExecutor<'_>,
    workspace: &WorkspaceId,
) -> Result<Vec<ServiceToken>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {LISTED_COLUMNS} FROM service_tokens WHERE workspace_id = $1 AND revoked_at IS NULL
         ORDER BY created_at DESC, name"
    ))
    .bind(workspace.as_str())
    .fetch_all(db)
    .await
}

/// The workspace's tokens as the page lists them: the live ones (expired
/// too) and those revoked since `revoked_since`, newest first.
pub async fn listed(
    db: impl AnyExecutor<'_>,
    workspace: &WorkspaceId,
    revoked_since: i64,
) -> Result<Vec<ServiceToken>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {LISTED_COLUMNS} FROM service_tokens
         WHERE workspace_id = $1 AND (revoked_at IS NULL OR revoked_at >= $2)
         ORDER BY created_at DESC, name"
    ))
    .bind(workspace.as_str())
    .bind(revoked_since)
    .fetch_all(db)
    .await
}

/// Revokes a live token of `workspace`; returns its name if there was one.
pub async fn revoke(
    tx: &mut Tx<'_>,
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
    .fetch_optional(&mut **tx)
    .await
}

/// Revokes the live tokens `user_id` made in `workspace` (they are
/// leaving or no longer an admin); returns their names.
pub async fn revoke_made_by(
    tx: &mut Tx<'_>,
    workspace: &WorkspaceId,
    user_id: &str,
    at: i64,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE service_tokens SET revoked_at = $3
         WHERE workspace_id = $1 AND created_by_id = $2 AND revoked_at IS NULL RETURNING name",
    )
    .bind(workspace.as_str())
    .bind(user_id)
    .bind(at)
    .fetch_all(&mut **tx)
    .await
}

/// Makes a live token `user_id`'s (named `user_name`); returns the token's
/// name and its earlier maker's, if there was such a token.
pub async fn take_over(
    tx: &mut Tx<'_>,
    workspace: &WorkspaceId,
    id: &str,
    user_id: &str,
    user_name: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE service_tokens SET created_by_id = $3, created_by_name = $4
         WHERE workspace_id = $1 AND id = $2 AND revoked_at IS NULL RETURNING name",
    )
    .bind(workspace.as_str())
    .bind(id)
    .bind(user_id)
    .bind(user_name)
    .fetch_optional(&mut **tx)
    .await
}

/// The live token whose digest is `token_hash`.
pub async fn by_hash(
    db: impl AnyExecutor<'_>,
    token_hash: &str,
) -> Result<Option<TokenRecord>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, workspace_id, name, may_receive_keys, may_call_models, gateway_feature, expires_at
         FROM service_tokens
         WHERE token_hash = $1 AND revoked_at IS NULL",
    )
    .bind(token_hash)
    .fetch_optional(db)
    .await
}

/// Whether a token that is not live (see [`by_hash`]) was revoked, rather
/// than never made: for telling its holder which.
pub async fn was_revoked(db: impl AnyExecutor<'_>, token_hash: &str) -> Result<bool, sqlx::Error> {
    let revoked: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM service_tokens WHERE token_hash = $1 AND revoked_at IS NOT NULL",
    )
    .bind(token_hash)
    .fetch_optional(db)
    .await?;
    Ok(revoked.is_some())
}

/// A live token with the digest it is looked up by.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LiveToken {
    pub token_hash: String,
    #[sqlx(flatten)]
    pub record: TokenRecord,
}

const LIVE_TOKEN_COLUMNS: &str =
    "token_hash, id, workspace_id, name, may_receive_keys, may_call_models, gateway_feature,
     expires_at";

/// Every live token of every workspace.
pub async fn all_live(db: impl AnyExecutor<'_>) -> Result<Vec<LiveToken>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {LIVE_TOKEN_COLUMNS} FROM service_tokens WHERE revoked_at IS NULL"
    ))
    .fetch_all(db)
    .await
}

/// The live tokens of `workspace`.
pub async fn live_of(
    db: impl AnyExecutor<'_>,
    workspace: &WorkspaceId,
) -> Result<Vec<LiveToken>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {LIVE_TOKEN_COLUMNS} FROM service_tokens
         WHERE workspace_id = $1 AND revoked_at IS NULL"
    ))
    .bind(workspace.as_str())
    .fetch_all(db)
    .await
}

/// Notes the token's last use, never moving it back.
pub async fn note_last_use(tx: &mut Tx<'_>, id: &str, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE service_tokens SET last_used_at = $2
         WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2)",
    )
    .bind(id)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Claims the first disclosure of `key_id` to `token_id`: true for the one
/// caller, in any process, that must write its audit entry.
pub async fn claim_disclosure(
    tx: &mut Tx<'_>,
    token_id: &str,
    key_id: &str,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "INSERT INTO key_disclosures (token_id, key_id, audit_id) VALUES ($1, $2, 0)
         ON CONFLICT (token_id, key_id) DO NOTHING",
    )
    .bind(token_id)
    .bind(key_id)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1)
}

/// Links a claimed disclosure to its audit entry.
pub async fn link_disclosure(
    tx: &mut Tx<'_>,
    token_id: &str,
    key_id: &str,
    audit_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE key_disclosures SET audit_id = $3 WHERE token_id = $1 AND key_id = $2")
        .bind(token_id)
        .bind(key_id)
        .bind(audit_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The audit entry that recorded the disclosure of `key_id` to
/// `token_id`, if it was recorded.
pub async fn disclosure_entry(
    db: &mut sqlx::AnyConnection,
    token_id: &str,
    key_id: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT audit_id FROM key_disclosures WHERE token_id = $1 AND key_id = $2")
        .bind(token_id)
        .bind(key_id)
        .fetch_optional(db)
        .await
}

/// The audit entries of every recorded disclosure.
pub async fn disclosure_entries(db: &mut sqlx::AnyConnection) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT audit_id FROM key_disclosures")
        .fetch_all(db)
        .await
}

/// Forgets the disclosures recorded by `entries` (deleted by the
/// retention), so the next answer with that key is audited afresh.
pub async fn forget_disclosures_of(tx: &mut Tx<'_>, entries: &[i64]) -> Result<u64, sqlx::Error> {
    let mut forgotten = 0;
    for entry in entries {
        forgotten += sqlx::query("DELETE FROM key_disclosures WHERE audit_id = $1")
            .bind(entry)
            .execute(&mut **tx)
            .await?
            .rows_affected();
    }
    Ok(forgotten)
}

/// Tokens `user_id` (or, for tokens from before creators were kept, a
/// person named `name`) made say `pseudonym` made them.
pub async fn rename_creator(
    tx: &mut Tx<'_>,
    workspace: &WorkspaceId,
    user_id: &str,
    name: &str,
    pseudonym: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE service_tokens SET created_by_name = $4, created_by_id = NULL
         WHERE workspace_id = $1
           AND (created_by_id = $2 OR (created_by_id IS NULL AND created_by_name = $3))",
    )
    .bind(workspace.as_str())
    .bind(user_id)
    .bind(name)
    .bind(pseudonym)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Every token `user_id` made (revoked ones too), newest first.
pub async fn made_by(
    db: impl AnyExecutor<'_>,
    workspace: &WorkspaceId,
    user_id: &str,
) -> Result<Vec<(ServiceToken, Option<i64>)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        token: ServiceToken,
        revoked_at: Option<i64>,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, name, may_receive_keys, may_call_models, created_by_name, created_at, last_used_at,
                expires_at, created_by_id, revoked_at
         FROM service_tokens WHERE workspace_id = $1 AND created_by_id = $2
         ORDER BY created_at DESC, name",
    )
    .bind(workspace.as_str())
    .bind(user_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| (row.token, row.revoked_at))
        .collect())
}
