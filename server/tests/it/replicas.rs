//! Two server processes on one database behave as one console: the
//! session made through one is honoured by the other, a change saved
//! through one is what the other shows and serves on its next request.
//! The database is PostgreSQL on the test script's second pass (see
//! common/database.rs), and an SQLite file shared by both otherwise.

use super::processes::{create_admin, sign_in_form, start_replica, Browser, Replica, Shared};
use app::model_provider::cipher::MasterKeys;
use reqwest::{header, StatusCode};
use std::path::Path;
use std::time::{Duration, Instant};
use test_support::fake_provider::{FakeProvider, GOOD_KEYS};

fn ai_switch_is_on(html: &str) -> bool {
    let at = html
        .find("aria-labelledby=\"ai_enabled-label\"")
        .expect("the AI switch is on the page");
    let button = &html[html[..at].rfind("<button").unwrap()..at];
    button.contains("aria-checked=\"true\"")
}

/// `GET` of the policy API (`suffix` "" or "/stream") with a service token.
async fn ask(replica: &Replica, token: &str, suffix: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(format!(
            "{}/api/v1/workspaces/default/ai-policy{suffix}",
            replica.base
        ))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

async fn policy(replica: &Replica, token: &str) -> (serde_json::Value, String) {
    let response = ask(replica, token, "").await;
    assert_eq!(response.status(), StatusCode::OK);
    let etag = response.headers()[header::ETAG]
        .to_str()
        .unwrap()
        .to_string();
    let body = response.text().await.unwrap();
    (serde_json::from_str(&body).unwrap(), etag)
}

/// An admin account (`ada@example.com`) and two replicas started on one
/// fresh database, on the Enterprise plan with a loopback fake provider
/// (kept running by the returned value).
async fn two_replicas(dir: &Path, database_url: &str) -> (Replica, Replica, FakeProvider) {
    let fake = FakeProvider::start().await;
    let shared = Shared {
        master_key: MasterKeys::generate_entry(),
        openai: fake.url("openai"),
    };
    create_admin(dir, database_url, &shared);
    let first = start_replica(&dir.join("first"), database_url, &shared).await;
    let second = start_replica(&dir.join("second"), database_url, &shared).await;
    (first, second, fake)
}

/// The service token the API access page shows once.
fn shown_token(page: &str) -> String {
    let start = page.find("aic_").expect("the new token is shown");
    page[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// How soon a change made through one replica must show on another:
/// PostgreSQL notifies every replica at once; several processes on one
/// SQLite file (only ever a test setup) compare policy versions every
/// couple of seconds.
fn propagation_limit(database_url: &str) -> Duration {
    if database_url.starts_with("postgres") {
        Duration::from_secs(1)
    } else {
        server::RECONCILE_EVERY + Duration::from_secs(1)
    }
}

/// The replica's policy once `check` holds, failing after `limit`.
async fn policy_within(
    replica: &Replica,
    token: &str,
    limit: Duration,
    check: impl Fn(&serde_json::Value) -> bool,
) -> (serde_json::Value, String) {
    let deadline = Instant::now() + limit;
    loop {
        let answer = policy(replica, token).await;
        if check(&answer.0) {
            return answer;
        }
        assert!(
            Instant::now() < deadline,
            "{} still answers {} after {limit:?}",
            replica.base,
            answer.0
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn two_server_processes_on_one_database_act_as_one_console() {
    let dir = tempfile::tempdir().unwrap();
    let database_url = crate::support::database::fresh_database_url(dir.path()).await;
    let (first, second, _fake) = two_replicas(dir.path(), &database_url).await;

    // Signed in through the first, recognised by the second.
    let mut browser = Browser::new();
    assert_eq!(
        browser
            .post(&first, "/api/account/sign-in", &sign_in_form())
            .await,
        "/settings/ai"
    );
    let page = browser.get(&second, "/settings/ai").await;
    assert!(page.contains("Sign out"), "signed in on the second replica");
    assert!(ai_switch_is_on(&page));

    // A token made through the second is shown once by the first (the
    // session carries it), and both answer to it.
    assert_eq!(
        browser
            .post(&second, "/api/api-access/create", "name=Gateway")
            .await,
        "/settings/api?done=created"
    );
    let token = shown_token(&browser.get(&first, "/settings/api").await);
    let (before, etag_before) = policy(&first, &token).await;
    assert_eq!(before["ai_enabled"], true);

    // Turned off through the first: the second's page, activity and API
    // say so on their next request.
    let saved = browser
        .post(
            &first,
            "/api/settings/ai/enabled",
            "enabled=false&version=0",
        )
        .await;
    assert!(!saved.contains("failed"), "{saved}");
    let page = browser.get(&second, "/settings/ai").await;
    assert!(
        !ai_switch_is_on(&page),
        "the second replica shows the change"
    );
    assert!(
        page.contains("AI features: On → Off"),
        "and its audit entry"
    );
    let limit = propagation_limit(&database_url);
    let (after, etag_after) = policy_within(&second, &token, limit, |policy| {
        policy["ai_enabled"] == false
    })
    .await;
    assert_eq!(after["ai_enabled"], false);
    assert_ne!(etag_before, etag_after);

    // The second knows the version the first wrote: its save of the next
    // version goes through, and the first serves it.
    let saved = browser
        .post(
            &second,
            "/api/settings/ai/enabled",
            "enabled=true&version=1",
        )
        .await;
    assert!(!saved.contains("failed"), "{saved}");
    assert!(ai_switch_is_on(&browser.get(&first, "/settings/ai").await));
    policy_within(&first, &token, limit, |policy| policy["ai_enabled"] == true).await;
}

/// A policy stream opened on a replica.
struct Stream {
    response: reqwest::Response,
    buffered: String,
}

impl Stream {
    async fn open(replica: &Replica, token: &str) -> Stream {
        let response = ask(replica, token, "/stream").await;
        assert_eq!(response.status(), StatusCode::OK);
        Stream {
            response,
            buffered: String::new(),
        }
    }

    /// The next policy sent, waiting at most `limit`; `None` once the
    /// stream ended.
    async fn next(&mut self, limit: Duration) -> Option<serde_json::Value> {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(end) = self.buffered.find("\n\n") {
                let event: String = self.buffered.drain(..end + 2).collect();
                if let Some(data) = event.lines().find_map(|line| line.strip_prefix("data: ")) {
                    return Some(serde_json::from_str(data).unwrap());
                }
                continue;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            let chunk = tokio::time::timeout(left, self.response.chunk())
                .await
                .unwrap_or_else(|_| panic!("nothing within {limit:?}"))
                .unwrap()?;
            self.buffered.push_str(std::str::from_utf8(&chunk).unwrap());
        }
    }
}

/// Switches AI through `replica`'s form, based on `version`.
async fn switch_ai(browser: &mut Browser, replica: &Replica, on: bool, version: i64) {
    let saved = browser
        .post(
            replica,
            "/api/settings/ai/enabled",
            &format!("enabled={on}&version={version}"),
        )
        .await;
    assert!(!saved.contains("failed"), "{saved}");
}

#[tokio::test]
async fn on_postgresql_changes_reach_the_other_replica_within_a_second_even_after_a_lost_connection(
) {
    let dir = tempfile::tempdir().unwrap();
    let database_url = crate::support::database::fresh_database_url(dir.path()).await;
    if !database_url.starts_with("postgres") {
        // Notifications are PostgreSQL's: the test script's second pass.
        return;
    }
    let (first, second, _fake) = two_replicas(dir.path(), &database_url).await;
    let mut browser = Browser::new();
    browser
        .post(&first, "/api/account/sign-in", &sign_in_form())
        .await;
    browser
        .post(&first, "/api/api-access/create", "name=Gateway")
        .await;
    let token = shown_token(&browser.get(&first, "/settings/api").await);
    let second_follows = || async {
        let ready = reqwest::get(format!("{}/readyz", second.base))
            .await
            .unwrap();
        ready.text().await.unwrap().contains(r#""policy":"live""#)
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    while !second_follows().await {
        assert!(
            Instant::now() < deadline,
            "the second replica never followed changes"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // A change through the first reaches a stream on the second at once.
    let mut stream = Stream::open(&second, &token).await;
    assert_eq!(
        stream.next(Duration::from_secs(1)).await.unwrap()["ai_enabled"],
        true
    );
    let clicked = Instant::now();
    switch_ai(&mut browser, &first, false, 0).await;
    let pushed = stream.next(Duration::from_secs(1)).await.unwrap();
    assert_eq!(pushed["ai_enabled"], false);
    assert!(clicked.elapsed() < Duration::from_secs(1));

    // The notification connections die: answers stay right meanwhile,
    // and the replica follows changes again by itself.
    let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(&database_url)
        .await
        .unwrap();
    let killed: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
    )
    .bind(app::use_cases::live_policy::LISTENER_NAME)
    .fetch_all(&mut admin)
    .await
    .unwrap();
    assert!(!killed.is_empty(), "the replicas' listeners were found");
    switch_ai(&mut browser, &first, true, 1).await;
    policy_within(&second, &token, Duration::from_secs(1), |policy| {
        policy["ai_enabled"] == true
    })
    .await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while !second_follows().await {
        assert!(
            Instant::now() < deadline,
            "the second replica did not recover"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    switch_ai(&mut browser, &first, false, 2).await;
    policy_within(&second, &token, Duration::from_secs(1), |policy| {
        policy["ai_enabled"] == false
    })
    .await;

    // A key added, replaced and removed through the first: the second's
    // stream says so within a second each time.
    for (key, version) in [(GOOD_KEYS[0], 0), (GOOD_KEYS[1], 1)] {
        browser
            .post(
                &first,
                "/api/settings/ai/provider/key",
                &format!("provider=openai&key={key}&version={version}"),
            )
            .await;
        let last4 = &key[key.len() - 4..];
        let deadline = Duration::from_secs(1);
        let seen = loop {
            let policy = stream.next(deadline).await.unwrap();
            if policy["provider"]["key_last4"] == last4 {
                break policy;
            }
        };
        assert_eq!(seen["provider"]["kind"], "openai");
    }
    browser
        .post(&first, "/api/settings/ai/provider/remove", "version=2")
        .await;
    let removed = loop {
        let policy = stream.next(Duration::from_secs(1)).await.unwrap();
        if policy["provider"]["kind"] == "managed" {
            break policy;
        }
    };
    assert_eq!(removed["provider"]["key_last4"], serde_json::Value::Null);

    // Revoked through the first: refused by the second within a second.
    let page = browser.get(&first, "/settings/api").await;
    let at = page
        .find("name=\"token_id\" value=\"")
        .expect("a revoke form")
        + 23;
    let id: String = page[at..].chars().take_while(|c| *c != '"').collect();
    browser
        .post(&first, "/api/api-access/revoke", &format!("token_id={id}"))
        .await;
    let revoked = Instant::now();
    loop {
        let status = ask(&second, &token, "").await.status();
        if status == StatusCode::UNAUTHORIZED {
            break;
        }
        assert!(revoked.elapsed() < Duration::from_secs(1), "still {status}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn a_budget_spent_through_one_replica_turns_ai_off_on_the_other_within_a_second() {
    let dir = tempfile::tempdir().unwrap();
    let database_url = crate::support::database::fresh_database_url(dir.path()).await;
    let (first, second, _fake) = two_replicas(dir.path(), &database_url).await;
    let mut browser = Browser::new();
    browser
        .post(&first, "/api/account/sign-in", &sign_in_form())
        .await;
    browser
        .post(&first, "/api/api-access/create", "name=Reporter")
        .await;
    let token = shown_token(&browser.get(&first, "/settings/api").await);
    assert_eq!(
        browser
            .post(
                &first,
                "/api/settings/ai/budget/set",
                "amount=5&warn_percent=80&at_limit=stop_ai&version=0",
            )
            .await,
        "/settings/ai?budget=saved#budget"
    );
    policy(&second, &token).await;

    // These processes keep real time: the spend is this month's.
    let now = jiff::Timestamp::from_second(jiff::Timestamp::now().as_second())
        .unwrap()
        .to_string();
    let report = serde_json::json!({"events": [{"id": "r1", "at": now,
        "feature": "assistant", "model": "gpt-4o", "input_tokens": 1, "output_tokens": 1,
        "cost": 6.0}]});
    let answer = reqwest::Client::new()
        .post(format!("{}/api/v1/workspaces/default/usage", first.base))
        .bearer_auth(&token)
        .header(header::CONTENT_TYPE, "application/json")
        .body(report.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    let limit = propagation_limit(&database_url);
    let (stopped, _) = policy_within(&second, &token, limit, |policy| {
        policy["ai_enabled"] == false
    })
    .await;
    assert_eq!(stopped["ai_off_reason"], "budget_exhausted");
}
