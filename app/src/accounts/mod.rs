//! Accounts: the sign-in page, the first admin's one-time setup page and
//! "Your account"; users, passwords, sessions and who may sign in.

mod account_page;
#[cfg(feature = "ssr")]
pub mod attempts;
#[cfg(feature = "ssr")]
pub mod client;
pub mod credentials;
mod error;
#[cfg(feature = "ssr")]
pub mod password;
pub mod personal_data;
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
pub mod single_sign_on;
#[cfg(feature = "ssr")]
pub mod store;
pub mod throttle;
#[cfg(feature = "ssr")]
pub mod tokens;
pub mod typed_input;

pub use account_page::AccountPage;
pub use error::AuthError;
pub use server_fns::AccountSummary;
pub use setup_page::SetupPage;
pub use sign_in_page::SignInPage;

use crate::paths::HOME;

crate::notices! {
    /// A change on "Your account" that worked.
    pub enum AccountNotice {
        Profile = "profile" => "Your name and e-mail address were saved.",
    }
}

/// Only our own paths are followed after sign-in, so a crafted link
/// cannot send someone to another site. Browsers forgive a lot in a
/// `Location` (they drop tabs and newlines, read `\` as `/`), so the path
/// must be plain printable ASCII, start with one `/`, and stay on this
/// origin once resolved by a URL parser.
pub fn safe_next(next: Option<&str>) -> &str {
    let Some(path) = next else {
        return HOME;
    };
    let plain = path.starts_with('/')
        && !path.starts_with("//")
        && path.len() <= 2048
        && path.chars().all(|c| c.is_ascii_graphic() && c != '\\');
    let base = url::Url::parse("http://console.invalid/");
    let same_origin = match (&base, base.as_ref().map(|base| base.join(path))) {
        (Ok(base), Ok(Ok(resolved))) => resolved.origin() == base.origin(),
        _ => false,
    };
    if plain && same_origin {
        path
    } else {
        HOME
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
        assert_eq!(
            safe_next(Some("/settings/members#top")),
            "/settings/members#top"
        );
        assert_eq!(safe_next(None), HOME);
    }

    #[test]
    fn known_ways_out_of_the_origin_lead_home() {
        for crafted in [
            "//evil.example/",
            "https://evil.example/",
            "/\\evil.example",
            "\\/evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "/ /evil.example",
            "\t//evil.example",
            "javascript:alert(1)",
            "/\u{0}x",
            "/\u{7f}x",
            "/\u{202e}x",
            "http:/evil.example",
            "evil.example",
            "",
        ] {
            assert_eq!(safe_next(Some(crafted)), HOME, "{crafted:?}");
        }
    }

    #[test]
    fn encoded_slashes_stay_paths_on_this_origin() {
        // `/%2F/evil.example` is a path here, never a host.
        assert_eq!(safe_next(Some("/%2F/evil.example")), "/%2F/evil.example");
        assert_eq!(safe_next(Some("/%5C/evil.example")), "/%5C/evil.example");
    }
}
