//! SQL for budgets and their webhook notifications. Schema:
//! `app/migrations/*/…_budgets.sql`.

use super::rules::{AtLimit, MonthlyBudget};
use crate::db::{Tx, UnknownName};
use crate::domain::{Currency, Money, WorkspaceId};
use sqlx::AnyExecutor;

/// A budget as stored, with the months its lines were reached in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredBudget {
    pub budget: MonthlyBudget,
    /// `YYYY-MM` the warning threshold was last reached in.
    pub warned_month: Option<String>,
    /// `YYYY-MM` the whole budget was last spent in.
    pub exhausted_month: Option<String>,
}

#[derive(sqlx::FromRow)]
struct BudgetRow {
    amount_micros: i64,
    warn_percent: i64,
    at_limit: String,
    warned_month: Option<String>,
    exhausted_month: Option<String>,
}

impl BudgetRow {
    /// The budget the row holds; amounts are stored in millionths of the
    /// deployment's `currency`.
    fn stored(self, currency: Currency) -> Result<StoredBudget, sqlx::Error> {
        let row = self;
        let at_limit = AtLimit::from_key(&row.at_limit).ok_or_else(|| {
            sqlx::Error::Decode(Box::new(UnknownName {
                kind: "budget limit choice",
                name: row.at_limit.clone(),
            }))
        })?;
        Ok(StoredBudget {
            budget: MonthlyBudget {
                amount: Money::from_micros(row.amount_micros, currency),
                warn_percent: row.warn_percent,
                at_limit,
            },
            warned_month: row.warned_month,
            exhausted_month: row.exhausted_month,
        })
    }
}

const COLUMNS: &str = "amount_micros, warn_percent, at_limit, warned_month, exhausted_month";

/// The workspace's budget; `None`: it has none.
pub async fn load(
    db: impl AnyExecutor<'_>,
    workspace: &WorkspaceId,
    currency: Currency,
) -> Result<Option<StoredBudget>, sqlx::Error> {
    let row: Option<BudgetRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM budgets WHERE workspace_id = $1"
    ))
    .bind(workspace.as_str())
    .fetch_optional(db)
    .await?;
    row.map(|row| row.stored(currency)).transpose()
}

/// Every workspace's budget, by workspace id.
pub async fn all(
    db: impl AnyExecutor<'_>,
    currency: Currency,
) -> Result<Vec<(String, StoredBudget)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        workspace_id: String,
        #[sqlx(flatten)]
        budget: BudgetRow,
    }
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT workspace_id, {COLUMNS} FROM budgets ORDER BY workspace_id"
    ))
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|row| Ok((row.workspace_id, row.budget.stored(currency)?)))
        .collect()
}

/// The workspace's budget, locked for the rest of the transaction: on
/// PostgreSQL a second transaction settling the same budget waits here
/// until this one commits, then sees its spend. (A write, not `FOR
/// UPDATE`, so SQLite takes its write lock here too.)
pub async fn lock(
    tx: &mut Tx<'_>,
    workspace: &WorkspaceId,
    currency: Currency,
) -> Result<Option<StoredBudget>, sqlx::Error> {
    let row: Option<BudgetRow> = sqlx::query_as(&format!(
        "UPDATE budgets SET at_limit = at_limit WHERE workspace_id = $1 RETURNING {COLUMNS}"
    ))
    .bind(workspace.as_str())
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|row| row.stored(currency)).transpose()
}

/// Stores the budget and the months its lines were reached in.
pub async fn save(
    tx: &mut Tx<'_>,
    workspace: &WorkspaceId,
    stored: &StoredBudget,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO budgets (workspace_id, amount_micros, warn_percent, at_limit, warned_month,
           exhausted_month) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (workspace_id) DO UPDATE SET amount_micros = excluded.amount_micros,
           warn_percent = excluded.warn_percent, at_limit = excluded.at_limit,
           warned_month = excluded.warned_month, exhausted_month = excluded.exhausted_month",
    )
    .bind(workspace.as_str())
    .bind(stored.budget.amount.micros())
    .bind(stored.budget.warn_percent)
    .bind(stored.budget.at_limit.key())
    .bind(stored.warned_month.as_deref())
    .bind(stored.exhausted_month.as_deref())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Removes the workspace's budget.
