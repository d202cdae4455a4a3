//! The life of an operation: its statuses and the only moves allowed between them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::text::Localized;

/// Where an operation stands. Stored as its snake_case name (the `status` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OperationStatus {
    /// The intent is written (idempotency key fixed); nothing has left the till yet.
    Prepared,
    /// Committed just before calling the provider: the request may have left.
    Sent,
    /// The provider accepted it and has not finished (PENDING, PENDING1, gateway 0 "initiated").
    Pending,
    /// The provider says it is in progress (PROCESSING, gateway 1 "in progress").
    Processing,
    /// Final: the money moved.
    Success,
    /// Final: the provider refused or failed it; no money moved (or it was refunded).
    Failed,
    /// Final: cancelled before completion (by us before sending, or by the provider).
    Cancelled,
    /// Final: a payment link that was never paid.
    Expired,
    /// Ambiguous outcome (timeout, dropped connection, crash after sending): the money may have
    /// moved. Never shown as a failure; the reconciler asks the provider.
    Unknown,
    /// The automation could not settle it: a manager must look at the evidence. Not final.
    NeedsReview,
}

use OperationStatus::*;

impl OperationStatus {
    /// Every status, in the order of the life of an operation.
    pub const ALL: [OperationStatus; 10] = [
        Prepared,
        Sent,
        Pending,
        Processing,
        Success,
        Failed,
        Cancelled,
        Expired,
        Unknown,
        NeedsReview,
    ];

    /// The name stored in the database and sent to the UI (`needs_review`).
    pub fn as_str(self) -> &'static str {
        match self {
            Prepared => "prepared",
            Sent => "sent",
            Pending => "pending",
            Processing => "processing",
            Success => "success",
            Failed => "failed",
            Cancelled => "cancelled",
            Expired => "expired",
            Unknown => "unknown",
            NeedsReview => "needs_review",
        }
    }

    /// A short name for people (history screen, receipts, messages).
    pub fn label(self) -> Localized {
        let (fr, en) = match self {
            Prepared => ("préparée", "prepared"),
            Sent => ("envoyée", "sent"),
            Pending => ("en attente", "pending"),
            Processing => ("en cours", "processing"),
            Success => ("réussie", "successful"),
            Failed => ("échouée", "failed"),
            Cancelled => ("annulée", "cancelled"),
            Expired => ("expirée", "expired"),
            Unknown => ("résultat inconnu", "outcome unknown"),
            NeedsReview => ("à vérifier", "needs review"),
        };
        Localized::new(fr, en)
    }

    /// Parses a stored name; anything else is `None`.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// True for the four outcomes that never change again: success, failed, cancelled, expired.
    ///
    /// `needs_review` is *not* final: a manager (or the reconciler, if the provider finally
    /// answers) still has to settle it.
    pub fn is_final(self) -> bool {
        matches!(self, Success | Failed | Cancelled | Expired)
    }

    /// The statuses this one may move to. The only table of allowed moves; the ledger refuses
    /// everything else.
    ///
    /// | from           | to |
    /// |----------------|----|
    /// | `prepared`     | `sent`, `cancelled` |
    /// | `sent`         | `pending`, `processing`, `success`, `failed`, `cancelled`, `unknown`, `needs_review` |
    /// | `pending`      | `processing`, `success`, `failed`, `cancelled`, `expired`, `needs_review` |
    /// | `processing`   | `success`, `failed`, `cancelled`, `expired`, `needs_review` |
    /// | `unknown`      | `pending`, `processing`, `success`, `failed`, `cancelled`, `expired`, `needs_review` |
    /// | `needs_review` | `success`, `failed`, `cancelled`, `expired` |
    /// | finals         | nothing |
    ///
    /// Why:
    /// - `prepared` has not left the till: it is either sent or abandoned (`cancelled`). It can
    ///   never fail or succeed, nor be "unknown", since nothing was sent.
    /// - `sent` takes whatever the provider's first answer says, `unknown` when the answer never
    ///   came (timeout, dropped connection, crash), or `needs_review` for an answer that makes
    ///   no sense.
    /// - `pending` → `processing` is forward; a provider that reports "pending" again after
    ///   "processing" is recorded as an event without a status change, never a move back.
    ///   `expired` is for payment links (also reachable from `processing`, `unknown` and
    ///   `needs_review` in case a provider reports it from there).
    /// - A status poll that fails leaves the status alone: `pending`/`processing` never go back
    ///   to `unknown` (we already know the provider has the operation). Contradictions (e.g. "not
    ///   found" for a reference it gave us) go to `needs_review`.
    /// - `unknown` goes to whatever the provider finally says, or `needs_review`.
    /// - `needs_review` only leaves for a final outcome: a manager's decision, or the provider's
    ///   answer when it finally comes.
    /// - Finals never move. Anything learnt after (a late callback, a refund notice) is recorded
    ///   as an event without a status change.
    ///
    /// No status moves to itself (record a non-status event instead), and the graph has no
    /// cycle, so every operation reaches a final status in at most six moves.
    pub fn allowed_next(self) -> &'static [OperationStatus] {
        match self {
            Prepared => &[Sent, Cancelled],
            Sent => &[
                Pending,
                Processing,
                Success,
                Failed,
                Cancelled,
                Unknown,
                NeedsReview,
            ],
            Pending => &[Processing, Success, Failed, Cancelled, Expired, NeedsReview],
            Processing => &[Success, Failed, Cancelled, Expired, NeedsReview],
            Unknown => &[
                Pending,
                Processing,
                Success,
                Failed,
                Cancelled,
                Expired,
                NeedsReview,
            ],
            NeedsReview => &[Success, Failed, Cancelled, Expired],
            Success | Failed | Cancelled | Expired => &[],
        }
    }

    /// Whether moving from `self` to `next` is allowed (see [`OperationStatus::allowed_next`]).
    pub fn can_move_to(self, next: OperationStatus) -> bool {
        self.allowed_next().contains(&next)
    }
}

