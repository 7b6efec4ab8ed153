use super::ActivityPage;
use crate::boundary::LoadError;
use leptos::prelude::*;

/// A page of the workspace's activity, for any signed-in member of it.
#[server(endpoint = "activity/load")]
pub async fn load_activity(page: u32) -> Result<ActivityPage, LoadError> {
    use crate::activity::log;

    crate::boundary::load_for_actor(async |state, actor| {
        let (entries, has_older) = log::page(&state.pool, &actor.workspace, page)
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
    })
    .await
}
