//! Workspaces: today the deployment serves one, but every row is keyed by
//! its id so more can exist later without a schema change.

/// The id every stored row is keyed by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceId(String);

impl From<String> for WorkspaceId {
    fn from(id: String) -> Self {
        WorkspaceId(id)
    }
}

impl WorkspaceId {
    /// The workspace `id`.
    pub fn new(id: impl Into<String>) -> Self {
        WorkspaceId(id.into())
    }

    /// The id as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(feature = "ssr")]
pub mod store {
    use super::WorkspaceId;
    use crate::db::Pool;

    /// Creates the workspace on first start; later starts leave it as it is.
    pub async fn ensure(pool: &Pool, id: &WorkspaceId, name: &str) -> Result<(), sqlx::Error> {
        use crate::clock::{Clock, SystemClock};
        sqlx::query(
            "INSERT INTO workspaces (id, name, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(id.as_str())
        .bind(name)
        .bind(SystemClock.now())
        .execute(pool)
        .await?;
        Ok(())
    }
}
