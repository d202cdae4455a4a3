//! DEXCHANGE (`/dexchange/api/v1/…`): services, balance, transactions (CASHIN, CASHOUT, AIRTIME),
//! the Wizall OTP confirmation, bills (SenEau, Senelec, Woyofal) and payment links, as described
//! in providers.md §1 and seeds 000–002.
//!
//! Errors: 401 `{message, success:false}` on a bad key; 400 with `message` as a list of strings
//! for validation errors (class-validator style) and as a string for business errors; 404
//! `{message:["No transaction found"], success:false}`; 409 on a reused externalTransactionId.

pub mod billing;
pub mod links;
pub mod services;
pub mod transactions;

use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};

use crate::http::json;
use crate::state::SandboxState;
use crate::world::{iso, Kind, Txn};

/// The DEXCHANGE routes, relative to `/dexchange/api/v1`.
pub fn routes() -> Router<SandboxState> {
    Router::new()
        .route("/api-services/services", get(services::list))
        .route("/api-services/balance", get(services::balance))
        .route("/transaction/init", post(transactions::init))
        .route(
            "/transaction/confirm/wizall",
            post(transactions::confirm_wizall),
        )
        .route("/transaction/merchant/get-link", post(links::get_link))
        .route("/transaction/merchant/{id}", get(links::get))
        .route("/transaction/{id}", get(transactions::get))
        .route("/billing/inquiry", post(billing::inquiry))
        .route("/billing/pay", post(billing::pay))
}

/// Checks `Authorization: Bearer <key>`; `Some` is the 401 answer.
pub(crate) fn auth(state: &SandboxState, headers: &HeaderMap) -> Option<Response> {
    let expected = format!("Bearer {}", state.config().credentials.dexchange_key);
    let given = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    if given == Some(expected.as_str()) {
        None
    } else {
        Some(json(
            StatusCode::UNAUTHORIZED,
            json!({"message": "Invalid API key", "success": false}),
        ))
    }
}

/// `{message, success:false}` with a string message.
pub(crate) fn fail(status: StatusCode, message: &str) -> Response {
    json(status, json!({"message": message, "success": false}))
}

/// 400 `{message:[…], success:false}` (validation errors).
pub(crate) fn invalid(messages: Vec<String>) -> Response {
    json(
        StatusCode::BAD_REQUEST,
        json!({"message": messages, "success": false}),
    )
}

/// 404 `{message:["No transaction found"], success:false}`.
pub(crate) fn not_found() -> Response {
    json(
        StatusCode::NOT_FOUND,
        json!({"message": ["No transaction found"], "success": false}),
    )
}

/// The `transactionType` of a transaction.
pub(crate) fn transaction_type(kind: Kind) -> &'static str {
    match kind {
        Kind::CashIn => "CASHIN",
        Kind::CashOut => "CASHOUT",
        Kind::Airtime => "AIRTIME",
        Kind::Bill | Kind::Woyofal => "BILL",
        Kind::Link => "PAYMENT",
    }
}

/// The webhook body for a transaction's current state (providers.md §1, seeds 001/002).
/// Woyofal success adds `TOKEN` [gap: the seed says the token comes "via webhook" without naming
/// the field]. Payment links carry no balances (seed 002).
pub fn webhook(t: &Txn) -> Value {
    let mut v = json!({
        "id": t.provider_id,
        "externalTransactionId": t.external_id,
        "transactionType": transaction_type(t.kind),
        "AMOUNT": t.amount,
        "FEE": t.fee,
        "PHONE_NUMBER": t.customer,
        "STATUS": t.native_status,
        "CUSTOM_DATA": t.custom_data,
        "COMPLETED_AT": t.completed_at.map(iso),
    });
    if t.kind != Kind::Link {
        v["PREVIOUS_BALANCE"] = json!(t.previous_balance);
        v["CURRENT_BALANCE"] = json!(t.current_balance);
    }
    if let Some(token) = &t.token {
        v["TOKEN"] = json!(token);
    }
    v
}
