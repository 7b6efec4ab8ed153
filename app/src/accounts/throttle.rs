//! When repeated failed sign-ins must wait. Counted per account *and*
//! client (so one client cannot guess at an account), per client (so one
//! client cannot guess at many accounts), each with a short burst window
//! and an hourly one. An account on its own is never stopped, only slowed:
//! otherwise anyone could keep its owner out by failing on purpose. Every
//! attempt is counted before its password is checked, so parallel
//! attempts cannot slip past a limit.

/// `limit` failures within `window_secs` seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub limit: usize,
    pub window_secs: i64,
}

/// Failed attempts one client may make at one account before it pauses.
pub const PER_ACCOUNT_AND_CLIENT: [Window; 2] = [
    Window {
        limit: 10,
        window_secs: 5 * 60,
    },
    Window {
        limit: 100,
        window_secs: 60 * 60,
    },
];

/// Failed sign-ins one client address may have before it pauses.
pub const PER_CLIENT: [Window; 2] = [
    Window {
        limit: 30,
        window_secs: 5 * 60,
    },
    Window {
        limit: 300,
        window_secs: 60 * 60,
    },
];

/// The longest window, beyond which failures no longer matter.
pub const HORIZON_SECS: i64 = 60 * 60;

/// Failures on one account (from every client, within the horizon) from
/// which each further check of its password is delayed.
pub const SLOWED_FROM: usize = 10;

/// The longest such delay: short enough that the owner, from their own
/// client, always gets in.
pub const LONGEST_DELAY_SECS: i64 = 8;

/// Times of earlier failed attempts, newest first.
#[derive(Debug, Clone, Copy, Default)]
pub struct Failures<'a> {
    pub of_account_and_client: &'a [i64],
    pub of_client: &'a [i64],
    pub of_account: &'a [i64],
}

/// What happens to an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Check the password, after waiting this many seconds.
    Check { after_secs: i64 },
    /// Refused without checking: try again in this many seconds.
    Wait(i64),
}

/// What happens to an attempt made at `now`.
pub fn decide(failures: Failures<'_>, now: i64) -> Decision {
    let wait = wait_secs(failures.of_account_and_client, &PER_ACCOUNT_AND_CLIENT, now)
        .max(wait_secs(failures.of_client, &PER_CLIENT, now));
    match wait {
        Some(wait) => Decision::Wait(wait),
        None => Decision::Check {
            after_secs: delay_secs(failures.of_account, now),
        },
    }
}

/// One second from `SLOWED_FROM` failures on the account, doubling with
/// every further ten, at most `LONGEST_DELAY_SECS`.
pub fn delay_secs(of_account: &[i64], now: i64) -> i64 {
    let recent = of_account
        .iter()
        .filter(|at| now - **at < HORIZON_SECS)
        .count();
    if recent < SLOWED_FROM {
        return 0;
    }
    let doublings = ((recent - SLOWED_FROM) / 10).min(8) as u32;
    (1_i64 << doublings).min(LONGEST_DELAY_SECS)
}

/// Seconds to wait before another attempt, if any. `failures` are the
/// times of earlier failed attempts, newest first.
pub fn wait_secs(failures: &[i64], windows: &[Window], now: i64) -> Option<i64> {
    windows
        .iter()
        .filter_map(|window| {
            let recent: Vec<i64> = failures
                .iter()
                .copied()
                .filter(|at| now - at < window.window_secs)
                .collect();
            // Once `limit` failures are in the window, the next attempt may
            // come when the oldest of the newest `limit` leaves it.
            (recent.len() >= window.limit)
                .then(|| recent[window.limit - 1] + window.window_secs - now)
        })
        .max()
}

/// "try again in 4 minutes", rounded up, never "0 minutes".
pub fn minutes_to_wait(secs: i64) -> i64 {
    ((secs + 59) / 60).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_000_000;

    fn failures(count: usize, every_secs: i64) -> Vec<i64> {
        (0..count as i64)
            .map(|i| NOW - 1 - i * every_secs)
            .collect()
    }

    #[test]
    fn a_few_failures_do_not_slow_anyone_down() {
        let nine = failures(9, 1);
        let all = Failures {
            of_account_and_client: &nine,
            of_client: &nine,
            of_account: &nine,
        };
        assert_eq!(decide(all, NOW), Decision::Check { after_secs: 0 });
    }

    #[test]
    fn an_account_under_attack_is_slowed_never_stopped() {
        // Thousands of failures from elsewhere: the owner, from a client
        // of their own, is still checked after a short delay.
        for count in [10, 19, 20, 30, 40, 5_000] {
            let attack = failures(count, 0);
            let decision = decide(
                Failures {
                    of_account: &attack,
                    ..Failures::default()
                },
                NOW,
            );
            let Decision::Check { after_secs } = decision else {
                panic!("{count} failures stopped the account: {decision:?}");
            };
            assert!((1..=LONGEST_DELAY_SECS).contains(&after_secs), "{count}");
        }
        assert_eq!(delay_secs(&failures(20, 0), NOW), 2);
        assert_eq!(delay_secs(&failures(5_000, 0), NOW), LONGEST_DELAY_SECS);
    }

    #[test]
    fn the_guessing_client_is_stopped() {
        let burst = failures(10, 1);
        let guessing = Failures {
            of_account_and_client: &burst,
            of_client: &burst,
            of_account: &burst,
        };
        assert_eq!(decide(guessing, NOW), Decision::Wait(5 * 60 - 10));
    }

    #[test]
    fn a_burst_of_ten_waits_until_the_first_leaves_the_window() {
        let burst = failures(10, 1); // newest at NOW-1, oldest at NOW-10
        let wait = wait_secs(&burst, &PER_ACCOUNT_AND_CLIENT, NOW).unwrap();
        assert_eq!(wait, 5 * 60 - 10);
        assert_eq!(wait_secs(&burst, &PER_ACCOUNT_AND_CLIENT, NOW + wait), None);
    }

    #[test]
    fn slow_guessing_is_capped_at_100_an_hour() {
        // One failure every 35 s stays under the burst limit…
        let slow = failures(100, 35);
        let wait =
            wait_secs(&slow, &PER_ACCOUNT_AND_CLIENT, NOW).expect("the hourly limit applies");
        assert!(wait > 0 && wait <= HORIZON_SECS);
        // …and 99 of them are allowed.
        assert_eq!(wait_secs(&slow[..99], &PER_ACCOUNT_AND_CLIENT, NOW), None);
    }

    #[test]
    fn old_failures_are_forgotten() {
        let old: Vec<i64> = failures(200, 1)
            .into_iter()
            .map(|at| at - HORIZON_SECS)
            .collect();
        assert_eq!(wait_secs(&old, &PER_ACCOUNT_AND_CLIENT, NOW), None);
    }

    #[test]
    fn waits_are_reported_in_whole_minutes() {
        assert_eq!(minutes_to_wait(1), 1);
        assert_eq!(minutes_to_wait(60), 1);
        assert_eq!(minutes_to_wait(61), 2);
    }
}
