use crate::boundary::LoadError;
use crate::budget::BudgetStatus;
use leptos::prelude::*;

/// The budget and this month's spend against it, for any signed-in person
/// of the workspace (members see it read-only).
#[server(endpoint = "settings/ai/budget/load")]
pub async fn load_budget() -> Result<BudgetStatus, LoadError> {
    use crate::budget::service;

    crate::doors::load_for_actor(async |state, actor| {
        service::status(state, actor).await.map_err(|error| {
            tracing::error!(%error, "loading the budget failed");
            LoadError::Unavailable
        })
    })
    .await
}
