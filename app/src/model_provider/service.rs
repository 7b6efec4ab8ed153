//! Model-provider rules: who may change it, on which plan, verified before
//! saved, sealed at rest, the previous key kept through a grace period,
//! every change audited in its transaction. Storage failures are logged
//! here and leave as `Unavailable`; the key itself is never logged.

use super::cipher::{associated_data, associated_data_before_base_urls, MasterKeys, OpenError};
use super::rules::{check_base_url, check_key, last4, route, KeyProvider, Route};
use super::verify::{verify, Destination, Verdict};
use super::{
    store, OwnKey, ProviderError, ProviderNotice, ProviderSnapshot, RetiringKey, PROVIDER_SETTING,
};
use crate::accounts::session::{Actor, Admin};
use crate::accounts::tokens;
use crate::activity::log as audit;
use crate::db::versions::{claim_version, version_of};
use crate::db::{Pool, Tx};
use crate::domain::WorkspaceId;
use crate::state::AppState;
use secrecy::{ExposeSecret, SecretString};

fn describe(key: Option<&store::KeyRecord>) -> String {
    match key {
        Some(key) => format!("{} key …{}", key.provider.label(), key.last4),
        None => "Managed provider".into(),
    }
}

/// What the page shows of the workspace's model provider (whether the
/// admins chose models of their own is the Models section's to say).
pub async fn snapshot(state: &AppState, actor: &Actor) -> Result<ProviderSnapshot, ProviderError> {
    let config = &state.deployment.providers;
    let now = state.clock.now();
    let current = store::current(&state.pool, &actor.workspace)
        .await
        .map_err(ProviderError::logged("loading the provider key"))?;
    let retiring = store::retiring(&state.pool, &actor.workspace, now)
        .await
        .map_err(ProviderError::logged("loading the replaced provider key"))?;
    let version = version_of(&state.pool, &actor.workspace, PROVIDER_SETTING)
        .await
        .map_err(ProviderError::logged("loading the provider version"))?;
    let serving = route(
        current.as_ref().map(|key| key.provider),
        current.as_ref().and_then(|key| key.base_url.as_deref()),
        config.region,
        &config.endpoints,
    );
    let choices = KeyProvider::ALL
        .iter()
        .copied()
        .map(|provider| {
            let routed = route(Some(provider), None, config.region, &config.endpoints);
            (provider, routed)
        })
        .collect();
    Ok(ProviderSnapshot {
        plan: state.deployment.plan,
        region: config.region,
        current: current.map(|key| OwnKey {
            provider: key.provider,
            base_url: key.base_url,
            last4: key.last4,
            added_by: key.added_by_name,
            added_at: key.added_at,
            verified_at: key.verified_at,
        }),
        route: serving,
        // The Models section's to say: filled in by the section's door.
        models_customized: false,
        retiring: retiring.and_then(|key| {
            Some(RetiringKey {
                last4: key.last4,
                usable_until: key.usable_until?,
            })
        }),
        choices,
        version: version.version,
        last_change: version.last_change,
        can_change: Admin::check(actor.clone()).is_ok(),
        grace_hours: config.grace_secs / 3600,
    })
}

/// A key an admin pasted into the form.
pub struct KeyForm<'a> {
    pub provider: KeyProvider,
    pub key: SecretString,
    pub base_url: Option<&'a str>,
    /// The provider setting's version the admin's page showed.
    pub based_on: i64,
    /// The admin ticked that a key for another provider resets the
    /// models they chose.
    pub models_reset_confirmed: bool,
}

/// Who serves a workspace, for telling whether a new key changes provider:
/// the managed provider is OpenAI's.
fn family(provider: Option<KeyProvider>) -> KeyProvider {
    provider.unwrap_or(KeyProvider::OpenAi)
}

/// A key the provider accepted, sealed and ready to store.
pub struct VerifiedKey {
    id: String,
    provider: KeyProvider,
    base_url: Option<String>,
    sealed: super::cipher::Sealed,
    last4: String,
    /// The models the provider offers with it.
    pub offered: Vec<String>,
    based_on: i64,
}

/// The provider that serves `workspace` now: its own key's, or the
/// managed one (OpenAI's).
pub async fn serving_family(
    db: &mut sqlx::AnyConnection,
    workspace: &WorkspaceId,
) -> Result<KeyProvider, sqlx::Error> {
    Ok(family(
        store::current(db, workspace).await?.map(|key| key.provider),
    ))
}

