//! One API, either provider: a service written against OpenAI's chat
//! completions keeps working when the workspace's key is Anthropic's, and
//! one written against Anthropic's messages when it is OpenAI's, whole or
//! streamed, with tools, and with the provider's errors in the service's
//! own format.

use crate::gateway::{call, chat, chat_body, measured, token, ASSISTANT, MESSAGES, PROMPT};
use crate::policy_api::{admin_of, enterprise, provider_version};
use crate::support::{body_text, server_configured, TestServer};
use app::domain::{Plan, Role};
use app::model_provider::rules::KeyProvider;
use app::model_provider::service::KeyForm;
use axum::http::StatusCode;
use secrecy::SecretString;
use serde_json::{json, Value};
use test_support::fake_provider::{
    FakeProvider, ANSWER, GOOD_KEYS, INPUT_TOKENS, OUTPUT_TOKENS, TOOL_ARGUMENTS,
};

/// Saves the workspace's own key for `provider`, as an admin does on the
/// page (switching provider resets the models, which the admin confirms).
async fn own_key(server: &TestServer, provider: KeyProvider, base_url: Option<&str>) {
    let form = KeyForm {
        provider,
        key: SecretString::from(GOOD_KEYS[0].to_string()),
        base_url,
        based_on: provider_version(server).await,
        models_reset_confirmed: true,
    };
    app::use_cases::provider_change::save_key(&server.console.state, &admin_of(server), form)
        .await
        .unwrap();
}

