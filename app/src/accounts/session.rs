//! Who is signed in. The session itself (cookie, storage in the database,
//! 30-minute idle expiry) is tower-sessions'; this module adds what it does
//! not know: which user a session belongs to and the 8-hour limit from
//! sign-in, whatever the activity.
//!
//! Layer: platform.

use super::store;
use crate::boundary::{NoActor, NotAdmin};
use crate::domain::WorkspaceId;
use crate::domain::{Role, UserId};
use crate::model_provider::cipher::Sealed;
use crate::state::AppState;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use tower_sessions::Session;

const SIGNED_IN: &str = "signed_in";
/// A session ends this long after sign-in, however active.
pub const ABSOLUTE_LIFETIME_SECS: i64 = 8 * 60 * 60;
/// A session ends after this long without a request.
/// The session cookie's name. Over TLS, `__Host-` makes browsers refuse
/// the cookie unless it is Secure, set by this host, for the whole site:
/// no subdomain can plant one.
pub fn cookie_name(served_over_tls: bool) -> &'static str {
    if served_over_tls {
        "__Host-console_session"
    } else {
        "console_session"
    }
}

pub const IDLE_LIFETIME_SECS: i64 = 30 * 60;
/// Activity is written down at most this often: a page view is a read,
/// not a write, yet the idle limit slides with every request.
pub const ACTIVITY_NOTED_EVERY_SECS: i64 = 60;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct SignedIn {
    user_id: String,
    signed_in_at: i64,
    /// The user's session generation at sign-in.
    #[serde(default)]
    generation: i64,
    /// The latest noted request (at most a minute old while active).
    #[serde(default)]
    last_seen: i64,
}

/// A signed-in person acting on their workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: UserId,
    pub workspace: WorkspaceId,
    pub name: String,
    pub role: Role,
}

/// A signed-in admin of the workspace. Only [`Admin::check`] makes one, so
/// a service function that takes `&Admin` cannot run for anyone else: the
/// role check is in its signature, not in its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Admin(Actor);

impl Admin {
    /// The actor, if they are an admin of their workspace.
    pub fn check(actor: Actor) -> Result<Admin, NotAdmin> {
        match actor.role {
            Role::Admin => Ok(Admin(actor)),
            Role::Member => Err(NotAdmin),
        }
    }

    /// The admin as the person they are.
    pub fn actor(&self) -> &Actor {
        &self.0
    }
}

impl std::ops::Deref for Admin {
    type Target = Actor;

    fn deref(&self) -> &Actor {
        &self.0
    }
}

/// The signed-in person of the request being served, resolved the first
/// time anything asks (the sign-in guard, a page's loaders, a server
/// function) and then shared by all of them: a page reads the session and
/// the user once, however many sections it has. The server puts one in
/// every request's extensions.
#[derive(Debug, Clone, Default)]
pub struct RequestActor(Arc<tokio::sync::OnceCell<Result<Option<Actor>, SessionUnreadable>>>);

/// Reading the session or the user failed (logged where it happened).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionUnreadable;

impl RequestActor {
    /// The person `session` belongs to, read on the first call only.
    pub async fn resolve(
        &self,
        state: &AppState,
        session: &Session,
    ) -> Result<Option<Actor>, SessionUnreadable> {
        self.0
            .get_or_init(|| async {
                actor(state, session).await.map_err(|error| {
                    tracing::error!(%error, "reading the session failed");
                    SessionUnreadable
                })
            })
            .await
            .clone()
    }
}

/// Reading or writing a session failed.
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
                last_seen: state.clock.now(),
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

/// The session slot of the identity provider's sign-out address, for a
/// person who signed in through it: signing out here ends their session
/// there too.
pub const SIGN_ON_END_SESSION: &str = "single_sign_on.end_session";

/// The console's page that sends a signed-out browser on to the identity
/// provider's sign-out (`?to=`, checked to be that address). A form's
/// answer may not redirect to another site; a page of the console's own
/// may move on to it.
pub const SIGN_ON_SIGNED_OUT: &str = "/auth/oidc/signed-out";

/// Ends `session` on the server, not only in the browser.
pub async fn sign_out(session: &Session) -> Result<(), SessionError> {
    session.flush().await?;
    Ok(())
}

