//! Accounts: the sign-in page, the first admin's one-time setup page and
//! "Your account"; users, passwords, sessions and who may sign in.

mod account_page;
#[cfg(feature = "ssr")]
pub mod client;
pub mod credentials;
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
mod setup_page;
mod sign_in_page;
#[cfg(feature = "ssr")]
pub mod store;
pub mod throttle;
#[cfg(feature = "ssr")]
pub mod tokens;

pub use account_page::AccountPage;
pub use error::AuthError;
pub use setup_page::SetupPage;
pub use sign_in_page::SignInPage;

use crate::routes::HOME;

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
