//! The Unipesa-engine gateway (`/unipesa/{public_id}/{payment_c2b,payment_b2c,status}`), as in
//! providers.md §3 and seed 004.
//!
//! Every answer is HTTP 200 with the documented shape; a failure is `result.code` ≠ 0:
//! 10201 (documented) for a bad signature or merchant authentication; the other codes are the
//! sandbox's [gap] choices, listed in [`codes`]. Order of checks: body → public_id, merchant_id
//! and signature (10201, not remembered) → order_id → replay of the first answer for that order_id
//! (idempotency: the identical bytes) → validation and creation (the answer is remembered, error
//! or not).
//!
//! c2b waits for the customer's approval (automatic after the approve delay) unless an OTP was
//! given (then it settles after the settle delay); b2c debits the merchant and settles after the
//! settle delay. Provider 14 (Simulator) stays in progress with provider_result -8888 and never
//! calls back. Final states are POSTed, signed, to `callback_url`.

pub mod providers;
pub mod signature;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use chrono::Utc;
use serde_json::{json, Map, Value};

use crate::config::Credentials;
use crate::http::{json, raw_json};
use crate::state::SandboxState;
use crate::world::book::{otp_is_valid, wallet_behaviour, WalletBehaviour, WRONG_OTP};
use crate::world::{money_value, Kind, Provider, Status, Txn, Waiting, World};

/// `result.code` values.
pub mod codes {
    /// Success.
    pub const OK: i64 = 0;
    /// Bad signature / merchant authentication (documented).
    pub const BAD_SIGNATURE: i64 = 10201;
    /// The body is not a JSON object [gap].
    pub const INVALID_REQUEST: i64 = 10100;
    /// A required parameter is missing or malformed [gap].
    pub const INVALID_PARAMETER: i64 = 10101;
    /// Unknown provider_id, or currency/country not those of the provider [gap].
    pub const UNKNOWN_PROVIDER: i64 = 10102;
    /// Amount outside the provider's limits [gap].
    pub const AMOUNT_OUT_OF_LIMITS: i64 = 10103;
    /// Amount not a multiple of 5 where the provider requires it [gap].
    pub const AMOUNT_NOT_MULTIPLE_OF_5: i64 = 10104;
    /// A required `extra` field (otp, customer_name, customer_email) is missing [gap].
    pub const MISSING_EXTRA: i64 = 10105;
    /// The merchant balance cannot pay a b2c [gap].
    pub const INSUFFICIENT_BALANCE: i64 = 10106;
    /// `status` for an order_id the gateway never saw [gap].
    pub const ORDER_NOT_FOUND: i64 = 10404;
}

/// `service_version` of the answers (seed 004's simulator example).
pub const SERVICE_VERSION: &str = "1.03/1.14|1.0/1.26|1.0/1.0|1.01/1.01|1.01/1.01||1.01/1.27";

/// The gateway routes, relative to `/unipesa`.
pub fn routes() -> Router<SandboxState> {
    Router::new()
        .route("/{public_id}/payment_c2b", post(c2b))
        .route("/{public_id}/payment_b2c", post(b2c))
        .route("/{public_id}/status", post(status))
}

fn now_text() -> String {
    Utc::now().format("%Y-%m-%d %H:%M:%S%.6f").to_string()
}

/// The documented answer shape, in the documented field order.
#[allow(clippy::too_many_arguments)]
fn answer(
    order_id: &str,
    transaction_id: &str,
    transaction_ref: &str,
    status: i64,
    result: (i64, &str),
    provider_result: (i64, &str),
    service_id: u32,
) -> Value {
    json!({
        "order_id": order_id,
        "transaction_id": transaction_id,
        "transaction_ref": transaction_ref,
        "status": status,
        "result": {"code": result.0, "message": result.1},
        "provider_result": {"code": provider_result.0, "message": provider_result.1},
        "service_id": service_id,
        "service_version": SERVICE_VERSION,
        "service_date_time": now_text(),
        "confirm_type": 0,
    })
}

fn error_answer(order_id: &str, code: i64, message: &str, service_id: u32) -> Value {
    answer(order_id, "", "", -1, (code, message), (0, ""), service_id)
}

fn ok(v: Value) -> Response {
    json(StatusCode::OK, v)
}

/// Gateway status code of a transaction.
fn status_code(t: &Txn) -> i64 {
    match t.status {
        Status::Pending | Status::Processing => 1,
        Status::Success => 2,
        Status::Failed | Status::Expired => 3,
        Status::Cancelled => 4,
    }
}

