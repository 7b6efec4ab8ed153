use super::BudgetAlert;
use crate::paths::AI_SETTINGS;
use leptos::prelude::*;

/// The banner, at the top of every settings page admins see.
#[component]
pub fn BudgetBanner(alert: BudgetAlert) -> impl IntoView {
    let spent = format!(
        "{} of {} ({} %)",
        alert.spent.amount(),
        alert.budget,
        alert.percent
    );
    let text = if alert.stopping_ai {
        format!(
            "AI is off for this workspace: this month's AI budget is spent ({spent}). It comes back on {}, or as soon as an admin raises the budget.",
            alert.ai_back_on
        )
    } else if alert.exhausted {
        format!(
            "This month's AI budget is spent ({spent}). AI keeps running: the budget only warns."
        )
    } else {
        format!("This workspace has used {spent} of this month's AI budget.")
    };
    let class = if alert.stopping_ai {
        "budget-banner budget-banner-stopped"
    } else {
        "budget-banner"
    };
    view! {
        <div class=class role="status" id="budget-banner">
            <p>
                {text} " "
                <a href=format!("{AI_SETTINGS}#{}", super::BUDGET_SECTION)>"Review the budget"</a>
            </p>
        </div>
    }
}