/// Checks the key form and verifies the key with its provider, then seals
/// it for storing; nothing is stored yet.
pub async fn verify_key(
    state: &AppState,
    actor: &Admin,
    form: &KeyForm<'_>,
) -> Result<VerifiedKey, ProviderError> {
    if !state.deployment.plan.allows_own_key() {
        return Err(ProviderError::NotOnPlan);
    }
    let key = form.key.expose_secret().trim();
    check_key(key)?;
    let key = SecretString::from(key.to_string());
    let base_url = match form.provider {
        KeyProvider::OpenAiCompatible => Some(check_base_url(form.base_url.unwrap_or_default())?),
        KeyProvider::OpenAi | KeyProvider::Anthropic => None,
    };
    let config = &state.deployment.providers;
    let target = route(
        Some(form.provider),
        base_url.as_deref(),
        config.region,
        &config.endpoints,
    );
    // Only a typed base URL is checked against private networks; the
    // operator's own endpoints are trusted as configured.
    let destination = match base_url {
        Some(_) => Destination::Typed {
            allowed: &config.private_model_networks,
        },
        None => Destination::Configured,
    };
    let verdict = verify(
        form.provider,
        &target.base_url,
        &key,
        config.verify_timeout,
        destination,
    )
    .await;
    let offered = match verdict {
        Verdict::Accepted(models) => models,
        Verdict::Rejected => return Err(ProviderError::KeyRejected),
        Verdict::Failed(status) => return Err(ProviderError::ProviderFailed(status)),
        // One answer for every way of not getting through, so the form
        // cannot be used to map which internal hosts answer; a host the
        // network guard refused (decided before connecting, from its
        // addresses alone) is named as such, with the setting that allows it.
        Verdict::Blocked => return Err(ProviderError::AddressNotAllowed),
        Verdict::ListTooLarge => return Err(ProviderError::ListTooLarge),
        Verdict::Unreachable | Verdict::TimedOut => return Err(ProviderError::ProviderUnreachable),
    };
    let id = tokens::random_hex(16);
    let sealed = state.master_keys.seal(
        &key,
        &associated_data(
            actor.workspace.as_str(),
            form.provider.key(),
            &id,
            base_url.as_deref(),
        ),
    );
    Ok(VerifiedKey {
        id,
        provider: form.provider,
        base_url,
        sealed,
        last4: last4(key.expose_secret()),
        offered,
        based_on: form.based_on,
    })
}

/// The key a change replaced, for the audit entry that follows it.
pub struct ReplacedKey {
    previous: Option<store::KeyRecord>,
    /// The new key is another provider's than the one that served before.
    pub other_provider: bool,
}

/// Makes `key` the workspace's key in the change's transaction, if the
/// provider setting is still at the version the form showed; the key it
/// replaces stays usable for the grace period. The change moves the
/// workspace's policy on.
pub async fn store_key(
    tx: &mut Tx<'_>,
    state: &AppState,
    actor: &Admin,
    key: &VerifiedKey,
    now: i64,
) -> Result<Result<ReplacedKey, ProviderError>, sqlx::Error> {
    if let Err(conflict) = claim(tx, actor, key.based_on, now).await? {
        return Ok(Err(conflict));
    }
    let previous = store::current(&mut **tx, &actor.workspace).await?;
    store::replace_current(
        tx,
        store::NewKey {
            id: &key.id,
            workspace: &actor.workspace,
            provider: key.provider,
            base_url: key.base_url.as_deref(),
            sealed: &key.sealed,
            last4: &key.last4,
            added_by_name: &actor.name,
            at: now,
        },
        now + state.deployment.providers.grace_secs,
    )
    .await?;
    store::delete_expired(tx, now).await?;
    tx.changes_policy_of(&actor.workspace);
    let other_provider = family(previous.as_ref().map(|key| key.provider)) != key.provider;
    Ok(Ok(ReplacedKey {
        previous,
        other_provider,
    }))
}

/// The audit entry of a stored key, in the change's transaction; what the
/// page then says.
pub async fn record_key(
    tx: &mut Tx<'_>,
    state: &AppState,
    actor: &Admin,
    key: &VerifiedKey,
    replaced: &ReplacedKey,
    now: i64,
) -> Result<ProviderNotice, sqlx::Error> {
    let last4 = &key.last4;
    let old = describe(replaced.previous.as_ref());
    let new = match &replaced.previous {
        Some(_) => format!(
            "{} key added …{last4}; the previous key works for {} more hours",
            key.provider.label(),
            state.deployment.providers.grace_secs / 3600
        ),
        None => format!("{} key added …{last4}", key.provider.label()),
    };
    audit::record_change(tx, actor, now, "Model provider", Some(&old), &new).await?;
    Ok(if replaced.previous.is_some() {
        ProviderNotice::KeyReplaced
    } else {
        ProviderNotice::KeyAdded
    })
}

