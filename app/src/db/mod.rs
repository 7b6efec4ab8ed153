//! Opening the database. SQLite is the embedded default (its file is
//! created on first start); `postgres://` URLs select PostgreSQL, for
//! several replicas sharing one database. Both are reached through sqlx's
//! `Any` driver, so every query is written once, with `$1` placeholders and
//! SQL that both understand; only the migrations differ by database.
//!
//! Layer: platform.

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use std::collections::HashMap;
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

pub mod erasure;
mod flag;
mod stored_names;
mod tx;
pub mod versions;
pub mod workspaces;
mod write;
pub use flag::Flag;
pub use stored_names::UnknownName;
pub use tx::Tx;
pub use workspaces::POLICY_CHANNEL;
pub use write::{check_writes, commit, read, write, write_policy, Database, Outcome};

/// A connection pool onto either database.
pub type Pool = sqlx::AnyPool;

static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The database behind a pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The database a URL names, by its scheme; `None` for anything else.
    pub fn of_url(url: &str) -> Option<Self> {
        match url::Url::parse(url).ok()?.scheme() {
            "sqlite" => Some(Self::Sqlite),
            "postgres" | "postgresql" => Some(Self::Postgres),
            _ => None,
        }
    }

    /// The database `pool` is connected to.
    pub fn of_pool(pool: &Pool) -> Self {
        match pool.connect_options().database_url.scheme() {
            "sqlite" => Self::Sqlite,
            _ => Self::Postgres,
        }
    }

    /// The migrations this build knows for the backend.
    pub fn migrator(self) -> &'static sqlx::migrate::Migrator {
        match self {
            Self::Sqlite => &SQLITE_MIGRATOR,
            Self::Postgres => &POSTGRES_MIGRATOR,
        }
    }
}

/// After a person's data was erased: on SQLite, moves the write-ahead log
/// into the database file and empties it, so their old rows survive in
/// neither (deleted rows are overwritten, `secure_delete`). PostgreSQL
/// keeps old row versions until vacuum reuses their space; see the
/// docs/personal-data.md. A failure is logged: the erasure itself is
/// done.
pub async fn scrub_deleted(pool: &Pool) {
    if Backend::of_pool(pool) != Backend::Sqlite {
        return;
    }
    let outcome: Result<(i64, i64, i64), sqlx::Error> =
        sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(pool)
            .await;
    match outcome {
        Ok((0, _, _)) => {}
        Ok(_) => tracing::warn!(
            "the write-ahead log could not be emptied after erasing a person (readers were busy); \
             the next checkpoint overwrites it"
        ),
        Err(error) => tracing::error!(%error, "emptying the write-ahead log failed"),
    }
}

