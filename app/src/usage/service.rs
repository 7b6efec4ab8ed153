//! Usage reports from services: each new event stored once, priced (the
//! service's figure, else the price table's estimate, else "price
//! unknown"), attributed to who paid, and added to its day's totals in the
//! same transaction (where `use_cases::usage_report` settles the budget
//! too). What the Usage section shows, and what a month cost.

use super::rules::{PaidBy, UsageEvent, UsageSource};
use super::store::{self, DailyTotal, StoredEvent};
use super::{Breakdown, Line, UsageSnapshot};
use crate::accounts::session::Actor;
use crate::boundary::LoadError;
use crate::db::Tx;
use crate::domain::WorkspaceId;
use crate::state::AppState;
use jiff::{civil::Date, Timestamp, ToSpan};
use std::collections::BTreeMap;

/// How a report went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[schema(as = UsageReceipt)]
pub struct Receipt {
    /// Events stored now.
    pub new: usize,
    /// Events stored before (same id): counted once, ignored now.
    pub duplicates: usize,
}

/// The calendar day of `at` in the usage time zone.
fn day_of(state: &AppState, at: i64) -> Date {
    let zone = &state.deployment.usage.time_zone;
    Timestamp::from_second(at)
        .map(|at| at.to_zoned(zone.clone()).date())
        .unwrap_or_default()
}

