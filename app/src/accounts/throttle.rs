//! When repeated failed sign-ins must wait. Counted per account (so one
//! account cannot be guessed at) and per client address (so one client
//! cannot guess at many accounts), each with a short burst window and an
//! hourly one.

/// `limit` failures within `window_secs` seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub limit: usize,
    pub window_secs: i64,
}

/// Failed sign-ins one account may have before it pauses.
pub const PER_ACCOUNT: [Window; 2] = [
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
        assert_eq!(wait_secs(&failures(9, 1), &PER_ACCOUNT, NOW), None);
    }

    #[test]
    fn a_burst_of_ten_waits_until_the_first_leaves_the_window() {
        let burst = failures(10, 1); // newest at NOW-1, oldest at NOW-10
        let wait = wait_secs(&burst, &PER_ACCOUNT, NOW).unwrap();
        assert_eq!(wait, 5 * 60 - 10);
        assert_eq!(wait_secs(&burst, &PER_ACCOUNT, NOW + wait), None);
    }

    #[test]
    fn slow_guessing_is_capped_at_100_an_hour() {
        // One failure every 35 s stays under the burst limit…
        let slow = failures(100, 35);
        let wait = wait_secs(&slow, &PER_ACCOUNT, NOW).expect("the hourly limit applies");
        assert!(wait > 0 && wait <= HORIZON_SECS);
        // …and 99 of them are allowed.
        assert_eq!(wait_secs(&slow[..99], &PER_ACCOUNT, NOW), None);
    }

    #[test]
    fn old_failures_are_forgotten() {
        let old: Vec<i64> = failures(200, 1)
            .into_iter()
            .map(|at| at - HORIZON_SECS)
            .collect();
        assert_eq!(wait_secs(&old, &PER_ACCOUNT, NOW), None);
    }

    #[test]
    fn waits_are_reported_in_whole_minutes() {
        assert_eq!(minutes_to_wait(1), 1);
        assert_eq!(minutes_to_wait(60), 1);
        assert_eq!(minutes_to_wait(61), 2);
    }
}
