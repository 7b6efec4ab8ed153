//! SQL for users and setup tokens. Schema: `app/migrations/0002_*`.
//!
//! Layer: platform.

use crate::db::Tx;
use crate::domain::Role;
use crate::domain::WorkspaceId;
use sqlx::AnyExecutor;

/// An account as stored. A role this build does not know fails to decode.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRecord {
    pub id: String,
    #[sqlx(rename = "workspace_id", try_from = "String")]
    pub workspace: WorkspaceId,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    /// Sessions signed in under an older generation are void.
    pub session_generation: i64,
    pub created_at: i64,
    /// Set while an admin has the account suspended: no sign-in.
    pub suspended_at: Option<i64>,
    /// The privacy notice version whose change notice they dismissed.
    pub privacy_notice_seen: Option<String>,
}

const USER_COLUMNS: &str = "id, workspace_id, email, name, password_hash, role, session_generation,
     created_at, suspended_at, privacy_notice_seen";

/// Stores a new password hash and moves the user to a new session
/// generation, voiding every existing session.
pub async fn replace_password(
    tx: &mut Tx<'_>,
    user_id: &str,
    password_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE users SET password_hash = $2, session_generation = session_generation + 1 WHERE id = $1",
    )
    .bind(user_id)
    .bind(password_hash)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The account with `email` (normalised), if any.
pub async fn find_by_email(
    db: impl AnyExecutor<'_>,
    email: &str,
) -> Result<Option<UserRecord>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS} FROM users WHERE email = $1"
    ))
    .bind(email)
    .fetch_optional(db)
    .await
}

/// The account `user_id`, if it still exists.
pub async fn find_by_id(
    db: impl AnyExecutor<'_>,
    id: &str,
) -> Result<Option<UserRecord>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
}

/// How many accounts exist, in any workspace.
pub async fn count_users(db: impl AnyExecutor<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(db)
        .await
}

/// An account to insert; the password is already hashed.
pub struct NewUser<'a> {
    pub id: &'a str,
    pub workspace: &'a WorkspaceId,
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
    pub created_at: i64,
}