/// The current-state answer for a transaction.
fn current(t: &Txn) -> Value {
    let g = t.gateway.as_ref();
    let (code, msg) = g
        .map(|g| (g.provider_result.0, g.provider_result.1.as_str()))
        .unwrap_or((0, ""));
    answer(
        t.external_id.as_deref().unwrap_or_default(),
        &t.provider_id,
        g.map(|g| g.transaction_ref.as_str()).unwrap_or_default(),
        status_code(t),
        (codes::OK, "OK"),
        (code, msg),
        g.map(|g| g.service_id).unwrap_or(1),
    )
}

/// Checks public_id, merchant_id and the signature. `Err` is the 10201 answer.
fn authenticate(
    creds: &Credentials,
    public_id: &str,
    obj: &Map<String, Value>,
    service_id: u32,
) -> Result<(), Value> {
    let order_id = obj.get("order_id").and_then(Value::as_str).unwrap_or("");
    let deny = |m: &str| error_answer(order_id, codes::BAD_SIGNATURE, m, service_id);
    if public_id != creds.unipesa_public_id
        || obj.get("merchant_id").and_then(Value::as_str)
            != Some(creds.unipesa_merchant_id.as_str())
    {
        return Err(deny("Merchant authentication failed"));
    }
    let Some(given) = obj.get("signature").and_then(Value::as_str) else {
        return Err(deny("Signature is missing"));
    };
    if !signature::verify(obj, &creds.unipesa_secret, given) {
        return Err(deny("Invalid signature"));
    }
    Ok(())
}

fn valid_order_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 128
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b':' | b'.'))
}

/// Parses `"1100.00"` into hundredths; exactly two decimals, as documented.
fn parse_amount(s: &str) -> Option<i64> {
    let (int, frac) = s.split_once('.')?;
    if int.is_empty()
        || int.len() > 12
        || frac.len() != 2
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    Some(int.parse::<i64>().ok()? * 100 + frac.parse::<i64>().ok()?)
}

async fn c2b(
    State(state): State<SandboxState>,
    Path(public_id): Path<String>,
    body: Bytes,
) -> Response {
    payment(state, &public_id, &body, 17)
}

async fn b2c(
    State(state): State<SandboxState>,
    Path(public_id): Path<String>,
    body: Bytes,
) -> Response {
    payment(state, &public_id, &body, 16)
}

