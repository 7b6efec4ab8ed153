//! Where signed-in sessions live: the `sessions` table of the console's own
//! database, so every replica on one PostgreSQL sees every session, and a
//! restart signs nobody out. Schema: `app/migrations/*/…sessions*`.
//!
//! Rows are keyed by a SHA-256 of the session id and the id is not in the
//! stored data: someone who reads a copy of the database cannot take over a
//! live session with what they find there.

use crate::db::Pool;
use async_trait::async_trait;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

/// Sessions in the console's own `sessions` table, so every replica sees them.
#[derive(Debug, Clone)]
pub struct DatabaseSessionStore {
    pool: Pool,
}

impl DatabaseSessionStore {
    /// A store on `pool`.
    pub fn new(pool: Pool) -> Self {
        Self { pool }
    }

    /// Deletes sessions that ended before `now` (Unix seconds); returns how
    /// many. Expired rows are never loaded, so this only frees space.
    pub async fn delete_expired(&self, now: i64) -> Result<u64, sqlx::Error> {
        Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(&self.pool)
            .await?
            .rows_affected())
    }
}

fn backend(error: sqlx::Error) -> session_store::Error {
    session_store::Error::Backend(error.to_string())
}

/// A record as stored: everything but its id.
#[derive(serde::Serialize, serde::Deserialize)]
struct Stored {
    data: std::collections::HashMap<String, serde_json::Value>,
    expiry_date: tower_sessions::cookie::time::OffsetDateTime,
}

fn encode(record: &Record) -> session_store::Result<String> {
    let stored = Stored {
        data: record.data.clone(),
        expiry_date: record.expiry_date,
    };
    serde_json::to_string(&stored).map_err(|error| session_store::Error::Encode(error.to_string()))
}

/// The key a session's row is stored under.
fn key(id: &Id) -> String {
    crate::accounts::tokens::digest(&id.to_string())
}

#[async_trait]
impl SessionStore for DatabaseSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A fresh random id colliding is all but impossible; if it happens,
        // draw another instead of taking over someone's session.
        loop {
            let inserted = sqlx::query(
                "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3)
                 ON CONFLICT (id) DO NOTHING",
            )
            .bind(key(&record.id))
            .bind(encode(record)?)
            .bind(record.expiry_date.unix_timestamp())
            .execute(&self.pool)
            .await
            .map_err(backend)?
            .rows_affected();
            if inserted == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        sqlx::query(
            "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3)
             ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at",
        )
        .bind(key(&record.id))
        .bind(encode(record)?)
        .bind(record.expiry_date.unix_timestamp())
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        tracing::debug!("reading a session record");
        let now = tower_sessions::cookie::time::OffsetDateTime::now_utc().unix_timestamp();
        let data: Option<String> =
            sqlx::query_scalar("SELECT data FROM sessions WHERE id = $1 AND expires_at > $2")
                .bind(key(id))
                .bind(now)
                .fetch_optional(&self.pool)
                .await
                .map_err(backend)?;
        data.map(|data| {
            serde_json::from_str::<Stored>(&data)
                .map(|stored| Record {
                    id: *id,
                    data: stored.data,
                    expiry_date: stored.expiry_date,
                })
                .map_err(|error| session_store::Error::Decode(error.to_string()))
        })
        .transpose()
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(key(id))
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
