//! A page with several sections reads the session and the signed-in person
//! once, however many of its sections and server functions ask who is
//! signed in (the request-scoped actor). Counted through the debug events
//! the two reads emit.

use crate::support::{admin_server, LogCapture};
use app::domain::Plan;
use axum::http::StatusCode;

#[tokio::test]
async fn the_ai_settings_page_reads_the_session_and_the_person_once() {
    let server = admin_server(Plan::Enterprise).await;
    let reads = LogCapture::default();
    let _counting = reads.install();
    let (status, html) = server.get(app::paths::AI_SETTINGS).await;
    assert_eq!(status, StatusCode::OK);
    // The page's sections are all there, each loaded for the signed-in
    // admin: the switches, the model provider and the activity.
    for section in ["AI features", "Model provider", "Activity"] {
        assert!(html.contains(section), "{section} is on the page");
    }
    assert_eq!(reads.count("reading a session record"), 1);
    assert_eq!(reads.count("reading the signed-in person"), 1);
}
