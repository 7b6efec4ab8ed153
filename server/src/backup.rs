//! Backups of the embedded SQLite database, and restoring one.
//!
//! A backup is a consistent copy taken while the console runs (`VACUUM
//! INTO` reads one snapshot and writes a compact file). A restore checks
//! the copy before anything is replaced, refuses while a console has the
//! database open, and keeps the database it replaces beside it. The master
//! keys are not in the database, on purpose: back them up apart.
//! PostgreSQL has its own tools (`pg_dump`); see docs/operations.md.

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// Why a backup or restore did nothing.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("DATABASE_URL is PostgreSQL: back it up with pg_dump (see docs/operations.md, \"Backups and restore\"); `server backup` and `restore` are for the embedded SQLite file")]
    NotSqlite,
    #[error("{0} already exists; choose a new file, nothing was written")]
    TargetExists(String),
    #[error("a console is running on {0}: stop every console process that uses it first; nothing was changed")]
    InUse(String),
    #[error("{path} is not a backup this console can restore: {why}; nothing was changed")]
    NotABackup { path: String, why: String },
    #[error("{what} {path}: {source}")]
    Io {
        what: &'static str,
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{what}: {source}")]
    Database {
        what: &'static str,
        #[source]
        source: sqlx::Error,
    },
}

fn io(what: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> BackupError {
    let path = path.display().to_string();
    move |source| BackupError::Io { what, path, source }
}

fn database_error(what: &'static str) -> impl FnOnce(sqlx::Error) -> BackupError {
    move |source| BackupError::Database { what, source }
}

/// The SQLite file `database_url` names.
pub fn sqlite_file(database_url: &str) -> Result<PathBuf, BackupError> {
    if !database_url.starts_with("sqlite:") {
        return Err(BackupError::NotSqlite);
    }
    SqliteConnectOptions::from_str(database_url)
        .map(|options| options.get_filename().to_path_buf())
        .map_err(database_error("reading DATABASE_URL"))
}

/// The lock a running console holds on its database file (beside it), so
/// a restore cannot pull the file from under it.
pub fn lock_path(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// Held for as long as a console runs on the file (shared: several
/// processes may) or a restore replaces it (exclusive); released when
/// dropped, or when the process ends, however it ends.
pub struct DatabaseLock(#[allow(dead_code)] std::fs::File);

/// Whether the lock keeps everyone else out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockKind {
    /// A running console: others may run too, nobody may restore.
    Running,
    /// A restore: nobody else at all.
    Restoring,
}

/// Takes the lock on `database`, or says a console has it.
pub fn lock(database: &Path, kind: LockKind) -> Result<DatabaseLock, BackupError> {
    let path = lock_path(database);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io("opening the lock file", &path))?;
    let taken = match kind {
        LockKind::Running => file.try_lock_shared(),
        LockKind::Restoring => file.try_lock(),
    };
    match taken {
        Ok(()) => Ok(DatabaseLock(file)),
        Err(std::fs::TryLockError::WouldBlock) => {
            Err(BackupError::InUse(database.display().to_string()))
        }
        Err(std::fs::TryLockError::Error(error)) => Err(io("locking", &path)(error)),
    }
}

/// A new, empty file only this user can read.
fn create_private(path: &Path) -> Result<std::fs::File, BackupError> {
    let mut create = std::fs::OpenOptions::new();
    create.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut create, 0o600);
    create.open(path).map_err(|error| {
        if error.kind() == std::io::ErrorKind::AlreadyExists {
            BackupError::TargetExists(path.display().to_string())
        } else {
            io("creating", path)(error)
        }
    })
}

