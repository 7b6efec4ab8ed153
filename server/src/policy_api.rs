//! `GET /api/v1/workspaces/{id}/ai-policy`: what the product's AI services
//! ask before calling a model, answered from memory that every change
//! keeps current (`app::use_cases::live_policy`). Authenticated with a
//! service token; answers carry an ETag, and a matching `If-None-Match`
//! gets 304. `…/ai-policy/stream` sends the policy at once and again at
//! every change (Server-Sent Events). The OpenAPI description is generated
//! from the same types (utoipa).

use crate::service_api::{bad_request, bearer_token, json_answer, refusal, ApiError};
use crate::Served as AppState;
use app::api_access::policy_document::PolicyDocument;
use app::api_access::service::PolicyError;
use app::domain::Role;
use app::features::rules::FEATURES;
use app::use_cases::live_policy::PolicyRead;
use axum::{
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};

/// The AI policy of a workspace.
#[utoipa::path(
    get,
    path = "/api/v1/workspaces/{id}/ai-policy",
    params(
        ("id" = String, Path, description = "The workspace's id (shown on the API access page)."),
        ("If-None-Match" = Option<String>, Header, description = "The ETag of an earlier answer; unchanged policies get 304."),
        ("feature" = Option<String>, Query, description = "With `role`: ask whether one feature (`assistant`, `agents`, `semantic_search`) may run, and get a FeatureDecision instead of the whole policy."),
        ("role" = Option<String>, Query, description = "With `feature`: the role of the person it would run for, `admin` or `member`."),
    ),
    security(("serviceToken" = [])),
    responses(
        (status = 200, description = "The policy that applies now; with `feature` and `role`, a FeatureDecision.", body = PolicyDocument,
            headers(("ETag" = String, description = "Changes whenever the policy does."))),
        (status = 400, description = "`feature` or `role` missing, or not one of the values listed.", body = ApiError),
        (status = 304, description = "Unchanged since the ETag given in If-None-Match."),
        (status = 401, description = "No token, a wrong one, or a revoked or expired one.", body = ApiError),
        (status = 404, description = "No such workspace for this token.", body = ApiError),
        (status = 503, description = "The policy cannot be read right now; do not call a model.", body = ApiError),
    )
)]
pub async fn ai_policy(
    state: AppState,
    workspace_id: String,
    ask: FeatureQuestion,
    headers: HeaderMap,
) -> Response {
    let kind = if ask.feature.is_some() || ask.role.is_some() {
        "decision"
    } else {
        "policy"
    };
    let response = policy_answer(state, workspace_id, ask, headers).await;
    crate::metrics::policy_answered(kind, response.status());
    response
}

async fn policy_answer(
    state: AppState,
    workspace_id: String,
    ask: FeatureQuestion,
    headers: HeaderMap,
) -> Response {
    let Some(token) = bearer_token(&headers) else {
        return refusal(PolicyError::Unauthorized);
    };
    if ask.feature.is_some() || ask.role.is_some() {
        return feature_decision(&state, token, &workspace_id, ask).await;
    }
    let body = match answer(&state, token, &workspace_id).await {
        Ok(body) => body,
        Err(error) => return refusal(error),
    };
    let etag = format!("\"{}\"", &app::accounts::tokens::digest(&body)[..32]);
    let etag_header = HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"\""));
    if matches_etag(&headers, &etag) {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag_header)]).into_response();
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

/// `?feature=…&role=…`: one feature, one role.
#[derive(Debug, Default, serde::Deserialize)]
pub struct FeatureQuestion {
    pub feature: Option<String>,
    pub role: Option<String>,
}

