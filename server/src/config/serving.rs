//! How the listener treats connections and how the process stops.

use super::{read::Variables, ConfigError};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServingConfig {
    /// `AI_CONSOLE_HEADER_TIMEOUT_SECS`: how long a connection has to send
    /// a whole request head, from opening or from its previous answer;
    /// also how long an idle keep-alive connection is kept.
    pub header_timeout: Duration,
    /// `AI_CONSOLE_MAX_CONNECTIONS`: open connections at once; keep it
    /// well under the process's descriptor limit (`ulimit -n`), which the
    /// database and the gateway's calls to providers share.
    pub max_connections: usize,
    /// `AI_CONSOLE_SHUTDOWN_GRACE_SECS`: after SIGTERM, how long open
    /// requests may take to finish before the process exits anyway.
    pub shutdown_grace: Duration,
    /// `AI_CONSOLE_MAX_STREAMS_PER_TOKEN`: policy streams one service
    /// token may hold open at once.
    pub max_streams_per_token: usize,
}

impl Default for ServingConfig {
    fn default() -> Self {
        ServingConfig {
            header_timeout: Duration::from_secs(30),
            max_connections: 2048,
            shutdown_grace: Duration::from_secs(10),
            max_streams_per_token: 16,
        }
    }
}

pub fn serving(vars: &Variables) -> Result<ServingConfig, ConfigError> {
    let defaults = ServingConfig::default();
    let secs = |name, default: Duration, max| -> Result<Duration, ConfigError> {
        let default = default.as_secs() as i64;
        Ok(Duration::from_secs(vars.number(name, default, max)? as u64))
    };
    Ok(ServingConfig {
        header_timeout: secs(
            "AI_CONSOLE_HEADER_TIMEOUT_SECS",
            defaults.header_timeout,
            600,
        )?,
        max_connections: vars.number(
            "AI_CONSOLE_MAX_CONNECTIONS",
            defaults.max_connections as i64,
            1_000_000,
        )? as usize,
        shutdown_grace: secs(
            "AI_CONSOLE_SHUTDOWN_GRACE_SECS",
            defaults.shutdown_grace,
            600,
        )?,
        max_streams_per_token: vars.number(
            "AI_CONSOLE_MAX_STREAMS_PER_TOKEN",
            defaults.max_streams_per_token as i64,
            100_000,
        )? as usize,
    })
}
