use super::rules::{AtLimit, DEFAULT_WARN_PERCENT};
use super::server_fns::{RemoveBudget, SetBudget};
use super::{BudgetError, BudgetNotice, BudgetStatus, BUDGET_SECTION};
use crate::boundary::LoadError;
use crate::components::{ErrorCallout, FormSection};
use leptos::{prelude::*, server_fn::ServerFn};

/// What a refused form sent, to fill it in again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TypedBudget {
    pub amount: Option<String>,
    pub warn_percent: Option<String>,
    pub at_limit: Option<String>,
}

/// The Budget section of the AI page: this month's spend against the
/// budget, and for admins the form that sets it. Server-rendered.
#[component]
pub fn Budget(
    status: Result<BudgetStatus, LoadError>,
    notice: Option<BudgetNotice>,
    error: Option<BudgetError>,
    typed: TypedBudget,
) -> impl IntoView {
    let body = match status {
        Ok(status) => view! { <Standing status typed=typed.clone() /> }.into_any(),
        Err(error) => view! { <ErrorCallout message=error.to_string() /> }.into_any(),
    };
    view! {
        <FormSection
            id=BUDGET_SECTION
            title="Budget"
            description="A monthly limit on what this workspace's AI may cost. Admins are warned from a threshold on; at the limit AI can keep running or turn off until the next month."
            notice=notice.map(|notice| notice.message())
            error=error.map(|error| error.to_string())
        >
            {body}
        </FormSection>
    }
}

#[component]
fn Standing(status: BudgetStatus, typed: TypedBudget) -> impl IntoView {
    let figures = match (&status.budget, &status.standing) {
        (Some(budget), Some(standing)) => format!(
            "{}: {} of {} spent ({} %). Warning at {} %. Months are counted in {}.",
            status.month,
            standing.spent.amount(),
            budget.amount,
            standing.percent,
            budget.warn_percent,
            status.time_zone,
        ),
        _ => "No budget: spend is shown under Usage, never limited.".to_string(),
    };
    let stopped = status.stopping_ai.then(|| {
        view! {
            <p class="callout callout-warning" id="budget-stopped">
                {format!(
                    "AI is off for everyone in this workspace because this month's budget is spent. It comes back on {} ({}), or at once if an admin raises the budget, removes it, or chooses to warn only. The AI features switch above keeps its own setting.",
                    status.next_month_begins,
                    status.time_zone,
                )}
            </p>
        }
    });
    let understated = (status.unpriced_tokens > 0).then(|| {
        view! {
            <p class="muted" id="budget-understated">
                {format!(
                    "Spend is understated: {} tokens this month are of models without a price and count nothing against the budget. The operator can price them (AI_PRICES_FILE).",
                    status.unpriced_tokens,
                )}
            </p>
        }
    });
    let webhook = status
        .webhook_host
        .clone()
        .filter(|_| status.can_change)
        .map(|host| {
            let last = status.last_notification.clone();
            view! {
                <p class="muted" id="budget-webhook">
                    {format!("Crossing a line is also sent to the operator's webhook ({host}). ")}
                    {last.unwrap_or_else(|| "Nothing sent yet.".into())}
                </p>
            }
        });
    let form = status
        .can_change
        .then(|| view! { <BudgetForm status=status.clone() typed /> });
    view! {
        <p class="budget-standing" id="budget-standing">{figures}</p>
        {stopped}
        {understated}
        {webhook}
        {form}
    }
}

#[component]
fn BudgetForm(status: BudgetStatus, typed: TypedBudget) -> impl IntoView {
    let amount = typed
        .amount
        .or_else(|| status.budget.map(|budget| budget.amount.amount()))
        .unwrap_or_default();
    let warn = typed
        .warn_percent
        .or_else(|| status.budget.map(|budget| budget.warn_percent.to_string()))
        .unwrap_or_else(|| DEFAULT_WARN_PERCENT.to_string());
    let at_limit = typed
        .at_limit
        .and_then(|key| AtLimit::from_key(&key))
        .or_else(|| status.budget.map(|budget| budget.at_limit))
        .unwrap_or(AtLimit::WarnOnly);
    let version = status.version.version;
    let remove = status.budget.is_some().then(|| {
        view! {
            <form method="post" action=RemoveBudget::PATH class="inline-form">
                <input type="hidden" name="version" value=version />
                <button type="submit" class="button-link">"Remove the budget"</button>
            </form>
        }
    });
    view! {
        <form method="post" action=SetBudget::PATH class="budget-form">
            <input type="hidden" name="version" value=version />
            <div class="field">
                <label for="budget-amount">{format!("Monthly budget ({})", status.currency)}</label>
                <input
                    id="budget-amount"
                    name="amount"
                    type="text"
                    inputmode="decimal"
                    autocomplete="off"
                    placeholder="250.00"
                    value=amount
                    required
                />
            </div>
            <div class="field">
                <label for="budget-warn">"Warn admins at (% of the budget)"</label>
                <input
                    id="budget-warn"
                    name="warn_percent"
                    type="number"
                    min="1"
                    max="100"
                    step="1"
                    value=warn
                />
            </div>
            <fieldset>
                <legend>"When the budget is spent"</legend>
                {AtLimit::ALL
                    .iter()
                    .copied()
                    .map(|choice| {
                        let id = format!("budget-{}", choice.key());
                        view! {
                            <span class="choice-inline">
                                <input
                                    type="radio"
                                    id=id.clone()
                                    name="at_limit"
                                    value=choice.key()
                                    checked=choice == at_limit
                                />
                                <label for=id>{choice.label()}</label>
                            </span>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <button type="submit" class="button-secondary">"Save budget"</button>
        </form>
        {remove}
    }
}
