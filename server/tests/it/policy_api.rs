//! The policy API as the product's AI services use it: service tokens
//! made on the API access page, the policy that applies now, ETags, and
//! the provider key only for tokens allowed to receive it.

use crate::support::{body_text, location, server, server_configured, TestServer, PASSWORD};
use app::ai_settings::SwitchSetting;
use app::domain::{Plan, Role};
use app::model_provider::rules::KeyProvider;
use app::model_provider::service::KeyForm;
use axum::{
    body::Body,
    http::{header, Request, StatusCode},
};
use secrecy::SecretString;
use serde_json::{json, Value};
use test_support::fake_provider::{FakeProvider, GOOD_KEYS};

pub(crate) const PATH: &str = "/api/v1/workspaces/default/ai-policy";

pub(crate) async fn policy(
    server: &TestServer,
    token: Option<&str>,
    if_none_match: Option<&str>,
) -> (StatusCode, String, Option<String>) {
    let mut request = Request::get(PATH);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    if let Some(etag) = if_none_match {
        request = request.header(header::IF_NONE_MATCH, etag);
    }
    let response = server.send(request.body(Body::empty()).unwrap()).await;
    let status = response.status();
    let etag = response
        .headers()
        .get(header::ETAG)
        .map(|value| value.to_str().unwrap().to_string());
    (status, body_text(response).await, etag)
}

