//! SQL for usage. Schema: `app/migrations/*/…_usage.sql`.

use super::rules::UsageEvent;
use super::Line;
use crate::db::Tx;
use crate::domain::WorkspaceId;
use sqlx::AnyExecutor;

/// An event as it is stored: checked, priced and attributed.
pub struct StoredEvent<'a> {
    pub event: &'a UsageEvent,
    pub cost_micros: Option<i64>,
    pub cost_estimated: bool,
    pub paid_by: &'static str,
    /// The calendar day it counts on, in the usage time zone.
    pub day: String,
}

/// Events written by one statement: well under every database's limit
/// on bound values.
const ROWS_PER_INSERT: usize = 200;
/// Values bound for each event.
const COLUMNS: usize = 13;

/// Stores the events not stored before; returns the ids that were new.
pub async fn insert_new(
    tx: &mut Tx<'_>,
    workspace: &WorkspaceId,
    events: &[StoredEvent<'_>],
    received_at: i64,
) -> Result<Vec<String>, sqlx::Error> {
    let mut new = Vec::with_capacity(events.len());
    // SQLite finds a numbered value (`$7`) by its name among all of the
    // statement's, so a statement of hundreds of them binds in time that
    // grows with their square (it took a fifth of the gateway's time under
    // load); its anonymous `?` are bound in order. PostgreSQL numbers them.
    let numbered = tx.backend() == crate::db::Backend::Postgres;
    for chunk in events.chunks(ROWS_PER_INSERT) {
        let mut sql = String::from(
            "INSERT INTO usage_events (workspace_id, event_id, at, feature, model, input_tokens,
               output_tokens, cost_micros, cost_estimated, paid_by, received_at,
               cached_input_tokens, source) VALUES ",
        );
        for n in 0..chunk.len() {
            if n > 0 {
                sql.push(',');
            }
            let marks: Vec<String> = (1..=COLUMNS)
                .map(|i| {
                    if numbered {
                        format!("${}", n * COLUMNS + i)
                    } else {
                        "?".to_string()
                    }
                })
                .collect();
            sql.push_str(&format!("({})", marks.join(", ")));
        }
        sql.push_str(" ON CONFLICT (workspace_id, event_id) DO NOTHING RETURNING event_id");
        let mut query = sqlx::query_scalar::<_, String>(&sql);
        for stored in chunk {
            query = query
                .bind(workspace.as_str())
                .bind(stored.event.id.as_str())
                .bind(stored.event.at)
                .bind(stored.event.feature.as_str())
                .bind(stored.event.model.as_str())
                .bind(stored.event.input_tokens)
                .bind(stored.event.output_tokens)
                .bind(stored.cost_micros)
                .bind(stored.cost_estimated)
                .bind(stored.paid_by)
                .bind(received_at)
                .bind(stored.event.cached_input_tokens)
                .bind(stored.event.source.key());
        }
        new.extend(query.fetch_all(&mut **tx).await?);
    }
    Ok(new)
}

/// Totals of one day, feature, model, payer and source.
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct DailyTotal {
    pub day: String,
    pub feature: String,
    pub model: String,
    pub paid_by: String,
    /// `measured` or `reported`.
    pub source: String,
    #[sqlx(flatten)]
    pub totals: Line,
}

/// Adds new events' totals to their days.
pub async fn add_to_days(
    tx: &mut Tx<'_>,
    workspace: &WorkspaceId,
    totals: &[DailyTotal],
) -> Result<(), sqlx::Error> {
    for total in totals {
        sqlx::query(
            "INSERT INTO usage_daily (workspace_id, day, feature, model, paid_by, source, events,
               input_tokens, output_tokens, cost_micros, estimated_events, unpriced_events,
               cached_input_tokens, unpriced_tokens)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
             ON CONFLICT (workspace_id, day, feature, model, paid_by, source) DO UPDATE SET
               events = usage_daily.events + excluded.events,
               input_tokens = usage_daily.input_tokens + excluded.input_tokens,
               output_tokens = usage_daily.output_tokens + excluded.output_tokens,
               cost_micros = usage_daily.cost_micros + excluded.cost_micros,
               estimated_events = usage_daily.estimated_events + excluded.estimated_events,
               unpriced_events = usage_daily.unpriced_events + excluded.unpriced_events,
               cached_input_tokens = usage_daily.cached_input_tokens + excluded.cached_input_tokens,
               unpriced_tokens = usage_daily.unpriced_tokens + excluded.unpriced_tokens",
        )
        .bind(workspace.as_str())
        .bind(total.day.as_str())
        .bind(total.feature.as_str())
        .bind(total.model.as_str())
        .bind(total.paid_by.as_str())
        .bind(total.source.as_str())
        .bind(total.totals.events)
        .bind(total.totals.input_tokens)
        .bind(total.totals.output_tokens)
        .bind(total.totals.cost_micros)
        .bind(total.totals.estimated_events)
        .bind(total.totals.unpriced_events)
        .bind(total.totals.cached_input_tokens)
        .bind(total.totals.unpriced_tokens)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// The workspace's day totals from `first_day` on (YYYY-MM-DD sorts as text).
pub async fn days_since(
    db: impl AnyExecutor<'_>,
    workspace: &WorkspaceId,
    first_day: &str,
) -> Result<Vec<DailyTotal>, sqlx::Error> {
    sqlx::query_as(
        "SELECT day, feature, model, paid_by, source, events, input_tokens, output_tokens,
                cached_input_tokens, cost_micros, estimated_events, unpriced_events, unpriced_tokens
         FROM usage_daily WHERE workspace_id = $1 AND day >= $2 ORDER BY day",
    )
    .bind(workspace.as_str())
    .bind(first_day)
    .fetch_all(db)
    .await
}

/// Deletes raw events that happened before `before` (the day totals stay).
pub async fn forget_raw_before(tx: &mut Tx<'_>, before: i64) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM usage_events WHERE at < $1")
        .bind(before)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}

/// A sum over the workspace's day totals from `first_day` (YYYY-MM-DD) on.
#[derive(Debug, Clone, Copy)]
pub enum MonthSum {
    /// What it spent, priced events only.
    Spend,
    /// Tokens of models without a price: what the spend does not count.
    UnpricedTokens,
}

pub async fn sum_since(
    db: impl AnyExecutor<'_>,
    workspace: &WorkspaceId,
    first_day: &str,
    sum: MonthSum,
) -> Result<i64, sqlx::Error> {
    let sql = match sum {
        MonthSum::Spend => {
            "SELECT CAST(COALESCE(SUM(cost_micros), 0) AS BIGINT) FROM usage_daily
             WHERE workspace_id = $1 AND day >= $2"
        }
        MonthSum::UnpricedTokens => {
            "SELECT CAST(COALESCE(SUM(unpriced_tokens), 0) AS BIGINT) FROM usage_daily
             WHERE workspace_id = $1 AND day >= $2"
        }
    };
    sqlx::query_scalar(sql)
        .bind(workspace.as_str())
        .bind(first_day)
        .fetch_one(db)
        .await
}
