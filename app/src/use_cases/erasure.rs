//! Erasing a person, when an admin removes them or they delete their own
//! account: every screen that keeps something about people contributes
//! one eraser, and all of them run in the transaction that removes the
//! person, so an erasure is whole or not at all.

use crate::accounts::service as accounts;
use crate::accounts::session::{Actor, Admin};
use crate::accounts::AuthError;
use crate::activity::log as audit;
use crate::db::{erasure::Eraser, Tx};
use crate::domain::{FormerPerson, UserId, WorkspaceId};
use crate::members::service::{self as members, CannotLeave};
use crate::members::MembersError;
use crate::state::AppState;

/// What is erased, screen by screen. Accounts run last: the others still
/// find the person's rows by their account.
pub const ERASERS: &[Eraser] = &[
    members::ERASER,
    audit::ERASER,
    crate::db::versions::ERASER,
    crate::api_access::service::ERASER,
    crate::model_provider::service::ERASER,
    accounts::ERASER,
];

/// Erases `target` from the workspace, in the caller's transaction: what
/// happened stays in the audit log under a pseudonym ("Former member 3"),
/// names copied into other rows become the pseudonym, and what is theirs
/// alone is deleted. Returns who they became.
pub async fn forget_person(
    tx: &mut Tx<'_>,
    workspace: &WorkspaceId,
    target: &accounts::MemberRecord,
) -> Result<FormerPerson, sqlx::Error> {
    let number = crate::db::workspaces::next_former_member(tx, workspace).await?;
    let (names, emails) = accounts::former_identity(tx, workspace, &target.id).await?;
    let former =
        FormerPerson::new(&target.id, &target.name, &target.email, number).formerly(names, emails);
    for eraser in ERASERS {
        (eraser.erase)(tx, workspace, &former)
            .await
            .inspect_err(|error| {
                tracing::error!(%error, erasing = eraser.what, "erasing a person failed");
            })?;
    }
    Ok(former)
}

/// Removes `user_id` from the workspace; their sessions end with it and
/// their personal data is erased.
pub async fn remove_member(
    state: &AppState,
    actor: &Admin,
    user_id: &UserId,
) -> Result<(), MembersError> {
    let workspace = &actor.workspace;
    let author = audit::Author::Person(actor.actor());
    members::membership_tx(state, workspace, async |tx| {
        let target = match members::prepare_leaving(tx, state, workspace, user_id, author).await? {
            Ok(target) => target,
            Err(CannotLeave::NoSuchMember) => return Ok(Err(MembersError::NoSuchMember)),
            Err(CannotLeave::LastAdmin) => return Ok(Err(MembersError::LastAdmin)),
        };
        let former = forget_person(tx, workspace, &target).await?;
        let what = format!(
            "{} removed; their personal data was erased",
            former.pseudonym
        );
        let now = state.clock.now();
        audit::record_change(tx, actor.actor(), now, "Members", None, &what).await?;
        Ok(Ok(()))
    })
    .await
    .map_err(MembersError::logged("removing a member"))??;
    crate::db::scrub_deleted(&state.pool).await;
    Ok(())
}

/// Who the audit log says acted when someone deleted their own account
/// (they themselves are gone).
const SELF_SERVICE: &str = "Account deletion";

/// Deletes the signed-in person's own account once `confirmation` (their
/// password, or their e-mail address for accounts of the identity
/// provider) checks out. The workspace's last admin is refused.
pub async fn delete_own_account(
    state: &AppState,
    actor: &Actor,
    client: &str,
    confirmation: &str,
) -> Result<(), AuthError> {
    accounts::confirm_deletion(state, actor, client, confirmation).await?;
    let workspace = &actor.workspace;
    let author = audit::Author::Console(SELF_SERVICE);
    let outcome = members::membership_tx(state, workspace, async |tx| {
        let target =
            match members::prepare_leaving(tx, state, workspace, &actor.user_id, author).await? {
                Ok(target) => target,
                Err(CannotLeave::NoSuchMember) => return Ok(Err(AuthError::SignInRequired)),
                Err(CannotLeave::LastAdmin) => return Ok(Err(AuthError::LastAdminCannotLeave)),
            };
        let former = forget_person(tx, workspace, &target).await?;
        let what = format!("{} deleted their own account", former.pseudonym);
        let now = state.clock.now();
        audit::record_by(tx, workspace, author, now, "Members", &what).await?;
        Ok(Ok(()))
    })
    .await;
    outcome.map_err(AuthError::logged("deleting an account"))??;
    crate::db::scrub_deleted(&state.pool).await;
    Ok(())
}
