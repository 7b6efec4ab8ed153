//! What a person the identity provider vouched for becomes: an account
//! linked by issuer and subject (never by e-mail alone unless the operator
//! allows it), with the role their groups map to at every sign-in.
#![cfg(feature = "ssr")]

use app::accounts::service::{self as accounts, NewAccount};
use app::accounts::single_sign_on::{SingleSignOn, VerifiedPerson};
use app::accounts::AuthError;
use app::activity::log as audit;
use app::domain::{Plan, Role};
use app::state::AppState;
use app::use_cases::sign_on::sign_in_verified;
use test_support::PASSWORD;

fn sso(link_by_email: bool) -> SingleSignOn {
    SingleSignOn {
        issuer: "https://id.example.com".into(),
        client_id: "console".into(),
        client_secret: String::from("secret").into(),
        name: "Example ID".into(),
        scopes: vec![],
        groups_claim: "groups".into(),
        admin_groups: vec!["console-admins".into()],
        member_groups: vec!["console-members".into()],
        link_by_email,
    }
}

fn person(subject: &str, email: &str, groups: &[&str]) -> VerifiedPerson {
    VerifiedPerson {
        issuer: "https://id.example.com".into(),
        subject: subject.into(),
        email: Some(email.into()),
        email_verified: true,
        name: Some("Grace Hopper".into()),
        groups: groups.iter().map(|group| group.to_string()).collect(),
    }
}

async fn role_of(state: &AppState, user_id: &str) -> Role {
    app::accounts::store::find_by_id(&state.pool, user_id)
        .await
        .unwrap()
        .unwrap()
        .role
}

