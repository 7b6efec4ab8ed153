//! Single sign-on with the organisation's identity provider (OpenID
//! Connect). The protocol (discovery, PKCE, state, nonce, the ID token's
//! signature and claims) is the server's, with a kept library
//! (`server/src/single_sign_on.rs`); here is what a verified person
//! becomes: the role their groups map to, and the account their issuer and
//! subject name. Every sign-in applies the mapping again, so a change of
//! groups at the provider changes the role at the next sign-in.

use super::credentials::{check_email, normalize_email};
use super::{store, tokens, AuthError};
use crate::activity::log as audit;
use crate::domain::Role;
use crate::state::AppState;

pub use crate::state::SingleSignOn;

/// The role `groups` map to: admin before member; `None` for someone in
/// no mapped group.
pub fn role_for(sso: &SingleSignOn, groups: &[String]) -> Option<Role> {
    let in_any = |mapped: &[String]| groups.iter().any(|group| mapped.contains(group));
    if in_any(&sso.admin_groups) {
        Some(Role::Admin)
    } else if in_any(&sso.member_groups) {
        Some(Role::Member)
    } else {
        None
    }
}

/// A person the identity provider vouched for (ID token verified).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedPerson {
    pub issuer: String,
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub name: Option<String>,
    pub groups: Vec<String>,
}

/// Who the audit log says acted when single sign-on changed something.
const ACTOR: &str = "Single sign-on";

/// The account `person` signs in to, created or linked on first sign-in,
/// and the role their groups map to now (which the Members screen applies:
/// `use_cases::sign_on`). Returns the user's id and that role.
pub async fn account_for(
    state: &AppState,
    sso: &SingleSignOn,
    person: &VerifiedPerson,
) -> Result<(String, Role), AuthError> {
    let Some(role) = role_for(sso, &person.groups) else {
        tracing::info!(subject = %person.subject, "single sign-on refused: in no mapped group");
        return Err(AuthError::SignOnNoGroup);
    };
    let linked = store::identity_user(&state.pool, &person.issuer, &person.subject)
        .await
        .map_err(AuthError::logged("looking up a linked identity"))?;
    let user_id = match linked {
        Some(user_id) => user_id,
        None => first_sign_in(state, sso, person, role).await?,
    };
    let suspended = store::find_by_id(&state.pool, &user_id)
        .await
        .map_err(AuthError::logged("looking up an account"))?
        .is_some_and(|user| user.suspended_at.is_some());
    if suspended {
        return Err(AuthError::Suspended);
    }
    Ok((user_id, role))
}

/// Links or creates the account of someone signing in for the first time.
async fn first_sign_in(
    state: &AppState,
    sso: &SingleSignOn,
    person: &VerifiedPerson,
    role: Role,
) -> Result<String, AuthError> {
    let email = person
        .email
        .as_deref()
        .map(normalize_email)
        .filter(|email| check_email(email).is_ok())
        .ok_or(AuthError::SignOnIncomplete)?;
    let workspace = &state.deployment.workspace;
    let now = state.clock.now();
    let existing = store::find_by_email(&state.pool, &email)
        .await
        .map_err(AuthError::logged("looking up an account"))?;
    if let Some(user) = existing {
        if !(sso.link_by_email && person.email_verified) {
            return Err(AuthError::SignOnEmailTaken);
        }
        let linked = crate::db::commit(state, async |tx| {
            store::link_identity(tx, &person.issuer, &person.subject, &user.id, now).await?;
            audit::record(
                tx,
                audit::NewEntry {
                    workspace,
                    at: now,
                    actor_id: None,
                    actor_name: ACTOR,
                    subject: &format!("Account of {}", user.name),
                    old_value: None,
                    new_value: Some("linked to the identity provider (same verified e-mail)"),
                },
            )
            .await?;
            Ok(())
        })
        .await;
        linked.map_err(AuthError::logged("linking an account"))?;
        return Ok(user.id);
    }
    // The account never signs in with a password: its password is one
    // nobody knows.
    let password_hash = super::password::hash(&state.passwords, tokens::random_hex(32))
        .await
        .map_err(|_| AuthError::Busy)?;
    let name = person
        .name
        .as_deref()
        .map(str::trim)
        .filter(|name| !name.is_empty() && !name.chars().any(super::credentials::is_hidden))
        .map(|name| name.chars().take(100).collect::<String>())
        .unwrap_or_else(|| email.split('@').next().unwrap_or_default().to_string());
    let user_id = tokens::random_hex(16);
    let created = crate::db::commit(state, async |tx| {
        store::insert_user(
            tx,
            store::NewUser {
                id: &user_id,
                workspace,
                email: &email,
                name: &name,
                password_hash: &password_hash,
                role,
                created_at: now,
            },
        )
        .await?;
        store::link_identity(tx, &person.issuer, &person.subject, &user_id, now).await?;
        audit::record(
            tx,
            audit::NewEntry {
                workspace,
                at: now,
                actor_id: None,
                actor_name: ACTOR,
                subject: &format!("Account of {name}"),
                old_value: None,
                new_value: Some(&format!("created at first sign-in, as {}", role.label())),
            },
        )
        .await?;
        Ok(())
    })
    .await;
    match created {
        Ok(()) => Ok(user_id),
        // Someone took the e-mail meanwhile: refused, nothing half-made.
        Err(error) if store::is_unique_violation(&error) => Err(AuthError::SignOnEmailTaken),
        Err(error) => Err(AuthError::logged("creating an account from single sign-on")(error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sso() -> SingleSignOn {
        SingleSignOn {
            issuer: "https://id.example.com".into(),
            client_id: "console".into(),
            client_secret: String::from("secret").into(),
            name: "Example ID".into(),
            scopes: vec![],
            groups_claim: "groups".into(),
            admin_groups: vec!["console-admins".into()],
            member_groups: vec!["console-members".into(), "staff".into()],
            link_by_email: false,
        }
    }

    fn groups(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| name.to_string()).collect()
    }

    #[test]
    fn groups_map_to_roles_admin_first() {
        assert_eq!(role_for(&sso(), &groups(&["staff"])), Some(Role::Member));
        assert_eq!(
            role_for(&sso(), &groups(&["staff", "console-admins"])),
            Some(Role::Admin)
        );
        assert_eq!(role_for(&sso(), &groups(&["contractors"])), None);
        assert_eq!(role_for(&sso(), &[]), None);
        // Group names are matched exactly.
        assert_eq!(role_for(&sso(), &groups(&["Console-Admins"])), None);
    }
}
