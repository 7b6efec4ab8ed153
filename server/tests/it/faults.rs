//! Faults an operator will meet: the process killed mid-write, the
//! database gone for a while. Real server processes, observed from outside.

use super::processes::{create_admin, start_replica, Browser, Shared};
use app::ai_settings::store as settings;
use app::ai_settings::SwitchSetting;
use app::domain::WorkspaceId;
use app::model_provider::cipher::MasterKeys;
use reqwest::{header, StatusCode};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn shared() -> Shared {
    Shared {
        master_key: MasterKeys::generate_entry(),
        openai: "http://127.0.0.1:9/v1".into(),
    }
}

/// Saves the AI switch as the page's script does; the new version, or
/// `None` when no answer came (the server is gone).
/// The stored switch, its version and how many audit entries it has.
async fn stored(database_url: &str) -> (bool, i64, i64) {
    let pool = app::db::connect(database_url).await.unwrap();
    let workspace = WorkspaceId::new("default");
    let value = settings::load(&pool, &workspace).await.unwrap().ai_enabled;
    let version = settings::load_versions(&pool, &workspace)
        .await
        .unwrap()
        .ai_enabled
        .version;
    let entries: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE subject = $1")
        .bind(SwitchSetting::AiEnabled.title())
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    (value, version, entries)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_mid_saves_keeps_every_acknowledged_save_with_exactly_one_audit_entry() {
    let dir = tempfile::tempdir().unwrap();
    let database_url = crate::support::database::fresh_database_url(dir.path()).await;
    let shared = shared();
    create_admin(dir.path(), &database_url, &shared);
    let mut server = start_replica(&dir.path().join("server"), &database_url, &shared).await;
    let browser = Arc::new(Browser::signed_in(&server).await);

    // (value, version) of every save the server acknowledged.
    let acknowledged = Arc::new(Mutex::new(Vec::<(bool, i64)>::new()));
    let saves = {
        let (browser, acknowledged) = (browser.clone(), acknowledged.clone());
        let base = server.base.clone();
        tokio::spawn(async move {
            let (mut on, mut version) = (false, 0);
            while let Some(saved) = browser.save_switch(&base, on, version).await {
                let next = saved.expect("a save on its own never conflicts");
                acknowledged.lock().unwrap().push((on, next));
                (on, version) = (!on, next);
            }
        })
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while acknowledged.lock().unwrap().len() < 40 {
        assert!(Instant::now() < deadline, "saves did not go through");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.process.kill().unwrap(); // SIGKILL: no shutdown, no flush
    server.process.wait().unwrap();
    saves.await.unwrap();

    let (last_on, last_version) = *acknowledged.lock().unwrap().last().unwrap();
    let (on, version, entries) = stored(&database_url).await;
    // What was acknowledged is kept. A save whose answer the kill cut off
    // may have been kept too, but then whole: value, version and entry.
    assert!(
        (on, version) == (last_on, last_version) || (on, version) == (!last_on, last_version + 1),
        "stored {on} at version {version}; last acknowledged {last_on} at {last_version}"
    );
    assert_eq!(
        entries, version,
        "one audit entry per change, none missing, none twice"
    );

    // And the console comes back on the same database, as it was.
    let again = start_replica(&dir.path().join("again"), &database_url, &shared).await;
    let browser = Browser::signed_in(&again).await;
    assert_eq!(
        browser.save_switch(&again.base, !on, version).await,
        Some(Ok(version + 1))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_mid_calls_loses_at_most_the_last_batch_window_of_metered_calls() {
    let fake = test_support::fake_provider::FakeProvider::start().await;
    let dir = tempfile::tempdir().unwrap();
    let database_url = crate::support::database::fresh_database_url(dir.path()).await;
    let shared = Shared {
        master_key: MasterKeys::generate_entry(),
        openai: fake.url("openai"),
    };
    create_admin(dir.path(), &database_url, &shared);
    let mut server = start_replica(&dir.path().join("server"), &database_url, &shared).await;
    let mut browser = Browser::signed_in(&server).await;
    let form = "name=Assistant&may_call_models=on&gateway_feature=assistant";
    let token = browser.new_token(&server, form).await;
    let client = reqwest::Client::new();
    let call = || {
        client
            .post(format!(
                "{}/gateway/openai/v1/chat/completions",
                server.base
            ))
            .bearer_auth(&token)
            .header(header::CONTENT_TYPE, "application/json")
            .body(r#"{"model": "gpt-4o", "messages": [{"role": "user", "content": "Hi"}]}"#)
            .send()
    };
    for _ in 0..20 {
        assert_eq!(call().await.unwrap().status(), StatusCode::OK);
    }
    // Older than a batch window: written, whatever happens next.
    tokio::time::sleep(server::gateway::meter::BATCH_WINDOW * 4).await;
    for _ in 0..5 {
        assert_eq!(call().await.unwrap().status(), StatusCode::OK);
    }
    server.process.kill().unwrap(); // SIGKILL: no shutdown, no flush
    server.process.wait().unwrap();

    let pool = app::db::connect(&database_url).await.unwrap();
    let metered: i64 =
        sqlx::query_scalar("SELECT CAST(COALESCE(SUM(events), 0) AS BIGINT) FROM usage_daily")
            .fetch_one(&pool)
            .await
            .unwrap();
    pool.close().await;
    assert!(
        (20..=25).contains(&metered),
        "{metered} calls metered: every call older than one batch window is kept"
    );
}

/// A TCP relay in front of PostgreSQL that the test can cut: the
/// database as the console sees it when its host goes away.
struct Relay {
    port: u16,
    up: Arc<std::sync::atomic::AtomicBool>,
    connections: Arc<Mutex<Vec<tokio::task::JoinHandle<()>>>>,
}

impl Relay {
    async fn start(target: String) -> Relay {
        use std::sync::atomic::Ordering;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let up = Arc::new(std::sync::atomic::AtomicBool::new(true));
        let connections = Arc::new(Mutex::new(Vec::new()));
        let (is_up, held) = (up.clone(), connections.clone());
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if !is_up.load(Ordering::SeqCst) {
                    continue; // dropped: refused
                }
                let target = target.clone();
                let relay = tokio::spawn(async move {
                    if let Ok(mut outbound) = tokio::net::TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                held.lock().unwrap().push(relay);
            }
        });
        Relay {
            port,
            up,
            connections,
        }
    }

    /// Cuts every open connection and refuses new ones.
    fn cut(&self) {
        self.up.store(false, std::sync::atomic::Ordering::SeqCst);
        for connection in self.connections.lock().unwrap().drain(..) {
            connection.abort();
        }
    }

    fn restore(&self) {
        self.up.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

async fn status_of(client: &reqwest::Client, url: &str, cookie: &str) -> (StatusCode, Duration) {
    let started = Instant::now();
    let status = client
        .get(url)
        .header(header::COOKIE, cookie)
        .timeout(Duration::from_secs(40))
        .send()
        .await
        .map(|response| response.status())
        .unwrap_or(StatusCode::REQUEST_TIMEOUT);
    (status, started.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn while_postgresql_is_gone_requests_fail_fast_readyz_says_so_and_the_console_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let database_url = crate::support::database::fresh_database_url(dir.path()).await;
    if !database_url.starts_with("postgres") {
        // An embedded SQLite file cannot go away: the PostgreSQL pass.
        return;
    }
    let mut url = url::Url::parse(&database_url).unwrap();
    let target = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap());
    let relay = Relay::start(target).await;
    url.set_port(Some(relay.port)).unwrap();
    let through_relay = url.to_string();
    let shared = shared();
    create_admin(dir.path(), &through_relay, &shared);
    let server = start_replica(&dir.path().join("server"), &through_relay, &shared).await;
    let cookie = Browser::signed_in(&server).await.cookie.unwrap();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = format!("{}/settings/ai", server.base);
    let ready = format!("{}/readyz", server.base);
    assert_eq!(status_of(&client, &page, &cookie).await.0, StatusCode::OK);

    relay.cut();
    let outage = Instant::now();
    while outage.elapsed() < Duration::from_secs(10) {
        let (status, took) = status_of(&client, &page, &cookie).await;
        assert_eq!(
            status,
            StatusCode::SERVICE_UNAVAILABLE,
            "the page during the outage"
        );
        assert!(took < Duration::from_secs(12), "answered after {took:?}");
        let (status, took) = status_of(&client, &ready, "").await;
        assert_eq!(
            status,
            StatusCode::SERVICE_UNAVAILABLE,
            "/readyz during the outage"
        );
        assert!(
            took < Duration::from_secs(5),
            "/readyz answered after {took:?}"
        );
    }
    relay.restore();

    // Back by itself: no restart, the same session.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let page_status = status_of(&client, &page, &cookie).await.0;
        let ready_status = status_of(&client, &ready, "").await.0;
        if page_status == StatusCode::OK && ready_status == StatusCode::OK {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "not recovered: page {page_status}, /readyz {ready_status}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    drop(server);
}
