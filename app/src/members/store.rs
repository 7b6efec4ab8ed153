//! SQL for memberships and invitations. Schema: `app/migrations/0002_*`
//! (users) and `0006_*` (invitations, membership version).

use crate::db::Tx;
use crate::domain::Role;
use crate::domain::WorkspaceId;
use sqlx::AnyExecutor;

/// An invitation as stored (never its token).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InvitationRecord {
    pub id: String,
    #[sqlx(rename = "workspace_id", try_from = "String")]
    pub workspace: WorkspaceId,
    pub email: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub invited_by_name: String,
    pub expires_at: i64,
}

/// An invitation to store; only its token's digest is kept.
pub struct NewInvitation<'a> {
    pub id: &'a str,
    pub token_hash: &'a str,
    pub workspace: &'a WorkspaceId,
    pub email: &'a str,
    pub role: Role,
    pub invited_by_name: &'a str,
    pub invited_by_id: &'a str,
    pub created_at: i64,
    pub expires_at: i64,
}

/// Stores a new invitation.
pub async fn insert_invitation(
    tx: &mut Tx<'_>,
    invitation: NewInvitation<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO invitations
           (id, token_hash, workspace_id, email, role, invited_by_name, created_at, expires_at,
            invited_by_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(invitation.id)
    .bind(invitation.token_hash)
    .bind(invitation.workspace.as_str())
    .bind(invitation.email)
    .bind(invitation.role.key())
    .bind(invitation.invited_by_name)
    .bind(invitation.created_at)
    .bind(invitation.expires_at)
    .bind(invitation.invited_by_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Withdraws the unused invitations `user_id` made; returns the invited
/// addresses.
pub async fn delete_unused_invitations_by(
    tx: &mut Tx<'_>,
    workspace: &WorkspaceId,
    user_id: &str,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "DELETE FROM invitations
         WHERE workspace_id = $1 AND invited_by_id = $2 AND used_at IS NULL RETURNING email",
    )
    .bind(workspace.as_str())
    .bind(user_id)
    .fetch_all(&mut **tx)
    .await
}

/// A new invitation replaces earlier unused ones for the same address.
pub async fn delete_unused_invitations_for(
    tx: &mut Tx<'_>,
    workspace: &WorkspaceId,
    email: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM invitations WHERE workspace_id = $1 AND email = $2 AND used_at IS NULL",
    )
    .bind(workspace.as_str())
    .bind(email)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

const INVITATION_COLUMNS: &str = "id, workspace_id, email, role, invited_by_name, expires_at";

/// Invitations of `workspace` that can still be used, soonest to expire
/// last.
pub async fn pending_invitations(
    db: impl AnyExecutor<'_>,
    workspace: &WorkspaceId,
    now: i64,
) -> Result<Vec<InvitationRecord>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {INVITATION_COLUMNS} FROM invitations
         WHERE workspace_id = $1 AND used_at IS NULL AND expires_at > $2
         ORDER BY created_at DESC, email"
    ))
    .bind(workspace.as_str())
    .bind(now)
    .fetch_all(db)
    .await
}

/// Deletes an unused invitation of `workspace`; returns it if it existed.
pub async fn delete_invitation(
    tx: &mut Tx<'_>,
    workspace: &WorkspaceId,
    id: &str,
) -> Result<Option<InvitationRecord>, sqlx::Error> {
    sqlx::query_as(&format!(
        "DELETE FROM invitations WHERE workspace_id = $1 AND id = $2 AND used_at IS NULL
         RETURNING {INVITATION_COLUMNS}"
    ))
    .bind(workspace.as_str())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// The invitation behind a token, while it can still be used.
pub async fn usable_invitation(
    db: impl AnyExecutor<'_>,
    token_hash: &str,
    now: i64,
) -> Result<Option<InvitationRecord>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {INVITATION_COLUMNS} FROM invitations
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2"
    ))
    .bind(token_hash)
    .bind(now)
    .fetch_optional(db)
    .await
}

/// Marks the invitation used; of two concurrent uses only one gets it.
pub async fn consume_invitation(
    tx: &mut Tx<'_>,
    token_hash: &str,
    now: i64,
) -> Result<Option<InvitationRecord>, sqlx::Error> {
    sqlx::query_as(&format!(
        "UPDATE invitations SET used_at = $2
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
         RETURNING {INVITATION_COLUMNS}"
    ))
    .bind(token_hash)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await
}

/// Deletes invitations that expired, or were used, before `before`.
pub async fn forget_invitations_before(tx: &mut Tx<'_>, before: i64) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(
        "DELETE FROM invitations WHERE expires_at < $1 OR (used_at IS NOT NULL AND used_at < $1)",
    )
    .bind(before)
    .execute(&mut **tx)
    .await?
    .rows_affected())
}

/// Deletes the invitations `person` sent (or, for ones from before
/// senders were kept, someone of their name sent) and the ones sent to any
/// address they had.
pub async fn delete_invitations_of(
    tx: &mut Tx<'_>,
    workspace: &WorkspaceId,
    person: &crate::domain::FormerPerson,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM invitations WHERE workspace_id = $1
           AND (invited_by_id = $2 OR (invited_by_id IS NULL AND invited_by_name = $3))",
    )
    .bind(workspace.as_str())
    .bind(&person.user_id)
    .bind(&person.name)
    .execute(&mut **tx)
    .await?;
    for email in person.emails() {
        sqlx::query("DELETE FROM invitations WHERE workspace_id = $1 AND email = $2")
            .bind(workspace.as_str())
            .bind(email)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// An invitation someone sent, for their own export.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SentInvitation {
    pub email: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub created_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

/// The invitations `user_id` sent that are still kept.
pub async fn invitations_sent_by(
    db: impl AnyExecutor<'_>,
    workspace: &WorkspaceId,
    user_id: &str,
) -> Result<Vec<SentInvitation>, sqlx::Error> {
    sqlx::query_as(
        "SELECT email, role, created_at, expires_at, used_at FROM invitations
         WHERE workspace_id = $1 AND invited_by_id = $2 ORDER BY created_at DESC",
    )
    .bind(workspace.as_str())
    .bind(user_id)
    .fetch_all(db)
    .await
}
