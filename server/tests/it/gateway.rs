//! The AI gateway as services use it: a service token as the API key, the
//! console's settings enforced on every call, the key injected (never
//! handed out), answers passed through whole or streamed, and every call
//! metered once.

use crate::policy_api::{enterprise, store_key};
use crate::support::{body_text, location, server_configured, LogCapture, TestServer};
use app::domain::{Currency, Plan, Role};
use app::model_provider::rules::Region;
use axum::body::Body;
use axum::http::{header, Request, Response, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use test_support::fake_provider::{
    FakeProvider, ANSWER, CACHED_INPUT_TOKENS, GOOD_KEYS, INPUT_TOKENS, OUTPUT_TOKENS,
};

pub(crate) const MANAGED_OPENAI: &str = "sk-managed-openai-0000";
pub(crate) const MANAGED_ANTHROPIC: &str = "sk-ant-managed-0000";
pub(crate) const CHAT: &str = "/gateway/openai/v1/chat/completions";
pub(crate) const MESSAGES: &str = "/gateway/anthropic/v1/messages";
pub(crate) const PROMPT: &str = "What is the capital of Peru? (a private prompt)";

/// A Team console on the managed provider, whose calls go to a loopback
/// fake, with an admin signed in.
pub(crate) async fn console_with(
    adjust: impl FnOnce(&mut server::config::Config, &FakeProvider),
) -> (TestServer, FakeProvider) {
    let fake = FakeProvider::start().await;
    let server = server_configured(Plan::Team, |config| {
        config.deployment.providers.endpoints = fake.endpoints();
        config.gateway.managed.openai = Some(MANAGED_OPENAI.to_string().into());
        config.gateway.managed.anthropic = Some(MANAGED_ANTHROPIC.to_string().into());
        adjust(config, &fake);
    })
    .await;
    server.sign_in_as(Role::Admin).await;
    (server, fake)
}

pub(crate) async fn console() -> (TestServer, FakeProvider) {
    console_with(|_, _| {}).await
}

/// A token made on the API access page, with "May call models through
/// the gateway" ticked or not.
pub(crate) async fn token(server: &TestServer, may_call_models: bool) -> String {
    let form = if may_call_models {
        "name=Assistant&may_call_models=on"
    } else {
        "name=Reporter"
    };
    token_made_with(server, form).await
}

/// A token made on the API access page with the form `form`.
async fn token_made_with(server: &TestServer, form: &str) -> String {
    let response = server.post_form("/api/api-access/create", form).await;
    assert_eq!(location(&response), "/settings/api?done=created");
    let (_, html) = server.get("/settings/api").await;
    let start = html.find("aic_").expect("the new token is shown");
    html[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// A member's account, made as an invitation accepted would; their id.
async fn member_joins(server: &TestServer, name: &str, email: &str) -> String {
    let state = &server.console.state;
    app::accounts::service::create_account(
        state,
        &state.deployment.workspace,
        Role::Member,
        app::accounts::service::NewAccount {
            name,
            email,
            password: crate::support::PASSWORD,
            password_again: crate::support::PASSWORD,
        },
    )
    .await
    .unwrap()
    .to_string()
}

pub(crate) fn chat_body(model: Option<&str>, stream: bool) -> Value {
    let mut body = json!({
        "messages": [{"role": "user", "content": PROMPT}],
        "stream": stream,
    });
    if let Some(model) = model {
        body["model"] = json!(model);
    }
    body
}

pub(crate) async fn call(
    server: &TestServer,
    path: &str,
    token: &str,
    headers: &[(&str, &str)],
    body: &Value,
) -> Response<Body> {
    let mut request = Request::post(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    server
        .send(request.body(Body::from(body.to_string())).unwrap())
        .await
}

pub(crate) async fn chat(
    server: &TestServer,
    token: &str,
    headers: &[(&str, &str)],
    body: &Value,
) -> (StatusCode, Value) {
    let response = call(server, CHAT, token, headers, body).await;
    let status = response.status();
    assert!(
        response.headers().contains_key("x-request-id"),
        "every answer has a request id"
    );
    let text = body_text(response).await;
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

pub(crate) const ASSISTANT: (&str, &str) = ("x-ai-feature", "assistant");

/// The plainest call: a chat with gpt-4o for the assistant, not streamed.
async fn ask(server: &TestServer, token: &str) -> (StatusCode, Value) {
    chat(
        server,
        token,
        &[ASSISTANT],
        &chat_body(Some("gpt-4o"), false),
    )
    .await
}

/// Writes what the gateway measured, then reads one text column of the
/// only usage day total.
async fn measured_text(server: &TestServer, column: &str) -> String {
    let state = &server.console.state;
    server.console.gateway.meter.flush(state).await;
    sqlx::query_scalar(&format!("SELECT {column} FROM usage_daily"))
        .fetch_one(&state.pool)
        .await
        .unwrap()
}

/// Writes what the gateway measured, then reads the workspace's usage
/// totals: (events, input tokens, output tokens, cost in millionths).
pub(crate) async fn measured(server: &TestServer) -> (i64, i64, i64, i64) {
    let state = &server.console.state;
    server.console.gateway.meter.flush(state).await;
    sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(events), 0) AS BIGINT), CAST(COALESCE(SUM(input_tokens), 0) AS BIGINT),
                CAST(COALESCE(SUM(output_tokens), 0) AS BIGINT), CAST(COALESCE(SUM(cost_micros), 0) AS BIGINT)
         FROM usage_daily",
    )
    .fetch_one(&state.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_call_goes_out_with_the_consoles_key_and_the_prompt_untouched() {
    let (server, fake) = console().await;
    let token = token(&server, true).await;
    let (status, answer) = ask(&server, &token).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["choices"][0]["message"]["content"], ANSWER);
    assert_eq!(answer["model"], "gpt-4o-2024-08-06");
    let received = fake.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].path, "openai/v1/chat/completions");
    assert_eq!(
        received[0].key, MANAGED_OPENAI,
        "the managed key, not the service token"
    );
    assert_eq!(received[0].body["messages"][0]["content"], PROMPT);
    // The answer says when the token (90 days by default) stops working.
    let response = call(
        &server,
        CHAT,
        &token,
        &[ASSISTANT],
        &chat_body(Some("gpt-4o"), false),
    )
    .await;
    assert_eq!(
        response.headers()["token-expires-at"],
        "2024-02-12T22:13:20Z"
    );
}

#[tokio::test]
async fn every_call_is_metered_once_and_priced_as_its_base_model() {
    let (server, _fake) = console().await;
    let token = token(&server, true).await;
    for _ in 0..2 {
        let (status, _) = ask(&server, &token).await;
        assert_eq!(status, StatusCode::OK);
    }
    let (events, input, output, cost) = measured(&server).await;
    assert_eq!(
        (events, input, output),
        (2, 2 * INPUT_TOKENS, 2 * OUTPUT_TOKENS)
    );
    // gpt-4o-2024-08-06 at gpt-4o's list price: 2.50 / 10.00 per million,
    // and 1.25 for input the provider had cached.
    let each = ((INPUT_TOKENS - CACHED_INPUT_TOKENS) * 2_500_000
        + CACHED_INPUT_TOKENS * 1_250_000
        + OUTPUT_TOKENS * 10_000_000
        + 500_000)
        / 1_000_000;
    assert_eq!(cost, 2 * each);
    let (cached, source): (i64, String) =
        sqlx::query_as("SELECT cached_input_tokens, source FROM usage_daily")
            .fetch_one(&server.console.state.pool)
            .await
            .unwrap();
    assert_eq!(
        (cached, source.as_str()),
        (2 * CACHED_INPUT_TOKENS, "measured")
    );
    let (_, page) = server.get("/settings/ai").await;
    assert!(page.contains("<th scope=\"row\">Measured by the gateway</th>"));
    assert!(page.contains(&format!("({} cached)", 2 * CACHED_INPUT_TOKENS)));
    // Writing again adds nothing.
    assert_eq!(measured(&server).await.0, 2);
    let spent = app::usage::service::spent_since(
        &server.console.state.pool,
        &server.console.state.deployment.workspace,
        "1970-01-01",
        Currency::USD,
    )
    .await
    .unwrap();
    assert_eq!(spent.micros(), 2 * each, "the budget counts it");
}

#[tokio::test]
async fn tokens_without_the_gateway_right_and_wrong_tokens_are_refused() {
    let (server, fake) = console().await;
    let reporter = token(&server, false).await;
    let (status, answer) = chat(
        &server,
        &reporter,
        &[ASSISTANT],
        &chat_body(Some("gpt-4o"), false),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(answer["error"]["code"], "token_not_allowed");
    assert!(answer["error"]["message"]
        .as_str()
        .unwrap()
        .contains("May call models through the gateway"));
    let (status, answer) = chat(
        &server,
        "aic_wrong",
        &[ASSISTANT],
        &chat_body(Some("gpt-4o"), false),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer["error"]["type"], "authentication_error");
    assert!(fake.received().is_empty(), "nothing reached the provider");
}

#[tokio::test]
async fn switching_ai_off_stops_the_next_call_with_the_consoles_reason() {
    let (server, fake) = console().await;
    let token = token(&server, true).await;
    let response = server
        .post_form("/api/settings/ai/enabled", "enabled=false&version=0")
        .await;
    assert!(response.status().is_redirection());
    let (status, answer) = ask(&server, &token).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{answer}");
    assert_eq!(answer["error"]["code"], "ai_switched_off");
    assert_eq!(
        answer["error"]["message"],
        "AI is switched off for this workspace by its admins"
    );
    assert!(fake.received().is_empty());
}

#[tokio::test]
async fn the_feature_and_the_person_are_decided_from_the_consoles_records() {
    let (server, fake) = console().await;
    let token = token(&server, true).await;
    let body = chat_body(Some("gpt-4o"), false);
    let (status, answer) = chat(&server, &token, &[], &body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(answer["error"]["code"], "feature_missing");
    let (status, answer) = chat(&server, &token, &[("x-ai-feature", "poetry")], &body).await;
    assert_eq!(
        (status, answer["error"]["code"].clone()),
        (StatusCode::BAD_REQUEST, json!("feature_unknown"))
    );

    // Agents for admins only: a member is refused, an admin served.
    let response = server
        .post_form(
            "/api/settings/ai/features/audience",
            "feature=agents&audience=admins&version=0",
        )
        .await;
    assert!(response.status().is_redirection());
    let member = member_joins(&server, "Mel", "mel@example.com").await;
    let agents = ("x-ai-feature", "agents");
    let (status, answer) = chat(
        &server,
        &token,
        &[agents, ("x-ai-user", "Mel@Example.com")],
        &body,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(answer["error"]["code"], "feature_admins_only");
    let (status, _) = chat(&server, &token, &[agents], &body).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "nobody named: not taken for an admin"
    );
    let (status, answer) = chat(
        &server,
        &token,
        &[agents, ("x-ai-user", "admin@example.com")],
        &body,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    // OpenAI's `user` field names the person too.
    let mut as_member = body.clone();
    as_member["user"] = json!(member);
    let (status, _) = chat(&server, &token, &[agents], &as_member).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, answer) = chat(
        &server,
        &token,
        &[ASSISTANT, ("x-ai-user", "nobody@example.com")],
        &body,
    )
    .await;
    assert_eq!(
        (status, answer["error"]["code"].clone()),
        (StatusCode::BAD_REQUEST, json!("person_unknown"))
    );
    let response = server
        .post_form("/api/members/suspend", &format!("user_id={member}"))
        .await;
    assert!(response.status().is_redirection());
    let (status, answer) = chat(&server, &token, &[ASSISTANT, ("x-ai-user", &member)], &body).await;
    assert_eq!(
        (status, answer["error"]["code"].clone()),
        (StatusCode::FORBIDDEN, json!("person_suspended"))
    );
    assert_eq!(fake.received().len(), 1, "only the admin's call went out");
}

/// The gateway remembers the people it is told about for a moment, so a
/// change another replica commits (written here behind this process's
/// back) holds for its calls within `REMEMBERED_FOR`; this process's own
/// changes hold at once (above).
#[tokio::test]
async fn a_suspension_made_elsewhere_holds_within_a_second() {
    let (server, fake) = console().await;
    let token = token(&server, true).await;
    let state = &server.console.state;
    let member = member_joins(&server, "Remy", "remy@example.com").await;
    let body = chat_body(Some("gpt-4o"), false);
    let for_remy = [ASSISTANT, ("x-ai-user", member.as_str())];
    let (status, answer) = chat(&server, &token, &for_remy, &body).await;
    assert_eq!(status, StatusCode::OK, "{answer}");

    sqlx::query("UPDATE users SET suspended_at = $1 WHERE id = $2")
        .bind(1_i64)
        .bind(member.as_str())
        .execute(&state.pool)
        .await
        .unwrap();
    tokio::time::sleep(
        app::use_cases::gateway::REMEMBERED_FOR + std::time::Duration::from_millis(100),
    )
    .await;
    let (status, answer) = chat(&server, &token, &for_remy, &body).await;
    assert_eq!(
        (status, answer["error"]["code"].clone()),
        (StatusCode::FORBIDDEN, json!("person_suspended"))
    );
    assert_eq!(
        fake.received().len(),
        1,
        "the suspended person's call never went out"
    );
}

#[tokio::test]
async fn only_allowed_models_are_called_and_listed() {
    let (server, fake) = console().await;
    let token = token(&server, true).await;
    let response = server
        .post_form(
            "/api/settings/ai/models",
            "scope=selected&models[]=gpt-4o-mini&models[]=o3-mini&default_model=gpt-4o-mini&version=0",
        )
        .await;
    assert_eq!(location(&response), "/settings/ai?models=saved#models");
    let (status, answer) = ask(&server, &token).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(answer["error"]["code"], "model_not_allowed");
    assert!(answer["error"]["message"]
        .as_str()
        .unwrap()
        .ends_with("allowed: gpt-4o-mini, o3-mini"));
    // No model named: the workspace's default.
    let (status, _) = chat(&server, &token, &[ASSISTANT], &chat_body(None, false)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(fake.received()[0].body["model"], "gpt-4o-mini");

    let listed = server
        .send(
            Request::get("/gateway/openai/v1/models")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let listed: Value = serde_json::from_str(&body_text(listed).await).unwrap();
    let ids: Vec<&str> = listed["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["gpt-4o-mini", "o3-mini"]);
}

#[tokio::test]
async fn a_stream_passes_through_asks_for_its_usage_and_is_metered() {
    let (server, fake) = console().await;
    let token = token(&server, true).await;
    let response = call(
        &server,
        CHAT,
        &token,
        &[ASSISTANT],
        &chat_body(Some("gpt-4o"), true),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "text/event-stream"
    );
    let text = body_text(response).await;
    assert!(
        text.contains(ANSWER) && text.ends_with("data: [DONE]\n\n"),
        "{text}"
    );
    assert_eq!(
        fake.received()[0].body["stream_options"]["include_usage"],
        true
    );
    let (events, input, output, _) = measured(&server).await;
    assert_eq!((events, input, output), (1, INPUT_TOKENS, OUTPUT_TOKENS));
}

#[tokio::test]
async fn a_client_that_hangs_up_ends_the_call_and_what_it_used_so_far_is_kept() {
    let (server, fake) = console_with(|config, fake| {
        config.deployment.providers.endpoints.openai = fake.url("hanging");
    })
    .await;
    let token = token(&server, true).await;
    let response = call(
        &server,
        CHAT,
        &token,
        &[ASSISTANT],
        &chat_body(Some("gpt-4o"), true),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let mut body = response.into_body();
    let first = body.frame().await.unwrap().unwrap().into_data().unwrap();
    assert!(String::from_utf8_lossy(&first).contains("gpt-4o"));
    drop(body);
    assert_eq!(fake.received().len(), 1);
    // The provider reported no usage before the hang-up: nothing to
    // meter, and nothing left waiting.
    assert_eq!(measured(&server).await.0, 0);
    assert_eq!(server.console.gateway.meter.waiting(), 0);
}

#[tokio::test]
async fn the_providers_rate_limit_passes_through_and_slow_providers_time_out() {
    let (server, _fake) = console_with(|config, fake| {
        config.deployment.providers.endpoints.openai = fake.url("ratelimited");
    })
    .await;
    let token = token(&server, true).await;
    let response = call(
        &server,
        CHAT,
        &token,
        &[ASSISTANT],
        &chat_body(Some("gpt-4o"), false),
    )
    .await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(response.headers()[header::RETRY_AFTER], "7");

    let (server, _fake) = console_with(|config, fake| {
        config.deployment.providers.endpoints.openai = fake.url("slow");
        config.gateway.first_byte_timeout = std::time::Duration::from_millis(300);
    })
    .await;
    let token = crate::gateway::token(&server, true).await;
    let (status, answer) = ask(&server, &token).await;
    assert_eq!(status, StatusCode::GATEWAY_TIMEOUT);
    assert_eq!(answer["error"]["code"], "provider_timeout");

    let (server, _fake) = console_with(|config, _| {
        // Nothing listens on the discard port.
        config.deployment.providers.endpoints.openai = "http://127.0.0.1:9/v1".into();
    })
    .await;
    let token = crate::gateway::token(&server, true).await;
    let (status, answer) = ask(&server, &token).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    assert_eq!(answer["error"]["code"], "provider_unreachable");
}

#[tokio::test]
async fn a_key_the_provider_refuses_is_reported_as_the_consoles_error_without_its_fragment() {
    let logs = LogCapture::default();
    let _guard = logs.install();
    // The managed key, revoked at the provider: the operator's to fix.
    let (server, fake) = console().await;
    let token = token(&server, true).await;
    fake.revoke_keys();
    let (status, refused) = ask(&server, &token).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY, "{refused}");
    assert_eq!(refused["error"]["code"], "provider_key_refused");
    let message = refused["error"]["message"].as_str().unwrap();
    assert!(message.contains("operator"), "{message}");
    assert!(!message.contains("sk-"), "no part of the key: {message}");
    let body = json!({"model": "claude-sonnet-4", "max_tokens": 10,
                      "messages": [{"role": "user", "content": PROMPT}]});
    let response = call(&server, MESSAGES, &token, &[ASSISTANT], &body).await;
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    let refused: Value = serde_json::from_str(&body_text(response).await).unwrap();
    assert_eq!(refused["type"], "error");
    assert_eq!(refused["error"]["code"], "provider_key_refused");
    assert!(!refused.to_string().contains("sk-"), "{refused}");

    // The workspace's own key: an admin's to fix on the page.
    let (server, fake) = enterprise().await;
    let key = store_key(&server, GOOD_KEYS[0]).await;
    let token = crate::gateway::token(&server, true).await;
    fake.revoke_keys();
    let (status, refused) = ask(&server, &token).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY, "{refused}");
    let message = refused["error"]["message"].as_str().unwrap();
    assert!(message.contains("AI & agents page"), "{message}");
    let fragment = &key[key.len() - 4..];
    assert!(!refused.to_string().contains(fragment), "{refused}");
    let logged = logs.text();
    assert!(logged.contains("the model provider refused the key"));
    assert!(!logged.contains(fragment), "{logged}");
}

#[tokio::test]
async fn a_provider_answer_larger_than_the_limit_is_not_read_into_memory() {
    let (server, _fake) = console_with(|config, fake| {
        config.deployment.providers.endpoints.openai = fake.url("huge");
    })
    .await;
    let token = token(&server, true).await;
    let (status, refused) = ask(&server, &token).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    assert_eq!(refused["error"]["code"], "provider_answer_too_large");
}

#[tokio::test]
async fn eu_workspaces_are_served_by_the_eu_endpoint() {
    let (server, fake) =
        console_with(|config, _| config.deployment.providers.region = Region::Eu).await;
    let token = token(&server, true).await;
    let (status, _) = ask(&server, &token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(fake.received()[0].path, "openai-eu/v1/chat/completions");
}

#[tokio::test]
async fn a_workspace_key_is_used_for_its_calls_and_never_handed_out() {
    let (server, fake) = enterprise().await;
    let key = store_key(&server, GOOD_KEYS[0]).await;
    let token = token(&server, true).await;
    let (status, answer) = ask(&server, &token).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let received = fake.received();
    assert_eq!(received.last().unwrap().key, key);
    assert!(!answer.to_string().contains(key));
    // Paid by the workspace's own key.
    let paid_by = measured_text(&server, "paid_by").await;
    assert_eq!(paid_by, "own_key");
}

#[tokio::test]
async fn anthropics_api_carries_the_key_in_its_own_header_streamed_or_not() {
    let (server, fake) = console().await;
    let token = token(&server, true).await;
    let body = json!({
        "model": "claude-sonnet-4",
        "max_tokens": 100,
        "messages": [{"role": "user", "content": PROMPT}],
    });
    // Anthropic's SDK sends the token as x-api-key.
    let response = server
        .send(
            Request::post(MESSAGES)
                .header("x-api-key", &token)
                .header("anthropic-version", "2023-06-01")
                .header("x-ai-feature", "assistant")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let answer: Value = serde_json::from_str(&body_text(response).await).unwrap();
    assert_eq!(answer["content"][0]["text"], ANSWER);
    assert_eq!(fake.received()[0].key, MANAGED_ANTHROPIC);

    let mut streamed = body.clone();
    streamed["stream"] = json!(true);
    let response = call(&server, MESSAGES, &token, &[ASSISTANT], &streamed).await;
    let text = body_text(response).await;
    assert!(text.contains("event: message_stop"), "{text}");
    let (events, input, output, cost) = measured(&server).await;
    assert_eq!(
        (events, input, output),
        (2, 2 * INPUT_TOKENS, 2 * OUTPUT_TOKENS)
    );
    assert!(
        cost > 0,
        "claude-sonnet-4-20250514 priced as claude-sonnet-4"
    );

    // Refusals come in Anthropic's error format.
    let response = call(&server, MESSAGES, "aic_wrong", &[ASSISTANT], &body).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let refused: Value = serde_json::from_str(&body_text(response).await).unwrap();
    assert_eq!(refused["type"], "error");
    assert_eq!(refused["error"]["type"], "authentication_error");
}

#[tokio::test]
async fn embeddings_and_responses_are_served_and_metered() {
    let (server, fake) = console().await;
    let token = token(&server, true).await;
    let embed = json!({"model": "text-embedding-3-small", "input": PROMPT});
    let response = call(
        &server,
        "/gateway/openai/v1/embeddings",
        &token,
        &[("x-ai-feature", "semantic_search")],
        &embed,
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let respond = json!({"model": "gpt-4o", "input": PROMPT});
    let response = call(
        &server,
        "/gateway/openai/v1/responses",
        &token,
        &[ASSISTANT],
        &respond,
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let paths: Vec<String> = fake.received().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["openai/v1/embeddings", "openai/v1/responses"]);
    let (events, input, output, _) = measured(&server).await;
    assert_eq!(
        (events, input, output),
        (2, 2 * INPUT_TOKENS, OUTPUT_TOKENS)
    );
}

#[tokio::test]
async fn no_key_or_prompt_reaches_the_logs() {
    let logs = LogCapture::default();
    let _guard = logs.install();
    let (server, _fake) = console().await;
    let token = token(&server, true).await;
    let (status, _) = ask(&server, &token).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = chat(
        &server,
        &token,
        &[ASSISTANT],
        &chat_body(Some("gpt-4o"), true),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    measured(&server).await;
    let text = logs.text();
    for secret in [MANAGED_OPENAI, PROMPT, ANSWER, token.as_str()] {
        assert!(!text.contains(secret), "{secret} logged:\n{text}");
    }
}

#[tokio::test]
async fn a_body_that_is_not_json_or_too_large_is_refused_in_the_apis_format() {
    let (server, _fake) = console_with(|config, _| config.gateway.max_body_bytes = 1024).await;
    let token = token(&server, true).await;
    let big =
        json!({"model": "gpt-4o", "messages": [{"role": "user", "content": "x".repeat(4096)}]});
    let (status, answer) = chat(&server, &token, &[ASSISTANT], &big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(answer["error"]["code"], "request_too_large");
    let (status, answer) = chat(&server, &token, &[ASSISTANT], &json!("just a string")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(answer["error"]["code"], "invalid_json");
}

#[tokio::test]
async fn the_api_access_page_explains_the_gateway_and_offers_its_right() {
    let (server, _fake) = console().await;
    let (status, html) = server.get("/settings/api").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("/gateway/openai/v1</code>"), "{html}");
    assert!(html.contains("/gateway/anthropic</code>"));
    assert!(html.contains(r#"name="may_call_models""#));
    assert!(html.contains("May call models through the gateway"));
}

#[tokio::test]
async fn a_budget_spent_through_the_gateway_stops_the_next_call() {
    // A price that makes one call spend the whole budget: 18 tokens at
    // 1,000 per million is 0.018.
    let (server, fake) = console_with(|config, _| {
        config.deployment.usage.prices = app::usage::prices::PriceTable::with_file(
            r#"{"gpt-4o": {"input": 1000, "output": 1000}}"#,
        )
        .unwrap();
    })
    .await;
    let response = server
        .post_form(
            "/api/settings/ai/budget/set",
            "amount=0.01&warn_percent=80&at_limit=stop_ai&version=0",
        )
        .await;
    assert!(response.status().is_redirection());
    let token = token(&server, true).await;
    let body = chat_body(Some("gpt-4o"), false);
    let (status, _) = chat(&server, &token, &[ASSISTANT], &body).await;
    assert_eq!(status, StatusCode::OK);
    // The batch that carries the call settles the budget: AI stops.
    measured(&server).await;
    let (status, answer) = chat(&server, &token, &[ASSISTANT], &body).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{answer}");
    assert_eq!(answer["error"]["code"], "budget_exhausted");
    assert!(answer["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("this month's AI budget is spent; AI is off until "));
    assert_eq!(fake.received().len(), 1, "the refused call never left");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn under_concurrent_calls_the_budget_stop_admits_only_calls_begun_before_the_line_was_written(
) {
    // One call spends 0.018 of a 0.05 budget: the third crosses the line.
    let (server, _fake) = console_with(|config, _| {
        config.deployment.usage.prices = app::usage::prices::PriceTable::with_file(
            r#"{"gpt-4o": {"input": 1000, "output": 1000}}"#,
        )
        .unwrap();
    })
    .await;
    let set = "amount=0.05&warn_percent=80&at_limit=stop_ai&version=0";
    let response = server.post_form("/api/settings/ai/budget/set", set).await;
    assert!(response.status().is_redirection());
    let token = token(&server, true).await;
    let body = chat_body(Some("gpt-4o"), false);
    let state = &server.console.state;
    let actor = app::accounts::session::Actor {
        user_id: "x".into(),
        workspace: state.deployment.workspace.clone(),
        name: "Admin".into(),
        role: Role::Admin,
    };

    // Eight services calling as fast as they can until refused, while the
    // meter writes a batch every 20 ms.
    let crossed = std::sync::Mutex::new(None::<std::time::Instant>);
    let service = || async {
        let mut calls = Vec::new();
        loop {
            let began = std::time::Instant::now();
            let (status, answer) = chat(&server, &token, &[ASSISTANT], &body).await;
            calls.push((began, status));
            if status != StatusCode::OK {
                assert_eq!(answer["error"]["code"], "budget_exhausted", "{answer}");
                return calls;
            }
        }
    };
    let meter = async {
        loop {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            server.console.gateway.meter.flush(state).await;
            let status = app::budget::service::status(state, &actor).await.unwrap();
            if status.stopping_ai {
                *crossed.lock().unwrap() = Some(std::time::Instant::now());
                return;
            }
        }
    };
    let (calls, ()) = tokio::join!(
        futures_util::future::join_all((0..8).map(|_| service())),
        meter
    );
    let crossed = crossed.lock().unwrap().expect("the budget stopped AI");
    let calls: Vec<_> = calls.into_iter().flatten().collect();
    let admitted = calls.iter().filter(|(_, status)| *status == StatusCode::OK);
    // The bound: a call is admitted only if it began before the batch that
    // crossed the line was written; every later one is refused.
    assert!(admitted.clone().all(|(began, _)| *began < crossed));
    assert!(calls
        .iter()
        .filter(|(began, _)| *began > crossed)
        .all(|(_, status)| *status == StatusCode::FORBIDDEN));
    // Every admitted call is metered and counted against the budget.
    let (events, ..) = measured(&server).await;
    assert_eq!(events, admitted.count() as i64);
}

#[tokio::test]
async fn a_token_made_for_one_feature_needs_no_header_and_serves_no_other() {
    let (server, fake) = console().await;
    let form = "name=Search&may_call_models=on&gateway_feature=semantic_search";
    let token = token_made_with(&server, form).await;
    let embed = json!({"model": "text-embedding-3-small", "input": PROMPT});
    let response = call(
        &server,
        "/gateway/openai/v1/embeddings",
        &token,
        &[],
        &embed,
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let (status, answer) = ask(&server, &token).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(answer["error"]["code"], "feature_not_for_token");
    assert_eq!(fake.received().len(), 1);
    // Metered under the token's feature.
    let feature = measured_text(&server, "feature").await;
    assert_eq!(feature, "semantic_search");

    let response = server
        .post_form(
            "/api/api-access/create",
            "name=Odd&may_call_models=on&gateway_feature=poetry",
        )
        .await;
    assert_eq!(location(&response), "/settings/api?error=feature-invalid");
}
