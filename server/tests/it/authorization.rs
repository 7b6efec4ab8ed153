//! Who may call what: every server function and page, as an anonymous
//! visitor, a member, an admin, and an admin of another workspace. A server
//! function without an entry here fails the test, so none can be added
//! without deciding who may call it.

use crate::support::{server, PASSWORD};
use app::accounts::service::{self, NewAccount};
use app::db::workspaces;
use app::domain::WorkspaceId;
use app::domain::{Plan, Role};
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy)]
enum Caller {
    Anonymous,
    Member,
    Admin,
    OtherWorkspaceAdmin,
}

const CALLERS: [Caller; 4] = [
    Caller::Anonymous,
    Caller::Member,
    Caller::Admin,
    Caller::OtherWorkspaceAdmin,
];

/// Expected statuses in `CALLERS` order. Sign-out comes last: it ends the
/// sessions the other entries use.
const SERVER_FNS: &[(&str, &str, [u16; 4])] = &[
    ("/api/settings/ai/load", "", [401, 200, 200, 200]),
    ("/api/activity/load", "page=0", [401, 200, 200, 200]),
    ("/api/settings/ai/provider/load", "", [401, 200, 200, 200]),
    ("/api/settings/ai/features/load", "", [401, 200, 200, 200]),
    ("/api/settings/ai/models/load", "", [401, 200, 200, 200]),
    ("/api/settings/ai/usage/load", "", [401, 200, 200, 200]),
    ("/api/settings/ai/budget/load", "", [401, 200, 200, 200]),
    (
        "/api/settings/ai/budget/set",
        "amount=100&warn_percent=80&at_limit=warn_only&version=0",
        [401, 403, 200, 200],
    ),
    // Each admin removes the budget they set just before (version 1).
    ("/api/settings/ai/budget/remove", "version=1", [401, 403, 200, 200]),
    // Every model the managed provider offers; on this Team server the
    // list comes from the configuration and there is no key to refresh.
    ("/api/settings/ai/models", "scope=all&default_model=&version=0", [401, 403, 200, 200]),
    ("/api/settings/ai/models/refresh", "", [401, 403, 409, 409]),
    (
        "/api/settings/ai/features/audience",
        "feature=agents&audience=everyone&version=0",
        [401, 403, 200, 200],
    ),
    (
        "/api/settings/ai/features/agent-actions",
        "actions=apply&version=0",
        [401, 403, 200, 200],
    ),
    // This server is on the Team plan: no workspace keys, even for admins
    // (and the provider is never called).
    (
        "/api/settings/ai/provider/key",
        "provider=openai&key=sk-test-12345678&version=0",
        [401, 403, 403, 403],
    ),
    ("/api/settings/ai/provider/remove", "version=0", [401, 403, 409, 409]),
    ("/api/account/me", "", [401, 200, 200, 200]),
    ("/api/account/summary", "", [401, 200, 200, 200]),
    ("/api/account/profile", "name=Someone&email=not-an-address", [401, 422, 422, 422]),
    ("/api/account/delete", "confirmation=not+the+password", [401, 403, 403, 403]),
    ("/api/privacy", "", [200, 200, 200, 200]),
    ("/api/privacy/dismiss", "back_to=/settings/ai", [401, 200, 200, 200]),
    (
        "/api/account/password",
        "current_password=wrong&new_password=a+new+long+password&new_password_again=a+new+long+password",
        [401, 403, 403, 403],
    ),
    // Another workspace's admin changes their own workspace, never this one
    // (checked below).
    ("/api/settings/ai/enabled", "enabled=false&version=0", [401, 403, 200, 200]),
    ("/api/settings/ai/training", "allowed=true&version=0", [401, 403, 200, 200]),
    ("/api/members/load", "", [401, 200, 200, 200]),
    ("/api/members/invite", "email=newcomer@example.com&role=member", [401, 403, 200, 200]),
    // `{target}` is a member of this workspace, `{invitation}` an unused
    // invitation to it; the other workspace's admin finds neither.
    ("/api/members/role", "user_id={target}&role=admin", [401, 403, 200, 404]),
    ("/api/members/revoke", "invitation_id={invitation}", [401, 403, 200, 404]),
    ("/api/members/suspend", "user_id={target}", [401, 403, 200, 404]),
    ("/api/members/restore", "user_id={target}", [401, 403, 200, 404]),
    ("/api/members/remove", "user_id={target}", [401, 403, 200, 404]),
    ("/api/api-access/load", "", [401, 200, 200, 200]),
    ("/api/api-access/create", "name=Matrix", [401, 403, 200, 200]),
    // `{token}` is a live service token of this workspace.
    ("/api/api-access/take-over", "token_id={token}", [401, 403, 200, 404]),
    ("/api/api-access/revoke", "token_id={token}", [401, 403, 200, 404]),
    ("/api/join/invitation", "token=0000", [410, 410, 410, 410]),
    (
        "/api/join/accept",
        "token=0000&name=Eve&password=a+long+enough+password&password_again=a+long+enough+password",
        [410, 410, 410, 410],
    ),
    ("/api/account/sign-in", "email=admin@example.com&password=wrong", [401, 401, 401, 401]),
    ("/api/account/setup-link", "token=0000", [200, 200, 200, 200]),
    (
        "/api/account/setup",
        "token=0000&name=Eve&email=eve@example.com&password=a+long+enough+password&password_again=a+long+enough+password",
        [410, 410, 410, 410],
    ),
    // A refused form's input, for whoever sent it: their own session's.
    ("/api/typed-input", "page=/login", [200, 200, 200, 200]),
    ("/api/account/sign-out", "", [200, 200, 200, 200]),
];

