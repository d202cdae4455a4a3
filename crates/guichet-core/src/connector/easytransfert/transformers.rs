//! EASYTRANSFERT's own request and answer structs, the ONE status mapping ([`map_state`]) and the
//! ONE error mapping ([`map_error`]), from providers.md §2 and seed 003.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::connector::errors;
pub(crate) use crate::connector::http::CallKind;
use crate::connector::http::{de, minor_amount, text, Reply};
use crate::connector::redact::redact;
use crate::connector::{Answer, Balance, ConnectorError};
use crate::ledger::OperationStatus;

// ─── Requests ────────────────────────────────────────────────────────────────────────────────

/// `POST {base}/airtime`: cash-in and cash-out by `service_id`. The key travels in the body.
#[derive(Debug, Serialize)]
pub(crate) struct AirtimeRequest<'a> {
    /// Whole FCFA, a multiple of 100, 500..500,000.
    pub amount: i64,
    /// The partner key (never logged: bodies are not logged).
    pub api_key: &'a str,
    /// The local number, without country code (`0103444777`).
    pub destination: &'a str,
    /// The service, as an integer.
    pub service_id: i64,
    /// Where EASYTRANSFERT posts the final state (documented as required).
    pub ipn_url: &'a str,
    /// Our idempotency key, echoed back (EASYTRANSFERT does not deduplicate on it).
    pub custom_data: &'a str,
    /// Orange Money cash-out OTP (services 23, 27, 29).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub om_otp: Option<&'a str>,
}

/// `POST {base}/status`.
#[derive(Debug, Serialize)]
pub(crate) struct StatusRequest<'a> {
    /// The partner key.
    pub api_key: &'a str,
    /// EASYTRANSFERT's id (`EFB.…`).
    pub transaction_id: &'a str,
}

// ─── Answers ─────────────────────────────────────────────────────────────────────────────────

/// The `data` object of airtime and status answers.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct DataWire {
    #[serde(default, deserialize_with = "de::opt_text")]
    transaction_id: Option<String>,
    #[serde(default)]
    fee: Option<Value>,
    #[serde(default)]
    commission: Option<Value>,
    #[serde(default)]
    service_id: Option<Value>,
    #[serde(default, deserialize_with = "de::opt_text")]
    state: Option<String>,
    #[serde(default, deserialize_with = "de::opt_text")]
    custom_data: Option<String>,
    #[serde(default, deserialize_with = "de::opt_text")]
    message: Option<String>,
    #[serde(default, deserialize_with = "de::opt_text")]
    error: Option<String>,
    #[serde(default, deserialize_with = "de::opt_text")]
    created_at: Option<String>,
    #[serde(default, deserialize_with = "de::opt_text")]
    updated_at: Option<String>,
}

/// The wallet answer `{data:{wallet_amount, currency, last_updated}}`.
#[derive(Debug, Default, Deserialize)]
struct WalletWire {
    #[serde(default)]
    wallet_amount: Option<Value>,
    #[serde(default, deserialize_with = "de::opt_text")]
    currency: Option<String>,
}

// ─── The one status mapping ──────────────────────────────────────────────────────────────────

/// EASYTRANSFERT's state → ours. Both spellings of success occur (`SUCCESS`, `SUCCESSFUL`).
/// `None` for a state we do not know: reported as [`ConnectorError::Ambiguous`].
pub(crate) fn map_state(state: &str) -> Option<OperationStatus> {
    Some(match state.trim().to_ascii_uppercase().as_str() {
        "PENDING1" | "PENDING" => OperationStatus::Pending,
        "SUCCESS" | "SUCCESSFUL" => OperationStatus::Success,
        "FAILED" => OperationStatus::Failed,
        "CANCELLED" | "CANCELED" => OperationStatus::Cancelled,
        _ => return None,
    })
}

// ─── The one error mapping ───────────────────────────────────────────────────────────────────