/// Creates a token through the page's form, as an admin would, and reads
/// it from the page, where it is shown once.
pub(crate) async fn create_token(server: &TestServer, name: &str, with_keys: bool) -> String {
    let body = if with_keys {
        format!(
            "name={name}&may_receive_keys=on&password={}",
            PASSWORD.replace(' ', "+")
        )
    } else {
        format!("name={name}")
    };
    let response = server.post_form("/api/api-access/create", &body).await;
    assert_eq!(location(&response), "/settings/api?done=created");
    let (_, html) = server.get("/settings/api").await;
    let start = html.find("aic_").expect("the new token is shown");
    let token: String = html[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let (_, again) = server.get("/settings/api").await;
    assert!(!again.contains(&token), "shown only once");
    token
}

/// The status, `WWW-Authenticate` and error text of a policy request
/// with `token`.
async fn challenge(server: &TestServer, token: Option<&str>) -> (StatusCode, String, String) {
    let mut request = Request::get(PATH);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let response = server.send(request.body(Body::empty()).unwrap()).await;
    let status = response.status();
    let challenge = response
        .headers()
        .get(header::WWW_AUTHENTICATE)
        .map(|value| value.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body: Value = serde_json::from_str(&body_text(response).await).unwrap();
    (
        status,
        challenge,
        body["error"].as_str().unwrap().to_string(),
    )
}

#[tokio::test]
async fn requests_without_a_valid_token_are_refused_saying_what_is_wrong() {
    let server = server(Plan::Team).await;
    server.sign_in_as(Role::Admin).await;
    let (status, challenge, _) = challenge(&server, None).await;
    assert_eq!(
        (status, challenge.as_str()),
        (StatusCode::UNAUTHORIZED, "Bearer")
    );
    let (status, challenge, why) = crate::policy_api::challenge(&server, Some("aic_wrong")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        challenge,
        r#"Bearer error="invalid_token", error_description="unknown""#
    );
    assert!(why.contains("not known"), "{why}");

    let token = create_token(&server, "Worker", false).await;
    assert_eq!(policy(&server, Some(&token), None).await.0, StatusCode::OK);
    let id = app::api_access::store::live(
        &server.console.state.pool,
        &server.console.state.deployment.workspace,
    )
    .await
    .unwrap()[0]
        .id
        .clone();
    let response = server
        .post_form("/api/api-access/revoke", &format!("token_id={id}"))
        .await;
    assert_eq!(location(&response), "/settings/api?done=revoked");
    let (status, challenge, why) = crate::policy_api::challenge(&server, Some(&token)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        challenge,
        r#"Bearer error="invalid_token", error_description="revoked""#
    );
    assert!(why.contains("revoked"), "{why}");
    // Listed as revoked for a week, so admins see why a service is refused.
    let (_, html) = server.get("/settings/api").await;
    assert!(
        html.contains("Worker") && html.contains("Revoked "),
        "{html}"
    );
    server.clock.advance(8 * 24 * 3600);
    server.sign_in_as(Role::Admin).await;
    let (_, html) = server.get("/settings/api").await;
    assert!(!html.contains("Worker"), "gone after a week");
}

#[tokio::test]
async fn the_policy_is_what_applies_now_and_etags_follow_changes() {
    let server = server(Plan::Team).await;
    server.sign_in_as(Role::Admin).await;
    let token = create_token(&server, "Worker", false).await;
    let (status, body, etag) = policy(&server, Some(&token), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        r#"{"workspace_id":"default","ai_enabled":true,"ai_off_reason":null,"ai_off_until":null,"training_allowed":false,"provider":{"kind":"managed","endpoint":"https://api.openai.com/v1","region":"us","processed_in":"us","key_last4":null},"features":{"agents":{"enabled":true,"audience":"admins","may_apply_changes":false},"assistant":{"enabled":true,"audience":"everyone"},"semantic_search":{"enabled":true,"audience":"everyone"}},"models":{"all_allowed":true,"allowed":["gpt-4.1","gpt-4.1-mini","gpt-4o","gpt-4o-mini","o3-mini"],"default":null}}"#
    );
    let etag = etag.expect("an ETag");
    let (status, body, _) = policy(&server, Some(&token), Some(&etag)).await;
    assert_eq!((status, body.as_str()), (StatusCode::NOT_MODIFIED, ""));
    // As a compressing proxy passes it on: weak, and still the same.
    let weak = format!("W/{etag}");
    let (status, _, _) = policy(&server, Some(&token), Some(&weak)).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);

    // An admin turns AI off on the page: the next request sees it.
    let state = &server.console.state;
    let admin = app::accounts::session::Actor {
        user_id: "x".into(),
        workspace: state.deployment.workspace.clone(),
        name: "Admin".into(),
        role: Role::Admin,
    };
    app::ai_settings::service::set_switch(
        state,
        &test_support::admin(&admin),
        SwitchSetting::AiEnabled,
        false,
        0,
    )
    .await
    .unwrap();
    let (status, body, new_etag) = policy(&server, Some(&token), Some(&etag)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains(r#""ai_enabled":false"#), "{body}");
    assert_ne!(new_etag.as_deref(), Some(etag.as_str()));
}

#[tokio::test]
async fn another_workspace_is_not_found_for_this_token() {
    let server = server(Plan::Team).await;
    server.sign_in_as(Role::Admin).await;
    let token = create_token(&server, "Worker", false).await;
    let response = server
        .send(
            Request::get("/api/v1/workspaces/other/ai-policy")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn only_trusted_tokens_receive_the_key_and_each_disclosure_is_audited() {
    let (server, _fake) = enterprise().await;
    let state = &server.console.state;
    let workspace = state.deployment.workspace.clone();
    let secret = store_key(&server, GOOD_KEYS[0]).await;

    let plain = create_token(&server, "Router", false).await;
    let trusted = create_token(&server, "Gateway", true).await;
    let (_, body, _) = policy(&server, Some(&plain), None).await;
    assert!(
        body.contains(r#""kind":"openai""#) && body.contains(r#""key_last4":"1111""#),
        "{body}"
    );
    assert!(
        !body.contains(secret) && !body.contains(r#""key":"#),
        "{body}"
    );

    let (status, body, _) = policy(&server, Some(&trusted), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains(&format!(r#""key":"{secret}""#)), "{body}");
    let (entries, _) = app::activity::log::page(&state.pool, &workspace, 0)
        .await
        .unwrap();
    assert_eq!(entries[0].actor_name, "Service token “Gateway”");
    assert_eq!(
        entries[0].new_value.as_deref(),
        Some("…1111 sent to service token “Gateway”")
    );
}

#[tokio::test]
async fn no_key_is_handed_out_while_ai_is_off_and_it_flows_again_when_ai_is_back() {
    let (server, _fake) = enterprise().await;
    let secret = store_key(&server, GOOD_KEYS[0]).await;
    // A replacement inside the grace period: the first key is retiring.
    store_key(&server, GOOD_KEYS[1]).await;
    let trusted = create_token(&server, "Gateway", true).await;
    let (_, body, _) = policy(&server, Some(&trusted), None).await;
    assert!(
        body.contains(GOOD_KEYS[1]) && body.contains(secret),
        "{body}"
    );

    let admin = admin_of(&server);
    let set = |on: bool, version: i64| {
        app::ai_settings::service::set_switch(
            &server.console.state,
            &admin,
            SwitchSetting::AiEnabled,
            on,
            version,
        )
    };
    set(false, 0).await.unwrap();
    let (status, body, _) = policy(&server, Some(&trusted), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains(r#""ai_enabled":false"#), "{body}");
    for key in GOOD_KEYS {
        assert!(!body.contains(key), "no key while AI is off: {body}");
    }
    assert!(
        !body.contains(r#""retiring_key""#),
        "nor the retiring one: {body}"
    );

    set(true, 1).await.unwrap();
    let (_, body, _) = policy(&server, Some(&trusted), None).await;
    assert!(
        body.contains(&format!(r#""key":"{}""#, GOOD_KEYS[1])),
        "{body}"
    );
    assert!(body.contains(r#""retiring_key""#), "{body}");
}

/// An Enterprise console whose OpenAI calls go to a loopback fake, with
/// an admin signed in.
pub(crate) async fn enterprise() -> (TestServer, FakeProvider) {
    let fake = FakeProvider::start().await;
    let endpoints = fake.endpoints();
    let server = server_configured(Plan::Enterprise, |config| {
        config.deployment.providers.endpoints = endpoints;
    })
    .await;
    server.sign_in_as(Role::Admin).await;
    (server, fake)
}

/// The signed-in admin's `Admin`, for calling services as the page does.
pub(crate) fn admin_of(server: &TestServer) -> app::accounts::session::Admin {
    test_support::admin(&app::accounts::session::Actor {
        user_id: "x".into(),
        workspace: server.console.state.deployment.workspace.clone(),
        name: "Admin".into(),
        role: Role::Admin,
    })
}

/// The model provider setting's current version.
pub(crate) async fn provider_version(server: &TestServer) -> i64 {
    let state = &server.console.state;
    app::db::versions::version_of(
        &state.pool,
        &state.deployment.workspace,
        app::model_provider::PROVIDER_SETTING,
    )
    .await
    .unwrap()
    .version
}

/// Makes `key` the workspace's OpenAI key, as the page's form does
/// (verified with the fake provider, sealed, audited); returns it.
pub(crate) async fn store_key(server: &TestServer, key: &'static str) -> &'static str {
    let state = &server.console.state;
    let version = provider_version(server).await;
    let form = KeyForm {
        provider: KeyProvider::OpenAi,
        key: SecretString::from(key.to_string()),
        base_url: None,
        based_on: version,
        models_reset_confirmed: false,
    };
    app::use_cases::provider_change::save_key(state, &admin_of(server), form)
        .await
        .unwrap();
    key
}

#[tokio::test]
async fn the_api_is_described_in_openapi() {
    let server = server(Plan::Team).await;
    let (status, body) = server.get(app::paths::OPENAPI).await;
    assert_eq!(status, StatusCode::OK);
    // A valid OpenAPI document, not just JSON.
    let parsed: Result<utoipa::openapi::OpenApi, _> = serde_json::from_str(&body);
    assert!(parsed.is_ok(), "{body}");
    let described: Value = serde_json::from_str(&body).unwrap();
    let get = &described["paths"][app::paths::POLICY_API]["get"];
    assert!(get.is_object(), "{body}");
    for status in ["200", "304", "400", "401", "404", "503"] {
        assert!(get["responses"][status].is_object(), "{status} described");
    }
    let scheme = &described["components"]["securitySchemes"]["serviceToken"];
    assert_eq!(scheme["scheme"], "bearer");
}

#[tokio::test]
async fn every_answer_the_api_sends_is_what_its_description_says() {
    let (server, _fake) = enterprise().await;
    let (_, description) = server.get(app::paths::OPENAPI).await;
    let description: Value = serde_json::from_str(&description).unwrap();
    let schema = |name: &str| description["components"]["schemas"][name].clone();

    let plain = create_token(&server, "Router", false).await;
    let (_, managed, _) = policy(&server, Some(&plain), None).await;
    store_key(&server, GOOD_KEYS[0]).await;
    store_key(&server, GOOD_KEYS[1]).await;
    let trusted = create_token(&server, "Gateway", true).await;
    let (_, with_key, _) = policy(&server, Some(&trusted), None).await;
    let (_, refused, _) = policy(&server, Some("aic_wrong"), None).await;
    for (answer, schema) in [
        (managed, schema("Policy")),
        (with_key, schema("Policy")),
        (refused, schema("Error")),
    ] {
        let answer: Value = serde_json::from_str(&answer).unwrap();
        if let Err(problem) = conforms(&answer, &schema, &description) {
            panic!("{answer} does not match its description: {problem}");
        }
    }
    assert!(
        conforms(&json!({"workspace_id": 1}), &schema("Policy"), &description).is_err(),
        "the check itself can fail"
    );
}

/// Whether `value` matches `schema` (the parts of JSON Schema the
/// description uses: references, types, required and declared properties).
/// Properties the schema does not declare are a mismatch: an answer may
/// not carry what the description does not tell.
fn conforms(value: &Value, schema: &Value, document: &Value) -> Result<(), String> {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/components/schemas/");
        return conforms(value, &document["components"]["schemas"][name], document);
    }
    if let Some(choices) = schema["oneOf"].as_array() {
        return match choices
            .iter()
            .any(|choice| conforms(value, choice, document).is_ok())
        {
            true => Ok(()),
            false => Err(format!("{value} matches none of {schema}")),
        };
    }
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let allowed: Vec<&str> = match &schema["type"] {
        Value::String(one) => vec![one.as_str()],
        Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
        _ => return Err(format!("no type in {schema}")),
    };
    let whole = value.as_i64().is_some() && allowed.contains(&"integer");
    if !allowed.contains(&kind) && !whole {
        return Err(format!("{value} is {kind}, not {allowed:?}"));
    }
    let Value::Object(fields) = value else {
        return Ok(());
    };
    for required in schema["required"].as_array().into_iter().flatten() {
        let name = required.as_str().unwrap_or_default();
        if !fields.contains_key(name) {
            return Err(format!("required {name} missing"));
        }
    }
    for (name, field) in fields {
        let mut declared = &schema["properties"][name];
        if declared.is_null() && schema["additionalProperties"].is_object() {
            declared = &schema["additionalProperties"];
        }
        if declared.is_null() {
            return Err(format!("{name} is not described"));
        }
        conforms(field, declared, document).map_err(|problem| format!("{name}: {problem}"))?;
    }
    Ok(())
}

#[tokio::test]
async fn a_token_that_receives_the_key_needs_the_admins_password_typed_again() {
    let server = server(Plan::Enterprise).await;
    server.sign_in_as(Role::Admin).await;
    for (form, refusal) in [
        ("name=Gateway&may_receive_keys=on", "password-needed"),
        (
            "name=Gateway&may_receive_keys=on&password=",
            "password-needed",
        ),
        (
            "name=Gateway&may_receive_keys=on&password=not+mine+at+all",
            "wrong-password",
        ),
    ] {
        let response = server.post_form("/api/api-access/create", form).await;
        assert_eq!(
            location(&response),
            format!("/settings/api?error={refusal}")
        );
        let (_, html) = server.get(&format!("/settings/api?error={refusal}")).await;
        assert!(!html.contains("aic_"), "no token was made");
    }
    let (_, html) = server.get("/settings/api?error=wrong-password").await;
    assert!(html.contains("That password is not right. Nothing was created."));

    create_token(&server, "Gateway", true).await;
    let (_, page) = server.get("/settings/ai").await;
    assert!(
        page.contains("may receive the provider key; password confirmed"),
        "the audit entry says the password was confirmed"
    );
}

#[tokio::test]
async fn a_token_stops_working_at_the_end_of_its_lifetime_and_is_listed_as_expired() {
    let server = server(Plan::Enterprise).await;
    server.sign_in_as(Role::Admin).await;
    let response = server
        .post_form("/api/api-access/create", "name=Nightly&lifetime=30")
        .await;
    assert_eq!(location(&response), "/settings/api?done=created");
    let (_, html) = server.get("/settings/api").await;
    let start = html.find("aic_").unwrap();
    let token: String = html[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let default = create_token(&server, "Router", false).await;

    assert_eq!(policy(&server, Some(&token), None).await.0, StatusCode::OK);
    server.clock.advance(20 * 24 * 3600);
    // Weeks later the admin signs in afresh (sessions last 8 hours).
    server.sign_in_as(Role::Admin).await;
    let (_, html) = server.get("/settings/api").await;
    assert!(html.contains("10 days left"), "expiring soon is shown");
    // Every answer says when the token ends.
    let response = server
        .send(
            Request::get(PATH)
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let ends = response.headers()["token-expires-at"].to_str().unwrap();
    assert_eq!(
        ends, "2023-12-14T22:13:20Z",
        "created at 2023-11-14T22:13:20Z, 30 days"
    );
    server.clock.advance(10 * 24 * 3600);
    let (status, challenge, _) = challenge(&server, Some(&token)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        challenge,
        r#"Bearer error="invalid_token", error_description="expired""#
    );
    assert_eq!(
        policy(&server, Some(&default), None).await.0,
        StatusCode::OK,
        "90 days"
    );
    server.sign_in_as(Role::Admin).await;
    let (_, html) = server.get("/settings/api").await;
    assert!(html.contains("Expired"), "listed as expired");
    server.clock.advance(60 * 24 * 3600);
    assert_eq!(
        policy(&server, Some(&default), None).await.0,
        StatusCode::UNAUTHORIZED
    );

    server.sign_in_as(Role::Admin).await;
    let response = server
        .post_form("/api/api-access/create", "name=Odd&lifetime=12")
        .await;
    assert_eq!(location(&response), "/settings/api?error=lifetime-invalid");
}

/// The policy API's answer to "may `feature` run for `role`?".
async fn decision(server: &TestServer, token: &str, query: &str) -> (StatusCode, Value) {
    let request = Request::get(format!("{PATH}?{query}"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let response = server.send(request).await;
    let status = response.status();
    (
        status,
        serde_json::from_str(&body_text(response).await).unwrap(),
    )
}

#[tokio::test]
async fn services_see_each_feature_choice_on_their_next_request_and_can_ask_about_one() {
    let server = server(Plan::Team).await;
    server.sign_in_as(Role::Admin).await;
    let token = create_token(&server, "Agents runner", false).await;

    let (status, answer) = decision(&server, &token, "feature=agents&role=member").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer["allowed"], false);
    assert_eq!(answer["code"], "admins-only");
    let (_, answer) = decision(&server, &token, "feature=agents&role=admin").await;
    assert_eq!(answer["allowed"], true);
    assert_eq!(answer["may_apply_changes"], false);

    // An admin opens agents to everyone and lets them apply changes.
    let (_, html) = server.get("/settings/ai").await;
    assert!(
        html.contains("Save who may use Agents"),
        "the Features section is on the page"
    );
    let response = server
        .post_form(
            "/api/settings/ai/features/audience",
            "feature=agents&audience=everyone&version=0",
        )
        .await;
    assert_eq!(location(&response), "/settings/ai?features=saved#features");
    server
        .post_form(
            "/api/settings/ai/features/agent-actions",
            "actions=apply&version=0",
        )
        .await;
    let (_, answer) = decision(&server, &token, "feature=agents&role=member").await;
    assert_eq!(
        (
            answer["allowed"].clone(),
            answer["may_apply_changes"].clone()
        ),
        (json!(true), json!(true))
    );

    // A stale page's save is refused and changes nothing.
    let response = server
        .post_form(
            "/api/settings/ai/features/audience",
            "feature=agents&audience=no-one&version=0",
        )
        .await;
    assert_eq!(
        location(&response),
        "/settings/ai?features_error=conflict#features"
    );

    // The AI switch overrides every feature; the choices are kept.
    server
        .post_form("/api/settings/ai/enabled", "enabled=false&version=0")
        .await;
    let (_, answer) = decision(&server, &token, "feature=agents&role=admin").await;
    assert_eq!(answer["code"], "ai-off");
    let (_, body, _) = policy(&server, Some(&token), None).await;
    let document: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(document["features"]["agents"]["enabled"], false);
    assert_eq!(document["features"]["agents"]["audience"], "everyone");
    let (_, html) = server.get("/settings/ai").await;
    assert!(html.contains("Kept; applies when AI is on."));

    for bad in [
        "feature=teleport&role=admin",
        "feature=agents",
        "role=admin",
        "feature=agents&role=owner",
    ] {
        assert_eq!(
            decision(&server, &token, bad).await.0,
            StatusCode::BAD_REQUEST,
            "{bad}"
        );
    }
    let (_, page) = server.get("/settings/ai").await;
    assert!(page.contains("Agents: who may use it"), "audited");
}

#[tokio::test]
async fn a_feature_choice_fixed_by_the_operator_is_shown_read_only_and_refused() {
    let server = server_configured(Plan::Team, |config| {
        config.deployment.fixed_features.agents = Some(app::features::rules::Audience::NoOne);
    })
    .await;
    server.sign_in_as(Role::Admin).await;
    let (_, html) = server.get("/settings/ai").await;
    assert!(html.contains("Set by the server configuration (AI_FEATURE_AGENTS)."));
    let response = server
        .post_form(
            "/api/settings/ai/features/audience",
            "feature=agents&audience=everyone&version=0",
        )
        .await;
    assert_eq!(
        location(&response),
        "/settings/ai?features_error=fixed-by-server#features"
    );
    let token = create_token(&server, "Runner", false).await;
    let (_, answer) = decision(&server, &token, "feature=agents&role=admin").await;
    assert_eq!(answer["code"], "feature-off");
}