/// Deletes the workspace's keys (the current one and any still in their
/// grace period); the managed provider serves it again. Allowed on every
/// plan, so a workspace that left Enterprise can still delete its key.
pub async fn remove_key(
    state: &AppState,
    actor: &Admin,
    based_on: i64,
) -> Result<(), ProviderError> {
    let now = state.clock.now();
    let removed = crate::db::write(state, async |tx| {
        if let Err(conflict) = claim(tx, actor, based_on, now).await? {
            return Ok(Err(conflict));
        }
        let Some(current) = store::current(&mut **tx, &actor.workspace).await? else {
            return Ok(Err(ProviderError::NoKey));
        };
        store::delete_all(tx, &actor.workspace).await?;
        let new = "Managed provider; workspace keys deleted";
        let old = describe(Some(&current));
        audit::record_change(tx, actor, now, "Model provider", Some(&old), new).await?;
        tx.changes_policy_of(&actor.workspace);
        Ok(Ok(()))
    })
    .await;
    removed.map_err(ProviderError::logged("removing a provider key"))?
}

/// Moves the provider setting on from version `based_on`, or says who
/// changed it first.
async fn claim(
    tx: &mut Tx<'_>,
    actor: &Actor,
    based_on: i64,
    at: i64,
) -> Result<Result<(), ProviderError>, sqlx::Error> {
    let claimed = claim_version(
        tx,
        &actor.workspace,
        PROVIDER_SETTING,
        based_on,
        &actor.name,
        at,
    )
    .await?;
    Ok(claimed.map_err(ProviderError::Conflict))
}

/// The key that serves `workspace` now, if it has one of its own, and
/// where its requests go: what the policy API hands to services.
pub async fn serving(
    state: &AppState,
    workspace: &WorkspaceId,
) -> Result<(Option<store::KeyRecord>, Route), sqlx::Error> {
    let config = &state.deployment.providers;
    let current = store::current(&state.pool, workspace).await?;
    let routed = route(
        current.as_ref().map(|key| key.provider),
        current.as_ref().and_then(|key| key.base_url.as_deref()),
        config.region,
        &config.endpoints,
    );
    Ok((current, routed))
}

/// Opens `record`'s sealed key, for one answer to a trusted service.
pub fn open_key(state: &AppState, record: &store::KeyRecord) -> Result<SecretString, OpenError> {
    state
        .master_keys
        .open(&record.sealed, &associated_for(record))
}

/// Deletes replaced keys whose grace period is over, in every workspace;
/// returns how many.
pub async fn delete_expired_keys(state: &AppState) -> Result<u64, sqlx::Error> {
    let now = state.clock.now();
    crate::db::commit(state, async |tx| {
        for workspace in store::workspaces_with_expired_keys(&mut **tx, now).await? {
            tx.changes_policy_of(&workspace);
        }
        store::delete_expired(tx, now).await
    })
    .await
}

/// The key a replaced one gave way to is still usable until its grace
/// period ends: the replaced key, if `workspace` has one now.
pub async fn retiring(
    state: &AppState,
    workspace: &WorkspaceId,
) -> Result<Option<store::KeyRecord>, sqlx::Error> {
    store::retiring(&state.pool, workspace, state.clock.now()).await
}

/// Re-sealing the stored keys failed.
#[derive(Debug, thiserror::Error)]
pub enum ResealError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("key {row} of workspace {workspace}: {source}")]
    Open {
        row: String,
        workspace: String,
        source: OpenError,
    },
}

/// Seals every stored key afresh under the current master key, so older
/// master keys can be retired. Returns how many keys were re-sealed.
pub async fn reseal_all(pool: &Pool, keys: &MasterKeys) -> Result<usize, ResealError> {
    let resealed = crate::db::write(pool, async |tx| {
        let records = store::all(&mut **tx).await?;
        for record in &records {
            let associated = associated_for(record);
            let secret = match keys.open(&record.sealed, &associated) {
                Ok(secret) => secret,
                Err(source) => {
                    return Ok(Err(ResealError::Open {
                        row: record.id.clone(),
                        workspace: record.workspace.as_str().to_string(),
                        source,
                    }))
                }
            };
            store::reseal(tx, &record.id, &keys.seal(&secret, &associated)).await?;
        }
        Ok(Ok(records.len()))
    })
    .await?;
    resealed
}

