//! The Models section over HTTP, as a browser without JavaScript uses it,
//! against the loopback fake provider's model lists, and what the policy
//! API then tells services.

use crate::policy_api::{create_token, enterprise, policy, provider_version};
use crate::support::{location, server_configured, TestServer};
use app::domain::{Plan, Role};
use serde_json::Value;
use test_support::fake_provider::GOOD_KEYS;

async fn models_version(server: &TestServer) -> i64 {
    let state = &server.console.state;
    app::db::versions::version_of(&state.pool, &state.deployment.workspace, "models")
        .await
        .unwrap()
        .version
}

/// Adds or replaces the workspace key through the page's form.
async fn add_key(server: &TestServer, provider: &str, key: &str, extra: &str) -> String {
    let version = provider_version(server).await;
    let response = server
        .post_form(
            "/api/settings/ai/provider/key",
            &format!("provider={provider}&key={key}&version={version}{extra}"),
        )
        .await;
    location(&response).to_string()
}

async fn save_models(server: &TestServer, form: &str) -> String {
    let version = models_version(server).await;
    let response = server
        .post_form(
            "/api/settings/ai/models",
            &format!("{form}&version={version}"),
        )
        .await;
    location(&response).to_string()
}

async fn models_policy(server: &TestServer, token: &str) -> Value {
    let (_, body, _) = policy(server, Some(token), None).await;
    serde_json::from_str::<Value>(&body).unwrap()["models"].clone()
}

#[tokio::test]
async fn admins_choose_models_from_the_providers_list_and_services_see_it() {
    let (server, _fake) = enterprise().await;
    let token = create_token(&server, "Router", false).await;
    // The managed provider's list, from the configuration: all allowed.
    let models = models_policy(&server, &token).await;
    assert_eq!(models["all_allowed"], true);
    assert!(models["allowed"]
        .as_array()
        .unwrap()
        .contains(&"gpt-4.1".into()));

    assert_eq!(
        add_key(&server, "openai", GOOD_KEYS[0], "").await,
        "/settings/ai?provider=key-added#model_provider"
    );
    let (_, page) = server.get("/settings/ai").await;
    for model in ["gpt-4o", "gpt-4o-mini", "o3-mini"] {
        assert!(
            page.contains(&format!("value=\"{model}\"")),
            "{model} listed"
        );
    }

    // A default outside the selection is refused, and nothing changes.
    assert_eq!(
        save_models(
            &server,
            "scope=selected&models[]=gpt-4o&default_model=o3-mini"
        )
        .await,
        "/settings/ai?models_error=models-default-not-allowed#models"
    );
    assert_eq!(
        save_models(&server, "scope=selected&default_model=").await,
        "/settings/ai?models_error=models-none-chosen#models"
    );
    assert_eq!(models_policy(&server, &token).await["all_allowed"], true);

    assert_eq!(
        save_models(
            &server,
            "scope=selected&models[]=o3-mini&models[]=gpt-4o&default_model=o3-mini"
        )
        .await,
        "/settings/ai?models=saved#models"
    );
    let models = models_policy(&server, &token).await;
    assert_eq!(models["all_allowed"], false);
    assert_eq!(models["allowed"], serde_json::json!(["gpt-4o", "o3-mini"]));
    assert_eq!(models["default"], "o3-mini");

    // A new key whose account no longer offers o3-mini: kept and flagged.
    add_key(&server, "openai", GOOD_KEYS[1], "").await;
    let (_, page) = server.get("/settings/ai").await;
    assert!(page.contains("no longer offered by the provider"));
    assert!(page.contains("The provider no longer offers o3-mini."));
    assert_eq!(models_policy(&server, &token).await["default"], "o3-mini");
    let response = server
        .post_form("/api/settings/ai/models/refresh", "")
        .await;
    assert_eq!(location(&response), "/settings/ai?models=refreshed#models");

    // A key for another provider resets the choice, once confirmed.
    assert_eq!(
        add_key(&server, "anthropic", GOOD_KEYS[0], "").await,
        "/settings/ai?provider_error=models-would-reset#model_provider"
    );
    assert_eq!(models_policy(&server, &token).await["default"], "o3-mini");
    add_key(&server, "anthropic", GOOD_KEYS[0], "&reset_models=on").await;
    let models = models_policy(&server, &token).await;
    assert_eq!(models["all_allowed"], true);
    assert_eq!(
        models["allowed"],
        serde_json::json!(["claude-haiku-4", "claude-sonnet-4"])
    );
    assert_eq!(models["default"], Value::Null);
    let (_, page) = server.get("/settings/ai").await;
    assert!(page.contains("reset to all models, no default"), "audited");
}

#[tokio::test]
async fn members_see_the_models_read_only_and_cannot_change_them() {
    let (server, _fake) = enterprise().await;
    server.set_cookie(None);
    server.sign_in_as(Role::Member).await;
    let (_, page) = server.get("/settings/ai").await;
    assert!(page.contains("Models services may use"));
    assert!(!page.contains("Save models"));
    let response = server
        .post_form("/api/settings/ai/models", "scope=all&version=0")
        .await;
    assert_eq!(
        location(&response),
        "/settings/ai?models_error=admin-only#models"
    );
}

#[tokio::test]
async fn models_fixed_by_the_operator_are_read_only_and_refused() {
    use app::models::rules::FixedAllowed;
    let server = server_configured(Plan::Enterprise, |config| {
        config.deployment.fixed_models.allowed = Some(FixedAllowed::Only(vec!["gpt-4o".into()]));
        config.deployment.fixed_models.default = Some("gpt-4o".into());
    })
    .await;
    server.sign_in_as(Role::Admin).await;
    let (_, page) = server.get("/settings/ai").await;
    assert!(page.contains("Set by the server configuration (AI_MODELS_ALLOWED, AI_DEFAULT_MODEL)."));
    assert_eq!(
        save_models(&server, "scope=all&default_model=").await,
        "/settings/ai?models_error=fixed-by-server#models"
    );
    let token = create_token(&server, "Router", false).await;
    let models = models_policy(&server, &token).await;
    assert_eq!(models["allowed"], serde_json::json!(["gpt-4o"]));
    assert_eq!(models["default"], "gpt-4o");
}