/// The business error of an answer: a non-empty top-level `error` (HTTP 200 `{error}` included).
fn business_error(body: &Value) -> Option<String> {
    body.get("error")
        .and_then(text)
        .filter(|s| !s.trim().is_empty())
}

/// Any answer that is not a usable `{data}` → ours. EASYTRANSFERT's own cases:
/// - HTTP 2xx with `{error}` (business errors: unknown service, amount, destination, missing
///   `om_otp`, wallet too low) → Refused; on a status lookup, `statut_code` 404 or "not found"
///   → NotFound;
/// - 401 → Unauthorized; 403 → Unauthorized (a blocked key: the docs warn that over-polling gets
///   the key blocked, and only a manager can sort that out); 404 on a lookup → NotFound;
///
/// the rest is the shared [`errors::fallback`] (429 → Unavailable, other 4xx → Refused, 5xx and
/// anything else → Ambiguous).
pub(crate) fn map_error(kind: CallKind, reply: &Reply) -> ConnectorError {
    let message = business_error(&reply.body).or_else(|| {
        reply
            .body
            .get("message")
            .and_then(text)
            .filter(|s| !s.trim().is_empty())
    });
    match reply.status {
        200..=299 => {
            let statut = reply.body.get("statut_code").and_then(text);
            let message = message.unwrap_or_else(|| "refused without a reason".into());
            let not_found = statut.as_deref() == Some("404")
                || message.to_ascii_lowercase().contains("not found");
            if kind == CallKind::Lookup && not_found {
                ConnectorError::NotFound { raw: reply.raw() }
            } else {
                ConnectorError::Refused {
                    native_code: statut.unwrap_or_else(|| reply.status.to_string()),
                    message,
                    raw: reply.raw(),
                }
            }
        }
        401 | 403 => ConnectorError::Unauthorized { raw: reply.raw() },
        404 if kind == CallKind::Lookup => ConnectorError::NotFound { raw: reply.raw() },
        _ => errors::fallback(reply, message),
    }
}

/// The `data` object of a usable answer, or the mapped error.
fn data_of(kind: CallKind, reply: &Reply) -> Result<Value, ConnectorError> {
    let ok = (200..300).contains(&reply.status);
    if ok && !reply.is_json {
        return Err(errors::unreadable(reply));
    }
    let data = match reply.body.get("data") {
        // `transaction_ids` gives a list; we ask for one id.
        Some(Value::Array(list)) => list.first().cloned(),
        Some(v @ Value::Object(_)) => Some(v.clone()),
        _ => None,
    };
    match data {
        Some(d) if ok && business_error(&reply.body).is_none() => Ok(d),
        _ if ok && business_error(&reply.body).is_none() => Err(ConnectorError::ambiguous(
            format!("HTTP {} without data", reply.status),
            reply.raw(),
        )),
        _ => Err(map_error(kind, reply)),
    }
}

/// An airtime or status answer → [`Answer`]. `minor_per_major` is 1 for FCFA.
pub(crate) fn answer(
    kind: CallKind,
    reply: &Reply,
    minor_per_major: i64,
) -> Result<Answer, ConnectorError> {
    let data = data_of(kind, reply)?;
    let raw = reply.raw();
    let d: DataWire = serde_json::from_value(data).map_err(|e| {
        ConnectorError::ambiguous(format!("unreadable EASYTRANSFERT answer: {e}"), raw.clone())
    })?;
    // An answer we cannot read still names its transaction: that id is kept, so the engine asks
    // about it by status instead of sending a review for lack of an id.
    let Some(state) = d.state.clone() else {
        return Err(ConnectorError::ambiguous_about(
            "answer without a state",
            raw,
            d.transaction_id,
        ));
    };
    let Some(status) = map_state(&state) else {
        return Err(ConnectorError::ambiguous_about(
            format!("unknown EASYTRANSFERT state {state:?}"),
            raw,
            d.transaction_id,
        ));
    };
    let mut details = Map::new();
    let fee_minor = minor_amount(d.fee.as_ref(), minor_per_major, "fee", &mut details);
    if let Some(c) = minor_amount(
        d.commission.as_ref(),
        minor_per_major,
        "commission",
        &mut details,
    ) {
        details.insert("commission_minor".into(), c.into());
    }
    for (k, v) in [
        ("service_id", d.service_id.clone()),
        ("custom_data", d.custom_data.clone().map(Value::from)),
        ("created_at", d.created_at.clone().map(Value::from)),
        ("updated_at", d.updated_at.clone().map(Value::from)),
    ] {
        if let Some(v) = v.filter(|v| !v.is_null()) {
            details.insert(k.into(), v);
        }
    }
    let top_message = reply.body.get("message").and_then(text);
    // A failure's reason is in `error`; otherwise the data's or the answer's message.
    let message = if status == OperationStatus::Failed || status == OperationStatus::Cancelled {
        d.error.clone().or(d.message.clone())
    } else {
        d.message.clone()
    }
    .or(top_message);
    Ok(Answer {
        status,
        native_status: state,
        provider_ref: d.transaction_id,
        fee_minor,
        token: None,
        customer_url: None,
        awaits_otp: false,
        message,
        details,
        raw,
    })
}

