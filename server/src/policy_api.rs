//! `GET /api/v1/workspaces/{id}/ai-policy`: what the product's AI services
//! ask before calling a model. Authenticated with a service token; never
//! cached, so a change on the page applies to the next request; answers
//! carry an ETag, and a matching `If-None-Match` gets 304.

use app::api_access::service::{self, PolicyError};
use app::state::AppState;
use axum::{
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};

pub const OPENAPI: &str = include_str!("openapi.json");

pub async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

pub async fn ai_policy(state: AppState, workspace_id: String, headers: HeaderMap) -> Response {
    let Some(token) = bearer_token(&headers) else {
        return refusal(PolicyError::Unauthorized);
    };
    let read = match service::read_policy(&state, token, &workspace_id).await {
        Ok(read) => read,
        Err(error) => return refusal(error),
    };
    let body = match serde_json::to_string(&read.document) {
        Ok(body) => body,
        Err(error) => {
            tracing::error!(%error, "serialising a policy failed");
            return refusal(PolicyError::Unavailable);
        }
    };
    let etag = format!("\"{}\"", &app::accounts::tokens::digest(&body)[..32]);
    let etag_header = HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"\""));
    if matches_etag(&headers, &etag) {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag_header)]).into_response();
    }
    if let Err(error) = service::record_disclosure(&state, &read).await {
        return refusal(error);
    }
    (
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::ETAG, etag_header),
            // It may carry a key: no cache keeps a copy.
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response()
}

fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
        .filter(|token| !token.is_empty())
}

fn matches_etag(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .any(|candidate| candidate == etag || candidate == "*")
}

fn refusal(error: PolicyError) -> Response {
    let status = match error {
        PolicyError::Unauthorized => StatusCode::UNAUTHORIZED,
        PolicyError::NotFound => StatusCode::NOT_FOUND,
        PolicyError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
    };
    let body = serde_json::json!({ "error": error.to_string() }).to_string();
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
