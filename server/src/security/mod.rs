//! Protections every response and every state-changing request pass
//! through, whichever route serves them.

pub mod cross_site;
pub mod headers;
pub mod host;