pub async fn remove(tx: &mut Tx<'_>, workspace: &WorkspaceId) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM budgets WHERE workspace_id = $1")
        .bind(workspace.as_str())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A notification waiting for, or past, delivery.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Notification {
    pub id: String,
    pub workspace_id: String,
    pub kind: String,
    pub body: String,
    pub created_at: i64,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub delivered_at: Option<i64>,
    pub gave_up_at: Option<i64>,
    pub last_error: Option<String>,
}

const NOTIFICATION_COLUMNS: &str = "id, workspace_id, kind, body, created_at, \
    CAST(attempts AS BIGINT) AS attempts, next_attempt_at, delivered_at, gave_up_at, last_error";

/// Queues a notification, due at once.
pub async fn queue_notification(
    tx: &mut Tx<'_>,
    workspace: &WorkspaceId,
    kind: &str,
    body: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO budget_notifications (id, workspace_id, kind, body, created_at,
           next_attempt_at) VALUES ($1, $2, $3, $4, $5, $5)",
    )
    .bind(crate::accounts::tokens::random_hex(16))
    .bind(workspace.as_str())
    .bind(kind)
    .bind(body)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Takes the oldest due notification for `lease` seconds, so no other
/// replica sends it meanwhile. The outer conditions are checked again on
/// the row a concurrent claim left, so two claims never both win.
pub async fn claim_due(
    tx: &mut Tx<'_>,
    now: i64,
    lease: i64,
) -> Result<Option<Notification>, sqlx::Error> {
    sqlx::query_as(&format!(
        "UPDATE budget_notifications SET claimed_until = $2
         WHERE id = (SELECT id FROM budget_notifications
                     WHERE delivered_at IS NULL AND gave_up_at IS NULL AND next_attempt_at <= $1
                       AND (claimed_until IS NULL OR claimed_until <= $1)
                     ORDER BY next_attempt_at, created_at LIMIT 1)
           AND delivered_at IS NULL AND gave_up_at IS NULL
           AND (claimed_until IS NULL OR claimed_until <= $1)
         RETURNING {NOTIFICATION_COLUMNS}"
    ))
    .bind(now)
    .bind(now + lease)
    .fetch_optional(&mut **tx)
    .await
}

/// The receiver took it.
pub async fn delivered(tx: &mut Tx<'_>, id: &str, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE budget_notifications SET delivered_at = $2, attempts = attempts + 1,
           claimed_until = NULL, last_error = NULL WHERE id = $1",
    )
    .bind(id)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// An attempt failed with `error`; tried again at `retry_at`, or never
/// (`None`: given up at `at`).
pub async fn failed(
    tx: &mut Tx<'_>,
    id: &str,
    at: i64,
    error: &str,
    retry_at: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE budget_notifications SET attempts = attempts + 1, claimed_until = NULL,
           last_error = $3, next_attempt_at = COALESCE($4, next_attempt_at),
           gave_up_at = CASE WHEN $4 IS NULL THEN $2 ELSE NULL END
         WHERE id = $1",
    )
    .bind(id)
    .bind(at)
    .bind(error)
    .bind(retry_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The workspace's latest notification, for the page. One report can
/// cross both lines at once; the whole budget is the later of the two.
pub async fn latest(
    db: impl AnyExecutor<'_>,
    workspace: &WorkspaceId,
) -> Result<Option<Notification>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {NOTIFICATION_COLUMNS} FROM budget_notifications WHERE workspace_id = $1
         ORDER BY created_at DESC,
           CASE kind WHEN 'budget.exhausted' THEN 0 ELSE 1 END, id DESC LIMIT 1"
    ))
    .bind(workspace.as_str())
    .fetch_optional(db)
    .await
}
