//! The gateway's own request and answer structs, the ONE status mapping ([`map_status`]) and the
//! ONE error mapping ([`map_error`] for HTTP, [`map_result_code`] for `result.code`), from
//! providers.md §3 and seed 004.

use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::signature;
use crate::connector::errors;
pub(crate) use crate::connector::http::CallKind;
use crate::connector::http::{de, text, Reply};
use crate::connector::{Answer, ConnectorError};
use crate::ledger::OperationStatus;

/// `result.code` of success.
pub(crate) const RESULT_OK: i64 = 0;
/// `result.code` of a bad signature or merchant authentication [doc].
pub(crate) const RESULT_BAD_SIGNATURE: i64 = 10201;
/// [gap] `result.code` of a `status` for an order the gateway never saw: not documented; 10404
/// is the sandbox's choice. Only ever read as "not found" on a status call.
pub(crate) const RESULT_ORDER_NOT_FOUND: i64 = 10404;

// ─── Requests ────────────────────────────────────────────────────────────────────────────────

/// `payment_c2b` / `payment_b2c`, fields in the order they are signed and sent.
#[derive(Debug, Serialize)]
pub(crate) struct PaymentRequest<'a> {
    /// The merchant.
    pub merchant_id: &'a str,
    /// The customer's phone, international digits.
    pub customer_id: &'a str,
    /// Our idempotency key (≤128 of `[A-Za-z0-9_-:.]`): the gateway is idempotent on it.
    pub order_id: &'a str,
    /// `"1100.00"`: two decimals, always.
    pub amount: String,
    /// ISO 4217.
    pub currency: &'a str,
    /// ISO 3166 alpha-2 (optional at the gateway; must match the provider when given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<&'a str>,
    /// Where the signed callback goes; omitted when the till has none (seed 004's bank example
    /// omits it too).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<&'a str>,
    /// The gateway's provider id (as the seed's examples write it: a string).
    pub provider_id: &'a str,
    /// `otp`, `customer_name`, `customer_email`, …: in that order, only those given.
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub extra: Map<String, Value>,
}

/// `status`, by our order_id (no provider id needed).
#[derive(Debug, Serialize)]
pub(crate) struct StatusRequest<'a> {
    /// The merchant.
    pub merchant_id: &'a str,
    /// Our idempotency key.
    pub order_id: &'a str,
}

/// The JSON text to send: the request's fields in their order, then `signature` computed over
/// exactly those fields in that order.
pub(crate) fn signed_body(
    request: &impl Serialize,
    secret: &SecretString,
) -> Result<String, ConnectorError> {
    let not_sent = |what: String| ConnectorError::NotSent {
        detail: format!("cannot build the gateway request: {what}"),
    };
    let mut map = match serde_json::to_value(request) {
        Ok(Value::Object(m)) => m,
        Ok(_) => return Err(not_sent("not an object".into())),
        Err(e) => return Err(not_sent(e.to_string())),
    };
    let sig = signature::sign(&map, secret).ok_or_else(|| not_sent("nested too deep".into()))?;
    map.insert("signature".into(), Value::String(sig));
    serde_json::to_string(&Value::Object(map)).map_err(|e| not_sent(e.to_string()))
}

// ─── Answers ─────────────────────────────────────────────────────────────────────────────────

/// `{code, message}`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct CodeMessage {
    #[serde(default)]
    code: Option<Value>,
    #[serde(default, deserialize_with = "de::opt_text")]
    message: Option<String>,
}

impl CodeMessage {
    fn code(&self) -> Option<i64> {
        self.code.as_ref().and_then(int)
    }
}

