use crate::boundary::LoadError;
use crate::domain::Viewer;
use leptos::prelude::*;

/// The signed-in person, for pages that show only their own account.
#[server(endpoint = "account/me")]
pub async fn load_viewer() -> Result<Viewer, LoadError> {
    crate::boundary::load_for_actor(async |state, actor| Ok(actor.viewer(state).await)).await
}
