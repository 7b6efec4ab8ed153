//! Protections a self-hosted admin console needs, checked over HTTP.

use crate::support::{admin_server as server, body_text};
use app::domain::Plan;
use axum::{
    body::Body,
    http::{header, Request, StatusCode},
};

/// Every server function (all are POST), with a body that would succeed
/// for the settings switches; the guard must refuse before reading it.
fn state_changing_endpoints() -> Vec<(String, &'static str)> {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| {
            let body = match path {
                "/api/settings/ai/enabled" => "enabled=false&version=0",
                "/api/settings/ai/training" => "allowed=true&version=0",
                _ => "",
            };
            (path.to_string(), body)
        })
        .collect()
}

#[tokio::test]
async fn requests_from_another_site_are_refused_and_change_nothing() {
    let server = server(Plan::Team).await;
    let attacks: [&[(&str, &str)]; 4] = [
        &[("host", "localhost"), ("origin", "https://evil.example")],
        &[("host", "localhost"), ("sec-fetch-site", "cross-site")],
        &[
            ("host", "localhost"),
            ("origin", "http://localhost"),
            ("sec-fetch-site", "same-site"),
        ],
        &[("host", "localhost")],
    ];
    let endpoints = state_changing_endpoints();
    assert!(
        endpoints.len() >= 8,
        "all server functions are covered: {endpoints:?}"
    );
    for (path, body) in &endpoints {
        for headers in attacks {
            let mut request = Request::post(path.as_str())
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ACCEPT, "text/html");
            for (name, value) in headers {
                request = request.header(*name, *value);
            }
            let response = server.send(request.body(Body::from(*body)).unwrap()).await;
            assert_eq!(
                response.status(),
                StatusCode::FORBIDDEN,
                "{path} with {headers:?}"
            );
            assert!(body_text(response)
                .await
                .contains("did not come from the console's own pages"));
        }
    }
    let (_, html) = server.get("/settings/ai").await;
    assert!(
        !html.contains("turned off for every member"),
        "nothing was saved"
    );
}

#[tokio::test]
async fn pages_carry_a_nonce_based_content_security_policy() {
    let server = server(Plan::Team).await;
    let response = server
        .send(Request::get("/settings/ai").body(Body::empty()).unwrap())
        .await;
    let policy = response.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_string();
    assert!(policy.contains("'wasm-unsafe-eval'"), "{policy}");
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    assert!(!policy.contains("unsafe-inline"), "{policy}");

    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in script-src")
        .to_string();
    let html = body_text(response).await;
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "the inline script carries the same nonce"
    );

    // A second response gets a different nonce.
    let again = server
        .send(Request::get("/settings/ai").body(Body::empty()).unwrap())
        .await;
    let second = again.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    assert!(!second.contains(&nonce));
}

#[tokio::test]
async fn every_response_carries_the_protective_headers() {
    let server = server(Plan::Team).await;
    for path in ["/settings/ai", "/favicon-missing", "/"] {
        let response = server
            .send(Request::get(path).body(Body::empty()).unwrap())
            .await;
        let headers = response.headers();
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{path}");
        assert_eq!(headers[header::REFERRER_POLICY], "same-origin", "{path}");
        assert!(
            headers.contains_key(header::CONTENT_SECURITY_POLICY),
            "{path}"
        );
        assert!(
            !headers.contains_key(header::STRICT_TRANSPORT_SECURITY),
            "no HSTS without TLS"
        );
    }
    let page = server
        .send(Request::get("/settings/ai").body(Body::empty()).unwrap())
        .await;
    assert_eq!(page.headers()[header::CACHE_CONTROL], "no-store");
}

#[tokio::test]
async fn malformed_input_is_a_client_error_with_a_clear_message() {
    let server = server(Plan::Team).await;
    for (path, body) in [
        ("/api/settings/ai/enabled", "enabled=perhaps&version=0"),
        ("/api/settings/ai/enabled", ""),
        ("/api/settings/ai/training", "allowed=%ff%fe"),
    ] {
        let (status, text) = server.call(path, body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path} {body} -> {text}");
        assert_eq!(text, "\"BadRequest\"");
    }
}

