//! Budgets: saving one (optimistic versions, audited), settling one
//! against this month's spend inside every usage report's transaction,
//! and what the page, the banner and the policy read of it.
//!
//! Settling is where each line is crossed exactly once: the budget row is
//! locked first (see [`store::lock`]), so concurrent reports, on one
//! replica or several, settle one after another, each seeing the spend of
//! those before; the month a line was reached in is stored with the
//! budget, and only the transaction that stores it acts on the crossing.

use super::rules::{AtLimit, MonthlyBudget, Standing};
use super::store::{self, Notification, StoredBudget};
use super::{BudgetAlert, BudgetError, BudgetStatus};
use crate::accounts::session::{Actor, Admin};
use crate::activity::log as audit;
use crate::db::versions::{claim_version, version_of};
use crate::db::Tx;
use crate::domain::WorkspaceId;
use crate::state::AppState;
use jiff::{Timestamp, ToSpan};
use serde::{Deserialize, Serialize};

/// The version key of the budget in `setting_versions`.
pub const VERSION_KEY: &str = "budget";
/// Who the activity log says reached a line.
const CROSSING_ACTOR: &str = "Monthly budget";
/// The activity log's subject for the budget.
const SUBJECT: &str = "Monthly AI budget";

/// The calendar month a moment falls in, in the usage time zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Month {
    /// `2026-11`.
    pub key: String,
    /// `2026-11-01`.
    pub first_day: String,
    /// "November 2026".
    pub label: String,
    /// When the next month begins (Unix seconds).
    pub ends_at: i64,
    /// "1 December 2026".
    pub next_begins_on: String,
}

/// The month of `at` in the deployment's usage time zone.
pub fn month_of(state: &AppState, at: i64) -> Month {
    let zone = &state.deployment.usage.time_zone;
    let today = Timestamp::from_second(at)
        .map(|at| at.to_zoned(zone.clone()).date())
        .unwrap_or_default();
    let first = today.first_of_month();
    let next = first.checked_add(1.month()).unwrap_or(first);
    Month {
        key: first.strftime("%Y-%m").to_string(),
        first_day: first.to_string(),
        label: first.strftime("%B %Y").to_string(),
        ends_at: next
            .to_zoned(zone.clone())
            .map(|start| start.timestamp().as_second())
            .unwrap_or(i64::MAX),
        next_begins_on: next.strftime("%-d %B %Y").to_string(),
    }
}

/// A line reached this month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Crossing {
    Warning,
    Exhausted,
}

impl Crossing {
    fn kind(self) -> &'static str {
        match self {
            Crossing::Warning => "budget.warning",
            Crossing::Exhausted => "budget.exhausted",
        }
    }
}

/// Whether the budget's stop is in force in `month`.
fn stops_ai(stored: &StoredBudget, month: &Month) -> bool {
    stored.budget.at_limit == AtLimit::StopAi
        && stored.exhausted_month.as_deref() == Some(month.key.as_str())
}

/// The lines `standing` puts `stored` past this month, and the budget
/// with the months updated (a line no longer reached is cleared).
fn settled(
    stored: &StoredBudget,
    month: &Month,
    standing: Standing,
) -> (StoredBudget, Vec<Crossing>) {
    let this_month = Some(month.key.as_str());
    let mut crossings = Vec::new();
    if standing.warning && stored.warned_month.as_deref() != this_month {
        crossings.push(Crossing::Warning);
    }
    if standing.exhausted && stored.exhausted_month.as_deref() != this_month {
        crossings.push(Crossing::Exhausted);
    }
    let next = StoredBudget {
        budget: stored.budget,
        warned_month: standing.warning.then(|| month.key.clone()),
        exhausted_month: standing.exhausted.then(|| month.key.clone()),
    };
    (next, crossings)
}

/// What settling did, for the caller to follow up after its commit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Settlement {
    /// A notification waits for the webhook.
    pub notification_queued: bool,
}

/// Settles the workspace's budget, if it has one, against this month's
/// spend, in the caller's transaction (after its usage was added).
pub async fn settle(
    tx: &mut Tx<'_>,
    state: &AppState,
    workspace: &WorkspaceId,
) -> Result<Settlement, sqlx::Error> {
    let Some(stored) = store::lock(tx, workspace, currency(state)).await? else {
        return Ok(Settlement::default());
    };
    settle_locked(tx, state, workspace, &stored, stored.budget).await
}

