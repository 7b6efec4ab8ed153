//! How usage is counted and priced, and where budget notifications go.

use super::{
    read::{parse_http_url, Variables},
    ConfigError,
};
use app::domain::Currency;
use app::state::{BudgetWebhook, UsageConfig};
use app::usage::prices::PriceTable;

pub fn usage(vars: &Variables) -> Result<UsageConfig, ConfigError> {
    let code = vars.text_or("AI_CURRENCY", "USD")?;
    let currency = Currency::parse(&code).ok_or(ConfigError::Currency(code))?;
    let time_zone_name = vars.text_or("AI_USAGE_TIME_ZONE", "UTC")?;
    let time_zone = jiff::tz::TimeZone::get(&time_zone_name)
        .map_err(|_| ConfigError::TimeZone(time_zone_name.clone()))?;
    Ok(UsageConfig {
        currency,
        prices: prices(vars)?,
        time_zone,
        time_zone_name,
        retention_days: vars.number("AI_USAGE_RETENTION_DAYS", 90, 3650)?,
        budget_webhook: budget_webhook(vars)?,
    })
}

/// The shipped prices with `AI_PRICES_FILE` over them.
fn prices(vars: &Variables) -> Result<PriceTable, ConfigError> {
    let Some(path) = vars.value("AI_PRICES_FILE")? else {
        return Ok(PriceTable::default());
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|error| ConfigError::Prices(format!("{path}: {error}")))?;
    PriceTable::with_file(&text).map_err(|error| ConfigError::Prices(format!("{path}: {error}")))
}

/// Both `AI_BUDGET_WEBHOOK_URL` and its signing secret, or neither.
fn budget_webhook(vars: &Variables) -> Result<Option<BudgetWebhook>, ConfigError> {
    match (
        vars.value("AI_BUDGET_WEBHOOK_URL")?,
        vars.value("AI_BUDGET_WEBHOOK_SECRET")?,
    ) {
        (None, None) => Ok(None),
        (None, Some(_)) => Err(ConfigError::WebhookSecret(
            "set, but AI_BUDGET_WEBHOOK_URL is not; set both or neither",
        )),
        (Some(_), None) => Err(ConfigError::WebhookSecret(
            "required with AI_BUDGET_WEBHOOK_URL, to sign its notifications",
        )),
        (Some(url), Some(secret)) => {
            let url = parse_http_url(&url).ok_or(ConfigError::WebhookUrl(url))?;
            if secret.trim().len() < 16 {
                return Err(ConfigError::WebhookSecret(
                    "too short; use at least 16 characters, e.g. from `openssl rand -hex 32`",
                ));
            }
            Ok(Some(BudgetWebhook {
                url,
                secret: secret.trim().to_string().into(),
            }))
        }
    }
}
