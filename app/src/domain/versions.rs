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

impl LastChange {
    /// What a refused save says when someone else changed `what` first,
    /// with or without knowing who.
    pub fn conflict_message(change: Option<&LastChange>, what: &str) -> String {
        match change {
            Some(change) => format!(
                "{} changed {what} at {} \u{2014} reload to see it. Nothing was saved.",
                change.by,
                super::time::format_utc(change.at)
            ),
            None => format!(
                "Another admin changed {what} meanwhile. Nothing was saved; the page now shows their change."
            ),
        }
    }
}

/// How many times a setting was changed: a save names the version it was
/// based on, so a change someone else made meanwhile is never overwritten.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingVersion {
    pub version: i64,
    pub last_change: Option<LastChange>,
}
