use super::*;
use serde_json::{json, Map, Value};

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => panic!("an object"),
    }
}

const WEATHER_SCHEMA: &str = r#"{"type":"object","properties":{"city":{"type":"string"}}}"#;

fn schema() -> Value {
    serde_json::from_str(WEATHER_SCHEMA).unwrap()
}

#[test]
fn a_chat_with_system_tools_and_tool_results_becomes_an_anthropic_request() {
    let chat = object(json!({
        "model": "claude-sonnet-4",
        "messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": [
                {"type": "text", "text": "Weather here?"},
                {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}},
            ]},
            {"role": "assistant", "content": null, "tool_calls": [
                {"id": "call_1", "type": "function", "function": {"name": "weather", "arguments": "{\"city\":\"Paris\"}"}},
            ]},
            {"role": "tool", "tool_call_id": "call_1", "content": "Sunny"},
            {"role": "user", "content": "Thanks"},
        ],
        "tools": [{"type": "function", "function": {"name": "weather", "description": "Weather by city", "parameters": schema()}}],
        "tool_choice": "required",
        "parallel_tool_calls": false,
        "max_tokens": 300,
        "temperature": 1.5,
        "stop": "END",
        "user": "ada@example.com",
        "stream": true,
    }));
    let messages = Value::Object(chat_to_messages(&chat));
    assert_eq!(messages["system"], "Be brief.");
    assert_eq!(messages["max_tokens"], 300);
    assert_eq!(messages["temperature"], 1.0, "clamped to Anthropic's range");
    assert_eq!(messages["stop_sequences"], json!(["END"]));
    assert_eq!(messages["metadata"]["user_id"], "ada@example.com");
    assert_eq!(messages["stream"], true);
    assert_eq!(
        messages["tools"],
        json!([{"name": "weather", "description": "Weather by city", "input_schema": schema()}])
    );
    assert_eq!(
        messages["tool_choice"],
        json!({"type": "any", "disable_parallel_tool_use": true})
    );
    let turns = messages["messages"].as_array().unwrap();
    assert_eq!(
        turns.len(),
        3,
        "tool result and the next text are one user turn"
    );
    assert_eq!(
        turns[0]["content"][1]["source"],
        json!({"type": "base64", "media_type": "image/png", "data": "AAAA"})
    );
    assert_eq!(
        turns[1],
        json!({"role": "assistant", "content": [
            {"type": "tool_use", "id": "call_1", "name": "weather", "input": {"city": "Paris"}}
        ]})
    );
    assert_eq!(
        turns[2]["content"],
        json!([
            {"type": "tool_result", "tool_use_id": "call_1", "content": "Sunny"},
            {"type": "text", "text": "Thanks"},
        ])
    );
}

#[test]
fn an_anthropic_request_becomes_a_chat() {
    let request = object(json!({
        "model": "gpt-4o",
        "system": [{"type": "text", "text": "Be brief."}],
        "max_tokens": 200,
        "stop_sequences": ["END"],
        "metadata": {"user_id": "ada@example.com"},
        "messages": [
            {"role": "user", "content": "Weather in Paris?"},
            {"role": "assistant", "content": [
                {"type": "thinking", "thinking": "hm"},
                {"type": "text", "text": "Checking."},
                {"type": "tool_use", "id": "toolu_1", "name": "weather", "input": {"city": "Paris"}},
            ]},
            {"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": "toolu_1", "content": [{"type": "text", "text": "Sunny"}]},
                {"type": "text", "text": "Thanks"},
            ]},
        ],
        "tools": [{"name": "weather", "input_schema": schema()}],
        "tool_choice": {"type": "tool", "name": "weather"},
    }));
    let chat = Value::Object(messages_to_chat(&request, false));
    assert_eq!(chat["max_completion_tokens"], 200);
    assert_eq!(
        Value::Object(messages_to_chat(&request, true))["max_tokens"],
        200,
        "compatible endpoints take the older name"
    );
    assert_eq!(chat["stop"], json!(["END"]));
    assert_eq!(chat["user"], "ada@example.com");
    assert_eq!(
        chat["tool_choice"],
        json!({"type": "function", "function": {"name": "weather"}})
    );
    assert_eq!(chat["tools"][0]["function"]["parameters"], schema());
    let turns = chat["messages"].as_array().unwrap();
    assert_eq!(turns[0], json!({"role": "system", "content": "Be brief."}));
    assert_eq!(turns[2]["content"], "Checking.");
    assert_eq!(
        turns[2]["tool_calls"][0]["function"],
        json!({"name": "weather", "arguments": "{\"city\":\"Paris\"}"})
    );
    assert_eq!(
        turns[3],
        json!({"role": "tool", "tool_call_id": "toolu_1", "content": "Sunny"})
    );
    assert_eq!(
        turns[4]["content"],
        json!([{"type": "text", "text": "Thanks"}])
    );
}

