//! Reading one variable: a value, a switch, a number in a range, a list,
//! an address range list, a base URL. Each reader names the variable in
//! its error, so every concern reports bad values the same way.

use super::ConfigError;

/// The environment (or a test's table) the configuration reads from.
pub struct Variables<'a> {
    get: &'a dyn Fn(&str) -> Option<String>,
}

impl<'a> Variables<'a> {
    pub fn new(get: &'a dyn Fn(&str) -> Option<String>) -> Self {
        Variables { get }
    }

    /// The value of `name`, if set. Set but blank is an error, not the
    /// default: an operator who wrote `AI_PLAN=` meant something.
    pub fn value(&self, name: &'static str) -> Result<Option<String>, ConfigError> {
        match (self.get)(name) {
            Some(value) if value.trim().is_empty() => Err(ConfigError::Empty(name)),
            other => Ok(other),
        }
    }

    /// The trimmed value of `name`, or `default`.
    pub fn text_or(&self, name: &'static str, default: &str) -> Result<String, ConfigError> {
        Ok(self
            .value(name)?
            .map(|text| text.trim().to_string())
            .unwrap_or_else(|| default.to_string()))
    }

    /// `on` / `off` (any case); unset: `None`.
    pub fn switch(&self, name: &'static str) -> Result<Option<bool>, ConfigError> {
        match self.value(name)? {
            None => Ok(None),
            Some(text) => match text.trim().to_lowercase().as_str() {
                "on" => Ok(Some(true)),
                "off" => Ok(Some(false)),
                _ => Err(ConfigError::Switch { name, value: text }),
            },
        }
    }

    /// A whole number from 1 to `max`; unset: `default`.
    pub fn number(&self, name: &'static str, default: i64, max: i64) -> Result<i64, ConfigError> {
        match self.value(name)? {
            Some(text) => text
                .trim()
                .parse()
                .ok()
                .filter(|n| (1..=max).contains(n))
                .ok_or(ConfigError::Number {
                    name,
                    value: text,
                    max,
                }),
            None => Ok(default),
        }
    }

    /// One of the choices `parse` knows; unset: `None`.
    pub fn choice<T>(
        &self,
        name: &'static str,
        parse: impl Fn(&str) -> Option<T>,
        expected: &'static str,
    ) -> Result<Option<T>, ConfigError> {
        match self.value(name)? {
            Some(text) => parse(text.trim()).map(Some).ok_or(ConfigError::Choice {
                name,
                value: text,
                expected,
            }),
            None => Ok(None),
        }
    }

    /// Comma-separated entries, trimmed, blanks dropped; unset: empty.
    pub fn list(&self, name: &'static str) -> Result<Vec<String>, ConfigError> {
        Ok(self
            .value(name)?
            .map(|text| split_list(&text))
            .unwrap_or_default())
    }

    /// `10.0.0.0/8, 192.0.2.7`; unset: none.
    pub fn address_ranges(&self, name: &'static str) -> Result<Vec<ipnet::IpNet>, ConfigError> {
        match self.value(name)? {
            Some(list) => {
                parse_address_ranges(&list).ok_or(ConfigError::AddressRanges { name, value: list })
            }
            None => Ok(Vec::new()),
        }
    }

    /// An http(s) base URL without its trailing slash; unset: `default`.
    pub fn base_url(&self, name: &'static str, default: String) -> Result<String, ConfigError> {
        match self.value(name)? {
            Some(url) => parse_base_url(&url).ok_or(ConfigError::BaseUrl { name, value: url }),
            None => Ok(default),
        }
    }
}

/// `a, b,,c` → `["a", "b", "c"]`.
pub fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(str::to_string)
        .collect()
}

/// `10.0.0.0/8, 192.0.2.7` → the two ranges (a bare address is a range of
/// one); `None` if any entry is not an address or range.
fn parse_address_ranges(list: &str) -> Option<Vec<ipnet::IpNet>> {
    split_list(list)
        .iter()
        .map(|entry| {
            entry.parse::<ipnet::IpNet>().ok().or_else(|| {
                entry
                    .parse::<std::net::IpAddr>()
                    .ok()
                    .map(ipnet::IpNet::from)
            })
        })
        .collect()
}

/// `https://console.example.com/` → `https://console.example.com`: an
/// http(s) origin, nothing after the host and port.
pub fn parse_origin(text: &str) -> Option<String> {
    let url = parse_http_url(text)?;
    let bare = url.path() == "/" && url.query().is_none() && url.fragment().is_none();
    bare.then(|| url.origin().ascii_serialization())
}

/// `https://api.example.com/v1/` → `https://api.example.com/v1`.
fn parse_base_url(text: &str) -> Option<String> {
    let url = parse_http_url(text)?;
    let bare = url.query().is_none() && url.fragment().is_none();
    bare.then(|| url.as_str().trim_end_matches('/').to_string())
}

/// An http(s) URL with a host and no credentials, written without
/// anything a parser would have to forgive (spaces, backslashes).
pub fn parse_http_url(text: &str) -> Option<url::Url> {
    let text = text.trim();
    if !text.chars().all(|c| c.is_ascii_graphic() && c != '\\') {
        return None;
    }
    let url = url::Url::parse(text).ok()?;
    let usable = matches!(url.scheme(), "http" | "https")
        && url.host().is_some()
        && url.username().is_empty()
        && url.password().is_none();
    usable.then_some(url)
}

/// A secret from a file only this user may read (mode 600 or stricter).
pub fn read_private_secret(path: &str) -> Result<String, String> {
    let metadata = std::fs::metadata(path).map_err(|error| format!("{path}: {error}"))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if metadata.permissions().mode() & 0o077 != 0 {
            return Err(format!(
                "{path} can be read by other users; make it readable by this user only (chmod 600)"
            ));
        }
    }
    #[cfg(not(unix))]
    let _ = metadata;
    let secret = std::fs::read_to_string(path).map_err(|error| format!("{path}: {error}"))?;
    let secret = secret.trim();
    if secret.is_empty() {
        return Err(format!("{path} is empty"));
    }
    Ok(secret.to_string())
}
