//! A flood of sign-ins against a real server process, measured from
//! outside as an operator would: memory, how many passwords were checked,
//! and whether the page still answers.

use super::processes::{form_post, one_server, Replica};
use reqwest::{header, redirect, StatusCode};

/// The most memory the process may have used at its peak, in KiB.
const MOST_MEMORY_KIB: u64 = 200 * 1024;

/// The process's peak resident memory, from the kernel.
fn peak_memory_kib(replica: &Replica) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", replica.process.id())).unwrap();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/<pid>/status")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_hundred_parallel_wrong_sign_ins_check_at_most_the_limit_in_little_memory() {
    let dir = tempfile::tempdir().unwrap();
    let database_url = crate::support::database::fresh_database_url(dir.path()).await;
    let server = one_server(dir.path(), &database_url).await;
    let client = reqwest::Client::builder()
        .redirect(redirect::Policy::none())
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let form = "email=ada@example.com&password=not+the+password&next=/settings/ai";
    let flood = (0..500).map(|_| {
        let request = form_post(
            &client,
            &server.base,
            "/api/account/sign-in",
            form,
            "text/html",
        );
        async move {
            let response = request.send().await.unwrap();
            assert!(response.status().is_redirection(), "{}", response.status());
            let to = response.headers()[header::LOCATION]
                .to_str()
                .unwrap()
                .to_string();
            to.split("error=")
                .nth(1)
                .and_then(|rest| rest.split('&').next())
                .unwrap()
                .to_string()
        }
    });
    let page = async {
        // Someone opening the sign-in page meanwhile still gets it.
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        client
            .get(format!("{}/login", server.base))
            .send()
            .await
            .unwrap()
            .status()
    };
    let (answers, page) = tokio::join!(futures_util::future::join_all(flood), page);
    assert_eq!(page, StatusCode::OK);

    let checked = answers
        .iter()
        .filter(|code| *code == "invalid-credentials")
        .count();
    let refused = answers
        .iter()
        .filter(|code| code.starts_with("too-many-attempts") || *code == "busy")
        .count();
    assert!(checked <= 10, "{checked} of 500 passwords were checked");
    assert_eq!(checked + refused, 500, "{answers:?}");
    let peak = peak_memory_kib(&server);
    assert!(peak < MOST_MEMORY_KIB, "peak memory {} MiB", peak / 1024);
}

#[tokio::test]
async fn an_operator_unlocks_an_account_from_the_command_line() {
    use super::processes::{server_command, sign_in_form, Shared};
    let dir = tempfile::tempdir().unwrap();
    let database_url = crate::support::database::fresh_database_url(dir.path()).await;
    let server = one_server(dir.path(), &database_url).await;
    let client = reqwest::Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .unwrap();
    let sign_in = |form: String| {
        let request = form_post(
            &client,
            &server.base,
            "/api/account/sign-in",
            &form,
            "text/html",
        );
        async move {
            let response = request.send().await.unwrap();
            response.headers()[header::LOCATION]
                .to_str()
                .unwrap()
                .to_string()
        }
    };
    for _ in 0..10 {
        let wrong = "email=ada@example.com&password=not+the+password&next=/settings/ai";
        sign_in(wrong.to_string()).await;
    }
    assert!(sign_in(sign_in_form())
        .await
        .contains("error=too-many-attempts"));

    let shared = Shared {
        master_key: app::model_provider::cipher::MasterKeys::generate_entry(),
        openai: "http://127.0.0.1:9/v1".into(),
    };
    let unlocked = server_command(&dir.path().join("operator"), &database_url, &shared)
        .args(["unlock", "--email", "ada@example.com"])
        .stdout(std::process::Stdio::piped())
        .output()
        .unwrap();
    assert!(unlocked.status.success());
    let said = String::from_utf8_lossy(&unlocked.stdout);
    assert!(said.contains("10 failed attempt(s) cleared"), "{said}");
    assert_eq!(sign_in(sign_in_form()).await, "/settings/ai");
}
