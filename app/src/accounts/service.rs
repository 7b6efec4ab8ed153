//! Account rules: the first admin, signing in. Storage and hashing
//! failures are logged here and leave as `AuthError::Unavailable`.

use super::{attempts, password, store, tokens, AuthError};
use crate::accounts::credentials::{
    check_email, check_new_account, normalize_email, MAX_PASSWORD_CHARS,
};
use crate::activity::log as audit;
use crate::db::Tx;
use crate::domain::Role;
use crate::domain::WorkspaceId;
use crate::state::AppState;
use sqlx::AnyExecutor;

/// How long a printed setup link stays usable.
pub const SETUP_LINK_LIFETIME_SECS: i64 = 24 * 60 * 60;

/// A full hashing queue is "busy, try again"; anything else is a failure.
fn hashing_failed(what: &str, error: password::HashError) -> AuthError {
    match error {
        password::HashError::Busy => {
            tracing::warn!("{what} turned away: too many passwords being checked at once");
            AuthError::Busy
        }
        other => AuthError::logged(what)(other),
    }
}

/// A fresh one-time setup token while the deployment has no users yet;
/// `None` once anyone can sign in. Earlier unused tokens stop working.
pub async fn issue_setup_token(
    state: &AppState,
    workspace: &WorkspaceId,
) -> Result<Option<(String, i64)>, sqlx::Error> {
    crate::db::commit(state, async |tx| {
        if store::count_users(&mut **tx).await? > 0 {
            return Ok(None);
        }
        let token = tokens::random_hex(32);
        let expires_at = state.clock.now() + SETUP_LINK_LIFETIME_SECS;
        store::replace_setup_token(tx, workspace, &tokens::digest(&token), expires_at).await?;
        Ok(Some((token, expires_at)))
    })
    .await
}

