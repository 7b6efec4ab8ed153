use crate::budget::BudgetError;
use leptos::prelude::*;

/// Sets the monthly budget: an `amount` such as `250` or `99.50`, the
/// warning threshold in percent (empty: 80) and what happens at 100 %
/// (`warn_only` or `stop_ai`).
#[server(endpoint = "settings/ai/budget/set")]
pub async fn set_budget(
    amount: String,
    warn_percent: String,
    at_limit: String,
    version: i64,
) -> Result<(), BudgetError> {
    super::ssr::save(Some([amount, warn_percent, at_limit]), version).await
}
