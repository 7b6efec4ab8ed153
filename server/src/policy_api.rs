//! `GET /api/v1/workspaces/{id}/ai-policy`: what the product's AI services
//! ask before calling a model, answered from memory that every change
//! keeps current (`app::use_cases::live_policy`). Authenticated with a
//! service token; answers carry an ETag, and a matching `If-None-Match`
//! gets 304. `…/ai-policy/stream` sends the policy at once and again at
//! every change (Server-Sent Events). The OpenAPI description is generated
//! from the same types (utoipa).

use crate::service_api::{
    bad_request, bearer_token, json_answer, refusal, with_token_expiry, ApiError,
};
use crate::Served as AppState;
use app::api_access::policy_document::PolicyDocument;
use app::api_access::service::{PolicyError, TokenProblem};
use app::domain::Role;
use app::features::rules::FEATURES;
use app::use_cases::live_policy::PolicyRead;
use axum::{
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use serde::Serialize;

/// The AI policy of a workspace.
#[utoipa::path(
    get,
    path = "/api/v1/workspaces/{id}/ai-policy",
    params(
        ("id" = String, Path, description = "The workspace's id (shown on the API access page)."),
        ("If-None-Match" = Option<String>, Header, description = "The ETag of an earlier answer; unchanged policies get 304."),
        ("feature" = Option<FeatureKey>, Query, description = "With `role`: ask whether one feature may run, and get a FeatureDecision instead of the whole policy."),
        ("role" = Option<RoleKey>, Query, description = "With `feature`: the role of the person it would run for."),
    ),
    security(("serviceToken" = [])),
    responses(
        (status = 200, description = "The policy that applies now; with `feature` and `role`, a FeatureDecision.", body = PolicyAnswer,
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
    ask: Result<FeatureQuestion, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
) -> Response {
    let Ok(ask) = ask else {
        // A query the extractor cannot read (a field given twice): the
        // API's own error JSON, not the extractor's plain text.
        crate::metrics::policy_answered("decision", StatusCode::BAD_REQUEST);
        return bad_request("the query takes feature and role once each: ?feature=…&role=…");
    };
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
        return refusal(PolicyError::Unauthorized(TokenProblem::Missing));
    };
    if ask.feature.is_some() || ask.role.is_some() {
        return feature_decision(&state, token, &workspace_id, ask).await;
    }
    let (body, expires_at) = match answer(&state, token, &workspace_id).await {
        Ok(answered) => answered,
        Err(error) => return refusal(error),
    };
    let etag = format!("\"{}\"", version_tag(&body));
    let etag_header = HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"\""));
    let mut response = if matches_etag(&headers, &etag) {
        (StatusCode::NOT_MODIFIED, [(header::ETAG, etag_header)]).into_response()
    } else {
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
    };
    with_token_expiry(&mut response, expires_at);
    response
}

/// What tells one policy answer from another: the ETag (in quotes) and
/// the stream's event id.
fn version_tag(body: &str) -> String {
    app::accounts::tokens::digest(body)[..32].to_string()
}

/// A feature's key, as the OpenAPI description lists them (a test holds
/// them to `FEATURES`).
#[derive(Debug, Serialize, utoipa::ToSchema, strum::VariantArray)]
#[serde(rename_all = "snake_case")]
pub enum FeatureKey {
    Assistant,
    Agents,
    SemanticSearch,
}

/// A role's key, as the OpenAPI description lists them.
#[derive(Debug, Serialize, utoipa::ToSchema, strum::VariantArray)]
#[serde(rename_all = "snake_case")]
pub enum RoleKey {
    Admin,
    Member,
}

/// What `GET …/ai-policy` answers: the whole policy, or with `feature`
/// and `role` the decision for one feature.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum PolicyAnswer {
    Policy(PolicyDocument),
    Decision(app::api_access::policy_document::FeatureDecision),
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
    let (mut response, expires_at) = match decided {
        Ok((Some(decision), expires_at)) => (json_answer(StatusCode::OK, &decision), expires_at),
        Ok((None, _)) => return bad_request("feature: not a feature of this policy"),
        Err(error) => return refusal(error),
    };
    with_token_expiry(&mut response, expires_at);
    response
}

