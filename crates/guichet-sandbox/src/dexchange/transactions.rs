//! `POST /transaction/init`, `GET /transaction/{id}` and `POST /transaction/confirm/wizall`.
//!
//! Life of a transaction (all answer `Status: PENDING` at init):
//! - CASHOUT (collection): waits for the customer; approved after the seeded approve delay (or
//!   the admin API). Wave answers a `cashout_url` (the sandbox's customer page). Wizall waits for
//!   `/transaction/confirm/wizall` with an OTP instead.
//! - CASHIN and AIRTIME: amount + fee debited at once, SUCCESS after the settle delay, or FAILED
//!   with the refund.
//!
//! The number decides the outcome: ending `9999` declines/fails, `8888` never answers.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};

use super::services::{self, Op};
use super::{auth, fail, invalid, not_found, transaction_type};
use crate::http::{is_digits, json, opt_str, parse_object, req_int, req_str};
use crate::state::SandboxState;
use crate::world::book::{otp_is_valid, wallet_behaviour, WalletBehaviour};
use crate::world::{iso, Kind, Provider, Status, Txn, Waiting};

/// The `transaction` object of init and confirm answers.
fn init_shape(t: &Txn, base: &str) -> Value {
    let mut v = json!({
        "success": t.status != Status::Failed,
        "transactionId": t.provider_id,
        "externalTransactionId": t.external_id,
        "transactionType": transaction_type(t.kind),
        "amount": t.amount,
        "transactionFee": t.fee,
        "number": t.customer,
        "Status": t.native_status,
    });
    if t.service.starts_with("WAVE_") && t.kind == Kind::CashOut {
        v["cashout_url"] = json!(format!("{base}/__sandbox/customer/{}", t.provider_id));
    }
    v
}

/// `POST /transaction/init`.
pub async fn init(State(state): State<SandboxState>, headers: HeaderMap, body: Bytes) -> Response {
    if let Some(r) = auth(&state, &headers) {
        return r;
    }
    let obj = match parse_object(&body) {
        Ok(o) => o,
        Err(e) => return invalid(vec![e]),
    };
    let mut errors = Vec::new();
    let external = req_str(&obj, "externalTransactionId", &mut errors);
    let code = req_str(&obj, "serviceCode", &mut errors);
    let amount = req_int(&obj, "amount", &mut errors);
    let number = req_str(&obj, "number", &mut errors);
    // [gap] callBackURL, successUrl and failureUrl are optional: a till behind NAT has no
    // reachable callback, and the docs do not say they are required.
    let callback = opt_str(&obj, "callBackURL", &mut errors);
    let _success_url = opt_str(&obj, "successUrl", &mut errors);
    let _failure_url = opt_str(&obj, "failureUrl", &mut errors);
    let custom_data = opt_str(&obj, "customData", &mut errors);
    let (Some(external), Some(code), Some(amount), Some(number)) = (external, code, amount, number)
    else {
        return invalid(errors);
    };
    if !errors.is_empty() {
        return invalid(errors);
    }
    let service = match services::find(&code) {
        Some(s)
            if matches!(s.op, Op::CashIn | Op::CashOut | Op::Airtime)
                && state.config().dexchange_offers(s.code) =>
        {
            s
        }
        _ => {
            return invalid(vec![format!(
                "serviceCode {code} is not a CASHIN, CASHOUT or AIRTIME service of this account"
            )])
        }
    };
    if let Some(e) = services::limit_error(service.code, amount) {
        return invalid(vec![e]);
    }
    let digits = services::number_digits(service.country);
    if !is_digits(&number, digits) {
        return invalid(vec![format!(
            "number must match /^[0-9]{{{digits}}}$/ regular expression"
        )]);
    }
    let base = state.base_url();
    let (idx, answer) = {
        let mut w = state.world();
        if w.dex_external.contains_key(&external) {
            return fail(StatusCode::CONFLICT, "externalTransactionId already used");
        }
        let fee = services::fee(service.op, amount);
        let kind = match service.op {
            Op::CashIn => Kind::CashIn,
            Op::CashOut => Kind::CashOut,
            _ => Kind::Airtime,
        };
        let id = w.next_dexchange_id();
        let mut t = Txn::new(Provider::Dexchange, kind, service.code, id);
        t.service_name = service.name.into();
        t.external_id = Some(external.clone());
        t.amount = amount;
        t.fee = fee;
        t.customer = number.clone();
        t.callback_url = callback;
        t.custom_data = custom_data;
        let behaviour = wallet_behaviour(&number);
        if kind == Kind::CashOut {
            t.waiting = if code == "WIZALL_SN_CASHOUT" {
                Waiting::Otp
            } else if behaviour == WalletBehaviour::NeverAnswers {
                Waiting::Forever
            } else {
                Waiting::Customer
            };
            if behaviour == WalletBehaviour::Declines {
                t.planned_failure = Some("Declined by customer".into());
            }
        } else {
            match w.debit(Provider::Dexchange, "XOF", amount + fee) {
                Ok((prev, cur)) => {
                    t.previous_balance = Some(prev);
                    t.current_balance = Some(cur);
                    t.debited = true;
                }
                Err(_) => return fail(StatusCode::BAD_REQUEST, "Insufficient balance"),
            }
            t.waiting = match behaviour {
                WalletBehaviour::NeverAnswers => Waiting::Forever,
                _ => Waiting::Settlement,
            };
            if behaviour == WalletBehaviour::Declines {
                t.planned_failure = Some("Recipient wallet rejected the operation".into());
            }
        }
        let answer = init_shape(&t, &base);
        let idx = w.insert(t);
        w.dex_external.insert(external, idx);
        (idx, answer)
    };
    state.arm(idx);
    json(
        StatusCode::OK,
        json!({"message": "Transaction initiated successfully", "transaction": answer}),
    )
}

