//! The database a test runs on. By default a fresh SQLite file in the
//! test's temporary directory; when `TEST_DATABASE_URL` names a PostgreSQL
//! server (scripts/test.sh sets it for its second pass over the suite), a
//! fresh database created on that server, so tests never see each other.

use sqlx::{AnyConnection, Connection};
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};

pub async fn fresh_database_url(dir: &Path) -> String {
    let Ok(server) = std::env::var("TEST_DATABASE_URL") else {
        return format!("sqlite://{}", dir.join("console.db").display());
    };
    static CREATED: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "test_{}_{}",
        std::process::id(),
        CREATED.fetch_add(1, Ordering::Relaxed)
    );
    sqlx::any::install_default_drivers();
    let mut admin = AnyConnection::connect(&server)
        .await
        .expect("TEST_DATABASE_URL accepts connections");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .expect("test database created");
    admin.close().await.expect("connection closes");
    let (server_root, _) = server
        .rsplit_once('/')
        .expect("TEST_DATABASE_URL ends with /<database>");
    format!("{server_root}/{name}")
}
