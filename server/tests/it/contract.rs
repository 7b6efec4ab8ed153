//! The service APIs hold to their OpenAPI description: a property-based
//! fuzzer (Schemathesis, which `scripts/test.sh` installs and names in
//! `SCHEMATHESIS`) reads the document a running console serves, sends
//! what it describes (and what it does not), with a service token and
//! without one, and fails on any 5xx, any status, content type, header or
//! body the document does not state. The policy stream is left out: it
//! never ends by design (its events are checked in live_policy.rs).

use super::processes::{start_replica, with_first_admin, Browser};
use std::process::Command;

/// The fuzzer, or why the test does not run. Under the test command it
/// must be there (`AI_CONSOLE_REQUIRE_CONTRACT`): never skipped silently.
fn schemathesis() -> Option<String> {
    match std::env::var("SCHEMATHESIS") {
        Ok(path) if !path.is_empty() => Some(path),
        _ => {
            assert!(
                std::env::var_os("AI_CONSOLE_REQUIRE_CONTRACT").is_none(),
                "SCHEMATHESIS is not set: scripts/test.sh installs it"
            );
            eprintln!(
                "SKIPPED the contract test: SCHEMATHESIS is unset (scripts/test.sh installs it)"
            );
            None
        }
    }
}

/// Runs the fuzzer in `dir` (it keeps its example database there).
fn fuzz(schemathesis: &str, dir: &std::path::Path, base: &str, token: Option<&str>) {
    let mut command = Command::new(schemathesis);
    command
        .current_dir(dir)
        .arg("run")
        .arg(format!("{base}/api/v1/openapi.json"))
        .args(["--url", base])
        .args([
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,\
             response_headers_conformance,response_schema_conformance",
        ])
        .args(["--mode", "all"])
        .args(["--phases", "examples,coverage,fuzzing"])
        .args(["--max-examples", "40"])
        .args(["--exclude-path-regex", "/stream$"])
        .args(["--request-timeout", "10"])
        .args(["--seed", "7"])
        .args(["--warnings", "off"])
        .arg("--no-color")
        .env("NO_COLOR", "1");
    if let Some(token) = token {
        command.args(["--header", &format!("Authorization: Bearer {token}")]);
    }
    let output = command.output().expect("Schemathesis runs");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "the API departs from its description ({}):\n{printed}",
        if token.is_some() {
            "with a token"
        } else {
            "without a token"
        }
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_service_apis_answer_as_their_openapi_description_says_with_and_without_a_token() {
    if std::env::var_os("TEST_DATABASE_URL").is_some() {
        // The description and the answers' shapes do not depend on the
        // database: once, on SQLite, is enough.
        return;
    }
    let Some(schemathesis) = schemathesis() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let database_url = crate::support::database::fresh_database_url(dir.path()).await;
    let shared = with_first_admin(dir.path(), &database_url, "http://127.0.0.1:9/v1".into());
    let server = start_replica(&dir.path().join("server"), &database_url, &shared).await;
    let mut browser = Browser::signed_in(&server).await;
    let token = browser.new_token(&server, "name=Fuzzer").await;
    let base = server.base.clone();
    let fuzzing = dir.path().to_path_buf();
    tokio::task::spawn_blocking(move || {
        fuzz(&schemathesis, &fuzzing, &base, Some(&token));
        fuzz(&schemathesis, &fuzzing, &base, None);
    })
    .await
    .unwrap();
}
