//! The process stopping: SIGTERM (or Ctrl-C) starts it, long-lived
//! answers (the policy stream) hear of it and end with a last event, open
//! requests get the shutdown grace to finish, and a second signal ends
//! the process at once.

use std::sync::Arc;
use tokio::sync::watch;

/// Whether the process is stopping; cheap to clone, one per process.
#[derive(Debug, Clone)]
pub struct Stopping(Arc<watch::Sender<bool>>);

impl Default for Stopping {
    fn default() -> Self {
        Stopping(Arc::new(watch::Sender::new(false)))
    }
}

impl Stopping {
    /// Tells everyone waiting that the process stops.
    pub fn announce(&self) {
        self.0.send_replace(true);
    }

    /// Completes once the process is stopping.
    pub async fn begun(&self) {
        let mut stopping = self.0.subscribe();
        // The sender lives as long as any clone of this: never an error.
        let _ = stopping.wait_for(|stopping| *stopping).await;
    }
}

/// Completes at the next SIGTERM or Ctrl-C.
pub async fn signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {},
        _ = terminate => {},
    }
}
