//! Money as the console counts it: whole millionths of a currency, so sums
//! and comparisons are exact (a token can cost a fraction of a cent), with
//! the currency they are in. Shown rounded to cents.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An ISO 4217 code: three capital letters, such as `USD` or `EUR`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency([u8; 3]);

impl Currency {
    pub const USD: Currency = Currency(*b"USD");

    /// The currency `code` names, if it is three capital letters.
    pub fn parse(code: &str) -> Option<Self> {
        let bytes: [u8; 3] = code.as_bytes().try_into().ok()?;
        bytes
            .iter()
            .all(u8::is_ascii_uppercase)
            .then_some(Currency(bytes))
    }

    pub fn code(&self) -> &str {
        // Only ASCII capitals are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }
}

impl Default for Currency {
    fn default() -> Self {
        Currency::USD
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl TryFrom<String> for Currency {
    type Error = String;
    fn try_from(code: String) -> Result<Self, String> {
        Currency::parse(&code).ok_or_else(|| format!("{code:?} is not a currency code"))
    }
}

impl From<Currency> for String {
    fn from(currency: Currency) -> String {
        currency.code().to_string()
    }
}

/// An amount in millionths of its currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    micros: i64,
    currency: Currency,
}

impl Money {
    pub fn from_micros(micros: i64, currency: Currency) -> Self {
        Money { micros, currency }
    }

    pub fn micros(self) -> i64 {
        self.micros
    }

    pub fn currency(self) -> Currency {
        self.currency
    }

    /// `12_345_678` millionths → "12.35": rounded to cents, without the
    /// currency (for form fields and tables with a currency heading).
    pub fn amount(self) -> String {
        let cents = (i128::from(self.micros) + 5_000).div_euclid(10_000);
        format!("{}.{:02}", cents / 100, cents % 100)
    }
}

/// "12.35 USD".
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount(), self.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_shown_in_cents_with_their_currency() {
        let eur = Currency::parse("EUR").unwrap();
        assert_eq!(Money::from_micros(12_345_678, eur).to_string(), "12.35 EUR");
        assert_eq!(Money::from_micros(4_999, eur).amount(), "0.00");
        assert_eq!(Money::from_micros(5_000, eur).amount(), "0.01");
        assert_eq!(Money::from_micros(0, Currency::USD).to_string(), "0.00 USD");
    }

    #[test]
    fn a_currency_is_three_capital_letters() {
        assert_eq!(Currency::parse("USD"), Some(Currency::USD));
        for bad in ["usd", "US", "USDT", "U$D", ""] {
            assert_eq!(Currency::parse(bad), None, "{bad}");
        }
    }
}
