//! DEXCHANGE's own request and answer structs, the ONE status mapping ([`map_status`]) and the
//! ONE error mapping ([`map_error`]), from providers.md §1 and seeds 000–002.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::connector::errors;
pub(crate) use crate::connector::http::CallKind;
use crate::connector::http::{de, major_to_minor, minor_amount, Reply};
use crate::connector::{Answer, Balance, Bill, ConnectorError};
use crate::ledger::OperationStatus;
use crate::money::Currency;

// ─── Requests ────────────────────────────────────────────────────────────────────────────────

/// `POST /transaction/init` (CASHIN, CASHOUT, AIRTIME service codes).
#[derive(Debug, Serialize)]
pub(crate) struct InitRequest<'a> {
    /// Our idempotency key.
    #[serde(rename = "externalTransactionId")]
    pub external_transaction_id: &'a str,
    /// The catalog's native id.
    #[serde(rename = "serviceCode")]
    pub service_code: &'a str,
    /// Whole FCFA.
    pub amount: i64,
    /// The customer's number in the service's wire format (`^[0-9]{9}$` in Senegal).
    pub number: &'a str,
    /// Where DEXCHANGE posts status changes (omitted when the till has none).
    #[serde(rename = "callBackURL", skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<&'a str>,
    /// Where a provider page sends the customer after paying (collections).
    #[serde(rename = "successUrl", skip_serializing_if = "Option::is_none")]
    pub success_url: Option<&'a str>,
    /// Where a provider page sends the customer after a failure (collections).
    #[serde(rename = "failureUrl", skip_serializing_if = "Option::is_none")]
    pub failure_url: Option<&'a str>,
}

/// `POST /billing/pay` (seed 001).
#[derive(Debug, Serialize)]
pub(crate) struct BillPayRequest<'a> {
    /// SENEAU_SN_BILL, SENELEC_SN_BILL or WOYOFAL_SN_BILL.
    #[serde(rename = "serviceCode")]
    pub service_code: &'a str,
    /// Meter / police number.
    pub reference_client: &'a str,
    /// Woyofal only: the top-up amount (bills impose theirs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<i64>,
    /// A chosen bill; none settles the oldest unpaid one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference_facture: Option<&'a str>,
    /// Our idempotency key.
    #[serde(rename = "externalTransactionId")]
    pub external_transaction_id: &'a str,
    /// Where DEXCHANGE posts status changes (optional per seed 001).
    #[serde(rename = "callBackURL", skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<&'a str>,
}

/// `POST /transaction/merchant/get-link` (seed 002).
#[derive(Debug, Serialize)]
pub(crate) struct LinkRequest<'a> {
    /// Our idempotency key.
    #[serde(rename = "externalTransactionId")]
    pub external_transaction_id: &'a str,
    /// What the customer pays for.
    #[serde(rename = "ItemName")]
    pub item_name: &'a str,
    /// Whole FCFA, at least 100.
    #[serde(rename = "ItemPrice")]
    pub item_price: i64,
    /// Required by seed 002.
    #[serde(rename = "callBackURL")]
    pub callback_url: &'a str,
    /// Required by seed 002.
    #[serde(rename = "successUrl")]
    pub success_url: &'a str,
    /// Required by seed 002.
    #[serde(rename = "failureUrl")]
    pub failure_url: &'a str,
    /// The customer's phone, when the cashier typed one.
    #[serde(rename = "ClientPhone", skip_serializing_if = "Option::is_none")]
    pub client_phone: Option<&'a str>,
}

/// `POST /transaction/confirm/wizall`.
#[derive(Debug, Serialize)]
pub(crate) struct ConfirmWizallRequest<'a> {
    /// DEXCHANGE's transaction id.
    #[serde(rename = "transactionId")]
    pub transaction_id: &'a str,
    /// The OTP the customer read out.
    pub otp: &'a str,
}

