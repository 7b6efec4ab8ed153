//! Sending an allowed call to its provider and its answer back: the key
//! the console holds goes in the provider's own header, the model is the
//! one decided, a stream asks for its usage, and the answer passes through
//! as it arrives (the provider's own errors and `Retry-After` too). When
//! the answer is complete, or the service hung up, what it used is
//! metered. Dropping the answer (a client that disconnects) drops the
//! request to the provider with it. When the provider speaks the other
//! API, the request, the answer (whole, streamed or an error) are
//! translated on the way (`super::translate`).

use super::refusal::{self, UpstreamFailure};
use super::translate::{self, StreamTranslation};
use super::usage_scan::{StreamScan, Used};
use super::Calls;
use app::usage::rules::{PaidBy, UsageEvent, UsageSource};
use app::use_cases::gateway::{ApiFormat, ModelCall, Upstream};
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

/// How the answer is made for the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Translation {
    /// The provider speaks the service's API.
    None,
    /// A chat completion served by Anthropic's messages.
    MessagesToChat,
    /// Anthropic's messages served by a chat completion.
    ChatToMessages,
}

pub async fn forward(
    calls: &Calls,
    upstream: Upstream,
    call: ModelCall,
    body: Map<String, Value>,
    headers: &HeaderMap,
    request_id: String,
) -> Response {
    let format = call.format();
    let provider_call = upstream.provider_call;
    let translation = match (call, provider_call) {
        (ModelCall::ChatCompletions, ModelCall::Messages) => Translation::MessagesToChat,
        (ModelCall::Messages, ModelCall::ChatCompletions) => Translation::ChatToMessages,
        _ => Translation::None,
    };
    let streaming = body.get("stream").and_then(Value::as_bool) == Some(true);
    let mut body = match translation {
        Translation::None => body,
        Translation::MessagesToChat => translate::chat_to_messages(&body),
        Translation::ChatToMessages => translate::messages_to_chat(&body, upstream.compatible),
    };
    body.insert("model".into(), Value::String(upstream.model.clone()));
    if streaming && provider_call == ModelCall::ChatCompletions {
        // Usage comes as the stream's last chunk only when asked for.
        let options = body
            .entry("stream_options")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(options) = options {
            options.insert("include_usage".into(), Value::Bool(true));
        }
    }
    let url = format!(
        "{}/{}",
        upstream.base_url.trim_end_matches('/'),
        provider_call.path()
    );
    let gateway = &calls.gateway;
    let mut request = gateway
        .client
        .post(&url)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Value::Object(body).to_string());
    request = match provider_call.format() {
        ApiFormat::OpenAi => request.bearer_auth(upstream.key.expose_secret()),
        ApiFormat::Anthropic => request
            .header("x-api-key", upstream.key.expose_secret())
            .header(
                "anthropic-version",
                super::header_text(headers, "anthropic-version").unwrap_or("2023-06-01"),
            ),
    };
    if let Some(beta) = super::header_text(headers, "anthropic-beta") {
        if provider_call.format() == ApiFormat::Anthropic {
            request = request.header("anthropic-beta", beta);
        }
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
    if matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) {
        // The service's token is fine; the key behind it is not.
        tracing::warn!(
            request_id,
            status = status.as_u16(),
            paid_by = upstream.paid_by.key(),
            "the model provider refused the key"
        );
        crate::metrics::gateway_answered(&upstream, "key_refused", started);
        let failure = UpstreamFailure::KeyRefused {
            paid_by: upstream.paid_by,
            status: status.as_u16(),
        };
        return refusal::failed(format, failure, &request_id);
    }
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
    let token_expires_at = upstream.token_expires_at;
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
    let created = calls.served.clock.now();
    let body = if is_stream {
        let translation = match translation {
            Translation::None => None,
            Translation::MessagesToChat => Some(StreamTranslation::messages_to_chat(created)),
            Translation::ChatToMessages => Some(StreamTranslation::chat_to_messages()),
        };
        streamed(answer, meter, translation)
    } else {
        let read = whole(answer, &gateway.config, status, meter).await;
        match read {
            Ok(bytes) if translation == Translation::None => Body::from(bytes),
            Ok(bytes) => {
                passed.insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                );
                Body::from(translated(&bytes, translation, status, created))
            }
            Err(failure) => return refusal::failed(format, failure, &request_id),
        }
    };
    let mut response = Response::new(body);
    *response.status_mut() = status;
    *response.headers_mut() = passed;
    refusal::with_request_id(&mut response, &request_id);
    crate::service_api::with_token_expiry(&mut response, token_expires_at);
    response
}

fn failure_outcome(failure: UpstreamFailure) -> &'static str {
    match failure {
        UpstreamFailure::TimedOut => "timeout",
        UpstreamFailure::AnswerTooLarge => "answer_too_large",
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
            cached_input_tokens: used.cached_input_tokens.min(used.input_tokens),
            output_tokens: used.output_tokens,
            cost_micros: None,
            paid_by: Some(upstream.paid_by),
            source: UsageSource::Measured,
        };
        self.calls.gateway.meter.record(
            upstream.workspace.clone(),
            event,
            upstream.paid_by == PaidBy::OwnKey,
        );
    }
}

