//! The AI gateway: the operator's keys for the managed provider, how large
//! a request may be, and how long the provider may take.

use super::{
    read::{read_private_secret, Variables},
    ConfigError,
};
use app::use_cases::gateway::ManagedKeys;
use secrecy::SecretString;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct GatewayConfig {
    /// `AI_MANAGED_OPENAI_API_KEY` / `AI_MANAGED_ANTHROPIC_API_KEY` (or
    /// `…_FILE`): what the managed provider's calls are made with.
    pub managed: ManagedKeys,
    /// `AI_GATEWAY_MAX_BODY_MB`: the largest request body accepted.
    pub max_body_bytes: usize,
    /// `AI_GATEWAY_CONNECT_TIMEOUT_SECS`.
    pub connect_timeout: Duration,
    /// `AI_GATEWAY_FIRST_BYTE_TIMEOUT_SECS`: until the provider starts
    /// answering.
    pub first_byte_timeout: Duration,
    /// `AI_GATEWAY_TIMEOUT_SECS`: a whole answer that is not streamed.
    pub total_timeout: Duration,
}

impl Default for GatewayConfig {
    fn default() -> Self {
        GatewayConfig {
            managed: ManagedKeys::default(),
            max_body_bytes: 32 * 1024 * 1024,
            connect_timeout: Duration::from_secs(5),
            first_byte_timeout: Duration::from_secs(120),
            total_timeout: Duration::from_secs(600),
        }
    }
}

pub fn gateway(vars: &Variables) -> Result<GatewayConfig, ConfigError> {
    let secs = |name, default, max| -> Result<Duration, ConfigError> {
        Ok(Duration::from_secs(vars.number(name, default, max)? as u64))
    };
    Ok(GatewayConfig {
        managed: ManagedKeys {
            openai: managed_key(
                vars,
                "AI_MANAGED_OPENAI_API_KEY",
                "AI_MANAGED_OPENAI_API_KEY_FILE",
            )?,
            anthropic: managed_key(
                vars,
                "AI_MANAGED_ANTHROPIC_API_KEY",
                "AI_MANAGED_ANTHROPIC_API_KEY_FILE",
            )?,
        },
        max_body_bytes: vars.number("AI_GATEWAY_MAX_BODY_MB", 32, 1024)? as usize * 1024 * 1024,
        connect_timeout: secs("AI_GATEWAY_CONNECT_TIMEOUT_SECS", 5, 120)?,
        first_byte_timeout: secs("AI_GATEWAY_FIRST_BYTE_TIMEOUT_SECS", 120, 3600)?,
        total_timeout: secs("AI_GATEWAY_TIMEOUT_SECS", 600, 3600)?,
    })
}

/// A key given as a value or as a file only this user may read; not both.
fn managed_key(
    vars: &Variables,
    name: &'static str,
    file_name: &'static str,
) -> Result<Option<SecretString>, ConfigError> {
    match (vars.value(name)?, vars.value(file_name)?) {
        (Some(_), Some(_)) => Err(ConfigError::Gateway {
            name,
            why: format!("set both this and {file_name}; keep one"),
        }),
        (Some(key), None) => Ok(Some(key.trim().to_string().into())),
        (None, Some(path)) => read_private_secret(&path)
            .map(|key| Some(key.into()))
            .map_err(|why| ConfigError::Gateway {
                name: file_name,
                why,
            }),
        (None, None) => Ok(None),
    }
}
