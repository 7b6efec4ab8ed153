//! How many policy streams one service token may hold open at once. A
//! service needs one or two per process; a token whose holder opens them
//! in a loop (a reconnect bug, or a leaked token) would otherwise take the
//! console's connections and memory from everyone else.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The open streams of each token, by the token's digest.
#[derive(Debug)]
pub struct OpenStreams {
    per_token: usize,
    open: Mutex<HashMap<String, usize>>,
}

/// One open stream, counted until dropped.
#[derive(Debug)]
pub struct StreamPlace {
    streams: Arc<OpenStreams>,
    digest: String,
}

impl OpenStreams {
    pub fn new(per_token: usize) -> Arc<Self> {
        Arc::new(OpenStreams {
            per_token,
            open: Mutex::new(HashMap::new()),
        })
    }

    /// The most streams a token may hold.
    pub fn per_token(&self) -> usize {
        self.per_token
    }

    /// A place for one more stream of the token with `digest`; `None`
    /// when it holds as many as it may.
    pub fn take(self: &Arc<Self>, digest: &str) -> Option<StreamPlace> {
        let mut open = self.lock();
        let count = open.entry(digest.to_string()).or_default();
        if *count >= self.per_token {
            return None;
        }
        *count += 1;
        Some(StreamPlace {
            streams: self.clone(),
            digest: digest.to_string(),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, usize>> {
        match self.open.lock() {
            Ok(open) => open,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}

impl Drop for StreamPlace {
    fn drop(&mut self) {
        let mut open = self.streams.lock();
        if let Some(count) = open.get_mut(&self.digest) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.digest);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_holds_at_most_its_share_and_a_closed_stream_frees_its_place() {
        let streams = OpenStreams::new(2);
        let first = streams.take("a").unwrap();
        let _second = streams.take("a").unwrap();
        assert!(streams.take("a").is_none());
        assert!(streams.take("b").is_some(), "other tokens are not affected");
        drop(first);
        assert!(streams.take("a").is_some());
    }
}
