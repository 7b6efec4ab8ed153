//! A fresh database per test (SQLite, or PostgreSQL on the test script's
//! second pass; see database.rs), migrated, with one workspace and a clock
//! the test moves.
#![allow(dead_code)] // each test file uses a different part

pub mod database;
pub mod fake_provider;

use app::clock::ManualClock;
use app::db;
use app::domain::Plan;
use app::providers::cipher::MasterKeys;
use app::state::{AppState, Deployment};
use app::workspace::{self, WorkspaceId};
use std::sync::Arc;

pub const PASSWORD: &str = "a long enough password";

pub struct Fresh {
    pub state: AppState,
    pub clock: ManualClock,
    /// Keeps an SQLite database file alive for the test's duration.
    pub dir: tempfile::TempDir,
}

pub async fn fresh_state(plan: Plan) -> Fresh {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = database::fresh_database_url(dir.path()).await;
    let pool = db::connect(&url)
        .await
        .expect("database opens and migrates");
    let workspace = WorkspaceId::new("acme");
    workspace::store::ensure(&pool, &workspace, "Acme")
        .await
        .unwrap();
    let clock = ManualClock::at(1_700_000_000);
    Fresh {
        state: AppState {
            pool,
            deployment: Deployment {
                plan,
                workspace,
                public_url: None,
                providers: Default::default(),
                fixed: Default::default(),
            },
            clock: Arc::new(clock.clone()),
            master_keys: Arc::new(
                MasterKeys::parse(&MasterKeys::generate_entry()).expect("a fresh master key"),
            ),
        },
        clock,
        dir,
    }
}
