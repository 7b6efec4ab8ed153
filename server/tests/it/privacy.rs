//! The Privacy page as an anonymous visitor reads it, built from the
//! configuration; the banner after the operator moves the notice's date;
//! the data download and account deletion through HTTP.

use crate::support::{body_text, location, server_configured, PASSWORD};
use app::domain::{Plan, Role};
use app::model_provider::rules::Region;
use axum::http::{header, StatusCode};

const OPERATOR_FILE: &str = "## Cookies\n\nAcme's own words on cookies.\n\n\
## Data protection officer\n\nWrite to <b>dpo@acme.example</b>.\n";

#[tokio::test]
async fn the_privacy_page_states_the_configured_operator_region_and_sections() {
    let server = server_configured(Plan::Team, |config| {
        config.deployment.providers.region = Region::Eu;
        config.deployment.privacy.operator_name = Some("Acme GmbH".into());
        config.deployment.privacy.operator_contact = Some("privacy@acme.example".into());
        config.deployment.privacy.updated = "2026-12-01".into();
        config.deployment.privacy.operator_sections =
            app::privacy::operator_sections::render(OPERATOR_FILE);
        config.deployment.retention.audit_days = 180;
    })
    .await;

    let (status, page) = server.get("/privacy").await;
    assert_eq!(status, StatusCode::OK);
    for expected in [
        "Acme GmbH runs this console",
        "privacy@acme.example",
        "Last updated: ",
        "2026-12-01",
        "Kept 180 days.",
        "data is kept in the EU.",
        "own words on cookies.",
        "Data protection officer",
        "&lt;b&gt;dpo@acme.example&lt;/b&gt;",
    ] {
        assert!(
            page.contains(expected),
            "the page lacks {expected}:\n{page}"
        );
    }
    // The operator's Cookies section replaced the built-in one.
    assert!(!page.contains("One cookie, "));
    assert!(!page.contains("<b>dpo@"));
}

#[tokio::test]
async fn people_older_than_a_notice_change_see_the_banner_until_they_dismiss_it() {
    // The test clock stands in 2023; the notice changed after that.
    let server = server_configured(Plan::Team, |config| {
        config.deployment.privacy.updated = "2026-12-01".into();
    })
    .await;
    server.sign_in_as(Role::Member).await;
    let (_, page) = server.get("/settings/members").await;
    assert!(page.contains("The privacy notice changed on 2026-12-01."));

    let answer = server
        .post_form("/api/privacy/dismiss", "back_to=/settings/members")
        .await;
    assert_eq!(location(&answer), "/settings/members");
    let (_, page) = server.get("/settings/members").await;
    assert!(!page.contains("The privacy notice changed"));

    // Someone whose account is newer than the change has nothing to hear.
    server.clock.advance(100_000_000);
    server.sign_in_as(Role::Admin).await;
    let (_, page) = server.get("/settings/ai").await;
    assert!(!page.contains("The privacy notice changed"));
}

#[tokio::test]
async fn the_download_is_a_json_attachment_and_deleting_ends_the_session() {
    let server = server_configured(Plan::Team, |_| {}).await;
    server.sign_in_as(Role::Admin).await;
    server.sign_in_as(Role::Member).await;

    let answer = server
        .send(
            axum::http::Request::get("/settings/account/my-data.json")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(
        answer.headers()[header::CONTENT_DISPOSITION],
        "attachment; filename=\"my-data.json\""
    );
    assert_eq!(answer.headers()[header::CACHE_CONTROL], "no-store");
    let data: serde_json::Value = serde_json::from_str(&body_text(answer).await).unwrap();
    assert_eq!(data["account"]["email"], "member@example.com");
    assert_eq!(data["sessions"].as_array().map(Vec::len), Some(1));

    let answer = server
        .post_form(
            "/api/account/delete",
            &format!("confirmation={}", PASSWORD.replace(' ', "+")),
        )
        .await;
    assert_eq!(location(&answer), "/login?deleted=1");
    let (status, _) = server.get("/settings/account").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "signed out");
    let (_, page) = server.get("/login?deleted=1").await;
    assert!(page.contains("Your account was deleted"));
}