/// Stores a checked report for `workspace` in the caller's transaction:
/// new events, priced, and their day totals. `own_key_in_force`: the
/// policy in force has a workspace key, which pays for events that do not
/// say. Also says whether any day total grew (the budget is then settled:
/// `use_cases::usage_report`).
pub async fn add_report(
    tx: &mut Tx<'_>,
    state: &AppState,
    workspace: &WorkspaceId,
    events: &[UsageEvent],
    own_key_in_force: bool,
) -> Result<(Receipt, bool), sqlx::Error> {
    let config = &state.deployment.usage;
    let in_force = if own_key_in_force {
        PaidBy::OwnKey
    } else {
        PaidBy::Managed
    };
    let stored: Vec<StoredEvent<'_>> = events
        .iter()
        .map(|event| {
            let (cost_micros, cost_estimated) = match event.cost_micros {
                Some(cost) => (Some(cost), false),
                None => {
                    let estimate = config.prices.cost(
                        &event.model,
                        event.input_tokens,
                        event.cached_input_tokens,
                        event.output_tokens,
                    );
                    (estimate, estimate.is_some())
                }
            };
            StoredEvent {
                event,
                cost_micros,
                cost_estimated,
                paid_by: event.paid_by.unwrap_or(in_force).key(),
                day: day_of(state, event.at).to_string(),
            }
        })
        .collect();
    let new_ids = store::insert_new(tx, workspace, &stored, state.clock.now()).await?;
    let new: std::collections::HashSet<&str> = new_ids.iter().map(String::as_str).collect();
    type Key = (String, String, String, &'static str, UsageSource);
    let mut totals: BTreeMap<Key, DailyTotal> = BTreeMap::new();
    for event in stored
        .iter()
        .filter(|stored| new.contains(stored.event.id.as_str()))
    {
        let key = (
            event.day.clone(),
            event.event.feature.clone(),
            event.event.model.clone(),
            event.paid_by,
            event.event.source,
        );
        let total = totals.entry(key).or_insert_with(|| DailyTotal {
            day: event.day.clone(),
            feature: event.event.feature.clone(),
            model: event.event.model.clone(),
            paid_by: event.paid_by.to_string(),
            source: event.event.source.key().to_string(),
            ..DailyTotal::default()
        });
        let unpriced = event.cost_micros.is_none();
        let tokens = event.event.input_tokens + event.event.output_tokens;
        total.totals.add(&Line {
            events: 1,
            input_tokens: event.event.input_tokens,
            output_tokens: event.event.output_tokens,
            cached_input_tokens: event.event.cached_input_tokens,
            cost_micros: event.cost_micros.unwrap_or_default(),
            estimated_events: i64::from(event.cost_estimated),
            unpriced_events: i64::from(unpriced),
            unpriced_tokens: if unpriced { tokens } else { 0 },
        });
    }
    let totals: Vec<DailyTotal> = totals.into_values().collect();
    store::add_to_days(tx, workspace, &totals).await?;
    let receipt = Receipt {
        new: new_ids.len(),
        duplicates: events.len() - new_ids.len(),
    };
    Ok((receipt, !totals.is_empty()))
}

/// What `workspace` spent from `first_day` (YYYY-MM-DD) on, priced
/// events only, in the deployment's `currency`.
pub async fn spent_since(
    db: impl sqlx::AnyExecutor<'_>,
    workspace: &WorkspaceId,
    first_day: &str,
    currency: crate::domain::Currency,
) -> Result<crate::domain::Money, sqlx::Error> {
    let micros = store::sum_since(db, workspace, first_day, store::MonthSum::Spend).await?;
    Ok(crate::domain::Money::from_micros(micros, currency))
}

/// Tokens of models without a price from `first_day` on: the spend
/// shown is short of what they cost.
pub async fn unpriced_tokens_since(
    db: impl sqlx::AnyExecutor<'_>,
    workspace: &WorkspaceId,
    first_day: &str,
) -> Result<i64, sqlx::Error> {
    store::sum_since(db, workspace, first_day, store::MonthSum::UnpricedTokens).await
}

/// Deletes raw events past the retention (the day totals stay).
pub async fn forget_old_events(state: &AppState) -> Result<u64, sqlx::Error> {
    let retention_secs = state.deployment.usage.retention_days * 24 * 60 * 60;
    let before = state.clock.now() - retention_secs;
    crate::db::commit(state, async |tx| store::forget_raw_before(tx, before).await).await
}

/// Days shown in the chart.
pub const CHART_DAYS: i64 = 30;

/// This month's totals and the last 30 days' spend, for anyone of the
/// workspace.
pub async fn snapshot(state: &AppState, actor: &Actor) -> Result<UsageSnapshot, LoadError> {
    let config = &state.deployment.usage;
    let today = day_of(state, state.clock.now());
    let month_start = today.first_of_month();
    let chart_start = today
        .checked_sub((CHART_DAYS - 1).days())
        .unwrap_or(month_start);
    let first = month_start.min(chart_start);
    let rows = store::days_since(&state.pool, &actor.workspace, &first.to_string())
        .await
        .map_err(|error| {
            tracing::error!(%error, "reading usage failed");
            LoadError::Unavailable
        })?;
    let month_rows: Vec<&DailyTotal> = rows
        .iter()
        .filter(|row| row.day.as_str() >= month_start.to_string().as_str())
        .collect();
    let breakdown = |name: fn(&DailyTotal) -> String| {
        let mut lines: BTreeMap<String, Line> = BTreeMap::new();
        for row in &month_rows {
            lines.entry(name(row)).or_default().add(&row.totals);
        }
        let mut lines: Vec<(String, Line)> = lines.into_iter().collect();
        lines.sort_by(|a, b| b.1.cost_micros.cmp(&a.1.cost_micros).then(a.0.cmp(&b.0)));
        lines
    };
    let mut total = Line::default();
    for row in &month_rows {
        total.add(&row.totals);
    }
    let mut spend_by_day: BTreeMap<String, i64> = BTreeMap::new();
    for offset in 0..CHART_DAYS {
        if let Ok(day) = chart_start.checked_add(offset.days()) {
            spend_by_day.insert(day.to_string(), 0);
        }
    }
    for row in &rows {
        if let Some(spend) = spend_by_day.get_mut(&row.day) {
            *spend += row.totals.cost_micros;
        }
    }
    Ok(UsageSnapshot {
        currency: config.currency,
        time_zone: config.time_zone_name.clone(),
        month: month_start.strftime("%B %Y").to_string(),
        total,
        by: Breakdown {
            feature: breakdown(|row| row.feature.clone()),
            model: breakdown(|row| row.model.clone()),
            paid_by: breakdown(|row| {
                PaidBy::from_key(&row.paid_by)
                    .map(PaidBy::label)
                    .unwrap_or("Unknown")
                    .to_string()
            }),
            source: breakdown(|row| {
                UsageSource::from_key(&row.source)
                    .map(UsageSource::label)
                    .unwrap_or("Unknown")
                    .to_string()
            }),
        },
        days: spend_by_day.into_iter().collect(),
    })
}
