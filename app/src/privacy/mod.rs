//! The Privacy page: how this deployment of the console handles the
//! personal data of the people who use it, built from its configuration
//! (operator, region, retention, model partners) rather than boilerplate,
//! with sections the operator adds from a Markdown file; and the banner
//! that tells signed-in people once when the notice changed.
//!
//! Layer: platform.

mod banner;
#[cfg(feature = "ssr")]
pub mod operator_sections;
mod page;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;

pub use banner::NoticeChangedBanner;
pub use page::PrivacyPage;

use serde::{Deserialize, Serialize};

/// The date this build's own notice text last changed in substance; an
/// operator's `AI_PRIVACY_NOTICE_UPDATED` takes its place.
pub const BUILT_IN_NOTICE_DATE: &str = "2026-11-25";

/// What the operator configured for the notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivacyConfig {
    /// Who runs this console (`AI_OPERATOR_NAME`).
    pub operator_name: Option<String>,
    /// Where to send privacy questions (`AI_OPERATOR_CONTACT`).
    pub operator_contact: Option<String>,
    /// `YYYY-MM-DD`: the notice's "last updated" and its version; moving
    /// it on tells every signed-in person once (`AI_PRIVACY_NOTICE_UPDATED`).
    pub updated: String,
    /// Sections from `AI_PRIVACY_NOTICE_FILE`, already rendered.
    pub operator_sections: Vec<OperatorSection>,
}

impl Default for PrivacyConfig {
    fn default() -> Self {
        PrivacyConfig {
            operator_name: None,
            operator_contact: None,
            updated: BUILT_IN_NOTICE_DATE.to_string(),
            operator_sections: Vec::new(),
        }
    }
}

/// A section of the operator's: its heading and its body as HTML made on
/// the server from Markdown (no HTML of the file's own passes through).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperatorSection {
    /// `None` for text before the file's first `## ` heading.
    pub heading: Option<String>,
    pub html: String,
}

/// A model partner the workspace's AI requests go to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelPartner {
    pub name: String,
    /// "in the EU"; where that is not known, says so.
    pub processed: String,
    /// Requests leave the workspace's region (or may: unknown endpoint).
    pub crosses_border: bool,
}

/// How long each kind of record is kept, as the page states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionFacts {
    pub audit_days: i64,
    pub invitation_days: i64,
    pub usage_days: i64,
    pub idle_minutes: i64,
    pub absolute_hours: i64,
    pub failure_minutes: i64,
}

/// Everything the Privacy page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivacyNotice {
    pub updated: String,
    pub operator_name: Option<String>,
    pub operator_contact: Option<String>,
    /// "the EU": where the console and its database keep data.
    pub region: String,
    pub partners: Vec<ModelPartner>,
    pub retention: RetentionFacts,
    pub cookie_name: String,
    /// The identity provider's issuer, when people sign in through one.
    pub sign_on_issuer: Option<String>,
    pub budget_webhook: bool,
    pub operator_sections: Vec<OperatorSection>,
}

/// The banner's words: "The privacy notice changed on 2026-11-25."
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeChange {
    pub version: String,
}
