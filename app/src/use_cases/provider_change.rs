//! A new workspace key, across the two screens it touches: the model
//! provider stores it, and the Models section takes the provider's list of
//! models with it, resetting the admins' choice when the key is another
//! provider's (only once the admin said so on the form). One transaction,
//! so the key and its models change together.

use crate::accounts::session::Admin;
use crate::model_provider::service::{self as model_provider, KeyForm};
use crate::model_provider::{ProviderError, ProviderNotice};
use crate::models::service as models;
use crate::state::AppState;

/// Verifies the key with the provider, then makes it the workspace's key.
/// A key already in place stays usable for the grace period.
pub async fn save_key(
    state: &AppState,
    actor: &Admin,
    form: KeyForm<'_>,
) -> Result<ProviderNotice, ProviderError> {
    let workspace = &actor.workspace;
    let resets_models = crate::db::read(&state.pool, async |db| {
        let other = model_provider::serving_family(&mut *db, workspace).await? != form.provider;
        Ok(other && models::is_customized(db, workspace).await?)
    })
    .await
    .map_err(ProviderError::logged("reading the chosen models"))?;
    if resets_models && !form.models_reset_confirmed {
        return Err(ProviderError::ModelsWouldReset);
    }
    let key = model_provider::verify_key(state, actor, &form).await?;
    let now = state.clock.now();
    crate::db::write(state, async |tx| {
        let replaced = match model_provider::store_key(tx, state, actor, &key, now).await? {
            Ok(replaced) => replaced,
            Err(refusal) => return Ok(Err(refusal)),
        };
        models::replace_offered(tx, workspace, &key.offered).await?;
        if replaced.other_provider && models::is_customized(tx, workspace).await? {
            models::reset(tx, actor, now).await?;
        }
        let notice = model_provider::record_key(tx, state, actor, &key, &replaced, now).await?;
        Ok(Ok(notice))
    })
    .await
    .map_err(ProviderError::logged("saving a provider key"))?
}
