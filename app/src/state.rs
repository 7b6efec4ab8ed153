//! What the server hands every request: the database and the facts the
//! deployment fixes. Provided as Leptos context to pages and server fns.

use crate::clock::Clock;
use crate::domain::Plan;
use crate::workspace::WorkspaceId;
use sqlx::SqlitePool;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct AppState {
    pub pool: SqlitePool,
    pub deployment: Deployment,
    pub clock: Arc<dyn Clock>,
}

/// Settings that belong to the operator, not to the page's admins.
#[derive(Debug, Clone)]
pub struct Deployment {
    pub plan: Plan,
    pub workspace: WorkspaceId,
    /// The address people reach the console at, when a reverse proxy
    /// serves it (`AI_CONSOLE_PUBLIC_URL`); links the console hands out
    /// start with it.
    pub public_url: Option<String>,
}

impl Deployment {
    /// Requests arrive through the operator's reverse proxy.
    pub fn behind_proxy(&self) -> bool {
        self.public_url.is_some()
    }
}

/// The state of the current request. Missing context is a wiring bug in the
/// server, logged here; callers turn it into their boundary's "unavailable".
pub fn current() -> Option<AppState> {
    let state = leptos::prelude::use_context::<AppState>();
    if state.is_none() {
        tracing::error!("AppState was not provided to this request's context");
    }
    state
}
