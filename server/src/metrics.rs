//! Prometheus metrics: `GET /metrics` in the text format, served on a
//! listener of its own (`AI_CONSOLE_METRICS_ADDR`) or on the console's
//! with a bearer token (`AI_CONSOLE_METRICS_TOKEN`), never openly on the
//! public one. Counters and histograms are recorded where things happen
//! (the `metrics` facade); gauges of state (the pool, budgets, stream
//! subscribers) are read when scraped. No label carries a secret, an
//! e-mail or a token: routes are path templates, workspaces their ids.

use crate::Served as AppState;
use axum::{
    body::Body,
    extract::MatchedPath,
    http::{header, HeaderMap, Request, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::Instant;

/// Where metrics are served.
pub const METRICS: &str = "/metrics";

/// Latency buckets, in seconds: a policy answer is well under a
/// millisecond, a page a few, a sign-in (argon2) a few hundred.
const LATENCY_BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

/// The process's recorder, installed on first use (tests start many
/// consoles in one process; they share it).
pub fn handle() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let built = PrometheusBuilder::new()
                .set_buckets_for_metric(
                    Matcher::Suffix("duration_seconds".into()),
                    &LATENCY_BUCKETS,
                )
                .and_then(PrometheusBuilder::install_recorder);
            match built {
                Ok(handle) => Some(handle),
                Err(error) => {
                    tracing::error!(%error, "metrics could not be set up; /metrics will be empty");
                    None
                }
            }
        })
        .as_ref()
}

/// Counts every request and how long it took, by route template (never
/// the path itself, which can carry ids) and status.
pub async fn count_request(request: Request<Body>, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|path| path.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let method = request.method().as_str().to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("ai_console_http_requests_total", "route" => route.clone(), "method" => method.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("ai_console_http_request_duration_seconds", "route" => route, "method" => method)
        .record(started.elapsed().as_secs_f64());
    response
}

/// Reads the gauges of state, then renders everything.
async fn render(state: &AppState) -> String {
    let pool = &state.pool;
    let size = f64::from(pool.size());
    let idle = pool.num_idle() as f64;
    metrics::gauge!("ai_console_db_connections", "state" => "idle").set(idle);
    metrics::gauge!("ai_console_db_connections", "state" => "in_use").set((size - idle).max(0.0));
    metrics::gauge!("ai_console_db_connections_max")
        .set(f64::from(pool.options().get_max_connections()));
    metrics::gauge!("ai_console_policy_from_memory").set(if state.live_policy.is_current() {
        1.0
    } else {
        0.0
    });
    match app::budget::service::standings(state).await {
        Ok(standings) => {
            for standing in standings {
                let workspace = standing.workspace.clone();
                metrics::gauge!("ai_console_budget_spent_ratio", "workspace" => workspace.clone())
                    .set(standing.spent_ratio);
                metrics::gauge!("ai_console_budget_stopping_ai", "workspace" => workspace)
                    .set(if standing.stopping_ai { 1.0 } else { 0.0 });
            }
        }
        Err(error) => tracing::error!(%error, "reading budgets for metrics failed"),
    }
    handle().map(PrometheusHandle::render).unwrap_or_default()
}

fn text(body: String) -> Response {
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        body,
    )
        .into_response()
}

/// `/metrics` on its own listener: whoever reaches that address may read.
pub async fn open_metrics(state: AppState) -> Response {
    text(render(&state).await)
}

/// `/metrics` on the console's listener: only with the operator's token.
pub async fn guarded_metrics(
    state: AppState,
    token: Option<String>,
    headers: HeaderMap,
) -> Response {
    let Some(expected) = token else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let given = crate::service_api::bearer_token(&headers).unwrap_or_default();
    // Compared by digest, so the time taken says nothing of the token.
    if app::accounts::tokens::digest(given) != app::accounts::tokens::digest(&expected) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
        )
            .into_response();
    }
    text(render(&state).await)
}

/// Histograms keep their samples until this drains them.
pub fn run_upkeep() {
    if let Some(handle) = handle() {
        handle.run_upkeep();
    }
}

