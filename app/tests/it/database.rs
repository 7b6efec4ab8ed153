//! The embedded SQLite database: how it is opened, and upgrading an
//! existing file keeps what admins chose before the schema changed.
#![cfg(feature = "ssr")]

use app::ai_settings::store as settings;
use app::api_access::store as tokens;
use app::db;
use app::domain::WorkspaceId;
use sqlx::migrate::Migrator;
use sqlx::sqlite::SqlitePool;
use std::path::Path;

/// The SQLite migrations as a release that knew only those up to `last`.
async fn migrations_up_to(last: &str, into: &Path) -> Migrator {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite");
    for entry in std::fs::read_dir(folder).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name().to_string_lossy().as_ref() <= last {
            std::fs::copy(entry.path(), into.join(entry.file_name())).unwrap();
        }
    }
    Migrator::new(into).await.unwrap()
}

#[tokio::test]
async fn switches_and_token_rights_survive_the_move_to_portable_flags() {
    let dir = tempfile::tempdir().unwrap();
    let old_release = dir.path().join("old-migrations");
    std::fs::create_dir(&old_release).unwrap();
    let path = dir.path().join("console.db");
    {
        let pool = SqlitePool::connect(&format!("sqlite://{}?mode=rwc", path.display()))
            .await
            .unwrap();
        migrations_up_to("0008_~", &old_release)
            .await
            .run(&pool)
            .await
            .unwrap();
        for statement in [
            "INSERT INTO workspaces (id, name) VALUES ('acme', 'Acme')",
            "INSERT INTO workspace_ai_settings VALUES ('acme', FALSE, TRUE, CURRENT_TIMESTAMP)",
            "INSERT INTO service_tokens (id, workspace_id, name, token_hash, may_receive_keys, created_by_name, created_at)
             VALUES ('t1', 'acme', 'gateway', 'h1', TRUE, 'Ada', 1), ('t2', 'acme', 'reports', 'h2', FALSE, 'Ada', 2)",
        ] {
            sqlx::query(statement).execute(&pool).await.unwrap();
        }
        pool.close().await;
    }

    let pool = db::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let workspace = WorkspaceId::new("acme");
    // Text timestamps of the first release became Unix seconds.
    for column in [
        "SELECT created_at FROM workspaces",
        "SELECT updated_at FROM workspace_ai_settings",
    ] {
        let seconds: i64 = sqlx::query_scalar(column).fetch_one(&pool).await.unwrap();
        assert!(seconds > 1_600_000_000, "{column}: {seconds}");
    }
    let saved = settings::load(&pool, &workspace).await.unwrap();
    assert!(!saved.ai_enabled);
    assert!(saved.training_allowed);
    let mut rights: Vec<(String, bool)> = tokens::live(&pool, &workspace)
        .await
        .unwrap()
        .into_iter()
        .map(|token| (token.name, token.may_receive_keys))
        .collect();
    rights.sort();
    assert_eq!(
        rights,
        [
            ("gateway".to_string(), true),
            ("reports".to_string(), false)
        ]
    );
}

#[tokio::test]
async fn the_embedded_database_uses_wal_foreign_keys_and_waits_when_busy() {
    let dir = tempfile::tempdir().unwrap();
    let pool = db::connect(&format!(
        "sqlite://{}",
        dir.path().join("console.db").display()
    ))
    .await
    .unwrap();
    let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(journal, "wal", "pages read while a save is written");
    let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(foreign_keys, 1);
    let busy_timeout_ms: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(busy_timeout_ms >= 1000, "{busy_timeout_ms} ms");
    assert!(
        dir.path().join("console.db").exists(),
        "the file is created"
    );
}

#[tokio::test]
async fn every_timestamp_is_unix_seconds_on_either_database() {
    let fresh = test_support::fresh_state(app::domain::Plan::Team).await;
    let pool = &fresh.state.pool;
    let workspace = &fresh.state.deployment.workspace;
    db::commit(pool, async |tx| {
        settings::save_switch(
            tx,
            workspace,
            app::ai_settings::SwitchSetting::AiEnabled,
            false,
            1_700_000_123,
        )
        .await
    })
    .await
    .unwrap();
    let updated: i64 = sqlx::query_scalar("SELECT updated_at FROM workspace_ai_settings")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(updated, 1_700_000_123);
    let created: i64 = sqlx::query_scalar("SELECT created_at FROM workspaces WHERE id = $1")
        .bind(workspace.as_str())
        .fetch_one(pool)
        .await
        .unwrap();
    assert!(created > 1_700_000_000, "{created}");
}

#[tokio::test]
async fn keys_stored_before_base_urls_were_bound_are_resealed_once_by_the_upgrade() {
    use app::model_provider::cipher::{associated_data_before_base_urls, MasterKeys};
    use app::model_provider::service::{bind_keys_to_base_urls, BASE_URL_BINDING_MIGRATION};
    use app::model_provider::store as keys;
    use secrecy::{ExposeSecret, SecretString};

    let dir = tempfile::tempdir().unwrap();
    let old_release = dir.path().join("old-migrations");
    std::fs::create_dir(&old_release).unwrap();
    let path = dir.path().join("console.db");
    let master = MasterKeys::parse(&MasterKeys::generate_entry()).unwrap();
    {
        let pool = SqlitePool::connect(&format!("sqlite://{}?mode=rwc", path.display()))
            .await
            .unwrap();
        migrations_up_to("0014_~", &old_release)
            .await
            .run(&pool)
            .await
            .unwrap();
        let sealed = master.seal(
            &SecretString::from("sk-old-release-key-1234"),
            &associated_data_before_base_urls("acme", "openai_compatible", "k1"),
        );
        sqlx::query("INSERT INTO workspaces (id, name, created_at) VALUES ('acme', 'Acme', 1)")
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO provider_keys (id, workspace_id, provider, base_url, master_key_id, nonce,
               ciphertext, last4, added_by_name, added_at, verified_at)
             VALUES ('k1', 'acme', 'openai_compatible', 'https://gw.example/v1', $1, $2, $3,
               '1234', 'Ada', 1, 1)",
        )
        .bind(&sealed.master_key_id)
        .bind(&sealed.nonce)
        .bind(&sealed.ciphertext)
        .execute(&pool)
        .await
        .unwrap();
        pool.close().await;
    }

    let url = format!("sqlite://{}", path.display());
    let (pool, migrated) = db::connect_reporting(&url).await.unwrap();
    assert!(
        migrated.iter().any(|m| m == BASE_URL_BINDING_MIGRATION),
        "{migrated:?}"
    );
    assert_eq!(bind_keys_to_base_urls(&pool, &master).await.unwrap(), 1);
    let record = keys::current(&pool, &WorkspaceId::new("acme"))
        .await
        .unwrap()
        .unwrap();
    let bound = app::model_provider::cipher::associated_data(
        "acme",
        "openai_compatible",
        "k1",
        Some("https://gw.example/v1"),
    );
    let opened = master.open(&record.sealed, &bound).unwrap();
    assert_eq!(opened.expose_secret(), "sk-old-release-key-1234");
    pool.close().await;

    // The next start applies nothing, so nothing is re-sealed again.
    let (_, migrated) = db::connect_reporting(&url).await.unwrap();
    assert!(migrated.is_empty(), "{migrated:?}");
}
