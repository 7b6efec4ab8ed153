//! Optimistic versions of settings, as the page and refusals show them:
//! a save names the version it was based on, so a change someone else made
//! meanwhile is never overwritten. Storage lives in `db::versions`.

use serde::{Deserialize, Serialize};

/// Who changed a setting last, and when (Unix seconds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastChange {
    pub by: String,
    pub at: i64,
}

/// How many times a setting was changed: a save names the version it was
/// based on, so a change someone else made meanwhile is never overwritten.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingVersion {
    pub version: i64,
    pub last_change: Option<LastChange>,
}
