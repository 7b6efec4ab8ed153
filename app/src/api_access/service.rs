//! Service tokens (created, listed, revoked by admins) and the policy
//! they read. Storage failures are logged here; callers see only
//! `Unavailable`.

use super::policy_document::{PolicyDocument, ProviderPolicy};
use super::{store, ServiceToken, TokensError, MAX_TOKEN_NAME_CHARS};
use crate::accounts::session::Admin;
use crate::accounts::tokens;
use crate::activity::log as audit;
use crate::ai_settings::service as ai_settings;
use crate::model_provider::rules::Processing;
use crate::model_provider::service as model_provider;
use crate::state::AppState;
use crate::workspace::WorkspaceId;

fn unavailable(what: &'static str) -> impl FnOnce(sqlx::Error) -> TokensError {
    move |error| {
        tracing::error!(%error, "{what} failed");
        TokensError::Unavailable
    }
}

/// The workspace's live tokens, newest first.
pub async fn list(state: &AppState, actor: &Admin) -> Result<Vec<ServiceToken>, TokensError> {
    store::live(&state.pool, &actor.workspace)
        .await
        .map_err(unavailable("listing service tokens"))
}

/// Creates a token named after the service that will use it. Returns the
/// token, which is stored only as a digest and never shown again.
pub async fn create(
    state: &AppState,
    actor: &Admin,
    name: &str,
    may_receive_keys: bool,
) -> Result<String, TokensError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(TokensError::NameMissing);
    }
    if name.chars().count() > MAX_TOKEN_NAME_CHARS {
        return Err(TokensError::NameTooLong);
    }
    // The prefix lets secret scanners recognise a leaked token.
    let token = format!("aic_{}", tokens::random_hex(24));
    let now = state.clock.now();
    let created: Result<(), sqlx::Error> = async {
        let mut tx = state.pool.begin().await?;
        store::insert(
            &mut *tx,
            store::NewToken {
                id: &tokens::random_hex(16),
                workspace: &actor.workspace,
                name,
                token_hash: &tokens::digest(&token),
                may_receive_keys,
                created_by_name: &actor.name,
                created_at: now,
            },
        )
        .await?;
        let what = if may_receive_keys {
            format!("“{name}” created; may receive the provider key")
        } else {
            format!("“{name}” created")
        };
        audit::record_change(&mut *tx, actor.actor(), now, "Service tokens", None, &what).await?;
        tx.commit().await
    }
    .await;
    created.map_err(unavailable("creating a service token"))?;
    Ok(token)
}

/// Revokes a live token of the admin's workspace.
pub async fn revoke(state: &AppState, actor: &Admin, id: &str) -> Result<(), TokensError> {
    let now = state.clock.now();
    let revoked: Result<bool, sqlx::Error> = async {
        let mut tx = state.pool.begin().await?;
        let Some(name) = store::revoke(&mut *tx, &actor.workspace, id, now).await? else {
            return Ok(false);
        };
        let what = format!("“{name}” revoked");
        audit::record_change(&mut *tx, actor.actor(), now, "Service tokens", None, &what).await?;
        tx.commit().await?;
        Ok(true)
    }
    .await;
    match revoked.map_err(unavailable("revoking a service token"))? {
        true => Ok(()),
        false => Err(TokensError::NoSuchToken),
    }
}

/// Why the policy API refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("a valid service token is required")]
    Unauthorized,
    #[error("no such workspace")]
    NotFound,
    #[error("the policy could not be read right now")]
    Unavailable,
}

/// A policy read for one token.
#[derive(Debug)]
pub struct PolicyRead {
    pub document: PolicyDocument,
    pub token: store::TokenRecord,
}

fn policy_unavailable(what: &'static str) -> impl FnOnce(sqlx::Error) -> PolicyError {
    move |error| {
        tracing::error!(%error, "{what} failed");
        PolicyError::Unavailable
    }
}

/// The AI policy of `workspace_id` as the holder of `token` may see it:
/// always what applies now (nothing is cached), the decrypted key only
/// for tokens allowed to receive it.
pub async fn read_policy(
    state: &AppState,
    token: &str,
    workspace_id: &str,
) -> Result<PolicyRead, PolicyError> {
    let token = store::by_hash(&state.pool, &tokens::digest(token))
        .await
        .map_err(policy_unavailable("looking up a service token"))?
        .ok_or(PolicyError::Unauthorized)?;
    // A token of another workspace learns nothing, not even that this id
    // exists.
    if token.workspace.as_str() != workspace_id {
        return Err(PolicyError::NotFound);
    }
    let workspace = WorkspaceId::new(workspace_id);
    store::touch(&state.pool, &token.id, state.clock.now())
        .await
        .map_err(policy_unavailable("noting a service token's use"))?;
    let applied = ai_settings::applied(state, &workspace)
        .await
        .map_err(policy_unavailable("loading AI settings"))?;
    let (current, routed) = model_provider::serving(state, &workspace)
        .await
        .map_err(policy_unavailable("loading the provider key"))?;
    let config = &state.deployment.providers;
    let key = match &current {
        Some(record) if token.may_receive_keys => match model_provider::open_key(state, record) {
            Ok(key) => Some(key),
            Err(error) => {
                tracing::error!(%error, workspace = workspace_id, "opening a provider key failed");
                return Err(PolicyError::Unavailable);
            }
        },
        _ => None,
    };
    let document = PolicyDocument {
        workspace_id: workspace_id.to_string(),
        ai_enabled: applied.ai_enabled,
        training_allowed: applied.training_in_effect(state.deployment.plan),
        provider: ProviderPolicy {
            kind: current
                .as_ref()
                .map(|key| key.provider.key())
                .unwrap_or("managed"),
            endpoint: routed.base_url,
            region: config.region.config_name(),
            processed_in: match routed.processing {
                Processing::InRegion(region) => Some(region.config_name()),
                Processing::LeavesRegion { to, .. } => Some(to.config_name()),
                Processing::Unknown => None,
            },
            key_last4: current.as_ref().map(|key| key.last4.clone()),
            key,
        },
    };
    Ok(PolicyRead { document, token })
}

/// Records that `read` was sent with the decrypted key in it.
pub async fn record_disclosure(state: &AppState, read: &PolicyRead) -> Result<(), PolicyError> {
    let Some(last4) = &read.document.provider.key_last4 else {
        return Ok(());
    };
    if read.document.provider.key.is_none() {
        return Ok(());
    }
    let what = format!("…{last4} sent to service token “{}”", read.token.name);
    audit::record(
        &state.pool,
        audit::NewEntry {
            workspace: &read.token.workspace,
            at: state.clock.now(),
            actor_id: None,
            actor_name: &format!("Service token “{}”", read.token.name),
            subject: "Model provider key",
            old_value: None,
            new_value: Some(&what),
        },
    )
    .await
    .map_err(policy_unavailable("auditing a key disclosure"))
}
