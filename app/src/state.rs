//! What the server hands every request: the database and the facts the
//! deployment fixes. Provided as Leptos context to pages and server fns.
//!
//! Layer: platform.

use crate::ai_settings::fixed::FixedSettings;
use crate::clock::Clock;
use crate::db::Pool;
use crate::domain::Plan;
use crate::domain::WorkspaceId;
use crate::model_provider::cipher::MasterKeys;
use crate::model_provider::rules::{ProviderEndpoints, Region};
use std::sync::Arc;

/// What every request of the console shares.
#[derive(Debug, Clone)]
pub struct AppState {
    pub pool: Pool,
    /// Shared, not copied: every request's state is a clone of this one.
    pub deployment: Arc<Deployment>,
    pub clock: Arc<dyn Clock>,
    /// Seals and opens workspaces' provider keys.
    pub master_keys: Arc<MasterKeys>,
    /// Hears that a change of a workspace's policy committed: the live
    /// policy, which keeps what the policy API answers in memory. Declared
    /// here so screens tell it through the write path without importing it.
    pub policy_hook: Arc<dyn PolicyHook>,
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
    pub usage: UsageConfig,
    /// Sign-in through the organisation's identity provider, if set up.
    pub single_sign_on: Option<Arc<SingleSignOn>>,
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

impl Deployment {
    /// A deployment of `workspace` on `plan` with every other setting at
    /// its default, as the configuration starts from.
    pub fn new(plan: Plan, workspace: WorkspaceId) -> Self {
        Deployment {
            plan,
            workspace,
            public_url: None,
            trusted_proxies: Vec::new(),
            providers: ProviderConfig::default(),
            fixed: FixedSettings::default(),
            fixed_features: Default::default(),
            managed_models: crate::models::rules::default_managed_models(),
            fixed_models: Default::default(),
            usage: UsageConfig::default(),
            single_sign_on: None,
            password_sign_in: true,
            retention: Retention::default(),
            activity_for_everyone: false,
            privacy: Default::default(),
        }
    }

    /// The one place that decides whether people reach the console over
    /// TLS: its public address is https. Cookies are marked secure and
    /// take the `__Host-` name then.
    pub fn served_over_tls(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|url| url.starts_with("https://"))
    }
}

/// The operator's single sign-on configuration (`AI_OIDC_*`).
#[derive(Debug, Clone)]
pub struct SingleSignOn {
    /// The provider's issuer URL; its discovery document is read from it.
    pub issuer: String,
    pub client_id: String,
    pub client_secret: secrecy::SecretString,
    /// How the sign-in button names the provider.
    pub name: String,
    /// Scopes asked for besides `openid`.
    pub scopes: Vec<String>,
    /// The claim that lists the person's groups.
    pub groups_claim: String,
    /// Groups whose people are admins; checked first.
    pub admin_groups: Vec<String>,
    /// Groups whose people are members.
    pub member_groups: Vec<String>,
    /// A password account with the same, provider-verified e-mail may be
    /// linked on first sign-in. Off: such a sign-in is refused.
    pub link_by_email: bool,
}

/// Where notifications go (`AI_BUDGET_WEBHOOK_URL`) and the secret that
/// signs them (`AI_BUDGET_WEBHOOK_SECRET`).
#[derive(Clone)]
pub struct BudgetWebhook {
    pub url: url::Url,
    pub secret: secrecy::SecretString,
}

impl std::fmt::Debug for BudgetWebhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BudgetWebhook")
            .field("host", &self.url.host_str())
            .finish_non_exhaustive()
    }
}

/// How the deployment counts usage.
#[derive(Debug, Clone)]
pub struct UsageConfig {
    /// `AI_CURRENCY`: what costs are in.
    pub currency: crate::domain::Currency,
    /// The shipped prices with `AI_PRICES_FILE` over them.
    pub prices: crate::usage::prices::PriceTable,
    /// `AI_USAGE_TIME_ZONE`: where a day and a month begin.
    pub time_zone: jiff::tz::TimeZone,
    pub time_zone_name: String,
    /// `AI_USAGE_RETENTION_DAYS`: how long raw events are kept.
    pub retention_days: i64,
    /// Where budget notifications go (`AI_BUDGET_WEBHOOK_URL`), if anywhere.
    pub budget_webhook: Option<BudgetWebhook>,
}

impl Default for UsageConfig {
    fn default() -> Self {
        UsageConfig {
            currency: crate::domain::Currency::USD,
            prices: crate::usage::prices::PriceTable::default(),
            time_zone: jiff::tz::TimeZone::UTC,
            time_zone_name: "UTC".into(),
            retention_days: 90,
            budget_webhook: None,
        }
    }
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

/// Whoever keeps answers derived from a workspace's policy, told after
/// every committed change of it.
pub trait PolicyHook: Send + Sync + std::fmt::Debug {
    fn changed<'a>(
        &'a self,
        state: &'a AppState,
        workspace: &'a WorkspaceId,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + 'a>>;
}

/// Nobody listens (command-line tools, tests of a single store).
#[derive(Debug, Default)]
pub struct NoPolicyHook;

impl PolicyHook for NoPolicyHook {
    fn changed<'a>(
        &'a self,
        _state: &'a AppState,
        _workspace: &'a WorkspaceId,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + 'a>> {
        Box::pin(std::future::ready(()))
    }
}

/// Changes are written through the console's state: a change of a
/// workspace's policy reloads what this process answers for it.
impl crate::db::Database for AppState {
    fn pool(&self) -> &Pool {
        &self.pool
    }

    async fn policy_changed(&self, workspace: &WorkspaceId) {
        self.policy_hook.changed(self, workspace).await;
    }
}