#[test]
fn answers_translate_both_ways_with_tool_calls_stop_reasons_and_usage() {
    let message = json!({
        "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-20250514",
        "content": [
            {"type": "text", "text": "Checking."},
            {"type": "tool_use", "id": "toolu_1", "name": "weather", "input": {"city": "Paris"}},
        ],
        "stop_reason": "tool_use",
        "usage": {"input_tokens": 10, "cache_read_input_tokens": 5, "output_tokens": 7},
    });
    let chat = message_to_chat(&message, 1_700_000_000);
    assert_eq!(chat["object"], "chat.completion");
    assert_eq!(chat["model"], "claude-sonnet-4-20250514");
    assert_eq!(chat["choices"][0]["finish_reason"], "tool_calls");
    assert_eq!(chat["choices"][0]["message"]["content"], "Checking.");
    assert_eq!(
        chat["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"],
        "{\"city\":\"Paris\"}"
    );
    assert_eq!(
        chat["usage"]["prompt_tokens"], 15,
        "cache reads are input too"
    );
    assert_eq!(chat["usage"]["prompt_tokens_details"]["cached_tokens"], 5);
    assert_eq!(chat["usage"]["total_tokens"], 22);

    let back = chat_to_message(&chat);
    assert_eq!(back["content"], message["content"]);
    assert_eq!(back["stop_reason"], "tool_use");
    assert_eq!(
        back["usage"],
        json!({"input_tokens": 10, "cache_read_input_tokens": 5, "output_tokens": 7})
    );
    let cut = json!({"choices": [{"message": {"content": "Par"}, "finish_reason": "length"}]});
    assert_eq!(chat_to_message(&cut)["stop_reason"], "max_tokens");
}

#[test]
fn provider_errors_keep_their_message_in_the_other_format() {
    let anthropic =
        json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}});
    assert_eq!(
        error_to_openai(&anthropic)["error"],
        json!({"message": "Overloaded", "type": "overloaded_error", "code": null, "param": null})
    );
    let openai = json!({"error": {"message": "Rate limit reached", "type": "rate_limit_error"}});
    assert_eq!(
        error_to_anthropic(&openai, "rate_limit_error"),
        json!({"type": "error", "error": {"type": "rate_limit_error", "message": "Rate limit reached"}})
    );
}

/// The `data:` objects of a translated stream, with `[DONE]` as a string.
fn data_of(stream: &str) -> Vec<Value> {
    stream
        .lines()
        .filter_map(|line| line.strip_prefix("data: "))
        .map(|data| serde_json::from_str(data).unwrap_or_else(|_| json!(data)))
        .collect()
}