/// Validates a payment and creates its transaction; `Err` is an error answer.
fn validate_and_create(
    w: &mut World,
    obj: &Map<String, Value>,
    order_id: &str,
    operation_type: u8,
    service_id: u32,
) -> Result<(usize, Value), Value> {
    let fail = |code: i64, m: &str| error_answer(order_id, code, m, service_id);
    let text = |k: &str| obj.get(k).and_then(Value::as_str).filter(|s| !s.is_empty());
    let customer = text("customer_id")
        .ok_or_else(|| fail(codes::INVALID_PARAMETER, "customer_id is required"))?;
    let amount_text =
        text("amount").ok_or_else(|| fail(codes::INVALID_PARAMETER, "amount is required"))?;
    let amount = parse_amount(amount_text).ok_or_else(|| {
        fail(
            codes::INVALID_PARAMETER,
            "amount must be a string with two digits after the point, e.g. \"100.00\"",
        )
    })?;
    let currency =
        text("currency").ok_or_else(|| fail(codes::INVALID_PARAMETER, "currency is required"))?;
    let provider_value = obj
        .get("provider_id")
        .cloned()
        .ok_or_else(|| fail(codes::INVALID_PARAMETER, "provider_id is required"))?;
    let provider_num = match &provider_value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse::<u64>().ok(),
        _ => None,
    }
    .and_then(|n| u32::try_from(n).ok())
    .ok_or_else(|| fail(codes::INVALID_PARAMETER, "provider_id must be a number"))?;
    let provider = providers::find(provider_num)
        .ok_or_else(|| fail(codes::UNKNOWN_PROVIDER, "Unknown provider_id"))?;
    let callback_url = match obj.get("callback_url") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            return Err(fail(
                codes::INVALID_PARAMETER,
                "callback_url must be a string",
            ))
        }
    };
    let extra = match obj.get("extra") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(_) => return Err(fail(codes::INVALID_PARAMETER, "extra must be an object")),
    };
    if provider.simulator {
        if !providers::CURRENCIES.contains(&currency) {
            return Err(fail(codes::INVALID_PARAMETER, "Unknown currency"));
        }
    } else {
        if currency != provider.currency {
            return Err(fail(
                codes::UNKNOWN_PROVIDER,
                &format!("Currency {currency} is not available for provider {provider_num}"),
            ));
        }
        if let Some(country) = text("country") {
            if country != provider.country {
                return Err(fail(
                    codes::UNKNOWN_PROVIDER,
                    &format!("Country {country} is not available for provider {provider_num}"),
                ));
            }
        }
    }
    if !provider.phone.matches(customer) {
        return Err(fail(
            codes::INVALID_PARAMETER,
            &format!("customer_id must be {}", provider.phone.describe()),
        ));
    }
    let offer = if operation_type == 17 {
        provider.c2b
    } else {
        provider.b2c
    };
    let Some(offer) = offer else {
        return Err(fail(
            codes::UNKNOWN_PROVIDER,
            &format!("Operation not available for provider {provider_num}"),
        ));
    };
    // The simulator has no limits [doc: country ANY, no table].
    if !provider.simulator {
        if amount <= 0
            || offer.min.is_some_and(|m| amount < m)
            || offer.max.is_some_and(|m| amount > m)
        {
            return Err(fail(
                codes::AMOUNT_OUT_OF_LIMITS,
                &format!(
                    "Amount is out of the provider's limits ({} {})",
                    offer.describe_limits(),
                    provider.currency
                ),
            ));
        }
        if let Some(m) = offer.multiple_of.filter(|m| amount % m != 0) {
            return Err(fail(
                codes::AMOUNT_NOT_MULTIPLE_OF_5,
                &format!("Amount must be a multiple of {}", crate::catalog::major(m)),
            ));
        }
    }
    let extra_text = |k: &str| {
        extra
            .get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    for field in &offer.extras {
        if extra_text(field).is_none() {
            return Err(fail(
                codes::MISSING_EXTRA,
                &format!("extra.{field} is required"),
            ));
        }
    }
    let otp = extra_text("otp").map(str::to_string);
    if offer.otp {
        let rule = crate::catalog::otp_rule();
        match otp.as_deref() {
            None => return Err(fail(codes::MISSING_EXTRA, "extra.otp is required")),
            Some(o) if o != WRONG_OTP && !otp_is_valid(o) => {
                return Err(fail(
                    codes::INVALID_PARAMETER,
                    &format!("extra.otp must be {}", rule.describe()),
                ))
            }
            _ => {}
        }
    }

    let id = w.next_gateway_id();
    let kind = if operation_type == 17 {
        Kind::CashOut
    } else {
        Kind::CashIn
    };
    let mut t = Txn::new(Provider::Unipesa, kind, &provider_num.to_string(), id);
    t.service_name = format!("{} {}", provider.name, provider.country);
    t.external_id = Some(order_id.to_string());
    t.amount = amount;
    t.fee = 0; // [gap] the gateway documents no fee
    t.currency = currency.to_string();
    t.customer = customer.to_string();
    t.callback_url = callback_url;
    t.native_status = "1".into();
    let behaviour = wallet_behaviour(customer);
    if kind == Kind::CashIn {
        match w.debit(Provider::Unipesa, currency, amount) {
            Ok((prev, cur)) => {
                t.previous_balance = Some(prev);
                t.current_balance = Some(cur);
                t.debited = true;
            }
            Err(_) => {
                return Err(fail(
                    codes::INSUFFICIENT_BALANCE,
                    "Insufficient merchant balance",
                ))
            }
        }
    }
    t.waiting = if provider.simulator || behaviour == WalletBehaviour::NeverAnswers {
        Waiting::Forever
    } else if kind == Kind::CashOut && otp.is_none() {
        Waiting::Customer
    } else {
        Waiting::Settlement
    };
    if kind == Kind::CashOut && otp.as_deref() == Some(WRONG_OTP) {
        t.planned_failure = Some("Invalid OTP".into());
    } else if behaviour == WalletBehaviour::Declines {
        t.planned_failure = Some(if kind == Kind::CashOut {
            "Declined by customer".into()
        } else {
            "Recipient wallet rejected the operation".into()
        });
    }
    t.gateway = Some(crate::world::GatewayInfo {
        operation_type,
        provider_id: provider_value,
        provider: provider_num,
        transaction_ref: String::new(),
        provider_result: if provider.simulator {
            (-8888, "Good".into())
        } else {
            (0, "OK".into())
        },
        simulator: provider.simulator,
        service_id,
    });
    let v = current(&t);
    let idx = w.insert(t);
    Ok((idx, v))
}

