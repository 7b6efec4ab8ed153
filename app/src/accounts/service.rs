//! Account rules: the first admin, signing in. Storage and hashing
//! failures are logged here and leave as `AuthError::Unavailable`.

use super::{attempts, password, store, tokens, AuthError};
use crate::accounts::credentials::{
    check_email, check_new_account, normalize_email, MAX_PASSWORD_CHARS,
};
use crate::activity::log as audit;
use crate::domain::Role;
use crate::state::AppState;
use crate::workspace::WorkspaceId;
use sqlx::AnyExecutor;

/// How long a printed setup link stays usable.
pub const SETUP_LINK_LIFETIME_SECS: i64 = 24 * 60 * 60;

fn unavailable(what: &str, error: impl std::fmt::Display) -> AuthError {
    tracing::error!(%error, "{what} failed");
    AuthError::Unavailable
}

/// A full hashing queue is "busy, try again"; anything else is a failure.
fn hashing_failed(what: &str, error: password::HashError) -> AuthError {
    match error {
        password::HashError::Busy => {
            tracing::warn!("{what} turned away: too many passwords being checked at once");
            AuthError::Busy
        }
        other => unavailable(what, other),
    }
}

/// A fresh one-time setup token while the deployment has no users yet;
/// `None` once anyone can sign in. Earlier unused tokens stop working.
pub async fn issue_setup_token(
    state: &AppState,
    workspace: &WorkspaceId,
) -> Result<Option<(String, i64)>, sqlx::Error> {
    let _turn = crate::db::write_turn(&state.pool).await;
    let mut tx = state.pool.begin().await?;
    if store::count_users(&mut *tx).await? > 0 {
        return Ok(None);
    }
    let token = tokens::random_hex(32);
    let expires_at = state.clock.now() + SETUP_LINK_LIFETIME_SECS;
    store::replace_setup_token(&mut tx, workspace, &tokens::digest(&token), expires_at).await?;
    tx.commit().await?;
    Ok(Some((token, expires_at)))
}

/// Whether a first-admin setup link can still be used.
pub async fn setup_link_usable(state: &AppState, token: &str) -> Result<bool, AuthError> {
    store::usable_setup_token(&state.pool, &tokens::digest(token), state.clock.now())
        .await
        .map(|workspace| workspace.is_some())
        .map_err(|e| unavailable("checking a setup link", e))
}

/// A new account as someone typed it in a form.
pub struct NewAccount<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub password: &'a str,
    pub password_again: &'a str,
}

impl NewAccount<'_> {
    fn check(&self) -> Result<(), AuthError> {
        check_new_account(self.name, self.email, self.password, self.password_again)?;
        Ok(())
    }

    async fn password_hash(&self, state: &AppState) -> Result<String, AuthError> {
        password::hash(&state.passwords, self.password.to_string())
            .await
            .map_err(|e| hashing_failed("hashing a password", e))
    }
}

