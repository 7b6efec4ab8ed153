//! How the console reaches model providers: the region, each provider's
//! endpoint, how long a replaced key lasts, timeouts and private networks.

use super::{read::Variables, ConfigError};
use app::model_provider::rules::{ProviderEndpoints, Region};
use app::state::ProviderConfig;
use std::time::Duration;

pub fn providers(vars: &Variables) -> Result<ProviderConfig, ConfigError> {
    let region = match vars.value("AI_REGION")? {
        Some(region) => Region::from_config(&region).ok_or(ConfigError::Region(region))?,
        None => Region::default(),
    };
    let defaults = ProviderEndpoints::default();
    Ok(ProviderConfig {
        region,
        endpoints: ProviderEndpoints {
            openai: vars.base_url("AI_OPENAI_BASE_URL", defaults.openai)?,
            openai_eu: vars.base_url("AI_OPENAI_EU_BASE_URL", defaults.openai_eu)?,
            anthropic: vars.base_url("AI_ANTHROPIC_BASE_URL", defaults.anthropic)?,
        },
        grace_secs: vars.number("AI_KEY_GRACE_HOURS", 24, 24 * 30)? * 3600,
        verify_timeout: Duration::from_secs(vars.number("AI_PROVIDER_TIMEOUT_SECS", 10, 60)? as u64),
        private_model_networks: vars.address_ranges("AI_CONSOLE_PRIVATE_MODEL_NETWORKS")?,
    })
}
