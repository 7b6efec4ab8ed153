//! Notifying the operator's webhook of each budget line crossed. The
//! notification is queued in the transaction that crossed the line (see
//! `service::settle`), then posted here by whichever replica claims it
//! first, signed, and retried with growing pauses; a failure is logged and
//! shown on the page, and never holds up a usage report.
//!
//! The signature: `X-AI-Console-Signature: t=<unix seconds>,v1=<hex>`,
//! where `<hex>` is HMAC-SHA256 under the shared secret of `"<t>.<body>"`.
//! Receivers recompute it, compare in constant time, and refuse old `t`.

use super::store::{self, Notification};
use crate::state::AppState;
use hmac::{Hmac, Mac};
use secrecy::ExposeSecret;
use sha2::Sha256;
use std::time::Duration;

/// The signature header.
pub const SIGNATURE_HEADER: &str = "x-ai-console-signature";
/// The notification's kind (`budget.warning`, `budget.exhausted`).
pub const EVENT_HEADER: &str = "x-ai-console-event";
/// The notification's id: the same on every retry, for receivers to
/// ignore a repeat.
pub const DELIVERY_HEADER: &str = "x-ai-console-delivery";

/// Attempts before giving up.
pub const MOST_ATTEMPTS: i64 = 8;
/// How long a replica holds a notification it is sending.
const LEASE_SECS: i64 = 60;
/// How long the receiver has to answer.
const TIMEOUT: Duration = Duration::from_secs(10);
/// How often due retries are looked for, besides being woken at once
/// when this process queues a notification.
const LOOK_EVERY: Duration = Duration::from_secs(5);

pub use crate::state::BudgetWebhook;

/// The pause after the `attempts`-th failure: 10 s, 30 s, 2 min, 10 min,
/// 30 min, then hourly.
pub fn retry_after(attempts: i64) -> i64 {
    match attempts {
        ..=1 => 10,
        2 => 30,
        3 => 120,
        4 => 600,
        5 => 1800,
        _ => 3600,
    }
}

/// `t=<timestamp>,v1=<hex HMAC-SHA256 of "<timestamp>.<body>">`.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    // HMAC takes a key of any length.
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(format!("{timestamp}.{body}").as_bytes());
    let digest = hex::encode(mac.finalize().into_bytes());
    format!("t={timestamp},v1={digest}")
}

/// Posts one notification; the error in words fit for the page.
async fn send(
    client: &reqwest::Client,
    webhook: &BudgetWebhook,
    notification: &Notification,
    now: i64,
) -> Result<(), String> {
    let answer = client
        .post(webhook.url.clone())
        .header("content-type", "application/json")
        .header(EVENT_HEADER, &notification.kind)
        .header(DELIVERY_HEADER, &notification.id)
        .header(
            SIGNATURE_HEADER,
            signature(webhook.secret.expose_secret(), now, &notification.body),
        )
        .body(notification.body.clone())
        .send()
        .await;
    match answer {
        Ok(answer) if answer.status().is_success() => Ok(()),
        Ok(answer) => Err(format!(
            "the receiver answered HTTP {}",
            answer.status().as_u16()
        )),
        Err(error) if error.is_timeout() => Err(format!(
            "the receiver did not answer within {} s",
            TIMEOUT.as_secs()
        )),
        Err(_) => Err("the receiver could not be reached".into()),
    }
}

/// Sends every notification due now; returns how many were tried.
pub async fn deliver_due(state: &AppState) -> Result<usize, sqlx::Error> {
    let Some(webhook) = &state.deployment.usage.budget_webhook else {
        return Ok(0);
    };
    let client = match reqwest::Client::builder()
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
    {
        Ok(client) => client,
        Err(error) => {
            tracing::error!(%error, "the webhook client could not be built");
            return Ok(0);
        }
    };
    let mut tried = 0;
    loop {
        let now = state.clock.now();
        let claimed = crate::db::commit(state, async |tx| {
            store::claim_due(tx, now, LEASE_SECS).await
        })
        .await?;
        let Some(notification) = claimed else {
            return Ok(tried);
        };
        tried += 1;
        let outcome = send(&client, webhook, &notification, now).await;
        crate::db::commit(state, async |tx| match &outcome {
            Ok(()) => {
                tracing::info!(id = %notification.id, kind = %notification.kind, "budget notification delivered");
                store::delivered(tx, &notification.id, state.clock.now()).await
            }
            Err(problem) => {
                let attempts = notification.attempts + 1;
                let retry_at = (attempts < MOST_ATTEMPTS).then(|| now + retry_after(attempts));
                tracing::warn!(id = %notification.id, kind = %notification.kind, attempts, problem, "budget notification not delivered");
                store::failed(tx, &notification.id, now, problem, retry_at).await
            }
        })
        .await?;
    }
}

/// Delivers notifications for as long as the process runs: at once when
/// this process queues one, and every few seconds for retries and other
/// replicas' notifications.
pub async fn deliver_forever(state: AppState) {
    loop {
        if let Err(error) = deliver_due(&state).await {
            tracing::error!(%error, "delivering budget notifications failed; trying again shortly");
        }
        tokio::select! {
            () = state.budget_webhook_wake.notified() => {}
            () = tokio::time::sleep(LOOK_EVERY) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_hmac_sha256_of_the_timestamp_and_body() {
        // Computed independently (Python's hmac module).
        assert_eq!(
            signature("whsec-test", 1_700_000_000, r#"{"type":"budget.warning"}"#),
            "t=1700000000,v1=87e899f1e16ca7acf288f1b1298324a7a9a7d80a8c74cfe645045f1f10433e21"
        );
        assert_ne!(
            signature("whsec-test", 1_700_000_001, r#"{"type":"budget.warning"}"#),
            signature("whsec-test", 1_700_000_000, r#"{"type":"budget.warning"}"#),
            "the timestamp is signed too"
        );
    }

    #[test]
    fn retries_pause_longer_each_time() {
        let pauses: Vec<i64> = (1..=MOST_ATTEMPTS).map(retry_after).collect();
        assert!(pauses.windows(2).all(|pair| pair[0] <= pair[1]));
        assert_eq!(pauses[0], 10);
        assert_eq!(*pauses.last().unwrap(), 3600);
    }
}