/// `POST /billing/inquiry`.
#[derive(Debug, Serialize)]
pub(crate) struct InquiryRequest<'a> {
    /// Biller code.
    #[serde(rename = "serviceCode")]
    pub service_code: &'a str,
    /// Meter / police number.
    pub reference_client: &'a str,
}

// ─── Answers ─────────────────────────────────────────────────────────────────────────────────

/// `message`: a string or a list of strings (validation errors).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum Message {
    /// One sentence.
    One(String),
    /// Validation errors.
    Many(Vec<String>),
    /// Anything else (kept out of the text).
    Other(serde::de::IgnoredAny),
}

impl Message {
    /// The message as one line.
    pub fn text(&self) -> Option<String> {
        let s = match self {
            Message::One(s) => s.clone(),
            Message::Many(list) => list.join("; "),
            Message::Other(_) => return None,
        };
        (!s.trim().is_empty()).then_some(s)
    }
}

/// The `transaction` object of init / status / confirm / bill answers, and the flat answer of
/// `get-link`. Field names vary between endpoints (`amount` / `Amount`, `token` / `Token`).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct TransactionWire {
    /// DEXCHANGE's id (`TID…`, `MID…`).
    #[serde(default, rename = "transactionId", deserialize_with = "de::opt_text")]
    pub transaction_id: Option<String>,
    /// Our key, echoed.
    #[serde(
        default,
        rename = "externalTransactionId",
        deserialize_with = "de::opt_text"
    )]
    pub external_transaction_id: Option<String>,
    /// PENDING, PROCESSING, SUCCESS, FAILED, CANCELLED, EXPIRED.
    #[serde(
        default,
        rename = "Status",
        alias = "status",
        deserialize_with = "de::opt_text"
    )]
    pub status: Option<String>,
    /// Fee in whole FCFA (negative for the airtime commission in the sandbox).
    #[serde(default, rename = "transactionFee")]
    pub transaction_fee: Option<Value>,
    /// Woyofal token.
    #[serde(
        default,
        rename = "token",
        alias = "Token",
        deserialize_with = "de::opt_text"
    )]
    pub token: Option<String>,
    /// Wave cash-out page.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub cashout_url: Option<String>,
    /// Wallet app deep link.
    #[serde(default, rename = "deepLink", deserialize_with = "de::opt_text")]
    pub deep_link: Option<String>,
    /// Payment link page.
    #[serde(default, rename = "PaymentUrl", deserialize_with = "de::opt_text")]
    pub payment_url: Option<String>,
    /// The transaction's own message.
    #[serde(default)]
    pub message: Option<Message>,
    /// `transactionType` / `Type`.
    #[serde(
        default,
        rename = "transactionType",
        alias = "Type",
        deserialize_with = "de::opt_text"
    )]
    pub transaction_type: Option<String>,
    /// The bill paid.
    #[serde(
        default,
        rename = "referenceFacture",
        deserialize_with = "de::opt_text"
    )]
    pub reference_facture: Option<String>,
    /// Merchant balance before.
    #[serde(default, rename = "previousBalance")]
    pub previous_balance: Option<Value>,
    /// Merchant balance after.
    #[serde(default, rename = "currentBalance")]
    pub current_balance: Option<Value>,
    /// Completion time (status lookups).
    #[serde(default, rename = "Completed_at", deserialize_with = "de::opt_text")]
    pub completed_at: Option<String>,
}

/// `{message, transaction}`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Envelope {
    /// Top-level message.
    #[serde(default)]
    pub message: Option<Message>,
    /// The transaction.
    #[serde(default)]
    pub transaction: Option<TransactionWire>,
}

/// Any error body: `{message: string | [string], success:false, transaction?:{Status, message}}`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ErrorBody {
    /// The message(s).
    #[serde(default)]
    pub message: Option<Message>,
    /// Billing failures (seed 001) put the reason here.
    #[serde(default)]
    pub transaction: Option<TransactionWire>,
}

