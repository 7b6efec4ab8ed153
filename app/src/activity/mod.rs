//! The Activity panel on the AI & agents page and the audit log behind
//! it: who changed what, when, from what to what. Every screen writes its
//! changes through [`log`], in the transaction of the change.

mod load_activity;
#[cfg(feature = "ssr")]
pub mod log;
mod panel;

pub use load_activity::{load_activity, LoadActivity};
pub use panel::Activity;

use serde::{Deserialize, Serialize};

/// How many entries one page of the Activity panel shows.
pub const PER_PAGE: u32 = 20;

/// One change as the panel lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AuditEntry {
    pub at: i64,
    pub actor_name: String,
    /// What changed, as the page names it ("AI features").
    pub subject: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    /// For an event that repeats (a key handed to a service), how many
    /// times it happened since this entry was written.
    pub answers: Option<i64>,
}

/// One page of the panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityPage {
    pub entries: Vec<AuditEntry>,
    /// Zero-based; 0 is the newest.
    pub page: u32,
    pub has_older: bool,
    /// Only the viewer's own entries: the activity is for admins here.
    pub only_yours: bool,
}
