//! Payment links (seed 002): `POST /transaction/merchant/get-link` (201) and
//! `GET /transaction/merchant/{id}`. A link is PENDING until paid (admin API or the customer page
//! at its `PaymentUrl`) → SUCCESS, declined → FAILED, or the TTL passes → EXPIRED.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::json;

use super::services;
use super::{auth, invalid, not_found};
use crate::http::{json, opt_str, parse_object, req_int, req_str};
use crate::state::SandboxState;
use crate::world::{iso, Kind, Provider, Txn, Waiting};

/// `POST /transaction/merchant/get-link`.
pub async fn get_link(
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
    let external = req_str(&obj, "externalTransactionId", &mut errors);
    let item = req_str(&obj, "ItemName", &mut errors);
    let price = req_int(&obj, "ItemPrice", &mut errors);
    // Seed 002 marks callBackURL, successUrl and failureUrl as required.
    let callback = req_str(&obj, "callBackURL", &mut errors);
    let _success = req_str(&obj, "successUrl", &mut errors);
    let _failure = req_str(&obj, "failureUrl", &mut errors);
    let custom_data = opt_str(&obj, "customData", &mut errors);
    let _client_name = opt_str(&obj, "ClientName", &mut errors);
    let client_phone = opt_str(&obj, "ClientPhone", &mut errors);
    let _email = opt_str(&obj, "Email", &mut errors);
    if !errors.is_empty() {
        return invalid(errors);
    }
    let (Some(external), Some(item), Some(price)) = (external, item, price) else {
        return invalid(vec!["invalid parameters".into()]);
    };
    // Minimum 100 FCFA (seed 002); no maximum is documented, none is enforced (the catalog's
    // limits, docs/providers.md).
    let (min, max) = services::limits(services::PAYMENT_LINK_CODE);
    if let Some(min) = min.filter(|m| price < *m) {
        return invalid(vec![format!("Minimum amount {min} FCFA")]);
    }
    if let Some(max) = max.filter(|m| price > *m) {
        return invalid(vec![format!("Maximum amount {max} FCFA")]);
    }
    if price <= 0 {
        return invalid(vec!["ItemPrice must be a positive number".into()]);
    }
    let base = state.base_url();
    let (idx, answer) = {
        let mut w = state.world();
        if w.dex_link_external.contains_key(&external) {
            return json(
                StatusCode::CONFLICT,
                json!({"message": ["External transaction ID already exists"], "success": false}),
            );
        }
        let id = w.next_link_id();
        let mut t = Txn::new(Provider::Dexchange, Kind::Link, "PAYMENT_LINK", id.clone());
        t.service_name = "Payment link".into();
        t.external_id = Some(external.clone());
        t.amount = price;
        t.fee = 0; // seed 002's webhook: FEE 0
        t.customer = client_phone.unwrap_or_default();
        t.callback_url = callback;
        t.custom_data = custom_data;
        t.item_name = Some(item);
        t.waiting = Waiting::Payment;
        let idx = w.insert(t);
        w.dex_link_external.insert(external.clone(), idx);
        (
            idx,
            json!({
                "success": true,
                "transactionId": id,
                // [gap] the real format is https://pay.dexchange.sn/process/{id}; the sandbox
                // serves its own customer page so a trainee can "pay".
                "PaymentUrl": format!("{base}/__sandbox/customer/{id}"),
                "externalTransactionId": external,
                "Status": "PENDING",
            }),
        )
    };
    state.arm(idx);
    json(StatusCode::CREATED, answer)
}

/// `GET /transaction/merchant/{transactionId}`.
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
    if t.kind != Kind::Link {
        return not_found();
    }
    json(
        StatusCode::OK,
        json!({"message": "Transaction found", "transaction": {
            "ItemName": t.item_name,
            "Amount": t.amount,
            "Number": if t.customer.is_empty() { None } else { Some(&t.customer) },
            "Status": t.native_status,
            "Initiated_at": iso(t.created_at),
            "Completed_at": t.completed_at.map(iso),
        }}),
    )
}