/// A whole answer (or the provider's error) in the service's API; what
/// cannot be read as JSON passes as it came.
fn translated(bytes: &[u8], translation: Translation, status: StatusCode, created: i64) -> Vec<u8> {
    let Ok(answer) = serde_json::from_slice::<Value>(bytes) else {
        return bytes.to_vec();
    };
    let answer = match (translation, status.is_success()) {
        (Translation::MessagesToChat, true) => translate::message_to_chat(&answer, created),
        (Translation::ChatToMessages, true) => translate::chat_to_message(&answer),
        (Translation::MessagesToChat, false) => translate::error_to_openai(&answer),
        (Translation::ChatToMessages, false) => {
            translate::error_to_anthropic(&answer, refusal::anthropic_type(status))
        }
        (Translation::None, _) => answer,
    };
    answer.to_string().into_bytes()
}

/// An answer read whole, within the total timeout and no larger than the
/// gateway's body limit (a provider answering without end cannot fill the
/// console's memory), and metered.
async fn whole(
    answer: reqwest::Response,
    config: &crate::config::GatewayConfig,
    status: StatusCode,
    meter: Metering,
) -> Result<axum::body::Bytes, UpstreamFailure> {
    let limit = config.max_body_bytes;
    let read = tokio::time::timeout(config.total_timeout, read_at_most(answer, limit)).await;
    let bytes = match read {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(failure)) => {
            meter.done(Used::default(), failure_outcome(failure));
            return Err(failure);
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
    Ok(bytes)
}

/// The answer's body, refused past `limit` bytes.
async fn read_at_most(
    answer: reqwest::Response,
    limit: usize,
) -> Result<axum::body::Bytes, UpstreamFailure> {
    if answer
        .content_length()
        .is_some_and(|length| length > limit as u64)
    {
        return Err(UpstreamFailure::AnswerTooLarge);
    }
    let mut chunks = answer.bytes_stream();
    let mut bytes = Vec::new();
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.map_err(|_| UpstreamFailure::Unreachable)?;
        if bytes.len() + chunk.len() > limit {
            return Err(UpstreamFailure::AnswerTooLarge);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes.into())
}

/// A stream passed on chunk by chunk as it arrives (or translated event by
/// event), read for its usage on the way; metered when it ends or the
/// service hangs up.
fn streamed(
    answer: reqwest::Response,
    meter: Metering,
    translation: Option<StreamTranslation>,
) -> Body {
    let following = Following {
        scan: StreamScan::default(),
        translation,
        meter: Some(meter),
        finished: false,
    };
    let chunks = Box::pin(answer.bytes_stream());
    let stream = futures_util::stream::unfold(
        (chunks, following, false),
        |(mut chunks, mut following, ended)| async move {
            if ended {
                return None;
            }
            loop {
                match chunks.next().await {
                    Some(Ok(chunk)) => {
                        let out = following.chunk(chunk);
                        // An event still incomplete gives nothing to send yet.
                        if !out.is_empty() {
                            return Some((
                                Ok::<_, std::io::Error>(out),
                                (chunks, following, false),
                            ));
                        }
                    }
                    Some(Err(error)) => {
                        tracing::warn!(error = %error.without_url(), "the model provider's stream broke");
                        return None;
                    }
                    None => {
                        let out = following.end();
                        return (!out.is_empty()).then_some((Ok(out), (chunks, following, true)));
                    }
                }
            }
        },
    );
    Body::from_stream(stream)
}

/// A stream being passed on.
struct Following {
    scan: StreamScan,
    translation: Option<StreamTranslation>,
    meter: Option<Metering>,
    finished: bool,
}

impl Following {
    /// What to send of `chunk`: itself, or its translation so far.
    fn chunk(&mut self, chunk: axum::body::Bytes) -> axum::body::Bytes {
        match &mut self.translation {
            None => {
                self.scan.feed(&chunk, |_| {});
                chunk
            }
            Some(translation) => {
                let mut out = String::new();
                self.scan
                    .feed(&chunk, |event| translation.event(event, &mut out));
                out.into()
            }
        }
    }

    /// The provider's stream ended: metered now, not when the body is
    /// dropped later; a translation writes its closing events.
    fn end(&mut self) -> axum::body::Bytes {
        self.finished = true;
        if let Some(meter) = self.meter.take() {
            meter.done(std::mem::take(&mut self.scan.used), "ok");
        }
        let mut out = String::new();
        if let Some(translation) = &mut self.translation {
            translation.end(&mut out);
        }
        out.into()
    }
}

impl Drop for Following {
    fn drop(&mut self) {
        if let Some(meter) = self.meter.take() {
            let outcome = if self.finished { "ok" } else { "cancelled" };
            meter.done(std::mem::take(&mut self.scan.used), outcome);
        }
    }
}
