//! The `workspaces` table: creating a workspace, its policy version (which
//! every change of its policy moves on, telling other replicas), its
//! membership turn and its count of former members.

use super::{Pool, Tx};
use crate::domain::WorkspaceId;
use sqlx::AnyExecutor;

/// Creates the workspace on first start; later starts leave it as it is.
pub async fn ensure(pool: &Pool, id: &WorkspaceId, name: &str) -> Result<(), sqlx::Error> {
    use crate::clock::{Clock, SystemClock};
    sqlx::query(
        "INSERT INTO workspaces (id, name, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(id.as_str())
    .bind(name)
    .bind(SystemClock.now())
    .execute(pool)
    .await?;
    Ok(())
}

/// The policy version of `workspace` (0 if it has none).
pub async fn policy_version(
    db: impl AnyExecutor<'_>,
    workspace: &WorkspaceId,
) -> Result<i64, sqlx::Error> {
    let version: Option<i64> =
        sqlx::query_scalar("SELECT policy_version FROM workspaces WHERE id = $1")
            .bind(workspace.as_str())
            .fetch_optional(db)
            .await?;
    Ok(version.unwrap_or_default())
}

/// Every workspace with its policy version.
pub async fn policy_versions(db: impl AnyExecutor<'_>) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT id, policy_version FROM workspaces")
        .fetch_all(db)
        .await
}

/// The first write of every membership change: concurrent changes to one
/// workspace wait for each other here, so each sees the other's outcome.
pub async fn lock_membership(tx: &mut Tx<'_>, workspace: &WorkspaceId) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE workspaces SET membership_version = membership_version + 1 WHERE id = $1")
        .bind(workspace.as_str())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The name of `workspace`, for the join page.
pub async fn workspace_name(
    db: impl AnyExecutor<'_>,
    workspace: &WorkspaceId,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT name FROM workspaces WHERE id = $1")
        .bind(workspace.as_str())
        .fetch_optional(db)
        .await
}

/// The number of the next person deleted from `workspace` ("Former
/// member 3" for the third).
pub async fn next_former_member(
    tx: &mut Tx<'_>,
    workspace: &WorkspaceId,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE workspaces SET former_members = former_members + 1 WHERE id = $1
         RETURNING former_members",
    )
    .bind(workspace.as_str())
    .fetch_one(&mut **tx)
    .await
}

/// The PostgreSQL notification channel; the payload is the workspace id.
pub const POLICY_CHANNEL: &str = "ai_console_policy";

/// Marks, in the change's transaction, that `workspace`'s policy changed
/// (only the write path calls it, for [`super::write_policy`]).
pub(super) async fn policy_changed(
    tx: &mut Tx<'_>,
    workspace: &WorkspaceId,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE workspaces SET policy_version = policy_version + 1 WHERE id = $1")
        .bind(workspace.as_str())
        .execute(&mut **tx)
        .await?;
    if tx.backend() == super::Backend::Postgres {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(POLICY_CHANNEL)
            .bind(workspace.as_str())
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
