//! The cash effect of an operation: what each kind, in each status, does to the drawer. The
//! one table (kept equal to `docs/ARCHITECTURE.md`, "The business day").
//!
//! | kind                               | success                     | failed, cancelled, expired | prepared, sent, pending, processing, unknown, needs_review |
//! |------------------------------------|-----------------------------|----------------------------|------------------------------------------------------------|
//! | `bill`                             | cash in (amount + fee)      | none                       | en attente (shown apart, never counted)                    |
//! | `prepaid` (Woyofal)                | cash in (amount + fee)      | none                       | en attente                                                 |
//! | `airtime`                          | cash in (amount + fee)      | none                       | en attente                                                 |
//! | `disbursement` (cash-in to wallet) | cash in (amount + fee)      | none                       | en attente                                                 |
//! | `collection` (cash-out of wallet)  | cash out (amount)           | none                       | en attente                                                 |
//! | `payment_link`                     | none (paid online)          | none                       | none                                                       |
//!
//! Why: the customer hands the receipt's TOTAL (amount + fee) for what the shop sells, and the
//! shop hands the amount for a cash-out; a payment link is paid on the customer's phone and never
//! touches the drawer. An operation whose outcome is not known yet may have moved money or not:
//! counting it either way would make the expected cash wrong, so it is listed apart until it
//! settles. A refunded failure (Woyofal) is `failed`: nothing stays in the drawer.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::catalog::Kind;
use crate::ledger::{Operation, OperationStatus};

/// What an operation does to the cash drawer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CashEffect {
    /// The customer handed cash: it is in the drawer.
    In,
    /// The shop handed cash: it left the drawer.
    Out,
    /// The drawer is not touched.
    None,
    /// « En attente »: the outcome is not known; shown apart, never counted.
    Pending,
}

/// The table above, for one kind and status.
pub fn cash_effect(kind: Kind, status: OperationStatus) -> CashEffect {
    use OperationStatus as S;
    if kind == Kind::PaymentLink {
        return CashEffect::None;
    }
    match status {
        S::Success => match kind {
            Kind::Collection => CashEffect::Out,
            Kind::Bill | Kind::Prepaid | Kind::Airtime | Kind::Disbursement => CashEffect::In,
            Kind::PaymentLink => CashEffect::None,
        },
        S::Failed | S::Cancelled | S::Expired => CashEffect::None,
        S::Prepared | S::Sent | S::Pending | S::Processing | S::Unknown | S::NeedsReview => {
            CashEffect::Pending
        }
    }
}

/// The kind of a stored operation (the ledger keeps the catalog's name; the engine's aliases
/// are read too). `None` for a name Guichet does not know: such an operation is shown apart.
pub fn kind_of(op: &Operation) -> Option<Kind> {
    crate::receipt::kind_of(&op.kind)
}

/// What `op` does to the drawer; an operation of an unknown kind is shown apart.
pub fn effect_of(op: &Operation) -> CashEffect {
    match kind_of(op) {
        Some(kind) => cash_effect(kind, op.status),
        None => CashEffect::Pending,
    }
}

/// The cash `op` moved, signed (in > 0, out < 0), in minor units; 0 when it moved none or is
/// not settled. Checked arithmetic: an overflowing fee counts the amount alone.
pub fn cash_minor(op: &Operation) -> i64 {
    match effect_of(op) {
        CashEffect::In => op
            .amount_minor
            .checked_add(op.fee_minor.unwrap_or(0))
            .unwrap_or(op.amount_minor),
        CashEffect::Out => -op.amount_minor,
        CashEffect::None | CashEffect::Pending => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind × every status has the effect the table says: a new kind or status fails here
    /// until someone decides its effect.
    #[test]
    fn every_kind_and_status_has_its_documented_effect() {
        use OperationStatus as S;
        let mut seen = 0;
        for kind in Kind::ALL {
            for status in OperationStatus::ALL {
                let expected = match (kind, status) {
                    (Kind::PaymentLink, _) => CashEffect::None,
                    (_, S::Failed | S::Cancelled | S::Expired) => CashEffect::None,
                    (
                        _,
                        S::Prepared
                        | S::Sent
                        | S::Pending
                        | S::Processing
                        | S::Unknown
                        | S::NeedsReview,
                    ) => CashEffect::Pending,
                    (Kind::Collection, S::Success) => CashEffect::Out,
                    (
                        Kind::Bill | Kind::Prepaid | Kind::Airtime | Kind::Disbursement,
                        S::Success,
                    ) => CashEffect::In,
                };
                assert_eq!(cash_effect(kind, status), expected, "{kind:?} × {status}");
                seen += 1;
            }
        }
        assert_eq!(seen, Kind::ALL.len() * OperationStatus::ALL.len());
        // The table is the documented one: a row per kind in the module's doc and in the docs.
        let doc = include_str!("../../../../docs/ARCHITECTURE.md");
        for kind in Kind::ALL {
            let name = crate::engine::kind_name(kind);
            assert!(
                doc.contains(&format!("| `{name}`")),
                "docs: no row for {name}"
            );
        }
    }

    #[test]
    fn cash_in_counts_the_fee_and_cash_out_the_amount() {
        let mut op =
            crate::day::report::tests_support::op("airtime", OperationStatus::Success, 1000);
        op.fee_minor = Some(50);
        assert_eq!(cash_minor(&op), 1050);
        op.kind = "collection".into();
        assert_eq!(cash_minor(&op), -1000);
        op.kind = "payment_link".into();
        assert_eq!(cash_minor(&op), 0);
        op.kind = "something_new".into();
        assert_eq!(effect_of(&op), CashEffect::Pending);
        assert_eq!(cash_minor(&op), 0);
        op.kind = "bill".into();
        op.status = OperationStatus::Unknown;
        assert_eq!(cash_minor(&op), 0);
    }
}
