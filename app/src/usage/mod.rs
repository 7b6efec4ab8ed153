//! The Usage section of the AI page: what the workspace's AI used and cost
//! this month, by feature, model and who paid, with the last 30 days drawn
//! as a server-rendered chart. Services report usage through the usage API
//! (`server/src/usage_api.rs`); this folder holds the checks, prices,
//! storage, service, server function and section.

#[cfg(feature = "ssr")]
pub mod prices;
#[cfg(feature = "ssr")]
pub mod rules;
mod section;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

pub use section::Usage;

use serde::{Deserialize, Serialize};

/// Totals of some events.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Line {
    pub events: i64,
    /// All input, cached included.
    pub input_tokens: i64,
    pub output_tokens: i64,
    /// Of the input, read from the provider's cache.
    pub cached_input_tokens: i64,
    /// Millionths of the currency, priced events only.
    pub cost_micros: i64,
    /// Events priced from the price table rather than by the service.
    pub estimated_events: i64,
    /// Events of models without a price: counted in tokens only.
    pub unpriced_events: i64,
    /// Their tokens, in and out: spend they are missing from.
    pub unpriced_tokens: i64,
}

impl Line {
    /// Adds `other`'s totals to these.
    pub fn add(&mut self, other: &Line) {
        self.events += other.events;
        self.input_tokens += other.input_tokens;
        self.output_tokens += other.output_tokens;
        self.cached_input_tokens += other.cached_input_tokens;
        self.cost_micros += other.cost_micros;
        self.estimated_events += other.estimated_events;
        self.unpriced_events += other.unpriced_events;
        self.unpriced_tokens += other.unpriced_tokens;
    }
}

/// This month's lines, each list most expensive first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breakdown {
    pub feature: Vec<(String, Line)>,
    pub model: Vec<(String, Line)>,
    pub paid_by: Vec<(String, Line)>,
    /// Measured by the gateway, reported by services.
    pub source: Vec<(String, Line)>,
}

/// What the Usage section shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageSnapshot {
    pub currency: crate::domain::Currency,
    /// The IANA time zone days and months are counted in.
    pub time_zone: String,
    /// "November 2026".
    pub month: String,
    pub total: Line,
    pub by: Breakdown,
    /// The last 30 days, oldest first: (YYYY-MM-DD, spend in millionths).
    pub days: Vec<(String, i64)>,
}

#[cfg(feature = "ssr")]
pub use crate::state::UsageConfig;
