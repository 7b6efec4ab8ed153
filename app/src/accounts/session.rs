//! Who is signed in. The session itself (cookie, storage in the database,
//! 30-minute idle expiry) is tower-sessions'; this module adds what it does
//! not know: which user a session belongs to and the 8-hour limit from
//! sign-in, whatever the activity.

use super::{store, NoActorReason};
use crate::domain::{Role, Viewer};
use crate::state::AppState;
use crate::workspace::WorkspaceId;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

const SIGNED_IN: &str = "signed_in";
pub const ABSOLUTE_LIFETIME_SECS: i64 = 8 * 60 * 60;

#[derive(Debug, Serialize, Deserialize)]
struct SignedIn {
    user_id: String,
    signed_in_at: i64,
    /// The user's session generation at sign-in.
    #[serde(default)]
    generation: i64,
}

/// A signed-in person acting on their workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: String,
    pub workspace: WorkspaceId,
    pub name: String,
    pub role: Role,
}

impl Actor {
    pub fn viewer(&self) -> Viewer {
        Viewer {
            name: self.name.clone(),
            role: self.role,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("session store: {0}")]
    Session(#[from] tower_sessions::session::Error),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
}

/// Signs `user_id` in on this session. The session id changes, so an id an
/// attacker planted before sign-in is worthless after it.
pub async fn sign_in(
    state: &AppState,
    session: &Session,
    user_id: &str,
) -> Result<(), SessionError> {
    let generation = store::find_by_id(&state.pool, user_id)
        .await?
        .map(|user| user.session_generation)
        .unwrap_or_default();
    session.cycle_id().await?;
    session
        .insert(
            SIGNED_IN,
            SignedIn {
                user_id: user_id.to_string(),
                signed_in_at: state.clock.now(),
                generation,
            },
        )
        .await?;
    Ok(())
}

/// Signs `user_id` in on the session of the current server-function
/// request.
pub async fn sign_in_current(
    state: &AppState,
    user_id: &str,
) -> Result<(), crate::accounts::AuthError> {
    use crate::accounts::AuthError;
    let session = current_session().await.ok_or(AuthError::Unavailable)?;
    sign_in(state, &session, user_id).await.map_err(|error| {
        tracing::error!(%error, "starting a session failed");
        AuthError::Unavailable
    })
}

pub async fn sign_out(session: &Session) -> Result<(), SessionError> {
    session.flush().await?;
    Ok(())
}

/// The person this session belongs to, if it is signed in, still within
/// its absolute lifetime, and their account still exists. Their role is
/// read afresh, so a changed role applies on the next request.
pub async fn actor(state: &AppState, session: &Session) -> Result<Option<Actor>, SessionError> {
    let Some(signed_in) = session.get::<SignedIn>(SIGNED_IN).await? else {
        return Ok(None);
    };
    if state.clock.now() - signed_in.signed_in_at >= ABSOLUTE_LIFETIME_SECS {
        session.flush().await?;
        return Ok(None);
    }
    let user = store::find_by_id(&state.pool, &signed_in.user_id).await?;
    // Gone, or signed in before the password last changed.
    let Some(user) = user.filter(|user| signed_in.generation == user.session_generation) else {
        session.flush().await?;
        return Ok(None);
    };
    Ok(Some(Actor {
        user_id: user.id,
        workspace: user.workspace,
        name: user.name,
        role: user.role,
    }))
}

/// The session of the request a server function is serving.
pub async fn current_session() -> Option<Session> {
    match leptos_axum::extract::<Session>().await {
        Ok(session) => Some(session),
        Err(error) => {
            tracing::error!(%error, "no session on this request; is the session layer installed?");
            None
        }
    }
}

/// The signed-in person of the current server-function request.
pub async fn current_actor(state: &AppState) -> Result<Option<Actor>, SessionError> {
    match current_session().await {
        Some(session) => actor(state, &session).await,
        None => Ok(None),
    }
}

/// The signed-in person a server function acts for.
pub async fn require_actor(state: &AppState) -> Result<Actor, NoActorReason> {
    match current_actor(state).await {
        Ok(Some(actor)) => Ok(actor),
        Ok(None) => Err(NoActorReason::SignedOut),
        Err(error) => {
            tracing::error!(%error, "reading the session failed");
            Err(NoActorReason::Unavailable)
        }
    }
}
