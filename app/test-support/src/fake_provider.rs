//! A model provider on loopback for tests: `/openai/v1`, `/openai-eu/v1`
//! and `/anthropic/v1` list models for the keys in `GOOD_KEYS` (Bearer, or
//! `x-api-key` for Anthropic) and answer 401 otherwise; `/slow/v1` answers
//! after 5 s, `/broken/v1` with 500. The second good key's list lacks two
//! models of the first's, as after a provider retires them.
//!
//! Model calls (`chat/completions`, `responses`, `embeddings`, Anthropic's
//! `messages`), whole or streamed, answer with a dated model id and fixed
//! usage, and are recorded (path, key, body) for tests to check what the
//! gateway sent. `/ratelimited/v1` answers 429 with `Retry-After: 7`,
//! `/slow/v1` waits 5 s first, `/hanging/v1` streams one chunk and then
//! never ends, `/huge/v1` answers a body larger than any limit (model
//! lists too). A call
//! offering tools is answered with a call of its first tool (arguments
//! [`TOOL_ARGUMENTS`]). After [`FakeProvider::revoke_keys`], every model
//! call is refused 401 as a provider refuses a revoked key, its message
//! quoting a masked fragment of the key as OpenAI's does.

use app::model_provider::rules::ProviderEndpoints;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::{
    body::{Body, Bytes},
    extract::{Path, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Router,
};

pub const GOOD_KEYS: [&str; 2] = ["sk-test-good-key-1111", "sk-test-good-key-2222"];

pub struct FakeProvider {
    pub base: String,
    requests: Arc<AtomicUsize>,
    received: Arc<Mutex<Vec<Received>>>,
    revoked: Arc<AtomicBool>,
}

/// One model call as the fake received it.
#[derive(Debug, Clone)]
pub struct Received {
    /// e.g. `openai-eu/v1/chat/completions`.
    pub path: String,
    /// The key sent: Bearer for OpenAI, `x-api-key` for Anthropic.
    pub key: String,
    pub body: Value,
}

/// Usage every non-streamed answer reports.
pub const INPUT_TOKENS: i64 = 11;
pub const OUTPUT_TOKENS: i64 = 7;
/// Of the input, what a non-streamed chat answer says was cached.
pub const CACHED_INPUT_TOKENS: i64 = 4;
/// What the fake answers a chat with.
pub const ANSWER: &str = "Hello from the fake provider";
/// The arguments of the tool call it answers a call offering tools with.
pub const TOOL_ARGUMENTS: &str = r#"{"city":"Paris"}"#;

#[derive(Clone)]
struct Shared {
    requests: Arc<AtomicUsize>,
    received: Arc<Mutex<Vec<Received>>>,
    revoked: Arc<AtomicBool>,
}

impl FakeProvider {
    pub async fn start() -> Self {
        let shared = Shared {
            requests: Arc::new(AtomicUsize::new(0)),
            received: Arc::default(),
            revoked: Arc::default(),
        };
        let app = Router::new()
            .route("/{flavour}/v1/models", get(models))
            .route("/{flavour}/v1/{*call}", post(model_call))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        FakeProvider {
            base,
            requests: shared.requests,
            received: shared.received,
            revoked: shared.revoked,
        }
    }

    /// From now on every model call is refused as with a revoked key.
    pub fn revoke_keys(&self) {
        self.revoked.store(true, Ordering::SeqCst);
    }

    /// Every model call received so far.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// How many requests reached the fake so far.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    pub fn endpoints(&self) -> ProviderEndpoints {
        ProviderEndpoints {
            openai: format!("{}/openai/v1", self.base),
            openai_eu: format!("{}/openai-eu/v1", self.base),
            anthropic: format!("{}/anthropic/v1", self.base),
        }
    }

    pub fn url(&self, flavour: &str) -> String {
        format!("{}/{flavour}/v1", self.base)
    }
}

