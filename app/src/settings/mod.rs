//! The workspace's AI switches: storage, rules and the server functions the
//! page calls.

mod error;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

pub use error::{LoadError, SaveError};
