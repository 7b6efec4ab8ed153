//! Asks the provider whether a key works before anything is saved: one
//! cheap authenticated request (listing models), with a short timeout and
//! no redirects followed, so the key is only ever sent to the URL shown
//! on the page.
//!
//! A base URL an admin typed could point anywhere the server can reach,
//! which would make the form a scanner for internal services. So its host
//! is resolved first, private, loopback and link-local addresses are
//! refused unless the operator allowed their range, and the request goes
//! to the very address that was checked (a second DNS answer cannot swap
//! it). Every way of not getting through once connecting reads the same
//! to the admin; an address refused before connecting says so, naming
//! the setting that allows its range.

use crate::model_provider::rules::KeyProvider;
use ipnet::IpNet;
use secrecy::{ExposeSecret, SecretString};
use std::net::{IpAddr, SocketAddr};
use std::sync::LazyLock;
use std::time::Duration;

/// What the provider said about a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The key works; the models the provider listed for it.
    Accepted(Vec<String>),
    /// 401 or 403: the provider does not take this key.
    Rejected,
    /// The provider answered, but neither yes nor no (429, 5xx, …).
    Failed(u16),
    Unreachable,
    TimedOut,
    /// The address is on a private network the operator did not allow.
    Blocked,
    /// The model list is larger than the console reads.
    ListTooLarge,
}

/// Where a verification may go.
#[derive(Debug, Clone, Copy)]
pub enum Destination<'a> {
    /// An endpoint from the operator's configuration: trusted as it is.
    Configured,
    /// A base URL an admin typed: public addresses, and private ranges
    /// only where the operator allowed them.
    Typed { allowed: &'a [IpNet] },
}

/// Ranges that are not the public internet.
static NOT_PUBLIC: LazyLock<Vec<IpNet>> = LazyLock::new(|| {
    [
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.168.0.0/16",
        "198.18.0.0/15",
        "224.0.0.0/3",
        "::/127",
        "::ffff:0:0/96",
        "64:ff9b::/96",
        "fc00::/7",
        "fe80::/10",
        "ff00::/8",
    ]
    .iter()
    .filter_map(|range| range.parse().ok())
    .collect()
});

/// Whether a verification may connect to `address`.
pub fn may_connect(address: IpAddr, allowed: &[IpNet]) -> bool {
    let address = match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
        v4 => v4,
    };
    allowed.iter().any(|range| range.contains(&address))
        || !NOT_PUBLIC.iter().any(|range| range.contains(&address))
}

/// The address a typed base URL's request goes to: the first of its
/// host's addresses the rules allow. `Err` with the verdict otherwise.
async fn checked_address(url: &url::Url, allowed: &[IpNet]) -> Result<SocketAddr, Verdict> {
    let port = url.port_or_known_default().ok_or(Verdict::Unreachable)?;
    let candidates: Vec<SocketAddr> = match url.host() {
        Some(url::Host::Ipv4(ip)) => vec![SocketAddr::new(ip.into(), port)],
        Some(url::Host::Ipv6(ip)) => vec![SocketAddr::new(ip.into(), port)],
        Some(url::Host::Domain(name)) => match tokio::net::lookup_host((name, port)).await {
            Ok(found) => found.collect(),
            Err(_) => return Err(Verdict::Unreachable),
        },
        None => return Err(Verdict::Unreachable),
    };
    candidates
        .into_iter()
        .find(|address| may_connect(address.ip(), allowed))
        .ok_or(Verdict::Blocked)
}

/// Asks the provider to list its models with `key`: accepted keys can.
/// Counted by outcome in `ai_console_key_verifications_total`.
pub async fn verify(
    provider: KeyProvider,
    base_url: &str,
    key: &SecretString,
    timeout: Duration,
    destination: Destination<'_>,
) -> Verdict {
    let verdict = ask_provider(provider, base_url, key, timeout, destination).await;
    let outcome = match verdict {
        Verdict::Accepted(_) => "accepted",
        Verdict::Rejected => "rejected",
        Verdict::Failed(_) => "failed",
        Verdict::Unreachable => "unreachable",
        Verdict::TimedOut => "timed_out",
        Verdict::Blocked => "blocked",
        Verdict::ListTooLarge => "list_too_large",
    };
    metrics::counter!("ai_console_key_verifications_total", "provider" => provider.key(), "outcome" => outcome)
        .increment(1);
    verdict
}