fn payment(state: SandboxState, public_id: &str, body: &[u8], operation_type: u8) -> Response {
    let service_id = if operation_type == 17 { 1 } else { 11 };
    let obj = match crate::http::parse_object(body) {
        Ok(o) => o,
        Err(e) => return ok(error_answer("", codes::INVALID_REQUEST, &e, service_id)),
    };
    if let Err(v) = authenticate(&state.config().credentials, public_id, &obj, service_id) {
        return ok(v);
    }
    let order_id = match obj.get("order_id").and_then(Value::as_str) {
        Some(o) if valid_order_id(o) => o.to_string(),
        _ => {
            return ok(error_answer(
                "",
                codes::INVALID_PARAMETER,
                "order_id is required: up to 128 of [A-Za-z0-9_-:.]",
                service_id,
            ))
        }
    };
    let (idx, text) = {
        let mut w = state.world();
        // Idempotency: the same order_id answers the identical bytes.
        if let Some((stored, _)) = w.gw_answers.get(&order_id) {
            return raw_json(StatusCode::OK, stored.clone());
        }
        let (idx, v) =
            match validate_and_create(&mut w, &obj, &order_id, operation_type, service_id) {
                Ok((idx, v)) => (Some(idx), v),
                Err(v) => (None, v),
            };
        let text = v.to_string();
        w.gw_answers.insert(order_id, (text.clone(), idx));
        (idx, text)
    };
    if let Some(i) = idx {
        state.arm(i);
    }
    raw_json(StatusCode::OK, text)
}

async fn status(
    State(state): State<SandboxState>,
    Path(public_id): Path<String>,
    body: Bytes,
) -> Response {
    let obj = match crate::http::parse_object(&body) {
        Ok(o) => o,
        Err(e) => return ok(error_answer("", codes::INVALID_REQUEST, &e, 1)),
    };
    if let Err(v) = authenticate(&state.config().credentials, &public_id, &obj, 1) {
        return ok(v);
    }
    let Some(order_id) = obj
        .get("order_id")
        .and_then(Value::as_str)
        .filter(|o| valid_order_id(o))
    else {
        return ok(error_answer(
            "",
            codes::INVALID_PARAMETER,
            "order_id is required",
            1,
        ));
    };
    // extra.otp may be sent for some providers; the sandbox accepts and ignores it [gap].
    let w = state.world();
    match w.gw_answers.get(order_id) {
        None => ok(error_answer(
            order_id,
            codes::ORDER_NOT_FOUND,
            "Order not found",
            1,
        )),
        Some((_, Some(idx))) => ok(current(&w.txns[*idx])),
        Some((stored, None)) => {
            // The order was refused: report the same result, status -1.
            let v: Value = serde_json::from_str(stored).unwrap_or(Value::Null);
            let code = v["result"]["code"]
                .as_i64()
                .unwrap_or(codes::INVALID_PARAMETER);
            let msg = v["result"]["message"].as_str().unwrap_or("").to_string();
            ok(error_answer(order_id, code, &msg, 1))
        }
    }
}

/// The signed callback body for a transaction's current state (seed 004's callback example):
/// `merchant_id, operation_type, customer_id, amount, order_id, transaction_id, transaction_ref,
/// status, provider_id, destination_id, result{code,message}, signature`.
pub fn callback_body(t: &Txn, creds: &Credentials) -> String {
    let g = t.gateway.as_ref();
    let mut m = Map::new();
    m.insert("merchant_id".into(), json!(creds.unipesa_merchant_id));
    m.insert(
        "operation_type".into(),
        json!(g.map(|g| g.operation_type).unwrap_or(17)),
    );
    m.insert("customer_id".into(), json!(t.customer));
    m.insert("amount".into(), money_value(Provider::Unipesa, t.amount));
    m.insert("order_id".into(), json!(t.external_id));
    m.insert("transaction_id".into(), json!(t.provider_id));
    m.insert(
        "transaction_ref".into(),
        json!(g.map(|g| g.transaction_ref.clone()).unwrap_or_default()),
    );
    m.insert("status".into(), json!(status_code(t)));
    m.insert(
        "provider_id".into(),
        json!(g.map(|g| g.provider).unwrap_or(0)),
    );
    m.insert("destination_id".into(), json!(""));
    let (code, msg) = g
        .map(|g| (g.provider_result.0, g.provider_result.1.clone()))
        .unwrap_or((0, "OK".into()));
    m.insert("result".into(), json!({"code": code, "message": msg}));
    let sig = signature::sign(&m, &creds.unipesa_secret).unwrap_or_default();
    m.insert("signature".into(), json!(sig));
    Value::Object(m).to_string()
}
