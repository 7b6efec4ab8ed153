use super::ActivityPage;
use crate::boundary::LoadError;
use leptos::prelude::*;

/// A page of the workspace's activity: all of it for admins (and for
/// everyone where the operator shows it to all), one's own entries for
/// members: the log names people and what they did.
#[server(endpoint = "activity/load")]
pub async fn load_activity(page: u32) -> Result<ActivityPage, LoadError> {
    use crate::activity::log;

    crate::doors::load_for_actor(async |state, actor| {
        let only_yours =
            !actor.role.can_change_settings() && !state.deployment.activity_for_everyone;
        let read = if only_yours {
            log::page_of(&state.pool, &actor.workspace, &actor.user_id, page).await
        } else {
            log::page(&state.pool, &actor.workspace, page).await
        };
        let (entries, has_older) = read.map_err(|error| {
            tracing::error!(%error, "loading the activity failed");
            LoadError::Unavailable
        })?;
        Ok(ActivityPage {
            entries,
            page,
            has_older,
            only_yours,
        })
    })
    .await
}
