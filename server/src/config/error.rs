//! What a bad configuration value stops start-up with: the variable's
//! name and what it accepts.

use app::domain::PlanParseError;

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
    #[error("{name}: {why}")]
    Gateway { name: &'static str, why: String },
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
