//! Whole answers and provider errors: Anthropic's message as OpenAI's chat
//! completion, and the reverse.

use super::{
    assistant_message, chat_usage, finish_reason_of, message_usage, stop_reason_of, tool_use_blocks,
};
use serde_json::{json, Value};

/// An Anthropic message as an OpenAI chat completion, `created` at the
/// given Unix second.
pub fn message_to_chat(message: &Value, created: i64) -> Value {
    let blocks = message
        .get("content")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut answer = assistant_message(blocks);
    answer["refusal"] = Value::Null;
    let stop_reason = message.get("stop_reason").and_then(Value::as_str);
    json!({
        "id": message.get("id"),
        "object": "chat.completion",
        "created": created,
        "model": message.get("model"),
        "choices": [{
            "index": 0,
            "message": answer,
            "finish_reason": finish_reason_of(stop_reason),
            "logprobs": null,
        }],
        "usage": chat_usage(message.get("usage").unwrap_or(&Value::Null)),
    })
}

/// An OpenAI chat completion as an Anthropic message (its first choice).
pub fn chat_to_message(completion: &Value) -> Value {
    let choice = completion
        .get("choices")
        .and_then(|choices| choices.get(0))
        .unwrap_or(&Value::Null);
    let message = choice.get("message").unwrap_or(&Value::Null);
    let mut content = Vec::new();
    if let Some(text) = message
        .get("content")
        .and_then(Value::as_str)
        .filter(|text| !text.is_empty())
    {
        content.push(json!({"type": "text", "text": text}));
    }
    content.extend(tool_use_blocks(message));
    let finish_reason = choice.get("finish_reason").and_then(Value::as_str);
    json!({
        "id": completion.get("id"),
        "type": "message",
        "role": "assistant",
        "model": completion.get("model"),
        "content": content,
        "stop_reason": stop_reason_of(finish_reason),
        "stop_sequence": null,
        "usage": message_usage(completion.get("usage").unwrap_or(&Value::Null)),
    })
}

/// The provider's error message, in either API's error format.
fn message_of(error: &Value) -> &str {
    error
        .get("error")
        .and_then(|inner| inner.get("message").or(Some(inner)))
        .and_then(Value::as_str)
        .or_else(|| error.get("message").and_then(Value::as_str))
        .unwrap_or("the model provider refused the call")
}

/// An Anthropic error answer in OpenAI's error format.
pub fn error_to_openai(error: &Value) -> Value {
    let kind = error
        .get("error")
        .and_then(|inner| inner.get("type"))
        .cloned()
        .unwrap_or(json!("api_error"));
    json!({"error": {"message": message_of(error), "type": kind, "code": null, "param": null}})
}

/// An OpenAI error answer in Anthropic's error format; `kind` is
/// Anthropic's error type for the status.
pub fn error_to_anthropic(error: &Value, kind: &str) -> Value {
    json!({"type": "error", "error": {"type": kind, "message": message_of(error)}})
}
