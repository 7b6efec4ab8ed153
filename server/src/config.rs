//! Deployment configuration, read once at start-up from the environment.
//! A bad value stops the server with a message naming the variable and what
//! it accepts, before anything is served.

use app::accounts::single_sign_on::SingleSignOn;
use app::ai_settings::fixed::FixedSettings;
use app::budget::webhook::BudgetWebhook;
use app::db::Backend;
use app::domain::{Plan, PlanParseError, TrainingControl};
use app::features::rules::{AgentActions, Audience, FixedFeatures, FEATURES};
use app::model_provider::rules::{ProviderEndpoints, Region};
use app::models::rules::{
    default_managed_models, FixedAllowed, FixedModels, ALLOWED_VARIABLE, DEFAULT_VARIABLE,
    MANAGED_VARIABLE,
};
use app::state::ProviderConfig;
use app::usage::{prices::PriceTable, UsageConfig};
use secrecy::SecretString;
use std::path::PathBuf;
use std::time::Duration;

pub const DEFAULT_DATA_DIR: &str = "data";

#[derive(Debug, Clone)]
pub struct Config {
    /// The privacy notice's operator, contact, date and own sections
    /// (`AI_OPERATOR_NAME`, `AI_OPERATOR_CONTACT`,
    /// `AI_PRIVACY_NOTICE_UPDATED`, `AI_PRIVACY_NOTICE_FILE`).
    pub privacy: app::privacy::PrivacyConfig,
    /// Members see the whole Activity panel, not only their own entries.
    pub activity_for_everyone: bool,
    /// How long audit entries and invitations are kept.
    pub retention: app::state::Retention,
    /// Sign-in through the organisation's identity provider (`AI_OIDC_*`).
    pub single_sign_on: Option<SingleSignOn>,
    /// Whether people may sign in with a password (`AI_PASSWORD_SIGN_IN`).
    pub password_sign_in: bool,
    /// Where `/metrics` is served, if anywhere.
    pub metrics: MetricsConfig,
    /// Where the embedded database and the master key file live.
    pub data_dir: PathBuf,
    pub database_url: String,
    pub plan: Plan,
    /// The address admins open, when the server sits behind a proxy. An
    /// `https://` address means the console is served over TLS.
    pub public_url: Option<String>,
    /// Reverse proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    pub providers: ProviderConfig,
    pub master_key: MasterKeySource,
    /// Feature choices fixed here (`AI_FEATURE_<FEATURE>`,
    /// `AI_AGENTS_ACTIONS`).
    pub fixed_features: FixedFeatures,
    /// The managed provider's models (`AI_MANAGED_MODELS`).
    pub managed_models: Vec<String>,
    /// Models fixed here (`AI_MODELS_ALLOWED`, `AI_DEFAULT_MODEL`).
    pub fixed_models: FixedModels,
    /// `AI_CURRENCY`, `AI_PRICES_FILE`, `AI_USAGE_TIME_ZONE`,
    /// `AI_USAGE_RETENTION_DAYS`, `AI_BUDGET_WEBHOOK_URL`,
    /// `AI_BUDGET_WEBHOOK_SECRET`.
    pub usage: UsageConfig,
    /// Settings fixed here rather than on the page (`AI_FEATURES`,
    /// `AI_TRAINING`).
    pub fixed: FixedSettings,
}

/// Where Prometheus reads `/metrics`: a listener of its own
/// (`AI_CONSOLE_METRICS_ADDR`), and/or the console's own listener with a
/// bearer token (`AI_CONSOLE_METRICS_TOKEN`). Neither: not served.
#[derive(Debug, Clone, Default)]
pub struct MetricsConfig {
    pub addr: Option<std::net::SocketAddr>,
    pub token: Option<SecretString>,
}

/// Where the master keys that seal provider keys come from.
#[derive(Debug, Clone)]
pub enum MasterKeySource {
    /// `AI_CONSOLE_MASTER_KEY`: `id:hex` entries, the first one current.
    Env(SecretString),
    /// A file of such entries, one a line; created on first start if
    /// missing (`AI_CONSOLE_MASTER_KEY_FILE`, default
    /// `<data dir>/master.keys`).
    File(PathBuf),
}

