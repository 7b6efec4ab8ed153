//! Deployment configuration, read once at start-up from the environment.
//! A bad value stops the server with a message naming the variable and what
//! it accepts, before anything is served. One file per concern; each reads
//! its variables through the shared readers in `read`.

mod address;
mod ai_settings;
mod error;
mod features_and_models;
mod gateway;
mod metrics;
mod privacy;
mod providers;
mod read;
mod serving;
mod sign_on;
mod storage;
#[cfg(test)]
mod tests;
mod usage_and_budget;

pub use error::ConfigError;
pub use gateway::GatewayConfig;
pub use metrics::MetricsConfig;
pub use serving::ServingConfig;
pub use storage::{MasterKeySource, DEFAULT_DATA_DIR};

use app::domain::WorkspaceId;
use app::state::Deployment;
use read::Variables;
use std::path::PathBuf;
use std::sync::Arc;

/// The workspace a deployment serves.
pub const DEFAULT_WORKSPACE: &str = "default";

#[derive(Debug, Clone)]
pub struct Config {
    /// What every request sees: the plan, the public address, providers,
    /// fixed settings, usage, sign-in, retention and the privacy notice.
    pub deployment: Deployment,
    /// Where the embedded database and the master key file live.
    pub data_dir: PathBuf,
    pub database_url: String,
    pub master_key: MasterKeySource,
    /// Where `/metrics` is served, if anywhere.
    pub metrics: MetricsConfig,
    /// The AI gateway's managed keys, body limit and timeouts.
    pub gateway: GatewayConfig,
    /// Timeouts and limits of connections, and the shutdown grace.
    pub serving: ServingConfig,
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the configuration through `get`, so tests need no process
    /// environment.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let vars = Variables::new(&get);
        let data_dir = storage::data_dir(&vars)?;
        let plan = ai_settings::plan(&vars)?;
        let public_url = address::public_url(&vars)?;
        let (password_sign_in, single_sign_on) = sign_on::sign_in(&vars, public_url.as_deref())?;
        let deployment = Deployment {
            fixed: ai_settings::fixed(&vars, plan)?,
            trusted_proxies: address::trusted_proxies(&vars)?,
            providers: providers::providers(&vars)?,
            fixed_features: features_and_models::fixed_features(&vars)?,
            managed_models: features_and_models::managed_models(&vars)?,
            fixed_models: features_and_models::fixed_models(&vars)?,
            usage: usage_and_budget::usage(&vars)?,
            single_sign_on: single_sign_on.map(Arc::new),
            password_sign_in,
            retention: privacy::retention(&vars)?,
            activity_for_everyone: privacy::activity_for_everyone(&vars)?,
            privacy: privacy::privacy(&vars)?,
            public_url,
            ..Deployment::new(plan, WorkspaceId::new(DEFAULT_WORKSPACE))
        };
        Ok(Config {
            deployment,
            database_url: storage::database_url(&vars, &data_dir)?,
            master_key: storage::master_key(&vars, &data_dir)?,
            metrics: metrics::metrics(&vars)?,
            gateway: gateway::gateway(&vars)?,
            serving: serving::serving(&vars)?,
            data_dir,
        })
    }
}
