//! One API, either provider: a call in OpenAI's chat completions format
//! served by Anthropic's messages, and the reverse. Requests, whole
//! answers, errors and streams are translated field by field (system and
//! messages, images, tools and tool calls, stop reasons, usage), so a
//! workspace can switch providers on the page and its services keep
//! working unchanged. Nothing of a prompt or answer is kept or logged.

mod answer;
mod request;
mod stream;

pub use answer::{chat_to_message, error_to_anthropic, error_to_openai, message_to_chat};
pub use request::{chat_to_messages, messages_to_chat};
pub use stream::StreamTranslation;

use serde_json::Value;

/// Anthropic's stop reason as OpenAI's finish reason.
fn finish_reason_of(stop_reason: Option<&str>) -> &'static str {
    match stop_reason {
        Some("max_tokens") => "length",
        Some("tool_use") => "tool_calls",
        Some("refusal") => "content_filter",
        _ => "stop",
    }
}

/// OpenAI's finish reason as Anthropic's stop reason.
fn stop_reason_of(finish_reason: Option<&str>) -> &'static str {
    match finish_reason {
        Some("length") => "max_tokens",
        Some("tool_calls" | "function_call") => "tool_use",
        Some("content_filter") => "refusal",
        _ => "end_turn",
    }
}

/// Token counts in OpenAI's terms (input includes what was cached) from
/// Anthropic's usage (input excludes cache reads and writes).
fn chat_usage(usage: &Value) -> Value {
    let count = |name: &str| usage.get(name).and_then(Value::as_i64).unwrap_or(0);
    let cached = count("cache_read_input_tokens");
    let input = count("input_tokens") + cached + count("cache_creation_input_tokens");
    let output = count("output_tokens");
    serde_json::json!({
        "prompt_tokens": input,
        "completion_tokens": output,
        "total_tokens": input + output,
        "prompt_tokens_details": {"cached_tokens": cached},
    })
}

/// Token counts in Anthropic's terms from OpenAI's usage.
fn message_usage(usage: &Value) -> Value {
    let count = |name: &str| usage.get(name).and_then(Value::as_i64).unwrap_or(0);
    let cached = usage
        .get("prompt_tokens_details")
        .and_then(|details| details.get("cached_tokens"))
        .and_then(Value::as_i64)
        .unwrap_or(0);
    serde_json::json!({
        "input_tokens": (count("prompt_tokens") - cached).max(0),
        "cache_read_input_tokens": cached,
        "output_tokens": count("completion_tokens"),
    })
}

/// A tool call's arguments (a JSON text in OpenAI's API) as the object
/// Anthropic's `tool_use` carries; an empty object when they are not one.
fn arguments_object(arguments: Option<&Value>) -> Value {
    let parsed = match arguments {
        Some(Value::String(text)) => serde_json::from_str::<Value>(text).ok(),
        Some(object @ Value::Object(_)) => Some(object.clone()),
        _ => None,
    };
    match parsed {
        Some(object @ Value::Object(_)) => object,
        _ => Value::Object(Default::default()),
    }
}

/// An Anthropic assistant turn as an OpenAI assistant message: its text
/// as the content (null when it only calls tools), its `tool_use` blocks
/// as tool calls; thinking is the provider's own and left out.
fn assistant_message(blocks: &[Value]) -> Value {
    let of_type = |kind: &'static str| {
        blocks
            .iter()
            .filter(move |block| block.get("type").and_then(Value::as_str) == Some(kind))
    };
    let text: String = of_type("text")
        .filter_map(|block| block.get("text").and_then(Value::as_str))
        .collect();
    let calls: Vec<Value> = of_type("tool_use")
        .map(|block| {
            serde_json::json!({
                "id": block.get("id"),
                "type": "function",
                "function": {
                    "name": block.get("name"),
                    "arguments": block.get("input").map(Value::to_string).unwrap_or_else(|| "{}".into()),
                },
            })
        })
        .collect();
    let content = if text.is_empty() && !calls.is_empty() {
        Value::Null
    } else {
        Value::String(text)
    };
    let mut message = serde_json::json!({"role": "assistant", "content": content});
    if !calls.is_empty() {
        message["tool_calls"] = Value::Array(calls);
    }
    message
}

/// An OpenAI message's tool calls as Anthropic `tool_use` blocks.
fn tool_use_blocks(message: &Value) -> Vec<Value> {
    let calls = message.get("tool_calls").and_then(Value::as_array);
    calls
        .into_iter()
        .flatten()
        .map(|call| {
            let function = call.get("function");
            serde_json::json!({
                "type": "tool_use",
                "id": call.get("id").cloned().unwrap_or(Value::String(String::new())),
                "name": function.and_then(|f| f.get("name")).cloned().unwrap_or(Value::String(String::new())),
                "input": arguments_object(function.and_then(|f| f.get("arguments"))),
            })
        })
        .collect()
}

/// The text of a message's content: a string, or the text parts of an
/// array of parts (OpenAI) or blocks (Anthropic), joined.
fn text_of(content: Option<&Value>) -> String {
    match content {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Array(parts)) => parts
            .iter()
            .filter_map(|part| part.get("text").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests;
