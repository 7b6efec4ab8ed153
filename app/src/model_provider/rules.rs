//! Who serves a workspace's AI and where its requests are processed: the
//! managed provider, or the workspace's own key for OpenAI, Anthropic or an
//! OpenAI-compatible endpoint. Free of I/O: the routing table, the plan
//! gate and what a key or base URL must look like.
//!
//! Layer: domain.

use crate::domain::Plan;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a workspace's data is processed, fixed by the deployment
/// (`AI_REGION`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Region {
    #[default]
    Us,
    Eu,
}

impl Region {
    /// Every region.
    pub const ALL: [Region; 2] = [Region::Us, Region::Eu];

    /// How the configuration and the policy API name the region.
    pub fn config_name(self) -> &'static str {
        match self {
            Region::Us => "us",
            Region::Eu => "eu",
        }
    }

    /// The region a configuration value names.
    pub fn from_config(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|region| region.config_name() == name.trim().to_lowercase())
    }

    /// "the United States", "the EU": as used in a sentence.
    pub fn in_words(self) -> &'static str {
        match self {
            Region::Us => "the United States",
            Region::Eu => "the EU",
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Region::Us => "US",
            Region::Eu => "EU",
        })
    }
}

/// A provider a workspace can bring its own key for.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
pub enum KeyProvider {
    #[strum(serialize = "openai")]
    OpenAi,
    #[strum(serialize = "anthropic")]
    Anthropic,
    /// Any endpoint speaking OpenAI's API: a gateway, Azure OpenAI, a
    /// self-hosted model server. The admin gives its base URL.
    #[strum(serialize = "openai_compatible")]
    OpenAiCompatible,
}

impl KeyProvider {
    /// Every provider a workspace key can be for.
    pub const ALL: &'static [KeyProvider] = <KeyProvider as strum::VariantArray>::VARIANTS;

    /// How it is stored and posted by forms.
    pub fn key(self) -> &'static str {
        self.into()
    }

    /// The provider a stored key names.
    pub fn from_key(key: &str) -> Option<Self> {
        key.parse().ok()
    }

    /// How the page names the provider.
    pub fn label(self) -> &'static str {
        match self {
            KeyProvider::OpenAi => "OpenAI",
            KeyProvider::Anthropic => "Anthropic",
            KeyProvider::OpenAiCompatible => "OpenAI-compatible endpoint",
        }
    }
}

/// The base URLs of the providers' APIs. The public endpoints are the
/// defaults; operators (and tests, with a fake provider on loopback) can
/// point each elsewhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderEndpoints {
    pub openai: String,
    /// OpenAI's data-residency endpoint for Europe.
    pub openai_eu: String,
    pub anthropic: String,
}

impl Default for ProviderEndpoints {
    fn default() -> Self {
        ProviderEndpoints {
            openai: "https://api.openai.com/v1".into(),
            openai_eu: "https://eu.api.openai.com/v1".into(),
            anthropic: "https://api.anthropic.com/v1".into(),
        }
    }
}

/// Where a workspace's requests are processed, relative to its region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Processing {
    InRegion(Region),
    /// The provider processes requests in another region.
    LeavesRegion {
        from: Region,
        to: Region,
    },
    /// A custom endpoint: we cannot know where it processes requests.
    Unknown,
}

/// Where requests go and where they are processed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Route {
    pub base_url: String,
    pub processing: Processing,
}

/// The route for the managed provider (`None`) or a workspace key for
/// `provider` (with the custom base URL for an OpenAI-compatible one).
/// The managed provider and OpenAI keys use OpenAI's EU endpoint for EU
/// workspaces; Anthropic offers no EU processing, so EU requests leave.
pub fn route(
    provider: Option<KeyProvider>,
    custom_base_url: Option<&str>,
    region: Region,
    endpoints: &ProviderEndpoints,
) -> Route {
    let openai = || match region {
        Region::Us => endpoints.openai.clone(),
        Region::Eu => endpoints.openai_eu.clone(),
    };
    match provider {
        None | Some(KeyProvider::OpenAi) => Route {
            base_url: openai(),
            processing: Processing::InRegion(region),
        },
        Some(KeyProvider::Anthropic) => Route {
            base_url: endpoints.anthropic.clone(),
            processing: match region {
                Region::Us => Processing::InRegion(Region::Us),
                Region::Eu => Processing::LeavesRegion {
                    from: Region::Eu,
                    to: Region::Us,
                },
            },
        },
        Some(KeyProvider::OpenAiCompatible) => Route {
            base_url: custom_base_url.unwrap_or_default().to_string(),
            processing: Processing::Unknown,
        },
    }
}

impl Plan {
    /// Bringing your own key is an Enterprise feature.
    pub fn allows_own_key(self) -> bool {
        self == Plan::Enterprise
    }
}

/// Shorter than any provider's keys.
pub const MIN_KEY_CHARS: usize = 8;
/// Longer than any provider's keys.
pub const MAX_KEY_CHARS: usize = 512;

/// What is wrong with a pasted key or base URL, as an instruction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum KeyProblem {
    #[error("paste the API key")]
    Missing,
    #[error("check the key: it is shorter than any provider's keys")]
    TooShort,
    #[error("check the key: it is longer than 512 characters")]
    TooLong,
    #[error("check the key: it contains spaces or characters keys never have")]
    BadCharacters,
    #[error("enter the endpoint's base URL, like https://gateway.example.com/v1")]
    BaseUrlMissing,
    #[error("use an https:// base URL (plain http only to this machine), without user name, password, query or fragment")]
    BaseUrlInvalid,
}

