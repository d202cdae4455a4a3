//! Turning a provider's answer, or a failed call, into a ledger event: the engine's one mapping.

use serde_json::{json, Value};

use super::{detail_keys as k, Engine, EngineError};
use crate::catalog::Kind;
use crate::connector::redact::redact;
use crate::connector::{clamp_delay, Answer, ConnectorError};
use crate::ledger::{EventInput, EventSource, Operation, OperationStatus};

/// What the FIRST send's failure means for the money (the table in the module documentation
/// of [`super`]). Resends and status questions have their own rules in `resolve.rs`.
pub(crate) fn first_send_outcome(err: &ConnectorError) -> OperationStatus {
    match err {
        // Provably never left, or turned away before processing: nothing moved.
        ConnectorError::NotSent { .. }
        | ConnectorError::Unavailable { .. }
        | ConnectorError::Unsupported { .. } => OperationStatus::Cancelled,
        // Refused by the provider: nothing moved.
        ConnectorError::Refused { .. } | ConnectorError::Unauthorized { .. } => {
            OperationStatus::Failed
        }
        // May have moved: never a failure.
        ConnectorError::Ambiguous { .. }
        | ConnectorError::Duplicate { .. }
        | ConnectorError::NotFound { .. } => OperationStatus::Unknown,
    }
}

/// The raw answer a connector error carries, redacted again (cheap, and secrets must never
/// reach the ledger even from a careless connector).
pub(crate) fn error_raw(err: &ConnectorError) -> Option<Value> {
    match err {
        ConnectorError::Ambiguous { raw, .. }
        | ConnectorError::Refused { raw, .. }
        | ConnectorError::Duplicate { raw }
        | ConnectorError::Unauthorized { raw }
        | ConnectorError::NotFound { raw } => (!raw.is_null()).then(|| redact(raw)),
        ConnectorError::NotSent { .. }
        | ConnectorError::Unavailable { .. }
        | ConnectorError::Unsupported { .. } => None,
    }
}

/// An event describing a failed provider call: code, the cashier's message, the provider's
/// words and raw answer.
pub(crate) fn error_event(source: EventSource, err: &ConnectorError) -> EventInput {
    let message = err.message();
    let mut input = EventInput::new(source).note(err.to_string()).detail(
        k::ERROR,
        json!({"code": err.code(), "fr": message.fr, "en": message.en}),
    );
    if let Some(raw) = error_raw(err) {
        input = input.raw(raw);
    }
    match err {
        ConnectorError::Ambiguous {
            provider_ref: Some(r),
            ..
        } => {
            // The answer was unusable but named the provider's transaction: kept, so that the
            // operation is asked about by this id from now on.
            input = input.provider_ref(r.as_ref());
        }
        ConnectorError::Refused {
            native_code,
            message,
            ..
        } => {
            input = input
                .detail(k::PROVIDER_MESSAGE, json!(message))
                .detail("native_code", json!(native_code));
        }
        ConnectorError::Unavailable {
            retry_after: Some(d),
            ..
        } => {
            let ms = clamp_delay(*d).as_millis();
            input = input.detail(
                "retry_after_ms",
                json!(u64::try_from(ms).unwrap_or(u64::MAX)),
            );
        }
        _ => {}
    }
    input
}

impl Engine {
    /// Records the first send's failure with the status it implies.
    pub(crate) async fn apply_first_send_error(
        &self,
        op: &Operation,
        err: ConnectorError,
    ) -> Result<Operation, EngineError> {
        let next = first_send_outcome(&err);
        self.write(op, Some(next), error_event(EventSource::Engine, &err))
            .await
    }

