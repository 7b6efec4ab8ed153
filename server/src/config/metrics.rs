//! Where Prometheus reads `/metrics`.

use super::{read::Variables, ConfigError};
use secrecy::SecretString;

/// A listener of its own (`AI_CONSOLE_METRICS_ADDR`), and/or the console's
/// own listener with a bearer token (`AI_CONSOLE_METRICS_TOKEN`). Neither:
/// not served.
#[derive(Debug, Clone, Default)]
pub struct MetricsConfig {
    pub addr: Option<std::net::SocketAddr>,
    pub token: Option<SecretString>,
}

pub fn metrics(vars: &Variables) -> Result<MetricsConfig, ConfigError> {
    Ok(MetricsConfig {
        addr: match vars.value("AI_CONSOLE_METRICS_ADDR")? {
            Some(text) => Some(
                text.trim()
                    .parse()
                    .map_err(|_| ConfigError::MetricsAddr(text))?,
            ),
            None => None,
        },
        token: match vars.value("AI_CONSOLE_METRICS_TOKEN")? {
            Some(token) if token.trim().len() < 16 => return Err(ConfigError::MetricsToken),
            Some(token) => Some(token.trim().to_string().into()),
            None => None,
        },
    })
}
