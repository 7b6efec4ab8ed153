use super::ActivityPage;
use crate::settings::LoadError;
use leptos::prelude::*;

/// A page of the workspace's activity, for any signed-in member of it.
#[server(endpoint = "activity/load")]
pub async fn load_activity(page: u32) -> Result<ActivityPage, LoadError> {
    use crate::{accounts::session, audit::store, state};

    let outcome = async {
        let state = state::current().ok_or(LoadError::Unavailable)?;
        let actor = session::require_actor(&state).await?;
        let (entries, has_older) = store::page(&state.pool, &actor.workspace, page)
            .await
            .map_err(|error| {
                tracing::error!(%error, "loading the activity failed");
                LoadError::Unavailable
            })?;
        Ok(ActivityPage {
            entries,
            page,
            has_older,
        })
    }
    .await;
    crate::http_status::answer_with(&outcome);
    outcome
}
