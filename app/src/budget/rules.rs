//! A monthly budget and where this month's spend stands against it. Money
//! is in millionths of the deployment's currency, like usage.

use super::BudgetError;
use serde::{Deserialize, Serialize};

/// What happens when the whole budget is spent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AtLimit {
    /// Admins are warned; AI keeps running.
    WarnOnly,
    /// AI is off for the workspace until the next month, or until an admin
    /// raises the budget or chooses warn only.
    StopAi,
}

impl AtLimit {
    pub const ALL: [AtLimit; 2] = [AtLimit::WarnOnly, AtLimit::StopAi];

    /// Stable identifier, in forms and storage.
    pub fn key(self) -> &'static str {
        match self {
            AtLimit::WarnOnly => "warn_only",
            AtLimit::StopAi => "stop_ai",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|at_limit| at_limit.key() == key)
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
    /// Millionths of the deployment's currency; more than zero.
    pub amount_micros: i64,
    /// From 1 to 100.
    pub warn_percent: i64,
    pub at_limit: AtLimit,
}

/// Where this month's spend stands against a budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standing {
    pub spent_micros: i64,
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
    pub fn parse(amount: &str, warn_percent: &str, at_limit: &str) -> Result<Self, BudgetError> {
        let amount_micros = parse_amount(amount)?;
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
            amount_micros,
            warn_percent,
            at_limit,
        })
    }

    /// Where `spent_micros` stands against this budget.
    pub fn standing(&self, spent_micros: i64) -> Standing {
        let amount = i128::from(self.amount_micros.max(1));
        let spent = i128::from(spent_micros.max(0));
        let percent = i64::try_from(spent * 100 / amount).unwrap_or(i64::MAX);
        Standing {
            spent_micros,
            percent,
            // Compared in millionths, so 79.99 % is not yet 80 %.
            warning: spent * 100 >= amount * i128::from(self.warn_percent),
            exhausted: spent >= amount,
        }
    }

    /// "Budget 100.00 USD a month · warning at 80 % · …", for the log.
    pub fn describe(&self, currency: &str) -> String {
        format!(
            "{} {currency} a month; warning at {} %; at 100 %: {}",
            crate::usage::money(self.amount_micros),
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
    /// "85.00".
    pub spent: String,
    /// "100.00".
    pub budget: String,
    pub currency: String,
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
        let budget = MonthlyBudget::parse("100", "", "stop_ai").unwrap();
        assert_eq!(budget.warn_percent, 80);
        assert_eq!(budget.at_limit, AtLimit::StopAi);
        for bad in ["0", "101", "eighty", "50.5"] {
            assert_eq!(
                MonthlyBudget::parse("100", bad, "stop_ai"),
                Err(BudgetError::PercentInvalid)
            );
        }
        assert_eq!(
            MonthlyBudget::parse("100", "80", "shrug"),
            Err(BudgetError::ChoiceInvalid)
        );
    }

    #[test]
    fn the_warning_and_the_limit_begin_exactly_at_their_lines() {
        let budget = MonthlyBudget::parse("100", "80", "warn_only").unwrap();
        let below = budget.standing(79_999_999);
        assert!(!below.warning && !below.exhausted);
        assert_eq!(below.percent, 79);
        let at_warning = budget.standing(80_000_000);
        assert!(at_warning.warning && !at_warning.exhausted);
        let at_limit = budget.standing(100_000_000);
        assert!(at_limit.warning && at_limit.exhausted);
        assert_eq!(budget.standing(250_000_000).percent, 250);
    }
}
