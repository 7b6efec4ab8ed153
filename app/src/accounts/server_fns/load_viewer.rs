use crate::domain::Viewer;
use crate::settings::LoadError;
use leptos::prelude::*;

/// The signed-in person, for pages that show only their own account.
#[server(endpoint = "account/me")]
pub async fn load_viewer() -> Result<Viewer, LoadError> {
    use crate::{accounts::session, state};

    let outcome = async {
        let state = state::current().ok_or(LoadError::Unavailable)?;
        Ok(session::require_actor(&state).await?.viewer())
    }
    .await;
    crate::http_status::answer_with(&outcome);
    outcome
}
