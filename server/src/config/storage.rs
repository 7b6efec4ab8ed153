//! Where the console keeps its data: the data directory, the database and
//! the master keys that seal provider keys.

use super::{read::Variables, ConfigError};
use app::db::Backend;
use secrecy::SecretString;
use std::path::PathBuf;

pub const DEFAULT_DATA_DIR: &str = "data";

/// Where the master keys that seal provider keys come from.
#[derive(Debug, Clone)]
pub enum MasterKeySource {
    /// `AI_CONSOLE_MASTER_KEY`: `id:hex` entries, the first one current.
    Env(SecretString),
    /// A file of such entries, one a line; created on first start if
    /// missing (`AI_CONSOLE_MASTER_KEY_FILE`, default
    /// `<data dir>/master.keys`).
    File(PathBuf),
}

/// `AI_CONSOLE_DATA_DIR`, by default `data` under the working directory.
pub fn data_dir(vars: &Variables) -> Result<PathBuf, ConfigError> {
    Ok(PathBuf::from(
        vars.value("AI_CONSOLE_DATA_DIR")?
            .unwrap_or_else(|| DEFAULT_DATA_DIR.into()),
    ))
}

/// `DATABASE_URL`, by default an SQLite file in the data directory.
pub fn database_url(vars: &Variables, data_dir: &std::path::Path) -> Result<String, ConfigError> {
    match vars.value("DATABASE_URL")? {
        Some(url) if Backend::of_url(&url).is_none() => Err(ConfigError::DatabaseUrl),
        Some(url) => Ok(url),
        None => Ok(format!(
            "sqlite://{}",
            data_dir.join("console.db").display()
        )),
    }
}

pub fn master_key(
    vars: &Variables,
    data_dir: &std::path::Path,
) -> Result<MasterKeySource, ConfigError> {
    Ok(
        match (
            vars.value("AI_CONSOLE_MASTER_KEY")?,
            vars.value("AI_CONSOLE_MASTER_KEY_FILE")?,
        ) {
            (Some(key), _) => MasterKeySource::Env(SecretString::from(key)),
            (None, Some(file)) => MasterKeySource::File(PathBuf::from(file)),
            (None, None) => MasterKeySource::File(data_dir.join("master.keys")),
        },
    )
}
