//! Upgrades never lose data: a database at the oldest supported schema
//! (SQLite 0009 / PostgreSQL 0001, the first release on both), filled as a
//! workspace in use leaves it (`tests/fixtures/upgrade/`), is migrated by
//! this build and everything is still there and works: settings and their
//! versions, accounts and their passwords, the audit log, invitations,
//! service tokens and their rights, sign-in failure counts.
#![cfg(feature = "ssr")]

use app::accounts::password::{hash, Gate};
use app::activity::log as audit;
use app::domain::Plan;
use app::domain::WorkspaceId;
use sqlx::migrate::Migrator;
use std::path::Path;
use test_support::PASSWORD;

/// The oldest schema this build upgrades from, per database.
const OLDEST: [(&str, &str); 2] = [("sqlite", "0009_~"), ("postgres", "0001_~")];

const TOKEN: &str = "aic_a-token-from-the-oldest-release";

/// The migrations of `backend` as the oldest supported release had them.
async fn oldest_migrations(backend: &str, into: &Path) -> Migrator {
    let last = OLDEST
        .iter()
        .find(|(name, _)| *name == backend)
        .map(|(_, last)| *last)
        .unwrap();
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("migrations/{backend}"));
    std::fs::create_dir_all(into).unwrap();
    for entry in std::fs::read_dir(folder).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name().to_string_lossy().as_ref() <= last {
            std::fs::copy(entry.path(), into.join(entry.file_name())).unwrap();
        }
    }
    Migrator::new(into).await.unwrap()
}

#[tokio::test]
async fn a_database_of_the_oldest_supported_release_upgrades_with_nothing_lost() {
    let dir = tempfile::tempdir().unwrap();
    let url = test_support::database::fresh_database_url(dir.path()).await;
    let backend = if url.starts_with("postgres") {
        "postgres"
    } else {
        "sqlite"
    };
    sqlx::any::install_default_drivers();
    let opened = if backend == "sqlite" {
        format!("{url}?mode=rwc")
    } else {
        url.clone()
    };
    {
        let old = sqlx::AnyPool::connect(&opened).await.unwrap();
        oldest_migrations(backend, &dir.path().join("old-migrations"))
            .await
            .run(&old)
            .await
            .unwrap();
        let password_hash = hash(&Gate::default(), PASSWORD.into()).await.unwrap();
        let fixture = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("tests/fixtures/upgrade/{backend}.sql")),
        )
        .unwrap()
        .replace("{password_hash}", &password_hash)
        .replace("{token_hash}", &app::accounts::tokens::digest(TOKEN));
        sqlx::raw_sql(&fixture).execute(&old).await.unwrap();
        old.close().await;
    }

    // This build opens it: every migration since runs.
    let mut fresh = test_support::fresh_state(Plan::Team).await;
    fresh.state.pool = app::db::connect(&url).await.unwrap();
    let state = fresh.state.clone();
    let acme = WorkspaceId::new("acme");

    let (settings, versions) = app::ai_settings::service::load(&state, &acme)
        .await
        .unwrap();
    assert!(!settings.ai_enabled && settings.training_allowed);
    assert_eq!(versions.ai_enabled.version, 3);
    assert_eq!(
        versions.ai_enabled.last_change.map(|change| change.by),
        Some("Ada Admin".to_string())
    );
    for email in ["ada@example.com", "max@example.com"] {
        app::accounts::service::verify_credentials(&state, email, PASSWORD)
            .await
            .unwrap_or_else(|error| panic!("{email} signs in with their password: {error}"));
    }
    let (entries, _) = audit::page(&state.pool, &acme, 0).await.unwrap();
    let lines: Vec<String> = entries
        .iter()
        .map(|entry| {
            format!(
                "{}: {} -> {}",
                entry.subject,
                entry.old_value.clone().unwrap_or_default(),
                entry.new_value.clone().unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            "AI training: Off -> On",
            "AI features: On -> Off",
            "AI features: Off -> On",
            "AI features: On -> Off"
        ]
    );
    let gateway =
        app::api_access::store::by_hash(&state.pool, &app::accounts::tokens::digest(TOKEN))
            .await
            .unwrap()
            .expect("the token still works");
    assert!(gateway.may_receive_keys, "and keeps its right to the key");
    assert_eq!(
        gateway.expires_at, None,
        "tokens of old releases never expire"
    );
    for (table, rows) in [
        ("invitations", 1),
        ("sign_in_failures", 1),
        ("service_tokens", 2),
        ("users", 2),
    ] {
        let counted: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&state.pool)
            .await
            .unwrap();
        assert_eq!(counted, rows, "{table}");
    }
    // Text timestamps of the oldest release are Unix seconds now.
    let created: i64 = sqlx::query_scalar("SELECT created_at FROM workspaces WHERE id = 'acme'")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    assert_eq!(created, 1_740_823_200);
}
