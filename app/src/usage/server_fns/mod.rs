//! The door from the page's Usage section to the usage service.

mod load_usage;

pub use load_usage::{load_usage, LoadUsage};