async fn models(
    State(Shared { requests, .. }): State<Shared>,
    Path(flavour): Path<String>,
    headers: HeaderMap,
) -> Response {
    requests.fetch_add(1, Ordering::SeqCst);
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    };
    let key = match flavour.as_str() {
        "anthropic" => header("x-api-key").to_string(),
        _ => header("authorization")
            .trim_start_matches("Bearer ")
            .to_string(),
    };
    let answer = match flavour.as_str() {
        "huge" => return huge_answer(),
        "slow" => {
            tokio::time::sleep(std::time::Duration::from_secs(5)).await;
            (StatusCode::OK, r#"{"data":[]}"#)
        }
        "broken" => (StatusCode::INTERNAL_SERVER_ERROR, "oops"),
        "anthropic" if GOOD_KEYS.contains(&key.as_str()) => (
            StatusCode::OK,
            r#"{"data":[{"id":"claude-sonnet-4","type":"model"},{"id":"claude-haiku-4","type":"model"}],"has_more":false}"#,
        ),
        // The second key's account no longer offers two of the first's.
        _ if key == GOOD_KEYS[1] => (
            StatusCode::OK,
            r#"{"object":"list","data":[{"id":"gpt-4o"},{"id":"gpt-4.1"}]}"#,
        ),
        _ if GOOD_KEYS.contains(&key.as_str()) => (
            StatusCode::OK,
            r#"{"object":"list","data":[{"id":"gpt-4o"},{"id":"gpt-4o-mini"},{"id":"o3-mini"}]}"#,
        ),
        _ => (StatusCode::UNAUTHORIZED, r#"{"error":"invalid key"}"#),
    };
    answer.into_response()
}

/// 64 MiB of one JSON answer, more than the console reads of any.
fn huge_answer() -> Response {
    let chunk = Bytes::from(vec![b' '; 1 << 20]);
    let chunks = (0..64).map(move |_| Ok::<_, std::io::Error>(chunk.clone()));
    (
        [(header::CONTENT_TYPE, "application/json")],
        Body::from_stream(futures_util::stream::iter(chunks)),
    )
        .into_response()
}

/// A model call: recorded, then answered in the flavour's manner.
async fn model_call(
    State(shared): State<Shared>,
    Path((flavour, call)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    shared.requests.fetch_add(1, Ordering::SeqCst);
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let key = if call == "messages" {
        header("x-api-key")
    } else {
        header("authorization")
            .trim_start_matches("Bearer ")
            .to_string()
    };
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    shared.received.lock().unwrap().push(Received {
        path: format!("{flavour}/v1/{call}"),
        key: key.clone(),
        body: body.clone(),
    });
    let streaming = body["stream"] == json!(true);
    if shared.revoked.load(Ordering::SeqCst) {
        return key_refused(&call, &key);
    }
    match flavour.as_str() {
        "ratelimited" => {
            return (
                StatusCode::TOO_MANY_REQUESTS,
                [
                    (header::RETRY_AFTER, "7"),
                    (header::CONTENT_TYPE, "application/json"),
                ],
                r#"{"error":{"message":"Rate limit reached","type":"rate_limit_error"}}"#,
            )
                .into_response()
        }
        "slow" => tokio::time::sleep(std::time::Duration::from_secs(5)).await,
        "hanging" => {
            let first = futures_util::stream::once(async {
                Ok::<_, std::io::Error>(Bytes::from(
                    "data: {\"model\":\"gpt-4o\",\"choices\":[]}\n\n",
                ))
            });
            let never = futures_util::stream::pending();
            return (
                [(header::CONTENT_TYPE, "text/event-stream")],
                Body::from_stream(futures_util::StreamExt::chain(first, never)),
            )
                .into_response();
        }
        "huge" => return huge_answer(),
        _ => {}
    }
    let model = body["model"].as_str().unwrap_or("unknown");
    // Anthropic names a tool at the top, OpenAI inside `function`.
    let tool = body["tools"][0]["name"]
        .as_str()
        .or(body["tools"][0]["function"]["name"].as_str())
        .map(str::to_string);
    // Providers answer with the dated id of the model asked for.
    let dated = match model {
        "gpt-4o" => "gpt-4o-2024-08-06".to_string(),
        "claude-sonnet-4" => "claude-sonnet-4-20250514".to_string(),
        other => other.to_string(),
    };
    if let Some(tool) = tool {
        return tool_call(&call, streaming, &dated, &tool);
    }
    match (call.as_str(), streaming) {
        ("messages", false) => json_answer(json!({
            "id": "msg_fake", "type": "message", "role": "assistant", "model": dated,
            "content": [{"type": "text", "text": ANSWER}],
            "stop_reason": "end_turn", "stop_sequence": null,
            "usage": {"input_tokens": INPUT_TOKENS, "output_tokens": OUTPUT_TOKENS}
        })),
        ("messages", true) => sse(
            vec![
                json!({"type": "message_start", "message": {"id": "msg_fake", "type": "message", "role": "assistant", "model": dated, "content": [], "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": INPUT_TOKENS, "output_tokens": 1}}}),
                json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
                json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": ANSWER}}),
                json!({"type": "content_block_stop", "index": 0}),
                json!({"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": null}, "usage": {"output_tokens": OUTPUT_TOKENS}}),
                json!({"type": "message_stop"}),
            ],
            true,
        ),
        ("chat/completions", false) => json_answer(json!({
            "id": "chatcmpl-fake", "object": "chat.completion", "created": 0, "model": dated,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": ANSWER}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": INPUT_TOKENS, "completion_tokens": OUTPUT_TOKENS, "total_tokens": INPUT_TOKENS + OUTPUT_TOKENS,
                      "prompt_tokens_details": {"cached_tokens": CACHED_INPUT_TOKENS}}
        })),
        ("chat/completions", true) => {
            let chunk = |delta: Value, finish: Value| {
                json!({
                    "id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0, "model": dated,
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]
                })
            };
            let mut events = vec![
                chunk(json!({"role": "assistant", "content": ""}), Value::Null),
                chunk(json!({"content": ANSWER}), Value::Null),
                chunk(json!({}), json!("stop")),
            ];
            if body["stream_options"]["include_usage"] == json!(true) {
                events.push(json!({
                    "id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0, "model": dated, "choices": [],
                    "usage": {"prompt_tokens": INPUT_TOKENS, "completion_tokens": OUTPUT_TOKENS, "total_tokens": INPUT_TOKENS + OUTPUT_TOKENS}
                }));
            }
            sse(events, false)
        }
        ("embeddings", _) => json_answer(json!({
            "object": "list", "model": dated,
            "data": [{"object": "embedding", "index": 0, "embedding": [0.1, 0.2, 0.3]}],
            "usage": {"prompt_tokens": INPUT_TOKENS, "total_tokens": INPUT_TOKENS}
        })),
        ("responses", _) => json_answer(json!({
            "id": "resp_fake", "object": "response", "model": dated, "status": "completed",
            "output": [{"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": ANSWER}]}],
            "usage": {"input_tokens": INPUT_TOKENS, "output_tokens": OUTPUT_TOKENS, "total_tokens": INPUT_TOKENS + OUTPUT_TOKENS}
        })),
        _ => (StatusCode::NOT_FOUND, "no such call").into_response(),
    }
}

