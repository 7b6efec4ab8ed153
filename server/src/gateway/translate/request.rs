//! Requests: OpenAI's chat completion body as Anthropic's messages body,
//! and the reverse. The model is set by the gateway afterwards.

use super::{assistant_message, text_of, tool_use_blocks};
use serde_json::{json, Map, Value};

/// Anthropic requires `max_tokens`; an OpenAI call may leave it out.
const DEFAULT_MAX_TOKENS: i64 = 4096;

/// An OpenAI chat completion request as an Anthropic messages request.
pub fn chat_to_messages(chat: &Map<String, Value>) -> Map<String, Value> {
    let mut system = Vec::new();
    let mut messages: Vec<Value> = Vec::new();
    for message in chat
        .get("messages")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let content = message.get("content");
        match message.get("role").and_then(Value::as_str) {
            Some("system" | "developer") => system.push(text_of(content)),
            Some("tool") => {
                let result = json!({
                    "type": "tool_result",
                    "tool_use_id": message.get("tool_call_id").cloned().unwrap_or(json!("")),
                    "content": text_of(content),
                });
                append(&mut messages, "user", vec![result]);
            }
            Some("assistant") => {
                let mut blocks = blocks_of(content);
                blocks.extend(tool_use_blocks(message));
                append(&mut messages, "assistant", blocks);
            }
            _ => append(&mut messages, "user", blocks_of(content)),
        }
    }
    let mut out = Map::new();
    let system: Vec<String> = system.into_iter().filter(|text| !text.is_empty()).collect();
    if !system.is_empty() {
        out.insert("system".into(), json!(system.join("\n\n")));
    }
    out.insert("messages".into(), Value::Array(messages));
    let max_tokens = ["max_completion_tokens", "max_tokens"]
        .iter()
        .find_map(|name| chat.get(*name).and_then(Value::as_i64))
        .unwrap_or(DEFAULT_MAX_TOKENS);
    out.insert("max_tokens".into(), json!(max_tokens));
    if let Some(temperature) = chat.get("temperature").and_then(Value::as_f64) {
        // OpenAI's range is 0 to 2, Anthropic's 0 to 1.
        out.insert("temperature".into(), json!(temperature.clamp(0.0, 1.0)));
    }
    put(&mut out, "top_p", chat.get("top_p"));
    put(&mut out, "stream", chat.get("stream"));
    match chat.get("stop") {
        Some(Value::String(stop)) => {
            out.insert("stop_sequences".into(), json!([stop]));
        }
        Some(stops @ Value::Array(_)) => {
            out.insert("stop_sequences".into(), stops.clone());
        }
        _ => {}
    }
    if let Some(user) = chat.get("user").and_then(Value::as_str) {
        out.insert("metadata".into(), json!({ "user_id": user }));
    }
    let tools: Vec<Value> = chat
        .get("tools")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|tool| tool.get("function"))
        .map(|function| {
            let mut tool = Map::new();
            put(&mut tool, "name", function.get("name"));
            put(&mut tool, "description", function.get("description"));
            let schema = function
                .get("parameters")
                .cloned()
                .unwrap_or_else(|| json!({"type": "object", "properties": {}}));
            tool.insert("input_schema".into(), schema);
            Value::Object(tool)
        })
        .collect();
    if !tools.is_empty() {
        out.insert("tools".into(), Value::Array(tools));
        let mut choice = match chat.get("tool_choice") {
            Some(Value::String(choice)) if choice == "none" => json!({"type": "none"}),
            Some(Value::String(choice)) if choice == "required" => json!({"type": "any"}),
            Some(Value::Object(named)) => match named
                .get("function")
                .and_then(|function| function.get("name"))
            {
                Some(name) => json!({"type": "tool", "name": name}),
                None => json!({"type": "auto"}),
            },
            _ => json!({"type": "auto"}),
        };
        if chat.get("parallel_tool_calls") == Some(&Value::Bool(false)) {
            choice["disable_parallel_tool_use"] = json!(true);
        }
        out.insert("tool_choice".into(), choice);
    }
    out
}

