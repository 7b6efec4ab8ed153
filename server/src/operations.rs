//! What operators and their orchestrators ask of a running console:
//! `/healthz` (the process answers), `/readyz` (the database answers, is
//! migrated and takes writes; whether policy answers come from memory or,
//! while this process may have missed a change, from the database), and
//! one log line per request.

use crate::Served as AppState;
use axum::{
    body::Body,
    http::{header, Request, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use std::time::Instant;

pub async fn healthz() -> &'static str {
    "ok\n"
}

pub async fn readyz(state: AppState) -> Response {
    let readiness = app::db::readiness(&state.pool).await;
    // After a write failed on storage (a full disk), not ready until a
    // small write works again.
    let writable =
        !readiness.reachable || app::db::check_writes(&state.pool, state.clock.now()).await;
    let status = if readiness.reachable && readiness.migrated && writable {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = format!(
        r#"{{"database":"{}","migrations":"{}","writes":"{}","policy":"{}"}}"#,
        if readiness.reachable {
            "ok"
        } else {
            "unreachable"
        },
        if readiness.migrated {
            "applied"
        } else {
            "pending"
        },
        if writable { "ok" } else { "failing" },
        if state.live_policy.is_current() {
            "live"
        } else {
            "from-database"
        },
    );
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// Logs method, path, status and latency of every request. Never the
/// query string, which can carry one-time tokens, nor any body.
pub async fn log_request(request: Request<Body>, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    tracing::info!(
        target: "request",
        %method,
        path,
        status = response.status().as_u16(),
        latency_ms = started.elapsed().as_secs_f64() * 1000.0,
    );
    response
}

/// `/settings/ai/` → 308 to `/settings/ai`, the query kept: each page has
/// one address, and a stray slash is neither an error nor a log line.
/// Paths starting with `//` are left alone: their trimmed form would be a
/// link to another host.
pub async fn drop_trailing_slash(request: Request<Body>, next: Next) -> Response {
    let path = request.uri().path();
    if path.len() > 1 && path.ends_with('/') && !path.starts_with("//") {
        let trimmed = path.trim_end_matches('/');
        let trimmed = if trimmed.is_empty() { "/" } else { trimmed };
        let location = match request.uri().query() {
            Some(query) => format!("{trimmed}?{query}"),
            None => trimmed.to_string(),
        };
        if let Ok(location) = header::HeaderValue::from_str(&location) {
            return (
                StatusCode::PERMANENT_REDIRECT,
                [(header::LOCATION, location)],
            )
                .into_response();
        }
    }
    next.run(request).await
}
