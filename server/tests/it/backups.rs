//! Backups that restore, and the move from SQLite to PostgreSQL, with real
//! server processes: a populated console (accounts, a setting, its audit
//! entry, a workspace key, a service token) is backed up while it runs,
//! restored into an empty data directory or copied into PostgreSQL, and
//! the console started there has all of it (the key still opening under
//! the same master keys).

use super::processes::{
    create_admin, server_command, sign_in_form, start_replica, Browser, Replica, Shared, PASSWORD,
};
use app::model_provider::cipher::MasterKeys;
use std::path::Path;
use test_support::fake_provider::{FakeProvider, GOOD_KEYS};

/// Signs in, turns AI off, adds a workspace key and a token that may
/// receive it; returns the token.
async fn populate(console: &Replica) -> String {
    let mut browser = Browser::new();
    browser
        .post(console, "/api/account/sign-in", &sign_in_form())
        .await;
    browser
        .post(
            console,
            "/api/settings/ai/enabled",
            "enabled=false&version=0",
        )
        .await;
    browser
        .post(
            console,
            "/api/settings/ai/provider/key",
            &format!("provider=openai&key={}&version=0", GOOD_KEYS[0]),
        )
        .await;
    let form = format!(
        "name=Gateway&may_receive_keys=on&password={}",
        PASSWORD.replace(' ', "+")
    );
    browser.new_token(console, &form).await
}

/// The policy `console` answers the service token `token`.
async fn policy_of(console: &Replica, token: &str) -> serde_json::Value {
    let policy = reqwest::Client::new()
        .get(format!(
            "{}/api/v1/workspaces/default/ai-policy",
            console.base
        ))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    serde_json::from_str(&policy).unwrap()
}

/// What `populate` made is all there on `console`.
async fn everything_is_there(console: &Replica, token: &str) {
    let mut browser = Browser::new();
    assert_eq!(
        browser
            .post(console, "/api/account/sign-in", &sign_in_form())
            .await,
        "/settings/ai",
        "the admin signs in with the same password"
    );
    let page = browser.get(console, "/settings/ai").await;
    assert!(page.contains("AI features: On → Off"), "the audit entry");
    let policy = policy_of(console, token).await;
    assert_eq!(policy["ai_enabled"], false, "the setting");
    // And it goes on from there: a new change gets its own audit entry
    // (ids keep counting after the copied ones).
    let saved = browser
        .post(
            console,
            "/api/settings/ai/enabled",
            "enabled=true&version=1",
        )
        .await;
    assert!(
        !saved.contains("failed") && !saved.contains("error"),
        "{saved}"
    );
    let page = browser.get(console, "/settings/ai").await;
    assert!(page.contains("AI features: Off → On"), "the new entry");
    // With AI on again the workspace key is handed out, so it opened under
    // the same master keys.
    let policy = policy_of(console, token).await;
    assert_eq!(
        policy["provider"]["key"], GOOD_KEYS[0],
        "the workspace key opens under the same master keys"
    );
}

/// Runs the server's command line; its success and what it printed.
fn run(dir: &Path, database_url: &str, shared: &Shared, args: &[&str]) -> (bool, String) {
    let output = server_command(dir, database_url, shared)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

fn sqlite_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("console.db").display())
}

/// A console on an SQLite file in `dir/live`, running and populated.
struct Populated {
    shared: Shared,
    live: std::path::PathBuf,
    url: String,
    console: Replica,
    /// The token that may receive the key.
    token: String,
    /// Verifies the workspace key; kept running for the test.
    _fake: FakeProvider,
}

async fn populated(dir: &Path) -> Populated {
    let fake = FakeProvider::start().await;
    let shared = Shared {
        master_key: MasterKeys::generate_entry(),
        openai: fake.url("openai"),
    };
    let live = dir.join("live");
    std::fs::create_dir_all(&live).unwrap();
    let url = sqlite_url(&live);
    create_admin(dir, &url, &shared);
    let console = start_replica(&live, &url, &shared).await;
    let token = populate(&console).await;
    Populated {
        shared,
        live,
        url,
        console,
        token,
        _fake: fake,
    }
}

