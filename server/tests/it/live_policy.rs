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
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
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

/// The next `policy` event of a stream, or `None` once it ended.
async fn next_event(body: &mut Body) -> Option<Value> {
    let mut text = String::new();
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(1), body.frame())
            .await
            .expect("an event within a second")?
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
    assert!(
        next_event(&mut body).await.is_none(),
        "a revoked token's stream ends"
    );
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