    /// Records a provider's answer: its status where the table of moves allows it, and every
    /// fact it brings (provider id, fee, token, customer URL, OTP wait, message, details, raw).
    ///
    /// With `only_if_new`, an answer that changes nothing (the same status word again) writes
    /// nothing: polling does not flood the ledger.
    ///
    /// A status the table does not allow from the current one (a "pending" after
    /// "processing") is recorded as an event without a move: never backward. A provider id or
    /// token different from the one held is a contradiction: `needs_review`.
    pub(crate) async fn apply_answer(
        &self,
        op: &Operation,
        answer: Answer,
        source: EventSource,
        note: &str,
        only_if_new: bool,
    ) -> Result<Operation, EngineError> {
        let mut target = match answer.status {
            // Connectors never return these (see `Answer::status`); if one does, the engine
            // does not trust it to mean anything settled.
            OperationStatus::Prepared | OperationStatus::Sent => OperationStatus::Unknown,
            s => s,
        };
        let mut notes = vec![note.to_owned()];
        let mut input = EventInput::new(source)
            .raw(redact(&answer.raw))
            .detail(k::NATIVE_STATUS, json!(answer.native_status));
        let mut conflict = false;
        match (&op.provider_ref, &answer.provider_ref) {
            (Some(held), Some(new)) if held != new => {
                conflict = true;
                input = input.detail(k::CONFLICTING_PROVIDER_REF, json!(new));
                notes.push(format!(
                    "provider id {new:?} differs from the one held {held:?}"
                ));
            }
            (_, Some(new)) => input = input.provider_ref(new.clone()),
            _ => {}
        }
        match (&op.token, &answer.token) {
            (Some(held), Some(new)) if held != new => {
                conflict = true;
                input = input.detail(k::CONFLICTING_TOKEN, json!(new));
                notes.push("a second, different token".to_owned());
            }
            (_, Some(new)) => input = input.token(new.clone()),
            _ => {}
        }
        if let Some(fee) = answer.fee_minor {
            if fee >= 0 {
                input = input.fee_minor(fee);
            } else {
                // DEXCHANGE reports airtime's commission as a negative fee: not a fee we pay.
                input = input.detail(k::PROVIDER_FEE_MINOR, json!(fee));
            }
        }
        if let Some(url) = &answer.customer_url {
            input = input.detail(k::CUSTOMER_URL, json!(url));
        }
        if answer.awaits_otp || op.details.get(k::AWAITS_OTP).is_some() {
            input = input.detail(k::AWAITS_OTP, json!(answer.awaits_otp));
        }
        if let Some(m) = &answer.message {
            input = input.detail(k::PROVIDER_MESSAGE, json!(m));
        }
        for (key, value) in &answer.details {
            input = input.detail(key.clone(), value.clone());
        }

        let token = answer.token.as_ref().or(op.token.as_ref());
        let prepaid = op.kind == super::kind_name(Kind::Prepaid);
        if prepaid && target == OperationStatus::Success && token.is_none() {
            // [gap, our choice] A Woyofal top-up is done for the cashier only with its token: a
            // success without one stays `processing` (polled) until the token comes, or goes
            // to `needs_review` after `pending_review_after`.
            target = OperationStatus::Processing;
            notes.push("success reported without the token: waiting for the token".to_owned());
        }
        if prepaid
            && target == OperationStatus::Failed
            && !matches!(op.status, OperationStatus::Sent)
            && !answer.details.keys().any(|key| key.starts_with("refund"))
        {
            // A top-up that failed after it was accepted is refunded, amount + fee [doc, seed 001].
            let fee = answer.fee_minor.or(op.fee_minor).unwrap_or(0).max(0);
            input = input.detail(k::REFUND, refund(op.amount_minor, fee));
        }
        if conflict {
            target = OperationStatus::NeedsReview;
            input = input.detail(k::REVIEW_REASON, json!("conflicting_values"));
            // Keep the held values: the ledger refuses a second, different one.
            input.provider_ref = None;
            input.token = None;
        }

        let moves = target != op.status && op.status.can_move_to(target);
        if !moves && only_if_new && !brings_news(op, &input) {
            tracing::debug!(id = %op.id, native_status = answer.native_status, "engine: nothing new");
            return Ok(op.clone());
        }
        if target != op.status && !moves {
            notes.push(format!(
                "provider says {target}; status kept at {} (moves only forward)",
                op.status
            ));
        }
        let input = input.note(notes.join("; "));
        self.write(op, moves.then_some(target), input).await
    }
}