impl Config {
    pub fn served_over_tls(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|url| url.starts_with("https://"))
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    // The value is not repeated: it may hold a password.
    #[error("DATABASE_URL: expected sqlite://<file> or postgres://<user>@<host>/<database>")]
    DatabaseUrl,
    #[error("AI_PLAN: {0}")]
    Plan(#[source] PlanParseError),
    #[error("{0} is set but empty; unset it to use the default, or give it a value")]
    Empty(&'static str),
    #[error("{name}: \"{value}\" is not an address range; expected a comma-separated list like 10.0.0.0/8, 192.0.2.7, fd00::/8")]
    AddressRanges { name: &'static str, value: String },
    #[error("AI_CONSOLE_PUBLIC_URL: \"{0}\" is not an origin; expected http(s)://host[:port], with no path")]
    PublicUrl(String),
    #[error("AI_REGION: unknown region \"{0}\"; expected one of: us, eu")]
    Region(String),
    #[error("{name}: \"{value}\" is not a setting; expected one of: on, off")]
    Switch { name: &'static str, value: String },
    #[error("{name}: \"{value}\" is not a list of model names; expected names separated by commas{also}")]
    Models {
        name: &'static str,
        value: String,
        also: &'static str,
    },
    #[error("AI_CURRENCY: \"{0}\" is not a currency code; expected three capital letters such as USD or EUR")]
    Currency(String),
    #[error("AI_PRICES_FILE: {0}")]
    Prices(String),
    #[error(
        "AI_PRIVACY_NOTICE_UPDATED: \"{0}\" is not a date; expected YYYY-MM-DD, e.g. 2026-11-25"
    )]
    NoticeDate(String),
    #[error("AI_PRIVACY_NOTICE_FILE: {0}")]
    NoticeFile(String),
    #[error("AI_BUDGET_WEBHOOK_URL: \"{0}\" is not a webhook address; expected http(s)://host[:port][/path]")]
    WebhookUrl(String),
    #[error("AI_BUDGET_WEBHOOK_SECRET: {0}")]
    WebhookSecret(&'static str),
    #[error("{name}: {why}")]
    SignOn { name: &'static str, why: String },
    #[error("AI_CONSOLE_METRICS_ADDR: \"{0}\" is not an address to listen on; expected host:port, e.g. 127.0.0.1:9464")]
    MetricsAddr(String),
    #[error("AI_CONSOLE_METRICS_TOKEN: too short; use at least 16 characters, e.g. from `openssl rand -hex 32`")]
    MetricsToken,
    #[error("AI_USAGE_TIME_ZONE: \"{0}\" is not a time zone; expected an IANA name such as UTC or Europe/Berlin")]
    TimeZone(String),
    #[error("AI_DEFAULT_MODEL: \"{0}\" is not among the models AI_MODELS_ALLOWED allows")]
    DefaultModelNotAllowed(String),
    #[error("{name}: \"{value}\" is not a choice; expected one of: {expected}")]
    Choice {
        name: &'static str,
        value: String,
        expected: &'static str,
    },
    #[error("AI_TRAINING=on contradicts AI_PLAN=enterprise, which never uses AI sessions for training; unset AI_TRAINING or set it to off")]
    TrainingOnEnterprise,
    #[error("{name}: \"{value}\" is not a base URL; expected http(s)://host[:port][/path]")]
    BaseUrl { name: &'static str, value: String },
    #[error("{name}: \"{value}\" is not a whole number from 1 to {max}")]
    Number {
        name: &'static str,
        value: String,
        max: i64,
    },
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the configuration through `get`, so tests need no process
    /// environment.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let value = |name: &'static str| match get(name) {
            Some(value) if value.trim().is_empty() => Err(ConfigError::Empty(name)),
            other => Ok(other),
        };
        let data_dir =
            PathBuf::from(value("AI_CONSOLE_DATA_DIR")?.unwrap_or_else(|| DEFAULT_DATA_DIR.into()));
        let database_url = match value("DATABASE_URL")? {
            Some(url) if Backend::of_url(&url).is_none() => return Err(ConfigError::DatabaseUrl),
            Some(url) => url,
            None => format!("sqlite://{}", data_dir.join("console.db").display()),
        };
        let plan = match value("AI_PLAN")? {
            Some(plan) => plan.parse().map_err(ConfigError::Plan)?,
            None => Plan::default(),
        };
        let public_url = value("AI_CONSOLE_PUBLIC_URL")?
            .map(|url| parse_origin(&url).ok_or(ConfigError::PublicUrl(url)))
            .transpose()?;
        let ranges = |name: &'static str| -> Result<Vec<ipnet::IpNet>, ConfigError> {
            match value(name)? {
                Some(list) => parse_address_ranges(&list)
                    .ok_or(ConfigError::AddressRanges { name, value: list }),
                None => Ok(Vec::new()),
            }
        };
        let trusted_proxies = ranges("AI_CONSOLE_TRUSTED_PROXIES")?;
        let region = match value("AI_REGION")? {
            Some(region) => Region::from_config(&region).ok_or(ConfigError::Region(region))?,
            None => Region::default(),
        };
        let defaults = ProviderEndpoints::default();
        let base_url = |name: &'static str, default: String| -> Result<String, ConfigError> {
            match value(name)? {
                Some(url) => parse_base_url(&url).ok_or(ConfigError::BaseUrl { name, value: url }),
                None => Ok(default),
            }
        };
        let number = |name: &'static str, default: i64, max: i64| -> Result<i64, ConfigError> {
            match value(name)? {
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
        };
        let providers = ProviderConfig {
            region,
            endpoints: ProviderEndpoints {
                openai: base_url("AI_OPENAI_BASE_URL", defaults.openai)?,
                openai_eu: base_url("AI_OPENAI_EU_BASE_URL", defaults.openai_eu)?,
                anthropic: base_url("AI_ANTHROPIC_BASE_URL", defaults.anthropic)?,
            },
            grace_secs: number("AI_KEY_GRACE_HOURS", 24, 24 * 30)? * 3600,
            verify_timeout: Duration::from_secs(number("AI_PROVIDER_TIMEOUT_SECS", 10, 60)? as u64),
            private_model_networks: ranges("AI_CONSOLE_PRIVATE_MODEL_NETWORKS")?,
        };
        let master_key = match (
            value("AI_CONSOLE_MASTER_KEY")?,
            value("AI_CONSOLE_MASTER_KEY_FILE")?,
        ) {
            (Some(key), _) => MasterKeySource::Env(SecretString::from(key)),
            (None, Some(file)) => MasterKeySource::File(PathBuf::from(file)),
            (None, None) => MasterKeySource::File(data_dir.join("master.keys")),
        };
        let switch = |name: &'static str| -> Result<Option<bool>, ConfigError> {
            match value(name)? {
                None => Ok(None),
                Some(text) => match text.trim().to_lowercase().as_str() {
                    "on" => Ok(Some(true)),
                    "off" => Ok(Some(false)),
                    _ => Err(ConfigError::Switch { name, value: text }),
                },
            }
        };
        let fixed = FixedSettings {
            ai_enabled: switch("AI_FEATURES")?,
            training_allowed: switch("AI_TRAINING")?,
        };
        let mut fixed_features = FixedFeatures::default();
        for spec in FEATURES {
            if let Some(text) = value(spec.variable)? {
                let audience = Audience::from_key(text.trim()).ok_or(ConfigError::Choice {
                    name: spec.variable,
                    value: text,
                    expected: "everyone, admins, no-one",
                })?;
                fixed_features.set(spec.feature, audience);
            }
        }
        if let Some(text) = value(AgentActions::VARIABLE)? {
            fixed_features.agent_actions = Some(AgentActions::from_key(text.trim()).ok_or(
                ConfigError::Choice {
                    name: AgentActions::VARIABLE,
                    value: text,
                    expected: "propose, apply",
                },
            )?);
        }
        let model_list = |name: &'static str, text: &str, also: &'static str| {
            let models: Vec<String> = text
                .split(',')
                .map(str::trim)
                .filter(|model| !model.is_empty())
                .map(str::to_string)
                .collect();
            let plain = models
                .iter()
                .all(|model| model.len() <= 200 && model.chars().all(|c| c.is_ascii_graphic()));
            if models.is_empty() || !plain {
                return Err(ConfigError::Models {
                    name,
                    value: text.to_string(),
                    also,
                });
            }
            Ok(models)
        };
        let managed_models = match value(MANAGED_VARIABLE)? {
            Some(text) => model_list(MANAGED_VARIABLE, &text, "")?,
            None => default_managed_models(),
        };
        let fixed_models = FixedModels {
            allowed: match value(ALLOWED_VARIABLE)? {
                Some(text) if text.trim() == "all" => Some(FixedAllowed::All),
                Some(text) => Some(FixedAllowed::Only(model_list(
                    ALLOWED_VARIABLE,
                    &text,
                    ", or all",
                )?)),
                None => None,
            },
            default: value(DEFAULT_VARIABLE)?.map(|text| text.trim().to_string()),
        };
        if let (Some(FixedAllowed::Only(allowed)), Some(default)) =
            (&fixed_models.allowed, &fixed_models.default)
        {
            if !allowed.contains(default) {
                return Err(ConfigError::DefaultModelNotAllowed(default.clone()));
            }
        }
        let currency = value("AI_CURRENCY")?.unwrap_or_else(|| "USD".into());
        if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(ConfigError::Currency(currency));
        }
        let prices = match value("AI_PRICES_FILE")? {
            Some(path) => {
                let text = std::fs::read_to_string(&path)
                    .map_err(|error| ConfigError::Prices(format!("{path}: {error}")))?;
                PriceTable::with_file(&text)
                    .map_err(|error| ConfigError::Prices(format!("{path}: {error}")))?
            }
            None => PriceTable::default(),
        };
        let time_zone_name = value("AI_USAGE_TIME_ZONE")?.unwrap_or_else(|| "UTC".into());
        let time_zone = jiff::tz::TimeZone::get(&time_zone_name)
            .map_err(|_| ConfigError::TimeZone(time_zone_name.clone()))?;
        let usage = UsageConfig {
            currency,
            prices,
            time_zone,
            time_zone_name,
            retention_days: number("AI_USAGE_RETENTION_DAYS", 90, 3650)?,
            budget_webhook: match (
                value("AI_BUDGET_WEBHOOK_URL")?,
                value("AI_BUDGET_WEBHOOK_SECRET")?,
            ) {
                (None, None) => None,
                (None, Some(_)) => {
                    return Err(ConfigError::WebhookSecret(
                        "set, but AI_BUDGET_WEBHOOK_URL is not; set both or neither",
                    ))
                }
                (Some(_), None) => {
                    return Err(ConfigError::WebhookSecret(
                        "required with AI_BUDGET_WEBHOOK_URL, to sign its notifications",
                    ))
                }
                (Some(url), Some(secret)) => {
                    let url = parse_http_url(&url).ok_or(ConfigError::WebhookUrl(url))?;
                    if secret.trim().len() < 16 {
                        return Err(ConfigError::WebhookSecret(
                            "too short; use at least 16 characters, e.g. from `openssl rand -hex 32`",
                        ));
                    }
                    Some(BudgetWebhook {
                        url,
                        secret: secret.trim().to_string().into(),
                    })
                }
            },
        };
        if fixed.training_allowed == Some(true)
            && plan.training_control() == TrainingControl::NeverUsed
        {
            return Err(ConfigError::TrainingOnEnterprise);
        }
        let password_sign_in = switch("AI_PASSWORD_SIGN_IN")?.unwrap_or(true);
        let single_sign_on = single_sign_on(&value, &switch)?;
        if single_sign_on.is_some() && public_url.is_none() {
            return Err(ConfigError::SignOn {
                name: "AI_CONSOLE_PUBLIC_URL",
                why: "required with AI_OIDC_ISSUER: the identity provider sends people back to \
                      <AI_CONSOLE_PUBLIC_URL>/auth/oidc/callback, the redirect URI to register there"
                    .into(),
            });
        }
        if !password_sign_in && single_sign_on.is_none() {
            return Err(ConfigError::SignOn {
                name: "AI_PASSWORD_SIGN_IN",
                why: "off leaves no way to sign in: set up single sign-on (AI_OIDC_ISSUER) first"
                    .into(),
            });
        }
        let retention = app::state::Retention {
            audit_days: number("AI_AUDIT_RETENTION_DAYS", 400, 3650)?,
            invitation_days: number("AI_INVITATION_RETENTION_DAYS", 30, 3650)?,
        };
        let activity_for_everyone = switch("AI_ACTIVITY_FOR_EVERYONE")?.unwrap_or(false);
        let privacy = app::privacy::PrivacyConfig {
            operator_name: value("AI_OPERATOR_NAME")?.map(|name| name.trim().to_string()),
            operator_contact: value("AI_OPERATOR_CONTACT")?.map(|to| to.trim().to_string()),
            updated: match value("AI_PRIVACY_NOTICE_UPDATED")? {
                Some(date) if date.trim().parse::<jiff::civil::Date>().is_ok() => {
                    date.trim().to_string()
                }
                Some(date) => return Err(ConfigError::NoticeDate(date)),
                None => app::privacy::BUILT_IN_NOTICE_DATE.to_string(),
            },
            operator_sections: match value("AI_PRIVACY_NOTICE_FILE")? {
                Some(path) => {
                    let markdown = std::fs::read_to_string(path.trim())
                        .map_err(|error| ConfigError::NoticeFile(format!("{path}: {error}")))?;
                    app::privacy::operator_sections::render(&markdown)
                }
                None => Vec::new(),
            },
        };
        Ok(Config {
            privacy,
            activity_for_everyone,
            retention,
            single_sign_on,
            password_sign_in,
            data_dir,
            database_url,
            plan,
            public_url,
            trusted_proxies,
            providers,
            master_key,
            fixed,
            fixed_features,
            managed_models,
            fixed_models,
            usage,
            metrics: MetricsConfig {
                addr: match value("AI_CONSOLE_METRICS_ADDR")? {
                    Some(text) => Some(
                        text.trim()
                            .parse()
                            .map_err(|_| ConfigError::MetricsAddr(text))?,
                    ),
                    None => None,
                },
                token: match value("AI_CONSOLE_METRICS_TOKEN")? {
                    Some(token) if token.trim().len() < 16 => {
                        return Err(ConfigError::MetricsToken);
                    }
                    Some(token) => Some(token.trim().to_string().into()),
                    None => None,
                },
            },
        })
    }
}

