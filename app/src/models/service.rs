//! Which models services may use: the list on offer (the workspace key's
//! provider's, or the managed provider's from the configuration), the
//! admins' choice over it, and saving that choice with a version and an
//! audit entry like every other setting.

use super::rules::{check, listing, ModelChoice, ModelsSnapshot};
use super::{store, ModelsError, MODELS_SETTING};
use crate::accounts::session::{Actor, Admin};
use crate::activity::log as audit;
use crate::db::versions::{claim_version, version_of};
use crate::db::Tx;
use crate::domain::WorkspaceId;
use crate::model_provider::service as model_provider;
use crate::state::AppState;
use sqlx::AnyConnection;

/// What the policy API serves about models.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ModelsInputs {
    pub offered: Vec<String>,
    /// The operator's fixed values over the admins' choice.
    pub choice: ModelChoice,
}

/// The models on offer: the key's provider's list, or with no workspace
/// key the managed provider's from the configuration.
async fn offered(
    db: &mut AnyConnection,
    state: &AppState,
    workspace: &WorkspaceId,
) -> Result<Vec<String>, sqlx::Error> {
    if model_provider::has_own_key(&mut *db, workspace).await? {
        store::offered(db, workspace).await
    } else {
        Ok(state.deployment.managed_models.clone())
    }
}

/// What applies to `workspace` now.
pub async fn applied(
    state: &AppState,
    workspace: &WorkspaceId,
) -> Result<ModelsInputs, sqlx::Error> {
    let (offered, stored) = crate::db::read(&state.pool, async |db| {
        Ok((
            offered(db, state, workspace).await?,
            store::choice(db, workspace).await?,
        ))
    })
    .await?;
    Ok(ModelsInputs {
        offered,
        choice: state.deployment.fixed_models.apply(stored),
    })
}

/// The Models section, for anyone of the workspace.
pub async fn snapshot(state: &AppState, actor: &Actor) -> Result<ModelsSnapshot, ModelsError> {
    let workspace = &actor.workspace;
    let loaded: Result<_, sqlx::Error> = async {
        let inputs = applied(state, workspace).await?;
        let own_key = model_provider::has_own_key(&state.pool, workspace).await?;
        let version = version_of(&state.pool, workspace, MODELS_SETTING).await?;
        Ok((inputs, own_key, version))
    }
    .await;
    let (inputs, own_key, version) = loaded.map_err(ModelsError::logged("loading the models"))?;
    let fixed = &state.deployment.fixed_models;
    Ok(ModelsSnapshot {
        listed: listing(&inputs.offered, &inputs.choice),
        all: inputs.choice.all,
        default: inputs.choice.default.clone(),
        version: version.version,
        own_key,
        fixed_by: fixed.is_fixed().then(|| fixed_variables(fixed)),
        can_change: actor.role.can_change_settings(),
    })
}

fn fixed_variables(fixed: &super::rules::FixedModels) -> String {
    let mut names = Vec::new();
    if fixed.allowed.is_some() {
        names.push(super::rules::ALLOWED_VARIABLE);
    }
    if fixed.default.is_some() {
        names.push(super::rules::DEFAULT_VARIABLE);
    }
    names.join(", ")
}

/// How the audit log words a choice.
fn described(choice: &ModelChoice) -> String {
    let allowed = if choice.all {
        "all models".to_string()
    } else {
        choice.allowed.join(", ")
    };
    match &choice.default {
        Some(default) => format!("{allowed}; default {default}"),
        None => format!("{allowed}; no default"),
    }
}

/// Saves which models services may use, if nobody changed it since
/// version `based_on`.
pub async fn save(
    state: &AppState,
    admin: &Admin,
    mut choice: ModelChoice,
    based_on: i64,
) -> Result<(), ModelsError> {
    if state.deployment.fixed_models.is_fixed() {
        return Err(ModelsError::FixedByServer);
    }
    choice.allowed.sort();
    choice.allowed.dedup();
    if choice.all {
        choice.allowed.clear();
    }
    let now = state.clock.now();
    let workspace = &admin.workspace;
    crate::db::write_policy(state, workspace, async |tx| {
        let claimed =
            claim_version(tx, workspace, MODELS_SETTING, based_on, &admin.name, now).await?;
        if let Err(last_change) = claimed {
            return Ok(Err(ModelsError::Conflict(last_change)));
        }
        let before = store::choice(tx, workspace).await?;
        let on_offer = offered(tx, state, workspace).await?;
        if let Err(problem) = check(&choice, &on_offer, &before.allowed) {
            return Ok(Err(problem.into()));
        }
        store::save_choice(tx, workspace, &choice).await?;
        let (old, new) = (described(&before), described(&choice));
        audit::record_change(tx, admin.actor(), now, "Models", Some(&old), &new).await?;
        Ok(Ok(()))
    })
    .await
    .map_err(ModelsError::logged("saving the models"))?
}

/// Asks the workspace key's provider for its models again and keeps the
/// new list (allowed models it no longer offers stay allowed, flagged).
pub async fn refresh(state: &AppState, admin: &Admin) -> Result<usize, ModelsError> {
    use crate::model_provider::ProviderError;
    let models = model_provider::list_models(state, &admin.workspace)
        .await
        .map_err(|error| match error {
            ProviderError::NoKey => ModelsError::NoKey,
            ProviderError::Unavailable => ModelsError::Unavailable,
            _ => ModelsError::ProviderRefused,
        })?;
    let now = state.clock.now();
    crate::db::write_policy(state, &admin.workspace, async |tx| {
        store::replace_offered(tx, &admin.workspace, &models).await?;
        let what = format!("list refreshed: {} model(s) offered", models.len());
        audit::record_change(tx, admin.actor(), now, "Models", None, &what).await?;
        Ok(Ok::<(), ModelsError>(()))
    })
    .await
    .map_err(ModelsError::logged("refreshing the model list"))??;
    Ok(models.len())
}

/// For the model provider, in its transaction: a verified key's list of
/// models replaces the one before.
pub async fn replace_offered(
    tx: &mut Tx<'_>,
    workspace: &WorkspaceId,
    models: &[String],
) -> Result<(), sqlx::Error> {
    store::replace_offered(tx, workspace, models).await
}

/// Whether admins changed the models from "all, no default": a key for
/// another provider would then reset their choice.
pub async fn is_customized(
    db: &mut AnyConnection,
    workspace: &WorkspaceId,
) -> Result<bool, sqlx::Error> {
    Ok(store::choice(db, workspace).await?.is_customized())
}

/// The same, outside any transaction (for the key form).
pub async fn is_customized_now(
    state: &AppState,
    workspace: &WorkspaceId,
) -> Result<bool, sqlx::Error> {
    Ok(store::choice(&mut *state.pool.acquire().await?, workspace)
        .await?
        .is_customized())
}

/// Back to all models, no default (a key for another provider), audited
/// as `actor`'s change.
pub async fn reset(tx: &mut Tx<'_>, actor: &Admin, at: i64) -> Result<(), sqlx::Error> {
    let before = store::choice(tx, &actor.workspace).await?;
    store::reset_choice(tx, &actor.workspace).await?;
    let what = "reset to all models, no default: the key is for another provider";
    audit::record_change(
        tx,
        actor.actor(),
        at,
        "Models",
        Some(&described(&before)),
        what,
    )
    .await
}
