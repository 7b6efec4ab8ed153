//! The gateway's answers when it refuses or the provider fails, in the
//! format of the API the service speaks, so its SDK raises a readable
//! error: OpenAI's `{"error": {"message", "type", "code"}}`, Anthropic's
//! `{"type": "error", "error": {"type", "message"}}`. Every answer carries
//! `X-Request-Id`.

use app::usage::rules::PaidBy;
use app::use_cases::gateway::{ApiFormat, GatewayRefusal};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::borrow::Cow;

/// Why the provider could not answer, from the console's side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpstreamFailure {
    /// No connection, or it broke before an answer.
    Unreachable,
    /// No first byte, or no whole answer, within the timeouts.
    TimedOut,
    /// The request body could not be read as JSON.
    NotJson,
    /// The body is larger than the gateway accepts.
    TooLarge,
    /// The provider's answer is larger than the gateway reads.
    AnswerTooLarge,
    /// The provider refused the key (401 or 403). Its own message is not
    /// passed on: providers quote part of the key in it, and the service
    /// can do nothing about the key; whoever holds it can.
    KeyRefused { paid_by: PaidBy, status: u16 },
}

impl UpstreamFailure {
    fn status(self) -> StatusCode {
        match self {
            UpstreamFailure::Unreachable => StatusCode::BAD_GATEWAY,
            UpstreamFailure::TimedOut => StatusCode::GATEWAY_TIMEOUT,
            UpstreamFailure::NotJson => StatusCode::BAD_REQUEST,
            UpstreamFailure::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            UpstreamFailure::AnswerTooLarge => StatusCode::BAD_GATEWAY,
            UpstreamFailure::KeyRefused { .. } => StatusCode::BAD_GATEWAY,
        }
    }

    fn code(self) -> &'static str {
        match self {
            UpstreamFailure::Unreachable => "provider_unreachable",
            UpstreamFailure::TimedOut => "provider_timeout",
            UpstreamFailure::NotJson => "invalid_json",
            UpstreamFailure::TooLarge => "request_too_large",
            UpstreamFailure::AnswerTooLarge => "provider_answer_too_large",
            UpstreamFailure::KeyRefused { .. } => "provider_key_refused",
        }
    }

    fn message(self) -> Cow<'static, str> {
        match self {
            UpstreamFailure::Unreachable => "the model provider could not be reached".into(),
            UpstreamFailure::TimedOut => "the model provider did not answer in time".into(),
            UpstreamFailure::NotJson => "the request body must be a JSON object".into(),
            UpstreamFailure::TooLarge => {
                "the request body is larger than the gateway accepts".into()
            }
            UpstreamFailure::AnswerTooLarge => {
                "the model provider's answer is larger than the gateway accepts".into()
            }
            UpstreamFailure::KeyRefused { paid_by, status } => match paid_by {
                PaidBy::OwnKey => format!(
                    "the model provider refused the workspace's API key (HTTP {status}); \
                     an admin should check it under Model provider on the AI & agents page"
                ),
                PaidBy::Managed => format!(
                    "the model provider refused the managed provider's key (HTTP {status}); \
                     the console's operator should check it"
                ),
            }
            .into(),
        }
    }
}

/// A refusal of the gateway's own.
pub fn refused(format: ApiFormat, refusal: &GatewayRefusal, request_id: &str) -> Response {
    let status = StatusCode::from_u16(refusal.status()).unwrap_or(StatusCode::FORBIDDEN);
    let mut response = error_answer(
        format,
        status,
        refusal.code(),
        &refusal.to_string(),
        request_id,
    );
    if let Some(problem) = refusal.token_problem() {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            crate::service_api::www_authenticate(problem),
        );
    }
    response
}

/// The provider failed, as the console saw it.
pub fn failed(format: ApiFormat, failure: UpstreamFailure, request_id: &str) -> Response {
    error_answer(
        format,
        failure.status(),
        failure.code(),
        &failure.message(),
        request_id,
    )
}

fn error_answer(
    format: ApiFormat,
    status: StatusCode,
    code: &str,
    message: &str,
    request_id: &str,
) -> Response {
    let body = match format {
        ApiFormat::OpenAi => serde_json::json!({
            "error": {"message": message, "type": openai_type(status), "code": code, "param": null}
        }),
        ApiFormat::Anthropic => serde_json::json!({
            "type": "error",
            "error": {"type": anthropic_type(status), "message": message, "code": code}
        }),
    };
    let mut response = (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body.to_string(),
    )
        .into_response();
    with_request_id(&mut response, request_id);
    response
}

pub fn with_request_id(response: &mut Response, request_id: &str) {
    if let Ok(value) = HeaderValue::from_str(request_id) {
        response.headers_mut().insert("x-request-id", value);
    }
}

fn openai_type(status: StatusCode) -> &'static str {
    match status.as_u16() {
        401 => "authentication_error",
        403 => "permission_error",
        400 | 404 | 413 => "invalid_request_error",
        _ => "api_error",
    }
}

pub(super) fn anthropic_type(status: StatusCode) -> &'static str {
    match status.as_u16() {
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        400 => "invalid_request_error",
        429 => "rate_limit_error",
        529 => "overloaded_error",
        _ => "api_error",
    }
}