fn weather_tool() -> Value {
    json!({"type": "function", "function": {
        "name": "weather", "description": "The weather in a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    }})
}

/// The `data:` objects of a stream.
fn events_of(stream: &str) -> Vec<Value> {
    stream
        .lines()
        .filter_map(|line| line.strip_prefix("data: "))
        .filter_map(|data| serde_json::from_str(data).ok())
        .collect()
}

fn joined(events: &[Value], pick: impl Fn(&Value) -> Option<&str>) -> String {
    events.iter().filter_map(pick).collect()
}

async fn anthropic_workspace() -> (TestServer, FakeProvider, String) {
    let (server, fake) = enterprise().await;
    own_key(&server, KeyProvider::Anthropic, None).await;
    let token = token(&server, true).await;
    (server, fake, token)
}

#[tokio::test]
async fn an_openai_chat_is_served_by_anthropic_when_the_key_is_anthropics() {
    let (server, fake, token) = anthropic_workspace().await;
    let (status, answer) = chat(
        &server,
        &token,
        &[ASSISTANT],
        &chat_body(Some("claude-sonnet-4"), false),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["object"], "chat.completion");
    assert_eq!(answer["choices"][0]["message"]["content"], ANSWER);
    assert_eq!(answer["choices"][0]["finish_reason"], "stop");
    assert_eq!(answer["model"], "claude-sonnet-4-20250514");
    assert_eq!(answer["usage"]["prompt_tokens"], INPUT_TOKENS);
    let sent = fake.received().pop().unwrap();
    assert_eq!(sent.path, "anthropic/v1/messages");
    assert_eq!(sent.key, GOOD_KEYS[0]);
    assert_eq!(
        sent.body["messages"],
        json!([{"role": "user", "content": [{"type": "text", "text": PROMPT}]}])
    );
    assert!(
        sent.body["max_tokens"].as_i64().unwrap() > 0,
        "Anthropic needs max_tokens"
    );

    let response = call(
        &server,
        crate::gateway::CHAT,
        &token,
        &[ASSISTANT],
        &chat_body(Some("claude-sonnet-4"), true),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let stream = body_text(response).await;
    let chunks = events_of(&stream);
    assert_eq!(
        joined(&chunks, |chunk| chunk["choices"][0]["delta"]["content"]
            .as_str()),
        ANSWER
    );
    assert!(chunks
        .iter()
        .any(|chunk| chunk["usage"]["completion_tokens"] == OUTPUT_TOKENS));
    assert!(stream.trim_end().ends_with("data: [DONE]"), "{stream}");
    assert!(
        !stream.contains("event: "),
        "OpenAI's stream has no event names"
    );

    let (events, input, output, _) = measured(&server).await;
    assert_eq!(
        (events, input, output),
        (2, 2 * INPUT_TOKENS, 2 * OUTPUT_TOKENS)
    );
}

#[tokio::test]
async fn tools_and_tool_calls_cross_to_anthropic_and_back_whole_or_streamed() {
    let (server, fake, token) = anthropic_workspace().await;
    let mut body = chat_body(Some("claude-sonnet-4"), false);
    body["tools"] = json!([weather_tool()]);
    let (status, answer) = chat(&server, &token, &[ASSISTANT], &body).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let choice = &answer["choices"][0];
    assert_eq!(choice["finish_reason"], "tool_calls");
    assert_eq!(
        choice["message"]["tool_calls"][0]["function"],
        json!({"name": "weather", "arguments": TOOL_ARGUMENTS})
    );
    let sent = fake.received().pop().unwrap();
    assert_eq!(sent.body["tools"][0]["name"], "weather");
    assert_eq!(
        sent.body["tools"][0]["input_schema"],
        weather_tool()["function"]["parameters"]
    );

    // The service answers the tool call; Anthropic gets it as a result.
    body["messages"] = json!([
        {"role": "user", "content": PROMPT},
        choice["message"].clone(),
        {"role": "tool", "tool_call_id": choice["message"]["tool_calls"][0]["id"], "content": "Sunny"},
    ]);
    body["stream"] = json!(true);
    let response = call(&server, crate::gateway::CHAT, &token, &[ASSISTANT], &body).await;
    let chunks = events_of(&body_text(response).await);
    let sent = fake.received().pop().unwrap();
    assert_eq!(
        sent.body["messages"][1]["content"][1],
        json!({"type": "tool_use", "id": "toolu_fake", "name": "weather", "input": {"city": "Paris"}})
    );
    assert_eq!(
        sent.body["messages"][2]["content"][0],
        json!({"type": "tool_result", "tool_use_id": "toolu_fake", "content": "Sunny"})
    );
    assert_eq!(
        joined(&chunks, |chunk| chunk["choices"][0]["delta"]["tool_calls"]
            [0]["function"]["arguments"]
            .as_str()),
        TOOL_ARGUMENTS
    );
    assert!(chunks
        .iter()
        .any(|chunk| chunk["choices"][0]["finish_reason"] == "tool_calls"));
}

#[tokio::test]
async fn an_admin_switching_provider_leaves_the_service_unchanged() {
    let (server, fake) = enterprise().await;
    own_key(&server, KeyProvider::OpenAi, None).await;
    let token = token(&server, true).await;
    let body = chat_body(Some("claude-sonnet-4"), false);
    let (status, _) = chat(&server, &token, &[ASSISTANT], &body).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(fake.received()[0].path, "openai/v1/chat/completions");
    own_key(&server, KeyProvider::Anthropic, None).await;
    let (status, answer) = chat(&server, &token, &[ASSISTANT], &body).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["choices"][0]["message"]["content"], ANSWER);
    assert_eq!(fake.received()[1].path, "anthropic/v1/messages");
}

#[tokio::test]
async fn what_anthropic_cannot_do_is_refused_saying_so() {
    let (server, fake, token) = anthropic_workspace().await;
    for (path, body) in [
        (
            "/gateway/openai/v1/embeddings",
            json!({"model": "claude-sonnet-4", "input": "hello"}),
        ),
        (
            "/gateway/openai/v1/responses",
            json!({"model": "claude-sonnet-4", "input": "hello"}),
        ),
    ] {
        let response = call(&server, path, &token, &[ASSISTANT], &body).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let refused: Value = serde_json::from_str(&body_text(response).await).unwrap();
        assert_eq!(refused["error"]["code"], "provider_format");
        assert!(
            refused["error"]["message"]
                .as_str()
                .unwrap()
                .contains("Anthropic"),
            "{refused}"
        );
    }
    assert!(
        fake.received().is_empty(),
        "nothing was asked of the provider"
    );
}

#[tokio::test]
async fn an_anthropic_call_is_served_by_openai_when_the_key_is_openais() {
    let (server, fake) = enterprise().await;
    own_key(&server, KeyProvider::OpenAi, None).await;
    let token = token(&server, true).await;
    let body = json!({
        "model": "gpt-4o", "max_tokens": 256, "system": "Be brief.",
        "messages": [{"role": "user", "content": PROMPT}],
    });
    let response = call(&server, MESSAGES, &token, &[ASSISTANT], &body).await;
    assert_eq!(response.status(), StatusCode::OK);
    let answer: Value = serde_json::from_str(&body_text(response).await).unwrap();
    assert_eq!(answer["type"], "message");
    assert_eq!(answer["content"], json!([{"type": "text", "text": ANSWER}]));
    assert_eq!(answer["stop_reason"], "end_turn");
    // Anthropic counts cache reads apart from the rest of the input.
    assert_eq!(
        answer["usage"]["input_tokens"].as_i64().unwrap()
            + answer["usage"]["cache_read_input_tokens"].as_i64().unwrap(),
        INPUT_TOKENS
    );
    let sent = fake.received().pop().unwrap();
    assert_eq!(sent.path, "openai/v1/chat/completions");
    assert_eq!(sent.key, GOOD_KEYS[0], "sent as a Bearer token");
    assert_eq!(
        sent.body["messages"],
        json!([{"role": "system", "content": "Be brief."}, {"role": "user", "content": PROMPT}])
    );
    assert_eq!(sent.body["max_completion_tokens"], 256);

    let mut streamed = body.clone();
    streamed["stream"] = json!(true);
    streamed["tools"] = json!([{"name": "weather", "input_schema": {"type": "object"}}]);
    let response = call(&server, MESSAGES, &token, &[ASSISTANT], &streamed).await;
    let stream = body_text(response).await;
    assert!(stream.starts_with("event: message_start\n"), "{stream}");
    assert!(stream
        .trim_end()
        .ends_with("data: {\"type\":\"message_stop\"}"));
    let events = events_of(&stream);
    assert_eq!(
        joined(&events, |event| event["delta"]["partial_json"].as_str()),
        TOOL_ARGUMENTS
    );
    let finished = events
        .iter()
        .find(|event| event["type"] == "message_delta")
        .unwrap();
    assert_eq!(finished["delta"]["stop_reason"], "tool_use");
    assert_eq!(finished["usage"]["output_tokens"], OUTPUT_TOKENS);
    let sent = fake.received().pop().unwrap();
    assert_eq!(sent.body["stream_options"]["include_usage"], true);
    assert_eq!(sent.body["tools"][0]["function"]["name"], "weather");
    let (events, input, output, _) = measured(&server).await;
    assert_eq!(
        (events, input, output),
        (2, 2 * INPUT_TOKENS, 2 * OUTPUT_TOKENS)
    );
}

#[tokio::test]
async fn the_providers_errors_come_in_the_services_format_with_retry_after() {
    let fake = FakeProvider::start().await;
    let server = server_configured(Plan::Enterprise, |config| {
        config.deployment.providers.endpoints = fake.endpoints();
        // The compatible endpoint is the loopback fake.
        config.deployment.providers.private_model_networks = vec!["127.0.0.0/8".parse().unwrap()];
    })
    .await;
    server.sign_in_as(Role::Admin).await;
    let limited = fake.url("ratelimited");
    own_key(&server, KeyProvider::OpenAiCompatible, Some(&limited)).await;
    let token = token(&server, true).await;
    let body = json!({
        "model": "gpt-4o", "max_tokens": 256,
        "messages": [{"role": "user", "content": PROMPT}],
    });
    let response = call(&server, MESSAGES, &token, &[ASSISTANT], &body).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(response.headers()["retry-after"], "7");
    let refused: Value = serde_json::from_str(&body_text(response).await).unwrap();
    assert_eq!(
        refused,
        json!({"type": "error", "error": {"type": "rate_limit_error", "message": "Rate limit reached"}})
    );
    let sent = fake.received().pop().unwrap();
    assert_eq!(
        sent.body["max_tokens"], 256,
        "compatible endpoints get the older name"
    );
}