/// The policy for `token`, as the JSON sent, and when the token expires.
async fn answer(
    state: &AppState,
    token: &str,
    workspace_id: &str,
) -> Result<(String, Option<i64>), PolicyError> {
    let PolicyRead { document, token } =
        state.live_policy.answer(state, token, workspace_id).await?;
    let body = serde_json::to_string(&document).map_err(|error| {
        tracing::error!(%error, "serialising a policy failed");
        PolicyError::Unavailable
    })?;
    Ok((body, token.expires_at))
}

/// The AI policy of a workspace, as a stream: the current policy at once,
/// then again each time it changes, each `policy` event with the policy's
/// version tag as its `id:` (a client reconnecting with `Last-Event-ID`
/// is not sent the policy it already has). Keep-alive comments every 15
/// seconds. The stream's last event says why it ends: `closed` when the
/// token stops working (revoked, expired, or its maker lost the admin
/// role), `reconnect` when the server stops (another replica, or this one
/// restarted, serves the next connection).
#[utoipa::path(
    get,
    path = "/api/v1/workspaces/{id}/ai-policy/stream",
    params(
        ("id" = String, Path, description = "The workspace's id."),
        ("Last-Event-ID" = Option<String>, Header, description = "The `id:` of the last event received, when reconnecting."),
    ),
    security(("serviceToken" = [])),
    responses(
        (status = 200, description = "Server-Sent Events: each `policy` event carries a Policy document (`id:` its version tag), the first one at once; the last event is `closed` (`{\"reason\": \"token_expired\"}`, `token_revoked` or `token_unknown`) or `reconnect` (`{\"reason\": \"server_stopping\"}`).",
            content_type = "text/event-stream", body = PolicyDocument),
        (status = 401, description = "No token, a wrong one, or a revoked or expired one.", body = ApiError),
        (status = 404, description = "No such workspace for this token.", body = ApiError),
        (status = 429, description = "The token already holds as many open streams as it may (`AI_CONSOLE_MAX_STREAMS_PER_TOKEN`); `Retry-After` says when to try again.", body = ApiError),
        (status = 503, description = "The policy cannot be read right now; do not call a model.", body = ApiError),
    )
)]
pub async fn ai_policy_stream(
    state: AppState,
    workspace_id: String,
    headers: HeaderMap,
) -> Response {
    use axum::response::sse::{KeepAlive, Sse};
    let Some(token) = bearer_token(&headers).map(str::to_string) else {
        return refusal(PolicyError::Unauthorized(TokenProblem::Missing));
    };
    // Subscribed first, so a change during the first answer is not missed.
    let changes = state.live_policy.subscribe();
    let (first, expires_at) = match answer(&state, &token, &workspace_id).await {
        Ok(answered) => answered,
        Err(error) => return refusal(error),
    };
    let Some(place) = state
        .open_streams
        .take(&app::accounts::tokens::digest(&token))
    else {
        return too_many_streams(state.open_streams.per_token());
    };
    let last_seen = headers
        .get("last-event-id")
        .and_then(|id| id.to_str().ok())
        .map(str::to_string);
    let follower = Follower {
        state,
        token,
        workspace_id,
        changes,
        expires_at,
        sent: last_seen,
        pending: Some(first),
        first: true,
        _counted: crate::metrics::StreamSubscriber::new(),
        _place: place,
    };
    let events = futures_util::stream::unfold(Some(follower), |follower| async move {
        let mut follower = follower?;
        let event = follower.next_event().await;
        let last = event.is_last();
        let event = event.into_event(std::mem::take(&mut follower.first));
        Some((
            Ok::<_, std::convert::Infallible>(event),
            (!last).then_some(follower),
        ))
    });
    let mut response = Sse::new(events)
        .keep_alive(KeepAlive::new().interval(std::time::Duration::from_secs(15)))
        .into_response();
    // It may carry a key: no cache keeps a copy.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    with_token_expiry(&mut response, expires_at);
    response
}

/// What a stream sends next.
enum Next {
    /// A policy, and its version tag.
    Policy(String, String),
    /// The token stopped working: the last event.
    Closed(TokenProblem),
    /// The server stops: the last event.
    Stopping,
}

impl Next {
    fn is_last(&self) -> bool {
        !matches!(self, Next::Policy(..))
    }

