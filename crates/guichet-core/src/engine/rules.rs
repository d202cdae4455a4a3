//! How each provider lets us settle an ambiguous outcome, and how patiently the reconciler asks.
//!
//! The one place where the engine's reading of `docs/providers.md` is written down. Every
//! **[gap]** choice of the engine is here, with its reason; change it here, nowhere else.

use std::time::Duration;

use serde::Serialize;

use crate::catalog::Provider;

/// What a provider's API allows when the engine does not know what became of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ProviderRules {
    /// The provider answers a status query by OUR idempotency key alone (no provider id
    /// needed).
    pub status_by_key: bool,
    /// Sending the same intent again with the same key can never make a second transaction:
    /// the provider refuses or replays a key it already has.
    pub safe_resend: bool,
    /// Any question about a key (a resend, a status by key) is answered with the key's first
    /// answer (a replay): a refusal then proves the first send was refused too.
    pub resend_replays: bool,
}

impl ProviderRules {
    /// The rules for a provider.
    pub const fn of(provider: Provider) -> ProviderRules {
        match provider {
            // DEXCHANGE: status only by its own transactionId; no lookup by
            // externalTransactionId [gap, providers.md §1]. A reused externalTransactionId is
            // refused with 409 [doc], so a resend cannot pay twice; but the order of its checks
            // is not documented [gap]: a resend refused for another reason (balance, limits)
            // says nothing sure about the first send, so it is not a replay. Nothing says the
            // first request is not still being processed: a resend is blind and waits
            // `ReconcilePolicy::blind_resend_after` after the last send.
            Provider::Dexchange => ProviderRules {
                status_by_key: false,
                safe_resend: true,
                resend_replays: false,
            },
            // EASYTRANSFERT: status only by its transaction_id (EFB.…); no lookup by
            // custom_data and NO idempotency documented [gap, providers.md §2]: a resend could
            // pay twice, so the engine never resends.
            Provider::Easytransfert => ProviderRules {
                status_by_key: false,
                safe_resend: false,
                resend_replays: false,
            },
            // Gateway: `status` takes our order_id, and order_id is idempotent [doc, seed 004]:
            // a resend is answered with the first answer.
            Provider::Unipesa => ProviderRules {
                status_by_key: true,
                safe_resend: true,
                resend_replays: true,
            },
        }
    }
}

/// How the reconciler paces itself and when it gives up on settling an operation by itself.
#[derive(Debug, Clone, PartialEq)]
pub struct ReconcilePolicy {
    /// First wait before asking about an operation seen for the first time (or whose status
    /// just changed).
    pub first_delay: Duration,
    /// Longest wait between two questions about one operation.
    pub max_delay: Duration,
    /// Growth of the wait after each question that did not settle the operation.
    pub factor: f32,
    /// Failed resolution attempts (the provider reached, no usable answer) after which an
    /// `unknown` operation goes to `needs_review`. Attempts that never reached the provider
    /// (offline, rate limited) do not count. Counted in the operation's details, so it survives
    /// a restart.
    pub max_failed_attempts: u32,
    /// An `unknown` operation not settled this long after it was created goes to
    /// `needs_review`; past it, the engine never resends the intent. [gap: our choice, one hour:
    /// a resend long after the customer left the counter would surprise everyone.]
    pub resolve_window: Duration,
    /// A `pending`/`processing` operation older than this goes to `needs_review` (it is still
    /// polled, slowly, for a final answer).
    pub pending_review_after: Duration,
    /// How often an operation in `needs_review` that can be asked about by status is asked
    /// again (never resent).
    pub review_poll_interval: Duration,
    /// A `prepared` or `sent` operation that no engine of this process is working on is taken
    /// for a leftover of a crash once it is this old (on start-up, at once).
    pub orphan_after: Duration,
    /// The reconciler looks at the ledger at least this often, for operations written by
    /// another process.
    pub scan_interval: Duration,
    /// A *blind* resend — one no status answer called for, because the provider cannot be asked
    /// by our key (DEXCHANGE) — waits this long after the intent last left the till, so that it
    /// never races a request the provider may still be processing. [gap: our choice, 2 min: four
    /// times the till's 30 s provider timeout; by then a request that timed out has been
    /// processed or dropped, and DEXCHANGE's 409 answers for it; `guichetctl` takes four times its
    /// own timeout.] The gateway resends only after
    /// its status by our key said "not found", at once; EASYTRANSFERT never resends.
    pub blind_resend_after: Duration,
}

impl Default for ReconcilePolicy {
    fn default() -> Self {
        ReconcilePolicy {
            first_delay: Duration::from_secs(2),
            max_delay: Duration::from_secs(300),
            factor: 2.0,
            max_failed_attempts: 8,
            resolve_window: Duration::from_secs(3600),
            pending_review_after: Duration::from_secs(24 * 3600),
            review_poll_interval: Duration::from_secs(900),
            orphan_after: Duration::from_secs(120),
            scan_interval: Duration::from_secs(30),
            blind_resend_after: Duration::from_secs(120),
        }
    }
}

impl ReconcilePolicy {
    /// Short waits for tests and the sandbox: milliseconds instead of seconds.
    pub fn fast() -> Self {
        ReconcilePolicy {
            first_delay: Duration::from_millis(20),
            max_delay: Duration::from_millis(200),
            factor: 2.0,
            max_failed_attempts: 4,
            resolve_window: Duration::from_secs(600),
            pending_review_after: Duration::from_secs(600),
            review_poll_interval: Duration::from_millis(500),
            orphan_after: Duration::from_secs(60),
            scan_interval: Duration::from_millis(200),
            // Tests script their timeouts: a resend may follow at once.
            blind_resend_after: Duration::ZERO,
        }
    }

    /// A fresh backoff schedule for one operation.
    pub(crate) fn backoff(&self) -> backon::ExponentialBackoff {
        use backon::BackoffBuilder;
        backon::ExponentialBuilder::default()
            .with_min_delay(self.first_delay)
            .with_max_delay(self.max_delay)
            .with_factor(self.factor)
            .with_jitter()
            .without_max_times()
            .build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn easytransfert_is_never_resent_and_dexchange_is_not_a_replay() {
        assert!(!ProviderRules::of(Provider::Easytransfert).safe_resend);
        assert!(ProviderRules::of(Provider::Dexchange).safe_resend);
        assert!(!ProviderRules::of(Provider::Dexchange).resend_replays);
        assert!(ProviderRules::of(Provider::Unipesa).status_by_key);
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let p = ReconcilePolicy::fast();
        let delays: Vec<Duration> = p.backoff().take(10).collect();
        assert_eq!(delays.len(), 10);
        // Jitter adds at most the delay itself.
        assert!(delays[0] >= p.first_delay && delays[0] <= p.first_delay * 2);
        assert!(delays.iter().all(|d| *d <= p.max_delay * 2));
        assert!(delays[9] >= p.max_delay);
    }
}