/// Opening or migrating the database failed.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("DATABASE_URL must start with sqlite:// or postgres://")]
    UnknownScheme,
    #[error("could not open the database: {0}")]
    Open(#[source] sqlx::Error),
    #[error("could not apply the database migrations: {0}")]
    Migrate(#[source] sqlx::migrate::MigrateError),
}

/// Opens the database at `url` (creating an SQLite file if needed) and
/// migrates it. Replicas starting together on PostgreSQL take turns: the
/// migrator holds an advisory lock.
pub async fn connect(url: &str) -> Result<Pool, DbError> {
    connect_reporting(url).await.map(|(pool, _)| pool)
}

/// Like [`connect`], and also names the migrations this call applied
/// (their descriptions), for work that must follow a migration once.
pub async fn connect_reporting(url: &str) -> Result<(Pool, Vec<String>), DbError> {
    sqlx::any::install_default_drivers();
    let backend = Backend::of_url(url).ok_or(DbError::UnknownScheme)?;
    let url = match backend {
        Backend::Sqlite if !url.contains("mode=") => {
            let separator = if url.contains('?') { '&' } else { '?' };
            format!("{url}{separator}mode=rwc")
        }
        _ => url.to_string(),
    };
    let options = AnyConnectOptions::from_str(&url).map_err(DbError::Open)?;
    let pool = AnyPoolOptions::new()
        .max_connections(8)
        // Well under the 30 s request timeout: a starved pool shows up as
        // an error in the log and a 503, not as a hung request.
        .acquire_timeout(std::time::Duration::from_secs(10))
        .after_connect(move |connection, _| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    // WAL lets the page read while a save is being written;
                    // sqlx already waits 5 s for a busy database and turns
                    // foreign keys on.
                    sqlx::query("PRAGMA journal_mode = WAL")
                        .execute(&mut *connection)
                        .await?;
                    // In WAL mode, NORMAL loses nothing when the process
                    // dies (only on power loss, the last commits), and
                    // spares a disk flush per commit.
                    sqlx::query("PRAGMA synchronous = NORMAL")
                        .execute(&mut *connection)
                        .await?;
                    // Deleted rows are overwritten, not just unlinked: a
                    // deleted person's name must not linger in free pages
                    // of the file.
                    sqlx::query("PRAGMA secure_delete = ON")
                        .execute(&mut *connection)
                        .await?;
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await
        .map_err(DbError::Open)?;
    let before = applied_migrations(&pool).await;
    backend
        .migrator()
        .run(&pool)
        .await
        .map_err(DbError::Migrate)?;
    let newly = applied_migrations(&pool)
        .await
        .into_iter()
        .filter(|description| !before.contains(description))
        .collect();
    Ok((pool, newly))
}

/// Descriptions of the migrations applied so far; none on a new database.
async fn applied_migrations(pool: &Pool) -> Vec<String> {
    sqlx::query_scalar("SELECT description FROM _sqlx_migrations WHERE success")
        .fetch_all(pool)
        .await
        .unwrap_or_default()
}

/// What this process knows of writing to one database: SQLite's writer
/// turn, and whether writes are failing on storage (a full disk, an I/O
/// error) since the last one that committed.
#[derive(Debug, Default)]
struct Writer {
    turn: Arc<tokio::sync::Mutex<()>>,
    failing: AtomicBool,
    /// When a write last failed on storage.
    failed_at: Mutex<Option<std::time::Instant>>,
    /// Committed changes of anyone's account, counted.
    people_changes: AtomicU64,
}

/// How long after a write failed on storage the console says it cannot
/// write, whatever a small test write says: on a nearly full disk a tiny
/// write may still fit while real changes do not.
pub const STORAGE_FAILURE_HOLD: std::time::Duration = std::time::Duration::from_secs(3);

/// The writer of the database `pool` is connected to.
fn writer(pool: &Pool) -> Arc<Writer> {
    type Writers = Mutex<HashMap<String, Arc<Writer>>>;
    static WRITERS: OnceLock<Writers> = OnceLock::new();
    let database = pool.connect_options().database_url.to_string();
    let mut writers = match WRITERS.get_or_init(Writers::default).lock() {
        Ok(writers) => writers,
        Err(poisoned) => poisoned.into_inner(),
    };
    writers.entry(database).or_default().clone()
}

/// Counts the changes of people's accounts this process committed to one
/// database: whoever remembers people compares the count to know when to
/// look again.
#[derive(Debug, Clone)]
pub struct PeopleChanges(Arc<Writer>);

impl PeopleChanges {
    /// The count for the database `pool` is connected to.
    pub fn of(pool: &Pool) -> Self {
        PeopleChanges(writer(pool))
    }

    /// How many such changes committed so far.
    pub fn count(&self) -> u64 {
        self.0.people_changes.load(Ordering::Acquire)
    }
}

impl Writer {
    /// A writer's turn on an SQLite database, held while its transaction
    /// runs. SQLite lets one writer in at a time and makes the others retry
    /// with growing sleeps (up to 100 ms a try), so a queue of admins saving
    /// at once would wait far longer than the writes take; taking turns
    /// here instead keeps every save as quick as the queue ahead of it.
    /// PostgreSQL runs writers side by side: no turn there.
    async fn turn(&self, pool: &Pool) -> Option<tokio::sync::OwnedMutexGuard<()>> {
        if Backend::of_pool(pool) != Backend::Sqlite {
            return None;
        }
        Some(self.turn.clone().lock_owned().await)
    }
}

impl Writer {
    /// A write failed on storage.
    fn failed(&self) {
        self.failing.store(true, Ordering::Release);
        *self.failed_at_lock() = Some(std::time::Instant::now());
    }

    /// Whether a write failed on storage within [`STORAGE_FAILURE_HOLD`].
    fn failed_lately(&self) -> bool {
        self.failed_at_lock()
            .is_some_and(|at| at.elapsed() < STORAGE_FAILURE_HOLD)
    }

    fn failed_at_lock(&self) -> std::sync::MutexGuard<'_, Option<std::time::Instant>> {
        match self.failed_at.lock() {
            Ok(at) => at,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}

/// Whether `error` says the database's storage failed (full, unwritable,
/// an I/O error) rather than the change or the connection.
fn is_storage_error(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_) => true,
        sqlx::Error::Database(error) => {
            let code = error.code().unwrap_or_default();
            match code.parse::<i64>() {
                // SQLite's primary codes (the low byte of extended ones):
                // IOERR, CORRUPT, FULL, CANTOPEN, READONLY, NOTADB.
                Ok(sqlite) => [10, 11, 13, 14, 8, 26].contains(&(sqlite & 0xff)),
                // PostgreSQL: insufficient resources (53…, e.g. disk
                // full) and system errors (58…, I/O).
                Err(_) => code.starts_with("53") || code.starts_with("58"),
            }
        }
        _ => false,
    }
}

/// Whether the database answers and has every migration this build knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Readiness {
    pub reachable: bool,
    pub migrated: bool,
}

/// Whether the database answers and is migrated, for `/readyz`.
pub async fn readiness(pool: &Pool) -> Readiness {
    let migrator = Backend::of_pool(pool).migrator();
    let newest_known = migrator.iter().map(|migration| migration.version).max();
    // An orchestrator's probe waits a few seconds, not the pool's acquire
    // timeout: an unreachable database says so in time.
    let applied: Result<Option<i64>, sqlx::Error> = tokio::time::timeout(
        std::time::Duration::from_secs(3),
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success = TRUE")
            .fetch_one(pool),
    )
    .await
    .unwrap_or(Err(sqlx::Error::PoolTimedOut));
    match applied {
        Ok(applied) => Readiness {
            reachable: true,
            migrated: applied >= newest_known,
        },
        Err(error) => {
            tracing::warn!(%error, "readiness check: the database did not answer");
            Readiness {
                reachable: false,
                migrated: false,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Backend;

    #[test]
    fn the_url_scheme_selects_the_database() {
        assert_eq!(
            Backend::of_url("sqlite://data/console.db"),
            Some(Backend::Sqlite)
        );
        assert_eq!(
            Backend::of_url("postgres://u@db/console"),
            Some(Backend::Postgres)
        );
        assert_eq!(
            Backend::of_url("postgresql://db/console"),
            Some(Backend::Postgres)
        );
        assert_eq!(Backend::of_url("mysql://db/console"), None);
        assert_eq!(Backend::of_url("console.db"), None);
    }
}