async fn users(state: &AppState) -> i64 {
    app::accounts::store::count_users(&state.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_first_sign_in_creates_the_account_and_later_ones_follow_the_groups() {
    let fresh = test_support::fresh_state(Plan::Team).await;
    let state = &fresh.state;
    let sso = sso(false);
    // Someone else is admin, so a demotion is allowed.
    accounts::create_account(
        state,
        &state.deployment.workspace,
        Role::Admin,
        NewAccount {
            name: "Ada",
            email: "ada@example.com",
            password: PASSWORD,
            password_again: PASSWORD,
        },
    )
    .await
    .unwrap();

    let grace = person("subject-1", "Grace@Example.com", &["console-members"]);
    let first = sign_in_verified(state, &sso, &grace).await.unwrap();
    assert_eq!(role_of(state, &first).await, Role::Member);
    let again = sign_in_verified(state, &sso, &grace).await.unwrap();
    assert_eq!(again, first, "the same subject is the same account");

    // The e-mail changed at the provider: still the same account.
    let moved = person("subject-1", "grace@new.example.com", &["console-admins"]);
    assert_eq!(sign_in_verified(state, &sso, &moved).await.unwrap(), first);
    assert_eq!(role_of(state, &first).await, Role::Admin, "promoted");
    let back = person("subject-1", "grace@example.com", &["console-members"]);
    sign_in_verified(state, &sso, &back).await.unwrap();
    assert_eq!(role_of(state, &first).await, Role::Member, "demoted");

    let (entries, _) = audit::page(&state.pool, &state.deployment.workspace, 0)
        .await
        .unwrap();
    let lines: Vec<String> = entries
        .iter()
        .map(|entry| {
            format!(
                "{}: {}",
                entry.subject,
                entry.new_value.clone().unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            "Role of Grace Hopper: Member (groups at the identity provider)",
            "Role of Grace Hopper: Admin (groups at the identity provider)",
            "Account of Grace Hopper: created at first sign-in, as Member",
        ]
    );
}

#[tokio::test]
async fn someone_in_no_mapped_group_gets_no_account() {
    let fresh = test_support::fresh_state(Plan::Team).await;
    let refused = sign_in_verified(
        &fresh.state,
        &sso(false),
        &person("subject-9", "eve@example.com", &["contractors"]),
    )
    .await;
    assert_eq!(refused, Err(AuthError::SignOnNoGroup));
    assert_eq!(users(&fresh.state).await, 0);
}

#[tokio::test]
async fn a_password_account_is_linked_by_its_email_only_when_the_operator_allows_it() {
    let fresh = test_support::fresh_state(Plan::Team).await;
    let state = &fresh.state;
    let existing = accounts::create_account(
        state,
        &state.deployment.workspace,
        Role::Member,
        NewAccount {
            name: "Grace",
            email: "grace@example.com",
            password: PASSWORD,
            password_again: PASSWORD,
        },
    )
    .await
    .unwrap();
    let grace = person("subject-1", "grace@example.com", &["console-members"]);

    assert_eq!(
        sign_in_verified(state, &sso(false), &grace).await,
        Err(AuthError::SignOnEmailTaken)
    );
    let mut unverified = grace.clone();
    unverified.email_verified = false;
    assert_eq!(
        sign_in_verified(state, &sso(true), &unverified).await,
        Err(AuthError::SignOnEmailTaken),
        "an address the provider did not verify links nothing"
    );
    assert_eq!(users(state).await, 1, "nothing half-made");

    assert_eq!(
        sign_in_verified(state, &sso(true), &grace).await.unwrap(),
        existing
    );
    // Linked now: found by subject, whatever the operator allows later.
    assert_eq!(
        sign_in_verified(state, &sso(false), &grace).await.unwrap(),
        existing
    );
}

#[tokio::test]
async fn the_last_admin_stays_an_admin_whatever_the_groups_say() {
    let fresh = test_support::fresh_state(Plan::Team).await;
    let state = &fresh.state;
    let sso = sso(false);
    let only = sign_in_verified(
        state,
        &sso,
        &person("subject-1", "ada@example.com", &["console-admins"]),
    )
    .await
    .unwrap();
    sign_in_verified(
        state,
        &sso,
        &person("subject-1", "ada@example.com", &["console-members"]),
    )
    .await
    .unwrap();
    assert_eq!(role_of(state, &only).await, Role::Admin);
}

#[tokio::test]
async fn an_admin_demoted_by_their_groups_takes_their_tokens_with_them() {
    let fresh = test_support::fresh_state(Plan::Team).await;
    let state = &fresh.state;
    let sso = sso(false);
    let admin = |subject: &str, email: &str| person(subject, email, &["console-admins"]);
    sign_in_verified(state, &sso, &admin("subject-1", "ada@example.com"))
        .await
        .unwrap();
    let grace = sign_in_verified(state, &sso, &admin("subject-2", "grace@example.com"))
        .await
        .unwrap();
    let as_grace = app::accounts::session::Actor {
        user_id: grace.clone().into(),
        workspace: state.deployment.workspace.clone(),
        name: "Grace Hopper".into(),
        role: Role::Admin,
    };
    app::api_access::service::create(
        state,
        &test_support::admin(&as_grace),
        app::api_access::service::NewTokenForm {
            name: "Grace's gateway",
            may_receive_keys: false,
            may_call_models: false,
            gateway_feature: "",
            lifetime: "",
            password: None,
            client: "127.0.0.1",
        },
    )
    .await
    .unwrap();
    let live = || async {
        app::api_access::store::live_of(&state.pool, &state.deployment.workspace)
            .await
            .unwrap()
            .len()
    };
    assert_eq!(live().await, 1);

    sign_in_verified(
        state,
        &sso,
        &person("subject-2", "grace@example.com", &["console-members"]),
    )
    .await
    .unwrap();
    assert_eq!(role_of(state, &grace).await, Role::Member);
    assert_eq!(live().await, 0, "the token she made as an admin is revoked");
}

#[tokio::test]
async fn a_sign_on_account_keeps_the_providers_address_confirms_deletion_with_it_and_can_be_suspended(
) {
    let fresh = test_support::fresh_state(Plan::Team).await;
    let state = &fresh.state;
    let sso = sso(false);
    let ada = test_support::person(state, "Ada", "ada@example.com", Role::Admin).await;
    let grace = person("g-1", "grace@example.com", &["console-members"]);
    let user_id = sign_in_verified(state, &sso, &grace).await.unwrap();
    let actor = app::accounts::session::Actor {
        user_id: user_id.clone().into(),
        workspace: state.deployment.workspace.clone(),
        name: "Grace Hopper".into(),
        role: Role::Member,
    };
    assert_eq!(
        accounts::change_profile(
            state,
            &actor,
            "127.0.0.1",
            "Grace",
            "g@elsewhere.example",
            ""
        )
        .await,
        Err(AuthError::EmailFromSignOn)
    );
    accounts::change_profile(
        state,
        &actor,
        "127.0.0.1",
        "Grace B. Hopper",
        "grace@example.com",
        "",
    )
    .await
    .unwrap();

    // Suspended: the provider's word is not enough to get back in.
    let ada = test_support::admin(&ada);
    app::members::service::suspend(state, &ada, &user_id.clone().into())
        .await
        .unwrap();
    assert_eq!(
        sign_in_verified(state, &sso, &grace).await,
        Err(AuthError::Suspended)
    );
    app::members::service::restore(state, &ada, &user_id.clone().into())
        .await
        .unwrap();

    // No password here: deleting asks for the address instead.
    assert_eq!(
        app::use_cases::erasure::delete_own_account(state, &actor, "127.0.0.1", PASSWORD).await,
        Err(AuthError::ConfirmationWrong)
    );
    app::use_cases::erasure::delete_own_account(state, &actor, "127.0.0.1", " Grace@Example.com ")
        .await
        .unwrap();
    assert_eq!(users(state).await, 1);
    let linked: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM external_identities")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    assert_eq!(linked, 0);
}
