//! Password attempts (signing in, changing one's password) under the
//! throttle's rules: each attempt is counted as failed *before* its
//! password is checked, in one turn per database, so a burst of parallel
//! attempts cannot all read "under the limit". A right password takes its
//! attempt back; so does one the server was too busy to check.

use super::throttle::{self, Decision, Failures, HORIZON_SECS};
use super::{store, tokens, AuthError};
use crate::activity::log as audit;
use crate::db::{Backend, Tx};
use crate::state::AppState;

/// An attempt counted and allowed to check its password.
#[derive(Debug)]
pub struct Attempt {
    id: String,
    account: String,
    client: String,
}

/// Counts an attempt by `client` at `account` (a normalised e-mail), or
/// refuses it without checking while the client has failed too often.
/// An account that many clients failed at is slowed down here, never
/// stopped.
pub async fn begin(state: &AppState, account: &str, client: &str) -> Result<Attempt, AuthError> {
    let now = state.clock.now();
    let attempt = Attempt {
        id: tokens::random_hex(12),
        account: account.to_string(),
        client: client.to_string(),
    };
    let decided = crate::db::commit(state, async |tx| {
        take_turn_across_replicas(tx).await?;
        let since = now - HORIZON_SECS;
        let of_pair =
            store::failures_of_account_and_client(&mut **tx, account, client, since).await?;
        let of_client = store::failures_of_client(&mut **tx, client, since).await?;
        let of_account = store::failures_of_account(&mut **tx, account, since).await?;
        let failures = Failures {
            of_account_and_client: &of_pair,
            of_client: &of_client,
            of_account: &of_account,
        };
        let decision = throttle::decide(failures, now);
        if let Decision::Check { .. } = decision {
            store::record_attempt(tx, &attempt.id, account, client, now, since).await?;
            // Should this attempt fail, the next one waits: that moment
            // goes into the audit log.
            let with_this = |earlier: &[i64]| [&[now][..], earlier].concat();
            let (pair, by_client) = (with_this(&of_pair), with_this(&of_client));
            let next = Failures {
                of_account_and_client: &pair,
                of_client: &by_client,
                of_account: &of_account,
            };
            if let Decision::Wait(_) = throttle::decide(next, now) {
                record_pause(tx, state, account, client, now).await?;
            }
        }
        Ok(decision)
    })
    .await;
    match decided.map_err(AuthError::logged("counting a sign-in attempt"))? {
        Decision::Wait(secs) => {
            tracing::warn!(client, "password attempt refused: too many failed attempts");
            Err(AuthError::TooManyAttempts(throttle::minutes_to_wait(secs)))
        }
        Decision::Check { after_secs } => {
            if after_secs > 0 {
                tracing::info!(after_secs, "password check slowed: many recent failures");
                state.clock.pause(after_secs).await;
            }
            Ok(attempt)
        }
    }
}

/// The password was right: this client's failures at the account are
/// forgotten, this attempt with them.
pub async fn succeeded(state: &AppState, attempt: Attempt) -> Result<(), AuthError> {
    crate::db::commit(state, async |tx| {
        store::forget_failures_of_account_and_client(tx, &attempt.account, &attempt.client).await
    })
    .await
    .map_err(AuthError::logged("clearing failed sign-ins"))
}

/// The password was never checked (the server was busy or failed): the
/// attempt does not count.
pub async fn not_checked(state: &AppState, attempt: Attempt) {
    let forgotten = crate::db::commit(state, async |tx| {
        store::forget_attempt(tx, &attempt.id).await
    })
    .await;
    if let Err(error) = forgotten {
        tracing::error!(%error, "taking back an unchecked sign-in attempt failed");
    }
}

/// Clears every failure at `email` from every client (the operator's
/// `server unlock`), with an audit entry. Returns how many were cleared.
pub async fn unlock(state: &AppState, email: &str) -> Result<u64, sqlx::Error> {
    let account = super::credentials::normalize_email(email);
    crate::db::commit(state, async |tx| {
        let cleared = store::forget_failures_of_account(tx, &account).await?;
        let workspace = match store::find_by_email(&mut **tx, &account).await? {
            Some(user) => user.workspace,
            None => state.deployment.workspace.clone(),
        };
        let what = format!(
            "unlocked for {} ({cleared} failed attempt(s) cleared)",
            audit::shown_email(&account)
        );
        audit::record(
            tx,
            audit::NewEntry {
                workspace: &workspace,
                at: state.clock.now(),
                actor_id: None,
                actor_name: "Operator (command line)",
                subject: "Sign-in",
                old_value: None,
                new_value: Some(&what),
            },
        )
        .await?;
        Ok(cleared)
    })
    .await
}

/// On PostgreSQL replicas count attempts one at a time too (SQLite's
/// writers already take turns). The lock ends with the transaction.
async fn take_turn_across_replicas(tx: &mut Tx<'_>) -> Result<(), sqlx::Error> {
    if tx.backend() == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock(7243011)")
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

async fn record_pause(
    tx: &mut Tx<'_>,
    state: &AppState,
    account: &str,
    client: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let workspace = match store::find_by_email(&mut **tx, account).await? {
        Some(user) => user.workspace,
        None => state.deployment.workspace.clone(),
    };
    let what = format!(
        "paused for {client} after repeated failures for {}",
        audit::shown_email(account)
    );
    audit::record(
        tx,
        audit::NewEntry {
            workspace: &workspace,
            at: now,
            actor_id: None,
            actor_name: &format!("Visitor from {client}"),
            subject: "Sign-in",
            old_value: None,
            new_value: Some(&what),
        },
    )
    .await
}