/// Settles `budget` (the stored one, or one being saved) against this
/// month's spend, `before` being what was stored; the budget row must be
/// locked (or written) by this transaction already.
async fn settle_locked(
    tx: &mut Tx<'_>,
    state: &AppState,
    workspace: &WorkspaceId,
    before: &StoredBudget,
    budget: MonthlyBudget,
) -> Result<Settlement, sqlx::Error> {
    let now = state.clock.now();
    let month = month_of(state, now);
    let spent =
        crate::usage::service::spent_since(&mut **tx, workspace, &month.first_day, currency(state))
            .await?;
    let candidate = StoredBudget {
        budget,
        ..before.clone()
    };
    let standing = budget.standing(spent);
    let (after, crossings) = settled(&candidate, &month, standing);
    if after == *before && crossings.is_empty() {
        return Ok(Settlement::default());
    }
    store::save(tx, workspace, &after).await?;
    let webhook = state.deployment.usage.budget_webhook.is_some();
    for crossing in &crossings {
        let reached = LineReached {
            workspace,
            budget: &after,
            month: &month,
            standing,
            crossing: *crossing,
        };
        reached.record(tx, now).await?;
        if webhook {
            let body = reached.notification(state, now);
            store::queue_notification(tx, workspace, crossing.kind(), &body, now).await?;
        }
    }
    // AI turned off or back on: what the policy API answers changes.
    if stops_ai(before, &month) != stops_ai(&after, &month) {
        tx.changes_policy_of(workspace);
    }
    Ok(Settlement {
        notification_queued: webhook && !crossings.is_empty(),
    })
}

/// A line the spend just reached, with what it is measured against.
struct LineReached<'a> {
    workspace: &'a WorkspaceId,
    budget: &'a StoredBudget,
    month: &'a Month,
    standing: Standing,
    crossing: Crossing,
}

impl LineReached<'_> {
    /// Its one activity entry.
    async fn record(&self, tx: &mut Tx<'_>, now: i64) -> Result<(), sqlx::Error> {
        let budget = &self.budget.budget;
        let spent = format!(
            "{} of {} spent in {}",
            self.standing.spent.amount(),
            budget.amount,
            self.month.label
        );
        let what = match self.crossing {
            Crossing::Warning => format!("{} % warning reached: {spent}", budget.warn_percent),
            Crossing::Exhausted => match budget.at_limit {
                AtLimit::StopAi => format!(
                    "Budget spent: {spent}. AI is off until {} or a higher budget",
                    self.month.next_begins_on
                ),
                AtLimit::WarnOnly => {
                    format!("Budget spent: {spent}. AI keeps running (warn only)")
                }
            },
        };
        audit::record(
            tx,
            audit::NewEntry {
                workspace: self.workspace,
                at: now,
                actor_id: None,
                actor_name: CROSSING_ACTOR,
                subject: SUBJECT,
                old_value: None,
                new_value: Some(&what),
            },
        )
        .await
    }

    /// What the webhook receives for it, as JSON.
    fn notification(&self, state: &AppState, now: i64) -> String {
        let usage = &state.deployment.usage;
        let budget = &self.budget.budget;
        let body = NotificationBody {
            kind: self.crossing.kind().to_string(),
            workspace_id: self.workspace.as_str().to_string(),
            month: self.month.key.clone(),
            time_zone: usage.time_zone_name.clone(),
            currency: usage.currency.to_string(),
            spent: self.standing.spent.amount(),
            budget: budget.amount.amount(),
            percent: self.standing.percent,
            warn_percent: budget.warn_percent,
            at_limit: budget.at_limit.key().to_string(),
            ai_off_until: (self.crossing == Crossing::Exhausted
                && stops_ai(self.budget, self.month))
            .then_some(self.month.ends_at),
            at: now,
        };
        serde_json::to_string(&body).unwrap_or_default()
    }
}

/// What the webhook receives for a crossing.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = BudgetNotification)]
pub struct NotificationBody {
    /// `budget.warning` or `budget.exhausted`.
    #[serde(rename = "type")]
    pub kind: String,
    pub workspace_id: String,
    /// `YYYY-MM`, in the usage time zone.
    pub month: String,
    pub time_zone: String,
    pub currency: String,
    /// This month's spend so far, e.g. `"80.50"`.
    pub spent: String,
    /// The monthly budget, e.g. `"100.00"`.
    pub budget: String,
    pub percent: i64,
    pub warn_percent: i64,
    /// `warn_only` or `stop_ai`.
    pub at_limit: String,
    /// Set when AI is now off: when the month ends (Unix seconds).
    pub ai_off_until: Option<i64>,
    /// When the line was crossed (Unix seconds).
    pub at: i64,
}

