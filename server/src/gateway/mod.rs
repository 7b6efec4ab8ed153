//! The AI gateway: services call models through the console, with a
//! service token as their API key, and every setting of the AI & agents
//! page holds by construction. OpenAI's API under `/gateway/openai/v1`,
//! Anthropic's under `/gateway/anthropic/v1`. The console decides each call
//! (`app::use_cases::gateway`), sends it to the provider with the key it
//! holds (the service never sees one), passes the answer through as it
//! arrives, streamed or not, and meters what it used.

mod forward;
pub mod meter;
mod refusal;
mod translate;
pub mod usage_scan;

use crate::config::GatewayConfig;
use crate::Served;
use app::use_cases::gateway::{self as decide, ApiFormat, CallRequest, ModelCall};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use std::sync::Arc;

pub const OPENAI_BASE: &str = "/gateway/openai/v1";
pub const ANTHROPIC_BASE: &str = "/gateway/anthropic/v1";

/// What the gateway keeps for every call.
#[derive(Debug)]
pub struct Gateway {
    pub config: GatewayConfig,
    /// Keeps connections to providers open between calls.
    client: reqwest::Client,
    pub meter: meter::Meter,
    /// The people calls are made for, remembered for a moment.
    people: decide::People,
}

impl Gateway {
    pub fn new(config: GatewayConfig) -> Self {
        let client = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            // A key is only ever sent to the address the page shows.
            .redirect(reqwest::redirect::Policy::none())
            .pool_idle_timeout(std::time::Duration::from_secs(90))
            .build()
            .unwrap_or_default();
        Gateway {
            config,
            client,
            meter: meter::Meter::default(),
            people: decide::People::default(),
        }
    }
}

#[derive(Clone)]
struct Calls {
    served: Served,
    gateway: Arc<Gateway>,
}

/// The gateway's routes. Bearer tokens only (no cookie, no session), so no
/// cross-site guard applies; bodies up to the configured limit.
pub fn routes<S: Clone + Send + Sync + 'static>(
    served: Served,
    gateway: Arc<Gateway>,
) -> Router<S> {
    let limit = gateway.config.max_body_bytes;
    let calls = Calls { served, gateway };
    Router::new()
        .route(
            &format!("{OPENAI_BASE}/chat/completions"),
            post(|calls, headers, body| call(calls, headers, body, ModelCall::ChatCompletions)),
        )
        .route(
            &format!("{OPENAI_BASE}/responses"),
            post(|calls, headers, body| call(calls, headers, body, ModelCall::Responses)),
        )
        .route(
            &format!("{OPENAI_BASE}/embeddings"),
            post(|calls, headers, body| call(calls, headers, body, ModelCall::Embeddings)),
        )
        .route(
            &format!("{ANTHROPIC_BASE}/messages"),
            post(|calls, headers, body| call(calls, headers, body, ModelCall::Messages)),
        )
        .route(
            &format!("{OPENAI_BASE}/models"),
            get(|calls, headers| models(calls, headers, ApiFormat::OpenAi)),
        )
        .route(
            &format!("{ANTHROPIC_BASE}/models"),
            get(|calls, headers| models(calls, headers, ApiFormat::Anthropic)),
        )
        .layer(DefaultBodyLimit::max(limit))
        .with_state(calls)
}

/// The service token: OpenAI's SDKs send `Authorization: Bearer`,
/// Anthropic's `x-api-key`; both are taken on both APIs.
fn token_of(headers: &HeaderMap) -> Option<&str> {
    crate::service_api::bearer_token(headers).or_else(|| {
        headers
            .get("x-api-key")?
            .to_str()
            .ok()
            .map(str::trim)
            .filter(|token| !token.is_empty())
    })
}

fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name)?.to_str().ok()
}

fn new_request_id() -> String {
    format!("req_{}", app::accounts::tokens::random_hex(12))
}

async fn call(
    State(calls): State<Calls>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
    model_call: ModelCall,
) -> Response {
    let format = model_call.format();
    let request_id = new_request_id();
    let body = match body {
        Ok(body) => body,
        Err(rejected) if rejected.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return refusal::failed(format, refusal::UpstreamFailure::TooLarge, &request_id)
        }
        Err(_) => return refusal::failed(format, refusal::UpstreamFailure::NotJson, &request_id),
    };
    let Ok(serde_json::Value::Object(body)) = serde_json::from_slice::<serde_json::Value>(&body)
    else {
        return refusal::failed(format, refusal::UpstreamFailure::NotJson, &request_id);
    };
    let person = header_text(&headers, "x-ai-user")
        .or_else(|| body.get("user").and_then(|user| user.as_str()))
        .or_else(|| {
            body.get("metadata")
                .and_then(|metadata| metadata.get("user_id"))
                .and_then(|user| user.as_str())
        });
    let request = CallRequest {
        token: token_of(&headers).unwrap_or_default(),
        call: model_call,
        feature: header_text(&headers, "x-ai-feature"),
        person,
        model: body.get("model").and_then(|model| model.as_str()),
    };
    let state = &calls.served;
    let decided = decide::decide(
        state,
        &state.live_policy,
        &calls.gateway.config.managed,
        &calls.gateway.people,
        request,
    )
    .await;
    let upstream = match decided {
        Ok(upstream) => upstream,
        Err(refused) => {
            crate::metrics::gateway_refused(refused.code());
            return refusal::refused(format, &refused, &request_id);
        }
    };
    forward::forward(&calls, upstream, model_call, body, &headers, request_id).await
}

/// The models the workspace allows, in the API's own list format.
async fn models(State(calls): State<Calls>, headers: HeaderMap, format: ApiFormat) -> Response {
    let request_id = new_request_id();
    let state = &calls.served;
    let token = token_of(&headers).unwrap_or_default();
    let allowed = match state.live_policy.gateway_models(state, token).await {
        Ok((true, allowed)) => allowed,
        Ok((false, _)) => {
            let refused = decide::GatewayRefusal::NoGatewayRight;
            return refusal::refused(format, &refused, &request_id);
        }
        Err(error) => {
            return refusal::refused(format, &decide::GatewayRefusal::from(error), &request_id)
        }
    };
    let body = match format {
        ApiFormat::OpenAi => serde_json::json!({
            "object": "list",
            "data": allowed.iter().map(|id| serde_json::json!({
                "id": id, "object": "model", "created": 0, "owned_by": "workspace"
            })).collect::<Vec<_>>(),
        }),
        ApiFormat::Anthropic => serde_json::json!({
            "data": allowed.iter().map(|id| serde_json::json!({
                "id": id, "type": "model", "display_name": id, "created_at": "1970-01-01T00:00:00Z"
            })).collect::<Vec<_>>(),
            "has_more": false,
            "first_id": allowed.first(),
            "last_id": allowed.last(),
        }),
    };
    let mut response = (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body.to_string(),
    )
        .into_response();
    refusal::with_request_id(&mut response, &request_id);
    response
}
