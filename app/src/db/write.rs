//! The one write path. Every change to the database goes through [`write`]
//! or [`write_policy`]: it takes SQLite's write turn, begins, runs the
//! change, commits when the change worked and rolls back when it was
//! refused or failed (also on `?`), and, for a change of what the policy
//! API answers, moves the workspace's policy version on inside the
//! transaction and tells the live policy after the commit.
//!
//! The transaction type store functions take, [`Tx`], is made only here,
//! so a writer that skips a step does not compile.

use super::{workspaces, Pool, Tx};
use crate::domain::WorkspaceId;
use sqlx::AnyConnection;
use std::future::Future;
use std::sync::atomic::Ordering;

/// Where changes are written, and who hears that a workspace's policy
/// changed. Implemented by the console's state; tests and command-line
/// tools may write through a bare pool, which tells nobody.
pub trait Database: Sync {
    fn pool(&self) -> &Pool;
    /// Called after a change to `workspace`'s policy committed.
    fn policy_changed(&self, workspace: &WorkspaceId) -> impl Future<Output = ()> + Send;
}

impl Database for Pool {
    fn pool(&self) -> &Pool {
        self
    }
    async fn policy_changed(&self, _workspace: &WorkspaceId) {}
}

/// What a change answers: `Ok(Ok(_))` commits, `Ok(Err(refusal))` rolls
/// back and is handed on, `Err(_)` rolls back and is the database's fault.
pub type Outcome<T, E> = Result<Result<T, E>, sqlx::Error>;

/// Writes `change` in one transaction. A change that also changes what
/// the policy API answers says so with [`Tx::changes_policy_of`] (or is
/// written with [`write_policy`]).
pub async fn write<T, E>(
    db: &impl Database,
    change: impl AsyncFnOnce(&mut Tx<'_>) -> Outcome<T, E>,
) -> Outcome<T, E> {
    let (outcome, policy_of) = in_transaction(db.pool(), change).await;
    if let Ok(Ok(_)) = &outcome {
        for workspace in &policy_of {
            db.policy_changed(workspace).await;
        }
    }
    outcome
}

/// [`write`] for a change that is never refused: it commits unless it
/// fails.
pub async fn commit<T>(
    db: &impl Database,
    change: impl AsyncFnOnce(&mut Tx<'_>) -> Result<T, sqlx::Error>,
) -> Result<T, sqlx::Error> {
    let outcome = write(db, async |tx| {
        change(tx).await.map(Ok::<T, std::convert::Infallible>)
    })
    .await?;
    let Ok(value) = outcome;
    Ok(value)
}

/// Writes `change` in one transaction that changes what the policy API
/// answers for `workspace`: its policy version moves on before the commit
/// (other replicas hear of it through the database) and, once committed,
/// this process's live policy reloads it.
pub async fn write_policy<T, E>(
    db: &impl Database,
    workspace: &WorkspaceId,
    change: impl AsyncFnOnce(&mut Tx<'_>) -> Outcome<T, E>,
) -> Outcome<T, E> {
    write(db, async |tx| {
        tx.changes_policy_of(workspace);
        change(tx).await
    })
    .await
}

/// The change's outcome, and whose policy it moved on.
///
/// A change that failed in the database leaves its connection closed, not
/// back in the pool: after a failed commit or rollback (a full disk), the
/// driver's idea of the connection's transaction may no longer match
/// SQLite's, and a connection still holding a transaction would hold the
/// write lock and swallow later changes uncommitted.
async fn in_transaction<T, E>(
    pool: &Pool,
    change: impl AsyncFnOnce(&mut Tx<'_>) -> Outcome<T, E>,
) -> (Outcome<T, E>, Vec<WorkspaceId>) {
    let writer = super::writer(pool);
    let _turn = writer.turn(pool).await;
    let mut connection = match pool.acquire().await {
        Ok(connection) => connection,
        Err(error) => return (Err(error), Vec::new()),
    };
    let (outcome, policy_of, changes_people) = on_connection(&mut connection, change).await;
    match &outcome {
        Ok(Ok(_)) => {
            writer.failing.store(false, Ordering::Release);
            if changes_people {
                writer.people_changes.fetch_add(1, Ordering::AcqRel);
            }
        }
        Ok(Err(_)) => {}
        Err(error) => {
            connection.close_on_drop();
            if super::is_storage_error(error) {
                tracing::error!(%error, "a change could not be written to the database's storage");
                writer.failed();
            }
        }
    }
    (outcome, policy_of)
}

/// The change's outcome, whose policy it moved on, and whether it touched
/// anyone's account.
async fn on_connection<T, E>(
    connection: &mut AnyConnection,
    change: impl AsyncFnOnce(&mut Tx<'_>) -> Outcome<T, E>,
) -> (Outcome<T, E>, Vec<WorkspaceId>, bool) {
    let mut tx = match sqlx::Connection::begin(connection).await {
        Ok(inner) => Tx {
            inner,
            policy_of: Vec::new(),
            changes_people: false,
        },
        Err(error) => return (Err(error), Vec::new(), false),
    };
    let mut outcome = change(&mut tx).await;
    let policy_of = std::mem::take(&mut tx.policy_of);
    if let Ok(Ok(_)) = outcome {
        for workspace in &policy_of {
            if let Err(error) = workspaces::policy_changed(&mut tx, workspace).await {
                outcome = Err(error);
                break;
            }
        }
    }
    let changes_people = tx.changes_people;
    (finish(tx, outcome).await, policy_of, changes_people)
}

/// Whether the database takes writes, as `/readyz` asks: not while
/// writes failed on storage lately (a nearly full disk may take a small
/// write and refuse real changes), and after that, while writes are
/// failing, only once one small write works, so the console notices by
/// itself that space is back.
pub async fn check_writes(pool: &Pool, now: i64) -> bool {
    let writer = super::writer(pool);
    if writer.failed_lately() {
        return false;
    }
    if !writer.failing.load(Ordering::Acquire) {
        return true;
    }
    let checked = commit(pool, async |tx| {
        sqlx::query(
            "INSERT INTO write_checks (id, checked_at) VALUES (1, $1)
             ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at",
        )
        .bind(now)
        .execute(&mut **tx)
        .await
        .map(|_| ())
    })
    .await;
    checked.is_ok()
}

/// Commits a change that worked and rolls back any other.
async fn finish<T, E>(tx: Tx<'_>, outcome: Outcome<T, E>) -> Outcome<T, E> {
    // A transaction dropped unfinished would keep SQLite's write lock a
    // moment after the turn passed on: always finish it here.
    match outcome {
        Ok(Ok(value)) => {
            tx.inner.commit().await?;
            Ok(Ok(value))
        }
        Ok(Err(refusal)) => {
            tx.inner.rollback().await?;
            Ok(Err(refusal))
        }
        Err(error) => {
            if let Err(rollback) = tx.inner.rollback().await {
                tracing::warn!(error = %rollback, "rolling a failed change back failed");
            }
            Err(error)
        }
    }
}

/// Reads in one transaction, so what is read belongs together (a snapshot
/// on PostgreSQL; on SQLite, one read lock). Writes nothing.
pub async fn read<T>(
    pool: &Pool,
    read: impl AsyncFnOnce(&mut AnyConnection) -> Result<T, sqlx::Error>,
) -> Result<T, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let outcome = read(&mut tx).await;
    match outcome {
        Ok(value) => {
            tx.commit().await?;
            Ok(value)
        }
        Err(error) => {
            if let Err(rollback) = tx.rollback().await {
                tracing::warn!(error = %rollback, "ending a failed read failed");
            }
            Err(error)
        }
    }
}
