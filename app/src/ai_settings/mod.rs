//! The AI & agents page: the workspace's AI switch and training choice,
//! with the model provider and activity sections around them. This folder
//! holds the page, the switch island, the switches' rules, storage,
//! service, server functions and refusals.

mod error;
pub mod fixed;
pub mod notice;
mod page;
pub mod rules;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
mod switch;
mod training_notice;

pub use error::SaveError;
pub use page::AiSettingsPage;
pub use rules::{on_off, AiSettings, SavedSwitch, SwitchSetting, SwitchVersions};
