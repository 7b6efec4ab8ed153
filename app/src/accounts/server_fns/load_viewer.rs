use crate::boundary::LoadError;
use crate::use_cases::viewer::Viewer;
use leptos::prelude::*;

/// The signed-in person, for pages that show only their own account.
#[server(endpoint = "account/me")]
pub async fn load_viewer() -> Result<Viewer, LoadError> {
    crate::doors::load_for_actor(async |state, actor| {
        Ok(crate::use_cases::viewer::of(state, actor).await)
    })
    .await
}
