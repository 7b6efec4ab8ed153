//! The Budget section of the AI page: a monthly budget for the workspace's
//! AI spend, a warning threshold, and what happens when it is spent (warn
//! only, or AI off until the next month or a higher budget). Usage reports
//! settle the budget in their own transaction (see [`service::settle`]),
//! so each line is crossed once however many replicas ingest at once; the
//! operator's webhook hears of each crossing (see [`webhook`]). Admins see
//! a banner on every settings page from the warning on ([`BudgetBanner`]).

mod banner;
mod error;
pub mod rules;
mod section;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod webhook;

pub use banner::BudgetBanner;
pub use error::{BudgetError, BudgetNotice};
pub use rules::BudgetAlert;
pub use section::{Budget, TypedBudget};

use crate::domain::SettingVersion;
use rules::{MonthlyBudget, Standing};
use serde::{Deserialize, Serialize};

/// What the Budget section shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetStatus {
    pub budget: Option<MonthlyBudget>,
    pub standing: Option<Standing>,
    pub version: SettingVersion,
    /// "November 2026".
    pub month: String,
    /// "1 December 2026".
    pub next_month_begins: String,
    pub currency: crate::domain::Currency,
    pub time_zone: String,
    /// The budget keeps AI off now.
    pub stopping_ai: bool,
    /// Tokens this month of models without a price: the spend counted
    /// against the budget is short of what they cost.
    pub unpriced_tokens: i64,
    /// The host the operator's webhook posts to, if there is one.
    pub webhook_host: Option<String>,
    /// The latest notification's fate, in words (admins only).
    pub last_notification: Option<String>,
    pub can_change: bool,
}

/// The section's anchor on the AI page.
pub const BUDGET_SECTION: &str = "budget";
