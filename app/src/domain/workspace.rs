//! The workspace a row, a setting or a person belongs to. Today the
//! deployment serves one, but every row is keyed by its id so more can
//! exist later without a schema change.

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
