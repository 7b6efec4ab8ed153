//! What a model costs per million tokens, for events whose service did not
//! say. The shipped list covers the common OpenAI and Anthropic models at
//! their public list prices in US dollars; operators replace or extend it
//! (`AI_PRICES_FILE`). A model with no price is counted in tokens and
//! shown as "price unknown", never as free.
//!
//! Layer: domain.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Millionths of the currency per million tokens: input, output, and
/// input read from the provider's cache (the input price when not given).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Price {
    pub input_micros_per_million: i64,
    pub output_micros_per_million: i64,
    pub cached_input_micros_per_million: Option<i64>,
}

/// Prices by model name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceTable(pub BTreeMap<String, Price>);

/// Dollars per million tokens, as price lists write them: input, output,
/// cached input (OpenAI's cached input, Anthropic's cache reads).
const SHIPPED: &[(&str, f64, f64, Option<f64>)] = &[
    ("gpt-4.1", 2.00, 8.00, Some(0.50)),
    ("gpt-4.1-mini", 0.40, 1.60, Some(0.10)),
    ("gpt-4.1-nano", 0.10, 0.40, Some(0.025)),
    ("gpt-4o", 2.50, 10.00, Some(1.25)),
    ("gpt-4o-mini", 0.15, 0.60, Some(0.075)),
    ("o3-mini", 1.10, 4.40, Some(0.55)),
    ("text-embedding-3-small", 0.02, 0.0, None),
    ("text-embedding-3-large", 0.13, 0.0, None),
    ("claude-opus-4", 15.00, 75.00, Some(1.50)),
    ("claude-sonnet-4", 3.00, 15.00, Some(0.30)),
    ("claude-haiku-4", 0.80, 4.00, Some(0.08)),
];

fn micros(per_million: f64) -> i64 {
    (per_million * 1_000_000.0).round() as i64
}

impl Default for PriceTable {
    fn default() -> Self {
        PriceTable(
            SHIPPED
                .iter()
                .map(|(model, input, output, cached)| {
                    let price = Price {
                        input_micros_per_million: micros(*input),
                        output_micros_per_million: micros(*output),
                        cached_input_micros_per_million: cached.map(micros),
                    };
                    (model.to_string(), price)
                })
                .collect(),
        )
    }
}

/// One entry of an operator's price file: per million tokens.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FilePrice {
    input: f64,
    output: f64,
    #[serde(default)]
    cached_input: Option<f64>,
}

impl PriceTable {
    /// The shipped table with an operator's file (`{"model": {"input": 2.5,
    /// "output": 10}, …}`, per million tokens) over it.
    pub fn with_file(text: &str) -> Result<Self, String> {
        let entries: BTreeMap<String, FilePrice> =
            serde_json::from_str(text).map_err(|error| error.to_string())?;
        let mut table = PriceTable::default();
        for (model, price) in entries {
            let valid = |value: f64| value.is_finite() && (0.0..=1_000_000.0).contains(&value);
            if !valid(price.input)
                || !valid(price.output)
                || price.cached_input.is_some_and(|cached| !valid(cached))
            {
                return Err(format!("{model}: prices must be numbers from 0 to 1000000"));
            }
            table.0.insert(
                model,
                Price {
                    input_micros_per_million: micros(price.input),
                    output_micros_per_million: micros(price.output),
                    cached_input_micros_per_million: price.cached_input.map(micros),
                },
            );
        }
        Ok(table)
    }

    /// The price of `model`: its own, else its family's. Providers answer
    /// with dated ids (`gpt-4o-2024-08-06`, `claude-sonnet-4-20250514`) of
    /// the model a request named, so a dated id costs what its base model
    /// does unless the table prices that snapshot itself.
    pub fn price_of(&self, model: &str) -> Option<&Price> {
        self.0
            .get(model)
            .or_else(|| family_of(model).and_then(|family| self.0.get(family)))
    }

