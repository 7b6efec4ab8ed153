//! What answers leave to write: each token's last use, at most once a
//! minute, and the audit entry of a key's first disclosure to a token with
//! the count of answers it covers.

use super::{unavailable, LivePolicy};
use crate::activity::log as audit;
use crate::api_access::service::PolicyError;
use crate::api_access::service::{self as store, TokenRecord};
use crate::model_provider::KeyRecord;
use crate::state::AppState;

impl LivePolicy {
    /// Writes down what answers left in memory: each token's last use and
    /// how many answers each disclosure entry covers. Runs every minute;
    /// what fails to be written is kept for the next time.
    pub async fn flush(&self, state: &AppState) -> Result<(), sqlx::Error> {
        let (last_used, counted) = {
            let mut usage = self.usage_lock();
            let last_used = std::mem::take(&mut usage.last_used);
            let counted: Vec<((String, String), i64)> = usage
                .disclosed
                .iter_mut()
                .filter(|(_, answers)| **answers > 0)
                .map(|(key, answers)| (key.clone(), std::mem::take(answers)))
                .collect();
            (last_used, counted)
        };
        let mut failed = None;
        for (token_id, at) in &last_used {
            let noted = crate::db::commit(state, async |tx| {
                store::note_last_use(tx, token_id, *at).await
            })
            .await;
            if let Err(error) = noted {
                failed = Some(error);
                self.usage_lock()
                    .last_used
                    .entry(token_id.clone())
                    .or_insert(*at);
            }
        }
        for ((token_id, key_id), answers) in counted {
            let counted = crate::db::commit(state, async |tx| {
                count_disclosures(tx, &token_id, &key_id, answers).await
            })
            .await;
            if let Err(error) = counted {
                failed = Some(error);
                *self
                    .usage_lock()
                    .disclosed
                    .entry((token_id, key_id))
                    .or_default() += answers;
            }
        }
        failed.map_or(Ok(()), Err)
    }
}

/// Audits that `key` went to `token` for the first time (in any process:
/// the row in `key_disclosures` decides), counting this answer.
pub(super) async fn record_disclosure(
    state: &AppState,
    token: &TokenRecord,
    key: &KeyRecord,
    at: i64,
) -> Result<(), PolicyError> {
    let written = crate::db::write(state, async |tx| {
        if store::claim_disclosure(tx, &token.id, &key.id).await? {
            let what = format!("…{} sent to service token “{}”", key.last4, token.name);
            let entry = audit::record_counted(
                tx,
                audit::NewEntry {
                    workspace: &token.workspace,
                    at,
                    actor_id: None,
                    actor_name: &format!("Service token “{}”", token.name),
                    subject: "Model provider key",
                    old_value: None,
                    new_value: Some(&what),
                },
            )
            .await?;
            store::link_disclosure(tx, &token.id, &key.id, entry).await?;
        } else {
            count_disclosures(tx, &token.id, &key.id, 1).await?;
        }
        Ok(Ok::<(), PolicyError>(()))
    })
    .await;
    written.map_err(unavailable("auditing a key disclosure"))?
}

/// Adds `answers` to the count of the audit entry that recorded the
/// disclosure of `key_id` to `token_id`.
async fn count_disclosures(
    tx: &mut crate::db::Tx<'_>,
    token_id: &str,
    key_id: &str,
    answers: i64,
) -> Result<(), sqlx::Error> {
    match store::disclosure_entry(tx, token_id, key_id).await? {
        Some(entry) => audit::count_answers(tx, entry, answers).await,
        None => Ok(()),
    }
}