/// Checks the shape of a pasted key. Any prefix is accepted: providers,
/// gateways and Azure all use different ones.
pub fn check_key(key: &str) -> Result<(), KeyProblem> {
    let key = key.trim();
    let length = key.chars().count();
    if length == 0 {
        return Err(KeyProblem::Missing);
    }
    if length < MIN_KEY_CHARS {
        return Err(KeyProblem::TooShort);
    }
    if length > MAX_KEY_CHARS {
        return Err(KeyProblem::TooLong);
    }
    if !key.chars().all(|c| c.is_ascii_graphic()) {
        return Err(KeyProblem::BadCharacters);
    }
    Ok(())
}

/// The last four characters, all a page ever shows of a key.
pub fn last4(key: &str) -> String {
    let key = key.trim();
    let chars: Vec<char> = key.chars().collect();
    chars[chars.len().saturating_sub(4)..].iter().collect()
}

/// Checks and normalises a custom base URL (no trailing slash). Plain
/// http is allowed only to this machine, so a key never crosses a network
/// unencrypted.
pub fn check_base_url(input: &str) -> Result<String, KeyProblem> {
    let input = input.trim().trim_end_matches('/');
    if input.is_empty() {
        return Err(KeyProblem::BaseUrlMissing);
    }
    // The parser forgives what a browser forgives (backslashes, spaces,
    // extra slashes); a base URL that needed forgiving is refused instead
    // (`https:///v1` would become host `v1`).
    let plain = input.len() <= 300
        && input.chars().all(|c| c.is_ascii_graphic() && c != '\\')
        && !input.contains(":///");
    let url = url::Url::parse(input).map_err(|_| KeyProblem::BaseUrlInvalid)?;
    let loopback = match url.host() {
        Some(url::Host::Domain(name)) => name == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    let scheme_ok = url.scheme() == "https" || (url.scheme() == "http" && loopback);
    let clean = url.host().is_some()
        && url.username().is_empty()
        && url.password().is_none()
        && url.query().is_none()
        && url.fragment().is_none();
    if plain && scheme_ok && clean {
        Ok(input.to_string())
    } else {
        Err(KeyProblem::BaseUrlInvalid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn routed(provider: Option<KeyProvider>, region: Region) -> Route {
        route(
            provider,
            Some("https://gw.example.com/v1"),
            region,
            &ProviderEndpoints::default(),
        )
    }

    #[test]
    fn the_residency_routing_table() {
        use KeyProvider::*;
        let table = [
            (
                None,
                Region::Us,
                "https://api.openai.com/v1",
                Processing::InRegion(Region::Us),
            ),
            (
                None,
                Region::Eu,
                "https://eu.api.openai.com/v1",
                Processing::InRegion(Region::Eu),
            ),
            (
                Some(OpenAi),
                Region::Us,
                "https://api.openai.com/v1",
                Processing::InRegion(Region::Us),
            ),
            (
                Some(OpenAi),
                Region::Eu,
                "https://eu.api.openai.com/v1",
                Processing::InRegion(Region::Eu),
            ),
            (
                Some(Anthropic),
                Region::Us,
                "https://api.anthropic.com/v1",
                Processing::InRegion(Region::Us),
            ),
            (
                Some(Anthropic),
                Region::Eu,
                "https://api.anthropic.com/v1",
                Processing::LeavesRegion {
                    from: Region::Eu,
                    to: Region::Us,
                },
            ),
            (
                Some(OpenAiCompatible),
                Region::Us,
                "https://gw.example.com/v1",
                Processing::Unknown,
            ),
            (
                Some(OpenAiCompatible),
                Region::Eu,
                "https://gw.example.com/v1",
                Processing::Unknown,
            ),
        ];
        for (provider, region, base_url, processing) in table {
            assert_eq!(
                routed(provider, region),
                Route {
                    base_url: base_url.into(),
                    processing
                },
                "{provider:?} in {region:?}"
            );
        }
    }

    #[test]
    fn only_enterprise_brings_its_own_key() {
        assert!(Plan::Enterprise.allows_own_key());
        assert!(!Plan::Team.allows_own_key());
        assert!(!Plan::Community.allows_own_key());
    }

    #[test]
    fn keys_are_checked_by_shape_never_by_prefix() {
        assert_eq!(check_key("sk-proj-abcdefgh1234"), Ok(()));
        assert_eq!(check_key("sk-ant-api03-abcdefgh"), Ok(()));
        assert_eq!(check_key("0123456789abcdef0123"), Ok(()), "Azure-style key");
        assert_eq!(check_key("  "), Err(KeyProblem::Missing));
        assert_eq!(check_key("sk-1"), Err(KeyProblem::TooShort));
        assert_eq!(check_key("sk-abc def-ghi"), Err(KeyProblem::BadCharacters));
        assert_eq!(check_key(&"k".repeat(513)), Err(KeyProblem::TooLong));
    }

    #[test]
    fn only_the_last_four_characters_are_shown() {
        assert_eq!(last4(" sk-proj-abcdefgh1234 "), "1234");
        assert_eq!(last4("abc"), "abc");
    }

    #[test]
    fn base_urls_must_be_https_unless_on_this_machine() {
        assert_eq!(
            check_base_url("https://gw.example.com/v1/"),
            Ok("https://gw.example.com/v1".into())
        );
        assert_eq!(
            check_base_url("http://127.0.0.1:8080/v1"),
            Ok("http://127.0.0.1:8080/v1".into())
        );
        assert_eq!(check_base_url(""), Err(KeyProblem::BaseUrlMissing));
        for bad in [
            "http://gw.example.com/v1",
            "ftp://gw.example.com",
            "https://user:pw@gw.example.com",
            "https://gw.example.com/v1?key=x",
            "gw.example.com",
            "https:///v1",
        ] {
            assert_eq!(
                check_base_url(bad),
                Err(KeyProblem::BaseUrlInvalid),
                "{bad}"
            );
        }
    }
}
