//! Telling every replica that what the policy API answers has changed.
//! Each change of a workspace's settings, provider keys or service tokens
//! calls [`policy_changed`] in its own transaction: the workspace's policy
//! version moves on (replicas compare it to catch up) and, on PostgreSQL,
//! a notification goes to every replica's listener when the transaction
//! commits, never before and never for a rolled-back change.

use super::Tx;
use crate::workspace::WorkspaceId;

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
