//! Whether each provider answers, as the till last saw it: written by the HTTP transport after
//! every call (`http::Http::send`) and read by the desk for the header.
//!
//! - A call that got an HTTP answer, whatever its status (even 5xx or 401): **reachable**.
//! - A connection that could not be established, or no answer within the timeout (the
//!   transport's, or the idle probe's own): **unreachable**.
//! - A request that was never formed (client or header error) says nothing about the provider
//!   and is not recorded.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::{DateTime, Utc};

use crate::catalog::Provider;

/// The last outcome seen for one provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    /// Whether that call got an answer.
    pub reachable: bool,
    /// When (wall clock, for people).
    pub at: DateTime<Utc>,
    /// When (monotonic, for the probe's "no call lately").
    pub instant: Instant,
}

/// Shared by every connector of one set of providers (cheap to clone).
#[derive(Debug, Clone, Default)]
pub struct Reachability {
    seen: Arc<Mutex<HashMap<Provider, Seen>>>,
}

impl Reachability {
    /// Nothing seen yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records the outcome of a call to `provider`, now.
    pub fn record(&self, provider: Provider, reachable: bool) {
        let seen = Seen {
            reachable,
            at: Utc::now(),
            instant: Instant::now(),
        };
        let before = self
            .seen
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(provider, seen);
        if before.map(|b| b.reachable) != Some(reachable) {
            tracing::info!(
                provider = provider.slug(),
                reachable,
                "provider reachability changed"
            );
        }
    }

    /// The last outcome seen for `provider`, if any.
    pub fn get(&self, provider: Provider) -> Option<Seen> {
        self.seen
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&provider)
            .copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latest_outcome_wins_per_provider() {
        let r = Reachability::new();
        assert_eq!(r.get(Provider::Dexchange), None);
        r.record(Provider::Dexchange, false);
        let clone = r.clone();
        clone.record(Provider::Dexchange, true);
        assert!(r.get(Provider::Dexchange).unwrap().reachable);
        assert_eq!(r.get(Provider::Unipesa), None);
    }
}
