//! Stopping a server process as an orchestrator does, with SIGTERM: open
//! policy streams get a last event telling them to reconnect, saves in
//! flight finish and are kept, the process exits within the grace, and a
//! second signal ends it at once.

use super::processes::{start_configured, with_first_admin, Browser, Replica};
use futures_util::StreamExt;
use reqwest::{header, StatusCode};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn terminate(server: &Replica) {
    let pid = server.process.id().to_string();
    let sent = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(sent.success());
}

/// How long the process took to exit, at most `within`.
fn exited_within(server: &mut Replica, within: Duration) -> Option<Duration> {
    let started = Instant::now();
    while started.elapsed() < within {
        if server.process.try_wait().unwrap().is_some() {
            return Some(started.elapsed());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_sigterm_streams_hear_to_reconnect_saves_in_flight_are_kept_and_the_process_exits() {
    let dir = tempfile::tempdir().unwrap();
    let database_url = crate::support::database::fresh_database_url(dir.path()).await;
    let shared = with_first_admin(dir.path(), &database_url, "http://127.0.0.1:9/v1".into());
    let env = [("AI_CONSOLE_SHUTDOWN_GRACE_SECS", "5")];
    let mut server =
        start_configured(&dir.path().join("server"), &database_url, &shared, &env).await;
    let mut browser = Browser::signed_in(&server).await;
    let token = browser.new_token(&server, "name=Poller").await;

    let stream = reqwest::Client::new()
        .get(format!(
            "{}/api/v1/workspaces/default/ai-policy/stream",
            server.base
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    let mut events = stream.bytes_stream();
    let first = events.next().await.unwrap().unwrap();
    assert!(String::from_utf8_lossy(&first).contains("event: policy"));

    let acknowledged = Arc::new(Mutex::new(Vec::<i64>::new()));
    let browser = Arc::new(browser);
    let saves = {
        let (browser, acknowledged) = (browser.clone(), acknowledged.clone());
        let base = server.base.clone();
        tokio::spawn(async move {
            let (mut on, mut version) = (false, 0);
            while let Some(Ok(next)) = browser.save_switch(&base, on, version).await {
                acknowledged.lock().unwrap().push(next);
                (on, version) = (!on, next);
            }
        })
    };
    while acknowledged.lock().unwrap().len() < 10 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    terminate(&server);

    // The stream ends, its last event saying to reconnect.
    let mut rest = String::new();
    let ended = tokio::time::timeout(Duration::from_secs(3), async {
        while let Some(Ok(chunk)) = events.next().await {
            rest.push_str(&String::from_utf8_lossy(&chunk));
        }
    })
    .await;
    assert!(ended.is_ok(), "the stream was not closed: {rest}");
    assert!(
        rest.contains("event: reconnect\ndata: {\"reason\":\"server_stopping\"}"),
        "{rest}"
    );
    let exited = tokio::task::block_in_place(|| exited_within(&mut server, Duration::from_secs(5)));
    assert!(exited.is_some(), "the process exits");
    assert!(server.process.wait().unwrap().success());
    saves.await.unwrap();

    let last = *acknowledged.lock().unwrap().last().unwrap();
    let pool = app::db::connect(&database_url).await.unwrap();
    let workspace = app::domain::WorkspaceId::new("default");
    let stored = app::ai_settings::store::load_versions(&pool, &workspace)
        .await
        .unwrap()
        .ai_enabled
        .version;
    assert_eq!(
        stored, last,
        "every acknowledged save is kept, and no other"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_longer_than_the_grace_is_cut_off_and_a_second_signal_stops_at_once() {
    let fake = test_support::fake_provider::FakeProvider::start().await;
    let dir = tempfile::tempdir().unwrap();
    let database_url = crate::support::database::fresh_database_url(dir.path()).await;
    // Streams one chunk, then never ends.
    let shared = with_first_admin(dir.path(), &database_url, fake.url("hanging"));
    let hanging_call = |server: &Replica, token: &str| {
        reqwest::Client::new()
            .post(format!("{}/gateway/openai/v1/chat/completions", server.base))
            .bearer_auth(token)
            .header("x-ai-feature", "assistant")
            .header(header::CONTENT_TYPE, "application/json")
            .body(r#"{"model": "gpt-4o", "stream": true, "messages": [{"role": "user", "content": "Hi"}]}"#)
            .send()
    };

    for (grace, second_signal) in [("1", false), ("60", true)] {
        let env = [("AI_CONSOLE_SHUTDOWN_GRACE_SECS", grace)];
        let data_dir = dir.path().join(format!("server-{grace}"));
        let mut server = start_configured(&data_dir, &database_url, &shared, &env).await;
        let mut browser = Browser::signed_in(&server).await;
        let token = browser
            .new_token(&server, "name=Caller&may_call_models=on")
            .await;
        let call = hanging_call(&server, &token).await.unwrap();
        assert_eq!(call.status(), StatusCode::OK);
        terminate(&server);
        if second_signal {
            tokio::time::sleep(Duration::from_millis(300)).await;
            terminate(&server);
        }
        let exited =
            tokio::task::block_in_place(|| exited_within(&mut server, Duration::from_secs(4)));
        let exited = exited.expect("the process exits");
        assert!(
            exited < Duration::from_secs(3),
            "exited after {exited:?} (grace {grace} s, second signal: {second_signal})"
        );
        drop(call);
    }
}
