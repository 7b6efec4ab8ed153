//! A page with several sections reads the session and the signed-in person
//! once, however many of its sections and server functions ask who is
//! signed in (the request-scoped actor). Counted through the debug events
//! the two reads emit.

use crate::support::admin_server;
use app::domain::Plan;
use axum::http::StatusCode;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::Layer;

/// Counts events by their message.
#[derive(Clone, Default)]
struct EventCounter(Arc<Mutex<HashMap<String, usize>>>);

impl EventCounter {
    fn count(&self, message: &str) -> usize {
        self.0.lock().unwrap().get(message).copied().unwrap_or(0)
    }
}

struct Message(String);

impl Visit for Message {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.0 = format!("{value:?}");
        }
    }
}

impl<S: tracing::Subscriber> Layer<S> for EventCounter {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        let mut message = Message(String::new());
        event.record(&mut message);
        *self.0.lock().unwrap().entry(message.0).or_default() += 1;
    }
}

#[tokio::test]
async fn the_ai_settings_page_reads_the_session_and_the_person_once() {
    let server = admin_server(Plan::Enterprise).await;
    let reads = EventCounter::default();
    // The test runtime has one thread, so every task of the request
    // reports here.
    let _counting =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(reads.clone()));
    let (status, html) = server.get(app::routes::AI_SETTINGS).await;
    assert_eq!(status, StatusCode::OK);
    // The page's sections are all there, each loaded for the signed-in
    // admin: the switches, the model provider and the activity.
    for section in ["AI features", "Model provider", "Activity"] {
        assert!(html.contains(section), "{section} is on the page");
    }
    assert_eq!(reads.count("reading a session record"), 1);
    assert_eq!(reads.count("reading the signed-in person"), 1);
}
