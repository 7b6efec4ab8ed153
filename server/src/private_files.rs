//! The data directory and the embedded database hold accounts, sessions and
//! sealed keys: only the console's own user may read them. The directory is
//! created 0700 and the database file 0600 before SQLite opens it (SQLite
//! gives its WAL and shared-memory files the database file's mode).
//! Existing files keep the mode the operator gave them.

use std::path::Path;
use std::str::FromStr;

/// Creates the data directory and the SQLite file of `database_url`, both
/// private to this user, where they do not exist yet.
pub fn prepare(data_dir: &Path, database_url: &str) -> std::io::Result<()> {
    create_private_dir(data_dir)?;
    let Ok(options) = sqlx::sqlite::SqliteConnectOptions::from_str(database_url) else {
        // An unusable URL is reported when the database is opened.
        return Ok(());
    };
    let file = options.get_filename();
    if file.as_os_str().is_empty() || file == Path::new(":memory:") || file.exists() {
        return Ok(());
    }
    if let Some(parent) = file
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
    {
        create_private_dir(parent)?;
    }
    let mut create = std::fs::OpenOptions::new();
    create.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut create, 0o600);
    match create.open(file) {
        Ok(_) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(error) => Err(error),
    }
}

/// Writes `contents` to `path`, readable by this user only (replacing
/// what was there).
pub fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let _ = std::fs::remove_file(path);
    let mut create = std::fs::OpenOptions::new();
    create.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut create, 0o600);
    create.open(path)?.write_all(contents.as_bytes())
}

/// Where a first-admin setup link is written when no terminal watches
/// the server start.
pub fn setup_link_file(data_dir: &Path) -> std::path::PathBuf {
    data_dir.join("first-admin-link.txt")
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    if dir.exists() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

#[cfg(test)]
#[cfg(unix)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_new_data_directory_and_database_are_private_to_this_user() {
        let root = tempfile::tempdir().unwrap();
        let data = root.path().join("data");
        let url = format!("sqlite://{}", data.join("console.db").display());
        prepare(&data, &url).unwrap();
        assert_eq!(mode(&data), 0o700);
        assert_eq!(mode(&data.join("console.db")), 0o600);
    }

    #[test]
    fn existing_files_keep_their_mode() {
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join("console.db");
        std::fs::write(&file, b"").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
        prepare(root.path(), &format!("sqlite://{}", file.display())).unwrap();
        assert_eq!(mode(&file), 0o640);
    }
}