#[tokio::test]
async fn oversized_input_is_refused_before_it_is_read() {
    let server = server(Plan::Team).await;
    let huge = format!(
        "enabled=false&padding={}",
        "x".repeat(server::MAX_REQUEST_BYTES)
    );
    let (status, _) = server.call("/api/settings/ai/enabled", &huge).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let (_, html) = server.get("/settings/ai").await;
    assert!(
        !html.contains("turned off for every member"),
        "nothing was saved"
    );
}

#[tokio::test]
async fn refusals_carry_statuses_that_say_why() {
    let server = server(Plan::Enterprise).await;
    assert_eq!(
        server
            .call("/api/settings/ai/training", "allowed=true&version=0")
            .await
            .0,
        StatusCode::CONFLICT
    );
    let member = crate::support::server(Plan::Team).await;
    member.sign_in_as(app::domain::Role::Member).await;
    assert_eq!(
        member
            .call("/api/settings/ai/enabled", "enabled=false&version=0")
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let anonymous = crate::support::server(Plan::Team).await;
    assert_eq!(
        anonymous
            .call("/api/settings/ai/enabled", "enabled=false&version=0")
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
}

/// Every session record in the database, as one text.
async fn stored_sessions(server: &crate::support::TestServer) -> String {
    let rows: Vec<String> = sqlx::query_scalar("SELECT data FROM sessions")
        .fetch_all(&server.console.state.pool)
        .await
        .unwrap();
    rows.join("\n")
}

#[tokio::test]
async fn secrets_shown_once_never_sit_readable_in_the_stored_session() {
    let server = server(Plan::Enterprise).await;
    server
        .post_form("/api/api-access/create", "name=Gateway")
        .await;
    server
        .post_form("/api/members/invite", "email=grace@example.com&role=member")
        .await;
    // Between the creating request and the page that shows them, both
    // wait in the session: a copy of the database then must not hold them.
    let stored = stored_sessions(&server).await;
    let (_, tokens_page) = server.get("/settings/api").await;
    let (_, members_page) = server.get("/settings/members").await;
    let token = shown(&tokens_page, "aic_");
    let link_token = shown(&members_page, "/join?token=");
    assert!(token.len() > 20 && link_token.len() > 20);
    for secret in [&token, &link_token] {
        assert!(
            !stored.contains(secret.as_str()),
            "stored in the session as is"
        );
    }
}

/// The run of token characters after `marker` on a page.
fn shown(page: &str, marker: &str) -> String {
    let start = page
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} shown"))
        + marker.len();
    page[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

#[tokio::test]
async fn without_a_public_url_another_host_name_is_refused_before_anything_is_built_on_it() {
    let server = server(Plan::Team).await;
    // An admin's own browser, tricked into naming another host: before,
    // this passed the cross-site check (Origin matched Host).
    let request = Request::post("/api/settings/ai/enabled")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "evil.example")
        .header(header::ORIGIN, "http://evil.example")
        .header("sec-fetch-site", "same-origin");
    let response = server
        .send(request.body(Body::from("enabled=false&version=0")).unwrap())
        .await;
    assert_eq!(response.status(), StatusCode::MISDIRECTED_REQUEST);
    assert!(body_text(response).await.contains("AI_CONSOLE_PUBLIC_URL"));
    let (_, html) = server.get("/settings/ai").await;
    assert!(
        !html.contains("turned off for every member"),
        "nothing was saved"
    );
    // Pages too: an invitation link must never be built on that host.
    let page = Request::get("/settings/members").header(header::HOST, "evil.example:3000");
    let response = server.send(page.body(Body::empty()).unwrap()).await;
    assert_eq!(response.status(), StatusCode::MISDIRECTED_REQUEST);
    // Loopback names pass on any port.
    let page = Request::get("/healthz").header(header::HOST, "127.0.0.1:9999");
    let response = server.send(page.body(Body::empty()).unwrap()).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn with_a_public_url_the_host_header_decides_nothing_and_passes() {
    let server = crate::support::server_with(Plan::Team, Some("https://console.example.com")).await;
    let request = Request::get("/healthz").header(header::HOST, "ai-console-upstream:3000");
    let response = server.send(request.body(Body::empty()).unwrap()).await;
    assert_eq!(response.status(), StatusCode::OK);
}