/// The documented refund of a failed top-up, amount + fee, in checked arithmetic: a fee so
/// large that the sum does not fit is not a panic but evidence (`amount_minor` null, both
/// parts and the reason kept) for a manager.
fn refund(amount_minor: i64, fee_minor: i64) -> Value {
    let basis = "documented: a PROCESSING top-up that fails is refunded (amount + fee)";
    match amount_minor.checked_add(fee_minor) {
        Some(total) => json!({"amount_minor": total, "basis": basis}),
        None => {
            tracing::warn!(
                amount_minor,
                fee_minor,
                "engine: refund amount + fee out of range; kept as evidence"
            );
            json!({
                "amount_minor": null,
                "operation_amount_minor": amount_minor,
                "fee_minor": fee_minor,
                "error": "amount + fee out of range",
                "basis": basis,
            })
        }
    }
}

/// Whether an event would tell the ledger anything it does not hold yet.
fn brings_news(op: &Operation, input: &EventInput) -> bool {
    let new_ref = input.provider_ref.is_some() && op.provider_ref.is_none();
    let new_token = input.token.is_some() && op.token.is_none();
    let new_fee = input.fee_minor.is_some() && input.fee_minor != op.fee_minor;
    let new_detail = input
        .details
        .as_ref()
        .is_some_and(|d| d.iter().any(|(key, v)| op.details.get(key) != Some(v)));
    new_ref || new_token || new_fee || new_detail
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_that_may_have_moved_is_a_failure() {
        let raw = Value::Null;
        let cases = [
            (
                ConnectorError::NotSent { detail: "x".into() },
                OperationStatus::Cancelled,
            ),
            (
                ConnectorError::Unavailable {
                    detail: "x".into(),
                    retry_after: None,
                },
                OperationStatus::Cancelled,
            ),
            (
                ConnectorError::Refused {
                    native_code: "400".into(),
                    message: "no".into(),
                    raw: raw.clone(),
                },
                OperationStatus::Failed,
            ),
            (
                ConnectorError::Unauthorized { raw: raw.clone() },
                OperationStatus::Failed,
            ),
            (
                ConnectorError::ambiguous("timeout", raw.clone()),
                OperationStatus::Unknown,
            ),
            (
                ConnectorError::Duplicate { raw: raw.clone() },
                OperationStatus::Unknown,
            ),
            (
                ConnectorError::NotFound { raw: raw.clone() },
                OperationStatus::Unknown,
            ),
        ];
        for (err, want) in cases {
            assert_eq!(first_send_outcome(&err), want, "{err}");
        }
    }

    #[test]
    fn a_refund_that_overflows_is_evidence_not_a_panic() {
        assert_eq!(refund(5000, 50)["amount_minor"], 5050);
        let r = refund(5000, i64::MAX);
        assert!(r["amount_minor"].is_null());
        assert_eq!(r["fee_minor"], i64::MAX);
        assert_eq!(r["operation_amount_minor"], 5000);
        assert_eq!(r["error"], "amount + fee out of range");
    }

    #[test]
    fn an_ambiguous_answer_naming_a_transaction_keeps_its_id() {
        let err = ConnectorError::ambiguous_about(
            "unknown DEXCHANGE status \"ON_HOLD\"",
            json!({"transaction": {"transactionId": "TID5", "Status": "ON_HOLD"}}),
            Some("TID5".into()),
        );
        let ev = error_event(EventSource::Engine, &err);
        assert_eq!(ev.provider_ref.as_deref(), Some("TID5"));
        assert_eq!(ev.raw.unwrap()["transaction"]["Status"], "ON_HOLD");
        assert_eq!(first_send_outcome(&err), OperationStatus::Unknown);
    }

    #[test]
    fn a_huge_retry_after_is_recorded_clamped() {
        let err = ConnectorError::Unavailable {
            detail: "429".into(),
            retry_after: Some(std::time::Duration::from_secs(u64::MAX)),
        };
        let ev = error_event(EventSource::Engine, &err);
        assert_eq!(ev.details.unwrap()["retry_after_ms"], 3_600_000);
    }

    #[test]
    fn error_events_are_redacted() {
        let err = ConnectorError::Refused {
            native_code: "400".into(),
            message: "Insufficient balance".into(),
            raw: json!({"api_key": "k-1", "error": "Insufficient balance"}),
        };
        let ev = error_event(EventSource::Engine, &err);
        let raw = ev.raw.unwrap().to_string();
        assert!(!raw.contains("k-1"), "{raw}");
        assert_eq!(
            ev.details.unwrap()[k::PROVIDER_MESSAGE],
            json!("Insufficient balance")
        );
    }
}
