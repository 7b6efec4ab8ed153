//! Settings pages are for signed-in people only: anyone else is sent to the
//! sign-in page and comes back to where they were going afterwards. Server
//! functions check the session themselves; this only guards pages.
//!
//! Every request also gets its [`RequestActor`]: the signed-in person is
//! read once per request and shared by this guard, the page's loaders and
//! its server functions.

use app::accounts::session::{RequestActor, SessionUnreadable};
use app::paths::{query_value, SIGNED_IN_AREA, SIGN_IN};
use app::state::AppState;
use axum::{
    extract::{Request, State},
    http::StatusCode,
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use tower_sessions::Session;

pub async fn require_sign_in(
    State(state): State<AppState>,
    session: Session,
    mut request: Request,
    next: Next,
) -> Response {
    let actor = RequestActor::default();
    request.extensions_mut().insert(actor.clone());
    if !request.uri().path().starts_with(SIGNED_IN_AREA) {
        return next.run(request).await;
    }
    match actor.resolve(&state, &session).await {
        Ok(Some(_)) => next.run(request).await,
        Ok(None) => {
            let wanted = request
                .uri()
                .path_and_query()
                .map(|target| target.as_str())
                .unwrap_or(SIGNED_IN_AREA);
            Redirect::to(&format!("{SIGN_IN}?next={}", query_value(wanted))).into_response()
        }
        Err(SessionUnreadable) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "The console could not check your session. Try again in a moment.",
        )
            .into_response(),
    }
}
