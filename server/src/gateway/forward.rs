//! Sending an allowed call to its provider and its answer back: the key
//! the console holds goes in the provider's own header, the model is the
//! one decided, a stream asks for its usage, and the answer passes through
//! as it arrives (the provider's own errors and `Retry-After` too). When
//! the answer is complete, or the service hung up, what it used is
//! metered. Dropping the answer (a client that disconnects) drops the
//! request to the provider with it.

use super::refusal::{self, UpstreamFailure};
use super::usage_scan::{StreamScan, Used};
use super::Calls;
use app::usage::rules::{PaidBy, UsageEvent};
use app::use_cases::gateway::{ApiFormat, Upstream};
use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use futures_util::StreamExt;
use secrecy::ExposeSecret;
use serde_json::{Map, Value};
use std::sync::Arc;

/// The provider's answer headers passed on to the service.
const PASSED_HEADERS: [&str; 4] = [
    "content-type",
    "retry-after",
    "x-ratelimit-remaining-requests",
    "x-ratelimit-remaining-tokens",
];

pub async fn forward(
    calls: &Calls,
    upstream: Upstream,
    format: ApiFormat,
    path: &'static str,
    mut body: Map<String, Value>,
    headers: &HeaderMap,
    request_id: String,
) -> Response {
    let streaming = body.get("stream").and_then(Value::as_bool) == Some(true);
    body.insert("model".into(), Value::String(upstream.model.clone()));
    if streaming && format == ApiFormat::OpenAi && path == "chat/completions" {
        // Usage comes as the stream's last chunk only when asked for.
        let options = body
            .entry("stream_options")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(options) = options {
            options.insert("include_usage".into(), Value::Bool(true));
        }
    }
    let url = format!("{}/{path}", upstream.base_url.trim_end_matches('/'));
    let gateway = &calls.gateway;
    let mut request = gateway
        .client
        .post(&url)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Value::Object(body).to_string());
    request = match format {
        ApiFormat::OpenAi => request.bearer_auth(upstream.key.expose_secret()),
        ApiFormat::Anthropic => request
            .header("x-api-key", upstream.key.expose_secret())
            .header(
                "anthropic-version",
                super::header_text(headers, "anthropic-version").unwrap_or("2023-06-01"),
            ),
    };
    if let Some(beta) = super::header_text(headers, "anthropic-beta") {
        request = request.header("anthropic-beta", beta);
    }
    let started = std::time::Instant::now();
    let in_flight = crate::metrics::GatewayInFlight::new();
    let sent = tokio::time::timeout(gateway.config.first_byte_timeout, request.send()).await;
    let answer = match sent {
        Ok(Ok(answer)) => answer,
        Ok(Err(error)) => {
            let failure = if error.is_timeout() {
                UpstreamFailure::TimedOut
            } else {
                UpstreamFailure::Unreachable
            };
            tracing::warn!(request_id, error = %error.without_url(), "the model provider failed");
            crate::metrics::gateway_answered(&upstream, failure_outcome(failure), started);
            return refusal::failed(format, failure, &request_id);
        }
        Err(_) => {
            tracing::warn!(request_id, "the model provider sent nothing in time");
            crate::metrics::gateway_answered(&upstream, "timeout", started);
            return refusal::failed(format, UpstreamFailure::TimedOut, &request_id);
        }
    };
    let status = StatusCode::from_u16(answer.status().as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
    let mut passed = HeaderMap::new();
    for name in PASSED_HEADERS {
        if let Some(value) = answer
            .headers()
            .get(name)
            .and_then(|value| HeaderValue::from_bytes(value.as_bytes()).ok())
        {
            passed.insert(name, value);
        }
    }
    let meter = Metering {
        calls: calls.clone(),
        upstream: Arc::new(upstream),
        request_id: request_id.clone(),
        started,
        _in_flight: in_flight,
    };
    let is_stream = status.is_success()
        && passed
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.starts_with("text/event-stream"));
    let body = if is_stream {
        streamed(answer, meter)
    } else {
        match whole(answer, &gateway.config, status, meter).await {
            Ok(body) => body,
            Err(failure) => return refusal::failed(format, failure, &request_id),
        }
    };
    let mut response = Response::new(body);
    *response.status_mut() = status;
    *response.headers_mut() = passed;
    refusal::with_request_id(&mut response, &request_id);
    response
}

fn failure_outcome(failure: UpstreamFailure) -> &'static str {
    match failure {
        UpstreamFailure::TimedOut => "timeout",
        _ => "unreachable",
    }
}