/// The answer of `payment_c2b`, `payment_b2c` and `status` (always this shape).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct GatewayAnswer {
    #[serde(default, deserialize_with = "de::opt_text")]
    order_id: Option<String>,
    #[serde(default, deserialize_with = "de::opt_text")]
    transaction_id: Option<String>,
    #[serde(default, deserialize_with = "de::opt_text")]
    transaction_ref: Option<String>,
    #[serde(default)]
    status: Option<Value>,
    #[serde(default)]
    result: Option<CodeMessage>,
    #[serde(default)]
    provider_result: Option<CodeMessage>,
    #[serde(default)]
    service_id: Option<Value>,
    #[serde(default)]
    confirm_type: Option<Value>,
    #[serde(default)]
    extra: Option<Map<String, Value>>,
}

fn int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

// ─── The one status mapping ──────────────────────────────────────────────────────────────────

/// The gateway's status code → ours: 0 initiated → pending, 1 in progress → processing,
/// 2 → success, 3 → failed, 4 → cancelled.
///
/// [gap] -1 "undefined (for example in an error situation)" → `None`, reported as
/// [`ConnectorError::Ambiguous`]: with `result.code` 0 nothing says the money did not move, so
/// we never call it a failure; the engine keeps asking (and a manager reviews what stays
/// undefined). With `result.code` ≠ 0 the error mapping decides before the status is read.
pub(crate) fn map_status(code: i64) -> Option<OperationStatus> {
    Some(match code {
        0 => OperationStatus::Pending,
        1 => OperationStatus::Processing,
        2 => OperationStatus::Success,
        3 => OperationStatus::Failed,
        4 => OperationStatus::Cancelled,
        _ => return None,
    })
}

// ─── The one error mapping ───────────────────────────────────────────────────────────────────

/// A non-2xx HTTP answer (the gateway documents HTTP 200 always). The gateway's own case:
/// 401/403 → Unauthorized; the rest is the shared [`errors::fallback`] (429 → Unavailable,
/// other 4xx → Refused, 5xx and anything else → Ambiguous).
pub(crate) fn map_error(reply: &Reply) -> ConnectorError {
    match reply.status {
        401 | 403 => ConnectorError::Unauthorized { raw: reply.raw() },
        _ => errors::fallback(reply, reply.body.get("message").and_then(text)),
    }
}

/// `result.code` ≠ 0: 10201 → Unauthorized. On a payment (submit) anything else is a refusal
/// even with HTTP 200 [doc]: Refused, nothing moved (so is it on the credentials probe, which
/// asks about no operation). On a status call, [`RESULT_ORDER_NOT_FOUND`]
/// → NotFound, and any other code is Ambiguous, never a refusal: a status call does not decide
/// a payment, and an operation that may have been paid must never become `failed` on an error
/// code we cannot interpret. `provider_ref` (the answer's `transaction_id`) is kept.
pub(crate) fn map_result_code(
    kind: CallKind,
    code: i64,
    message: Option<String>,
    raw: Value,
    provider_ref: Option<String>,
) -> ConnectorError {
    match code {
        RESULT_BAD_SIGNATURE => ConnectorError::Unauthorized { raw },
        RESULT_ORDER_NOT_FOUND if kind == CallKind::Lookup => ConnectorError::NotFound { raw },
        _ if kind == CallKind::Lookup => ConnectorError::ambiguous_about(
            format!(
                "status answered result code {code} ({}): the outcome is not known",
                message.as_deref().unwrap_or("no message")
            ),
            raw,
            provider_ref,
        ),
        _ => ConnectorError::Refused {
            native_code: code.to_string(),
            message: message.unwrap_or_else(|| format!("result code {code}")),
            raw,
        },
    }
}