/// The `AI_OIDC_*` variables: none set, no single sign-on; the issuer set,
/// every variable it needs checked.
fn single_sign_on(
    value: &impl Fn(&'static str) -> Result<Option<String>, ConfigError>,
    switch: &impl Fn(&'static str) -> Result<Option<bool>, ConfigError>,
) -> Result<Option<SingleSignOn>, ConfigError> {
    let problem = |name: &'static str, why: &str| ConfigError::SignOn {
        name,
        why: why.to_string(),
    };
    let list = |name: &'static str| -> Result<Vec<String>, ConfigError> {
        Ok(value(name)?
            .map(|text| {
                text.split(',')
                    .map(|entry| entry.trim().to_string())
                    .filter(|entry| !entry.is_empty())
                    .collect()
            })
            .unwrap_or_default())
    };
    let Some(issuer) = value("AI_OIDC_ISSUER")? else {
        for name in [
            "AI_OIDC_CLIENT_ID",
            "AI_OIDC_CLIENT_SECRET",
            "AI_OIDC_CLIENT_SECRET_FILE",
            "AI_OIDC_ADMIN_GROUPS",
            "AI_OIDC_MEMBER_GROUPS",
        ] {
            if value(name)?.is_some() {
                return Err(problem(
                    name,
                    "set, but AI_OIDC_ISSUER is not; set the issuer too, or unset this",
                ));
            }
        }
        return Ok(None);
    };
    let issuer_url = parse_http_url(&issuer).ok_or_else(|| {
        problem(
            "AI_OIDC_ISSUER",
            &format!("\"{issuer}\" is not an issuer URL; expected https://host[/path]"),
        )
    })?;
    let client_id = value("AI_OIDC_CLIENT_ID")?
        .ok_or_else(|| problem("AI_OIDC_CLIENT_ID", "required with AI_OIDC_ISSUER"))?;
    let client_secret = match (value("AI_OIDC_CLIENT_SECRET")?, value("AI_OIDC_CLIENT_SECRET_FILE")?) {
        (Some(secret), None) => secret.trim().to_string(),
        (None, Some(path)) => read_private_secret(&path)
            .map_err(|why| problem("AI_OIDC_CLIENT_SECRET_FILE", &why))?,
        (Some(_), Some(_)) => {
            return Err(problem("AI_OIDC_CLIENT_SECRET", "set both this and AI_OIDC_CLIENT_SECRET_FILE; keep one"))
        }
        (None, None) => {
            return Err(problem(
                "AI_OIDC_CLIENT_SECRET",
                "required with AI_OIDC_ISSUER (or AI_OIDC_CLIENT_SECRET_FILE, a file only this user can read)",
            ))
        }
    };
    let admin_groups = list("AI_OIDC_ADMIN_GROUPS")?;
    if admin_groups.is_empty() {
        return Err(problem(
            "AI_OIDC_ADMIN_GROUPS",
            "required with AI_OIDC_ISSUER: the groups (comma-separated) whose people are admins",
        ));
    }
    let scopes = value("AI_OIDC_SCOPES")?
        .unwrap_or_else(|| "email profile".into())
        .split_whitespace()
        .filter(|scope| *scope != "openid")
        .map(str::to_string)
        .collect();
    Ok(Some(SingleSignOn {
        name: value("AI_OIDC_NAME")?
            .map(|name| name.trim().to_string())
            .unwrap_or_else(|| {
                issuer_url
                    .host_str()
                    .unwrap_or("your identity provider")
                    .to_string()
            }),
        issuer: issuer.trim().to_string(),
        client_id: client_id.trim().to_string(),
        client_secret: client_secret.into(),
        scopes,
        groups_claim: value("AI_OIDC_GROUPS_CLAIM")?
            .map(|claim| claim.trim().to_string())
            .unwrap_or_else(|| "groups".into()),
        admin_groups,
        member_groups: list("AI_OIDC_MEMBER_GROUPS")?,
        link_by_email: switch("AI_OIDC_LINK_BY_EMAIL")?.unwrap_or(false),
    }))
}