/// Saves `budget` (`None`: removes it) for the admin's workspace if nobody
/// changed it since version `based_on`, and settles it against this
/// month's spend at once: raising it lifts a stop, lowering it below the
/// spend reaches its lines now.
pub async fn save(
    state: &AppState,
    admin: &Admin,
    budget: Option<MonthlyBudget>,
    based_on: i64,
) -> Result<(), BudgetError> {
    let workspace = &admin.workspace;
    let saved = crate::db::write_policy(state, workspace, async |tx| {
        let now = state.clock.now();
        let claimed = claim_version(tx, workspace, VERSION_KEY, based_on, &admin.name, now).await?;
        if let Err(last_change) = claimed {
            return Ok(Err(BudgetError::Conflict(last_change)));
        }
        let before = store::lock(tx, workspace, currency(state)).await?;
        let describe = |stored: &StoredBudget| stored.budget.describe();
        let old_value = before
            .as_ref()
            .map(describe)
            .unwrap_or_else(|| "None".into());
        let settlement = match budget {
            Some(budget) => {
                let before = before.unwrap_or(StoredBudget {
                    budget,
                    warned_month: None,
                    exhausted_month: None,
                });
                // Written first, so settling finds the row it updates.
                store::save(
                    tx,
                    workspace,
                    &StoredBudget {
                        budget,
                        ..before.clone()
                    },
                )
                .await?;
                audit::record_change(
                    tx,
                    admin.actor(),
                    now,
                    SUBJECT,
                    Some(&old_value),
                    &budget.describe(),
                )
                .await?;
                settle_locked(tx, state, workspace, &before, budget).await?
            }
            None => {
                store::remove(tx, workspace).await?;
                audit::record_change(tx, admin.actor(), now, SUBJECT, Some(&old_value), "None")
                    .await?;
                Settlement::default()
            }
        };
        Ok(Ok(settlement))
    })
    .await;
    match saved {
        Ok(Ok(settlement)) => {
            if settlement.notification_queued {
                state.budget_webhook_wake.notify_one();
            }
            Ok(())
        }
        Ok(Err(refusal)) => Err(refusal),
        Err(error) => {
            tracing::error!(%error, "saving the budget failed");
            Err(BudgetError::Unavailable)
        }
    }
}

/// When the budget's stop ends, if it keeps AI off now.
pub async fn stop_in_force(
    state: &AppState,
    workspace: &WorkspaceId,
) -> Result<Option<i64>, sqlx::Error> {
    let month = month_of(state, state.clock.now());
    Ok(store::load(&state.pool, workspace, currency(state))
        .await?
        .filter(|stored| stops_ai(stored, &month))
        .map(|_| month.ends_at))
}

/// The budget and this month's standing, for anyone of the workspace.
pub async fn status(state: &AppState, actor: &Actor) -> Result<BudgetStatus, sqlx::Error> {
    let workspace = &actor.workspace;
    let month = month_of(state, state.clock.now());
    let stored = store::load(&state.pool, workspace, currency(state)).await?;
    let spent = crate::usage::service::spent_since(
        &state.pool,
        workspace,
        &month.first_day,
        currency(state),
    )
    .await?;
    let unpriced_tokens =
        crate::usage::service::unpriced_tokens_since(&state.pool, workspace, &month.first_day)
            .await?;
    let version = version_of(&state.pool, workspace, VERSION_KEY).await?;
    let usage = &state.deployment.usage;
    let last_notification = match &usage.budget_webhook {
        Some(_) if actor.role.can_change_settings() => store::latest(&state.pool, workspace)
            .await?
            .map(|notification| delivery_words(&notification)),
        _ => None,
    };
    Ok(BudgetStatus {
        budget: stored.as_ref().map(|stored| stored.budget),
        standing: stored.as_ref().map(|stored| stored.budget.standing(spent)),
        version,
        month: month.label.clone(),
        next_month_begins: month.next_begins_on.clone(),
        currency: usage.currency,
        time_zone: usage.time_zone_name.clone(),
        stopping_ai: stored
            .as_ref()
            .is_some_and(|stored| stops_ai(stored, &month)),
        unpriced_tokens,
        webhook_host: usage
            .budget_webhook
            .as_ref()
            .and_then(|webhook| webhook.url.host_str().map(str::to_string)),
        last_notification,
        can_change: actor.role.can_change_settings(),
    })
}

/// One workspace's budget, as the metrics show it.
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetGauge {
    pub workspace: String,
    /// This month's spend over the budget (1.0: all spent).
    pub spent_ratio: f64,
    pub stopping_ai: bool,
}

/// Every budget and this month's spend against it.
pub async fn standings(state: &AppState) -> Result<Vec<BudgetGauge>, sqlx::Error> {
    let month = month_of(state, state.clock.now());
    let mut gauges = Vec::new();
    for (workspace, stored) in store::all(&state.pool, currency(state)).await? {
        let spent = crate::usage::service::spent_since(
            &state.pool,
            &WorkspaceId::new(workspace.clone()),
            &month.first_day,
            currency(state),
        )
        .await?;
        gauges.push(BudgetGauge {
            spent_ratio: spent.micros() as f64 / stored.budget.amount.micros().max(1) as f64,
            stopping_ai: stops_ai(&stored, &month),
            workspace,
        });
    }
    Ok(gauges)
}

