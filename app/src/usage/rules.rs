//! Usage as services report it: a batch of events, each checked field by
//! field before anything is stored (a batch with one bad event is refused
//! whole), and what an event cost.

use crate::domain::time::rfc3339;
use serde::{Deserialize, Serialize};

/// Most events one report may carry.
pub const MOST_EVENTS: usize = 1000;
/// Most tokens one event may count, on either side.
pub const MOST_TOKENS: i64 = 1_000_000_000;

/// Who paid for an event.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    PartialOrd,
    Ord,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[strum(serialize_all = "snake_case")]
pub enum PaidBy {
    /// The managed provider, included in the plan.
    Managed,
    /// The workspace's own key, billed by its provider.
    OwnKey,
}

impl PaidBy {
    pub fn key(self) -> &'static str {
        self.into()
    }

    pub fn from_key(key: &str) -> Option<Self> {
        key.parse().ok()
    }

    pub fn label(self) -> &'static str {
        match self {
            PaidBy::Managed => "Managed provider",
            PaidBy::OwnKey => "Workspace key",
        }
    }
}

/// Where an event's figures come from.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[strum(serialize_all = "snake_case")]
pub enum UsageSource {
    /// Counted by the gateway from the provider's own answer.
    Measured,
    /// Reported by a service through the usage API.
    Reported,
}

impl UsageSource {
    pub fn key(self) -> &'static str {
        self.into()
    }

    pub fn from_key(key: &str) -> Option<Self> {
        key.parse().ok()
    }

    pub fn label(self) -> &'static str {
        match self {
            UsageSource::Measured => "Measured by the gateway",
            UsageSource::Reported => "Reported by services",
        }
    }
}

/// One event as it arrives, before it is checked.
#[derive(Debug, Clone, Deserialize)]
pub struct ReportedEvent {
    pub id: Option<serde_json::Value>,
    pub at: Option<serde_json::Value>,
    pub feature: Option<serde_json::Value>,
    pub model: Option<serde_json::Value>,
    pub input_tokens: Option<serde_json::Value>,
    /// Of the input, how much the provider read from its cache.
    pub cached_input_tokens: Option<serde_json::Value>,
    pub output_tokens: Option<serde_json::Value>,
    pub cost: Option<serde_json::Value>,
    pub paid_by: Option<serde_json::Value>,
}

/// A report as it arrives.
#[derive(Debug, Clone, Deserialize)]
pub struct Report {
    pub events: Vec<ReportedEvent>,
}

/// An event that passed every check.
#[derive(Debug, Clone, PartialEq)]
pub struct UsageEvent {
    pub id: String,
    /// Unix seconds.
    pub at: i64,
    pub feature: String,
    pub model: String,
    /// All input tokens, cached ones included.
    pub input_tokens: i64,
    /// Of the input, those the provider read from its cache (priced lower).
    pub cached_input_tokens: i64,
    pub output_tokens: i64,
    /// What the service computed, in millionths of the currency.
    pub cost_micros: Option<i64>,
    /// Who paid, if the service said; else the policy in force decides.
    pub paid_by: Option<PaidBy>,
    /// Measured by the gateway or reported by a service; a report can
    /// only ever be the latter.
    pub source: UsageSource,
}

/// How far ahead of the console's clock an event may be dated: a service's
/// clock may run a little fast; a day ahead is a mistake that would land in
/// a later day's (or month's) totals.
pub const MOST_AHEAD_SECS: i64 = 5 * 60;

/// The times a report's events may carry: from the oldest raw event the
/// console still keeps, since an older one would be deleted at once and a
/// retry of it could no longer be recognised (it would count twice), to
/// [`MOST_AHEAD_SECS`] ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AcceptedTimes {
    /// Unix seconds, both included.
    pub earliest: i64,
    pub latest: i64,
    /// How long raw events are kept.
    pub kept_days: i64,
}

impl AcceptedTimes {
    /// The window at `now` when raw events are kept `kept_days` days.
    pub const fn at(now: i64, kept_days: i64) -> Self {
        AcceptedTimes {
            earliest: now - kept_days * 24 * 60 * 60,
            latest: now + MOST_AHEAD_SECS,
            kept_days,
        }
    }

    fn holds(&self, at: i64) -> bool {
        (self.earliest..=self.latest).contains(&at)
    }
}

/// Why a report was refused: which event (by position and, if it has one,
/// id) and which field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportProblem {
    #[error("the body must be JSON of the form {{\"events\": [ … ]}}")]
    NotAReport,
    #[error("a report carries 1 to {MOST_EVENTS} events")]
    BatchSize,
    #[error("event {index}{}: {field} {problem}", id.as_deref().map(|id| format!(" (id \"{id}\")")).unwrap_or_default())]
    Field {
        index: usize,
        id: Option<String>,
        field: &'static str,
        problem: &'static str,
    },
    #[error("event {index} (id \"{id}\"): the same id appears twice in this report")]
    RepeatedId { index: usize, id: String },
    #[error("event {index} (id \"{id}\"): at must be from {} (raw events are kept {} days; an older one could not be told from its retry) to {} ({} minutes ahead)", rfc3339(accepted.earliest), accepted.kept_days, rfc3339(accepted.latest), MOST_AHEAD_SECS / 60)]
    OutsideAcceptedTimes {
        index: usize,
        id: String,
        accepted: AcceptedTimes,
    },
}