/// An Anthropic messages request as an OpenAI chat completion request.
/// `compatible` endpoints get `max_tokens`, OpenAI itself
/// `max_completion_tokens` (its reasoning models take no other).
pub fn messages_to_chat(messages: &Map<String, Value>, compatible: bool) -> Map<String, Value> {
    let mut chat_messages = Vec::new();
    let system = text_of(messages.get("system"));
    if !system.is_empty() {
        chat_messages.push(json!({"role": "system", "content": system}));
    }
    for message in messages
        .get("messages")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let role = message
            .get("role")
            .and_then(Value::as_str)
            .unwrap_or("user");
        let blocks = match message.get("content") {
            Some(Value::String(text)) => {
                chat_messages.push(json!({"role": role, "content": text}));
                continue;
            }
            Some(Value::Array(blocks)) => blocks.as_slice(),
            _ => &[],
        };
        if role == "assistant" {
            chat_messages.push(assistant_message(blocks));
            continue;
        }
        let mut parts = Vec::new();
        for block in blocks {
            match block.get("type").and_then(Value::as_str) {
                Some("tool_result") => chat_messages.push(json!({
                    "role": "tool",
                    "tool_call_id": block.get("tool_use_id").cloned().unwrap_or(json!("")),
                    "content": text_of(block.get("content")),
                })),
                Some("text") => parts.push(json!({"type": "text", "text": block.get("text")})),
                Some("image") => {
                    if let Some(url) = image_url(block.get("source")) {
                        parts.push(json!({"type": "image_url", "image_url": {"url": url}}));
                    }
                }
                _ => {}
            }
        }
        if !parts.is_empty() {
            chat_messages.push(json!({"role": "user", "content": parts}));
        }
    }
    let mut out = Map::new();
    out.insert("messages".into(), Value::Array(chat_messages));
    let limit = if compatible {
        "max_tokens"
    } else {
        "max_completion_tokens"
    };
    put(&mut out, limit, messages.get("max_tokens"));
    put(&mut out, "temperature", messages.get("temperature"));
    put(&mut out, "top_p", messages.get("top_p"));
    put(&mut out, "stream", messages.get("stream"));
    put(&mut out, "stop", messages.get("stop_sequences"));
    if let Some(user) = messages
        .get("metadata")
        .and_then(|metadata| metadata.get("user_id"))
    {
        out.insert("user".into(), user.clone());
    }
    let tools: Vec<Value> = messages
        .get("tools")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|tool| tool.get("input_schema").is_some())
        .map(|tool| {
            let mut function = Map::new();
            put(&mut function, "name", tool.get("name"));
            put(&mut function, "description", tool.get("description"));
            put(&mut function, "parameters", tool.get("input_schema"));
            json!({"type": "function", "function": function})
        })
        .collect();
    if !tools.is_empty() {
        out.insert("tools".into(), Value::Array(tools));
        let choice = messages.get("tool_choice");
        let kind = choice
            .and_then(|choice| choice.get("type"))
            .and_then(Value::as_str);
        let tool_choice = match kind {
            Some("any") => json!("required"),
            Some("none") => json!("none"),
            Some("tool") => json!({
                "type": "function",
                "function": {"name": choice.and_then(|choice| choice.get("name"))},
            }),
            _ => json!("auto"),
        };
        out.insert("tool_choice".into(), tool_choice);
        let disabled = choice.and_then(|choice| choice.get("disable_parallel_tool_use"));
        if disabled == Some(&Value::Bool(true)) {
            out.insert("parallel_tool_calls".into(), json!(false));
        }
    }
    out
}

/// OpenAI's content (a string or parts) as Anthropic blocks; empty texts
/// are left out (Anthropic refuses them), parts it has no like of pass as
/// they are, for the provider to name.
fn blocks_of(content: Option<&Value>) -> Vec<Value> {
    match content {
        Some(Value::String(text)) if !text.is_empty() => {
            vec![json!({"type": "text", "text": text})]
        }
        Some(Value::Array(parts)) => parts
            .iter()
            .filter_map(|part| match part.get("type").and_then(Value::as_str) {
                Some("text") => part
                    .get("text")
                    .and_then(Value::as_str)
                    .filter(|text| !text.is_empty())
                    .map(|text| json!({"type": "text", "text": text})),
                Some("image_url") => {
                    let url = part
                        .get("image_url")
                        .and_then(|image| image.get("url"))
                        .and_then(Value::as_str)?;
                    Some(image_block(url))
                }
                _ => Some(part.clone()),
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// An image by URL, or inline as a `data:` URL, as Anthropic's source.
fn image_block(url: &str) -> Value {
    let inline = url
        .strip_prefix("data:")
        .and_then(|rest| rest.split_once(";base64,"));
    match inline {
        Some((media_type, data)) => json!({
            "type": "image",
            "source": {"type": "base64", "media_type": media_type, "data": data},
        }),
        None => json!({"type": "image", "source": {"type": "url", "url": url}}),
    }
}

/// Anthropic's image source as a URL OpenAI takes.
fn image_url(source: Option<&Value>) -> Option<String> {
    let source = source?;
    match source.get("type").and_then(Value::as_str)? {
        "base64" => Some(format!(
            "data:{};base64,{}",
            source.get("media_type")?.as_str()?,
            source.get("data")?.as_str()?
        )),
        "url" => Some(source.get("url")?.as_str()?.to_string()),
        _ => None,
    }
}

/// Adds `blocks` as a turn of `role`, joined to the previous turn when it
/// has the same role (tool results and the user's text after them are one
/// turn for Anthropic).
fn append(messages: &mut Vec<Value>, role: &str, blocks: Vec<Value>) {
    if blocks.is_empty() {
        return;
    }
    if let Some(last) = messages.last_mut() {
        if last.get("role").and_then(Value::as_str) == Some(role) {
            if let Some(Value::Array(content)) = last.get_mut("content") {
                content.extend(blocks);
                return;
            }
        }
    }
    messages.push(json!({"role": role, "content": blocks}));
}

/// Sets `name` to `value` unless there is none.
fn put(to: &mut Map<String, Value>, name: &str, value: Option<&Value>) {
    if let Some(value) = value.filter(|value| !value.is_null()) {
        to.insert(name.into(), value.clone());
    }
}
