//! Rules shared by several screens, free of I/O so tests reach them without
//! a database or a browser: plans, roles, money, timestamps and setting
//! versions.
//! Each screen's own rules live in its folder (`rules.rs`).
//!
//! Layer: domain.

#[cfg(feature = "ssr")]
mod former_person;
mod ids;
mod money;
mod plan;
mod role;
pub mod time;
mod versions;
mod workspace;

#[cfg(feature = "ssr")]
pub use former_person::FormerPerson;
pub use ids::{TokenId, UserId};
pub use money::{Currency, Money};
pub use plan::{Plan, PlanParseError, TrainingControl};
pub use role::Role;
pub use versions::{LastChange, SettingVersion};
pub use workspace::WorkspaceId;
