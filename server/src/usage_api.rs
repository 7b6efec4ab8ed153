//! `POST /api/v1/workspaces/{id}/usage`: the product's AI services report
//! what they used, in batches, with a service token. Each event is stored
//! once (a resent batch is harmless); a batch with one bad event is
//! refused whole, naming the event and the field.
//!
//! Services are not browsers: they carry no cookie and send no `Origin`,
//! so this route sits outside the cross-site guard and the session layer,
//! which protect what a cookie can reach. It only ever reads a bearer
//! token.

use crate::service_api::{bad_request, bearer_token, json_answer, refusal, ApiError};
use crate::Served as AppState;
use app::api_access::service::{PolicyError, TokenProblem};
use app::usage::rules;
use axum::{
    body::Bytes,
    http::{HeaderMap, StatusCode},
    response::Response,
};

/// The largest report accepted (about a thousand events).
pub const MAX_REPORT_BYTES: usize = 1024 * 1024;

/// Reports what a workspace's AI used.
#[utoipa::path(
    post,
    path = "/api/v1/workspaces/{id}/usage",
    params(("id" = String, Path, description = "The workspace's id.")),
    request_body(
        content = UsageReport,
        content_type = "application/json",
        description = "1 to 1000 events. An id already reported counts once; a report with one bad event (or the same id twice) is refused whole, naming the event and field."
    ),
    security(("serviceToken" = [])),
    responses(
        (status = 200, description = "Stored: how many events were new and how many had been reported before.", body = Receipt),
        (status = 400, description = "Not a report, or an event with a bad field (named with the event); nothing was stored.", body = ApiError),
        (status = 401, description = "No token, a wrong one, or a revoked or expired one.", body = ApiError),
        (status = 404, description = "No such workspace for this token.", body = ApiError),
        (status = 413, description = "Larger than 1 MiB: send smaller batches.", body = ApiError),
        (status = 503, description = "Not stored; send the batch again later (ids make that safe).", body = ApiError),
    )
)]
pub async fn report_usage(
    state: AppState,
    workspace_id: String,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(token) = bearer_token(&headers) else {
        return refusal(PolicyError::Unauthorized(TokenProblem::Missing));
    };
    let (token, inputs) = match state
        .live_policy
        .authenticate(&state, token, &workspace_id)
        .await
    {
        Ok(found) => found,
        Err(error) => return refusal(error),
    };
    let mut response = stored(&state, &token, &inputs, &body).await;
    crate::service_api::with_token_expiry(&mut response, token.expires_at);
    response
}

/// The report in `body`, checked and stored for `token`'s workspace.
async fn stored(
    state: &AppState,
    token: &app::api_access::service::TokenRecord,
    inputs: &app::use_cases::live_policy::PolicyInputs,
    body: &[u8],
) -> Response {
    let accepted =
        rules::AcceptedTimes::at(state.clock.now(), state.deployment.usage.retention_days);
    let events = match rules::check_report(body, &accepted) {
        Ok(events) => events,
        Err(problem) => return bad_request(&problem.to_string()),
    };
    let own_key = inputs.current.is_some();
    match app::use_cases::usage_report::ingest(state, &token.workspace, &events, own_key).await {
        Ok(receipt) => {
            metrics::counter!("ai_console_usage_events_total", "result" => "new")
                .increment(receipt.new as u64);
            metrics::counter!("ai_console_usage_events_total", "result" => "duplicate")
                .increment(receipt.duplicates as u64);
            json_answer(StatusCode::OK, &receipt)
        }
        Err(error) => {
            tracing::error!(%error, "storing a usage report failed");
            refusal(PolicyError::Unavailable)
        }
    }
}

// For the OpenAPI description.
#[allow(unused_imports)]
use app::usage::service::Receipt;

/// A usage report, as the OpenAPI description states it. The handler
/// reads the raw JSON itself (`app::usage::rules::check_report`) so that
/// a refusal can name the event and the field; this type only describes
/// what that check accepts, and `server/tests/it/contract.rs` holds the
/// two together.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct UsageReport {
    #[schema(min_items = 1, max_items = 1000)]
    events: Vec<UsageReportEvent>,
}

/// One event of a usage report.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct UsageReportEvent {
    /// Yours (printable ASCII, no spaces); the same id again counts once.
    #[schema(
        min_length = 1,
        max_length = 128,
        pattern = "^[!-~]+$",
        example = "req-7f3a"
    )]
    id: String,
    /// When the call was made (RFC 3339): no older than the raw events the
    /// console keeps (`AI_USAGE_RETENTION_DAYS`), at most 5 minutes ahead.
    #[schema(format = DateTime, example = "2026-11-25T09:30:00Z")]
    at: String,
    /// The feature it was for, e.g. `assistant`, `agents`, `embeddings`.
    #[schema(
        min_length = 1,
        max_length = 64,
        pattern = "^[a-z0-9_-]+$",
        example = "assistant"
    )]
    feature: String,
    /// The model as the provider named it.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = "^[!-~]+$",
        example = "gpt-4o"
    )]
    model: String,
    /// All input tokens, cached ones included.
    #[schema(minimum = 0, maximum = 1_000_000_000)]
    input_tokens: i64,
    /// Of the input, what the provider read from its cache (at most
    /// `input_tokens`).
    #[schema(minimum = 0, maximum = 1_000_000_000)]
    cached_input_tokens: Option<i64>,
    #[schema(minimum = 0, maximum = 1_000_000_000)]
    output_tokens: i64,
    /// What you computed it cost, in the deployment's currency; left
    /// out, the console prices it.
    #[schema(minimum = 0, maximum = 1_000_000)]
    cost: Option<f64>,
    /// Who paid; left out, the policy in force decides.
    paid_by: Option<PaidByKey>,
}

/// Who paid for an event.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum PaidByKey {
    Managed,
    OwnKey,
}
