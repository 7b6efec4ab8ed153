//! What the server hands every request: the database and the facts the
//! deployment fixes. Provided as Leptos context to pages and server fns.

use crate::ai_settings::fixed::FixedSettings;
use crate::api_access::live_policy::LivePolicy;
use crate::clock::Clock;
use crate::db::Pool;
use crate::domain::Plan;
use crate::model_provider::cipher::MasterKeys;
use crate::model_provider::rules::{ProviderEndpoints, Region};
use crate::workspace::WorkspaceId;
use std::sync::Arc;

/// What every request of the console shares.
#[derive(Debug, Clone)]
pub struct AppState {
    pub pool: Pool,
    pub deployment: Deployment,
    pub clock: Arc<dyn Clock>,
    /// Seals and opens workspaces' provider keys.
    pub master_keys: Arc<MasterKeys>,
    /// What the policy API answers, kept current in memory.
    pub live_policy: Arc<LivePolicy>,
    /// The threads that hash passwords, and the queue in front of them.
    pub passwords: Arc<crate::accounts::password::Gate>,
    /// Wakes the budget webhook's deliverer when this process queued a
    /// notification.
    pub budget_webhook_wake: Arc<tokio::sync::Notify>,
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
    /// Reverse proxies whose `X-Forwarded-For` is believed
    /// (`AI_CONSOLE_TRUSTED_PROXIES`); empty: nobody's.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    pub providers: ProviderConfig,
    /// Settings the operator fixed in the configuration.
    pub fixed: FixedSettings,
    /// Feature choices the operator fixed in the configuration.
    pub fixed_features: crate::features::rules::FixedFeatures,
    /// The models the managed provider offers (`AI_MANAGED_MODELS`).
    pub managed_models: Vec<String>,
    /// Models the operator fixed in the configuration.
    pub fixed_models: crate::models::rules::FixedModels,
    /// Currency, prices, time zone and retention of usage.
    pub usage: crate::usage::UsageConfig,
    /// Sign-in through the organisation's identity provider, if set up.
    pub single_sign_on: Option<Arc<crate::accounts::single_sign_on::SingleSignOn>>,
    /// Whether people may sign in with a password (`AI_PASSWORD_SIGN_IN`).
    pub password_sign_in: bool,
    /// How long personal records are kept.
    pub retention: Retention,
    /// Members see the whole Activity panel (`AI_ACTIVITY_FOR_EVERYONE`);
    /// by default they see their own entries only.
    pub activity_for_everyone: bool,
    /// The privacy notice's operator facts and sections.
    pub privacy: crate::privacy::PrivacyConfig,
}

/// How long records about people are kept before housekeeping deletes
/// them (raw usage events: `UsageConfig::retention_days`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Audit log entries (`AI_AUDIT_RETENTION_DAYS`).
    pub audit_days: i64,
    /// Invitations, counted from their expiry or use
    /// (`AI_INVITATION_RETENTION_DAYS`).
    pub invitation_days: i64,
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            audit_days: 400,
            invitation_days: 30,
        }
    }
}

/// Seconds in `days` days.
pub fn days(days: i64) -> i64 {
    days * 24 * 60 * 60
}

/// How the deployment reaches model providers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderConfig {
    pub region: Region,
    pub endpoints: ProviderEndpoints,
    /// How long a replaced key keeps working, so running jobs finish.
    pub grace_secs: i64,
    /// How long verifying a key may take.
    pub verify_timeout: std::time::Duration,
    /// Private ranges a typed base URL may reach (self-hosted model
    /// servers, `AI_CONSOLE_PRIVATE_MODEL_NETWORKS`); none by default.
    pub private_model_networks: Vec<ipnet::IpNet>,
}

impl Default for ProviderConfig {
    fn default() -> Self {
        ProviderConfig {
            region: Region::Us,
            endpoints: ProviderEndpoints::default(),
            grace_secs: 24 * 60 * 60,
            verify_timeout: std::time::Duration::from_secs(10),
            private_model_networks: Vec::new(),
        }
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

/// Changes are written through the console's state: a change of a
/// workspace's policy reloads what this process answers for it.
impl crate::db::Database for AppState {
    fn pool(&self) -> &Pool {
        &self.pool
    }

    async fn policy_changed(&self, workspace: &WorkspaceId) {
        self.live_policy.reload(self, workspace).await;
    }
}
