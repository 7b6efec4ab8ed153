//! The master keys that seal workspaces' provider keys: from
//! `AI_CONSOLE_MASTER_KEY`, or from a key file that the first start
//! creates, readable by the server's user only.

use crate::config::MasterKeySource;
use app::model_provider::cipher::{MasterKeyError, MasterKeys};
use secrecy::ExposeSecret;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum MasterKeyLoadError {
    #[error("AI_CONSOLE_MASTER_KEY: {0}")]
    Env(#[source] MasterKeyError),
    #[error("master key file {path}: {source}")]
    File {
        path: String,
        #[source]
        source: MasterKeyError,
    },
    #[error("master key file {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

pub struct Loaded {
    pub keys: MasterKeys,
    /// Set when this start created the key file.
    pub created: Option<PathBuf>,
}

pub fn load(source: &MasterKeySource) -> Result<Loaded, MasterKeyLoadError> {
    match source {
        MasterKeySource::Env(text) => Ok(Loaded {
            keys: MasterKeys::parse(text.expose_secret()).map_err(MasterKeyLoadError::Env)?,
            created: None,
        }),
        MasterKeySource::File(path) => {
            let io = |source| MasterKeyLoadError::Io {
                path: path.display().to_string(),
                source,
            };
            let created = if path.exists() {
                None
            } else {
                write_new_file(path, &MasterKeys::generate_entry()).map_err(io)?;
                Some(path.clone())
            };
            let text = std::fs::read_to_string(path).map_err(io)?;
            let keys = MasterKeys::parse(&text).map_err(|source| MasterKeyLoadError::File {
                path: path.display().to_string(),
                source,
            })?;
            warn_if_readable_by_others(path);
            Ok(Loaded { keys, created })
        }
    }
}

/// Puts a new current key in front of the file's keys (the old ones stay
/// to open what they sealed). Returns the new key's id.
pub fn prepend_new_key(path: &Path) -> Result<String, MasterKeyLoadError> {
    let io = |source| MasterKeyLoadError::Io {
        path: path.display().to_string(),
        source,
    };
    let old = std::fs::read_to_string(path).map_err(io)?;
    let entry = MasterKeys::generate_entry();
    let id = entry.split(':').next().unwrap_or_default().to_string();
    let replacement = path.with_extension("keys.new");
    let _ = std::fs::remove_file(&replacement);
    write_new_file(&replacement, &format!("{entry}\n{old}")).map_err(io)?;
    std::fs::rename(&replacement, path).map_err(io)?;
    Ok(id)
}

fn write_new_file(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    if !text.ends_with('\n') {
        file.write_all(b"\n")?;
    }
    file.sync_all()
}

fn warn_if_readable_by_others(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path) {
            if meta.permissions().mode() & 0o077 != 0 {
                tracing::warn!(
                    path = %path.display(),
                    "the master key file is readable by other users; run chmod 600 on it"
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_start_creates_a_private_key_file_and_later_starts_reuse_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.keys");
        let source = MasterKeySource::File(path.clone());
        let first = load(&source).unwrap();
        assert_eq!(first.created.as_deref(), Some(path.as_path()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let again = load(&source).unwrap();
        assert!(again.created.is_none());
        assert_eq!(again.keys.current_id(), first.keys.current_id());

        let new_id = prepend_new_key(&path).unwrap();
        let rotated = load(&source).unwrap();
        assert_eq!(rotated.keys.current_id(), new_id);
        assert_ne!(new_id, first.keys.current_id());
    }

    #[test]
    fn a_broken_key_file_stops_start_up_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.keys");
        std::fs::write(&path, "not a key\n").unwrap();
        let error = load(&MasterKeySource::File(path))
            .err()
            .unwrap()
            .to_string();
        assert!(error.starts_with("master key file "), "{error}");
        assert!(error.contains("entry 1"), "{error}");
    }
}