/// Any gateway answer → [`Answer`] or the mapped error.
pub(crate) fn answer(kind: CallKind, reply: &Reply) -> Result<Answer, ConnectorError> {
    if !(200..300).contains(&reply.status) {
        return Err(map_error(reply));
    }
    let raw = reply.raw();
    if !reply.is_json || !reply.body.is_object() {
        return Err(errors::unreadable(reply));
    }
    let a: GatewayAnswer = serde_json::from_value(reply.body.clone()).map_err(|e| {
        ConnectorError::ambiguous(format!("unreadable gateway answer: {e}"), raw.clone())
    })?;
    // An answer we cannot read still names its transaction: that id is kept as evidence.
    let ambiguous = |detail: String| {
        ConnectorError::ambiguous_about(detail, raw.clone(), a.transaction_id.clone())
    };
    let result = a
        .result
        .as_ref()
        .ok_or_else(|| ambiguous("answer without result".into()))?;
    let code = result
        .code()
        .ok_or_else(|| ambiguous("answer without result.code".into()))?;
    if code != RESULT_OK {
        return Err(map_result_code(
            kind,
            code,
            result.message.clone(),
            raw,
            a.transaction_id.clone(),
        ));
    }
    let status_code = a
        .status
        .as_ref()
        .and_then(int)
        .ok_or_else(|| ambiguous("answer without a status".into()))?;
    let status = map_status(status_code).ok_or_else(|| {
        ambiguous(format!(
            "gateway status {status_code} (undefined): the outcome is not known"
        ))
    })?;
    let provider_ref = a.transaction_id.clone();
    let mut details = Map::new();
    // No transaction_id: no callback will come (providers.md): polling is the only way.
    details.insert("callback_expected".into(), provider_ref.is_some().into());
    let mut put = |k: &str, v: Option<Value>| {
        if let Some(v) = v.filter(|v| !v.is_null()) {
            details.insert(k.into(), v);
        }
    };
    put("order_id", a.order_id.clone().map(Value::from));
    put(
        "transaction_ref",
        a.transaction_ref.clone().map(Value::from),
    );
    put("service_id", a.service_id.clone());
    let pr = a.provider_result.as_ref();
    put("provider_result_code", pr.and_then(|p| p.code.clone()));
    put(
        "provider_result_message",
        pr.and_then(|p| p.message.clone()).map(Value::from),
    );
    // [gap] confirm_type ≠ 0 asks for a second payment_b2c with confirmation data whose contents
    // are not public: kept as evidence for a manager, nothing is sent automatically.
    if let Some(ct) = a.confirm_type.as_ref().and_then(int).filter(|c| *c != 0) {
        put("confirm_type", Some(ct.into()));
    }
    let mut customer_url = None;
    if let Some(extra) = &a.extra {
        customer_url = extra.get("customer_redirect").and_then(text);
        // Bank details of a transfer to show the customer (account_name, account_number…).
        let rest: Map<String, Value> = extra
            .iter()
            .filter(|(k, _)| k.as_str() != "customer_redirect")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if !rest.is_empty() {
            put(
                "extra",
                Some(crate::connector::redact::redact(&Value::Object(rest))),
            );
        }
    }
    let message = pr
        .and_then(|p| p.message.clone())
        .or_else(|| result.message.clone());
    Ok(Answer {
        status,
        native_status: status_code.to_string(),
        provider_ref,
        // The gateway documents no fee.
        fee_minor: None,
        token: None,
        customer_url,
        awaits_otp: false,
        message,
        details,
        raw,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn reply(body: Value) -> Reply {
        Reply {
            status: 200,
            body,
            is_json: true,
            retry_after: None,
        }
    }

    fn gateway(status: i64, code: i64, transaction_id: &str) -> Value {
        json!({"order_id": "K1", "transaction_id": transaction_id, "transaction_ref": "",
            "status": status, "result": {"code": code, "message": if code == 0 { "OK" } else { "Nope" }},
            "provider_result": {"code": 0, "message": ""}, "service_id": 1,
            "service_version": "x", "service_date_time": "2023-05-15 10:00:00.000000",
            "confirm_type": 0})
    }

    #[test]
    fn every_status_code_maps_and_minus_one_is_ambiguous() {
        use OperationStatus::*;
        for (c, s) in [
            (0, Pending),
            (1, Processing),
            (2, Success),
            (3, Failed),
            (4, Cancelled),
        ] {
            assert_eq!(map_status(c), Some(s));
            let a = answer(CallKind::Lookup, &reply(gateway(c, 0, "T1"))).unwrap();
            assert_eq!(a.status, s);
            assert_eq!(a.native_status, c.to_string());
        }
        assert_eq!(map_status(-1), None);
        assert_eq!(map_status(7), None);
        let e = answer(CallKind::Lookup, &reply(gateway(-1, 0, ""))).unwrap_err();
        assert_eq!(e.code(), "provider_no_answer");
    }

    #[test]
    fn result_code_is_a_failure_even_with_http_200() {
        let e = answer(CallKind::Submit, &reply(gateway(-1, 10201, ""))).unwrap_err();
        assert_eq!(e.code(), "provider_unauthorized");
        match answer(CallKind::Submit, &reply(gateway(-1, 10103, ""))).unwrap_err() {
            ConnectorError::Refused {
                native_code,
                message,
                ..
            } => {
                assert_eq!(native_code, "10103");
                assert_eq!(message, "Nope");
            }
            other => panic!("{other:?}"),
        }
        let e = answer(CallKind::Lookup, &reply(gateway(-1, 10404, ""))).unwrap_err();
        assert_eq!(e.code(), "provider_not_found");
        let e = answer(CallKind::Submit, &reply(gateway(-1, 10404, ""))).unwrap_err();
        assert_eq!(e.code(), "provider_refused");
        // String codes are read too.
        let mut v = gateway(1, 0, "T");
        v["result"]["code"] = json!("10201");
        assert_eq!(
            answer(CallKind::Submit, &reply(v)).unwrap_err().code(),
            "provider_unauthorized"
        );
    }

    #[test]
    fn a_status_call_never_turns_a_result_code_into_a_refusal() {
        // On a payment, a result code is a refusal [doc]; on a status call it is not known
        // what it says about the payment: ambiguous, the transaction id kept.
        for code in [10103, 10101, 1, -5, 99999] {
            match answer(CallKind::Lookup, &reply(gateway(-1, code, "T9"))).unwrap_err() {
                ConnectorError::Ambiguous {
                    detail,
                    provider_ref,
                    ..
                } => {
                    assert!(detail.contains(&code.to_string()), "{detail}");
                    assert_eq!(provider_ref.as_deref(), Some("T9"));
                }
                other => panic!("{code}: {other:?}"),
            }
            assert_eq!(
                answer(CallKind::Submit, &reply(gateway(-1, code, "")))
                    .unwrap_err()
                    .code(),
                "provider_refused"
            );
        }
        // The credentials probe asks about no operation: a code is the gateway's refusal of
        // the question, and it did authenticate us.
        assert_eq!(
            answer(CallKind::Other, &reply(gateway(-1, 10101, "")))
                .unwrap_err()
                .code(),
            "provider_refused"
        );
        // Undefined status -1 with result 0 keeps the transaction id too.
        match answer(CallKind::Lookup, &reply(gateway(-1, 0, "T10"))).unwrap_err() {
            ConnectorError::Ambiguous { provider_ref, .. } => {
                assert_eq!(provider_ref.as_deref(), Some("T10"))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn simulator_answer_and_missing_transaction_id() {
        // Seed 004's simulator answer.
        let body = json!({"order_id": "54321", "transaction_id": "12345", "transaction_ref": "",
            "status": 1, "result": {"code": 0, "message": "OK"},
            "provider_result": {"code": -8888, "message": "Good"}, "service_id": 1,
            "service_version": "1.03/1.14", "service_date_time": "2023-05-15 10:00:00.000000",
            "confirm_type": 0});
        let a = answer(CallKind::Submit, &reply(body)).unwrap();
        assert_eq!(a.status, OperationStatus::Processing);
        assert_eq!(a.provider_ref.as_deref(), Some("12345"));
        assert_eq!(a.details["provider_result_code"], -8888);
        assert_eq!(a.details["callback_expected"], true);
        assert_eq!(a.message.as_deref(), Some("Good"));

        // Seed 004's bank transfer answer: no transaction id, bank details in extra.
        let body = json!({"order_id": "90900000001", "transaction_id": "", "transaction_ref": "",
            "status": 1, "result": {"code": 0, "message": "OK"},
            "provider_result": {"code": -8888, "message": ""}, "service_id": 1,
            "extra": {"transfer_amount": 100, "account_name": "Test Ltd",
                "account_number": "4000000000", "bank_name": "Premium Trust Bank"},
            "confirm_type": 0});
        let a = answer(CallKind::Submit, &reply(body)).unwrap();
        assert_eq!(a.provider_ref, None);
        assert_eq!(a.details["callback_expected"], false);
        assert_eq!(a.details["extra"]["bank_name"], "Premium Trust Bank");
        assert_eq!(a.message.as_deref(), Some("OK"));
    }

    #[test]
    fn customer_redirect_and_http_errors() {
        let mut v = gateway(0, 0, "T");
        v["extra"] = json!({"customer_redirect": "https://pay/x"});
        v["confirm_type"] = json!(2);
        let a = answer(CallKind::Lookup, &reply(v)).unwrap();
        assert_eq!(a.customer_url.as_deref(), Some("https://pay/x"));
        assert_eq!(a.details["confirm_type"], 2);
        let r = |s| Reply {
            status: s,
            body: json!({"message": "x"}),
            is_json: true,
            retry_after: None,
        };
        assert_eq!(
            answer(CallKind::Submit, &r(500)).unwrap_err().code(),
            "provider_no_answer"
        );
        assert_eq!(
            answer(CallKind::Submit, &r(429)).unwrap_err().code(),
            "provider_unavailable"
        );
        assert_eq!(
            answer(CallKind::Submit, &r(401)).unwrap_err().code(),
            "provider_unauthorized"
        );
        assert_eq!(
            answer(CallKind::Submit, &r(404)).unwrap_err().code(),
            "provider_refused"
        );
        assert_eq!(
            answer(CallKind::Submit, &reply(json!({"status": 1})))
                .unwrap_err()
                .code(),
            "provider_no_answer"
        );
    }

    #[test]
    fn the_body_sent_is_the_body_signed_in_order() {
        let secret = SecretString::from("s3cret");
        let mut extra = Map::new();
        extra.insert("otp".into(), json!("5647"));
        extra.insert("customer_name".into(), json!("Awa Diop"));
        let req = PaymentRequest {
            merchant_id: "m",
            customer_id: "2250705145655",
            order_id: "K1",
            amount: "1100.00".into(),
            currency: "XOF",
            country: Some("CI"),
            callback_url: None,
            provider_id: "2304",
            extra,
        };
        let text = signed_body(&req, &secret).unwrap();
        let keys: Vec<String> = match serde_json::from_str::<Value>(&text).unwrap() {
            Value::Object(m) => m.keys().cloned().collect(),
            _ => unreachable!(),
        };
        assert_eq!(
            keys,
            [
                "merchant_id",
                "customer_id",
                "order_id",
                "amount",
                "currency",
                "country",
                "provider_id",
                "extra",
                "signature"
            ]
        );
        assert!(signature::verify_callback_signature(
            text.as_bytes(),
            &secret
        ));
        assert!(text.contains("\"amount\":\"1100.00\""));
    }

    #[test]
    fn raw_answers_are_redacted() {
        let mut v = gateway(2, 0, "T");
        v["signature"] = json!("abcdef");
        v["extra"] = json!({"otp": "1234", "account_name": "A"});
        let a = answer(CallKind::Lookup, &reply(v)).unwrap();
        assert_eq!(a.raw["signature"], "***");
        assert_eq!(a.raw["extra"]["otp"], "***");
        assert_eq!(a.details["extra"]["otp"], "***");
    }
}
