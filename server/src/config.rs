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
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("AI_PLAN: {0}")]
    Plan(#[source] PlanParseError),
    #[error("{0} is set but empty; unset it to use the default, or give it a value")]
    Empty(&'static str),
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
        let data_dir = PathBuf::from(value("AI_CONSOLE_DATA_DIR")?.unwrap_or_else(|| DEFAULT_DATA_DIR.into()));
        let database_url = match value("DATABASE_URL")? {
            Some(url) => url,
            None => format!("sqlite://{}", data_dir.join("console.db").display()),
        };
        let plan = match value("AI_PLAN")? {
            Some(plan) => plan.parse().map_err(ConfigError::Plan)?,
            None => Plan::default(),
        };
        Ok(Config {
            data_dir,
            database_url,
            plan,
        })
    }
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
    fn an_empty_variable_is_an_error_not_a_silent_default() {
        assert_eq!(config(&[("AI_PLAN", " ")]), Err(ConfigError::Empty("AI_PLAN")));
    }
}