/// The plain allowed/denied answer for one feature and role.
async fn feature_decision(
    state: &AppState,
    token: &str,
    workspace_id: &str,
    ask: FeatureQuestion,
) -> Response {
    let features: Vec<&str> = FEATURES.iter().map(|spec| spec.key).collect();
    let Some(feature) = ask
        .feature
        .filter(|feature| features.contains(&feature.as_str()))
    else {
        return bad_request(&format!(
            "feature: expected one of {}, with role",
            features.join(", ")
        ));
    };
    let Some(role) = ask.role.as_deref().and_then(Role::from_key) else {
        return bad_request("role: expected admin or member, with feature");
    };
    let decided = state
        .live_policy
        .decide(state, token, workspace_id, &feature, role)
        .await;
    match decided {
        Ok(Some(decision)) => json_answer(StatusCode::OK, &decision),
        Ok(None) => bad_request("feature: not a feature of this policy"),
        Err(error) => refusal(error),
    }
}

/// The policy for `token`, as the JSON sent.
async fn answer(state: &AppState, token: &str, workspace_id: &str) -> Result<String, PolicyError> {
    let PolicyRead { document, .. } = state.live_policy.answer(state, token, workspace_id).await?;
    serde_json::to_string(&document).map_err(|error| {
        tracing::error!(%error, "serialising a policy failed");
        PolicyError::Unavailable
    })
}

/// The AI policy of a workspace, as a stream: the current policy at once,
/// then again each time it changes. Keep-alive comments every 15 seconds;
/// the stream ends when the token is revoked.
#[utoipa::path(
    get,
    path = "/api/v1/workspaces/{id}/ai-policy/stream",
    params(("id" = String, Path, description = "The workspace's id.")),
    security(("serviceToken" = [])),
    responses(
        (status = 200, description = "Server-Sent Events: each `policy` event carries a Policy document, the first one at once.",
            content_type = "text/event-stream", body = PolicyDocument),
        (status = 401, description = "No token, a wrong one, or a revoked or expired one.", body = ApiError),
        (status = 404, description = "No such workspace for this token.", body = ApiError),
        (status = 503, description = "The policy cannot be read right now; do not call a model.", body = ApiError),
    )
)]
pub async fn ai_policy_stream(
    state: AppState,
    workspace_id: String,
    headers: HeaderMap,
) -> Response {
    use axum::response::sse::{Event, KeepAlive, Sse};
    let Some(token) = bearer_token(&headers).map(str::to_string) else {
        return refusal(PolicyError::Unauthorized);
    };
    // Subscribed first, so a change during the first answer is not missed.
    let changes = state.live_policy.subscribe();
    let first = match answer(&state, &token, &workspace_id).await {
        Ok(body) => body,
        Err(error) => return refusal(error),
    };
    let follower = Follower {
        state,
        token,
        workspace_id,
        changes,
        sent: None,
        pending: Some(first),
        _counted: crate::metrics::StreamSubscriber::new(),
    };
    let events = futures_util::stream::unfold(follower, |mut follower| async move {
        let body = follower.next_change().await?;
        let event = Event::default().event("policy").data(body);
        Some((Ok::<_, std::convert::Infallible>(event), follower))
    });
    let mut response = Sse::new(events)
        .keep_alive(KeepAlive::new().interval(std::time::Duration::from_secs(15)))
        .into_response();
    // It may carry a key: no cache keeps a copy.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// One stream's view of the policy: what it sent last, and the changes
/// still to look at.
struct Follower {
    state: AppState,
    token: String,
    workspace_id: String,
    changes: tokio::sync::watch::Receiver<u64>,
    sent: Option<String>,
    pending: Option<String>,
    /// Counted in the subscribers gauge while the stream lives.
    _counted: crate::metrics::StreamSubscriber,
}

impl Follower {
    /// The next policy to send; `None` ends the stream (token revoked,
    /// server stopping).
    async fn next_change(&mut self) -> Option<String> {
        loop {
            if let Some(body) = self.pending.take() {
                if self.sent.as_ref() != Some(&body) {
                    self.sent = Some(body.clone());
                    return Some(body);
                }
            }
            self.changes.changed().await.ok()?;
            match answer(&self.state, &self.token, &self.workspace_id).await {
                Ok(body) => self.pending = Some(body),
                Err(PolicyError::Unavailable) => {}
                Err(PolicyError::Unauthorized | PolicyError::NotFound) => return None,
            }
        }
    }
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