const PAGES: &[(&str, [u16; 4])] = &[
    ("/settings/ai", [303, 200, 200, 200]),
    ("/settings/account", [303, 200, 200, 200]),
    ("/settings/account/my-data.json", [303, 200, 200, 200]),
    ("/settings/members", [303, 200, 200, 200]),
    ("/settings/api", [303, 200, 200, 200]),
    // Routes outside Leptos: the policy API wants a service token, never a
    // session; operations' checks and the API description are public.
    ("/api/v1/workspaces/default/ai-policy", [401, 401, 401, 401]),
    ("/api/v1/openapi.json", [200, 200, 200, 200]),
    ("/healthz", [200, 200, 200, 200]),
    ("/readyz", [200, 200, 200, 200]),
    // A dead invitation link shows its page, saying so, as 410 Gone.
    ("/join?token=0000", [410, 410, 410, 410]),
    ("/login", [200, 200, 200, 200]),
    ("/privacy", [200, 200, 200, 200]),
    ("/setup?token=0000", [200, 200, 200, 200]),
];

#[tokio::test]
async fn every_server_function_has_an_entry_in_the_matrix() {
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_string())
        .collect();
    let listed: BTreeSet<String> = SERVER_FNS
        .iter()
        .map(|(path, ..)| path.to_string())
        .collect();
    assert_eq!(
        registered, listed,
        "add the new server function to SERVER_FNS with who may call it"
    );
}