/// Whether a first-admin setup link can still be used.
pub async fn setup_link_usable(state: &AppState, token: &str) -> Result<bool, AuthError> {
    store::usable_setup_token(&state.pool, &tokens::digest(token), state.clock.now())
        .await
        .map(|workspace| workspace.is_some())
        .map_err(AuthError::logged("checking a setup link"))
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
    let result = crate::db::write(state, async |tx| {
        let Some(workspace) = store::consume_setup_token(tx, &tokens::digest(token), now).await?
        else {
            return Ok(Err(AuthError::SetupLinkInvalid));
        };
        // An admin created meanwhile (from the command line) ends setup.
        if store::count_users(&mut **tx).await? > 0 {
            return Ok(Err(AuthError::SetupLinkInvalid));
        }
        store::insert_user(
            tx,
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
        Ok(Ok(()))
    })
    .await;
    match result {
        Ok(outcome) => outcome.map(|()| user_id),
        Err(error) => Err(AuthError::logged("creating the first admin")(error)),
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
    let inserted = crate::db::commit(state, async |tx| {
        store::insert_user(
            tx,
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
        .await
    })
    .await;
    match inserted {
        Ok(()) => Ok(user_id),
        Err(error) if store::is_unique_violation(&error) => Err(AuthError::EmailTaken),
        Err(error) => Err(AuthError::logged("creating an account")(error)),
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
            .map_err(AuthError::logged("looking up an account"))?
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
        // Said only to whoever knows the password.
        Some(user) if matches && user.suspended_at.is_some() => Err(AuthError::Suspended),
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
            // The password was right: not a guess to count.
            Err(AuthError::Suspended) => {
                attempts::succeeded(state, attempt).await?;
                Err(AuthError::Suspended)
            }
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
        Err(AuthError::Suspended) => "suspended",
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
        .map_err(AuthError::logged("looking up an account"))?
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
    let changed = crate::db::commit(state, async |tx| {
        store::replace_password(tx, &actor.user_id, &password_hash).await?;
        let what = "changed; other sessions signed out";
        audit::record_change(tx, actor, now, "Own password", None, what).await?;
        Ok(())
    })
    .await;
    changed.map_err(AuthError::logged("changing a password"))
}

pub use super::store::NewUser;

/// Whether an account uses `email` (already normalised), in the caller's
/// transaction: for screens that create people (invitations).
pub async fn email_in_use(db: impl AnyExecutor<'_>, email: &str) -> Result<bool, sqlx::Error> {
    Ok(store::find_by_email(db, email).await?.is_some())
}

/// Creates an account in the caller's transaction. `Ok(false)`: the e-mail
/// address is taken.
pub async fn insert_account(tx: &mut Tx<'_>, user: NewUser<'_>) -> Result<bool, sqlx::Error> {
    match store::insert_user(tx, user).await {
        Ok(()) => Ok(true),
        Err(error) if store::is_unique_violation(&error) => Ok(false),
        Err(error) => Err(error),
    }
}

/// Deletes failed sign-in records no throttle looks at any more.
pub async fn forget_old_failures(state: &AppState) -> Result<u64, sqlx::Error> {
    let before = state.clock.now() - super::throttle::HORIZON_SECS;
    crate::db::commit(state, async |tx| {
        store::forget_failures_before(tx, before).await
    })
    .await
}

/// Suspends `user_id` from `at` in the caller's transaction; every
/// session of theirs ends.
pub async fn suspend(tx: &mut Tx<'_>, user_id: &str, at: i64) -> Result<(), sqlx::Error> {
    store::suspend(tx, user_id, at).await
}

/// Lifts the suspension of `user_id`, in the caller's transaction.
pub async fn restore(tx: &mut Tx<'_>, user_id: &str) -> Result<(), sqlx::Error> {
    store::restore(tx, user_id).await
}

/// The audit subjects of a person correcting their own name and address.
pub const OWN_NAME: &str = "Own name";
pub const OWN_EMAIL: &str = "Own e-mail address";

/// The names and addresses `user_id` had before correcting them, as their
/// audit entries remember them (nothing older than the audit retention).
pub async fn former_identity(
    tx: &mut Tx<'_>,
    workspace: &WorkspaceId,
    user_id: &str,
) -> Result<(Vec<String>, Vec<String>), sqlx::Error> {
    let names = audit::old_values_of(&mut **tx, workspace, user_id, OWN_NAME).await?;
    let emails = audit::old_values_of(&mut **tx, workspace, user_id, OWN_EMAIL).await?;
    Ok((names, emails))
}

/// Deletes the account of `person` and everything kept to sign them in
/// (sessions, failed sign-ins at any address they had, linked
/// identities), in the caller's transaction.
pub async fn delete_person(
    tx: &mut Tx<'_>,
    _workspace: &WorkspaceId,
    person: &crate::domain::FormerPerson,
) -> Result<(), sqlx::Error> {
    store::delete_person(tx, &person.user_id, &person.emails()).await
}

/// Runs last: the other erasers still find the person's rows.
pub const ERASER: crate::db::erasure::Eraser = crate::eraser!(
    "their account, sessions, sign-in records and linked identities",
    delete_person
);

/// Whether the account signs in through the identity provider (it has
/// no password of its own).
pub async fn signs_in_with_sign_on(state: &AppState, user_id: &str) -> Result<bool, AuthError> {
    store::identity_issuer(&state.pool, user_id)
        .await
        .map(|issuer| issuer.is_some())
        .map_err(AuthError::logged("looking up an identity"))
}

/// Checks what a person typed to confirm deleting their own account: the
/// password, or for an account of the identity provider (which has no
/// password here) their own e-mail address.
pub async fn confirm_deletion(
    state: &AppState,
    actor: &crate::accounts::session::Actor,
    client: &str,
    typed: &str,
) -> Result<(), AuthError> {
    if signs_in_with_sign_on(state, &actor.user_id).await? {
        let user = store::find_by_id(&state.pool, &actor.user_id)
            .await
            .map_err(AuthError::logged("looking up an account"))?
            .ok_or(AuthError::SignInRequired)?;
        return match normalize_email(typed) == user.email {
            true => Ok(()),
            false => Err(AuthError::ConfirmationWrong),
        };
    }
    confirm_password(state, actor, client, typed).await
}

/// Corrects the signed-in person's name and e-mail address. A new address
/// needs the password (it is what signs them in); an account of the
/// identity provider keeps the address the provider gave. Each change is
/// audited.
pub async fn change_profile(
    state: &AppState,
    actor: &crate::accounts::session::Actor,
    client: &str,
    name: &str,
    email: &str,
    current_password: &str,
) -> Result<(), AuthError> {
    crate::accounts::credentials::check_name(name)?;
    check_email(email)?;
    let name = name.trim();
    let email = normalize_email(email);
    let user = store::find_by_id(&state.pool, &actor.user_id)
        .await
        .map_err(AuthError::logged("looking up an account"))?
        .ok_or(AuthError::SignInRequired)?;
    let email_changes = email != user.email;
    if email_changes {
        if signs_in_with_sign_on(state, &actor.user_id).await? {
            return Err(AuthError::EmailFromSignOn);
        }
        confirm_password(state, actor, client, current_password).await?;
    }
    if !email_changes && name == user.name {
        return Ok(());
    }
    let now = state.clock.now();
    let changed = crate::db::write(state, async |tx| {
        match store::update_profile(tx, &actor.user_id, name, &email).await {
            Err(error) if store::is_unique_violation(&error) => {
                return Ok(Err(AuthError::EmailTaken));
            }
            other => other?,
        }
        if name != user.name {
            audit::record_change(tx, actor, now, OWN_NAME, Some(&user.name), name).await?;
        }
        if email_changes {
            let (old, new) = (audit::shown_email(&user.email), audit::shown_email(&email));
            audit::record_change(tx, actor, now, OWN_EMAIL, Some(&old), &new).await?;
        }
        Ok(Ok(()))
    })
    .await;
    changed.map_err(AuthError::logged("correcting an account"))?
}

/// Everything the console keeps about the signed-in person, for their
/// download, as far as accounts keep it (`use_cases::personal_data` adds
/// what other screens keep). Secrets (password hash, tokens, keys) are
/// never part of it.
pub async fn export(
    state: &AppState,
    actor: &crate::accounts::session::Actor,
) -> Result<super::personal_data::PersonalData, AuthError> {
    use super::personal_data::*;
    let failed = AuthError::logged("exporting someone's data");
    let user = store::find_by_id(&state.pool, &actor.user_id)
        .await
        .map_err(failed)?
        .ok_or(AuthError::SignInRequired)?;
    let workspace = &actor.workspace;
    let issuer = store::identity_issuer(&state.pool, &user.id)
        .await
        .map_err(failed)?;
    let sessions = super::session::sessions_of(state, &user.id, user.session_generation)
        .await
        .map_err(failed)?;
    let activity = audit::all_of(&state.pool, workspace, &user.id)
        .await
        .map_err(failed)?;
    let failures = store::failures_of_account(&state.pool, &user.email, 0)
        .await
        .map_err(failed)?;
    let at = |secs: Option<i64>| secs.map(rfc3339);
    Ok(PersonalData {
        exported_at: rfc3339(state.clock.now()),
        about: "Everything this console keeps about you. Passwords, tokens and keys are never \
                included: the console keeps only what cannot be turned back into them."
            .to_string(),
        account: AccountData {
            name: user.name,
            email: user.email,
            role: user.role.label().to_string(),
            workspace: workspace.as_str().to_string(),
            created_at: rfc3339(user.created_at),
            signs_in_with: match issuer {
                Some(issuer) => format!("single sign-on ({issuer})"),
                None => "password".to_string(),
            },
            suspended_since: at(user.suspended_at),
        },
        sessions: sessions
            .into_iter()
            .map(|session| SessionData {
                signed_in_at: rfc3339(session.signed_in_at),
                last_activity_at: rfc3339(session.last_activity_at),
                ends_at: rfc3339(session.ends_at),
            })
            .collect(),
        activity: activity
            .into_iter()
            .map(|entry| ActivityData {
                at: rfc3339(entry.at),
                subject: entry.subject,
                old_value: entry.old_value,
                new_value: entry.new_value,
            })
            .collect(),
        // What other screens keep about the person: `use_cases::personal_data`.
        invitations_sent: Vec::new(),
        service_tokens_created: Vec::new(),
        failed_sign_ins: failures.into_iter().map(rfc3339).collect(),
    })
}

/// "Your account" for the signed-in person: their e-mail address, and
/// whether they sign in through the identity provider.
pub async fn own_account(
    state: &AppState,
    actor: &crate::accounts::session::Actor,
) -> Result<(String, bool), AuthError> {
    let user = store::find_by_id(&state.pool, &actor.user_id)
        .await
        .map_err(AuthError::logged("looking up an account"))?
        .ok_or(AuthError::SignInRequired)?;
    let signs_in_with_sign_on = signs_in_with_sign_on(state, &actor.user_id).await?;
    Ok((user.email, signs_in_with_sign_on))
}

/// The account `user_id`, if it exists; a failed read is logged and
/// reads as none (for what a page may leave out).
pub async fn find(state: &AppState, user_id: &str) -> Option<store::UserRecord> {
    match store::find_by_id(&state.pool, user_id).await {
        Ok(user) => user,
        Err(error) => {
            tracing::error!(%error, "looking up an account failed");
            None
        }
    }
}

/// Notes that `user_id` dismissed the notice of privacy notice `version`.
pub async fn note_privacy_notice_seen(
    state: &AppState,
    user_id: &str,
    version: &str,
) -> Result<(), sqlx::Error> {
    crate::db::commit(state, async |tx| {
        store::note_privacy_notice_seen(tx, user_id, version).await
    })
    .await
}

/// One person of a workspace, as the Members screen reads them.
pub use super::store::MemberRecord;

/// The people of `workspace`, by name.
pub async fn members(
    db: impl AnyExecutor<'_>,
    workspace: &WorkspaceId,
) -> Result<Vec<MemberRecord>, sqlx::Error> {
    store::members(db, workspace).await
}

/// The person of `workspace` that `given` names: their account id or
/// e-mail address (as typed: case and spaces do not matter).
pub async fn member_by_id_or_email(
    db: impl AnyExecutor<'_>,
    workspace: &WorkspaceId,
    given: &str,
) -> Result<Option<MemberRecord>, sqlx::Error> {
    let email = normalize_email(given);
    store::member_by_id_or_email(db, workspace, given, &email).await
}

/// The person `user_id` of `workspace`, if they belong to it.
pub async fn member(
    db: impl AnyExecutor<'_>,
    workspace: &WorkspaceId,
    user_id: &str,
) -> Result<Option<MemberRecord>, sqlx::Error> {
    store::member(db, workspace, user_id).await
}

/// How many admins of `workspace` can sign in.
pub async fn count_admins(
    db: impl AnyExecutor<'_>,
    workspace: &WorkspaceId,
) -> Result<usize, sqlx::Error> {
    store::count_admins(db, workspace).await
}

/// Gives `user_id` `role`, in the caller's transaction.
pub async fn set_role(tx: &mut Tx<'_>, user_id: &str, role: Role) -> Result<(), sqlx::Error> {
    store::set_role(tx, user_id, role).await
}