/// Counts a policy API answer: `policy` (the document) or `decision` (one
/// feature), by how it went.
pub fn policy_answered(kind: &'static str, status: StatusCode) {
    let outcome = match status.as_u16() {
        200 => "answered",
        304 => "not_modified",
        400 => "bad_request",
        401 | 404 => "refused",
        _ => "unavailable",
    };
    metrics::counter!("ai_console_policy_answers_total", "kind" => kind, "outcome" => outcome)
        .increment(1);
}

/// One open policy stream, counted in `ai_console_policy_stream_subscribers`
/// from its start to its end (however it ends).
pub struct StreamSubscriber(());

impl StreamSubscriber {
    pub fn new() -> Self {
        metrics::gauge!("ai_console_policy_stream_subscribers").increment(1.0);
        StreamSubscriber(())
    }
}

impl Default for StreamSubscriber {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for StreamSubscriber {
    fn drop(&mut self) {
        metrics::gauge!("ai_console_policy_stream_subscribers").decrement(1.0);
    }
}

/// A connection closed as it arrived: the cap of open connections
/// (`AI_CONSOLE_MAX_CONNECTIONS`) was reached.
pub fn connection_refused() {
    metrics::counter!("ai_console_connections_refused_total").increment(1);
}

/// A call refused by the gateway itself, by its code.
pub fn gateway_refused(code: &'static str) {
    metrics::counter!("ai_console_gateway_requests_total", "feature" => "", "model" => "", "outcome" => code)
        .increment(1);
}

/// A call the gateway sent on: its outcome (`ok`, `provider_error`,
/// `key_refused`, `cancelled`, `timeout`, `unreachable`,
/// `answer_too_large`) and how long the provider took.
pub fn gateway_answered(
    upstream: &app::use_cases::gateway::Upstream,
    outcome: &'static str,
    started: Instant,
) {
    let feature = upstream.feature.key();
    let model = upstream.model_label.clone();
    metrics::counter!("ai_console_gateway_requests_total", "feature" => feature, "model" => model.clone(), "outcome" => outcome)
        .increment(1);
    metrics::histogram!("ai_console_gateway_upstream_duration_seconds", "model" => model)
        .record(started.elapsed().as_secs_f64());
}

/// Tokens the gateway measured.
pub fn gateway_tokens(upstream: &app::use_cases::gateway::Upstream, input: i64, output: i64) {
    let feature = upstream.feature.key();
    let model = upstream.model_label.clone();
    metrics::counter!("ai_console_gateway_tokens_total", "feature" => feature, "model" => model.clone(), "direction" => "input")
        .increment(input.max(0) as u64);
    metrics::counter!("ai_console_gateway_tokens_total", "feature" => feature, "model" => model, "direction" => "output")
        .increment(output.max(0) as u64);
}

/// Counted in `ai_console_gateway_in_flight` while a call lasts, its
/// stream included.
#[derive(Debug)]
pub struct GatewayInFlight(());

impl GatewayInFlight {
    pub fn new() -> Self {
        metrics::gauge!("ai_console_gateway_in_flight").increment(1.0);
        GatewayInFlight(())
    }
}

impl Default for GatewayInFlight {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for GatewayInFlight {
    fn drop(&mut self) {
        metrics::gauge!("ai_console_gateway_in_flight").decrement(1.0);
    }
}

/// Counts every error the console logs (a failed database query among
/// them: each is logged where it is turned into "unavailable"), by the
/// module that logged it, in `ai_console_errors_logged_total`.
pub struct ErrorsLogged;

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for ErrorsLogged {
    fn on_event(
        &self,
        event: &tracing::Event<'_>,
        _context: tracing_subscriber::layer::Context<'_, S>,
    ) {
        if *event.metadata().level() == tracing::Level::ERROR {
            let target = event.metadata().target().to_string();
            metrics::counter!("ai_console_errors_logged_total", "target" => target).increment(1);
        }
    }
}
