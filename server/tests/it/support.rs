//! A console served in-process over a fresh database, driven with
//! `oneshot` as a browser would, cookie included.

pub use test_support::database;

use app::accounts::service::{self, NewAccount};
use app::clock::ManualClock;
use app::domain::{Plan, Role};
use axum::{
    body::Body,
    http::{header, Request, Response, StatusCode},
    Router,
};
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use server::config::Config;
use std::sync::{Arc, Mutex};
use tower::ServiceExt;

pub const PASSWORD: &str = "a long enough password";

pub struct TestServer {
    router: Router,
    pub console: server::Console,
    pub clock: ManualClock,
    /// The session cookie (`name=value`) the browser would send.
    cookie: Mutex<Option<String>>,
    _dir: tempfile::TempDir,
}

pub async fn server(plan: Plan) -> TestServer {
    server_with(plan, None).await
}

pub async fn server_with(plan: Plan, public_url: Option<&str>) -> TestServer {
    server_configured(plan, |config| {
        config.deployment.public_url = public_url.map(str::to_string)
    })
    .await
}

/// A server on `plan` whose configuration `adjust` changes first.
pub async fn server_configured(plan: Plan, adjust: impl FnOnce(&mut Config)) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    // The real parser's defaults, with the data in a fresh directory.
    let data_dir = dir.path().display().to_string();
    let database_url = database::fresh_database_url(dir.path()).await;
    let mut config = Config::from_lookup(|name| match name {
        "AI_CONSOLE_DATA_DIR" => Some(data_dir.clone()),
        "DATABASE_URL" => Some(database_url.clone()),
        _ => None,
    })
    .expect("the default configuration is valid");
    config.deployment.plan = plan;
    adjust(&mut config);
    let clock = ManualClock::at(1_700_000_000);
    let console = server::prepare(&config, Arc::new(clock.clone()))
        .await
        .expect("server prepares");
    let options = LeptosOptions::builder().output_name("ai-console").build();
    TestServer {
        router: server::app(&console, options, &config),
        console,
        clock,
        cookie: Mutex::new(None),
        _dir: dir,
    }
}

/// A server on `plan` with an admin signed in.
pub async fn admin_server(plan: Plan) -> TestServer {
    let server = server(plan).await;
    server.sign_in_as(Role::Admin).await;
    server
}

/// Headers a browser adds to a request made by one of our own pages.
pub fn from_own_page(request: axum::http::request::Builder) -> axum::http::request::Builder {
    request
        .header(header::HOST, "localhost")
        .header(header::ORIGIN, "http://localhost")
        .header("sec-fetch-site", "same-origin")
}

impl TestServer {
    pub async fn send(&self, mut request: Request<Body>) -> Response<Body> {
        if let Some(cookie) = self.cookie() {
            request
                .headers_mut()
                .insert(header::COOKIE, cookie.parse().unwrap());
        }
        let response = self.router.clone().oneshot(request).await.unwrap();
        if let Some(set) = response.headers().get(header::SET_COOKIE) {
            let pair = set.to_str().unwrap().split(';').next().unwrap().to_string();
            let cleared = pair.ends_with('=');
            *self.cookie.lock().unwrap() = (!cleared).then_some(pair);
        }
        response
    }

    pub fn cookie(&self) -> Option<String> {
        self.cookie.lock().unwrap().clone()
    }

    pub fn set_cookie(&self, cookie: Option<String>) {
        *self.cookie.lock().unwrap() = cookie;
    }

    pub async fn get(&self, uri: &str) -> (StatusCode, String) {
        let response = self
            .send(Request::get(uri).body(Body::empty()).unwrap())
            .await;
        let status = response.status();
        (status, body_text(response).await)
    }

    /// A form posted by a browser with JavaScript off.
    pub async fn post_form(&self, uri: &str, body: &str) -> Response<Body> {
        self.send(
            from_own_page(Request::post(uri))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::CONTENT_LENGTH, body.len())
                .header(header::ACCEPT, "text/html,application/xhtml+xml")
                .header(header::REFERER, "http://localhost/settings/ai")
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await
    }

    /// The same server function called by the page's own script.
    pub async fn call(&self, uri: &str, body: &str) -> (StatusCode, String) {
        let response = self
            .send(
                from_own_page(Request::post(uri))
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header(header::CONTENT_LENGTH, body.len())
                    .header(header::ACCEPT, "application/json")
                    .body(Body::from(body.to_string()))
                    .unwrap(),
            )
            .await;
        let status = response.status();
        (status, body_text(response).await)
    }

    /// Creates an account with `role` (once per role) and signs in as it
    /// through the sign-in form.
    pub async fn sign_in_as(&self, role: Role) -> Response<Body> {
        let email = format!("{}@example.com", role.key());
        let account = NewAccount {
            name: role.label(),
            email: &email,
            password: PASSWORD,
            password_again: PASSWORD,
        };
        let workspace = self.console.state.deployment.workspace.clone();
        let _ = service::create_account(&self.console.state, &workspace, role, account).await;
        self.post_form(
            "/api/account/sign-in",
            &format!(
                "email={email}&password={}&next=/settings/ai",
                PASSWORD.replace(' ', "+")
            ),
        )
        .await
    }
}

pub async fn body_text(response: Response<Body>) -> String {
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    String::from_utf8(bytes.to_vec()).unwrap()
}

pub fn location(response: &Response<Body>) -> &str {
    response.headers()[header::LOCATION].to_str().unwrap()
}

/// Every log event of the test's thread (the test runtime has one, so
/// every task of a request reports here), as text.
#[derive(Clone, Default)]
pub struct LogCapture(Arc<Mutex<Vec<(String, String)>>>);

impl LogCapture {
    /// Captures until the guard is dropped.
    pub fn install(&self) -> tracing::subscriber::DefaultGuard {
        use tracing_subscriber::layer::SubscriberExt;
        tracing::subscriber::set_default(tracing_subscriber::registry().with(self.clone()))
    }

    /// How many events had `message`.
    pub fn count(&self, message: &str) -> usize {
        let events = self.0.lock().unwrap();
        events.iter().filter(|(said, _)| said == message).count()
    }

    /// Everything logged: messages and every field.
    pub fn text(&self) -> String {
        let events = self.0.lock().unwrap();
        events
            .iter()
            .map(|(_, all)| all.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

struct Fields {
    message: String,
    all: String,
}

impl tracing::field::Visit for Fields {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        let value = format!("{value:?}");
        self.all.push_str(&format!(" {}={value}", field.name()));
        if field.name() == "message" {
            self.message = value;
        }
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for LogCapture {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        let mut fields = Fields {
            message: String::new(),
            all: String::new(),
        };
        event.record(&mut fields);
        self.0.lock().unwrap().push((fields.message, fields.all));
    }
}