/// "budget.warning delivered at …", "… failing (attempt 3): …", for admins.
fn delivery_words(notification: &Notification) -> String {
    let at = crate::domain::time::format_utc;
    let kind = &notification.kind;
    if let Some(delivered) = notification.delivered_at {
        format!("{kind} delivered {}.", at(delivered))
    } else if let Some(gave_up) = notification.gave_up_at {
        format!(
            "{kind} could not be delivered; gave up {} after {} attempts. Last error: {}.",
            at(gave_up),
            notification.attempts,
            notification.last_error.as_deref().unwrap_or("unknown")
        )
    } else if let Some(error) = &notification.last_error {
        format!(
            "{kind} not delivered yet: {error} (attempt {}). Next attempt {}.",
            notification.attempts,
            at(notification.next_attempt_at)
        )
    } else {
        format!("{kind} waiting to be sent.")
    }
}

/// What budgets and spend are counted in.
fn currency(state: &AppState) -> crate::domain::Currency {
    state.deployment.usage.currency
}

/// The banner for `actor`: admins only, from the warning threshold on.
pub async fn alert(state: &AppState, actor: &Actor) -> Option<BudgetAlert> {
    if !actor.role.can_change_settings() {
        return None;
    }
    let month = month_of(state, state.clock.now());
    let read = async {
        let Some(stored) = store::load(&state.pool, &actor.workspace, currency(state)).await?
        else {
            return Ok(None);
        };
        let spent = crate::usage::service::spent_since(
            &state.pool,
            &actor.workspace,
            &month.first_day,
            currency(state),
        )
        .await?;
        Ok::<_, sqlx::Error>(Some((stored, spent)))
    };
    match read.await {
        Ok(Some((stored, spent))) => {
            let standing = stored.budget.standing(spent);
            standing.warning.then(|| BudgetAlert {
                percent: standing.percent,
                spent,
                budget: stored.budget.amount,
                exhausted: standing.exhausted,
                stopping_ai: stops_ai(&stored, &month),
                ai_back_on: month.next_begins_on.clone(),
            })
        }
        Ok(None) => None,
        Err(error) => {
            // The page still shows; only the banner is missing.
            tracing::error!(%error, "reading the budget for the banner failed");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Currency, Money};

    fn month() -> Month {
        Month {
            key: "2026-11".into(),
            first_day: "2026-11-01".into(),
            label: "November 2026".into(),
            ends_at: 0,
            next_begins_on: "1 December 2026".into(),
        }
    }

    fn usd(micros: i64) -> Money {
        Money::from_micros(micros, Currency::USD)
    }

    fn stored(warned: Option<&str>, exhausted: Option<&str>) -> StoredBudget {
        StoredBudget {
            budget: MonthlyBudget::parse("100", "80", "stop_ai", Currency::USD).unwrap(),
            warned_month: warned.map(str::to_string),
            exhausted_month: exhausted.map(str::to_string),
        }
    }

    #[test]
    fn each_line_is_crossed_once_a_month() {
        let budget = stored(None, None);
        let (after, crossings) =
            settled(&budget, &month(), budget.budget.standing(usd(85_000_000)));
        assert_eq!(crossings, vec![Crossing::Warning]);
        let (again, none) = settled(&after, &month(), after.budget.standing(usd(90_000_000)));
        assert!(none.is_empty());
        assert_eq!(again, after);
        let (spent, crossings) = settled(&after, &month(), after.budget.standing(usd(100_000_000)));
        assert_eq!(crossings, vec![Crossing::Exhausted]);
        assert!(stops_ai(&spent, &month()));
    }

    #[test]
    fn last_months_lines_do_not_count_this_month() {
        let budget = stored(Some("2026-10"), Some("2026-10"));
        assert!(!stops_ai(&budget, &month()));
        let (_, crossings) = settled(&budget, &month(), budget.budget.standing(usd(120_000_000)));
        assert_eq!(crossings, vec![Crossing::Warning, Crossing::Exhausted]);
    }

    #[test]
    fn a_higher_budget_clears_the_lines_it_lifts() {
        let mut budget = stored(Some("2026-11"), Some("2026-11"));
        budget.budget.amount = usd(1_000_000_000);
        let (after, crossings) =
            settled(&budget, &month(), budget.budget.standing(usd(100_000_000)));
        assert!(crossings.is_empty());
        assert_eq!(after.warned_month, None);
        assert!(!stops_ai(&after, &month()));
    }
}