fn text(value: &Option<serde_json::Value>) -> Option<&str> {
    value.as_ref().and_then(serde_json::Value::as_str)
}

/// Checks every event of a report, each dated within `accepted`; the
/// first problem refuses it all.
pub fn check_report(
    body: &[u8],
    accepted: &AcceptedTimes,
) -> Result<Vec<UsageEvent>, ReportProblem> {
    let report: Report = serde_json::from_slice(body).map_err(|_| ReportProblem::NotAReport)?;
    if report.events.is_empty() || report.events.len() > MOST_EVENTS {
        return Err(ReportProblem::BatchSize);
    }
    let mut seen = std::collections::HashSet::new();
    let mut events = Vec::with_capacity(report.events.len());
    for (index, event) in report.events.iter().enumerate() {
        let checked = check_event(index, event)?;
        if !accepted.holds(checked.at) {
            return Err(ReportProblem::OutsideAcceptedTimes {
                index,
                id: checked.id,
                accepted: *accepted,
            });
        }
        if !seen.insert(checked.id.clone()) {
            return Err(ReportProblem::RepeatedId {
                index,
                id: checked.id,
            });
        }
        events.push(checked);
    }
    Ok(events)
}

fn check_event(index: usize, event: &ReportedEvent) -> Result<UsageEvent, ReportProblem> {
    let id_text = text(&event.id).map(str::to_string);
    let problem = |field: &'static str, problem: &'static str| ReportProblem::Field {
        index,
        id: id_text.clone().filter(|id| plain(id, 128)),
        field,
        problem,
    };
    let id = match text(&event.id) {
        Some(id) if plain(id, 128) => id.to_string(),
        _ => return Err(problem("id", "must be 1 to 128 printable ASCII characters")),
    };
    let at = text(&event.at)
        .and_then(|at| at.parse::<jiff::Timestamp>().ok())
        .map(|at| at.as_second())
        .ok_or_else(|| {
            problem(
                "at",
                "must be an RFC 3339 time such as 2026-11-25T09:30:00Z",
            )
        })?;
    let feature = match text(&event.feature) {
        Some(feature)
            if !feature.is_empty()
                && feature.len() <= 64
                && feature.chars().all(|c| {
                    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-'
                }) =>
        {
            feature.to_string()
        }
        _ => return Err(problem("feature", "must be 1 to 64 of a-z, 0-9, _ and -")),
    };
    let model = match text(&event.model) {
        Some(model) if plain(model, 200) => model.to_string(),
        _ => {
            return Err(problem(
                "model",
                "must be 1 to 200 printable ASCII characters",
            ))
        }
    };
    let tokens = |value: &Option<serde_json::Value>, field| {
        value
            .as_ref()
            .and_then(serde_json::Value::as_i64)
            .filter(|count| (0..=MOST_TOKENS).contains(count))
            .ok_or_else(|| problem(field, "must be a whole number from 0 to 1000000000"))
    };
    let input_tokens = tokens(&event.input_tokens, "input_tokens")?;
    let output_tokens = tokens(&event.output_tokens, "output_tokens")?;
    let cached_input_tokens = match &event.cached_input_tokens {
        None | Some(serde_json::Value::Null) => 0,
        cached => tokens(cached, "cached_input_tokens")?,
    };
    if cached_input_tokens > input_tokens {
        return Err(problem(
            "cached_input_tokens",
            "must not be more than input_tokens, which counts them too",
        ));
    }
    let cost_micros = match &event.cost {
        None | Some(serde_json::Value::Null) => None,
        Some(value) => Some(
            value
                .as_f64()
                .filter(|cost| cost.is_finite() && (0.0..=1_000_000.0).contains(cost))
                .map(|cost| (cost * 1_000_000.0).round() as i64)
                .ok_or_else(|| {
                    problem("cost", "must be a number from 0 to 1000000, or left out")
                })?,
        ),
    };
    let paid_by = match &event.paid_by {
        None | Some(serde_json::Value::Null) => None,
        Some(value) => Some(
            value
                .as_str()
                .and_then(PaidBy::from_key)
                .ok_or_else(|| problem("paid_by", "must be managed or own_key, or left out"))?,
        ),
    };
    Ok(UsageEvent {
        id,
        at,
        feature,
        model,
        input_tokens,
        cached_input_tokens,
        output_tokens,
        cost_micros,
        paid_by,
        source: UsageSource::Reported,
    })
}

