//! A console served in-process over a fresh SQLite file, driven with
//! `oneshot` as a browser would.
#![allow(dead_code)] // each test file uses a different part of the harness

use app::domain::Plan;
use axum::{
    body::Body,
    http::{header, Request, Response, StatusCode},
    Router,
};
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use server::config::Config;
use tower::ServiceExt;

pub struct TestServer {
    router: Router,
    _dir: tempfile::TempDir,
}

pub async fn server(plan: Plan) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let config = Config {
        data_dir: dir.path().to_path_buf(),
        database_url: format!("sqlite://{}", dir.path().join("console.db").display()),
        plan,
        public_url: None,
    };
    let state = server::prepare(&config).await.expect("server prepares");
    let options = LeptosOptions::builder().output_name("ai-console").build();
    TestServer {
        router: server::app(state, options, &config),
        _dir: dir,
    }
}

/// Headers a browser adds to a request made by one of our own pages.
pub fn from_own_page(request: axum::http::request::Builder) -> axum::http::request::Builder {
    request
        .header(header::HOST, "localhost")
        .header(header::ORIGIN, "http://localhost")
        .header("sec-fetch-site", "same-origin")
}

impl TestServer {
    pub async fn send(&self, request: Request<Body>) -> Response<Body> {
        self.router.clone().oneshot(request).await.unwrap()
    }

    pub async fn get(&self, uri: &str) -> (StatusCode, String) {
        let response = self.send(Request::get(uri).body(Body::empty()).unwrap()).await;
        let status = response.status();
        (status, body_text(response).await)
    }

    /// A form posted by a browser with JavaScript off.
    pub async fn post_form(&self, uri: &str, body: &str) -> Response<Body> {
        self.send(
            from_own_page(Request::post(uri))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
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
                    .header(header::ACCEPT, "application/json")
                    .body(Body::from(body.to_string()))
                    .unwrap(),
            )
            .await;
        let status = response.status();
        (status, body_text(response).await)
    }
}

pub async fn body_text(response: Response<Body>) -> String {
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    String::from_utf8(bytes.to_vec()).unwrap()
}

pub fn location(response: &Response<Body>) -> &str {
    response.headers()[header::LOCATION].to_str().unwrap()
}
