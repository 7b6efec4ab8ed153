//! What the app's and the server's tests share: a fresh database per test
//! (SQLite, or PostgreSQL on the test script's second pass; see
//! `database`), migrated, with one workspace and a clock the test moves;
//! and a model provider on loopback.

// Test code: a panic is a failed test, not a failed request.
#![allow(clippy::unwrap_used)]

pub mod database;
pub mod fake_provider;

use app::clock::ManualClock;
use app::db;
use app::db::workspaces;
use app::domain::Plan;
use app::domain::WorkspaceId;
use app::model_provider::cipher::MasterKeys;
use app::state::{AppState, Deployment};
use app::use_cases::live_policy::LivePolicy;
use std::sync::Arc;

/// Where a fresh state's clock starts: 2023-11-14 22:13:20 UTC.
pub const STARTS_AT: i64 = 1_700_000_000;

/// The times a usage report may carry on a fresh state (raw events kept
/// the default 90 days).
pub const REPORTS_ACCEPTED: app::usage::rules::AcceptedTimes =
    app::usage::rules::AcceptedTimes::at(STARTS_AT, 90);

/// The password every test account has.
pub const PASSWORD: &str = "a long enough password";

/// A console's state on a fresh database.
pub struct Fresh {
    pub state: AppState,
    /// What the policy API would answer from; hears every change through
    /// `state.policy_hook`.
    pub live_policy: Arc<LivePolicy>,
    pub clock: ManualClock,
    /// Keeps an SQLite database file alive for the test's duration.
    pub dir: tempfile::TempDir,
}

/// A fresh, migrated database with workspace `acme` on `plan`.
pub async fn fresh_state(plan: Plan) -> Fresh {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = database::fresh_database_url(dir.path()).await;
    let pool = db::connect(&url)
        .await
        .expect("database opens and migrates");
    let workspace = WorkspaceId::new("acme");
    workspaces::ensure(&pool, &workspace, "Acme").await.unwrap();
    let clock = ManualClock::at(STARTS_AT);
    let live_policy = Arc::new(LivePolicy::default());
    Fresh {
        state: AppState {
            pool,
            deployment: Arc::new(Deployment::new(plan, workspace)),
            clock: Arc::new(clock.clone()),
            master_keys: Arc::new(
                MasterKeys::parse(&MasterKeys::generate_entry()).expect("a fresh master key"),
            ),
            policy_hook: live_policy.clone(),
            passwords: Default::default(),
            budget_webhook_wake: Default::default(),
        },
        live_policy,
        clock,
        dir,
    }
}

/// `actor` as the admin they are; panics for a member, so a test cannot
/// quietly act as an admin it did not make.
pub fn admin(actor: &app::accounts::session::Actor) -> app::accounts::session::Admin {
    app::accounts::session::Admin::check(actor.clone()).expect("the actor is an admin")
}

/// The newest page of `state`'s audit log, one line an entry:
/// `actor: subject: old -> new`.
pub async fn audit_lines(state: &AppState) -> Vec<String> {
    let (entries, _) = app::activity::log::page(&state.pool, &state.deployment.workspace, 0)
        .await
        .unwrap();
    entries
        .into_iter()
        .map(|e| {
            format!(
                "{}: {}: {} -> {}",
                e.actor_name,
                e.subject,
                e.old_value.unwrap_or_default(),
                e.new_value.unwrap_or_default()
            )
        })
        .collect()
}

/// Creates an account in `state`'s workspace (password [`PASSWORD`]) and
/// returns the person as the services see them signed in.
pub async fn person(
    state: &AppState,
    name: &str,
    email: &str,
    role: app::domain::Role,
) -> app::accounts::session::Actor {
    let workspace = state.deployment.workspace.clone();
    let account = app::accounts::service::NewAccount {
        name,
        email,
        password: PASSWORD,
        password_again: PASSWORD,
    };
    let user_id = app::accounts::service::create_account(state, &workspace, role, account)
        .await
        .unwrap();
    app::accounts::session::Actor {
        user_id: app::domain::UserId::new(user_id),
        workspace,
        name: name.to_string(),
        role,
    }
}
