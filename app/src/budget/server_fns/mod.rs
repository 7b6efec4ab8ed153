//! The doors from the page's Budget section to the budget service, one
//! server function a file. Plain forms: each save sends the browser back
//! to the section with its outcome (and, when refused, what was typed).

mod load_budget;
mod remove_budget;
mod set_budget;

pub use load_budget::{load_budget, LoadBudget};
pub use remove_budget::{remove_budget, RemoveBudget};
pub use set_budget::{set_budget, SetBudget};

/// Where the section's plain forms send the browser back to.
pub const OUTCOME: crate::doors::SectionOutcome = crate::doors::SectionOutcome {
    key: "budget",
    anchor: crate::budget::BUDGET_SECTION,
};

#[cfg(feature = "ssr")]
mod ssr {
    use crate::budget::rules::MonthlyBudget;
    use crate::budget::service;
    use crate::budget::{BudgetError, BudgetNotice};
    use crate::doors::change_as_admin;

    /// Saves what the form sent (amount, warning percent, what happens at
    /// the limit; `None`: remove the budget) as the request's admin; a
    /// refused form keeps what was typed.
    pub async fn save(form: Option<[String; 3]>, based_on: i64) -> Result<(), BudgetError> {
        let done = match form {
            None => BudgetNotice::Removed,
            Some(_) => BudgetNotice::Saved,
        };
        let typed = match &form {
            Some([amount, warn_percent, at_limit]) => vec![
                ("budget_amount", amount.clone()),
                ("budget_warn", warn_percent.clone()),
                ("budget_at_limit", at_limit.clone()),
            ],
            None => Vec::new(),
        };
        change_as_admin(
            super::OUTCOME,
            |_| done,
            typed,
            async |state, admin| {
                let currency = state.deployment.usage.currency;
                let budget = form
                    .map(|[amount, warn_percent, at_limit]| {
                        MonthlyBudget::parse(&amount, &warn_percent, &at_limit, currency)
                    })
                    .transpose()?;
                service::save(state, admin, budget, based_on).await
            },
        )
        .await
    }
}
