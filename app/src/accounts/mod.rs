//! Accounts: who may sign in, with which role, and the first admin's
//! one-time setup.

#[cfg(feature = "ssr")]
pub mod client;
mod error;
#[cfg(feature = "ssr")]
pub mod password;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod session_store;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod tokens;

pub use error::AuthError;

/// Why a server function has nobody to act for. Each boundary error turns
/// it into its own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoActorReason {
    SignedOut,
    /// The session could not be read (logged where it happened).
    Unavailable,
}

/// Where sign-in sends people when they were not heading anywhere.
pub const HOME: &str = crate::outcome::SETTINGS_PAGE;
pub const LOGIN_PAGE: &str = "/login";
pub const SETUP_PAGE: &str = "/setup";
pub const ACCOUNT_PAGE: &str = "/settings/account";

/// Only our own absolute paths are followed after sign-in, so a crafted
/// link cannot send someone to another site (`//evil.example`, `https:…`).
pub fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path
        }
        _ => HOME,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(
            safe_next(Some("/settings/ai?saved=x")),
            "/settings/ai?saved=x"
        );
        assert_eq!(safe_next(Some("//evil.example/")), HOME);
        assert_eq!(safe_next(Some("https://evil.example/")), HOME);
        assert_eq!(safe_next(Some("/\\evil.example")), HOME);
        assert_eq!(safe_next(None), HOME);
    }
}
