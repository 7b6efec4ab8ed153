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

#[tokio::test]
async fn a_metrics_listener_of_its_own_serves_prometheus_and_the_console_does_not() {
    use crate::processes::{free_port, server_command, Replica, Shared};
    let dir = tempfile::tempdir().unwrap();
    let shared = Shared {
        master_key: app::model_provider::cipher::MasterKeys::generate_entry(),
        openai: "http://127.0.0.1:9/v1".into(),
    };
    let (port, metrics_port) = (free_port(), free_port());
    let database = format!("sqlite://{}", dir.path().join("console.db").display());
    let process = server_command(dir.path(), &database, &shared)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env(
            "AI_CONSOLE_METRICS_ADDR",
            format!("127.0.0.1:{metrics_port}"),
        )
        .env("AI_CONSOLE_LOG_FORMAT", "json")
        .spawn()
        .unwrap();
    let console = Replica {
        process,
        base: format!("http://127.0.0.1:{port}"),
    };
    let metrics = format!("http://127.0.0.1:{metrics_port}/metrics");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while reqwest::get(format!("{}/readyz", console.base))
        .await
        .is_err()
    {
        assert!(std::time::Instant::now() < deadline, "never ready");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    reqwest::get(format!("{}/healthz", console.base))
        .await
        .unwrap();
    let scraped = reqwest::get(&metrics).await.unwrap();
    assert_eq!(scraped.status(), StatusCode::OK);
    let text = scraped.text().await.unwrap();
    assert!(
        text.contains(
            r#"ai_console_http_requests_total{route="/healthz",method="GET",status="200"} 1"#
        ),
        "{text}"
    );
    let public = reqwest::get(format!("{}/metrics", console.base))
        .await
        .unwrap();
    assert_eq!(
        public.status(),
        StatusCode::NOT_FOUND,
        "not on the public listener"
    );
}

#[tokio::test]
async fn with_every_model_allowed_gateway_metrics_name_only_the_listed_models() {
    use crate::gateway::{chat, chat_body, console_with, token, ASSISTANT};
    let (server, _fake) = console_with(|config, _| {
        config.metrics.token = Some(TOKEN.to_string().into());
    })
    .await;
    let response = server
        .post_form(
            "/api/settings/ai/models",
            "scope=all&default_model=&version=0",
        )
        .await;
    assert_eq!(
        crate::support::location(&response),
        "/settings/ai?models=saved#models"
    );
    let caller = token(&server, true).await;
    // A service naming models of its own: each would be a new label.
    for model in ["made-up-model-4711", "gpt-4o"] {
        let (status, answer) = chat(
            &server,
            &caller,
            &[ASSISTANT],
            &chat_body(Some(model), false),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{answer}");
    }
    let (_, text) = scrape(&server, Some(TOKEN)).await;
    assert!(!text.contains("made-up-model-4711"), "{text}");
    assert!(text.contains(r#"model="other""#), "{text}");
    assert!(text.contains(r#"model="gpt-4o""#), "{text}");
}