#[tokio::test]
async fn each_caller_gets_the_expected_answer_from_every_server_function_and_page() {
    let server = server(Plan::Team).await;
    server.sign_in_as(Role::Member).await;
    let member = server.cookie();
    // A fresh browser for each person: signing in rotates the jar's session.
    server.set_cookie(None);
    server.sign_in_as(Role::Admin).await;
    let admin = server.cookie();

    let other = WorkspaceId::new("other");
    let state = &server.console.state;
    workspaces::ensure(&state.pool, &other, "Other")
        .await
        .unwrap();
    let account = NewAccount {
        name: "Olga",
        email: "olga@example.com",
        password: PASSWORD,
        password_again: PASSWORD,
    };
    service::create_account(state, &other, Role::Admin, account)
        .await
        .unwrap();
    server.set_cookie(None);
    server
        .post_form(
            "/api/account/sign-in",
            "email=olga@example.com&password=a+long+enough+password",
        )
        .await;
    let other_admin = server.cookie();
    assert!(member.is_some() && admin.is_some() && other_admin.is_some());

    let workspace = &state.deployment.workspace;
    let target = NewAccount {
        name: "Tom",
        email: "tom@example.com",
        password: PASSWORD,
        password_again: PASSWORD,
    };
    let target = service::create_account(state, workspace, Role::Member, target)
        .await
        .unwrap();
    let admin_actor = app::accounts::session::Actor {
        user_id: app::accounts::store::find_by_email(&state.pool, "admin@example.com")
            .await
            .unwrap()
            .unwrap()
            .id
            .into(),
        workspace: workspace.clone(),
        name: "Admin".into(),
        role: Role::Admin,
    };
    app::members::service::invite(
        state,
        &test_support::admin(&admin_actor),
        "invited@example.com",
        Role::Member,
    )
    .await
    .unwrap();
    let invitation = app::members::store::pending_invitations(&state.pool, workspace, 0)
        .await
        .unwrap()
        .remove(0)
        .id;

    app::api_access::service::create(
        state,
        &test_support::admin(&admin_actor),
        app::api_access::service::NewTokenForm {
            name: "Matrix worker",
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
    let token = app::api_access::store::live(&state.pool, workspace)
        .await
        .unwrap()
        .remove(0)
        .id;

    let cookie_of = |caller: Caller| match caller {
        Caller::Anonymous => None,
        Caller::Member => member.clone(),
        Caller::Admin => admin.clone(),
        Caller::OtherWorkspaceAdmin => other_admin.clone(),
    };

    for (page, expected) in PAGES {
        for (caller, status) in CALLERS.into_iter().zip(expected) {
            server.set_cookie(cookie_of(caller));
            let (got, _) = server.get(page).await;
            assert_eq!(got.as_u16(), *status, "GET {page} as {caller:?}");
        }
    }

    for (path, body, expected) in SERVER_FNS {
        for (caller, status) in CALLERS.into_iter().zip(expected) {
            server.set_cookie(cookie_of(caller));
            // The same body for every caller: an admin's save must be based
            // on the version it saw, so each caller reloads first.
            let body = if path.ends_with("/models") {
                let (_, snapshot) = server.call("/api/settings/ai/models/load", "").await;
                let version = serde_json::from_str::<serde_json::Value>(&snapshot)
                    .ok()
                    .and_then(|snapshot| snapshot["version"].as_i64())
                    .unwrap_or(0);
                body.replace("version=0", &format!("version={version}"))
            } else if path.contains("/features/") && body.contains("version=") {
                let (_, snapshot) = server.call("/api/settings/ai/features/load", "").await;
                let key = if path.ends_with("agent-actions") {
                    "agents.actions"
                } else {
                    "agents"
                };
                let version = serde_json::from_str::<serde_json::Value>(&snapshot)
                    .ok()
                    .and_then(|snapshot| snapshot["versions"][key].as_i64())
                    .unwrap_or(0);
                body.replace("version=0", &format!("version={version}"))
            } else if body.contains("version=") {
                let (_, snapshot) = server.call("/api/settings/ai/load", "").await;
                let key = if path.ends_with("enabled") {
                    "ai_enabled"
                } else {
                    "training_allowed"
                };
                let version = version_in(&snapshot, key).unwrap_or(0);
                body.replace("version=0", &format!("version={version}"))
            } else {
                body.replace("{target}", &target)
                    .replace("{invitation}", &invitation)
                    .replace("{token}", &token)
            };
            let (got, text) = server.call(path, &body).await;
            assert_eq!(got.as_u16(), *status, "POST {path} as {caller:?}: {text}");
        }
    }

    // The other workspace's admin changed only their own workspace.
    let own = app::ai_settings::store::load(&state.pool, &state.deployment.workspace)
        .await
        .unwrap();
    let theirs = app::ai_settings::store::load(&state.pool, &other)
        .await
        .unwrap();
    assert!(
        !own.ai_enabled && own.training_allowed,
        "this workspace: changed once, by its admin"
    );
    assert!(
        !theirs.ai_enabled && theirs.training_allowed,
        "theirs: changed by their admin"
    );
    let (entries, _) = app::activity::log::page(&state.pool, &state.deployment.workspace, 0)
        .await
        .unwrap();
    assert!(
        entries.iter().all(|entry| entry.actor_name != "Olga"),
        "{entries:?}"
    );
}

/// `"ai_enabled":{"version":3,…}` → 3, from a settings snapshot's JSON.
fn version_in(snapshot: &str, key: &str) -> Option<i64> {
    let after = snapshot
        .split(&format!("\"{key}\":{{\"version\":"))
        .nth(1)?;
    after
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}
