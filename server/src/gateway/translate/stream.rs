//! Streams: Anthropic's server-sent events as OpenAI's chat completion
//! chunks, and the reverse, event by event as they arrive (nothing is
//! held back but the state a translation needs: which blocks are open).

use super::{chat_usage, finish_reason_of, message_usage, stop_reason_of};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::fmt::Write;

/// A stream translation in progress.
#[derive(Debug)]
pub enum StreamTranslation {
    /// Anthropic's events to a service speaking OpenAI.
    MessagesToChat(MessagesToChat),
    /// OpenAI's chunks to a service speaking Anthropic.
    ChatToMessages(ChatToMessages),
}

impl StreamTranslation {
    pub fn messages_to_chat(created: i64) -> Self {
        StreamTranslation::MessagesToChat(MessagesToChat {
            created,
            ..MessagesToChat::default()
        })
    }

    pub fn chat_to_messages() -> Self {
        StreamTranslation::ChatToMessages(ChatToMessages::default())
    }

    /// Translates one event of the provider's stream (its `data:` JSON)
    /// into `out`, as server-sent events.
    pub fn event(&mut self, data: &Value, out: &mut String) {
        match self {
            StreamTranslation::MessagesToChat(translation) => translation.event(data, out),
            StreamTranslation::ChatToMessages(translation) => translation.event(data, out),
        }
    }

    /// The provider's stream ended as it should: what closes the stream.
    pub fn end(&mut self, out: &mut String) {
        if let StreamTranslation::ChatToMessages(translation) = self {
            translation.end(out);
        }
    }
}

#[derive(Debug, Default)]
pub struct MessagesToChat {
    created: i64,
    id: Value,
    model: Value,
    /// Anthropic's block index to OpenAI's tool call index.
    tool_calls: BTreeMap<i64, i64>,
    usage: Map<String, Value>,
    done: bool,
}

impl MessagesToChat {
    fn chunk(&self, delta: Value, finish_reason: Value, out: &mut String) {
        let chunk = json!({
            "id": self.id, "object": "chat.completion.chunk", "created": self.created,
            "model": self.model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason, "logprobs": null}],
        });
        let _ = write!(out, "data: {chunk}\n\n");
    }

    fn take_usage(&mut self, usage: Option<&Value>) {
        if let Some(Value::Object(usage)) = usage {
            for (name, count) in usage {
                if count.is_number() {
                    self.usage.insert(name.clone(), count.clone());
                }
            }
        }
    }

    fn event(&mut self, data: &Value, out: &mut String) {
        let index = data.get("index").and_then(Value::as_i64).unwrap_or(0);
        match data.get("type").and_then(Value::as_str) {
            Some("message_start") => {
                let message = data.get("message").unwrap_or(&Value::Null);
                self.id = message.get("id").cloned().unwrap_or(Value::Null);
                self.model = message.get("model").cloned().unwrap_or(Value::Null);
                self.take_usage(message.get("usage"));
                self.chunk(
                    json!({"role": "assistant", "content": ""}),
                    Value::Null,
                    out,
                );
            }
            Some("content_block_start") => {
                let block = data.get("content_block").unwrap_or(&Value::Null);
                match block.get("type").and_then(Value::as_str) {
                    Some("tool_use") => {
                        let call = self.tool_calls.len() as i64;
                        self.tool_calls.insert(index, call);
                        let delta = json!({"tool_calls": [{
                            "index": call, "id": block.get("id"), "type": "function",
                            "function": {"name": block.get("name"), "arguments": ""},
                        }]});
                        self.chunk(delta, Value::Null, out);
                    }
                    Some("text") => {
                        if let Some(text) = block
                            .get("text")
                            .and_then(Value::as_str)
                            .filter(|text| !text.is_empty())
                        {
                            self.chunk(json!({ "content": text }), Value::Null, out);
                        }
                    }
                    _ => {}
                }
            }
            Some("content_block_delta") => {
                let delta = data.get("delta").unwrap_or(&Value::Null);
                match delta.get("type").and_then(Value::as_str) {
                    Some("text_delta") => {
                        self.chunk(json!({"content": delta.get("text")}), Value::Null, out)
                    }
                    Some("input_json_delta") => {
                        let call = self.tool_calls.get(&index).copied().unwrap_or(0);
                        let delta = json!({"tool_calls": [{
                            "index": call,
                            "function": {"arguments": delta.get("partial_json")},
                        }]});
                        self.chunk(delta, Value::Null, out);
                    }
                    _ => {}
                }
            }
            Some("message_delta") => {
                self.take_usage(data.get("usage"));
                let stop_reason = data
                    .get("delta")
                    .and_then(|delta| delta.get("stop_reason"))
                    .and_then(Value::as_str);
                self.chunk(json!({}), json!(finish_reason_of(stop_reason)), out);
            }
            Some("message_stop") if !self.done => {
                self.done = true;
                let usage = json!({
                    "id": self.id, "object": "chat.completion.chunk", "created": self.created,
                    "model": self.model, "choices": [],
                    "usage": chat_usage(&Value::Object(self.usage.clone())),
                });
                let _ = write!(out, "data: {usage}\n\ndata: [DONE]\n\n");
            }
            Some("error") => {
                let error = data.get("error").unwrap_or(&Value::Null);
                let error = json!({"error": {
                    "message": error.get("message"), "type": error.get("type"), "code": null,
                }});
                let _ = write!(out, "data: {error}\n\n");
            }
            _ => {}
        }
    }
}

