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
    use crate::budget::rules::MonthlyBudget;

    let budget = MonthlyBudget::parse(&amount, &warn_percent, &at_limit);
    let typed = vec![
        ("budget_amount", amount),
        ("budget_warn", warn_percent),
        ("budget_at_limit", at_limit),
    ];
    super::ssr::save(Some(budget), typed, version).await
}