#[test]
fn an_anthropic_stream_becomes_chat_chunks_with_tool_calls_and_usage() {
    let events = [
        json!({"type": "message_start", "message": {"id": "msg_1", "model": "claude-sonnet-4-20250514", "usage": {"input_tokens": 20, "output_tokens": 1}}}),
        json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
        json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Checking."}}),
        json!({"type": "content_block_stop", "index": 0}),
        json!({"type": "content_block_start", "index": 1, "content_block": {"type": "tool_use", "id": "toolu_1", "name": "weather", "input": {}}}),
        json!({"type": "content_block_delta", "index": 1, "delta": {"type": "input_json_delta", "partial_json": "{\"city\":"}}),
        json!({"type": "content_block_delta", "index": 1, "delta": {"type": "input_json_delta", "partial_json": "\"Paris\"}"}}),
        json!({"type": "content_block_stop", "index": 1}),
        json!({"type": "message_delta", "delta": {"stop_reason": "tool_use"}, "usage": {"output_tokens": 9}}),
        json!({"type": "message_stop"}),
    ];
    let mut translation = StreamTranslation::messages_to_chat(1_700_000_000);
    let mut out = String::new();
    for event in &events {
        translation.event(event, &mut out);
    }
    translation.end(&mut out);
    let chunks = data_of(&out);
    assert_eq!(chunks[0]["choices"][0]["delta"]["role"], "assistant");
    assert!(chunks
        .iter()
        .all(|chunk| !chunk.is_object() || chunk["object"] == "chat.completion.chunk"));
    let text: String = chunks
        .iter()
        .filter_map(|chunk| chunk["choices"][0]["delta"]["content"].as_str())
        .collect();
    assert_eq!(text, "Checking.");
    let arguments: String = chunks
        .iter()
        .filter_map(|chunk| {
            chunk["choices"][0]["delta"]["tool_calls"][0]["function"]["arguments"].as_str()
        })
        .collect();
    assert_eq!(arguments, "{\"city\":\"Paris\"}");
    let named = chunks
        .iter()
        .find_map(|chunk| chunk["choices"][0]["delta"]["tool_calls"][0]["id"].as_str());
    assert_eq!(named, Some("toolu_1"));
    let finish = chunks
        .iter()
        .find_map(|chunk| chunk["choices"][0]["finish_reason"].as_str());
    assert_eq!(finish, Some("tool_calls"));
    let usage = &chunks[chunks.len() - 2]["usage"];
    assert_eq!(
        (
            usage["prompt_tokens"].as_i64(),
            usage["completion_tokens"].as_i64()
        ),
        (Some(20), Some(9))
    );
    assert_eq!(chunks.last().unwrap(), "[DONE]");
}

#[test]
fn chat_chunks_become_an_anthropic_stream_with_blocks_opened_and_closed() {
    let chunk = |delta: Value, finish: Value| {
        json!({"id": "chatcmpl-1", "model": "gpt-4o-2024-08-06",
               "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]})
    };
    let chunks = [
        chunk(json!({"role": "assistant", "content": ""}), Value::Null),
        chunk(json!({"content": "Checking."}), Value::Null),
        chunk(
            json!({"tool_calls": [{"index": 0, "id": "call_1", "type": "function", "function": {"name": "weather", "arguments": ""}}]}),
            Value::Null,
        ),
        chunk(
            json!({"tool_calls": [{"index": 0, "function": {"arguments": "{\"city\":\"Paris\"}"}}]}),
            Value::Null,
        ),
        chunk(json!({}), json!("tool_calls")),
        json!({"id": "chatcmpl-1", "model": "gpt-4o-2024-08-06", "choices": [],
               "usage": {"prompt_tokens": 20, "completion_tokens": 9}}),
    ];
    let mut translation = StreamTranslation::chat_to_messages();
    let mut out = String::new();
    for chunk in &chunks {
        translation.event(chunk, &mut out);
    }
    translation.end(&mut out);
    let kinds: Vec<&str> = out
        .lines()
        .filter_map(|line| line.strip_prefix("event: "))
        .collect();
    assert_eq!(
        kinds,
        [
            "message_start",
            "content_block_start",
            "content_block_delta",
            "content_block_stop",
            "content_block_start",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop"
        ]
    );
    let events = data_of(&out);
    assert_eq!(events[0]["message"]["model"], "gpt-4o-2024-08-06");
    assert_eq!(events[4]["index"], 1);
    assert_eq!(
        events[4]["content_block"],
        json!({"type": "tool_use", "id": "call_1", "name": "weather", "input": {}})
    );
    assert_eq!(events[5]["delta"]["partial_json"], "{\"city\":\"Paris\"}");
    assert_eq!(events[7]["delta"]["stop_reason"], "tool_use");
    assert_eq!(events[7]["usage"]["input_tokens"], 20);
    assert_eq!(events[7]["usage"]["output_tokens"], 9);
}
