//! What the service APIs (policy, usage) share: reading the bearer token,
//! JSON answers, and refusals in one shape (`{"error": "…"}`), so each API
//! imports these and not the other.

use app::api_access::service::{PolicyError, TokenProblem};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// What a refused request answers with.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Error)]
pub struct ApiError {
    /// Why, in words.
    pub error: String,
}

/// A 400 naming what was wrong with the request.
pub fn bad_request(why: &str) -> Response {
    json_answer(
        StatusCode::BAD_REQUEST,
        &ApiError {
            error: why.to_string(),
        },
    )
}

/// `body` as JSON, never cached.
pub fn json_answer(status: StatusCode, body: &impl Serialize) -> Response {
    let body = serde_json::to_string(body).unwrap_or_default();
    (
        status,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response()
}

/// The service token of `Authorization: Bearer …`, if one was sent.
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
        .filter(|token| !token.is_empty())
}

/// A refused request, with the status its reason calls for.
pub fn refusal(error: PolicyError) -> Response {
    let status = match error {
        PolicyError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
        PolicyError::NotFound => StatusCode::NOT_FOUND,
        PolicyError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
    };
    let body = serde_json::to_string(&ApiError {
        error: error.to_string(),
    })
    .unwrap_or_default();
    let mut response = (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response();
    if let PolicyError::Unauthorized(problem) = error {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, www_authenticate(problem));
    }
    response
}

/// RFC 6750's challenge: a bare `Bearer` when no token came, else
/// `invalid_token` with what is wrong with it.
pub fn www_authenticate(problem: TokenProblem) -> HeaderValue {
    match problem {
        TokenProblem::Missing => HeaderValue::from_static("Bearer"),
        TokenProblem::Unknown => {
            HeaderValue::from_static(r#"Bearer error="invalid_token", error_description="unknown""#)
        }
        TokenProblem::Revoked => {
            HeaderValue::from_static(r#"Bearer error="invalid_token", error_description="revoked""#)
        }
        TokenProblem::Expired => {
            HeaderValue::from_static(r#"Bearer error="invalid_token", error_description="expired""#)
        }
    }
}

/// `Token-Expires-At` on answers to a token that expires: when it
/// stops working (RFC 3339), so a service can ask for a new one in time.
pub fn with_token_expiry(response: &mut Response, expires_at: Option<i64>) {
    let Some(at) = expires_at.and_then(|at| jiff::Timestamp::from_second(at).ok()) else {
        return;
    };
    if let Ok(value) = HeaderValue::from_str(&at.to_string()) {
        response.headers_mut().insert(TOKEN_EXPIRES_AT, value);
    }
}

/// The header naming when the token of a request stops working.
pub const TOKEN_EXPIRES_AT: &str = "token-expires-at";

/// The largest body a route accepts (for [`too_large_as_json`]).
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

/// A body over a route's limit answers the service APIs' error JSON,
/// naming the limit; the limit layers themselves answer plain text.
/// Browsers (which ask for HTML) keep the plain answer.
pub async fn too_large_as_json(
    axum::extract::State(BodyLimit(limit)): axum::extract::State<BodyLimit>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let browser = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|accept| accept.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    let response = next.run(request).await;
    if response.status() != StatusCode::PAYLOAD_TOO_LARGE || browser {
        return response;
    }
    let already_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|kind| kind.as_bytes().starts_with(b"application/json"));
    if already_json {
        return response;
    }
    let size = if limit % (1024 * 1024) == 0 {
        format!("{} MiB", limit / (1024 * 1024))
    } else {
        format!("{} KiB", limit / 1024)
    };
    json_answer(
        StatusCode::PAYLOAD_TOO_LARGE,
        &ApiError {
            error: format!(
                "the request body is larger than this endpoint accepts ({size}); send less at once"
            ),
        },
    )
}
