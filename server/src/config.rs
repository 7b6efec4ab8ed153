//! Deployment configuration, read once at start-up from the environment.
//! A bad value stops the server with a message naming the variable and what
//! it accepts, before anything is served.

use app::domain::{Plan, PlanParseError};
use std::path::PathBuf;

pub const DEFAULT_DATA_DIR: &str = "data";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Where the embedded database (and later, key files) live.
    pub data_dir: PathBuf,
    pub database_url: String,
    pub plan: Plan,
    /// The address admins open, when the server sits behind a proxy. An
    /// `https://` address means the console is served over TLS.
    pub public_url: Option<String>,
}

impl Config {
    pub fn served_over_tls(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|url| url.starts_with("https://"))
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("AI_PLAN: {0}")]
    Plan(#[source] PlanParseError),
    #[error("{0} is set but empty; unset it to use the default, or give it a value")]
    Empty(&'static str),
    #[error("AI_CONSOLE_PUBLIC_URL: \"{0}\" is not an origin; expected http(s)://host[:port], with no path")]
    PublicUrl(String),
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the configuration through `get`, so tests need no process
    /// environment.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let value = |name: &'static str| match get(name) {
            Some(value) if value.trim().is_empty() => Err(ConfigError::Empty(name)),
            other => Ok(other),
        };
        let data_dir =
            PathBuf::from(value("AI_CONSOLE_DATA_DIR")?.unwrap_or_else(|| DEFAULT_DATA_DIR.into()));
        let database_url = match value("DATABASE_URL")? {
            Some(url) => url,
            None => format!("sqlite://{}", data_dir.join("console.db").display()),
        };
        let plan = match value("AI_PLAN")? {
            Some(plan) => plan.parse().map_err(ConfigError::Plan)?,
            None => Plan::default(),
        };
        let public_url = value("AI_CONSOLE_PUBLIC_URL")?
            .map(|url| parse_origin(&url).ok_or(ConfigError::PublicUrl(url)))
            .transpose()?;
        Ok(Config {
            data_dir,
            database_url,
            plan,
            public_url,
        })
    }
}

/// `https://console.example.com/` → `https://console.example.com`.
fn parse_origin(url: &str) -> Option<String> {
    let url = url.trim().trim_end_matches('/');
    let authority = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let valid = !authority.is_empty() && !authority.contains(['/', '?', '#', '@', ' ']);
    valid.then(|| url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn defaults_put_an_sqlite_file_under_data_on_the_team_plan() {
        let config = config(&[]).unwrap();
        assert_eq!(config.data_dir, PathBuf::from("data"));
        assert_eq!(config.database_url, "sqlite://data/console.db");
        assert_eq!(config.plan, Plan::Team);
    }

    #[test]
    fn the_database_follows_the_data_directory() {
        let config = config(&[("AI_CONSOLE_DATA_DIR", "/var/lib/console")]).unwrap();
        assert_eq!(config.database_url, "sqlite:///var/lib/console/console.db");
    }

    #[test]
    fn an_unknown_plan_stops_start_up_naming_the_variable_and_the_choices() {
        let error = config(&[("AI_PLAN", "platinum")]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "AI_PLAN: unknown plan \"platinum\"; expected one of: community, team, enterprise"
        );
    }

    #[test]
    fn a_public_https_url_means_tls() {
        let config = config(&[("AI_CONSOLE_PUBLIC_URL", "https://console.example.com/")]).unwrap();
        assert_eq!(
            config.public_url.as_deref(),
            Some("https://console.example.com")
        );
        assert!(config.served_over_tls());
        assert!(!self::config(&[]).unwrap().served_over_tls());
    }

    #[test]
    fn a_public_url_with_a_path_is_refused() {
        assert_eq!(
            config(&[("AI_CONSOLE_PUBLIC_URL", "https://example.com/console")]),
            Err(ConfigError::PublicUrl("https://example.com/console".into()))
        );
        assert!(config(&[("AI_CONSOLE_PUBLIC_URL", "console.example.com")]).is_err());
    }

    #[test]
    fn an_empty_variable_is_an_error_not_a_silent_default() {
        assert_eq!(
            config(&[("AI_PLAN", " ")]),
            Err(ConfigError::Empty("AI_PLAN"))
        );
    }
}