/// One bill of `/billing/inquiry`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct BillWire {
    #[serde(
        default,
        rename = "paymentTransactionNumber",
        deserialize_with = "de::opt_text"
    )]
    payment_transaction_number: Option<String>,
    #[serde(default, rename = "referenceClient", deserialize_with = "de::opt_text")]
    reference_client: Option<String>,
    #[serde(
        default,
        rename = "referenceFacture",
        deserialize_with = "de::opt_text"
    )]
    reference_facture: Option<String>,
    #[serde(default, deserialize_with = "de::opt_text")]
    nom: Option<String>,
    #[serde(default, deserialize_with = "de::opt_text")]
    prenom: Option<String>,
    #[serde(default)]
    montant: Option<Value>,
    #[serde(default)]
    frais: Option<Value>,
    #[serde(default)]
    total: Option<Value>,
    #[serde(default, rename = "dateEcheance", deserialize_with = "de::opt_text")]
    date_echeance: Option<String>,
    #[serde(default)]
    paid: Option<bool>,
    #[serde(default, deserialize_with = "de::opt_text")]
    address: Option<String>,
    #[serde(default, rename = "meterStatus", deserialize_with = "de::opt_text")]
    meter_status: Option<String>,
}

/// `/billing/inquiry` answer.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct InquiryResponse {
    #[serde(default)]
    success: Option<bool>,
    #[serde(default)]
    message: Option<Message>,
    #[serde(default)]
    bills: Vec<BillWire>,
}

/// `/api-services/balance` answer.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct BalanceResponse {
    #[serde(default)]
    balance: Option<BalanceWire>,
}

#[derive(Debug, Default, Deserialize)]
struct BalanceWire {
    #[serde(default)]
    balance: Option<Value>,
    #[serde(default, deserialize_with = "de::opt_text")]
    currency: Option<String>,
}

// ─── The one status mapping ──────────────────────────────────────────────────────────────────

/// DEXCHANGE's status word → ours. `None` for a word we do not know: the caller reports it as
/// [`ConnectorError::Ambiguous`] (never guess a final status).
pub(crate) fn map_status(word: &str) -> Option<OperationStatus> {
    Some(match word.trim().to_ascii_uppercase().as_str() {
        "PENDING" => OperationStatus::Pending,
        "PROCESSING" => OperationStatus::Processing,
        "SUCCESS" => OperationStatus::Success,
        "FAILED" => OperationStatus::Failed,
        "CANCELLED" | "CANCELED" => OperationStatus::Cancelled,
        "EXPIRED" => OperationStatus::Expired,
        _ => return None,
    })
}

// ─── The one error mapping ───────────────────────────────────────────────────────────────────

/// A non-2xx answer → ours. DEXCHANGE's own cases: 401 → Unauthorized, 403 → Unavailable
/// (maintenance), 404 on a lookup → NotFound, 409 → Duplicate; the rest is the shared
/// [`errors::fallback`] (429 → Unavailable, other 4xx → Refused, 5xx and anything else →
/// Ambiguous).
pub(crate) fn map_error(kind: CallKind, reply: &Reply) -> ConnectorError {
    let message = error_message(&reply.body);
    match reply.status {
        401 => ConnectorError::Unauthorized { raw: reply.raw() },
        403 => ConnectorError::Unavailable {
            detail: message.unwrap_or_else(|| "API under maintenance (403)".into()),
            retry_after: reply.retry_after,
        },
        404 if kind == CallKind::Lookup => ConnectorError::NotFound { raw: reply.raw() },
        409 => ConnectorError::Duplicate { raw: reply.raw() },
        _ => errors::fallback(reply, message),
    }
}

