//! "Download your data" (`paths::ACCOUNT_DATA`): the signed-in person's
//! data as a JSON attachment. A plain GET route rather than a server
//! function, so a link downloads it without JavaScript and the browser
//! stays on the page. The sign-in guard has already sent anyone signed
//! out to the sign-in page.

use app::accounts::session::RequestActor;
use app::state::AppState;
use axum::{
    extract::Extension,
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use tower_sessions::Session;

pub async fn download(
    state: AppState,
    Extension(actor): Extension<RequestActor>,
    session: Session,
) -> Response {
    let Ok(Some(actor)) = actor.resolve(&state, &session).await else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let data = match app::use_cases::personal_data::export(&state, &actor).await {
        Ok(data) => data,
        // Logged where it failed.
        Err(_) => return unavailable(),
    };
    let Ok(body) = serde_json::to_vec_pretty(&data) else {
        return unavailable();
    };
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"my-data.json\""),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response()
}

fn unavailable() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        "Your data could not be gathered just now. Nothing was changed; try again in a moment.",
    )
        .into_response()
}
