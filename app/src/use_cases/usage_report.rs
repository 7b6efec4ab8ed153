//! A usage report across the two screens it touches: usage stores its new
//! events and day totals, and the budget is settled against the month's
//! spend in the same transaction, so each line is crossed by exactly one
//! report however many replicas ingest at once.

use crate::domain::WorkspaceId;
use crate::state::AppState;
use crate::usage::rules::UsageEvent;
use crate::usage::service::{add_report, Receipt};

/// Stores a checked report for `workspace` and settles its budget.
/// `own_key_in_force`: the policy in force has a workspace key, which pays
/// for events that do not say.
pub async fn ingest(
    state: &AppState,
    workspace: &WorkspaceId,
    events: &[UsageEvent],
    own_key_in_force: bool,
) -> Result<Receipt, sqlx::Error> {
    let (receipt, settlement) = crate::db::commit(state, async |tx| {
        let (receipt, added) = add_report(tx, state, workspace, events, own_key_in_force).await?;
        let settlement = if added {
            crate::budget::service::settle(tx, state, workspace).await?
        } else {
            Default::default()
        };
        Ok((receipt, settlement))
    })
    .await?;
    if settlement.notification_queued {
        state.budget_webhook_wake.notify_one();
    }
    Ok(receipt)
}
