//! What the service APIs (policy, usage) share: reading the bearer token,
//! JSON answers, and refusals in one shape (`{"error": "…"}`), so each API
//! imports these and not the other.

use app::api_access::service::PolicyError;
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
        PolicyError::Unauthorized => StatusCode::UNAUTHORIZED,
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
    if error == PolicyError::Unauthorized {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    response
}
