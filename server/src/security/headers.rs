//! Headers every response carries. Pages set their own Content-Security-Policy
//! with the per-response nonce Leptos gives its inline scripts (see
//! `app::security`); anything else gets a policy that allows nothing.

use axum::{
    extract::{Request, State},
    http::{header, HeaderValue},
    middleware::Next,
    response::Response,
};

/// Whether the console is reached over TLS (directly or through a proxy).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ServedOverTls(pub bool);

const LOCKED_DOWN_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

pub async fn add_security_headers(
    State(tls): State<ServedOverTls>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(LOCKED_DOWN_POLICY),
        );
    }
    // Settings pages show workspace state: never keep a copy in a cache.
    if is_html {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if tls.0 {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}