/// The block open in the Anthropic stream being written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Text,
    /// A tool call, by its OpenAI index.
    Tool(i64),
}

#[derive(Debug, Default)]
pub struct ChatToMessages {
    started: bool,
    open: Option<Open>,
    /// The index of the open block, or of the next one.
    block: i64,
    stop_reason: Option<String>,
    usage: Value,
    ended: bool,
}

fn named_event(out: &mut String, data: Value) {
    let kind = data.get("type").and_then(Value::as_str).unwrap_or("error");
    let _ = write!(out, "event: {kind}\ndata: {data}\n\n");
}

impl ChatToMessages {
    fn start(&mut self, chunk: &Value, out: &mut String) {
        if self.started {
            return;
        }
        self.started = true;
        named_event(
            out,
            json!({"type": "message_start", "message": {
                "id": chunk.get("id"), "type": "message", "role": "assistant",
                "model": chunk.get("model"), "content": [],
                "stop_reason": null, "stop_sequence": null,
                "usage": {"input_tokens": 0, "output_tokens": 0},
            }}),
        );
    }

    fn close(&mut self, out: &mut String) {
        if self.open.take().is_some() {
            named_event(
                out,
                json!({"type": "content_block_stop", "index": self.block}),
            );
            self.block += 1;
        }
    }

    fn open(&mut self, open: Open, block: Value, out: &mut String) {
        self.close(out);
        self.open = Some(open);
        named_event(
            out,
            json!({"type": "content_block_start", "index": self.block, "content_block": block}),
        );
    }

    fn event(&mut self, chunk: &Value, out: &mut String) {
        self.start(chunk, out);
        if let Some(error) = chunk.get("error") {
            named_event(
                out,
                json!({"type": "error", "error": {"type": "api_error", "message": error.get("message")}}),
            );
            return;
        }
        if let Some(usage) = chunk.get("usage").filter(|usage| usage.is_object()) {
            self.usage = usage.clone();
        }
        let Some(choice) = chunk.get("choices").and_then(|choices| choices.get(0)) else {
            return;
        };
        let delta = choice.get("delta").unwrap_or(&Value::Null);
        if let Some(text) = delta
            .get("content")
            .and_then(Value::as_str)
            .filter(|text| !text.is_empty())
        {
            if self.open != Some(Open::Text) {
                self.open(Open::Text, json!({"type": "text", "text": ""}), out);
            }
            named_event(
                out,
                json!({"type": "content_block_delta", "index": self.block,
                       "delta": {"type": "text_delta", "text": text}}),
            );
        }
        for call in delta
            .get("tool_calls")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let index = call.get("index").and_then(Value::as_i64).unwrap_or(0);
            let function = call.get("function");
            if self.open != Some(Open::Tool(index)) {
                let block = json!({
                    "type": "tool_use", "id": call.get("id"),
                    "name": function.and_then(|function| function.get("name")),
                    "input": {},
                });
                self.open(Open::Tool(index), block, out);
            }
            if let Some(arguments) = function
                .and_then(|function| function.get("arguments"))
                .and_then(Value::as_str)
                .filter(|arguments| !arguments.is_empty())
            {
                named_event(
                    out,
                    json!({"type": "content_block_delta", "index": self.block,
                           "delta": {"type": "input_json_delta", "partial_json": arguments}}),
                );
            }
        }
        if let Some(finish_reason) = choice.get("finish_reason").and_then(Value::as_str) {
            self.stop_reason = Some(stop_reason_of(Some(finish_reason)).to_string());
        }
    }

    fn end(&mut self, out: &mut String) {
        if self.ended {
            return;
        }
        self.ended = true;
        self.start(&Value::Null, out);
        self.close(out);
        named_event(
            out,
            json!({"type": "message_delta",
                   "delta": {"stop_reason": self.stop_reason.as_deref().unwrap_or("end_turn"), "stop_sequence": null},
                   "usage": message_usage(&self.usage)}),
        );
        named_event(out, json!({"type": "message_stop"}));
    }
}
