//! The workspace's activity: who changed what, when, from what to what.

pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

/// How many entries one page of the Activity panel shows.
pub const PER_PAGE: u32 = 20;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: i64,
    pub actor_name: String,
    /// What changed, as the page names it ("AI features").
    pub subject: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityPage {
    pub entries: Vec<AuditEntry>,
    /// Zero-based; 0 is the newest.
    pub page: u32,
    pub has_older: bool,
}
