use crate::budget::BudgetError;
use leptos::prelude::*;

/// Removes the monthly budget: spend is shown, never limited.
#[server(endpoint = "settings/ai/budget/remove")]
pub async fn remove_budget(version: i64) -> Result<(), BudgetError> {
    super::ssr::save(None, version).await
}