/// The person this session belongs to, if it is signed in, still within
/// its absolute lifetime, and their account still exists. Their role is
/// read afresh, so a changed role applies on the next request.
pub async fn actor(state: &AppState, session: &Session) -> Result<Option<Actor>, SessionError> {
    tracing::debug!("reading the signed-in person");
    let Some(signed_in) = session.get::<SignedIn>(SIGNED_IN).await? else {
        return Ok(None);
    };
    let now = state.clock.now();
    let last_seen = signed_in.last_seen.max(signed_in.signed_in_at);
    if now - signed_in.signed_in_at >= ABSOLUTE_LIFETIME_SECS
        || now - last_seen >= IDLE_LIFETIME_SECS
    {
        session.flush().await?;
        return Ok(None);
    }
    let user = store::find_by_id(&state.pool, &signed_in.user_id).await?;
    // Gone, suspended, or signed in before the password last changed.
    let Some(user) = user.filter(|user| {
        signed_in.generation == user.session_generation && user.suspended_at.is_none()
    }) else {
        session.flush().await?;
        return Ok(None);
    };
    if now - last_seen >= ACTIVITY_NOTED_EVERY_SECS {
        // Saved with the response: the stored expiry and the cookie's
        // Max-Age move on too.
        let noted = SignedIn {
            last_seen: now,
            ..signed_in
        };
        session.insert(SIGNED_IN, noted).await?;
    }
    Ok(Some(Actor {
        user_id: UserId::new(user.id),
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

/// The signed-in person of the current request, resolved once per request
/// (see [`RequestActor`]).
pub async fn current_actor(state: &AppState) -> Result<Option<Actor>, SessionUnreadable> {
    let Some(session) = current_session().await else {
        return Ok(None);
    };
    let shared = leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<RequestActor>().cloned());
    match shared {
        Some(request_actor) => request_actor.resolve(state, &session).await,
        None => {
            tracing::error!("no RequestActor on this request; is the sign-in layer installed?");
            RequestActor::default().resolve(state, &session).await
        }
    }
}

/// The signed-in person a server function acts for.
pub async fn require_actor(state: &AppState) -> Result<Actor, NoActor> {
    match current_actor(state).await {
        Ok(Some(actor)) => Ok(actor),
        Ok(None) => Err(NoActor::SignedOut),
        Err(SessionUnreadable) => Err(NoActor::Unavailable),
    }
}

/// Keeps `value` in the signed-in person's session until their next page
/// shows it once (a link or token made by the request that redirects
/// there). The session is stored in the database, and these are secrets
/// shown once, so it is sealed under the master key first: a copy of the
/// database alone does not give them away. Any replica can open it.
/// `None` when it could not be kept (logged).
pub async fn keep_for_page<T: Serialize>(slot: &str, value: &T) -> Option<()> {
    let state = crate::state::current()?;
    let session = current_session().await?;
    let plain = match serde_json::to_string(value) {
        Ok(plain) => secrecy::SecretString::from(plain),
        Err(error) => {
            tracing::error!(%error, slot, "a value for the next page could not be written");
            return None;
        }
    };
    let sealed = state.master_keys.seal(&plain, &shown_once_context(slot));
    match session.insert(slot, sealed).await {
        Ok(()) => Some(()),
        Err(error) => {
            tracing::error!(%error, slot, "keeping a value for the next page failed");
            None
        }
    }
}

/// Takes what [`keep_for_page`] kept in `slot`, so it is shown only once.
pub async fn take_for_page<T: serde::de::DeserializeOwned>(slot: &str) -> Option<T> {
    use secrecy::ExposeSecret;
    let state = crate::state::current()?;
    let session = current_session().await?;
    let sealed = match session.remove::<Sealed>(slot).await {
        Ok(sealed) => sealed?,
        Err(error) => {
            tracing::error!(%error, slot, "reading a value kept for this page failed");
            return None;
        }
    };
    let opened = state
        .master_keys
        .open(&sealed, &shown_once_context(slot))
        .map_err(|error| tracing::error!(%error, slot, "a value kept for this page did not open"))
        .ok()?;
    serde_json::from_str(opened.expose_secret())
        .map_err(|error| tracing::error!(%error, slot, "a value kept for this page did not read"))
        .ok()
}

/// What a shown-once value is sealed for: its slot, so one slot's value
/// cannot be opened as another's.
fn shown_once_context(slot: &str) -> String {
    format!("shown-once/{slot}")
}

/// A live session of someone's, as their export lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionSummary {
    pub signed_in_at: i64,
    pub last_activity_at: i64,
    /// When it ends unless used again (idle) or at the latest (absolute).
    pub ends_at: i64,
}

/// The sessions of `user` still signed in now, from their stored data.
pub async fn sessions_of(
    state: &AppState,
    user_id: &str,
    generation: i64,
) -> Result<Vec<SessionSummary>, sqlx::Error> {
    #[derive(Deserialize)]
    struct Stored {
        data: std::collections::HashMap<String, serde_json::Value>,
    }
    let now = state.clock.now();
    let mut found = Vec::new();
    for data in store::sessions_data_of(&state.pool, user_id).await? {
        let signed_in = serde_json::from_str::<Stored>(&data)
            .ok()
            .and_then(|mut stored| stored.data.remove(SIGNED_IN))
            .and_then(|value| serde_json::from_value::<SignedIn>(value).ok());
        let Some(signed_in) = signed_in.filter(|s| s.user_id == user_id) else {
            continue;
        };
        let last = signed_in.last_seen.max(signed_in.signed_in_at);
        let ends_at =
            (signed_in.signed_in_at + ABSOLUTE_LIFETIME_SECS).min(last + IDLE_LIFETIME_SECS);
        if signed_in.generation == generation && ends_at > now {
            found.push(SessionSummary {
                signed_in_at: signed_in.signed_in_at,
                last_activity_at: last,
                ends_at,
            });
        }
    }
    found.sort_by_key(|session| std::cmp::Reverse(session.last_activity_at));
    Ok(found)
}