impl std::fmt::Display for OperationStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_match_serde() {
        for s in OperationStatus::ALL {
            assert_eq!(OperationStatus::parse(s.as_str()), Some(s));
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(json, format!("\"{}\"", s.as_str()));
        }
        assert_eq!(OperationStatus::parse("SUCCESS"), None);
    }

    #[test]
    fn finals_have_no_exit_and_non_finals_have_one() {
        for s in OperationStatus::ALL {
            assert_eq!(s.is_final(), s.allowed_next().is_empty(), "{s}");
        }
        assert!(!NeedsReview.is_final());
        assert!(!Unknown.is_final());
    }

    #[test]
    fn no_self_moves_and_no_cycles() {
        // Longest path from each status, by depth-first search; a cycle would recurse forever,
        // so bound the depth by the number of statuses.
        fn longest(s: OperationStatus, depth: usize) -> usize {
            assert!(depth <= OperationStatus::ALL.len(), "cycle through {s}");
            s.allowed_next()
                .iter()
                .map(|n| 1 + longest(*n, depth + 1))
                .max()
                .unwrap_or(0)
        }
        for s in OperationStatus::ALL {
            assert!(!s.can_move_to(s), "{s} moves to itself");
        }
        // prepared→sent→unknown→pending→processing→needs_review→success
        assert_eq!(longest(Prepared, 0), 6);
    }

    #[test]
    fn key_rules() {
        assert!(Prepared.can_move_to(Sent));
        assert!(Prepared.can_move_to(Cancelled));
        assert!(!Prepared.can_move_to(Success));
        assert!(!Prepared.can_move_to(Unknown));
        assert!(Sent.can_move_to(Unknown));
        assert!(!Pending.can_move_to(Unknown));
        assert!(!Processing.can_move_to(Pending));
        assert!(Unknown.can_move_to(Success));
        assert!(Unknown.can_move_to(NeedsReview));
        assert!(NeedsReview.can_move_to(Success));
        assert!(!NeedsReview.can_move_to(Pending));
        for f in [Success, Failed, Cancelled, Expired] {
            for s in OperationStatus::ALL {
                assert!(!f.can_move_to(s));
            }
        }
    }
}
