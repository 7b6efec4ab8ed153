//! The doors from the page's Budget section to the budget service, one
//! server function a file. Plain forms: each save sends the browser back
//! to the section with its outcome (and, when refused, what was typed).

mod load_budget;
mod remove_budget;
mod set_budget;

pub use load_budget::{load_budget, LoadBudget};
pub use remove_budget::{remove_budget, RemoveBudget};
pub use set_budget::{set_budget, SetBudget};

#[cfg(feature = "ssr")]
mod ssr {
    use crate::accounts::session::Admin;
    use crate::boundary::Refusal;
    use crate::budget::rules::MonthlyBudget;
    use crate::budget::service;
    use crate::budget::{BudgetError, BudgetNotice, BUDGET_SECTION};
    use crate::doors::change_and_return;
    use crate::paths::{query_value, AI_SETTINGS};

    /// Saves what the form sent (`None`: remove the budget) as the
    /// request's admin, then sends the browser back to the Budget section
    /// with the outcome; a refused form keeps what was typed.
    pub async fn save(
        budget: Option<Result<MonthlyBudget, BudgetError>>,
        typed: Vec<(&'static str, String)>,
        based_on: i64,
    ) -> Result<(), BudgetError> {
        let removing = budget.is_none();
        let back_to = move |outcome: &Result<(), BudgetError>| {
            let query = match outcome {
                Ok(()) if removing => format!("budget={}", BudgetNotice::Removed.code()),
                Ok(()) => format!("budget={}", BudgetNotice::Saved.code()),
                Err(error) => {
                    let mut query = format!("budget_error={}", error.code());
                    for (name, value) in &typed {
                        query.push_str(&format!("&{name}={}", query_value(value)));
                    }
                    query
                }
            };
            Some(format!("{AI_SETTINGS}?{query}#{BUDGET_SECTION}"))
        };
        change_and_return(back_to, async |state, actor| {
            let admin = Admin::check(actor.clone())?;
            let budget = budget.transpose()?;
            service::save(state, &admin, budget, based_on).await
        })
        .await
    }
}
