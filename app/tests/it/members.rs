//! Membership rules against a real SQLite database: invitations, roles,
//! removal, the last admin, and the audit trail of each.
#![cfg(feature = "ssr")]

use app::accounts::service as accounts;
use app::accounts::session::Actor;
use app::accounts::AuthError;
use app::domain::{Plan, Role};
use app::members::{service, MembersError, INVITATION_LIFETIME_SECS};
use app::state::AppState;
use test_support::PASSWORD;

struct Workspace {
    state: AppState,
    clock: app::clock::ManualClock,
    _dir: tempfile::TempDir,
}

impl Workspace {
    async fn new() -> Self {
        let fresh = test_support::fresh_state(Plan::Team).await;
        Workspace {
            state: fresh.state,
            clock: fresh.clock,
            _dir: fresh.dir,
        }
    }

    async fn person(&self, name: &str, role: Role) -> Actor {
        let email = format!("{}@example.com", name.to_lowercase());
        test_support::person(&self.state, name, &email, role).await
    }

    async fn role_of(&self, actor: &Actor) -> Option<Role> {
        app::accounts::service::member(&self.state.pool, &actor.workspace, &actor.user_id)
            .await
            .unwrap()
            .map(|member| member.role)
    }

    async fn audit_lines(&self) -> Vec<String> {
        test_support::audit_lines(&self.state).await
    }
}

#[tokio::test]
async fn an_invitation_link_creates_the_account_once_with_the_invited_role() {
    let ws = Workspace::new().await;
    let ada = ws.person("Ada", Role::Admin).await;
    let (token, expires_at) = service::invite(
        &ws.state,
        &test_support::admin(&ada),
        " Grace@Example.com ",
        Role::Member,
    )
    .await
    .unwrap();
    assert_eq!(expires_at, 1_700_000_000 + INVITATION_LIFETIME_SECS);

    let summary = service::invitation_summary(&ws.state, &token)
        .await
        .unwrap();
    assert_eq!(summary.email, "grace@example.com");
    assert_eq!(summary.role, Role::Member);
    assert_eq!(summary.workspace_name, "Acme");
    assert_eq!(summary.invited_by, "Ada");

    let user_id = service::accept_invitation(&ws.state, &token, "Grace", PASSWORD, PASSWORD)
        .await
        .unwrap();
    let signed_in = accounts::verify_credentials(&ws.state, "grace@example.com", PASSWORD)
        .await
        .unwrap();
    assert_eq!(signed_in, user_id);
    assert_eq!(
        service::accept_invitation(&ws.state, &token, "Eve", PASSWORD, PASSWORD).await,
        Err(AuthError::InvitationInvalid),
        "the link works once"
    );
    assert_eq!(
        ws.audit_lines().await,
        vec![
            "Grace: Members:  -> Grace <grace@example.com> joined as Member",
            "Ada: Members:  -> grace@example.com invited as Member",
        ]
    );
}

#[tokio::test]
async fn a_bad_join_form_keeps_the_invitation_usable() {
    let ws = Workspace::new().await;
    let ada = ws.person("Ada", Role::Admin).await;
    let (token, _) = service::invite(
        &ws.state,
        &test_support::admin(&ada),
        "grace@example.com",
        Role::Admin,
    )
    .await
    .unwrap();
    assert!(matches!(
        service::accept_invitation(&ws.state, &token, "Grace", "short", "short").await,
        Err(AuthError::Credentials(_))
    ));
    service::accept_invitation(&ws.state, &token, "Grace", PASSWORD, PASSWORD)
        .await
        .unwrap();
}

#[tokio::test]
async fn invitations_expire_and_can_be_withdrawn() {
    let ws = Workspace::new().await;
    let ada = ws.person("Ada", Role::Admin).await;
    let (expiring, _) = service::invite(
        &ws.state,
        &test_support::admin(&ada),
        "old@example.com",
        Role::Member,
    )
    .await
    .unwrap();
    ws.clock.advance(INVITATION_LIFETIME_SECS);
    assert_eq!(
        service::invitation_summary(&ws.state, &expiring).await,
        Err(AuthError::InvitationInvalid)
    );

    let (token, _) = service::invite(
        &ws.state,
        &test_support::admin(&ada),
        "new@example.com",
        Role::Member,
    )
    .await
    .unwrap();
    let pending = service::pending_invitations(&ws.state, &test_support::admin(&ada))
        .await
        .unwrap();
    assert_eq!(pending.len(), 1, "the expired one is not listed");
    service::revoke_invitation(&ws.state, &test_support::admin(&ada), &pending[0].id)
        .await
        .unwrap();
    assert_eq!(
        service::accept_invitation(&ws.state, &token, "New", PASSWORD, PASSWORD).await,
        Err(AuthError::InvitationInvalid)
    );
    assert_eq!(
        service::revoke_invitation(&ws.state, &test_support::admin(&ada), &pending[0].id).await,
        Err(MembersError::NoSuchInvitation)
    );
}

#[tokio::test]
async fn a_new_invitation_for_the_same_address_replaces_the_old_link() {
    let ws = Workspace::new().await;
    let ada = ws.person("Ada", Role::Admin).await;
    let (first, _) = service::invite(
        &ws.state,
        &test_support::admin(&ada),
        "grace@example.com",
        Role::Member,
    )
    .await
    .unwrap();
    let (second, _) = service::invite(
        &ws.state,
        &test_support::admin(&ada),
        "grace@example.com",
        Role::Admin,
    )
    .await
    .unwrap();
    assert_eq!(
        service::invitation_summary(&ws.state, &first).await,
        Err(AuthError::InvitationInvalid)
    );
    assert_eq!(
        service::invitation_summary(&ws.state, &second)
            .await
            .unwrap()
            .role,
        Role::Admin
    );
}

