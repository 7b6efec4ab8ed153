use crate::domain::LastChange;
use crate::{notices, refusals};
use serde::{Deserialize, Serialize};

refusals! {
    /// Why a budget was not saved.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
    pub enum BudgetError {
        #[error("Only admins can set the workspace's AI budget.")]
        AdminOnly = "admin-only" => 403,
        #[error("The budget must be an amount such as 250 or 99.50, more than zero and with at most two decimals. Nothing was saved.")]
        AmountInvalid = "amount-invalid" => 422,
        #[error("The warning threshold must be a whole percentage from 1 to 100. Nothing was saved.")]
        PercentInvalid = "percent-invalid" => 422,
        #[error("That is not one of the choices on the page. Nothing was saved; reload the page and try again.")]
        ChoiceInvalid = "choice-invalid" => 422,
        #[error("{}", conflict_message(.0.as_ref()))]
        Conflict(Option<LastChange>) = "conflict" => 409,
    }
    standard,
    not_admin: AdminOnly,
}

notices! {
    /// A budget change that was saved.
    pub enum BudgetNotice {
        Saved = "saved" => "Budget saved. It applies to this month's spend from now on.",
        Removed = "removed" => "Budget removed. AI spend has no limit here now.",
    }
}

fn conflict_message(change: Option<&LastChange>) -> String {
    LastChange::conflict_message(change, "the budget")
}