/// The wallet answer → [`Balance`].
pub(crate) fn balance(reply: &Reply) -> Result<Balance, ConnectorError> {
    let data = data_of(CallKind::Other, reply)?;
    let raw = redact(&data);
    let w: WalletWire = serde_json::from_value(data).unwrap_or_default();
    crate::connector::http::balance_of(w.wallet_amount.as_ref(), w.currency, raw, "wallet")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn reply(status: u16, body: Value) -> Reply {
        Reply {
            status,
            body,
            is_json: true,
            retry_after: None,
        }
    }

    #[test]
    fn every_state_maps_and_both_success_spellings_are_success() {
        use OperationStatus::*;
        for (w, s) in [
            ("PENDING1", Pending),
            ("PENDING", Pending),
            ("SUCCESS", Success),
            ("SUCCESSFUL", Success),
            ("FAILED", Failed),
            ("CANCELLED", Cancelled),
        ] {
            assert_eq!(map_state(w), Some(s), "{w}");
        }
        assert_eq!(map_state("PENDING2"), None);
    }

    #[test]
    fn accepted_answer_is_pending_with_fee() {
        let r = reply(
            202,
            json!({"data": {"transaction_id": "EFB.1", "amount": 5000, "fee": 50, "commission": 0,
                "service_id": 26, "destination": "0701234567", "state": "PENDING1",
                "custom_data": "K1", "message": "Transaction en cours de traitement"}}),
        );
        let a = answer(CallKind::Submit, &r, 1).unwrap();
        assert_eq!(a.status, OperationStatus::Pending);
        assert_eq!(a.native_status, "PENDING1");
        assert_eq!(a.provider_ref.as_deref(), Some("EFB.1"));
        assert_eq!(a.fee_minor, Some(50));
        assert_eq!(a.details["custom_data"], "K1");
        assert_eq!(
            a.message.as_deref(),
            Some("Transaction en cours de traitement")
        );
    }

    #[test]
    fn http_200_error_is_a_refusal_or_not_found_on_status() {
        let r = reply(200, json!({"error": "amount must be a multiple of 100"}));
        match answer(CallKind::Submit, &r, 1).unwrap_err() {
            ConnectorError::Refused {
                native_code,
                message,
                ..
            } => {
                assert_eq!(native_code, "200");
                assert_eq!(message, "amount must be a multiple of 100");
            }
            other => panic!("{other:?}"),
        }
        let r = reply(
            200,
            json!({"error": "Transaction not found", "statut_code": 404}),
        );
        assert_eq!(
            answer(CallKind::Lookup, &r, 1).unwrap_err().code(),
            "provider_not_found"
        );
        assert_eq!(
            answer(CallKind::Submit, &r, 1).unwrap_err().code(),
            "provider_refused"
        );
    }

    #[test]
    fn http_codes_map_to_what_may_have_happened() {
        let code = |k, s| {
            answer(k, &reply(s, json!({"error": "x"})), 1)
                .unwrap_err()
                .code()
        };
        assert_eq!(code(CallKind::Submit, 400), "provider_refused");
        assert_eq!(code(CallKind::Submit, 401), "provider_unauthorized");
        assert_eq!(code(CallKind::Submit, 403), "provider_unauthorized");
        assert_eq!(code(CallKind::Lookup, 404), "provider_not_found");
        assert_eq!(code(CallKind::Submit, 429), "provider_unavailable");
        assert_eq!(code(CallKind::Submit, 500), "provider_no_answer");
        assert_eq!(code(CallKind::Submit, 503), "provider_no_answer");
        // A 2xx without data or with an unknown state: we cannot tell.
        assert_eq!(
            answer(CallKind::Submit, &reply(202, json!({})), 1)
                .unwrap_err()
                .code(),
            "provider_no_answer"
        );
        assert_eq!(
            answer(
                CallKind::Submit,
                &reply(202, json!({"data": {"state": "??"}})),
                1
            )
            .unwrap_err()
            .code(),
            "provider_no_answer"
        );
    }

    #[test]
    fn final_states_carry_their_error_and_raw_is_redacted() {
        let r = reply(
            200,
            json!({"data": {"transaction_id": "EFB.2", "state": "FAILED", "error": "Invalid OTP",
                "hash": "abc", "api_key": "k-1"}, "message": "Transaction trouvée", "statut_code": 200}),
        );
        let a = answer(CallKind::Lookup, &r, 1).unwrap();
        assert_eq!(a.status, OperationStatus::Failed);
        assert_eq!(a.message.as_deref(), Some("Invalid OTP"));
        assert_eq!(a.raw["data"]["api_key"], "***");
        assert!(!a.raw.to_string().contains("k-1"));
        let r = reply(
            200,
            json!({"data": {"transaction_id": "EFB.2", "state": "SUCCESSFUL"}}),
        );
        assert_eq!(
            answer(CallKind::Lookup, &r, 1).unwrap().status,
            OperationStatus::Success
        );
    }

    #[test]
    fn an_unknown_state_keeps_the_transaction_id() {
        let r = reply(
            202,
            json!({"data": {"transaction_id": "EFB.9", "state": "PENDING2", "fee": 10}}),
        );
        match answer(CallKind::Submit, &r, 1).unwrap_err() {
            ConnectorError::Ambiguous {
                detail,
                provider_ref,
                ..
            } => {
                assert!(detail.contains("PENDING2"), "{detail}");
                assert_eq!(provider_ref.as_deref(), Some("EFB.9"));
            }
            other => panic!("{other:?}"),
        }
        let r = reply(202, json!({"data": {"transaction_id": "EFB.10"}}));
        match answer(CallKind::Submit, &r, 1).unwrap_err() {
            ConnectorError::Ambiguous { provider_ref, .. } => {
                assert_eq!(provider_ref.as_deref(), Some("EFB.10"))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_overflowing_fee_is_evidence_not_a_panic() {
        let r = reply(
            200,
            json!({"data": {"transaction_id": "EFB.3", "state": "SUCCESS",
                "fee": "99999999999999999999", "commission": 5}}),
        );
        let a = answer(CallKind::Lookup, &r, 1).unwrap();
        assert_eq!(a.fee_minor, None);
        assert_eq!(a.details["fee_unreadable"], "99999999999999999999");
        assert_eq!(a.details["commission_minor"], 5);
    }

    #[test]
    fn wallet_balance() {
        let r = reply(
            200,
            json!({"data": {"wallet_amount": 4_900_000, "currency": "XOF", "last_updated": "x"}}),
        );
        assert_eq!(
            balance(&r).unwrap(),
            Balance {
                amount_minor: 4_900_000,
                currency: "XOF".into()
            }
        );
        assert_eq!(
            balance(&reply(401, json!({"error": "Invalid api key"})))
                .unwrap_err()
                .code(),
            "provider_unauthorized"
        );
    }
}
