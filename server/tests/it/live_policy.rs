//! The policy API as a hot path: answers from memory that every change
//! keeps current, no write per answer, the retiring key for trusted
//! tokens, and the stream that pushes changes. Across processes:
//! replicas.rs.

use crate::policy_api::{
    admin_of, create_token, enterprise, policy, provider_version, store_key, PATH,
};
use crate::support::{location, LogCapture, TestServer};
use app::ai_settings::SwitchSetting;
use axum::body::Body;
use axum::http::{header, Request, Response, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::time::Duration;
use test_support::fake_provider::GOOD_KEYS;

async fn answer(server: &TestServer, token: &str) -> Value {
    let (status, body, _) = policy(server, Some(token), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_str(&body).unwrap()
}

async fn revoke_all(server: &TestServer) {
    let state = &server.console.state;
    let tokens = app::api_access::store::live(&state.pool, &state.deployment.workspace)
        .await
        .unwrap();
    for token in tokens {
        let response = server
            .post_form("/api/api-access/revoke", &format!("token_id={}", token.id))
            .await;
        assert_eq!(location(&response), "/settings/api?done=revoked");
    }
}

#[tokio::test]
async fn every_change_shows_in_the_very_next_answer() {
    let (server, _fake) = enterprise().await;
    let logs = LogCapture::default();
    let _capturing = logs.install();
    let state = &server.console.state;
    let trusted = create_token(&server, "Gateway", true).await;
    let plain = create_token(&server, "Router", false).await;
    assert_eq!(
        answer(&server, &trusted).await["provider"]["kind"],
        "managed"
    );

    // A key added: the trusted token gets it, the plain one its last four.
    store_key(&server, GOOD_KEYS[0]).await;
    let seen = answer(&server, &trusted).await;
    assert_eq!(seen["provider"]["key"], GOOD_KEYS[0]);
    let seen = answer(&server, &plain).await;
    assert_eq!(seen["provider"]["key_last4"], "1111");
    assert!(seen["provider"].get("key").is_none());

    // Replaced: the new key, and the old one until its grace period ends.
    store_key(&server, GOOD_KEYS[1]).await;
    let seen = answer(&server, &trusted).await;
    assert_eq!(seen["provider"]["key"], GOOD_KEYS[1]);
    let retiring = &seen["provider"]["retiring_key"];
    assert_eq!(retiring["key"], GOOD_KEYS[0]);
    assert_eq!(retiring["key_last4"], "1111");
    let grace = state.deployment.providers.grace_secs;
    assert_eq!(retiring["usable_until"], state.clock.now() + grace);
    let seen = answer(&server, &plain).await.to_string();
    assert!(
        !seen.contains(GOOD_KEYS[0]) && !seen.contains(GOOD_KEYS[1]),
        "{seen}"
    );
    assert!(!seen.contains("retiring_key"), "{seen}");
    server.clock.advance(grace);
    let seen = answer(&server, &trusted).await;
    assert!(seen["provider"].get("retiring_key").is_none(), "{seen}");

    // Removed: back to the managed provider.
    let version = provider_version(&server).await;
    app::model_provider::service::remove_key(state, &admin_of(&server), version)
        .await
        .unwrap();
    let seen = answer(&server, &trusted).await;
    assert_eq!(seen["provider"]["kind"], "managed");
    assert_eq!(seen["provider"]["key_last4"], Value::Null);

    // AI switched off, then the token revoked (the admin, idle for a
    // day, signs in again first).
    server.sign_in_as(app::domain::Role::Admin).await;
    turn_ai_off(&server).await;
    assert_eq!(answer(&server, &trusted).await["ai_enabled"], false);
    revoke_all(&server).await;
    assert_eq!(
        policy(&server, Some(&trusted), None).await.0,
        StatusCode::UNAUTHORIZED
    );

    let logged = logs.text();
    for key in GOOD_KEYS {
        assert!(!logged.contains(key), "a key reached the log");
    }
}

#[tokio::test]
async fn a_polling_service_adds_one_audit_entry_not_one_per_answer() {
    let (server, _fake) = enterprise().await;
    let state = &server.console.state;
    store_key(&server, GOOD_KEYS[0]).await;
    let trusted = create_token(&server, "Gateway", true).await;
    for _ in 0..10_000 {
        let (status, _, _) = policy(&server, Some(&trusted), None).await;
        assert_eq!(status, StatusCode::OK);
    }
    server.console.live_policy.flush(state).await.unwrap();
    let (entries, _) = app::activity::log::page(&state.pool, &state.deployment.workspace, 0)
        .await
        .unwrap();
    let disclosures: Vec<_> = entries
        .iter()
        .filter(|entry| entry.subject == "Model provider key")
        .collect();
    assert_eq!(disclosures.len(), 1);
    assert_eq!(disclosures[0].answers, Some(10_000));
    // The token's last use was written down once, by the flush.
    let tokens = app::api_access::store::live(&state.pool, &state.deployment.workspace)
        .await
        .unwrap();
    assert_eq!(tokens[0].last_used_at, Some(state.clock.now()));
    let (_, page) = server.get("/settings/ai").await;
    assert!(
        page.contains("(10000 answers since)"),
        "the panel counts them"
    );
}

/// Turns AI off as an admin's first save of the switch.
async fn turn_ai_off(server: &TestServer) {
    let state = &server.console.state;
    app::ai_settings::service::set_switch(
        state,
        &admin_of(server),
        SwitchSetting::AiEnabled,
        false,
        0,
    )
    .await
    .unwrap();
}

/// The data of a stream's next event, or `None` once it ended.
async fn next_event(body: &mut Body) -> Option<Value> {
    next_event_within(body, Duration::from_secs(1)).await
}

/// The data of a stream's next event, which must come within `within`.
async fn next_event_within(body: &mut Body, within: Duration) -> Option<Value> {
    let mut text = String::new();
    loop {
        let frame = tokio::time::timeout(within, body.frame())
            .await
            .expect("an event in time")?
            .unwrap();
        let Ok(data) = frame.into_data() else {
            continue;
        };
        text.push_str(std::str::from_utf8(&data).unwrap());
        if let Some(line) = text.lines().find_map(|line| line.strip_prefix("data: ")) {
            if text.ends_with("\n\n") {
                return Some(serde_json::from_str(line).unwrap());
            }
        }
    }
}

#[tokio::test]
async fn the_stream_sends_the_policy_at_once_then_each_change_and_ends_when_revoked() {
    let (server, _fake) = enterprise().await;
    let token = create_token(&server, "Gateway", false).await;
    let response = server
        .send(
            Request::get(format!("{PATH}/stream"))
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "text/event-stream"
    );
    let mut body = response.into_body();
    let first = next_event(&mut body).await.expect("the policy at once");
    assert_eq!(first["ai_enabled"], true);

    turn_ai_off(&server).await;
    let changed = next_event(&mut body).await.expect("the change");
    assert_eq!(changed["ai_enabled"], false);

    revoke_all(&server).await;
    assert_eq!(
        next_event(&mut body).await,
        Some(json!({"reason": "token_revoked"})),
        "a revoked token's stream says so"
    );
    assert!(next_event(&mut body).await.is_none(), "and ends");
}

async fn open_stream(
    server: &TestServer,
    token: &str,
    last_event_id: Option<&str>,
) -> Response<Body> {
    let mut request = Request::get(format!("{PATH}/stream"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"));
    if let Some(id) = last_event_id {
        request = request.header("last-event-id", id);
    }
    server.send(request.body(Body::empty()).unwrap()).await
}

#[tokio::test]
async fn a_stream_ends_within_a_second_of_its_tokens_expiry_saying_why() {
    let (server, _fake) = enterprise().await;
    let response = server
        .post_form("/api/api-access/create", "name=Nightly&lifetime=30")
        .await;
    assert_eq!(location(&response), "/settings/api?done=created");
    let (_, html) = server.get("/settings/api").await;
    let start = html.find("aic_").unwrap();
    let token: String = html[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let response = open_stream(&server, &token, None).await;
    assert!(
        response.headers().contains_key("token-expires-at"),
        "the stream says when its token expires"
    );
    let mut body = response.into_body();
    next_event(&mut body).await.expect("the policy at once");
    server.clock.advance(31 * 24 * 3600);
    assert_eq!(
        next_event_within(&mut body, Duration::from_millis(1500)).await,
        Some(json!({"reason": "token_expired"}))
    );
    assert!(next_event(&mut body).await.is_none());
}

#[tokio::test]
async fn events_carry_the_policys_version_and_a_reconnecting_client_is_not_sent_what_it_has() {
    let (server, _fake) = enterprise().await;
    let token = create_token(&server, "Gateway", false).await;
    let mut body = open_stream(&server, &token, None).await.into_body();
    let frame = body.frame().await.unwrap().unwrap();
    let first = String::from_utf8(frame.into_data().unwrap().to_vec()).unwrap();
    assert!(first.contains("retry: 2000"), "{first}");
    let id = first
        .lines()
        .find_map(|line| line.strip_prefix("id: "))
        .expect("the event has an id")
        .to_string();
    drop(body);

    // Reconnecting with the id it last saw: the unchanged policy is not
    // sent again, the next change is.
    let mut body = open_stream(&server, &token, Some(&id)).await.into_body();
    turn_ai_off(&server).await;
    let next = next_event(&mut body).await.expect("the change");
    assert_eq!(next["ai_enabled"], false);
}

#[tokio::test]
async fn streams_refuse_what_the_policy_refuses() {
    let (server, _fake) = enterprise().await;
    let response = server
        .send(
            Request::get(format!("{PATH}/stream"))
                .header(header::AUTHORIZATION, "Bearer aic_wrong")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_token_holds_only_so_many_streams_and_a_closed_one_frees_its_place() {
    let server = crate::support::server_configured(app::domain::Plan::Team, |config| {
        config.serving.max_streams_per_token = 2;
    })
    .await;
    server.sign_in_as(app::domain::Role::Admin).await;
    let token = create_token(&server, "Looping", false).await;
    let other = create_token(&server, "Other", false).await;
    let first = open_stream(&server, &token, None).await;
    let second = open_stream(&server, &token, None).await;
    assert_eq!(
        (first.status(), second.status()),
        (StatusCode::OK, StatusCode::OK)
    );
    let third = open_stream(&server, &token, None).await;
    assert_eq!(third.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(third.headers().contains_key(header::RETRY_AFTER));
    let body = third.into_body().collect().await.unwrap().to_bytes();
    let why: Value = serde_json::from_slice(&body).unwrap();
    assert!(
        why["error"]
            .as_str()
            .unwrap()
            .contains("2 open policy streams"),
        "{why}"
    );
    assert_eq!(
        open_stream(&server, &other, None).await.status(),
        StatusCode::OK,
        "another token is not affected"
    );
    drop(first);
    assert_eq!(
        open_stream(&server, &token, None).await.status(),
        StatusCode::OK,
        "a closed stream frees its place"
    );
    drop(second);
}

#[tokio::test]
async fn a_stream_ends_within_a_second_when_its_makers_admin_role_is_taken_saying_why() {
    use crate::members::{invite, join, user_id_of};
    let server = crate::support::server(app::domain::Plan::Team).await;
    server.sign_in_as(app::domain::Role::Admin).await;
    let admin = server.cookie();
    let link = invite(&server, "bea@example.com", "admin").await;
    join(&server, &link, "Bea").await;
    let token = create_token(&server, "Bea's service", false).await;
    let mut body = open_stream(&server, &token, None).await.into_body();
    next_event(&mut body).await.expect("the policy at once");

    server.set_cookie(admin);
    let bea = user_id_of(&server, "bea@example.com").await;
    let response = server
        .post_form("/api/members/role", &format!("user_id={bea}&role=member"))
        .await;
    assert_eq!(location(&response), "/settings/members?done=role-changed");
    assert_eq!(
        next_event(&mut body).await,
        Some(json!({"reason": "token_revoked"})),
        "her token went with her role, and its stream says so"
    );
    assert!(next_event(&mut body).await.is_none());
}