/// A call of `tool`, in the call's API, whole or streamed (the arguments
/// in two pieces, as providers send them).
fn tool_call(call: &str, streaming: bool, model: &str, tool: &str) -> Response {
    let (first, rest) = TOOL_ARGUMENTS.split_at(8);
    let usage = json!({"input_tokens": INPUT_TOKENS, "output_tokens": OUTPUT_TOKENS});
    match (call, streaming) {
        ("messages", false) => json_answer(json!({
            "id": "msg_fake", "type": "message", "role": "assistant", "model": model,
            "content": [{"type": "text", "text": "Checking."},
                        {"type": "tool_use", "id": "toolu_fake", "name": tool,
                         "input": serde_json::from_str::<Value>(TOOL_ARGUMENTS).unwrap()}],
            "stop_reason": "tool_use", "stop_sequence": null, "usage": usage
        })),
        ("messages", true) => sse(
            vec![
                json!({"type": "message_start", "message": {"id": "msg_fake", "type": "message", "role": "assistant", "model": model, "content": [], "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": INPUT_TOKENS, "output_tokens": 1}}}),
                json!({"type": "content_block_start", "index": 0, "content_block": {"type": "tool_use", "id": "toolu_fake", "name": tool, "input": {}}}),
                json!({"type": "content_block_delta", "index": 0, "delta": {"type": "input_json_delta", "partial_json": first}}),
                json!({"type": "content_block_delta", "index": 0, "delta": {"type": "input_json_delta", "partial_json": rest}}),
                json!({"type": "content_block_stop", "index": 0}),
                json!({"type": "message_delta", "delta": {"stop_reason": "tool_use", "stop_sequence": null}, "usage": {"output_tokens": OUTPUT_TOKENS}}),
                json!({"type": "message_stop"}),
            ],
            true,
        ),
        (_, false) => json_answer(json!({
            "id": "chatcmpl-fake", "object": "chat.completion", "created": 0, "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": null, "tool_calls": [
                {"id": "call_fake", "type": "function", "function": {"name": tool, "arguments": TOOL_ARGUMENTS}}
            ]}, "finish_reason": "tool_calls"}],
            "usage": {"prompt_tokens": INPUT_TOKENS, "completion_tokens": OUTPUT_TOKENS, "total_tokens": INPUT_TOKENS + OUTPUT_TOKENS}
        })),
        (_, true) => {
            let chunk = |delta: Value, finish: Value| {
                json!({
                    "id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0, "model": model,
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]
                })
            };
            sse(
                vec![
                    chunk(json!({"role": "assistant", "content": null}), Value::Null),
                    chunk(
                        json!({"tool_calls": [{"index": 0, "id": "call_fake", "type": "function", "function": {"name": tool, "arguments": first}}]}),
                        Value::Null,
                    ),
                    chunk(
                        json!({"tool_calls": [{"index": 0, "function": {"arguments": rest}}]}),
                        Value::Null,
                    ),
                    chunk(json!({}), json!("tool_calls")),
                    json!({"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0, "model": model, "choices": [],
                           "usage": {"prompt_tokens": INPUT_TOKENS, "completion_tokens": OUTPUT_TOKENS, "total_tokens": INPUT_TOKENS + OUTPUT_TOKENS}}),
                ],
                false,
            )
        }
    }
}

