//! How long a service token works: chosen when it is made, ninety days
//! unless the admin picks otherwise, so a forgotten token stops by itself.

use serde::{Deserialize, Serialize};

const DAY_SECS: i64 = 24 * 60 * 60;

/// Within this many days of its end, a token is listed as expiring soon.
pub const EXPIRING_SOON_DAYS: i64 = 14;

/// The lifetimes the create form offers.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    Default,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
pub enum TokenLifetime {
    /// For a one-off job or a trial.
    #[strum(serialize = "1h")]
    Hour1,
    #[strum(serialize = "1d")]
    Day1,
    #[strum(serialize = "7")]
    Days7,
    #[strum(serialize = "30")]
    Days30,
    #[default]
    #[strum(serialize = "90")]
    Days90,
    #[strum(serialize = "365")]
    Days365,
    #[strum(serialize = "never")]
    Never,
}

impl TokenLifetime {
    /// Every choice, in the order the form lists them.
    pub const ALL: &'static [TokenLifetime] = <TokenLifetime as strum::VariantArray>::VARIANTS;

    /// The form value.
    pub fn key(self) -> &'static str {
        self.into()
    }

    /// A form value back; `None` for anything the form does not offer.
    pub fn from_key(key: &str) -> Option<Self> {
        key.parse().ok()
    }

    /// How the form names it.
    pub fn label(self) -> &'static str {
        match self {
            TokenLifetime::Hour1 => "1 hour",
            TokenLifetime::Day1 => "1 day",
            TokenLifetime::Days7 => "7 days",
            TokenLifetime::Days30 => "30 days",
            TokenLifetime::Days90 => "90 days",
            TokenLifetime::Days365 => "365 days",
            TokenLifetime::Never => "Never expires",
        }
    }

    /// When a token made at `now` stops working; `None`: never.
    pub fn expires_at(self, now: i64) -> Option<i64> {
        let lasts = match self {
            TokenLifetime::Hour1 => 60 * 60,
            TokenLifetime::Day1 => DAY_SECS,
            TokenLifetime::Days7 => 7 * DAY_SECS,
            TokenLifetime::Days30 => 30 * DAY_SECS,
            TokenLifetime::Days90 => 90 * DAY_SECS,
            TokenLifetime::Days365 => 365 * DAY_SECS,
            TokenLifetime::Never => return None,
        };
        Some(now + lasts)
    }
}

/// Whether a token ending at `expires_at` works at `now`.
pub fn is_expired(expires_at: Option<i64>, now: i64) -> bool {
    expires_at.is_some_and(|end| end <= now)
}

/// What the token list says about a token's end, as of `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Expiry {
    Never,
    On(i64),
    /// Within `EXPIRING_SOON_DAYS`: days left, rounded up.
    Soon {
        at: i64,
        days_left: i64,
    },
    Expired(i64),
}

impl Expiry {
    pub fn of(expires_at: Option<i64>, now: i64) -> Self {
        match expires_at {
            None => Expiry::Never,
            Some(at) if at <= now => Expiry::Expired(at),
            Some(at) if at - now <= EXPIRING_SOON_DAYS * DAY_SECS => Expiry::Soon {
                at,
                days_left: (at - now + DAY_SECS - 1) / DAY_SECS,
            },
            Some(at) => Expiry::On(at),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_700_000_000;

    #[test]
    fn ninety_days_unless_chosen_otherwise() {
        assert_eq!(TokenLifetime::default(), TokenLifetime::Days90);
        assert_eq!(
            TokenLifetime::Days90.expires_at(NOW),
            Some(NOW + 90 * DAY_SECS)
        );
        assert_eq!(TokenLifetime::Never.expires_at(NOW), None);
        for &lifetime in TokenLifetime::ALL {
            assert_eq!(TokenLifetime::from_key(lifetime.key()), Some(lifetime));
        }
        assert_eq!(TokenLifetime::Hour1.expires_at(NOW), Some(NOW + 3600));
        assert_eq!(TokenLifetime::from_key("2"), None);
    }

    #[test]
    fn a_token_stops_at_its_end_and_is_flagged_two_weeks_before() {
        let end = NOW + 30 * DAY_SECS;
        assert_eq!(Expiry::of(Some(end), NOW), Expiry::On(end));
        assert_eq!(
            Expiry::of(Some(end), end - 3 * DAY_SECS + 1),
            Expiry::Soon {
                at: end,
                days_left: 3
            }
        );
        assert!(!is_expired(Some(end), end - 1));
        assert!(is_expired(Some(end), end));
        assert_eq!(Expiry::of(Some(end), end), Expiry::Expired(end));
        assert_eq!(Expiry::of(None, NOW), Expiry::Never);
    }
}