#[tokio::test]
async fn a_backup_taken_while_running_restores_into_an_empty_data_directory() {
    let dir = tempfile::tempdir().unwrap();
    let Populated {
        shared,
        live,
        url: live_url,
        console,
        token,
        _fake,
    } = populated(dir.path()).await;

    let backup = dir.path().join("console-backup.db");
    let backup_arg = backup.display().to_string();
    let (ok, said) = run(&live, &live_url, &shared, &["backup", "--to", &backup_arg]);
    assert!(ok, "{said}");
    assert!(said.contains("Keep the master keys"), "{said}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&backup).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the backup is private");
    }
    let (ok, said) = run(&live, &live_url, &shared, &["backup", "--to", &backup_arg]);
    assert!(!ok && said.contains("already exists"), "{said}");

    // Never under a running console, never from something else.
    let (ok, said) = run(
        &live,
        &live_url,
        &shared,
        &["restore", "--from", &backup_arg],
    );
    assert!(!ok && said.contains("a console is running"), "{said}");
    let restored = dir.path().join("restored");
    std::fs::create_dir_all(&restored).unwrap();
    let restored_url = sqlite_url(&restored);
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, "not a database at all").unwrap();
    let (ok, said) = run(
        &restored,
        &restored_url,
        &shared,
        &["restore", "--from", &junk.display().to_string()],
    );
    assert!(!ok && said.contains("not a backup"), "{said}");
    assert!(!restored.join("console.db").exists(), "nothing was written");

    let (ok, said) = run(
        &restored,
        &restored_url,
        &shared,
        &["restore", "--from", &backup_arg],
    );
    assert!(ok, "{said}");
    drop(console);
    let console = start_replica(&restored, &restored_url, &shared).await;
    everything_is_there(&console, &token).await;
}

#[tokio::test]
async fn an_sqlite_console_moves_to_postgresql_with_everything_in_it() {
    let Ok(server_url) = std::env::var("TEST_DATABASE_URL") else {
        // Needs the PostgreSQL of the test script's second pass.
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let Populated {
        shared,
        live,
        url: sqlite,
        console,
        token,
        _fake,
    } = populated(dir.path()).await;
    drop(console);
    let before = std::fs::read(live.join("console.db")).unwrap();

    let postgres = crate::support::database::fresh_database_url(dir.path()).await;
    assert!(postgres.starts_with("postgres"), "{server_url}");
    let (ok, said) = run(
        &live,
        &sqlite,
        &shared,
        &["migrate-database", "--from", &sqlite, "--to", &postgres],
    );
    assert!(ok, "{said}");
    assert!(said.contains("row counts match"), "{said}");
    assert_eq!(
        std::fs::read(live.join("console.db")).unwrap(),
        before,
        "the source is left as it was"
    );
    let (ok, said) = run(
        &live,
        &sqlite,
        &shared,
        &["migrate-database", "--from", &sqlite, "--to", &postgres],
    );
    assert!(
        !ok && said.contains("not empty"),
        "a second copy is refused: {said}"
    );

    // pg_dump's output restores too (what docs/operations.md tells operators).
    let bin = postgres_bin();
    let dump = dir.path().join("console.sql");
    let dumped = std::process::Command::new(bin.join("pg_dump"))
        .args([
            "--no-owner",
            "--file",
            &dump.display().to_string(),
            &postgres,
        ])
        .status()
        .unwrap();
    assert!(dumped.success(), "pg_dump");
    let copy = crate::support::database::fresh_database_url(dir.path()).await;
    let loaded = std::process::Command::new(bin.join("psql"))
        .args(["--quiet", "--set", "ON_ERROR_STOP=1", "--file"])
        .arg(&dump)
        .arg(&copy)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(loaded.success(), "psql loads the dump");

    for (name, database) in [("pg", &postgres), ("pg-copy", &copy)] {
        let console = start_replica(&dir.path().join(name), database, &shared).await;
        everything_is_there(&console, &token).await;
    }
}

/// Debian's PostgreSQL programs, newest version.
fn postgres_bin() -> std::path::PathBuf {
    let mut versions: Vec<std::path::PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .unwrap()
        .filter_map(|entry| entry.ok().map(|entry| entry.path().join("bin")))
        .filter(|bin| bin.join("pg_dump").exists())
        .collect();
    versions.sort();
    versions.pop().expect("PostgreSQL's programs are installed")
}