/// Creates the first admin with a setup token, which is used up by it.
/// Returns the new user's id.
pub async fn complete_setup(
    state: &AppState,
    token: &str,
    account: NewAccount<'_>,
) -> Result<String, AuthError> {
    account.check()?;
    if !setup_link_usable(state, token).await? {
        return Err(AuthError::SetupLinkInvalid);
    }
    let password_hash = account.password_hash(state).await?;

    let now = state.clock.now();
    let user_id = tokens::random_hex(16);
    let email = normalize_email(account.email);
    let result: Result<Result<(), AuthError>, sqlx::Error> = async {
        let _turn = crate::db::write_turn(&state.pool).await;
        let mut tx = state.pool.begin().await?;
        let Some(workspace) =
            store::consume_setup_token(&mut *tx, &tokens::digest(token), now).await?
        else {
            return Ok(Err(AuthError::SetupLinkInvalid));
        };
        // An admin created meanwhile (from the command line) ends setup.
        if store::count_users(&mut *tx).await? > 0 {
            return Ok(Err(AuthError::SetupLinkInvalid));
        }
        store::insert_user(
            &mut *tx,
            NewUser {
                id: &user_id,
                workspace: &workspace,
                email: &email,
                name: account.name.trim(),
                password_hash: &password_hash,
                role: Role::Admin,
                created_at: now,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(()))
    }
    .await;
    match result {
        Ok(outcome) => outcome.map(|()| user_id),
        Err(error) => Err(unavailable("creating the first admin", error)),
    }
}

/// Creates an account directly (the server's `create-admin` command and
/// tests). Returns the new user's id.
pub async fn create_account(
    state: &AppState,
    workspace: &WorkspaceId,
    role: Role,
    account: NewAccount<'_>,
) -> Result<String, AuthError> {
    account.check()?;
    let password_hash = account.password_hash(state).await?;
    let user_id = tokens::random_hex(16);
    let inserted = store::insert_user(
        &state.pool,
        NewUser {
            id: &user_id,
            workspace,
            email: &normalize_email(account.email),
            name: account.name.trim(),
            password_hash: &password_hash,
            role,
            created_at: state.clock.now(),
        },
    )
    .await;
    match inserted {
        Ok(()) => Ok(user_id),
        Err(error) if store::is_unique_violation(&error) => Err(AuthError::EmailTaken),
        Err(error) => Err(unavailable("creating an account", error)),
    }
}

/// Checks an e-mail and password. Unknown e-mail and wrong password take
/// the same time and give the same answer. Returns the user's id.
pub async fn verify_credentials(
    state: &AppState,
    email: &str,
    password: &str,
) -> Result<String, AuthError> {
    // Malformed input still runs a verification so it takes the usual time.
    let usable = check_email(email).is_ok() && password.chars().count() <= MAX_PASSWORD_CHARS;
    let user = if usable {
        store::find_by_email(&state.pool, &normalize_email(email))
            .await
            .map_err(|e| unavailable("looking up an account", e))?
    } else {
        None
    };
    let candidate = if password.chars().count() <= MAX_PASSWORD_CHARS {
        password
    } else {
        ""
    };
    let matches = password::verify(
        &state.passwords,
        candidate.to_string(),
        user.as_ref().map(|u| u.password_hash.clone()),
    )
    .await
    .map_err(|e| hashing_failed("verifying a password", e))?;
    match user {
        Some(user) if matches => Ok(user.id),
        _ => Err(AuthError::InvalidCredentials),
    }
}

/// Signs in from the client address `client`: refuses without checking
/// the password while this client has failed too often (at this account
/// or at many), counts the attempt before checking it, and forgets this
/// client's failures at the account on success. Returns the user's id.
pub async fn sign_in(
    state: &AppState,
    email: &str,
    password: &str,
    client: &str,
) -> Result<String, AuthError> {
    let signed_in = async {
        let attempt = attempts::begin(state, &normalize_email(email), client).await?;
        match verify_credentials(state, email, password).await {
            Ok(user_id) => {
                attempts::succeeded(state, attempt).await?;
                Ok(user_id)
            }
            Err(AuthError::InvalidCredentials) => Err(AuthError::InvalidCredentials),
            Err(other) => {
                attempts::not_checked(state, attempt).await;
                Err(other)
            }
        }
    }
    .await;
    let outcome = match &signed_in {
        Ok(_) => "signed_in",
        Err(AuthError::InvalidCredentials) => "wrong_password",
        Err(AuthError::TooManyAttempts(_)) => "throttled",
        Err(AuthError::Busy) => "busy",
        Err(_) => "unavailable",
    };
    metrics::counter!("ai_console_sign_ins_total", "outcome" => outcome).increment(1);
    signed_in
}

/// Checks the signed-in person's password once more, before a change that
/// needs more than a session (a stolen session cookie must not be
/// enough). Guessing is throttled like guessing at the sign-in form.
/// `WrongCurrentPassword` if it is not theirs.
pub async fn confirm_password(
    state: &AppState,
    actor: &crate::accounts::session::Actor,
    client: &str,
    typed: &str,
) -> Result<(), AuthError> {
    let user = store::find_by_id(&state.pool, &actor.user_id)
        .await
        .map_err(|e| unavailable("looking up an account", e))?
        .ok_or(AuthError::SignInRequired)?;
    let attempt = attempts::begin(state, &user.email, client).await?;
    let candidate = if typed.chars().count() <= MAX_PASSWORD_CHARS {
        typed
    } else {
        ""
    };
    let stored = Some(user.password_hash);
    match password::verify(&state.passwords, candidate.to_string(), stored).await {
        Ok(true) => attempts::succeeded(state, attempt).await,
        Ok(false) => Err(AuthError::WrongCurrentPassword),
        Err(error) => {
            attempts::not_checked(state, attempt).await;
            Err(hashing_failed("verifying a password", error))
        }
    }
}

/// Changes the signed-in person's password after checking the current one,
/// and voids every other session of theirs. The caller signs the current
/// session in afresh.
pub async fn change_password(
    state: &AppState,
    actor: &crate::accounts::session::Actor,
    client: &str,
    current: &str,
    new: &str,
    new_again: &str,
) -> Result<(), AuthError> {
    crate::accounts::credentials::check_new_password(new, new_again)?;
    confirm_password(state, actor, client, current).await?;
    let password_hash = password::hash(&state.passwords, new.to_string())
        .await
        .map_err(|e| hashing_failed("hashing a password", e))?;
    let now = state.clock.now();
    let changed: Result<(), sqlx::Error> = async {
        let _turn = crate::db::write_turn(&state.pool).await;
        let mut tx = state.pool.begin().await?;
        store::replace_password(&mut *tx, &actor.user_id, &password_hash).await?;
        let what = "changed; other sessions signed out";
        audit::record_change(&mut *tx, actor, now, "Own password", None, what).await?;
        tx.commit().await
    }
    .await;
    changed.map_err(|e| unavailable("changing a password", e))
}

pub use super::store::NewUser;

/// Whether an account uses `email` (already normalised), in the caller's
/// transaction: for screens that create people (invitations).
pub async fn email_in_use(db: impl AnyExecutor<'_>, email: &str) -> Result<bool, sqlx::Error> {
    Ok(store::find_by_email(db, email).await?.is_some())
}

/// Creates an account in the caller's transaction. `Ok(false)`: the e-mail
/// address is taken.
pub async fn insert_account(
    db: impl AnyExecutor<'_>,
    user: NewUser<'_>,
) -> Result<bool, sqlx::Error> {
    match store::insert_user(db, user).await {
        Ok(()) => Ok(true),
        Err(error) if store::is_unique_violation(&error) => Ok(false),
        Err(error) => Err(error),
    }
}

/// Deletes failed sign-in records no throttle looks at any more.
pub async fn forget_old_failures(state: &AppState) -> Result<u64, sqlx::Error> {
    store::forget_failures_before(
        &state.pool,
        state.clock.now() - super::throttle::HORIZON_SECS,
    )
    .await
}
