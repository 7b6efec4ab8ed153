//! `/metrics`: Prometheus reads it with the operator's token (never without
//! one), and it counts requests by route, sign-ins by outcome and budgets
//! by workspace, with no e-mail or token in any label.

use crate::policy_api::create_token;
use crate::support::{body_text, server, server_configured, TestServer};
use app::domain::{Plan, Role};
use axum::{
    body::Body,
    http::{header, Request, StatusCode},
};

const TOKEN: &str = "a-metrics-token-0123456789";

async fn scrape(server: &TestServer, token: Option<&str>) -> (StatusCode, String) {
    let mut request = Request::get("/metrics");
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let cookie = server.cookie();
    server.set_cookie(None);
    let response = server.send(request.body(Body::empty()).unwrap()).await;
    server.set_cookie(cookie);
    let status = response.status();
    (status, body_text(response).await)
}

#[tokio::test]
async fn metrics_need_the_operators_token_and_say_nothing_personal() {
    let server = server_configured(Plan::Team, |config| {
        config.metrics.token = Some(TOKEN.to_string().into());
    })
    .await;
    server.sign_in_as(Role::Admin).await;
    let service_token = create_token(&server, "Scraped", false).await;
    server
        .post_form(
            "/api/settings/ai/budget/set",
            "amount=10&warn_percent=80&at_limit=stop_ai&version=0",
        )
        .await;
    server.get("/healthz").await;
    // A wrong password, from someone signed out.
    server.set_cookie(None);
    server
        .post_form(
            "/api/account/sign-in",
            "email=admin@example.com&password=wrong",
        )
        .await;

    assert_eq!(scrape(&server, None).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        scrape(&server, Some("not-the-token-at-all")).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (status, text) = scrape(&server, Some(TOKEN)).await;
    assert_eq!(status, StatusCode::OK);
    for expected in [
        r#"ai_console_http_requests_total{route="/healthz",method="GET",status="200"}"#,
        r#"ai_console_http_request_duration_seconds_bucket{route="/settings/api",method="GET""#,
        r#"ai_console_sign_ins_total{outcome="wrong_password"}"#,
        r#"ai_console_budget_spent_ratio{workspace="default"} 0"#,
        r#"ai_console_budget_stopping_ai{workspace="default"} 0"#,
        r#"ai_console_db_connections{state="idle"}"#,
    ] {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }
    assert!(!text.contains("@example.com"), "no e-mail: {text}");
    assert!(!text.contains(&service_token), "no token");
    assert!(!text.contains(TOKEN), "not its own token either");
}

#[tokio::test]
async fn without_a_token_configured_the_console_does_not_serve_metrics() {
    let server = server(Plan::Team).await;
    assert_eq!(scrape(&server, None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(scrape(&server, Some(TOKEN)).await.0, StatusCode::NOT_FOUND);
}