/// A 401 in the call's format, quoting the key masked as OpenAI does
/// (`sk-tes****1111`).
fn key_refused(call: &str, key: &str) -> Response {
    let head: String = key.chars().take(6).collect();
    let tail = key.get(key.len().saturating_sub(4)..).unwrap_or_default();
    let message = format!("Incorrect API key provided: {head}****{tail}.");
    let body = if call == "messages" {
        json!({"type": "error", "error": {"type": "authentication_error", "message": message}})
    } else {
        json!({"error": {"message": message, "type": "invalid_request_error", "code": "invalid_api_key", "param": null}})
    };
    (StatusCode::UNAUTHORIZED, json_answer(body)).into_response()
}

fn json_answer(body: Value) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// Server-sent events, one a chunk, as providers send them; Anthropic's
/// carry an `event:` line, OpenAI's end with `[DONE]`.
fn sse(events: Vec<Value>, named: bool) -> Response {
    let mut chunks: Vec<Result<Bytes, std::io::Error>> = events
        .into_iter()
        .map(|event| {
            let text = match (named, event["type"].as_str()) {
                (true, Some(kind)) => format!("event: {kind}\ndata: {event}\n\n"),
                _ => format!("data: {event}\n\n"),
            };
            Ok(Bytes::from(text))
        })
        .collect();
    if !named {
        chunks.push(Ok(Bytes::from("data: [DONE]\n\n")));
    }
    (
        [(header::CONTENT_TYPE, "text/event-stream")],
        Body::from_stream(futures_util::stream::iter(chunks)),
    )
        .into_response()
}
