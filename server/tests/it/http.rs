//! The console over HTTP, driven through `app()` with `oneshot`: what a
//! browser with or without JavaScript sees and sends.

use crate::support::{admin_server as server, location};
use app::domain::Plan;
use axum::{
    body::Body,
    http::{header, Request, StatusCode},
};

/// The `aria-checked` value of the switch for `key`, as rendered.
fn switch_state(html: &str, key: &str) -> Option<bool> {
    let label = format!("aria-labelledby=\"{key}-label\"");
    let at = html.find(&label)?;
    let before = &html[..at];
    let button = &before[before.rfind("<button")?..];
    Some(button.contains("aria-checked=\"true\""))
}

#[tokio::test]
async fn the_root_sends_admins_to_the_ai_settings() {
    let server = server(Plan::Team).await;
    let response = server
        .send(Request::get("/").body(Body::empty()).unwrap())
        .await;
    assert!(response.status().is_redirection());
    assert_eq!(location(&response), "/settings/ai");
}

#[tokio::test]
async fn the_page_renders_both_switches_with_their_defaults() {
    let server = server(Plan::Team).await;
    let (status, html) = server.get("/settings/ai").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<h1>AI &amp; agents</h1>"), "{html}");
    assert_eq!(switch_state(&html, "ai_enabled"), Some(true));
    assert_eq!(switch_state(&html, "training_allowed"), Some(false));
    assert!(!html.contains("turned off for every member"));
}

#[tokio::test]
async fn a_form_post_without_javascript_saves_and_redirects_back_with_the_outcome() {
    let server = server(Plan::Team).await;
    let response = server
        .post_form("/api/settings/ai/enabled", "enabled=false&version=0")
        .await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(
        location(&response),
        "/settings/ai?saved=ai_enabled#ai_enabled"
    );

    let (_, html) = server.get("/settings/ai?saved=ai_enabled").await;
    assert_eq!(switch_state(&html, "ai_enabled"), Some(false));
    assert!(html.contains("AI features are turned off for every member of this workspace."));
    assert!(html.contains("Saved."));
    // The other switch is untouched.
    assert_eq!(switch_state(&html, "training_allowed"), Some(false));
}

#[tokio::test]
async fn the_training_switch_works_while_ai_is_off() {
    let server = server(Plan::Team).await;
    server
        .post_form("/api/settings/ai/enabled", "enabled=false&version=0")
        .await;
    let response = server
        .post_form("/api/settings/ai/training", "allowed=true&version=0")
        .await;
    assert_eq!(
        location(&response),
        "/settings/ai?saved=training_allowed#training_allowed"
    );

    let (_, html) = server.get("/settings/ai").await;
    assert_eq!(switch_state(&html, "ai_enabled"), Some(false));
    assert_eq!(switch_state(&html, "training_allowed"), Some(true));
}

#[tokio::test]
async fn the_enterprise_plan_shows_a_statement_instead_of_a_training_switch() {
    let server = server(Plan::Enterprise).await;
    let (_, html) = server.get("/settings/ai").await;
    assert!(html.contains("Not used for training on your plan"));
    assert_eq!(switch_state(&html, "training_allowed"), None);
    assert_eq!(switch_state(&html, "ai_enabled"), Some(true));
}

#[tokio::test]
async fn the_enterprise_plan_refuses_a_posted_training_change_with_a_reason() {
    let server = server(Plan::Enterprise).await;
    let response = server
        .post_form("/api/settings/ai/training", "allowed=true&version=0")
        .await;
    assert_eq!(
        location(&response),
        "/settings/ai?failed=training_allowed&reason=training-fixed-by-plan#training_allowed"
    );

    let (status, body) = server
        .call("/api/settings/ai/training", "allowed=true&version=0")
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body.contains("TrainingFixedByPlan"), "{body}");
}