/// The readable message of an error body: `message` (string or list) and, for billing
/// failures, the transaction's own reason (`Failed to pay bill: Insufficient balance`).
pub(crate) fn error_message(body: &Value) -> Option<String> {
    let parsed: ErrorBody = serde_json::from_value(body.clone()).unwrap_or_default();
    let top = parsed.message.as_ref().and_then(Message::text);
    let inner = parsed
        .transaction
        .as_ref()
        .and_then(|t| t.message.as_ref())
        .and_then(Message::text);
    match (top, inner) {
        (Some(t), Some(i)) if t != i => Some(format!("{t}: {i}")),
        (Some(t), _) => Some(t),
        (None, Some(i)) => Some(i),
        (None, None) => body.get("error").and_then(Value::as_str).map(str::to_owned),
    }
}

/// The body of a 2xx answer, or the mapped error for anything else (a 2xx that is not JSON is
/// [`ConnectorError::Ambiguous`]: we cannot tell what happened).
pub(crate) fn success_body(kind: CallKind, reply: &Reply) -> Result<&Value, ConnectorError> {
    if !(200..300).contains(&reply.status) {
        return Err(map_error(kind, reply));
    }
    if !reply.is_json || reply.body.is_null() {
        return Err(errors::unreadable(reply));
    }
    Ok(&reply.body)
}

// ─── Answers ─────────────────────────────────────────────────────────────────────────────────

/// What the connector knows about the call besides the answer.
#[derive(Debug, Clone)]
pub(crate) struct AnswerContext {
    /// The provider id we asked about (status lookups do not echo it).
    pub provider_ref: Option<String>,
    /// The service waits for an OTP after init while not final (Wizall cash-out).
    pub otp_after_init: bool,
    /// Minor units per whole unit of the operation's currency (1 for FCFA).
    pub minor_per_major: i64,
}

/// A transaction answer (`{message, transaction}` or the flat `get-link` answer) → [`Answer`].
pub(crate) fn transaction_answer(
    body: &Value,
    ctx: &AnswerContext,
) -> Result<Answer, ConnectorError> {
    let raw = crate::connector::redact::redact(body);
    let (top_message, t) = if body.get("transaction").is_some() {
        let env: Envelope = serde_json::from_value(body.clone()).map_err(|e| unusable(&raw, e))?;
        (env.message, env.transaction.unwrap_or_default())
    } else {
        let t: TransactionWire =
            serde_json::from_value(body.clone()).map_err(|e| unusable(&raw, e))?;
        (None, t)
    };
    // An answer we cannot read still names its transaction: that id is kept, so the engine asks
    // about it by status (DEXCHANGE has no lookup by our key, and a resend would only get 409).
    let provider_ref = t
        .transaction_id
        .clone()
        .or_else(|| ctx.provider_ref.clone());
    let Some(word) = t.status.clone() else {
        return Err(ConnectorError::ambiguous_about(
            "answer without a transaction status",
            raw,
            provider_ref,
        ));
    };
    let Some(status) = map_status(&word) else {
        return Err(ConnectorError::ambiguous_about(
            format!("unknown DEXCHANGE status {word:?}"),
            raw,
            provider_ref,
        ));
    };
    let mut details = Map::new();
    let fee_minor = minor_amount(
        t.transaction_fee.as_ref(),
        ctx.minor_per_major,
        "fee",
        &mut details,
    );
    let mut put = |k: &str, v: Option<Value>| {
        if let Some(v) = v.filter(|v| !v.is_null()) {
            details.insert(k.to_owned(), v);
        }
    };
    put(
        "transaction_type",
        t.transaction_type.clone().map(Value::from),
    );
    put(
        "reference_facture",
        t.reference_facture.clone().map(Value::from),
    );
    put("balance_before", t.previous_balance.clone());
    put("balance_after", t.current_balance.clone());
    put("completed_at", t.completed_at.clone().map(Value::from));
    put("deep_link", t.deep_link.clone().map(Value::from));
    put(
        "external_transaction_id",
        t.external_transaction_id.clone().map(Value::from),
    );
    let message = t
        .message
        .as_ref()
        .and_then(Message::text)
        .or_else(|| top_message.as_ref().and_then(Message::text));
    Ok(Answer {
        status,
        native_status: word,
        provider_ref,
        fee_minor,
        token: t.token.clone(),
        customer_url: t.cashout_url.clone().or(t.payment_url.clone()),
        awaits_otp: ctx.otp_after_init && !status.is_final(),
        message,
        details,
        raw,
    })
}

