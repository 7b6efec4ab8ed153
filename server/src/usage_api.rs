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
use app::api_access::service::PolicyError;
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
        content_type = "application/json",
        description = "`{\"events\": [...]}`, 1 to 1000 events. Each: `id` (yours, 1–128 printable ASCII; the same id again counts once), `at` (RFC 3339), `feature` (a-z, 0-9, _ and -, e.g. `assistant`, `agents`, `embeddings`), `model`, `input_tokens`, `output_tokens` (whole numbers), optionally `cached_input_tokens` (of the input, what the provider read from its cache), `cost` (what you computed, in the deployment's currency) and `paid_by` (`managed` or `own_key`; else the policy in force decides)."
    ),
    security(("serviceToken" = [])),
    responses(
        (status = 200, description = "Stored: how many events were new and how many had been reported before.", body = Receipt),
        (status = 400, description = "Not a report, or an event with a bad field (named with the event); nothing was stored.", body = ApiError),
        (status = 401, description = "No token, a wrong one, or a revoked or expired one.", body = ApiError),
        (status = 404, description = "No such workspace for this token.", body = ApiError),
        (status = 413, description = "Larger than 1 MiB: send smaller batches."),
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
        return refusal(PolicyError::Unauthorized);
    };
    let (token, inputs) = match state
        .live_policy
        .authenticate(&state, token, &workspace_id)
        .await
    {
        Ok(found) => found,
        Err(error) => return refusal(error),
    };
    let events = match rules::check_report(&body) {
        Ok(events) => events,
        Err(problem) => return bad_request(&problem.to_string()),
    };
    let own_key = inputs.current.is_some();
    match app::use_cases::usage_report::ingest(&state, &token.workspace, &events, own_key).await {
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