/// Copies the database of `database_url` to `to`, consistently, while
/// consoles may be using it. Returns the copy's size in bytes.
pub async fn backup(database_url: &str, to: &Path) -> Result<u64, BackupError> {
    let database = sqlite_file(database_url)?;
    if !database.exists() {
        return Err(io("reading", &database)(
            std::io::ErrorKind::NotFound.into(),
        ));
    }
    create_private(to)?;
    let copied = async {
        let mut connection = SqliteConnectOptions::new()
            .filename(&database)
            .read_only(true)
            .connect()
            .await
            .map_err(database_error("opening the database"))?;
        sqlx::query("VACUUM INTO $1")
            .bind(to.display().to_string())
            .execute(&mut connection)
            .await
            .map_err(database_error("copying the database"))?;
        connection
            .close()
            .await
            .map_err(database_error("closing"))?;
        std::fs::metadata(to)
            .map(|metadata| metadata.len())
            .map_err(io("reading", to))
    }
    .await;
    if copied.is_err() {
        // Never leave a half-written file that looks like a backup.
        let _ = std::fs::remove_file(to);
    }
    copied
}

/// Checks that `file` is an intact console database this build can run:
/// SQLite's integrity check passes, and its migrations are ones this
/// build knows (it may be older: the console migrates it at start).
pub async fn check(file: &Path) -> Result<(), BackupError> {
    let not_a_backup = |why: String| BackupError::NotABackup {
        path: file.display().to_string(),
        why,
    };
    if !file.is_file() {
        return Err(not_a_backup("there is no such file".into()));
    }
    let mut connection = SqliteConnectOptions::new()
        .filename(file)
        .read_only(true)
        .connect()
        .await
        .map_err(|_| not_a_backup("it is not an SQLite database".into()))?;
    let integrity: Option<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_optional(&mut connection)
        .await
        .map_err(|_| not_a_backup("it is not an SQLite database".into()))?;
    if integrity.as_deref() != Some("ok") {
        return Err(not_a_backup(format!(
            "SQLite's integrity check failed ({})",
            integrity.unwrap_or_default()
        )));
    }
    let versions: Vec<i64> =
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
            .fetch_all(&mut connection)
            .await
            .map_err(|_| not_a_backup("it has no console schema".into()))?;
    let known: Vec<i64> = app::db::Backend::Sqlite
        .migrator()
        .iter()
        .map(|migration| migration.version)
        .collect();
    if versions.is_empty() {
        return Err(not_a_backup("it has no console schema".into()));
    }
    if let Some(unknown) = versions.iter().find(|version| !known.contains(version)) {
        return Err(not_a_backup(format!(
            "it was made by a newer console (schema version {unknown}); restore it with that version"
        )));
    }
    let _ = connection.close().await;
    Ok(())
}

/// What a restore did.
#[derive(Debug)]
pub struct Restored {
    pub database: PathBuf,
    /// Where the database it replaced was moved, if there was one.
    pub previous: Option<PathBuf>,
}

/// Replaces the database of `database_url` with the backup `from`, after
/// checking it, while no console runs on it. The replaced database (with
/// its WAL folded in by SQLite at its last close) is kept beside it.
pub async fn restore(database_url: &str, from: &Path, now: i64) -> Result<Restored, BackupError> {
    let database = sqlite_file(database_url)?;
    check(from).await?;
    let _lock = lock(&database, LockKind::Restoring)?;
    let incoming = database.with_extension("db.restoring");
    let _ = std::fs::remove_file(&incoming);
    {
        let mut target = create_private(&incoming)?;
        let mut source = std::fs::File::open(from).map_err(io("reading", from))?;
        std::io::copy(&mut source, &mut target).map_err(io("copying to", &incoming))?;
        target.sync_all().map_err(io("writing", &incoming))?;
    }
    let previous = if database.exists() {
        // Folded into the file first, so the copy kept aside is whole.
        let mut connection = SqliteConnectOptions::new()
            .filename(&database)
            .connect()
            .await
            .map_err(database_error("opening the database to replace"))?;
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&mut connection)
            .await
            .map_err(database_error("folding the database's journal in"))?;
        let _ = connection.close().await;
        let mut kept = database.as_os_str().to_owned();
        kept.push(format!(".before-restore-{now}"));
        let kept = PathBuf::from(kept);
        std::fs::rename(&database, &kept).map_err(io("moving aside", &database))?;
        Some(kept)
    } else {
        None
    };
    // A WAL left by the replaced database must never be applied to the
    // restored one.
    for suffix in ["-wal", "-shm"] {
        let mut name = database.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
    std::fs::rename(&incoming, &database).map_err(io("putting in place", &database))?;
    Ok(Restored { database, previous })
}