fn unusable(raw: &Value, e: serde_json::Error) -> ConnectorError {
    ConnectorError::ambiguous(format!("unreadable DEXCHANGE answer: {e}"), raw.clone())
}

/// `/billing/inquiry` → bills. `success:false` with HTTP 200 → Refused.
pub(crate) fn bills(body: &Value) -> Result<Vec<Bill>, ConnectorError> {
    let raw = crate::connector::redact::redact(body);
    let resp: InquiryResponse =
        serde_json::from_value(body.clone()).map_err(|e| unusable(&raw, e))?;
    if resp.success == Some(false) {
        return Err(ConnectorError::Refused {
            native_code: "200".into(),
            message: resp
                .message
                .as_ref()
                .and_then(Message::text)
                .unwrap_or_else(|| "bill inquiry refused".into()),
            raw,
        });
    }
    // Bills are in FCFA (the three billers are Senegalese).
    let per = Currency::Xof.minor_per_major();
    // An absent amount is 0 (a Woyofal meter); one that is there but unreadable or too large is
    // not guessed: the whole answer is unusable, kept as evidence.
    let amount = |v: &Option<Value>, what: &str| -> Result<Option<i64>, ConnectorError> {
        match v.as_ref().filter(|v| !v.is_null()) {
            None => Ok(None),
            Some(v) => major_to_minor(v, per).map(Some).ok_or_else(|| {
                ConnectorError::ambiguous(
                    format!("bill {what} unreadable or out of range: {v}"),
                    raw.clone(),
                )
            }),
        }
    };
    resp.bills
        .into_iter()
        .map(|b| {
            let amount_minor = amount(&b.montant, "amount")?.unwrap_or(0);
            let fee_minor = amount(&b.frais, "fee")?.unwrap_or(0);
            let total_minor = match amount(&b.total, "total")? {
                Some(t) => t,
                None => amount_minor.checked_add(fee_minor).ok_or_else(|| {
                    ConnectorError::ambiguous("bill amount + fee out of range", raw.clone())
                })?,
            };
            let customer_name = [b.prenom.as_deref(), b.nom.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            Ok(Bill {
                reference_client: b.reference_client.unwrap_or_default(),
                reference_facture: b.reference_facture,
                payment_transaction_number: b.payment_transaction_number,
                customer_name,
                address: b.address,
                amount_minor,
                fee_minor,
                total_minor,
                due_date: b.date_echeance,
                paid: b.paid.unwrap_or(false),
                meter_status: b.meter_status,
            })
        })
        .collect()
}

/// `/api-services/balance` → [`Balance`].
pub(crate) fn balance(body: &Value) -> Result<Balance, ConnectorError> {
    let raw = crate::connector::redact::redact(body);
    let resp: BalanceResponse =
        serde_json::from_value(body.clone()).map_err(|e| unusable(&raw, e))?;
    let b = resp.balance.unwrap_or_default();
    crate::connector::http::balance_of(b.balance.as_ref(), b.currency, raw, "balance")
}

/// One entry of `/api-services/services`: only its code matters to the till.
#[derive(Debug, Deserialize)]
struct ListedService {
    #[serde(rename = "serviceCode")]
    service_code: String,
}

/// `{services:[…]}`.
#[derive(Debug, Deserialize)]
struct ServicesResponse {
    services: Vec<ListedService>,
}

/// `/api-services/services` → the account's serviceCodes. A body without a `services` list is
/// unusable (never read as "no service").
pub(crate) fn service_codes(body: &Value) -> Result<Vec<String>, ConnectorError> {
    let raw = crate::connector::redact::redact(body);
    let resp: ServicesResponse =
        serde_json::from_value(body.clone()).map_err(|e| unusable(&raw, e))?;
    Ok(resp.services.into_iter().map(|s| s.service_code).collect())
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

    fn ctx() -> AnswerContext {
        AnswerContext {
            provider_ref: None,
            otp_after_init: false,
            minor_per_major: 1,
        }
    }

    #[test]
    fn every_status_word_maps_and_unknown_words_do_not() {
        use OperationStatus::*;
        for (w, s) in [
            ("PENDING", Pending),
            ("PROCESSING", Processing),
            ("SUCCESS", Success),
            ("FAILED", Failed),
            ("CANCELLED", Cancelled),
            ("EXPIRED", Expired),
            ("success", Success),
        ] {
            assert_eq!(map_status(w), Some(s), "{w}");
        }
        assert_eq!(map_status("DONE"), None);
        assert_eq!(map_status(""), None);
    }

    #[test]
    fn error_bodies_with_a_message_string_or_list() {
        let e = map_error(
            CallKind::Submit,
            &reply(
                400,
                json!({"message": ["amount must not be less than 200", "number must match"], "success": false}),
            ),
        );
        match e {
            ConnectorError::Refused {
                native_code,
                message,
                ..
            } => {
                assert_eq!(native_code, "400");
                assert_eq!(
                    message,
                    "amount must not be less than 200; number must match"
                );
            }
            other => panic!("{other:?}"),
        }
        let e = map_error(
            CallKind::Submit,
            &reply(
                400,
                json!({"message": "Insufficient balance", "success": false}),
            ),
        );
        assert!(
            matches!(e, ConnectorError::Refused { ref message, .. } if message == "Insufficient balance")
        );
        // Seed 001's billing failure.
        let e = map_error(
            CallKind::Submit,
            &reply(
                400,
                json!({"message": "Failed to pay bill", "transaction": {"success": false, "Status": "FAILED", "message": "Bill already paid"}}),
            ),
        );
        assert!(
            matches!(e, ConnectorError::Refused { ref message, .. } if message == "Failed to pay bill: Bill already paid")
        );
    }

    #[test]
    fn http_codes_map_to_what_may_have_happened() {
        let body = json!({"message": "x", "success": false});
        let code = |k, s| map_error(k, &reply(s, body.clone())).code();
        assert_eq!(code(CallKind::Submit, 401), "provider_unauthorized");
        assert_eq!(code(CallKind::Submit, 403), "provider_unavailable");
        assert_eq!(code(CallKind::Lookup, 404), "provider_not_found");
        assert_eq!(code(CallKind::Submit, 404), "provider_refused");
        assert_eq!(code(CallKind::Submit, 409), "provider_duplicate");
        assert_eq!(code(CallKind::Submit, 429), "provider_unavailable");
        assert_eq!(code(CallKind::Submit, 500), "provider_no_answer");
        assert_eq!(code(CallKind::Submit, 502), "provider_no_answer");
        assert_eq!(code(CallKind::Submit, 302), "provider_no_answer");
        let mut r = reply(429, body.clone());
        r.retry_after = Some(std::time::Duration::from_secs(1));
        assert!(matches!(
            map_error(CallKind::Submit, &r),
            ConnectorError::Unavailable { retry_after: Some(d), .. } if d.as_secs() == 1
        ));
    }

    #[test]
    fn a_2xx_that_is_not_json_is_ambiguous() {
        let r = Reply {
            status: 200,
            body: json!({"unparsed_body": "<html>"}),
            is_json: false,
            retry_after: None,
        };
        assert_eq!(
            success_body(CallKind::Submit, &r).unwrap_err().code(),
            "provider_no_answer"
        );
    }

    #[test]
    fn init_answer_with_wave_cashout_url_and_fee() {
        let body = json!({"message": "Transaction initiated successfully", "transaction": {
            "success": true, "transactionId": "TID1", "externalTransactionId": "K1",
            "transactionType": "CASHOUT", "amount": 5000, "transactionFee": 50,
            "number": "771234567", "Status": "PENDING", "cashout_url": "https://pay/x"}});
        let a = transaction_answer(&body, &ctx()).unwrap();
        assert_eq!(a.status, OperationStatus::Pending);
        assert_eq!(a.native_status, "PENDING");
        assert_eq!(a.provider_ref.as_deref(), Some("TID1"));
        assert_eq!(a.fee_minor, Some(50));
        assert_eq!(a.customer_url.as_deref(), Some("https://pay/x"));
        assert!(!a.awaits_otp);
        assert_eq!(
            a.message.as_deref(),
            Some("Transaction initiated successfully")
        );
        assert_eq!(a.details["transaction_type"], "CASHOUT");
    }

    #[test]
    fn woyofal_token_processing_and_wizall_otp() {
        let body = json!({"message": "Bill paid successfully", "transaction": {
            "success": true, "transactionId": "TID9", "transactionType": "BILL", "amount": 1000,
            "transactionFee": 10, "number": "07061270877", "token": "12839300932092231234",
            "Status": "SUCCESS", "currentBalance": 498990}});
        let a = transaction_answer(&body, &ctx()).unwrap();
        assert_eq!(a.status, OperationStatus::Success);
        assert_eq!(a.token.as_deref(), Some("12839300932092231234"));
        assert_eq!(a.details["balance_after"], 498990);

        let body = json!({"message": "Bill paid successfully", "transaction": {
            "success": true, "transactionId": "TID9", "transactionType": "BILL", "amount": 1000,
            "Status": "PROCESSING", "message": "Top-up in progress — token available shortly"}});
        let a = transaction_answer(&body, &ctx()).unwrap();
        assert_eq!(a.status, OperationStatus::Processing);
        assert_eq!(a.token, None);
        assert_eq!(
            a.message.as_deref(),
            Some("Top-up in progress — token available shortly")
        );

        // Status lookup: capitalised fields, `Token`, no id echoed.
        let body = json!({"message": "Transaction found", "transaction": {
            "ServiceName": "Woyofal", "Type": "BILL", "Amount": 1000, "Status": "SUCCESS",
            "Token": "555"}});
        let c = AnswerContext {
            provider_ref: Some("TID9".into()),
            ..ctx()
        };
        let a = transaction_answer(&body, &c).unwrap();
        assert_eq!(a.token.as_deref(), Some("555"));
        assert_eq!(a.provider_ref.as_deref(), Some("TID9"));

        let c = AnswerContext {
            otp_after_init: true,
            ..ctx()
        };
        let body = json!({"transaction": {"transactionId": "TID2", "Status": "PENDING"}});
        assert!(transaction_answer(&body, &c).unwrap().awaits_otp);
        let body = json!({"transaction": {"transactionId": "TID2", "Status": "SUCCESS"}});
        assert!(!transaction_answer(&body, &c).unwrap().awaits_otp);
    }

    #[test]
    fn link_answer_and_unknown_status() {
        let body = json!({"success": true, "transactionId": "MID1",
            "PaymentUrl": "https://pay.dexchange.sn/process/MID1", "externalTransactionId": "K",
            "Status": "PENDING"});
        let a = transaction_answer(&body, &ctx()).unwrap();
        assert_eq!(
            a.customer_url.as_deref(),
            Some("https://pay.dexchange.sn/process/MID1")
        );
        assert_eq!(a.provider_ref.as_deref(), Some("MID1"));
        let body = json!({"transaction": {"Status": "WEIRD"}});
        assert_eq!(
            transaction_answer(&body, &ctx()).unwrap_err().code(),
            "provider_no_answer"
        );
        let body = json!({"transaction": {}});
        assert_eq!(
            transaction_answer(&body, &ctx()).unwrap_err().code(),
            "provider_no_answer"
        );
    }

    #[test]
    fn an_unknown_status_word_keeps_the_transaction_id() {
        let body = json!({"transaction": {"transactionId": "TID5", "Status": "ON_HOLD"}});
        match transaction_answer(&body, &ctx()).unwrap_err() {
            ConnectorError::Ambiguous {
                detail,
                raw,
                provider_ref,
            } => {
                assert!(detail.contains("ON_HOLD"), "{detail}");
                assert_eq!(provider_ref.as_deref(), Some("TID5"));
                assert_eq!(raw["transaction"]["Status"], "ON_HOLD");
            }
            other => panic!("{other:?}"),
        }
        // A status lookup does not echo the id: the one asked about is kept.
        let c = AnswerContext {
            provider_ref: Some("TID6".into()),
            ..ctx()
        };
        let body = json!({"transaction": {"Status": "REVERSAL_PENDING"}});
        match transaction_answer(&body, &c).unwrap_err() {
            ConnectorError::Ambiguous { provider_ref, .. } => {
                assert_eq!(provider_ref.as_deref(), Some("TID6"))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_overflowing_fee_is_evidence_not_a_panic() {
        let body = json!({"transaction": {"transactionId": "TID7", "Status": "SUCCESS",
            "transactionFee": 1e300}});
        let a = transaction_answer(&body, &ctx()).unwrap();
        assert_eq!(a.status, OperationStatus::Success);
        assert_eq!(a.fee_minor, None);
        assert_eq!(a.details["fee_unreadable"], 1e300);
        // A bill whose amount + fee does not fit is not a bill we can show.
        let body = json!({"success": true, "bills": [{"referenceClient": "1",
            "montant": i64::MAX, "frais": 1000}]});
        let e = bills(&body).unwrap_err();
        assert_eq!(e.code(), "provider_no_answer");
        let body = json!({"success": true, "bills": [{"referenceClient": "1",
            "montant": "12abc"}]});
        assert_eq!(bills(&body).unwrap_err().code(), "provider_no_answer");
    }

    #[test]
    fn inquiry_bills_and_balance() {
        let body = json!({"success": true, "referenceClient": "210278816", "bills": [{
            "paymentTransactionNumber": "PTN1", "referenceClient": "210278816",
            "referenceFacture": "8000000680", "nom": "Diop", "prenom": "Awa", "montant": 104500,
            "frais": 1045, "total": 105545, "dateEcheance": "2025-12-15", "paid": false,
            "address": "Dakar", "meterStatus": null}]});
        let b = bills(&body).unwrap();
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].customer_name, "Awa Diop");
        assert_eq!(b[0].amount_minor, 104_500);
        assert_eq!(b[0].total_minor, 105_545);
        assert_eq!(b[0].reference_facture.as_deref(), Some("8000000680"));
        assert!(!b[0].paid);
        let e =
            bills(&json!({"success": false, "message": "Unknown reference_client"})).unwrap_err();
        assert_eq!(e.code(), "provider_refused");

        let bal = balance(&json!({"balance": {"success": true, "balance": 5000000, "currency": "XOF", "lastUpdate": "x"}})).unwrap();
        assert_eq!(
            bal,
            Balance {
                amount_minor: 5_000_000,
                currency: "XOF".into()
            }
        );
    }

    #[test]
    fn raw_answers_are_redacted() {
        let body = json!({"transaction": {"transactionId": "T", "Status": "PENDING", "otp": "1234", "api_key": "k"}});
        let a = transaction_answer(&body, &ctx()).unwrap();
        assert_eq!(a.raw["transaction"]["otp"], "***");
        assert_eq!(a.raw["transaction"]["api_key"], "***");
        let e = map_error(
            CallKind::Submit,
            &reply(401, json!({"message": "bad", "Authorization": "Bearer k"})),
        );
        match e {
            ConnectorError::Unauthorized { raw } => assert_eq!(raw["Authorization"], "***"),
            other => panic!("{other:?}"),
        }
    }
}
