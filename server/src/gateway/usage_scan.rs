//! Reading what a call used from the provider's answer, in either format,
//! whole or streamed: OpenAI's `usage` (`prompt_tokens`,
//! `completion_tokens`, or the Responses API's `input_tokens` /
//! `output_tokens`, also inside `response.completed`), Anthropic's
//! `message_start` and `message_delta` usage. Only token counts and the
//! model name are read; nothing of the prompt or answer is kept.

use serde_json::Value;

/// What one call used, as far as the answer has said.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Used {
    /// The model as the provider answered it (`gpt-4o-2024-08-06`).
    pub model: Option<String>,
    pub input_tokens: i64,
    pub cached_input_tokens: i64,
    pub output_tokens: i64,
}

impl Used {
    /// Takes in one JSON object of the answer (the whole body, or one
    /// event of a stream).
    pub fn read(&mut self, object: &Value) {
        for holder in [Some(object), object.get("response"), object.get("message")]
            .into_iter()
            .flatten()
        {
            if self.model.is_none() {
                if let Some(model) = holder.get("model").and_then(Value::as_str) {
                    self.model = Some(model.chars().take(200).collect());
                }
            }
            if let Some(usage) = holder.get("usage").filter(|usage| usage.is_object()) {
                let count = |names: &[&str]| {
                    names
                        .iter()
                        .find_map(|name| usage.get(*name).and_then(Value::as_i64))
                };
                // Anthropic's input excludes what was read from or written
                // to its cache; OpenAI's includes it. Input here is all of it.
                let cache_read = count(&["cache_read_input_tokens"]).unwrap_or(0);
                let cache_written = count(&["cache_creation_input_tokens"]).unwrap_or(0);
                if let Some(input) = count(&["input_tokens"]) {
                    let input = input + cache_read + cache_written;
                    self.input_tokens = self.input_tokens.max(input);
                }
                if let Some(input) = count(&["prompt_tokens"]) {
                    self.input_tokens = self.input_tokens.max(input);
                }
                if let Some(output) = count(&["completion_tokens", "output_tokens"]) {
                    self.output_tokens = self.output_tokens.max(output);
                }
                let cached = usage
                    .get("prompt_tokens_details")
                    .or_else(|| usage.get("input_tokens_details"))
                    .and_then(|details| details.get("cached_tokens"))
                    .and_then(Value::as_i64)
                    .or_else(|| usage.get("cache_read_input_tokens").and_then(Value::as_i64));
                if let Some(cached) = cached {
                    self.cached_input_tokens = self.cached_input_tokens.max(cached);
                }
            }
        }
    }
}

/// Follows a stream of server-sent events chunk by chunk, reading every
/// `data:` line's JSON into [`Used`] and handing it on (to a translation).
/// Holds back at most one unfinished line.
#[derive(Debug, Default)]
pub struct StreamScan {
    partial: Vec<u8>,
    pub used: Used,
}

/// A line longer than this is not an event worth reading (an answer's text
/// is never needed here); it is skipped, not kept.
const LONGEST_LINE: usize = 1 << 20;

impl StreamScan {
    pub fn feed(&mut self, chunk: &[u8], mut each: impl FnMut(&Value)) {
        for &byte in chunk {
            if byte == b'\n' {
                let line = std::mem::take(&mut self.partial);
                self.line(&line, &mut each);
            } else if self.partial.len() < LONGEST_LINE {
                self.partial.push(byte);
            }
        }
    }

    fn line(&mut self, line: &[u8], each: &mut impl FnMut(&Value)) {
        let Some(data) = line.strip_prefix(b"data:") else {
            return;
        };
        let data = data.trim_ascii();
        if data.first() != Some(&b'{') {
            return;
        }
        if let Ok(object) = serde_json::from_slice::<Value>(data) {
            self.used.read(&object);
            each(&object);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_openai_answer_says_its_model_and_tokens() {
        let mut used = Used::default();
        used.read(&serde_json::json!({
            "model": "gpt-4o-2024-08-06",
            "usage": {"prompt_tokens": 12, "completion_tokens": 5,
                      "prompt_tokens_details": {"cached_tokens": 4}}
        }));
        assert_eq!(used.model.as_deref(), Some("gpt-4o-2024-08-06"));
        assert_eq!(
            (
                used.input_tokens,
                used.cached_input_tokens,
                used.output_tokens
            ),
            (12, 4, 5)
        );
    }

    #[test]
    fn streams_of_both_formats_are_read_across_chunk_boundaries() {
        let mut scan = StreamScan::default();
        let stream = concat!(
            "event: message_start\n",
            "data: {\"type\":\"message_start\",\"message\":{\"model\":\"claude-sonnet-4-20250514\",\"usage\":{\"input_tokens\":30,\"output_tokens\":1}}}\n\n",
            "data: {\"type\":\"content_block_delta\",\"delta\":{\"text\":\"secret answer\"}}\n\n",
            "data: {\"type\":\"message_delta\",\"usage\":{\"output_tokens\":17}}\n\n",
        );
        for chunk in stream.as_bytes().chunks(7) {
            scan.feed(chunk, |_| {});
        }
        assert_eq!(scan.used.model.as_deref(), Some("claude-sonnet-4-20250514"));
        assert_eq!((scan.used.input_tokens, scan.used.output_tokens), (30, 17));

        let mut scan = StreamScan::default();
        scan.feed(b"data: {\"model\":\"gpt-4o\",\"choices\":[]}\n\ndata: {\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3}}\n\ndata: [DONE]\n\n", |_| {});
        assert_eq!((scan.used.input_tokens, scan.used.output_tokens), (9, 3));
    }
}