    /// What `input` tokens (`cached` of them read from the provider's
    /// cache) and `output` tokens of `model` cost, in millionths of the
    /// currency; `None` when the model has no price.
    pub fn cost(&self, model: &str, input: i64, cached: i64, output: i64) -> Option<i64> {
        let price = self.price_of(model)?;
        let cached = cached.clamp(0, input.max(0));
        let cached_price = price
            .cached_input_micros_per_million
            .unwrap_or(price.input_micros_per_million);
        let total = i128::from(input - cached) * i128::from(price.input_micros_per_million)
            + i128::from(cached) * i128::from(cached_price)
            + i128::from(output) * i128::from(price.output_micros_per_million);
        i64::try_from((total + 500_000) / 1_000_000).ok()
    }
}

/// `gpt-4o-2024-08-06` → `gpt-4o`, `claude-sonnet-4-20250514` →
/// `claude-sonnet-4`, `o3-mini-latest` → `o3-mini`: the model without its
/// snapshot suffix; `None` when it has none.
pub fn family_of(model: &str) -> Option<&str> {
    let digits = |text: &str| !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    if let Some(base) = model.strip_suffix("-latest") {
        return Some(base);
    }
    // -YYYYMMDD
    if let Some((base, date)) = model.rsplit_once('-') {
        if date.len() == 8 && digits(date) {
            return Some(base);
        }
    }
    // -YYYY-MM-DD
    let mut parts = model.rsplitn(4, '-');
    let (day, month, year, base) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let dated = year.len() == 4 && month.len() == 2 && day.len() == 2;
    (dated && digits(year) && digits(month) && digits(day)).then_some(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_prices_cost_tokens_and_unknown_models_have_no_price() {
        let table = PriceTable::default();
        // 1,000 input and 1,000 output tokens of gpt-4o: $0.0025 + $0.01.
        assert_eq!(table.cost("gpt-4o", 1_000, 0, 1_000), Some(12_500));
        // Half of it cached: 500 at $2.50 and 500 at $1.25 per million.
        assert_eq!(table.cost("gpt-4o", 1_000, 500, 1_000), Some(11_875));
        assert_eq!(table.cost("my-own-model", 1_000, 0, 1_000), None);
    }

    #[test]
    fn a_dated_model_id_costs_what_its_base_model_does() {
        let table = PriceTable::default();
        let base = table.cost("gpt-4o", 1_000, 0, 1_000);
        assert_eq!(table.cost("gpt-4o-2024-08-06", 1_000, 0, 1_000), base);
        assert_eq!(
            table.cost("claude-sonnet-4-20250514", 1_000, 0, 0),
            table.cost("claude-sonnet-4", 1_000, 0, 0)
        );
        assert_eq!(family_of("o3-mini-latest"), Some("o3-mini"));
        assert_eq!(family_of("gpt-4o"), None);
        assert_eq!(family_of("gpt-4o-mini"), None);
        assert_eq!(family_of("model-12-34-56"), None);
        // A snapshot the operator priced itself keeps its own price.
        let table =
            PriceTable::with_file(r#"{"gpt-4o-2024-05-13": {"input": 5, "output": 15}}"#).unwrap();
        assert_eq!(
            table.cost("gpt-4o-2024-05-13", 1_000_000, 0, 0),
            Some(5_000_000)
        );
    }

    #[test]
    fn an_operators_file_adds_and_overrides_prices() {
        let table = PriceTable::with_file(
            r#"{"gpt-4o": {"input": 1, "output": 2}, "local-llama": {"input": 0, "output": 0}}"#,
        )
        .unwrap();
        assert_eq!(table.cost("gpt-4o", 1_000_000, 0, 0), Some(1_000_000));
        assert_eq!(table.cost("local-llama", 5, 0, 5), Some(0));
        assert!(PriceTable::with_file(r#"{"x": {"input": -1, "output": 0}}"#).is_err());
        assert!(PriceTable::with_file(r#"{"x": {"in": 1}}"#).is_err());
        let cached = PriceTable::with_file(
            r#"{"local-llama": {"input": 1, "output": 0, "cached_input": 0.5}}"#,
        )
        .unwrap();
        assert_eq!(
            cached.cost("local-llama", 2_000_000, 1_000_000, 0),
            Some(1_500_000)
        );
    }
}