/// What a call's metering needs once its answer is complete.
struct Metering {
    calls: Calls,
    upstream: Arc<Upstream>,
    request_id: String,
    started: std::time::Instant,
    /// Until the answer is complete or the service hung up.
    _in_flight: crate::metrics::GatewayInFlight,
}

impl Metering {
    /// Queues the call's usage event; answers without usage (refused by
    /// the provider) are counted in the metrics only.
    fn done(self, used: Used, outcome: &'static str) {
        let upstream = &self.upstream;
        crate::metrics::gateway_answered(upstream, outcome, self.started);
        if used.input_tokens == 0 && used.output_tokens == 0 {
            return;
        }
        crate::metrics::gateway_tokens(upstream, used.input_tokens, used.output_tokens);
        let state = &self.calls.served;
        let event = UsageEvent {
            id: format!("gateway:{}", self.request_id),
            at: state.clock.now(),
            feature: upstream.feature.key().to_string(),
            model: used.model.unwrap_or_else(|| upstream.model.clone()),
            input_tokens: used.input_tokens,
            output_tokens: used.output_tokens,
            cost_micros: None,
            paid_by: Some(upstream.paid_by),
        };
        self.calls.gateway.meter.record(
            upstream.workspace.clone(),
            event,
            upstream.paid_by == PaidBy::OwnKey,
        );
    }
}

/// An answer read whole (within the total timeout), metered, passed on.
async fn whole(
    answer: reqwest::Response,
    config: &crate::config::GatewayConfig,
    status: StatusCode,
    meter: Metering,
) -> Result<Body, UpstreamFailure> {
    let read = tokio::time::timeout(config.total_timeout, answer.bytes()).await;
    let bytes = match read {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(_)) => {
            meter.done(Used::default(), "unreachable");
            return Err(UpstreamFailure::Unreachable);
        }
        Err(_) => {
            meter.done(Used::default(), "timeout");
            return Err(UpstreamFailure::TimedOut);
        }
    };
    let mut used = Used::default();
    if status.is_success() {
        if let Ok(object) = serde_json::from_slice::<Value>(&bytes) {
            used.read(&object);
        }
    }
    meter.done(
        used,
        if status.is_success() {
            "ok"
        } else {
            "provider_error"
        },
    );
    Ok(Body::from(bytes))
}

/// A stream passed on chunk by chunk as it arrives, read for its usage on
/// the way; metered when it ends or the service hangs up.
fn streamed(answer: reqwest::Response, meter: Metering) -> Body {
    struct Following {
        scan: StreamScan,
        meter: Option<Metering>,
        finished: bool,
    }
    impl Drop for Following {
        fn drop(&mut self) {
            if let Some(meter) = self.meter.take() {
                let outcome = if self.finished { "ok" } else { "cancelled" };
                meter.done(std::mem::take(&mut self.scan.used), outcome);
            }
        }
    }
    let mut following = Following {
        scan: StreamScan::default(),
        meter: Some(meter),
        finished: false,
    };
    let chunks = Box::pin(answer.bytes_stream());
    let stream = async_stream_of(chunks, move |item| match item {
        Some(Ok(chunk)) => {
            following.scan.feed(&chunk);
            Some(Ok(chunk))
        }
        Some(Err(error)) => {
            tracing::warn!(error = %error.without_url(), "the model provider's stream broke");
            None
        }
        None => {
            following.finished = true;
            // Metered now, not when the body is dropped later.
            if let Some(meter) = following.meter.take() {
                meter.done(std::mem::take(&mut following.scan.used), "ok");
            }
            None
        }
    });
    Body::from_stream(stream)
}

/// `chunks` mapped through `step`, which sees the end (`None`) too and
/// ends the stream by answering `None`.
fn async_stream_of<S, F>(
    chunks: S,
    step: F,
) -> impl futures_util::Stream<Item = Result<axum::body::Bytes, std::io::Error>> + Send
where
    S: futures_util::Stream<Item = Result<axum::body::Bytes, reqwest::Error>>
        + Send
        + Unpin
        + 'static,
    F: FnMut(
            Option<Result<axum::body::Bytes, reqwest::Error>>,
        ) -> Option<Result<axum::body::Bytes, std::io::Error>>
        + Send
        + 'static,
{
    futures_util::stream::unfold(
        (chunks, step, false),
        |(mut chunks, mut step, ended)| async move {
            if ended {
                return None;
            }
            let next = chunks.next().await;
            let last = next.is_none();
            let item = step(next)?;
            Some((item, (chunks, step, last)))
        },
    )
}