fn plain(text: &str, longest: usize) -> bool {
    !text.is_empty() && text.len() <= longest && text.chars().all(|c| c.is_ascii_graphic())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(event: &str) -> Result<Vec<UsageEvent>, ReportProblem> {
        check_report(format!(r#"{{"events":[{event}]}}"#).as_bytes(), &window())
    }

    /// The window around GOOD's time, raw events kept 90 days.
    fn window() -> AcceptedTimes {
        AcceptedTimes::at(1_795_599_000, 90)
    }

    const GOOD: &str = r#"{"id":"e1","at":"2026-11-25T09:30:00Z","feature":"assistant","model":"gpt-4o","input_tokens":1200,"output_tokens":300}"#;

    #[test]
    fn a_complete_event_passes_with_its_time_in_unix_seconds() {
        let events = one(GOOD).unwrap();
        assert_eq!(events[0].at, 1_795_599_000);
        assert_eq!(events[0].cost_micros, None);
        let priced = one(&GOOD.replace("}", r#","cost":0.0123,"paid_by":"own_key"}"#)).unwrap();
        assert_eq!(priced[0].cost_micros, Some(12_300));
        assert_eq!(priced[0].paid_by, Some(PaidBy::OwnKey));
        assert_eq!(events[0].source, UsageSource::Reported);
    }

    #[test]
    fn cached_input_is_part_of_the_input() {
        let cached = one(&GOOD.replace("}", r#","cached_input_tokens":200}"#)).unwrap();
        assert_eq!(cached[0].cached_input_tokens, 200);
        assert_eq!(one(GOOD).unwrap()[0].cached_input_tokens, 0);
        let problem = one(&GOOD.replace("}", r#","cached_input_tokens":1201}"#)).unwrap_err();
        assert!(
            problem
                .to_string()
                .contains("cached_input_tokens must not be more than input_tokens"),
            "{problem}"
        );
    }

    #[test]
    fn each_bad_field_is_named_with_its_event() {
        for (change, field) in [
            (r#""id":"e1""#, r#""id":"""#),
            (r#""at":"2026-11-25T09:30:00Z""#, r#""at":"yesterday""#),
            (r#""feature":"assistant""#, r#""feature":"Big Feature""#),
            (r#""model":"gpt-4o""#, r#""model":"""#),
            (r#""input_tokens":1200"#, r#""input_tokens":-1"#),
            (r#""output_tokens":300"#, r#""output_tokens":1.5"#),
        ] {
            let problem = one(&GOOD.replace(change, field)).unwrap_err();
            let name = change.split('"').nth(1).unwrap();
            assert!(
                matches!(&problem, ReportProblem::Field { index: 0, field, .. } if *field == name),
                "{problem}"
            );
        }
        let problem = one(&GOOD.replace(r#""model":"gpt-4o""#, r#""model":7"#)).unwrap_err();
        assert_eq!(
            problem.to_string(),
            "event 0 (id \"e1\"): model must be 1 to 200 printable ASCII characters"
        );
    }

    #[test]
    fn a_report_is_refused_whole() {
        let two = format!(
            r#"{{"events":[{GOOD},{}]}}"#,
            GOOD.replace("e1", "e2").replace("1200", "\"x\"")
        );
        assert!(matches!(
            check_report(two.as_bytes(), &window()),
            Err(ReportProblem::Field { index: 1, .. })
        ));
        let twice = format!(r#"{{"events":[{GOOD},{GOOD}]}}"#);
        assert!(matches!(
            check_report(twice.as_bytes(), &window()),
            Err(ReportProblem::RepeatedId { index: 1, .. })
        ));
        assert_eq!(
            check_report(b"[]", &window()),
            Err(ReportProblem::NotAReport)
        );
        assert_eq!(
            check_report(br#"{"events":[]}"#, &window()),
            Err(ReportProblem::BatchSize)
        );
    }

    #[test]
    fn events_are_taken_from_the_oldest_kept_to_five_minutes_ahead() {
        let dated = |at: &str| one(&GOOD.replace("2026-11-25T09:30:00Z", at));
        assert!(dated("2026-11-25T09:35:00Z").is_ok(), "5 minutes ahead");
        assert!(dated("2026-08-27T09:30:00Z").is_ok(), "90 days back");
        let ahead = dated("2026-11-25T09:35:01Z").unwrap_err();
        assert_eq!(
            ahead.to_string(),
            "event 0 (id \"e1\"): at must be from 2026-08-27T09:30:00Z (raw events are kept 90 days; \
             an older one could not be told from its retry) to 2026-11-25T09:35:00Z (5 minutes ahead)"
        );
        assert!(matches!(
            dated("2026-08-27T09:29:59Z"),
            Err(ReportProblem::OutsideAcceptedTimes { index: 0, .. })
        ));
        assert!(dated("2027-11-25T09:30:00Z").is_err(), "a year ahead");
    }
}