#[tokio::test]
async fn the_page_script_gets_the_stored_value_back() {
    let server = server(Plan::Team).await;
    assert_eq!(
        server
            .call("/api/settings/ai/enabled", "enabled=false&version=0")
            .await,
        (StatusCode::OK, r#"{"value":false,"version":1}"#.into())
    );
    assert_eq!(
        server
            .call("/api/settings/ai/enabled", "enabled=true&version=1")
            .await,
        (StatusCode::OK, r#"{"value":true,"version":2}"#.into())
    );
}

#[tokio::test]
async fn a_save_from_a_stale_page_is_refused_over_http_with_and_without_javascript() {
    let server = server(Plan::Team).await;
    server
        .call("/api/settings/ai/enabled", "enabled=false&version=0")
        .await;

    let (status, body) = server
        .call("/api/settings/ai/enabled", "enabled=true&version=0")
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        body.contains("Conflict") && body.contains("\"by\":\"Admin\""),
        "{body}"
    );

    let response = server
        .post_form("/api/settings/ai/enabled", "enabled=true&version=0")
        .await;
    assert_eq!(
        location(&response),
        "/settings/ai?failed=ai_enabled&reason=conflict#ai_enabled"
    );
    let (_, html) = server
        .get("/settings/ai?failed=ai_enabled&reason=conflict")
        .await;
    assert!(html.contains(
        "Not saved: another admin changed this setting meanwhile; the page now shows their change."
    ));
    assert_eq!(
        switch_state(&html, "ai_enabled"),
        Some(false),
        "the other change stands"
    );
}

#[tokio::test]
async fn the_activity_panel_lists_changes_newest_first() {
    let server = server(Plan::Team).await;
    let (_, html) = server.get("/settings/ai").await;
    assert!(html.contains("No changes yet."), "{html}");
    server
        .post_form("/api/settings/ai/enabled", "enabled=false&version=0")
        .await;
    server
        .post_form("/api/settings/ai/training", "allowed=true&version=0")
        .await;
    let (_, html) = server.get("/settings/ai").await;
    let training = html
        .find("AI training: Off → On")
        .expect("training change listed");
    let features = html
        .find("AI features: On → Off")
        .expect("AI change listed");
    assert!(training < features, "newest first");
    assert!(html.contains("Admin · 2023-11-14 22:13 UTC"));
}

#[tokio::test]
async fn malformed_input_is_refused_without_internal_detail_and_changes_nothing() {
    let server = server(Plan::Team).await;
    let (status, body) = server
        .call("/api/settings/ai/enabled", "enabled=perhaps&version=0")
        .await;
    assert!(!status.is_success());
    assert_eq!(body, "\"BadRequest\"");

    let (_, html) = server.get("/settings/ai").await;
    assert_eq!(switch_state(&html, "ai_enabled"), Some(true));
}

#[tokio::test]
async fn pages_are_compressed_when_the_browser_accepts_brotli() {
    let server = server(Plan::Team).await;
    let response = server
        .send(
            Request::get("/settings/ai")
                .header(header::ACCEPT_ENCODING, "br, gzip")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "br");
}

#[tokio::test]
async fn an_unknown_address_is_a_404_page() {
    let server = server(Plan::Team).await;
    let (status, html) = server.get("/settings/nothing-here").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Page not found"));
}

#[tokio::test]
async fn health_and_readiness_answer_without_signing_in() {
    let server = crate::support::server(Plan::Team).await;
    let (status, body) = server.get("/healthz").await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "ok\n"));
    let (status, body) = server.get("/readyz").await;
    assert_eq!(status, StatusCode::OK);
    // In memory on SQLite; in-process tests start no PostgreSQL listener,
    // so there answers come from the database (see replicas.rs for that).
    let policy = match app::db::Backend::of_pool(&server.console.state.pool) {
        app::db::Backend::Sqlite => "live",
        app::db::Backend::Postgres => "from-database",
    };
    assert_eq!(
        body,
        format!(r#"{{"database":"ok","migrations":"applied","writes":"ok","policy":"{policy}"}}"#)
    );
}

#[tokio::test]
async fn a_database_missing_a_migration_is_not_ready() {
    let server = crate::support::server(Plan::Team).await;
    sqlx::query(
        "DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)",
    )
    .execute(&server.console.state.pool)
    .await
    .unwrap();
    let (status, body) = server.get("/readyz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        body.starts_with(r#"{"database":"ok","migrations":"pending","#),
        "{body}"
    );
}

#[tokio::test]
async fn a_setting_fixed_by_the_operator_shows_read_only_and_is_refused() {
    let server = crate::support::server_configured(Plan::Team, |config| {
        config.deployment.fixed.ai_enabled = Some(false);
    })
    .await;
    server.sign_in_as(app::domain::Role::Admin).await;
    let (_, html) = server.get("/settings/ai").await;
    assert_eq!(switch_state(&html, "ai_enabled"), Some(false));
    assert!(html.contains("Set by the server configuration"));
    assert!(
        html.contains("<code>AI_FEATURES</code>"),
        "names the variable"
    );
    let (status, body) = server
        .call("/api/settings/ai/enabled", "enabled=true&version=0")
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
}

#[tokio::test]
async fn a_trailing_slash_leads_to_the_page_without_it() {
    let server = server(Plan::Team).await;
    for (asked, to) in [
        ("/privacy/", "/privacy"),
        (
            "/settings/ai/?features=saved",
            "/settings/ai?features=saved",
        ),
        ("/settings//", "/settings"),
    ] {
        let response = server
            .send(Request::get(asked).body(Body::empty()).unwrap())
            .await;
        assert_eq!(response.status(), StatusCode::PERMANENT_REDIRECT, "{asked}");
        assert_eq!(location(&response), to, "{asked}");
    }
    // Never a link to another host.
    let response = server
        .send(Request::get("//evil.example/").body(Body::empty()).unwrap())
        .await;
    assert_ne!(response.status(), StatusCode::PERMANENT_REDIRECT);
    let (status, _) = server.get("/privacy").await;
    assert_eq!(status, StatusCode::OK);
}
