//! Service tokens (created, listed, revoked by admins) and the policy
//! they read. Storage failures are logged here; callers see only
//! `Unavailable`.

use super::rules::TokenLifetime;
use super::{store, ServiceToken, TokensError, MAX_TOKEN_NAME_CHARS};
use crate::accounts::service::confirm_password;
use crate::accounts::session::Admin;
use crate::accounts::{tokens, AuthError};
use crate::activity::log as audit;
use crate::db::Tx;
use crate::domain::time::format_utc;
use crate::domain::WorkspaceId;
use crate::state::AppState;

/// How long a revoked token stays listed.
const REVOKED_LISTED_SECS: i64 = 7 * 24 * 60 * 60;

/// The workspace's live tokens and those revoked in the last week,
/// newest first.
pub async fn list(state: &AppState, actor: &Admin) -> Result<Vec<ServiceToken>, TokensError> {
    let since = state.clock.now() - REVOKED_LISTED_SECS;
    store::listed(&state.pool, &actor.workspace, since)
        .await
        .map_err(TokensError::logged("listing service tokens"))
}

/// A token as the create form describes it.
pub struct NewTokenForm<'a> {
    pub name: &'a str,
    pub may_receive_keys: bool,
    /// May call models through the AI gateway (the console holds the key).
    pub may_call_models: bool,
    /// The form value of the feature its gateway calls are for; empty:
    /// the service says with each call.
    pub gateway_feature: &'a str,
    /// The form value of the lifetime; empty: the default.
    pub lifetime: &'a str,
    /// The admin's password, typed again: needed for a token that
    /// receives the provider key.
    pub password: Option<&'a str>,
    /// Where the request came from, for throttling password guesses.
    pub client: &'a str,
}

/// Creates a token named after the service that will use it. Returns the
/// token, which is stored only as a digest and never shown again.
pub async fn create(
    state: &AppState,
    actor: &Admin,
    form: NewTokenForm<'_>,
) -> Result<String, TokensError> {
    let name = form.name.trim();
    if name.is_empty() {
        return Err(TokensError::NameMissing);
    }
    if name.chars().count() > MAX_TOKEN_NAME_CHARS {
        return Err(TokensError::NameTooLong);
    }
    let lifetime = match form.lifetime.trim() {
        "" => TokenLifetime::default(),
        key => TokenLifetime::from_key(key).ok_or(TokensError::LifetimeInvalid)?,
    };
    let gateway_feature = match form.gateway_feature.trim() {
        "" => None,
        key => Some(
            crate::features::rules::Feature::from_key(key).ok_or(TokensError::FeatureInvalid)?,
        ),
    };
    if form.may_receive_keys {
        let password = form.password.filter(|typed| !typed.is_empty());
        let password = password.ok_or(TokensError::PasswordNeeded)?;
        confirm_password(state, actor.actor(), form.client, password)
            .await
            .map_err(TokensError::from)?;
    }
    // The prefix lets secret scanners recognise a leaked token.
    let token = format!("aic_{}", tokens::random_hex(24));
    let now = state.clock.now();
    let expires_at = lifetime.expires_at(now);
    let created = crate::db::write_policy(state, &actor.workspace, async |tx| {
        store::insert(
            tx,
            store::NewToken {
                id: &tokens::random_hex(16),
                workspace: &actor.workspace,
                name,
                token_hash: &tokens::digest(&token),
                may_receive_keys: form.may_receive_keys,
                may_call_models: form.may_call_models,
                gateway_feature: gateway_feature.map(|feature| feature.key()),
                created_by_name: &actor.name,
                created_by_id: &actor.user_id,
                created_at: now,
                expires_at,
            },
        )
        .await?;
        let ends = match expires_at {
            Some(at) => format!("expires {}", format_utc(at)),
            None => "never expires".to_string(),
        };
        let mut what = format!("“{name}” created ({ends})");
        if form.may_call_models {
            what.push_str("; may call models through the gateway");
            if let Some(feature) = gateway_feature {
                what.push_str(&format!(" for {}", feature.title()));
            }
        }
        if form.may_receive_keys {
            what.push_str("; may receive the provider key; password confirmed");
        }
        audit::record_change(tx, actor.actor(), now, "Service tokens", None, &what).await?;
        Ok(Ok::<(), TokensError>(()))
    })
    .await;
    created.map_err(TokensError::logged("creating a service token"))??;
    Ok(token)
}

impl From<AuthError> for TokensError {
    fn from(error: AuthError) -> Self {
        match error {
            AuthError::WrongCurrentPassword => TokensError::WrongPassword,
            AuthError::TooManyAttempts(minutes) => TokensError::TooManyAttempts(minutes),
            AuthError::Busy => TokensError::Busy,
            AuthError::SignInRequired => TokensError::SignInRequired,
            _ => TokensError::Unavailable,
        }
    }
}