#[tokio::test]
async fn existing_accounts_and_bad_addresses_cannot_be_invited() {
    let ws = Workspace::new().await;
    let ada = ws.person("Ada", Role::Admin).await;
    assert_eq!(
        service::invite(
            &ws.state,
            &test_support::admin(&ada),
            "ADA@example.com",
            Role::Member
        )
        .await,
        Err(MembersError::AlreadyMember)
    );
    assert_eq!(
        service::invite(
            &ws.state,
            &test_support::admin(&ada),
            "not an address",
            Role::Member
        )
        .await,
        Err(MembersError::EmailInvalid)
    );
}

#[tokio::test]
async fn members_change_nothing() {
    let ws = Workspace::new().await;
    let ada = ws.person("Ada", Role::Admin).await;
    let bob = ws.person("Bob", Role::Member).await;
    // Every membership change needs the `Admin` only the guard makes, and
    // the guard refuses a member with the page's words.
    assert_eq!(
        app::accounts::session::Admin::check(bob.clone()).map_err(MembersError::from),
        Err(MembersError::AdminsOnly)
    );
    assert_eq!(ws.role_of(&bob).await, Some(Role::Member));
    assert_eq!(ws.role_of(&ada).await, Some(Role::Admin));
    assert!(ws.audit_lines().await.is_empty());
}

#[tokio::test]
async fn the_last_admin_can_neither_step_down_nor_leave() {
    let ws = Workspace::new().await;
    let ada = ws.person("Ada", Role::Admin).await;
    assert_eq!(
        service::change_role(
            &ws.state,
            &test_support::admin(&ada),
            &ada.user_id,
            Role::Member
        )
        .await,
        Err(MembersError::LastAdmin)
    );
    assert_eq!(
        app::use_cases::erasure::remove_member(&ws.state, &test_support::admin(&ada), &ada.user_id)
            .await,
        Err(MembersError::LastAdmin)
    );
    assert_eq!(ws.role_of(&ada).await, Some(Role::Admin));

    // With a second admin, stepping down works.
    let bob = ws.person("Bob", Role::Member).await;
    service::change_role(
        &ws.state,
        &test_support::admin(&ada),
        &bob.user_id,
        Role::Admin,
    )
    .await
    .unwrap();
    service::change_role(
        &ws.state,
        &test_support::admin(&ada),
        &ada.user_id,
        Role::Member,
    )
    .await
    .unwrap();
    assert_eq!(ws.role_of(&ada).await, Some(Role::Member));
    assert_eq!(
        ws.audit_lines().await,
        vec![
            "Ada: Role of Ada: Admin -> Member",
            "Ada: Role of Bob: Member -> Admin",
        ]
    );
}

#[tokio::test]
async fn two_admins_demoting_each_other_at_once_leave_one_admin() {
    for _ in 0..20 {
        let ws = Workspace::new().await;
        let ada = ws.person("Ada", Role::Admin).await;
        let bob = ws.person("Bob", Role::Admin).await;
        let (ada_admin, bob_admin) = (test_support::admin(&ada), test_support::admin(&bob));
        let (a, b) = tokio::join!(
            service::change_role(&ws.state, &ada_admin, &bob.user_id, Role::Member),
            service::change_role(&ws.state, &bob_admin, &ada.user_id, Role::Member),
        );
        let demoted = [&a, &b].iter().filter(|outcome| outcome.is_ok()).count();
        assert_eq!(demoted, 1, "{a:?} {b:?}");
        assert!([a, b].contains(&Err(MembersError::LastAdmin)));
        let admins =
            app::accounts::service::count_admins(&ws.state.pool, &ws.state.deployment.workspace)
                .await
                .unwrap();
        assert_eq!(admins, 1);
    }
}

#[tokio::test]
async fn removing_someone_deletes_their_account_and_is_audited() {
    let ws = Workspace::new().await;
    let ada = ws.person("Ada", Role::Admin).await;
    let bob = ws.person("Bob", Role::Member).await;
    app::use_cases::erasure::remove_member(&ws.state, &test_support::admin(&ada), &bob.user_id)
        .await
        .unwrap();
    assert_eq!(ws.role_of(&bob).await, None);
    assert_eq!(
        accounts::verify_credentials(&ws.state, "bob@example.com", PASSWORD).await,
        Err(AuthError::InvalidCredentials)
    );
    assert_eq!(
        app::use_cases::erasure::remove_member(&ws.state, &test_support::admin(&ada), &bob.user_id)
            .await,
        Err(MembersError::NoSuchMember)
    );
    assert_eq!(
        ws.audit_lines().await,
        vec!["Ada: Members:  -> Former member 1 removed; their personal data was erased"]
    );
}

#[tokio::test]
async fn admins_cannot_touch_people_of_another_workspace() {
    let ws = Workspace::new().await;
    let ada = ws.person("Ada", Role::Admin).await;
    let bob = ws.person("Bob", Role::Member).await;
    let outsider = Actor {
        workspace: app::domain::WorkspaceId::new("other"),
        ..ada.clone()
    };
    assert_eq!(
        service::change_role(
            &ws.state,
            &test_support::admin(&outsider),
            &bob.user_id,
            Role::Admin
        )
        .await,
        Err(MembersError::NoSuchMember)
    );
    assert_eq!(
        app::use_cases::erasure::remove_member(
            &ws.state,
            &test_support::admin(&outsider),
            &bob.user_id
        )
        .await,
        Err(MembersError::NoSuchMember)
    );
    assert_eq!(ws.role_of(&bob).await, Some(Role::Member));
}