/// A secret from a file only this user may read (mode 600 or stricter).
fn read_private_secret(path: &str) -> Result<String, String> {
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

/// `10.0.0.0/8, 192.0.2.7` → the two ranges (a bare address is a range of
/// one); `None` if any entry is not an address or range.
fn parse_address_ranges(list: &str) -> Option<Vec<ipnet::IpNet>> {
    list.split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
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
fn parse_origin(text: &str) -> Option<String> {
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
fn parse_http_url(text: &str) -> Option<url::Url> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| vars.get(name).cloned())
    }

    /// A working single sign-on set-up, with `changes` over it (an empty
    /// value removes a variable).
    fn sign_on(changes: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let mut vars: Vec<(&str, &str)> = vec![
            ("AI_CONSOLE_PUBLIC_URL", "https://console.example.com"),
            ("AI_OIDC_ISSUER", "https://id.example.com/realms/acme"),
            ("AI_OIDC_CLIENT_ID", "ai-console"),
            ("AI_OIDC_CLIENT_SECRET", "s3cret"),
            ("AI_OIDC_ADMIN_GROUPS", "console-admins, it"),
        ];
        for (name, value) in changes {
            vars.retain(|(known, _)| known != name);
            if !value.is_empty() {
                vars.push((name, value));
            }
        }
        config(&vars)
    }

    fn names_the_variable(result: Result<Config, ConfigError>, variable: &str) {
        let message = match result {
            Ok(_) => panic!("{variable}: accepted"),
            Err(error) => error.to_string(),
        };
        assert!(message.starts_with(variable), "{message}");
    }

    #[test]
    fn single_sign_on_is_read_with_its_defaults() {
        let config = sign_on(&[]).unwrap();
        let sso = config.single_sign_on.unwrap();
        assert_eq!(sso.name, "id.example.com");
        assert_eq!(sso.groups_claim, "groups");
        assert_eq!(sso.admin_groups, ["console-admins", "it"]);
        assert!(sso.member_groups.is_empty());
        assert_eq!(sso.scopes, ["email", "profile"]);
        assert!(!sso.link_by_email);
        assert!(config.password_sign_in);
    }

    #[test]
    fn a_single_sign_on_set_up_missing_a_piece_stops_start_up_naming_it() {
        names_the_variable(sign_on(&[("AI_OIDC_CLIENT_ID", "")]), "AI_OIDC_CLIENT_ID");
        names_the_variable(
            sign_on(&[("AI_OIDC_CLIENT_SECRET", "")]),
            "AI_OIDC_CLIENT_SECRET",
        );
        names_the_variable(
            sign_on(&[("AI_OIDC_ADMIN_GROUPS", "")]),
            "AI_OIDC_ADMIN_GROUPS",
        );
        names_the_variable(
            sign_on(&[("AI_CONSOLE_PUBLIC_URL", "")]),
            "AI_CONSOLE_PUBLIC_URL",
        );
        names_the_variable(
            sign_on(&[("AI_OIDC_ISSUER", "id.example.com")]),
            "AI_OIDC_ISSUER",
        );
        names_the_variable(
            sign_on(&[("AI_OIDC_LINK_BY_EMAIL", "sometimes")]),
            "AI_OIDC_LINK_BY_EMAIL",
        );
        names_the_variable(config(&[("AI_OIDC_CLIENT_ID", "x")]), "AI_OIDC_CLIENT_ID");
        names_the_variable(
            config(&[("AI_PASSWORD_SIGN_IN", "off")]),
            "AI_PASSWORD_SIGN_IN",
        );
    }

    #[test]
    fn the_client_secret_file_must_be_private() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("client-secret");
        std::fs::write(&file, "from-a-file\n").unwrap();
        let path = file.display().to_string();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
            names_the_variable(
                sign_on(&[
                    ("AI_OIDC_CLIENT_SECRET", ""),
                    ("AI_OIDC_CLIENT_SECRET_FILE", &path),
                ]),
                "AI_OIDC_CLIENT_SECRET_FILE",
            );
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        let config = sign_on(&[
            ("AI_OIDC_CLIENT_SECRET", ""),
            ("AI_OIDC_CLIENT_SECRET_FILE", &path),
        ])
        .unwrap();
        use secrecy::ExposeSecret;
        assert_eq!(
            config.single_sign_on.unwrap().client_secret.expose_secret(),
            "from-a-file"
        );
    }

    #[test]
    fn defaults_put_an_sqlite_file_under_data_on_the_team_plan() {
        let config = config(&[]).unwrap();
        assert_eq!(config.data_dir, PathBuf::from("data"));
        assert_eq!(config.database_url, "sqlite://data/console.db");
        assert_eq!(config.plan, Plan::Team);
    }

    #[test]
    fn the_database_follows_the_data_directory() {
        let config = config(&[("AI_CONSOLE_DATA_DIR", "/var/lib/console")]).unwrap();
        assert_eq!(config.database_url, "sqlite:///var/lib/console/console.db");
    }

    #[test]
    fn a_postgres_url_is_taken_and_another_database_refused_without_echoing_it() {
        let url = "postgres://console:secret@db.internal/console";
        assert_eq!(config(&[("DATABASE_URL", url)]).unwrap().database_url, url);
        let error = config(&[("DATABASE_URL", "mysql://console:secret@db/console")]).unwrap_err();
        let message = error.to_string();
        assert!(
            message.starts_with("DATABASE_URL: expected sqlite://"),
            "{message}"
        );
        assert!(!message.contains("secret"), "{message}");
    }

    #[test]
    fn an_unknown_plan_stops_start_up_naming_the_variable_and_the_choices() {
        let error = config(&[("AI_PLAN", "platinum")]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "AI_PLAN: unknown plan \"platinum\"; expected one of: community, team, enterprise"
        );
    }

    #[test]
    fn a_public_https_url_means_tls() {
        let config = config(&[("AI_CONSOLE_PUBLIC_URL", "https://console.example.com/")]).unwrap();
        assert_eq!(
            config.public_url.as_deref(),
            Some("https://console.example.com")
        );
        assert!(config.served_over_tls());
        assert!(!self::config(&[]).unwrap().served_over_tls());
    }

    #[test]
    fn trusted_proxies_are_a_list_of_addresses_and_ranges() {
        let parsed = config(&[(
            "AI_CONSOLE_TRUSTED_PROXIES",
            "10.0.0.0/8, 192.0.2.7,fd00::/8",
        )])
        .unwrap();
        let shown: Vec<String> = parsed
            .trusted_proxies
            .iter()
            .map(|r| r.to_string())
            .collect();
        assert_eq!(shown, ["10.0.0.0/8", "192.0.2.7/32", "fd00::/8"]);
        assert!(config(&[]).unwrap().trusted_proxies.is_empty());
        assert_eq!(
            config(&[("AI_CONSOLE_TRUSTED_PROXIES", "10.0.0.0/8, proxy.internal")]).unwrap_err(),
            ConfigError::AddressRanges {
                name: "AI_CONSOLE_TRUSTED_PROXIES",
                value: "10.0.0.0/8, proxy.internal".into()
            }
        );
    }

    #[test]
    fn feature_choices_can_be_fixed_and_bad_ones_stop_start_up() {
        let parsed = config(&[
            ("AI_FEATURE_AGENTS", "no-one"),
            ("AI_AGENTS_ACTIONS", "apply"),
        ])
        .unwrap();
        assert_eq!(parsed.fixed_features.agents, Some(Audience::NoOne));
        assert_eq!(
            parsed.fixed_features.agent_actions,
            Some(AgentActions::ApplyChanges)
        );
        assert_eq!(parsed.fixed_features.assistant, None);
        assert_eq!(
            config(&[("AI_FEATURE_ASSISTANT", "nobody")])
                .unwrap_err()
                .to_string(),
            "AI_FEATURE_ASSISTANT: \"nobody\" is not a choice; expected one of: everyone, admins, no-one"
        );
        assert!(config(&[("AI_AGENTS_ACTIONS", "always")]).is_err());
    }

    #[test]
    fn models_can_be_listed_and_fixed_and_contradictions_stop_start_up() {
        let parsed = config(&[
            ("AI_MANAGED_MODELS", "gpt-4o, o3-mini"),
            ("AI_MODELS_ALLOWED", "gpt-4o"),
            ("AI_DEFAULT_MODEL", "gpt-4o"),
        ])
        .unwrap();
        assert_eq!(parsed.managed_models, ["gpt-4o", "o3-mini"]);
        assert_eq!(
            parsed.fixed_models.allowed,
            Some(FixedAllowed::Only(vec!["gpt-4o".into()]))
        );
        assert_eq!(
            config(&[
                ("AI_MODELS_ALLOWED", "gpt-4o"),
                ("AI_DEFAULT_MODEL", "o3-mini")
            ])
            .unwrap_err()
            .to_string(),
            "AI_DEFAULT_MODEL: \"o3-mini\" is not among the models AI_MODELS_ALLOWED allows"
        );
        assert_eq!(
            config(&[("AI_MODELS_ALLOWED", " , ")]).unwrap_err().to_string(),
            "AI_MODELS_ALLOWED: \" , \" is not a list of model names; expected names separated by commas, or all"
        );
        assert_eq!(
            config(&[("AI_MODELS_ALLOWED", "all")])
                .unwrap()
                .fixed_models
                .allowed,
            Some(FixedAllowed::All)
        );
    }

    #[test]
    fn a_public_url_with_a_path_is_refused() {
        assert_eq!(
            config(&[("AI_CONSOLE_PUBLIC_URL", "https://example.com/console")]).unwrap_err(),
            ConfigError::PublicUrl("https://example.com/console".into())
        );
        assert!(config(&[("AI_CONSOLE_PUBLIC_URL", "console.example.com")]).is_err());
    }

    #[test]
    fn providers_default_to_the_public_endpoints_in_the_us() {
        let config = config(&[]).unwrap();
        assert_eq!(config.providers, ProviderConfig::default());
        assert!(matches!(
            config.master_key,
            MasterKeySource::File(path) if path == std::path::Path::new("data/master.keys")
        ));
    }

    #[test]
    fn provider_settings_are_read_and_checked() {
        let config = config(&[
            ("AI_REGION", "EU"),
            ("AI_OPENAI_EU_BASE_URL", "http://127.0.0.1:9000/openai/v1/"),
            ("AI_KEY_GRACE_HOURS", "2"),
        ])
        .unwrap();
        assert_eq!(config.providers.region, Region::Eu);
        assert_eq!(
            config.providers.endpoints.openai_eu,
            "http://127.0.0.1:9000/openai/v1"
        );
        assert_eq!(config.providers.grace_secs, 7200);
        assert_eq!(
            self::config(&[("AI_REGION", "mars")])
                .unwrap_err()
                .to_string(),
            "AI_REGION: unknown region \"mars\"; expected one of: us, eu"
        );
        assert_eq!(
            self::config(&[("AI_KEY_GRACE_HOURS", "0")])
                .unwrap_err()
                .to_string(),
            "AI_KEY_GRACE_HOURS: \"0\" is not a whole number from 1 to 720"
        );
        assert!(self::config(&[("AI_ANTHROPIC_BASE_URL", "api.anthropic.com")]).is_err());
    }

    #[test]
    fn settings_can_be_fixed_on_or_off_and_nothing_else() {
        let config = config(&[("AI_FEATURES", "off"), ("AI_TRAINING", "On")]).unwrap();
        assert_eq!(config.fixed.ai_enabled, Some(false));
        assert_eq!(config.fixed.training_allowed, Some(true));
        assert_eq!(self::config(&[]).unwrap().fixed, FixedSettings::default());
        assert_eq!(
            self::config(&[("AI_FEATURES", "disabled")])
                .unwrap_err()
                .to_string(),
            "AI_FEATURES: \"disabled\" is not a setting; expected one of: on, off"
        );
        assert_eq!(
            self::config(&[("AI_TRAINING", "on"), ("AI_PLAN", "enterprise")]).unwrap_err(),
            ConfigError::TrainingOnEnterprise
        );
    }

    #[test]
    fn an_empty_variable_is_an_error_not_a_silent_default() {
        assert_eq!(
            config(&[("AI_PLAN", " ")]).unwrap_err(),
            ConfigError::Empty("AI_PLAN")
        );
    }
}