/// What `record`'s ciphertext is bound to.
fn associated_for(record: &store::KeyRecord) -> String {
    associated_data(
        record.workspace.as_str(),
        record.provider.key(),
        &record.id,
        record.base_url.as_deref(),
    )
}

/// The migration that binds keys to their base URLs, as the migrator
/// records it: its file name's words.
pub const BASE_URL_BINDING_MIGRATION: &str = "key bound to base url";

/// Re-seals keys sealed before the base URL was bound into their
/// ciphertext. Runs once, right after the process that applied
/// [`BASE_URL_BINDING_MIGRATION`] (a row edited later to look old is never
/// re-sealed, so it stays unusable rather than redirected). A key that
/// does not open is logged and left: an admin adds it again. Returns how
/// many were re-sealed.
pub async fn bind_keys_to_base_urls(pool: &Pool, keys: &MasterKeys) -> Result<usize, sqlx::Error> {
    crate::db::commit(pool, async |tx| {
        let mut resealed = 0;
        for record in store::all(&mut **tx).await? {
            // Another replica that started at the same moment may have done
            // it already.
            if keys.open(&record.sealed, &associated_for(&record)).is_ok() {
                continue;
            }
            let before = associated_data_before_base_urls(
                record.workspace.as_str(),
                record.provider.key(),
                &record.id,
            );
            match keys.open(&record.sealed, &before) {
                Ok(secret) => {
                    let sealed = keys.seal(&secret, &associated_for(&record));
                    store::reseal(tx, &record.id, &sealed).await?;
                    resealed += 1;
                }
                Err(error) => tracing::error!(
                    %error,
                    workspace = record.workspace.as_str(),
                    "a provider key could not be re-sealed with its base URL; an admin must add it again"
                ),
            }
        }
        Ok(resealed)
    })
    .await
}

/// Whether the workspace has a key of its own (else the managed provider
/// serves it).
pub async fn has_own_key(
    db: impl sqlx::AnyExecutor<'_>,
    workspace: &WorkspaceId,
) -> Result<bool, sqlx::Error> {
    Ok(store::current(db, workspace).await?.is_some())
}

/// Asks the provider of the workspace's current key which models it
/// offers. `NoKey` on the managed provider.
pub async fn list_models(
    state: &AppState,
    workspace: &WorkspaceId,
) -> Result<Vec<String>, ProviderError> {
    let current = store::current(&state.pool, workspace)
        .await
        .map_err(ProviderError::logged("reading the workspace key"))?
        .ok_or(ProviderError::NoKey)?;
    let key = open_key(state, &current).map_err(|error| {
        tracing::error!(%error, "opening the workspace key to list models failed");
        ProviderError::Unavailable
    })?;
    let config = &state.deployment.providers;
    let target = route(
        Some(current.provider),
        current.base_url.as_deref(),
        config.region,
        &config.endpoints,
    );
    let destination = match current.base_url {
        Some(_) => Destination::Typed {
            allowed: &config.private_model_networks,
        },
        None => Destination::Configured,
    };
    match verify(
        current.provider,
        &target.base_url,
        &key,
        config.verify_timeout,
        destination,
    )
    .await
    {
        Verdict::Accepted(models) => Ok(models),
        Verdict::Rejected => Err(ProviderError::KeyRejected),
        Verdict::Failed(status) => Err(ProviderError::ProviderFailed(status)),
        Verdict::Blocked => Err(ProviderError::AddressNotAllowed),
        Verdict::ListTooLarge => Err(ProviderError::ListTooLarge),
        Verdict::Unreachable | Verdict::TimedOut => Err(ProviderError::ProviderUnreachable),
    }
}

pub const ERASER: crate::db::erasure::Eraser =
    crate::eraser!("their name on the provider keys they added", forget_person);

/// A deleted person's keys name their pseudonym as who added them.
pub async fn forget_person(
    tx: &mut Tx<'_>,
    workspace: &WorkspaceId,
    person: &crate::domain::FormerPerson,
) -> Result<(), sqlx::Error> {
    for name in person.names() {
        store::rename_adder(tx, workspace, name, &person.pseudonym).await?;
    }
    Ok(())
}
