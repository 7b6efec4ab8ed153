/// Percent-encodes `value` for use in a URL query (keeping `/` readable).
pub fn query_value(value: &str) -> String {
    value
        .bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (byte as char).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn reserved_characters_are_escaped() {
        assert_eq!(
            super::query_value("/a?b=c&d e+é"),
            "/a%3Fb%3Dc%26d%20e%2B%C3%A9"
        );
    }
}
