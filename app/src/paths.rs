//! Every path of the console. The settings navigation is drawn from
//! [`Section::NAV`], so a new settings page is one constant and one
//! `Section` here and one `<Route>` in `crate::routes`. Nothing else spells
//! a path: links, redirects and the server's routes use these constants.
//!
//! Layer: platform.

/// AI & agents: the AI switch, training, model provider and activity.
pub const AI_SETTINGS: &str = "/settings/ai";
/// Members: people, roles and invitations.
pub const MEMBERS: &str = "/settings/members";
/// API access: the service tokens that read the policy API.
pub const API_ACCESS: &str = "/settings/api";
/// Your account: one's own password.
pub const ACCOUNT: &str = "/settings/account";
/// The Privacy page, for anyone.
pub const PRIVACY: &str = "/privacy";
/// "Download your data": the signed-in person's data as a JSON file
/// (served by the server crate, `server/src/personal_data.rs`).
pub const ACCOUNT_DATA: &str = "/settings/account/my-data.json";
/// Where an invitation link leads.
pub const JOIN: &str = "/join";
/// The sign-in page.
pub const SIGN_IN: &str = "/login";
/// The first admin's one-time setup page.
pub const SETUP: &str = "/setup";
/// Every page under it needs a signed-in person.
pub const SIGNED_IN_AREA: &str = "/settings";
/// Where sign-in sends people who were not heading anywhere.
pub const HOME: &str = AI_SETTINGS;

/// The policy API the product's AI services read; `{id}` is the
/// workspace's id.
pub const POLICY_API: &str = "/api/v1/workspaces/{id}/ai-policy";
/// The same policy as a stream of Server-Sent Events.
pub const POLICY_STREAM: &str = "/api/v1/workspaces/{id}/ai-policy/stream";
/// Where services report what they used (POST, service token).
pub const USAGE_API: &str = "/api/v1/workspaces/{id}/usage";
/// The OpenAPI description of the policy API.
pub const OPENAPI: &str = "/api/v1/openapi.json";
/// Liveness: the process answers.
pub const HEALTHZ: &str = "/healthz";
/// Readiness: the database answers and is migrated.
pub const READYZ: &str = "/readyz";

/// Characters escaped in a query value: everything but unreserved ones and
/// `/`, which keeps paths carried in `?next=` readable.
const QUERY_VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/');

/// Percent-encodes `value` for use in a URL query.
pub fn query_value(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, QUERY_VALUE).to_string()
}

/// The settings pages, as the left navigation lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    AiSettings,
    Members,
    ApiAccess,
    Account,
    /// A page outside the navigation (not found).
    None,
}

impl Section {
    /// The navigation, top to bottom.
    pub const NAV: [Section; 4] = [
        Section::AiSettings,
        Section::Members,
        Section::ApiAccess,
        Section::Account,
    ];

    /// Where the section's page is.
    pub fn path(self) -> &'static str {
        match self {
            Section::AiSettings => AI_SETTINGS,
            Section::Members => MEMBERS,
            Section::ApiAccess => API_ACCESS,
            Section::Account => ACCOUNT,
            Section::None => HOME,
        }
    }

    /// How the navigation names it.
    pub fn label(self) -> &'static str {
        match self {
            Section::AiSettings => "AI & agents",
            Section::Members => "Members",
            Section::ApiAccess => "API access",
            Section::Account => "Your account",
            Section::None => "",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_characters_in_query_values_are_escaped() {
        assert_eq!(query_value("/a?b=c&d e+é"), "/a%3Fb%3Dc%26d%20e%2B%C3%A9");
    }

    #[test]
    fn the_navigation_links_to_settings_pages_only() {
        for section in Section::NAV {
            assert!(section.path().starts_with(SIGNED_IN_AREA));
            assert!(!section.label().is_empty());
        }
    }
}
