//! Asks the provider whether a key works before anything is saved: one
//! cheap authenticated request (listing models), with a short timeout and
//! no redirects followed, so the key is only ever sent to the URL shown
//! on the page.

use crate::model_provider::rules::KeyProvider;
use secrecy::{ExposeSecret, SecretString};
use std::time::Duration;

/// What the provider said about a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Accepted,
    /// 401 or 403: the provider does not take this key.
    Rejected,
    /// The provider answered, but neither yes nor no (429, 5xx, …).
    Failed(u16),
    Unreachable,
    TimedOut,
}

/// Asks the provider to list its models with `key`: accepted keys can.
pub async fn verify(
    provider: KeyProvider,
    base_url: &str,
    key: &SecretString,
    timeout: Duration,
) -> Verdict {
    let client = match reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
    {
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
            200..=299 => Verdict::Accepted,
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
