//! Service tokens (created, listed, revoked by admins) and the policy
//! they read. Storage failures are logged here; callers see only
//! `Unavailable`.

use super::{store, ServiceToken, TokensError, MAX_TOKEN_NAME_CHARS};
use crate::accounts::session::Admin;
use crate::accounts::tokens;
use crate::activity::log as audit;
use crate::state::AppState;

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
        let _turn = crate::db::write_turn(&state.pool).await;
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
        crate::db::changes::policy_changed(&mut tx, &actor.workspace).await?;
        tx.commit().await
    }
    .await;
    created.map_err(unavailable("creating a service token"))?;
    state.live_policy.reload(state, &actor.workspace).await;
    Ok(token)
}

/// Revokes a live token of the admin's workspace.
pub async fn revoke(state: &AppState, actor: &Admin, id: &str) -> Result<(), TokensError> {
    let now = state.clock.now();
    let revoked: Result<bool, sqlx::Error> = async {
        let _turn = crate::db::write_turn(&state.pool).await;
        let mut tx = state.pool.begin().await?;
        let Some(name) = store::revoke(&mut *tx, &actor.workspace, id, now).await? else {
            return Ok(false);
        };
        let what = format!("“{name}” revoked");
        audit::record_change(&mut *tx, actor.actor(), now, "Service tokens", None, &what).await?;
        crate::db::changes::policy_changed(&mut tx, &actor.workspace).await?;
        tx.commit().await?;
        Ok(true)
    }
    .await;
    match revoked.map_err(unavailable("revoking a service token"))? {
        true => {
            state.live_policy.reload(state, &actor.workspace).await;
            Ok(())
        }
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