/// Makes a token of the admin's workspace theirs, so it keeps working
/// when the admin who made it leaves.
pub async fn take_over(state: &AppState, actor: &Admin, id: &str) -> Result<(), TokensError> {
    let now = state.clock.now();
    crate::db::write(state, async |tx| {
        let Some(name) =
            store::take_over(tx, &actor.workspace, id, &actor.user_id, &actor.name).await?
        else {
            return Ok(Err(TokensError::NoSuchToken));
        };
        let what = format!("“{name}” taken over by {}", actor.name);
        audit::record_change(tx, actor.actor(), now, "Service tokens", None, &what).await?;
        Ok(Ok(()))
    })
    .await
    .map_err(TokensError::logged("taking over a service token"))?
}

/// Revokes, in the caller's transaction, the tokens `user_id` made: they
/// are leaving the workspace or no longer an admin. Audited as `actor`'s
/// change. Returns how many were revoked; the policy API refuses them
/// once the caller's change commits.
pub async fn revoke_made_by(
    tx: &mut Tx<'_>,
    workspace: &WorkspaceId,
    author: audit::Author<'_>,
    user_id: &str,
    user_name: &str,
    at: i64,
) -> Result<usize, sqlx::Error> {
    let names = store::revoke_made_by(tx, workspace, user_id, at).await?;
    for name in &names {
        let what = format!("“{name}” revoked: {user_name}, who made it, is no longer an admin");
        audit::record_by(tx, workspace, author, at, "Service tokens", &what).await?;
    }
    if !names.is_empty() {
        tx.changes_policy_of(workspace);
    }
    Ok(names.len())
}

/// Revokes a live token of the admin's workspace.
pub async fn revoke(state: &AppState, actor: &Admin, id: &str) -> Result<(), TokensError> {
    let now = state.clock.now();
    crate::db::write_policy(state, &actor.workspace, async |tx| {
        let Some(name) = store::revoke(tx, &actor.workspace, id, now).await? else {
            return Ok(Err(TokensError::NoSuchToken));
        };
        let what = format!("“{name}” revoked");
        audit::record_change(tx, actor.actor(), now, "Service tokens", None, &what).await?;
        Ok(Ok(()))
    })
    .await
    .map_err(TokensError::logged("revoking a service token"))?
}

/// What the live policy reads and writes of tokens: the live ones, a
/// token's last use and the first disclosure of a key to it.
pub use super::store::{
    all_live, by_hash, claim_disclosure, disclosure_entry, link_disclosure, live_of, note_last_use,
    was_revoked, LiveToken, TokenRecord,
};

/// What is wrong with the token a service sent, as RFC 6750's
/// `error_description` and in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenProblem {
    Missing,
    Unknown,
    Revoked,
    Expired,
}

impl TokenProblem {
    /// `error_description` of `WWW-Authenticate`.
    pub fn key(self) -> &'static str {
        match self {
            TokenProblem::Missing => "missing",
            TokenProblem::Unknown => "unknown",
            TokenProblem::Revoked => "revoked",
            TokenProblem::Expired => "expired",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            TokenProblem::Missing => "a service token is required (Authorization: Bearer …)",
            TokenProblem::Unknown => {
                "this service token is not known to the console; check that it was copied whole"
            }
            TokenProblem::Revoked => {
                "this service token was revoked; an admin can make a new one on Settings > API access"
            }
            TokenProblem::Expired => {
                "this service token has expired; an admin can make a new one on Settings > API access"
            }
        }
    }
}

/// Why the policy API refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("{}", .0.message())]
    Unauthorized(TokenProblem),
    #[error("no such workspace")]
    NotFound,
    #[error("the policy could not be read right now")]
    Unavailable,
}

/// Deletes audit entries past the retention, and forgets the disclosures
/// they recorded (the next answer with that key is audited afresh).
pub async fn forget_old_entries(state: &AppState) -> Result<u64, sqlx::Error> {
    let kept = crate::state::days(state.deployment.retention.audit_days);
    let forgotten = crate::db::write(state, async |tx| {
        let forgotten = audit::forget_before(tx, state.clock.now() - kept).await?;
        if forgotten > 0 {
            // Disclosures whose audit entry is gone are audited afresh.
            let recorded = store::disclosure_entries(tx).await?;
            let kept = audit::existing(tx, &recorded).await?;
            let gone: Vec<i64> = recorded
                .into_iter()
                .filter(|id| !kept.contains(id))
                .collect();
            store::forget_disclosures_of(tx, &gone).await?;
        }
        Ok(Ok::<u64, std::convert::Infallible>(forgotten))
    })
    .await?;
    let Ok(forgotten) = forgotten;
    Ok(forgotten)
}

/// The tokens `user_id` made, with when each was revoked: for their own
/// export. Never a token or its digest.
pub async fn made_by(
    state: &AppState,
    workspace: &WorkspaceId,
    user_id: &str,
) -> Result<Vec<(ServiceToken, Option<i64>)>, sqlx::Error> {
    store::made_by(&state.pool, workspace, user_id).await
}

pub const ERASER: crate::db::erasure::Eraser =
    crate::eraser!("their name on the service tokens they made", forget_person);

/// A deleted person's tokens name their pseudonym as maker.
pub async fn forget_person(
    tx: &mut Tx<'_>,
    workspace: &WorkspaceId,
    person: &crate::domain::FormerPerson,
) -> Result<(), sqlx::Error> {
    for name in person.names() {
        store::rename_creator(tx, workspace, &person.user_id, name, &person.pseudonym).await?;
    }
    Ok(())
}
