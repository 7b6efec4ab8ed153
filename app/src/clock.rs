//! Time as the server sees it, replaceable in tests so expiry rules can be
//! checked without waiting.
//!
//! Layer: platform.

use std::sync::{
    atomic::{AtomicI64, Ordering},
    Arc,
};

/// Where the console reads the time (Unix seconds), so tests can move it.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// Seconds since the Unix epoch.
    fn now(&self) -> i64;

    /// Waits `seconds` (a deliberate delay, such as slowing down guessing).
    fn pause(&self, seconds: i64) -> futures_util::future::BoxFuture<'static, ()> {
        let wait = std::time::Duration::from_secs(seconds.max(0) as u64);
        Box::pin(tokio::time::sleep(wait))
    }
}

/// The machine's clock.
#[derive(Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|elapsed| elapsed.as_secs() as i64)
            .unwrap_or_default()
    }
}

/// A clock that stands still until a test moves it.
#[derive(Debug, Clone, Default)]
pub struct ManualClock(Arc<AtomicI64>);

impl ManualClock {
    /// A clock standing at `seconds`.
    pub fn at(seconds: i64) -> Self {
        ManualClock(Arc::new(AtomicI64::new(seconds)))
    }

    /// Moves the clock on by `seconds`.
    pub fn advance(&self, seconds: i64) {
        self.0.fetch_add(seconds, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }

    /// Moves the clock on instead of waiting, so tests stay quick.
    fn pause(&self, seconds: i64) -> futures_util::future::BoxFuture<'static, ()> {
        self.advance(seconds.max(0));
        Box::pin(std::future::ready(()))
    }
}
