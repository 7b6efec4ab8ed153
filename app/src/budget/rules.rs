//! A monthly budget and where this month's spend stands against it, in
//! the deployment's currency.

use super::BudgetError;
use crate::domain::{Currency, Money};
use serde::{Deserialize, Serialize};

/// What happens when the whole budget is spent.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[strum(serialize_all = "snake_case")]
pub enum AtLimit {
    /// Admins are warned; AI keeps running.
    WarnOnly,
    /// AI is off for the workspace until the next month, or until an admin
    /// raises the budget or chooses warn only.
    StopAi,
}

impl AtLimit {
    pub const ALL: &'static [AtLimit] = <AtLimit as strum::VariantArray>::VARIANTS;

    /// Stable identifier, in forms and storage.
    pub fn key(self) -> &'static str {
        self.into()
    }

    pub fn from_key(key: &str) -> Option<Self> {
        key.parse().ok()
    }

    /// As the page and the activity log say it.
    pub fn label(self) -> &'static str {
        match self {
            AtLimit::WarnOnly => "Warn admins; AI keeps running",
            AtLimit::StopAi => "Turn AI off until next month or a higher budget",
        }
    }
}

/// The warning threshold when an admin names none.
pub const DEFAULT_WARN_PERCENT: i64 = 80;
/// The largest budget accepted: a billion a month.
pub const MOST_MICROS: i64 = 1_000_000_000 * 1_000_000;

/// A workspace's monthly budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthlyBudget {
    /// More than zero.
    pub amount: Money,
    /// From 1 to 100.
    pub warn_percent: i64,
    pub at_limit: AtLimit,
}

/// Where this month's spend stands against a budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standing {
    pub spent: Money,
    /// Of the budget, rounded down (may pass 100).
    pub percent: i64,
    /// At or past the warning threshold.
    pub warning: bool,
    /// At or past the whole budget.
    pub exhausted: bool,
}

impl MonthlyBudget {
    /// What the form sends, checked: an amount such as `250` or `99.50`,
    /// a threshold in percent (empty: the default) and a choice.
    pub fn parse(
        amount: &str,
        warn_percent: &str,
        at_limit: &str,
        currency: Currency,
    ) -> Result<Self, BudgetError> {
        let amount = Money::from_micros(parse_amount(amount)?, currency);
        let warn_percent = match warn_percent.trim() {
            "" => DEFAULT_WARN_PERCENT,
            text => text
                .parse::<i64>()
                .ok()
                .filter(|percent| (1..=100).contains(percent))
                .ok_or(BudgetError::PercentInvalid)?,
        };
        let at_limit = AtLimit::from_key(at_limit).ok_or(BudgetError::ChoiceInvalid)?;
        Ok(MonthlyBudget {
            amount,
            warn_percent,
            at_limit,
        })
    }

    /// Where `spent` (in the budget's currency) stands against this budget.
    pub fn standing(&self, spent: Money) -> Standing {
        let amount = i128::from(self.amount.micros().max(1));
        let spent_micros = i128::from(spent.micros().max(0));
        let percent = i64::try_from(spent_micros * 100 / amount).unwrap_or(i64::MAX);
        Standing {
            spent,
            percent,
            // Compared in millionths, so 79.99 % is not yet 80 %.
            warning: spent_micros * 100 >= amount * i128::from(self.warn_percent),
            exhausted: spent_micros >= amount,
        }
    }

    /// "Budget 100.00 USD a month · warning at 80 % · …", for the log.
    pub fn describe(&self) -> String {
        format!(
            "{} a month; warning at {} %; at 100 %: {}",
            self.amount,
            self.warn_percent,
            self.at_limit.label()
        )
    }
}

/// `250`, `250.5` or `1,250.00` → millionths. At most two decimals, more
/// than zero and at most a billion.
pub fn parse_amount(text: &str) -> Result<i64, BudgetError> {
    let cleaned: String = text.trim().chars().filter(|c| *c != ',').collect();
    let (whole, cents) = match cleaned.split_once('.') {
        Some((whole, fraction)) => (whole, fraction),
        None => (cleaned.as_str(), ""),
    };
    let digits = |part: &str| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit());
    if !digits(whole) || !(cents.is_empty() || (digits(cents) && cents.len() <= 2)) {
        return Err(BudgetError::AmountInvalid);
    }
    let whole: i64 = whole.parse().map_err(|_| BudgetError::AmountInvalid)?;
    let cents: i64 = format!("{cents:0<2}")
        .parse()
        .map_err(|_| BudgetError::AmountInvalid)?;
    let micros = whole
        .checked_mul(1_000_000)
        .and_then(|micros| micros.checked_add(cents * 10_000))
        .ok_or(BudgetError::AmountInvalid)?;
    if micros <= 0 || micros > MOST_MICROS {
        return Err(BudgetError::AmountInvalid);
    }
    Ok(micros)
}

/// What the banner on every settings page tells admins once this month's
/// spend reaches the budget's warning threshold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetAlert {
    pub percent: i64,
    pub spent: Money,
    pub budget: Money,
    /// The whole budget is spent.
    pub exhausted: bool,
    /// …and AI is off because of it.
    pub stopping_ai: bool,
    /// "1 December 2026": when the month ends.
    pub ai_back_on: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_in_the_ways_people_type_them() {
        assert_eq!(parse_amount("250"), Ok(250_000_000));
        assert_eq!(parse_amount(" 99.5 "), Ok(99_500_000));
        assert_eq!(parse_amount("1,250.05"), Ok(1_250_050_000));
        assert_eq!(parse_amount("5."), Ok(5_000_000));
        for bad in [
            "",
            "0",
            "0.00",
            "-5",
            "12.345",
            "ten",
            "1e3",
            ".5",
            "99999999999",
        ] {
            assert_eq!(parse_amount(bad), Err(BudgetError::AmountInvalid), "{bad}");
        }
    }

    #[test]
    fn the_threshold_defaults_to_80_and_stays_within_1_to_100() {
        let budget = MonthlyBudget::parse("100", "", "stop_ai", Currency::USD).unwrap();
        assert_eq!(budget.warn_percent, 80);
        assert_eq!(budget.at_limit, AtLimit::StopAi);
        for bad in ["0", "101", "eighty", "50.5"] {
            assert_eq!(
                MonthlyBudget::parse("100", bad, "stop_ai", Currency::USD),
                Err(BudgetError::PercentInvalid)
            );
        }
        assert_eq!(
            MonthlyBudget::parse("100", "80", "shrug", Currency::USD),
            Err(BudgetError::ChoiceInvalid)
        );
    }

    #[test]
    fn the_warning_and_the_limit_begin_exactly_at_their_lines() {
        let budget = MonthlyBudget::parse("100", "80", "warn_only", Currency::USD).unwrap();
        let usd = |micros| Money::from_micros(micros, Currency::USD);
        let below = budget.standing(usd(79_999_999));
        assert!(!below.warning && !below.exhausted);
        assert_eq!(below.percent, 79);
        let at_warning = budget.standing(usd(80_000_000));
        assert!(at_warning.warning && !at_warning.exhausted);
        let at_limit = budget.standing(usd(100_000_000));
        assert!(at_limit.warning && at_limit.exhausted);
        assert_eq!(budget.standing(usd(250_000_000)).percent, 250);
    }
}
