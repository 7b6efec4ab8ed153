//! The rules of the "AI & agents" settings, free of I/O so tests reach them
//! without a database or a browser. Server functions and the page only ask
//! these types what is allowed and what a setting means.

mod ai_settings;
pub mod credentials;
pub mod fixed;
pub mod membership;
mod plan;
pub mod provider;
mod role;
pub mod throttle;
pub mod time;

pub use ai_settings::{
    on_off, AiSettings, LastChange, SavedSwitch, SettingVersion, SwitchSetting, SwitchVersions,
};
pub use plan::{Plan, PlanParseError, TrainingControl};
pub use role::{Role, Viewer};
