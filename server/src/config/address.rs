//! How people reach the console: its public address and the reverse
//! proxies in front of it.

use super::{
    read::{parse_origin, Variables},
    ConfigError,
};

/// `AI_CONSOLE_PUBLIC_URL`: an origin, nothing after the host and port.
pub fn public_url(vars: &Variables) -> Result<Option<String>, ConfigError> {
    vars.value("AI_CONSOLE_PUBLIC_URL")?
        .map(|url| parse_origin(&url).ok_or(ConfigError::PublicUrl(url)))
        .transpose()
}

/// `AI_CONSOLE_TRUSTED_PROXIES`: whose `X-Forwarded-For` is believed.
pub fn trusted_proxies(vars: &Variables) -> Result<Vec<ipnet::IpNet>, ConfigError> {
    vars.address_ranges("AI_CONSOLE_TRUSTED_PROXIES")
}
