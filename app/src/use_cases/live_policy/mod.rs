//! The policy API's answers, from memory. Each process keeps what every
//! workspace's answer is made of (the settings that apply, the provider key
//! and a retiring one, still sealed) and the live service tokens by digest,
//! and answers without touching the database.
//!
//! It is never stale: every change reloads the changed workspace in the
//! process that made it, right after its commit (so the admin who clicked
//! reads their own change), and other replicas hear of it through
//! PostgreSQL's `LISTEN`/`NOTIFY` (see [`follow_postgres`]) or, as a safety
//! net, by comparing policy versions every few seconds. While this process
//! may have missed a change (the notification connection is down, a reload
//! failed) it answers from the database instead.
//!
//! Reads write nothing: a token's last use is kept here and written at most
//! once a minute ([`LivePolicy::flush`]); a key disclosure is audited once
//! per token and key, and the entry counts the answers it covered.

mod answers;
mod cache;
mod follower;
mod write_behind;

pub use follower::{follow_postgres, LISTENER_NAME};

use crate::ai_settings::{service as ai_settings, AiSettings};
use crate::api_access::policy_document::{AiOff, PolicyDocument};
use crate::api_access::service::PolicyError;
use crate::api_access::service::TokenRecord;
use crate::budget::service as budget;
use crate::domain::WorkspaceId;
use crate::features::{rules::FeatureChoices, service as features};
use crate::model_provider::rules::Route;
use crate::model_provider::{service as model_provider, KeyRecord};
use crate::models::service::{self as models, ModelsInputs};
use crate::state::AppState;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use tokio::sync::watch;

/// What one workspace's answers are made of.
#[derive(Debug, Clone)]
pub struct PolicyInputs {
    /// The settings that apply (the operator's fixed values over the
    /// admins' choices).
    pub settings: AiSettings,
    /// Who may use each feature (fixed values applied).
    pub features: FeatureChoices,
    /// The models on offer and the choice over them.
    pub models: ModelsInputs,
    /// The workspace's own key, sealed; `None` for the managed provider.
    pub current: Option<KeyRecord>,
    /// Where requests go.
    pub route: Route,
    /// A replaced key still in its grace period, sealed.
    pub retiring: Option<KeyRecord>,
    /// Until when (Unix seconds) the budget keeps AI off, if it does.
    pub budget_stop: Option<i64>,
    /// The workspace's policy version when these were read.
    pub version: i64,
}

impl PolicyInputs {
    /// Why AI is off at `now`, if it is. The admins' switch comes first:
    /// raising the budget would not bring AI back then.
    pub fn ai_off(&self, now: i64) -> Option<AiOff> {
        if !self.settings.ai_enabled {
            return Some(AiOff::SwitchedOff);
        }
        self.budget_stop
            .filter(|until| now < *until)
            .map(|until| AiOff::BudgetExhausted { until })
    }
}

#[derive(Debug, Default)]
struct Known {
    workspaces: HashMap<String, Arc<PolicyInputs>>,
    /// Live tokens by the digest of the token.
    tokens: HashMap<String, TokenRecord>,
}

/// Answers not yet written down: last uses and disclosures.
#[derive(Debug, Default)]
struct Usage {
    /// Token id → its latest use (Unix seconds).
    last_used: HashMap<String, i64>,
    /// (token id, key id) → answers carrying that key not yet counted in
    /// the disclosure's audit entry. Present once the entry exists.
    disclosed: HashMap<(String, String), i64>,
}

/// One answer's makings: the token that asked and its workspace's inputs.
#[derive(Debug)]
pub struct PolicyRead {
    pub document: PolicyDocument,
    pub token: TokenRecord,
}

/// The policy of every workspace, kept current in memory.
#[derive(Debug)]
pub struct LivePolicy {
    known: RwLock<Known>,
    /// Whether `known` is certainly current. False until the first load,
    /// and whenever a change may have been missed.
    current: AtomicBool,
    /// Moves on at every reload, so streams know to look again.
    changes: watch::Sender<u64>,
    usage: Mutex<Usage>,
}

impl Default for LivePolicy {
    fn default() -> Self {
        LivePolicy {
            known: RwLock::default(),
            current: AtomicBool::new(false),
            changes: watch::channel(0).0,
            usage: Mutex::default(),
        }
    }
}

fn unavailable(what: &'static str) -> impl FnOnce(sqlx::Error) -> PolicyError {
    move |error| {
        tracing::error!(%error, "{what} failed");
        PolicyError::Unavailable
    }
}

/// Reads one workspace's inputs from the database.
async fn read_inputs(
    state: &AppState,
    workspace: &WorkspaceId,
) -> Result<PolicyInputs, sqlx::Error> {
    let version = crate::db::workspaces::policy_version(&state.pool, workspace).await?;
    let settings = ai_settings::applied(state, workspace).await?;
    let features = features::applied(state, workspace).await?;
    let models = models::applied(state, workspace).await?;
    let (current, route) = model_provider::serving(state, workspace).await?;
    let retiring = model_provider::retiring(state, workspace).await?;
    let budget_stop = budget::stop_in_force(state, workspace).await?;
    Ok(PolicyInputs {
        budget_stop,
        settings,
        features,
        models,
        current,
        route,
        retiring,
        version,
    })
}

/// The write path tells the live policy of every committed change.
impl crate::state::PolicyHook for LivePolicy {
    fn changed<'a>(
        &'a self,
        state: &'a AppState,
        workspace: &'a WorkspaceId,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + 'a>> {
        Box::pin(self.reload(state, workspace))
    }
}

impl LivePolicy {
    fn replace(&self, change: impl FnOnce(&mut Known)) {
        match self.known.write() {
            Ok(mut known) => change(&mut known),
            Err(poisoned) => change(&mut poisoned.into_inner()),
        }
        self.changes.send_modify(|generation| *generation += 1);
    }

    /// Answers may come from memory again (after a full load).
    pub fn mark_current(&self, current: bool) {
        self.current.store(current, Ordering::Release);
    }

    /// Whether answers come from memory now.
    pub fn is_current(&self) -> bool {
        self.current.load(Ordering::Acquire)
    }

    /// Notified at every reload: streams look again then.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.changes.subscribe()
    }

    fn read_known(&self) -> std::sync::RwLockReadGuard<'_, Known> {
        match self.known.read() {
            Ok(known) => known,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    fn usage_lock(&self) -> std::sync::MutexGuard<'_, Usage> {
        match self.usage.lock() {
            Ok(usage) => usage,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}
