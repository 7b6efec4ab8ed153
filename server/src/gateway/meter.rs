//! Metering: every call through the gateway becomes a usage event, written
//! in batches through the usage path (the report use case, which settles
//! the budget in the same transaction), never one database write per call.
//! A batch is written every [`BATCH_WINDOW`] or sooner when
//! [`BATCH_SIZE`] events wait; a graceful stop writes what is left. After
//! `kill -9` at most the last window's events are lost.

use app::domain::WorkspaceId;
use app::state::AppState;
use app::usage::rules::UsageEvent;
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;
use tokio::sync::Notify;

/// How long a measured event waits at most before it is written.
pub const BATCH_WINDOW: Duration = Duration::from_millis(250);
/// How many waiting events start a write at once.
pub const BATCH_SIZE: usize = 256;

/// One measured call: the workspace, the event, and whether its own key
/// paid for it.
type Measured = (WorkspaceId, UsageEvent, bool);

/// Events measured and not yet written.
#[derive(Debug, Default)]
pub struct Meter {
    waiting: Mutex<Vec<Measured>>,
    full: Notify,
}

impl Meter {
    /// Queues one call's event.
    pub fn record(&self, workspace: WorkspaceId, event: UsageEvent, own_key: bool) {
        let waiting = {
            let mut waiting = self.lock();
            waiting.push((workspace, event, own_key));
            waiting.len()
        };
        if waiting >= BATCH_SIZE {
            self.full.notify_one();
        }
    }

    /// How many events wait for their batch.
    pub fn waiting(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Measured>> {
        match self.waiting.lock() {
            Ok(waiting) => waiting,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// Writes every waiting event, a batch per workspace and payer. What
    /// cannot be written is queued again for the next time.
    pub async fn flush(&self, state: &AppState) {
        let taken = std::mem::take(&mut *self.lock());
        if taken.is_empty() {
            return;
        }
        let mut batches: BTreeMap<(String, bool), Vec<UsageEvent>> = BTreeMap::new();
        for (workspace, event, own_key) in taken {
            batches
                .entry((workspace.as_str().to_string(), own_key))
                .or_default()
                .push(event);
        }
        for ((workspace, own_key), events) in batches {
            let workspace = WorkspaceId::new(workspace);
            let stored =
                app::use_cases::usage_report::ingest(state, &workspace, &events, own_key).await;
            if let Err(error) = stored {
                tracing::error!(%error, events = events.len(), "writing measured usage failed; kept for the next batch");
                let mut waiting = self.lock();
                waiting.extend(
                    events
                        .into_iter()
                        .map(|event| (workspace.clone(), event, own_key)),
                );
            }
        }
    }

    /// Writes batches until the process ends.
    pub async fn run(&self, state: AppState) {
        loop {
            tokio::select! {
                _ = tokio::time::sleep(BATCH_WINDOW) => {}
                _ = self.full.notified() => {}
            }
            self.flush(&state).await;
        }
    }
}