/// Fails with a unique-constraint error when the e-mail is taken.
pub async fn insert_user(tx: &mut Tx<'_>, user: NewUser<'_>) -> Result<(), sqlx::Error> {
    tx.changes_people();
    sqlx::query(
        "INSERT INTO users (id, workspace_id, email, name, password_hash, role, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(user.id)
    .bind(user.workspace.as_str())
    .bind(user.email)
    .bind(user.name)
    .bind(user.password_hash)
    .bind(user.role.key())
    .bind(user.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Makes `token_hash` the only usable setup token.
pub async fn replace_setup_token(
    tx: &mut Tx<'_>,
    workspace: &WorkspaceId,
    token_hash: &str,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM setup_tokens WHERE used_at IS NULL")
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO setup_tokens (token_hash, workspace_id, expires_at) VALUES ($1, $2, $3)",
    )
    .bind(token_hash)
    .bind(workspace.as_str())
    .bind(expires_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The workspace of a usable (unused, unexpired) setup token.
pub async fn usable_setup_token(
    db: impl AnyExecutor<'_>,
    token_hash: &str,
    now: i64,
) -> Result<Option<WorkspaceId>, sqlx::Error> {
    let workspace: Option<String> = sqlx::query_scalar(
        "SELECT workspace_id FROM setup_tokens WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(db)
    .await?;
    Ok(workspace.map(WorkspaceId::new))
}

/// Marks the token used; of two concurrent uses only one gets `Some`.
pub async fn consume_setup_token(
    tx: &mut Tx<'_>,
    token_hash: &str,
    now: i64,
) -> Result<Option<WorkspaceId>, sqlx::Error> {
    let workspace: Option<String> = sqlx::query_scalar(
        "UPDATE setup_tokens SET used_at = $2
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
         RETURNING workspace_id",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(workspace.map(WorkspaceId::new))
}

/// Whether `error` is a unique constraint (an e-mail address already taken).
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// Times of failed sign-ins since `since` matching `filter` (a column
/// condition on `$1`), newest first.
async fn failure_times(
    db: impl AnyExecutor<'_>,
    filter: &str,
    key: &str,
    since: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(&format!(
        "SELECT at FROM sign_in_failures WHERE {filter} AND at > $2 ORDER BY at DESC LIMIT 500"
    ))
    .bind(key)
    .bind(since)
    .fetch_all(db)
    .await
}

/// Times of failed sign-ins for `account` since `since`, newest first.
pub async fn failures_of_account(
    db: impl AnyExecutor<'_>,
    account: &str,
    since: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    failure_times(db, "account = $1", account, since).await
}

/// Times of failed sign-ins from `client` since `since`, newest first.
pub async fn failures_of_client(
    db: impl AnyExecutor<'_>,
    client: &str,
    since: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    failure_times(db, "client = $1", client, since).await
}

/// Times of failed sign-ins from `client` at `account` since `since`,
/// newest first.
pub async fn failures_of_account_and_client(
    db: impl AnyExecutor<'_>,
    account: &str,
    client: &str,
    since: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT at FROM sign_in_failures WHERE account = $1 AND client = $2 AND at > $3
         ORDER BY at DESC LIMIT 500",
    )
    .bind(account)
    .bind(client)
    .bind(since)
    .fetch_all(db)
    .await
}

/// Counts an attempt as failed until it is known otherwise, and drops
/// failures older than `forget_before`.
pub async fn record_attempt(
    tx: &mut Tx<'_>,
    attempt: &str,
    account: &str,
    client: &str,
    at: i64,
    forget_before: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sign_in_failures WHERE at <= $1")
        .bind(forget_before)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO sign_in_failures (attempt, account, client, at) VALUES ($1, $2, $3, $4)",
    )
    .bind(attempt)
    .bind(account)
    .bind(client)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Takes back an attempt whose password was never checked.
pub async fn forget_attempt(tx: &mut Tx<'_>, attempt: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sign_in_failures WHERE attempt = $1")
        .bind(attempt)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// After a successful sign-in, this client's count at the account starts
/// afresh (other clients' failures still slow the account down).
pub async fn forget_failures_of_account_and_client(
    tx: &mut Tx<'_>,
    account: &str,
    client: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sign_in_failures WHERE account = $1 AND client = $2")
        .bind(account)
        .bind(client)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Every failure at `account`, from every client (an operator's unlock).
/// Returns how many there were.
pub async fn forget_failures_of_account(
    tx: &mut Tx<'_>,
    account: &str,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sign_in_failures WHERE account = $1")
        .bind(account)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected())
}

/// The account an identity provider's person is linked to, if any.
pub async fn identity_user(
    db: impl AnyExecutor<'_>,
    issuer: &str,
    subject: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT user_id FROM external_identities WHERE issuer = $1 AND subject = $2")
        .bind(issuer)
        .bind(subject)
        .fetch_optional(db)
        .await
}

/// Links an identity provider's person to `user_id`.
pub async fn link_identity(
    tx: &mut Tx<'_>,
    issuer: &str,
    subject: &str,
    user_id: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO external_identities (issuer, subject, user_id, linked_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(issuer)
    .bind(subject)
    .bind(user_id)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Deletes failed sign-in records from before `before`.
pub async fn forget_failures_before(tx: &mut Tx<'_>, before: i64) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM sign_in_failures WHERE at < $1")
        .bind(before)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}

/// Changes the name and e-mail address (normalised) of `user_id`. Fails
/// with a unique-constraint error when the address is taken.
pub async fn update_profile(
    tx: &mut Tx<'_>,
    user_id: &str,
    name: &str,
    email: &str,
) -> Result<(), sqlx::Error> {
    tx.changes_people();
    sqlx::query("UPDATE users SET name = $2, email = $3 WHERE id = $1")
        .bind(user_id)
        .bind(name)
        .bind(email)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Suspends `user_id` from `at`, voiding every session of theirs.
pub async fn suspend(tx: &mut Tx<'_>, user_id: &str, at: i64) -> Result<(), sqlx::Error> {
    tx.changes_people();
    sqlx::query(
        "UPDATE users SET suspended_at = $2, session_generation = session_generation + 1
         WHERE id = $1",
    )
    .bind(user_id)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Lifts the suspension of `user_id`.
pub async fn restore(tx: &mut Tx<'_>, user_id: &str) -> Result<(), sqlx::Error> {
    tx.changes_people();
    sqlx::query("UPDATE users SET suspended_at = NULL WHERE id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Notes that `user_id` dismissed the notice of privacy notice `version`.
pub async fn note_privacy_notice_seen(
    tx: &mut Tx<'_>,
    user_id: &str,
    version: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET privacy_notice_seen = $2 WHERE id = $1")
        .bind(user_id)
        .bind(version)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The issuer of the identity provider `user_id` signs in with, if any.
pub async fn identity_issuer(
    db: impl AnyExecutor<'_>,
    user_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT issuer FROM external_identities WHERE user_id = $1 LIMIT 1")
        .bind(user_id)
        .fetch_optional(db)
        .await
}

/// Stored session rows of `user_id`: (start, last activity, expiry).
/// Rows keep the id only as a digest, so this reads their data.
pub async fn sessions_data_of(
    db: impl AnyExecutor<'_>,
    user_id: &str,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT data FROM sessions WHERE data LIKE $1")
        .bind(session_pattern(user_id))
        .fetch_all(db)
        .await
}

/// A `LIKE` pattern for session data naming `user_id` (hexadecimal, so
/// nothing in it needs escaping).
fn session_pattern(user_id: &str) -> String {
    format!("%\"user_id\":\"{user_id}\"%")
}

/// Deletes everything stored about `user_id` as a person who signs in:
/// their sessions, failed sign-ins at their addresses, linked identities
/// and the account itself.
pub async fn delete_person(
    tx: &mut Tx<'_>,
    user_id: &str,
    emails: &[&str],
) -> Result<(), sqlx::Error> {
    tx.changes_people();
    sqlx::query("DELETE FROM sessions WHERE data LIKE $1")
        .bind(session_pattern(user_id))
        .execute(&mut **tx)
        .await?;
    for email in emails {
        sqlx::query("DELETE FROM sign_in_failures WHERE account = $1")
            .bind(email)
            .execute(&mut **tx)
            .await?;
    }
    sqlx::query("DELETE FROM external_identities WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A person of the workspace as the Members page lists them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRecord {
    #[sqlx(try_from = "String")]
    pub id: crate::domain::UserId,
    pub name: String,
    pub email: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    /// Set while suspended.
    pub suspended_at: Option<i64>,
}

/// The people of `workspace`, by name.
pub async fn members(
    db: impl AnyExecutor<'_>,
    workspace: &WorkspaceId,
) -> Result<Vec<MemberRecord>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name, email, role, suspended_at FROM users WHERE workspace_id = $1 ORDER BY name, email",
    )
    .bind(workspace.as_str())
    .fetch_all(db)
    .await
}

/// The member `user_id`, if they belong to `workspace`.
pub async fn member(
    db: impl AnyExecutor<'_>,
    workspace: &WorkspaceId,
    user_id: &str,
) -> Result<Option<MemberRecord>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name, email, role, suspended_at FROM users WHERE workspace_id = $1 AND id = $2",
    )
    .bind(workspace.as_str())
    .bind(user_id)
    .fetch_optional(db)
    .await
}

/// The person of `workspace` whose account id is `id` or whose e-mail
/// address is `email`.
pub async fn member_by_id_or_email(
    db: impl AnyExecutor<'_>,
    workspace: &WorkspaceId,
    id: &str,
    email: &str,
) -> Result<Option<MemberRecord>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name, email, role, suspended_at FROM users
         WHERE workspace_id = $1 AND (id = $2 OR email = $3)",
    )
    .bind(workspace.as_str())
    .bind(id)
    .bind(email)
    .fetch_optional(db)
    .await
}

/// How many admins `workspace` has who can sign in (not suspended).
pub async fn count_admins(
    db: impl AnyExecutor<'_>,
    workspace: &WorkspaceId,
) -> Result<usize, sqlx::Error> {
    let count: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM users
             WHERE workspace_id = $1 AND role = 'admin' AND suspended_at IS NULL",
    )
    .bind(workspace.as_str())
    .fetch_one(db)
    .await?;
    Ok(usize::try_from(count).unwrap_or_default())
}

/// Gives `user_id` the role `role`.
pub async fn set_role(tx: &mut Tx<'_>, user_id: &str, role: Role) -> Result<(), sqlx::Error> {
    tx.changes_people();
    sqlx::query("UPDATE users SET role = $2 WHERE id = $1")
        .bind(user_id)
        .bind(role.key())
        .execute(&mut **tx)
        .await?;
    Ok(())
}