    /// As sent; the stream's first event also tells the client how soon
    /// to reconnect after a broken connection.
    fn into_event(self, first: bool) -> axum::response::sse::Event {
        use axum::response::sse::Event;
        let event = match self {
            Next::Policy(body, tag) => Event::default().event("policy").id(tag).data(body),
            Next::Closed(problem) => Event::default()
                .event("closed")
                .data(format!(r#"{{"reason":"token_{}"}}"#, problem.key())),
            Next::Stopping => Event::default()
                .event("reconnect")
                .data(r#"{"reason":"server_stopping"}"#),
        };
        if first {
            event.retry(std::time::Duration::from_secs(2))
        } else {
            event
        }
    }
}

/// One stream's view of the policy: what it sent last, and the changes
/// still to look at.
struct Follower {
    state: AppState,
    token: String,
    workspace_id: String,
    changes: tokio::sync::watch::Receiver<u64>,
    /// When the token stops working, if it expires.
    expires_at: Option<i64>,
    /// The version tag of the policy the client has.
    sent: Option<String>,
    pending: Option<String>,
    /// Whether nothing was sent yet.
    first: bool,
    /// Counted in the subscribers gauge while the stream lives.
    _counted: crate::metrics::StreamSubscriber,
    /// Its place among the token's open streams, freed when it ends.
    _place: crate::stream_cap::StreamPlace,
}

impl Follower {
    /// The next event: a changed policy, or why the stream ends.
    async fn next_event(&mut self) -> Next {
        loop {
            if let Some(body) = self.pending.take() {
                let tag = version_tag(&body);
                if self.sent.as_ref() != Some(&tag) {
                    self.sent = Some(tag.clone());
                    return Next::Policy(body, tag);
                }
            }
            let expires_at = self.expires_at;
            tokio::select! {
                changed = self.changes.changed() => {
                    if changed.is_err() {
                        return Next::Stopping;
                    }
                }
                () = expiry_check(expires_at) => {
                    if self.expired() {
                        return Next::Closed(TokenProblem::Expired);
                    }
                    continue;
                }
                () = self.state.stopping.begun() => return Next::Stopping,
            }
            match answer(&self.state, &self.token, &self.workspace_id).await {
                Ok((body, _)) => self.pending = Some(body),
                Err(PolicyError::Unavailable) => {}
                Err(PolicyError::Unauthorized(problem)) => return Next::Closed(problem),
                Err(PolicyError::NotFound) => return Next::Closed(TokenProblem::Unknown),
            }
        }
    }

    fn expired(&self) -> bool {
        self.expires_at
            .is_some_and(|at| app::api_access::rules::is_expired(Some(at), self.state.clock.now()))
    }
}

/// Completes when a token's expiry should be looked at again: each second
/// while it has one (so a stream ends within a second of it, whatever the
/// clock), never otherwise.
async fn expiry_check(expires_at: Option<i64>) {
    match expires_at {
        Some(_) => tokio::time::sleep(std::time::Duration::from_secs(1)).await,
        None => std::future::pending().await,
    }
}

/// `If-None-Match` compares weakly (RFC 9110, 13.1.2): `W/"…"`, as
/// compressing proxies rewrite an ETag, matches the same `"…"`.
fn matches_etag(headers: &HeaderMap, etag: &str) -> bool {
    let opaque = |tag: &str| tag.trim().trim_start_matches("W/").to_string();
    let etag = opaque(etag);
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .any(|candidate| candidate == "*" || opaque(candidate) == etag)
}

/// 429: the token holds as many open streams as it may.
fn too_many_streams(per_token: usize) -> Response {
    let mut response = json_answer(
        StatusCode::TOO_MANY_REQUESTS,
        &ApiError {
            error: format!(
                "this service token already holds {per_token} open policy streams, the most it may; \
                 close one (one stream per service process is enough) and connect again"
            ),
        },
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::VariantArray;

    fn keys<T: Serialize>(values: &[T]) -> Vec<String> {
        values
            .iter()
            .map(|value| {
                serde_json::to_value(value)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn the_described_feature_and_role_keys_are_the_ones_the_api_takes() {
        let features: Vec<String> = FEATURES.iter().map(|spec| spec.key.to_string()).collect();
        assert_eq!(keys(FeatureKey::VARIANTS), features);
        let roles: Vec<String> = Role::VARIANTS
            .iter()
            .map(|role| role.key().to_string())
            .collect();
        assert_eq!(keys(RoleKey::VARIANTS), roles);
    }
}
