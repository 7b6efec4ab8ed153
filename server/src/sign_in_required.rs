//! Settings pages are for signed-in people only: anyone else is sent to the
//! sign-in page and comes back to where they were going afterwards. Server
//! functions check the session themselves; this only guards pages.

use app::accounts::{session, LOGIN_PAGE};
use app::state::AppState;
use app::url::query_value;
use axum::{
    extract::{Request, State},
    http::StatusCode,
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use tower_sessions::Session;

const GUARDED_PREFIX: &str = "/settings";

pub async fn require_sign_in(
    State(state): State<AppState>,
    session: Session,
    request: Request,
    next: Next,
) -> Response {
    if !request.uri().path().starts_with(GUARDED_PREFIX) {
        return next.run(request).await;
    }
    match session::actor(&state, &session).await {
        Ok(Some(_)) => next.run(request).await,
        Ok(None) => {
            let wanted = request
                .uri()
                .path_and_query()
                .map(|target| target.as_str())
                .unwrap_or(GUARDED_PREFIX);
            Redirect::to(&format!("{LOGIN_PAGE}?next={}", query_value(wanted))).into_response()
        }
        Err(error) => {
            tracing::error!(%error, "checking the session failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "The console could not check your session. Try again in a moment.",
            )
                .into_response()
        }
    }
}