async fn ask_provider(
    provider: KeyProvider,
    base_url: &str,
    key: &SecretString,
    timeout: Duration,
    destination: Destination<'_>,
) -> Verdict {
    let mut builder = reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        .redirect(reqwest::redirect::Policy::none());
    if let Destination::Typed { allowed } = destination {
        let Ok(parsed) = url::Url::parse(base_url) else {
            return Verdict::Unreachable;
        };
        match checked_address(&parsed, allowed).await {
            Ok(address) => {
                if let Some(url::Host::Domain(name)) = parsed.host() {
                    builder = builder.resolve(name, address);
                }
            }
            Err(verdict) => {
                tracing::warn!(
                    provider = provider.key(),
                    "key verification refused: the base URL's host is on a private network \
                     (AI_CONSOLE_PRIVATE_MODEL_NETWORKS allows ranges)"
                );
                return verdict;
            }
        }
    }
    let client = match builder.build() {
        Ok(client) => client,
        Err(error) => {
            tracing::error!(%error, "building the HTTP client failed");
            return Verdict::Unreachable;
        }
    };
    let url = format!("{}/models", base_url.trim_end_matches('/'));
    let request = match provider {
        KeyProvider::Anthropic => client
            .get(&url)
            .header("x-api-key", key.expose_secret())
            .header("anthropic-version", "2023-06-01"),
        KeyProvider::OpenAi | KeyProvider::OpenAiCompatible => {
            client.get(&url).bearer_auth(key.expose_secret())
        }
    };
    match request.send().await {
        Ok(response) => match response.status().as_u16() {
            200..=299 => match read_at_most(response, LARGEST_LISTING).await {
                Some(body) => Verdict::Accepted(models_in(&body)),
                None => Verdict::ListTooLarge,
            },
            401 | 403 => Verdict::Rejected,
            other => Verdict::Failed(other),
        },
        Err(error) if error.is_timeout() => Verdict::TimedOut,
        Err(error) => {
            // reqwest's message names the URL, never the headers.
            tracing::warn!(%error, provider = provider.key(), "provider unreachable");
            Verdict::Unreachable
        }
    }
}

/// Most models kept from one listing, and the longest name.
const MOST_MODELS: usize = 500;
const LONGEST_MODEL_NAME: usize = 200;
/// The most of a model list read: real ones are tens of KiB, and an
/// endpoint answering without end must not fill the console's memory.
pub const LARGEST_LISTING: usize = 2 * 1024 * 1024;

/// The answer's body, `None` past `limit` bytes (or if it broke off).
async fn read_at_most(mut response: reqwest::Response, limit: usize) -> Option<Vec<u8>> {
    if response
        .content_length()
        .is_some_and(|length| length > limit as u64)
    {
        return None;
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.ok()? {
        if body.len() + chunk.len() > limit {
            tracing::warn!(
                limit,
                "the provider's model list is larger than the console reads"
            );
            return None;
        }
        body.extend_from_slice(&chunk);
    }
    Some(body)
}

/// The model ids of a `/models` answer (`{"data":[{"id":…},…]}`, as OpenAI,
/// Anthropic and compatible servers send it), sorted; names that could not
/// be shown as they are, and anything past the limits, are left out. An
/// answer of another shape lists none.
fn models_in(body: &[u8]) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct Listing {
        data: Vec<Model>,
    }
    #[derive(serde::Deserialize)]
    struct Model {
        id: String,
    }
    let Ok(listing) = serde_json::from_slice::<Listing>(body) else {
        tracing::warn!("the provider's model list was not in the expected shape");
        return Vec::new();
    };
    let mut models: Vec<String> = listing
        .data
        .into_iter()
        .map(|model| model.id)
        .filter(|id| {
            !id.is_empty()
                && id.len() <= LONGEST_MODEL_NAME
                && id.chars().all(|c| c.is_ascii_graphic())
        })
        .take(MOST_MODELS)
        .collect();
    models.sort();
    models.dedup();
    models
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn private_loopback_and_link_local_addresses_are_refused_by_default() {
        for address in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.9",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
        ] {
            assert!(!may_connect(ip(address), &[]), "{address}");
        }
        for address in ["93.184.216.34", "2606:2800:220:1::1", "8.8.8.8"] {
            assert!(may_connect(ip(address), &[]), "{address}");
        }
    }

    #[test]
    fn the_operator_can_allow_a_range_for_a_self_hosted_model_server() {
        let allowed: Vec<IpNet> = vec!["10.20.0.0/16".parse().unwrap()];
        assert!(may_connect(ip("10.20.3.4"), &allowed));
        assert!(!may_connect(ip("10.21.3.4"), &allowed));
        assert!(!may_connect(ip("127.0.0.1"), &allowed));
    }
}
