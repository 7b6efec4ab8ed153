//! Membership rules: only admins change who belongs and with which role,
//! a workspace always keeps an admin, every change is audited in the same
//! transaction. Storage failures are logged here and leave as
//! `Unavailable`.

use super::rules::{check_change, MembershipChange, MembershipProblem};
use super::{
    store, InvitationSummary, Member, MembersError, PendingInvitation, INVITATION_LIFETIME_SECS,
};
use crate::accounts::credentials::{check_email, check_new_account, normalize_email};
use crate::accounts::session::{Actor, Admin};
use crate::accounts::{password, service as accounts, tokens, AuthError};
use crate::activity::log as audit;
use crate::api_access::service as api_access;
use crate::db::Tx;
use crate::domain::WorkspaceId;
use crate::domain::{Role, UserId};
use crate::state::AppState;

/// Runs `change` through the write path in one transaction of
/// `workspace` that first takes its membership lock, so concurrent changes
/// of who belongs take turns.
pub async fn membership_tx<T, E>(
    state: &AppState,
    workspace: &WorkspaceId,
    change: impl AsyncFnOnce(&mut Tx<'_>) -> Result<Result<T, E>, sqlx::Error>,
) -> Result<Result<T, E>, sqlx::Error> {
    crate::db::write(state, async |tx| {
        crate::db::workspaces::lock_membership(tx, workspace).await?;
        change(tx).await
    })
    .await
}

/// [`membership_tx`] for a change an admin makes on the Members page.
async fn in_membership_tx<T>(
    state: &AppState,
    actor: &Admin,
    what: &'static str,
    change: impl AsyncFnOnce(&mut Tx<'_>) -> Result<Result<T, MembersError>, sqlx::Error>,
) -> Result<T, MembersError> {
    membership_tx(state, &actor.workspace, change)
        .await
        .map_err(MembersError::logged(what))?
}

/// The workspace's members, for anyone in it.
pub async fn list(state: &AppState, actor: &Actor) -> Result<Vec<Member>, MembersError> {
    let members = accounts::members(&state.pool, &actor.workspace)
        .await
        .map_err(MembersError::logged("listing members"))?
        .into_iter()
        .map(|record| Member {
            suspended: record.suspended_at.is_some(),
            is_you: record.id == actor.user_id,
            id: record.id,
            name: record.name,
            email: record.email,
            role: record.role,
        })
        .collect();
    Ok(members)
}

/// The workspace's invitations that can still be used, for its admins.
pub async fn pending_invitations(
    state: &AppState,
    admin: &Admin,
) -> Result<Vec<PendingInvitation>, MembersError> {
    let invitations = store::pending_invitations(&state.pool, &admin.workspace, state.clock.now())
        .await
        .map_err(MembersError::logged("listing invitations"))?
        .into_iter()
        .map(|record| PendingInvitation {
            id: record.id,
            email: record.email,
            role: record.role,
            invited_by: record.invited_by_name,
            expires_at: record.expires_at,
        })
        .collect();
    Ok(invitations)
}

/// Creates an invitation for `email` to join as `role`. Returns the token
/// (only its digest is stored) and when it expires.
pub async fn invite(
    state: &AppState,
    actor: &Admin,
    email: &str,
    role: Role,
) -> Result<(String, i64), MembersError> {
    check_email(email).map_err(|_| MembersError::EmailInvalid)?;
    let email = normalize_email(email);
    let token = tokens::random_hex(32);
    let now = state.clock.now();
    let expires_at = now + INVITATION_LIFETIME_SECS;
    in_membership_tx(state, actor, "creating an invitation", async |tx| {
        if accounts::email_in_use(&mut **tx, &email).await? {
            return Ok(Err(MembersError::AlreadyMember));
        }
        store::delete_unused_invitations_for(tx, &actor.workspace, &email).await?;
        store::insert_invitation(
            tx,
            store::NewInvitation {
                id: &tokens::random_hex(16),
                token_hash: &tokens::digest(&token),
                workspace: &actor.workspace,
                email: &email,
                role,
                invited_by_name: &actor.name,
                invited_by_id: &actor.user_id,
                created_at: now,
                expires_at,
            },
        )
        .await?;
        let what = format!("{} invited as {}", audit::shown_email(&email), role.label());
        audit::record_change(tx, actor.actor(), now, "Members", None, &what).await?;
        Ok(Ok(()))
    })
    .await?;
    Ok((token, expires_at))
}

/// Gives `user_id` the role `role`. Keeping the same role changes nothing.
pub async fn change_role(
    state: &AppState,
    actor: &Admin,
    user_id: &UserId,
    role: Role,
) -> Result<(), MembersError> {
    in_membership_tx(state, actor, "changing a role", async |tx| {
        let Some(target) = accounts::member(&mut **tx, &actor.workspace, user_id).await? else {
            return Ok(Err(MembersError::NoSuchMember));
        };
        if target.role == role {
            return Ok(Ok(()));
        }
        let admins = accounts::count_admins(&mut **tx, &actor.workspace).await?;
        if let Err(problem) = check_change(
            counted_role(&target),
            MembershipChange::SetRole(role),
            admins,
        ) {
            return Ok(Err(problem.into()));
        }
        accounts::set_role(tx, user_id, role).await?;
        let subject = format!("Role of {}", target.name);
        let now = state.clock.now();
        audit::record_change(
            tx,
            actor.actor(),
            now,
            &subject,
            Some(target.role.label()),
            role.label(),
        )
        .await?;
        if role == Role::Member {
            let author = audit::Author::Person(actor.actor());
            end_what_they_made(tx, state, &actor.workspace, author, &target).await?;
        }
        Ok(Ok(()))
    })
    .await?;
    Ok(())
}

/// Someone who is no longer an admin (demoted or removed) takes their
/// powers with them: the service tokens they made (unless another admin
/// took them over) are revoked and their unused invitations withdrawn,
/// each with an audit entry.
async fn end_what_they_made(
    tx: &mut Tx<'_>,
    state: &AppState,
    workspace: &WorkspaceId,
    author: audit::Author<'_>,
    target: &accounts::MemberRecord,
) -> Result<(), sqlx::Error> {
    if target.role != Role::Admin {
        return Ok(());
    }
    let (user_id, name) = (target.id.as_str(), target.name.as_str());
    let now = state.clock.now();
    api_access::revoke_made_by(tx, workspace, author, user_id, name, now).await?;
    for email in store::delete_unused_invitations_by(tx, workspace, user_id).await? {
        let what = format!(
            "invitation of {} withdrawn: {name}, who sent it, is no longer an admin",
            audit::shown_email(&email)
        );
        audit::record_by(tx, workspace, author, now, "Members", &what).await?;
    }
    Ok(())
}

/// Why someone cannot leave the workspace now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CannotLeave {
    NoSuchMember,
    /// They are the admin the workspace keeps.
    LastAdmin,
}

/// In a membership transaction: `user_id`'s record, if they may leave the
/// workspace, once what they made as an admin has ended (their tokens
/// revoked, their unused invitations withdrawn, by `author`). Erasing
/// them is the person's-data use case's part.
pub async fn prepare_leaving(
    tx: &mut Tx<'_>,
    state: &AppState,
    workspace: &WorkspaceId,
    user_id: &UserId,
    author: audit::Author<'_>,
) -> Result<Result<accounts::MemberRecord, CannotLeave>, sqlx::Error> {
    let Some(target) = accounts::member(&mut **tx, workspace, user_id).await? else {
        return Ok(Err(CannotLeave::NoSuchMember));
    };
    let admins = accounts::count_admins(&mut **tx, workspace).await?;
    if check_change(counted_role(&target), MembershipChange::Remove, admins).is_err() {
        return Ok(Err(CannotLeave::LastAdmin));
    }
    end_what_they_made(tx, state, workspace, author, &target).await?;
    Ok(Ok(target))
}

/// The role a person counts with towards "the workspace keeps an admin":
/// a suspended admin cannot act as one.
fn counted_role(target: &accounts::MemberRecord) -> Role {
    match target.suspended_at {
        Some(_) => Role::Member,
        None => target.role,
    }
}

/// The invitations a person sent or received go with them.
pub const ERASER: crate::db::erasure::Eraser = crate::eraser!(
    "the invitations they sent or received",
    store::delete_invitations_of
);

/// Suspends `user_id`: they cannot sign in and their sessions end;
/// nothing of theirs is deleted. An admin cannot suspend themselves, and
/// the workspace keeps an admin who can sign in.
pub async fn suspend(
    state: &AppState,
    actor: &Admin,
    user_id: &UserId,
) -> Result<(), MembersError> {
    if *user_id == actor.user_id {
        return Err(MembersError::NotYourself);
    }
    in_membership_tx(state, actor, "suspending a member", async |tx| {
        let Some(target) = accounts::member(&mut **tx, &actor.workspace, user_id).await? else {
            return Ok(Err(MembersError::NoSuchMember));
        };
        if target.suspended_at.is_some() {
            return Ok(Ok(()));
        }
        let admins = accounts::count_admins(&mut **tx, &actor.workspace).await?;
        if let Err(problem) = check_change(target.role, MembershipChange::Remove, admins) {
            return Ok(Err(problem.into()));
        }
        let now = state.clock.now();
        accounts::suspend(tx, user_id, now).await?;
        let author = audit::Author::Person(actor.actor());
        end_what_they_made(tx, state, &actor.workspace, author, &target).await?;
        let subject = format!("Account of {}", target.name);
        audit::record_change(tx, actor.actor(), now, &subject, None, "suspended").await?;
        Ok(Ok(()))
    })
    .await?;
    Ok(())
}

/// Lifts `user_id`'s suspension: they can sign in again.
pub async fn restore(
    state: &AppState,
    actor: &Admin,
    user_id: &UserId,
) -> Result<(), MembersError> {
    in_membership_tx(state, actor, "restoring a member", async |tx| {
        let Some(target) = accounts::member(&mut **tx, &actor.workspace, user_id).await? else {
            return Ok(Err(MembersError::NoSuchMember));
        };
        if target.suspended_at.is_none() {
            return Ok(Ok(()));
        }
        accounts::restore(tx, user_id).await?;
        let subject = format!("Account of {}", target.name);
        let now = state.clock.now();
        audit::record_change(tx, actor.actor(), now, &subject, None, "restored").await?;
        Ok(Ok(()))
    })
    .await
}

/// Withdraws an unused invitation; its link stops working.
pub async fn revoke_invitation(
    state: &AppState,
    actor: &Admin,
    invitation_id: &str,
) -> Result<(), MembersError> {
    in_membership_tx(state, actor, "withdrawing an invitation", async |tx| {
        let Some(invitation) =
            store::delete_invitation(tx, &actor.workspace, invitation_id).await?
        else {
            return Ok(Err(MembersError::NoSuchInvitation));
        };
        let what = format!(
            "invitation of {} withdrawn",
            audit::shown_email(&invitation.email)
        );
        record(tx, actor, state, &what).await?;
        Ok(Ok(()))
    })
    .await
}

/// The audit entry of a membership change, in its transaction.
async fn record(
    tx: &mut Tx<'_>,
    actor: &Admin,
    state: &AppState,
    what: &str,
) -> Result<(), sqlx::Error> {
    audit::record_change(tx, actor.actor(), state.clock.now(), "Members", None, what).await
}

impl From<MembershipProblem> for MembersError {
    fn from(problem: MembershipProblem) -> Self {
        match problem {
            MembershipProblem::LastAdmin => MembersError::LastAdmin,
        }
    }
}

/// What an invitation link offers, while it can be used.
pub async fn invitation_summary(
    state: &AppState,
    token: &str,
) -> Result<InvitationSummary, AuthError> {
    let invitation =
        store::usable_invitation(&state.pool, &tokens::digest(token), state.clock.now())
            .await
            .map_err(AuthError::logged("reading an invitation"))?
            .ok_or(AuthError::InvitationInvalid)?;
    let workspace_name = crate::db::workspaces::workspace_name(&state.pool, &invitation.workspace)
        .await
        .map_err(AuthError::logged("reading a workspace"))?
        .unwrap_or_default();
    Ok(InvitationSummary {
        email: invitation.email,
        role: invitation.role,
        workspace_name,
        invited_by: invitation.invited_by_name,
    })
}

/// Creates the invited person's account, using the invitation up. Returns
/// the new user's id.
pub async fn accept_invitation(
    state: &AppState,
    token: &str,
    name: &str,
    password: &str,
    password_again: &str,
) -> Result<String, AuthError> {
    let summary = invitation_summary(state, token).await?;
    check_new_account(name, &summary.email, password, password_again)?;
    let password_hash = password::hash(&state.passwords, password.to_string())
        .await
        .map_err(|error| match error {
            password::HashError::Busy => AuthError::Busy,
            error => {
                tracing::error!(%error, "hashing a password failed");
                AuthError::Unavailable
            }
        })?;
    let now = state.clock.now();
    let user_id = UserId::new(tokens::random_hex(16));
    let name = name.trim();
    let outcome = crate::db::write(state, async |tx| {
        let Some(invitation) = store::consume_invitation(tx, &tokens::digest(token), now).await?
        else {
            return Ok(Err(AuthError::InvitationInvalid));
        };
        crate::db::workspaces::lock_membership(tx, &invitation.workspace).await?;
        let inserted = accounts::insert_account(
            tx,
            accounts::NewUser {
                id: &user_id,
                workspace: &invitation.workspace,
                email: &invitation.email,
                name,
                password_hash: &password_hash,
                role: invitation.role,
                created_at: now,
            },
        )
        .await?;
        if !inserted {
            return Ok(Err(AuthError::EmailTaken));
        }
        let newcomer = Actor {
            user_id: user_id.clone(),
            workspace: invitation.workspace.clone(),
            name: name.to_string(),
            role: invitation.role,
        };
        let what = format!(
            "{name} <{}> joined as {}",
            invitation.email,
            invitation.role.label()
        );
        audit::record_change(tx, &newcomer, now, "Members", None, &what).await?;
        Ok(Ok(()))
    })
    .await;
    outcome.map_err(AuthError::logged("accepting an invitation"))??;
    Ok(user_id.to_string())
}

/// Gives `user_id` the role their groups at the identity provider map to,
/// at each single sign-on. A workspace keeps an admin even then: the last
/// admin is not demoted (logged, so the operator can fix the groups).
pub async fn apply_sign_on_role(
    state: &AppState,
    user_id: &str,
    role: Role,
) -> Result<(), sqlx::Error> {
    let workspace = &state.deployment.workspace;
    // `Err(())`: nothing changes (rolled back).
    let _unchanged_or_changed: Result<(), ()> = membership_tx(state, workspace, async |tx| {
        let Some(target) = accounts::member(&mut **tx, workspace, user_id).await? else {
            return Ok(Err(()));
        };
        if target.role == role {
            return Ok(Err(()));
        }
        let admins = accounts::count_admins(&mut **tx, workspace).await?;
        let change = MembershipChange::SetRole(role);
        if check_change(counted_role(&target), change, admins).is_err() {
            tracing::warn!(
                "the identity provider no longer maps the workspace's last admin to the admin \
                 group; they stay an admin until another admin exists"
            );
            return Ok(Err(()));
        }
        accounts::set_role(tx, user_id, role).await?;
        audit::record(
            tx,
            audit::NewEntry {
                workspace,
                at: state.clock.now(),
                actor_id: None,
                actor_name: SIGN_ON,
                subject: &format!("Role of {}", target.name),
                old_value: Some(target.role.label()),
                new_value: Some(&format!(
                    "{} (groups at the identity provider)",
                    role.label()
                )),
            },
        )
        .await?;
        // No longer an admin: what they made as one ends, as on the page.
        if role == Role::Member {
            let author = audit::Author::Console(SIGN_ON);
            end_what_they_made(tx, state, workspace, author, &target).await?;
        }
        Ok(Ok(()))
    })
    .await?;
    Ok(())
}

/// Who the audit log says acted when single sign-on changed a role.
const SIGN_ON: &str = "Single sign-on";

/// Deletes invitations expired or used longer ago than the retention.
pub async fn forget_old_invitations(state: &AppState) -> Result<u64, sqlx::Error> {
    let kept = crate::state::days(state.deployment.retention.invitation_days);
    let before = state.clock.now() - kept;
    crate::db::commit(state, async |tx| {
        store::forget_invitations_before(tx, before).await
    })
    .await
}

/// The invitations `user_id` sent that are still kept: for their export.
pub async fn invitations_sent_by(
    state: &AppState,
    workspace: &WorkspaceId,
    user_id: &str,
) -> Result<Vec<store::SentInvitation>, sqlx::Error> {
    store::invitations_sent_by(&state.pool, workspace, user_id).await
}