/// `GET /transaction/{transactionId}`. Woyofal top-ups add `Token` [gap: "available via
/// transaction history" without a field name].
pub async fn get(
    State(state): State<SandboxState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Some(r) = auth(&state, &headers) {
        return r;
    }
    let w = state.world();
    let Some(idx) = w.by_provider_id(Provider::Dexchange, &id) else {
        return not_found();
    };
    let t = &w.txns[idx];
    if t.kind == Kind::Link {
        return not_found();
    }
    let mut v = json!({
        "ServiceName": t.service_name,
        "ServiceCode": t.service,
        "Type": transaction_type(t.kind),
        "Amount": t.amount,
        "Number": t.customer,
        "Status": t.native_status,
        "Initiated_at": iso(t.created_at),
        "Completed_at": t.completed_at.map(iso),
    });
    if let Some(token) = &t.token {
        v["Token"] = json!(token);
    }
    json(
        StatusCode::OK,
        json!({"message": "Transaction found", "transaction": v}),
    )
}

/// `POST /transaction/confirm/wizall` with `{transactionId, otp}`. A wrong OTP (`0000`, or not
/// of the catalog's OTP length) answers 400 and leaves the transaction PENDING so the cashier can retry.
pub async fn confirm_wizall(
    State(state): State<SandboxState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(r) = auth(&state, &headers) {
        return r;
    }
    let obj = match parse_object(&body) {
        Ok(o) => o,
        Err(e) => return invalid(vec![e]),
    };
    let mut errors = Vec::new();
    let id = req_str(&obj, "transactionId", &mut errors);
    let otp = req_str(&obj, "otp", &mut errors);
    let (Some(id), Some(otp)) = (id, otp) else {
        return invalid(errors);
    };
    let base = state.base_url();
    let (out, answer) = {
        let mut w = state.world();
        let Some(idx) = w.by_provider_id(Provider::Dexchange, &id) else {
            return not_found();
        };
        let t = &w.txns[idx];
        if t.service != "WIZALL_SN_CASHOUT" {
            return fail(
                StatusCode::BAD_REQUEST,
                "Only Wizall cash-outs are confirmed with an OTP",
            );
        }
        if t.status.is_final() || t.waiting != Waiting::Otp {
            return fail(
                StatusCode::BAD_REQUEST,
                &format!(
                    "Transaction is not awaiting confirmation (Status {})",
                    t.native_status
                ),
            );
        }
        if !otp_is_valid(&otp) {
            return fail(StatusCode::BAD_REQUEST, "Invalid OTP");
        }
        let planned = t.planned_failure.clone();
        let out = w.finalize(idx, planned);
        (out, init_shape(&w.txns[idx], &base))
    };
    state.deliver(out);
    json(
        StatusCode::OK,
        json!({"message": "Transaction confirmed", "transaction": answer}),
    )
}
