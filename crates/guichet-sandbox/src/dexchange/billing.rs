//! `POST /billing/inquiry` and `POST /billing/pay` (seed 001): SenEau and Senelec bills paid
//! synchronously at the amount the bill imposes, Woyofal top-ups at the amount asked, with a
//! 20-digit token at once or `PROCESSING` then a token (or a failure refunding amount + fee).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use rand::Rng;
use serde_json::{json, Value};

use super::services::{self, Op};
use super::{auth, fail, invalid};
use crate::http::{json, opt_int, opt_str, parse_object, req_str};
use crate::state::SandboxState;
use crate::world::book::{bill_fee, Biller, MeterBehaviour};
use crate::world::{Kind, Provider, Status, Txn, Waiting};

fn biller_of(code: &str) -> Option<(Op, Option<Biller>)> {
    match code {
        "SENELEC_SN_BILL" => Some((Op::Bill, Some(Biller::Senelec))),
        "SENEAU_SN_BILL" => Some((Op::Bill, Some(Biller::Seneau))),
        "WOYOFAL_SN_BILL" => Some((Op::Woyofal, None)),
        _ => None,
    }
}

/// The error shape of seed 001: 400 `{message:"Failed to pay bill", transaction:{success:false,
/// Status:"FAILED", message}}`.
fn pay_failed(message: &str) -> Response {
    json(
        StatusCode::BAD_REQUEST,
        json!({
            "message": "Failed to pay bill",
            "transaction": {"success": false, "Status": "FAILED", "message": message},
        }),
    )
}

/// `POST /billing/inquiry` with `{serviceCode, reference_client}`. An unknown reference answers
/// 400 `{message:"Unknown reference_client", success:false}` [gap].
pub async fn inquiry(
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
    let code = req_str(&obj, "serviceCode", &mut errors);
    let reference = req_str(&obj, "reference_client", &mut errors);
    let (Some(code), Some(reference)) = (code, reference) else {
        return invalid(errors);
    };
    let Some((op, biller)) = biller_of(&code) else {
        return invalid(vec![
            "serviceCode must be one of SENEAU_SN_BILL, SENELEC_SN_BILL, WOYOFAL_SN_BILL".into(),
        ]);
    };
    if !state.config().dexchange_offers(&code) {
        return invalid(vec![format!(
            "serviceCode {code} is not a service of this account"
        )]);
    }
    let w = state.world();
    let bills: Vec<Value> = if op == Op::Woyofal {
        let Some(m) = w.book.meter(&reference) else {
            return fail(StatusCode::BAD_REQUEST, "Unknown reference_client");
        };
        // Woyofal: bills[0] describes the meter, montant is 0 (providers.md).
        vec![json!({
            "paymentTransactionNumber": null,
            "referenceClient": m.reference_client,
            "referenceFacture": null,
            "nom": m.nom,
            "prenom": m.prenom,
            "montant": 0,
            "frais": 0,
            "total": 0,
            "dateEcheance": null,
            "paid": false,
            "address": m.address,
            "meterStatus": m.meter_status,
        })]
    } else {
        let biller = biller.unwrap_or(Biller::Senelec);
        let Some(a) = w
            .book
            .accounts(biller)
            .iter()
            .find(|a| a.reference_client == reference)
        else {
            return fail(StatusCode::BAD_REQUEST, "Unknown reference_client");
        };
        a.bills
            .iter()
            .map(|b| {
                json!({
                    "paymentTransactionNumber": b.payment_transaction_number,
                    "referenceClient": a.reference_client,
                    "referenceFacture": b.reference_facture,
                    "nom": a.nom,
                    "prenom": a.prenom,
                    "montant": b.montant,
                    "frais": b.frais,
                    "total": b.montant + b.frais,
                    "dateEcheance": b.date_echeance,
                    "paid": b.paid,
                    "address": a.address,
                    "meterStatus": null,
                })
            })
            .collect()
    };
    json(
        StatusCode::OK,
        json!({"success": true, "referenceClient": reference, "bills": bills}),
    )
}

/// `POST /billing/pay` (seed 001).
pub async fn pay(State(state): State<SandboxState>, headers: HeaderMap, body: Bytes) -> Response {
    if let Some(r) = auth(&state, &headers) {
        return r;
    }
    let obj = match parse_object(&body) {
        Ok(o) => o,
        Err(e) => return invalid(vec![e]),
    };
    let mut errors = Vec::new();
    let code = req_str(&obj, "serviceCode", &mut errors);
    let reference = req_str(&obj, "reference_client", &mut errors);
    let amount = opt_int(&obj, "amount", &mut errors);
    let facture = opt_str(&obj, "reference_facture", &mut errors).filter(|s| !s.is_empty());
    let external = opt_str(&obj, "externalTransactionId", &mut errors).filter(|s| !s.is_empty());
    let callback = opt_str(&obj, "callBackURL", &mut errors);
    let custom_data = opt_str(&obj, "customData", &mut errors);
    let (Some(code), Some(reference)) = (code, reference) else {
        return invalid(errors);
    };
    if !errors.is_empty() {
        return invalid(errors);
    }
    let Some((op, biller)) = biller_of(&code) else {
        return invalid(vec![
            "serviceCode must be one of SENEAU_SN_BILL, SENELEC_SN_BILL, WOYOFAL_SN_BILL".into(),
        ]);
    };
    if !state.config().dexchange_offers(&code) {
        return invalid(vec![format!(
            "serviceCode {code} is not a service of this account"
        )]);
    }
    let woyofal_amount = if op == Op::Woyofal {
        match amount {
            None => return invalid(vec!["amount is required for WOYOFAL_SN_BILL".into()]),
            // [gap] Woyofal limits: the catalog's (docs/providers.md).
            Some(a) => match services::limit_error(&code, a) {
                Some(e) => return invalid(vec![e]),
                None => a,
            },
        }
    } else {
        0
    };
    let service = services::find(&code).copied();
    let (idx, answer, out) = {
        let mut w = state.world();
        if let Some(e) = &external {
            if w.dex_external.contains_key(e) {
                return fail(StatusCode::CONFLICT, "externalTransactionId already used");
            }
        }
        let id = w.next_dexchange_id();
        let mut t = Txn::new(
            Provider::Dexchange,
            if op == Op::Woyofal {
                Kind::Woyofal
            } else {
                Kind::Bill
            },
            &code,
            id.clone(),
        );
        t.service_name = service.map(|s| s.name).unwrap_or_default().into();
        t.external_id = external.clone();
        t.customer = reference.clone();
        t.callback_url = callback;
        t.custom_data = custom_data;
        let answer;
        if let Some(biller) = biller {
            // SenEau / Senelec: amount imposed by the bill, synchronous.
            let Some(account) = w.book.account_mut(biller, &reference) else {
                return pay_failed("Unknown reference_client");
            };
            let bill_idx = match &facture {
                Some(f) => match account.bills.iter().position(|b| &b.reference_facture == f) {
                    Some(i) => i,
                    None => return pay_failed("Unknown reference_facture"),
                },
                None => match account.bills.iter().position(|b| !b.paid) {
                    Some(i) => i,
                    None => return pay_failed("Bill already paid"),
                },
            };
            let bill = account.bills[bill_idx].clone();
            if bill.paid {
                return pay_failed("Bill already paid");
            }
            let Ok((prev, cur)) = w.debit(Provider::Dexchange, "XOF", bill.montant + bill.frais)
            else {
                return pay_failed("Insufficient balance");
            };
            if let Some(a) = w.book.account_mut(biller, &reference) {
                a.bills[bill_idx].paid = true;
            }
            t.amount = bill.montant;
            t.fee = bill.frais;
            t.debited = true;
            t.previous_balance = Some(prev);
            t.current_balance = Some(cur);
            t.reference_facture = Some(bill.reference_facture.clone());
            t.waiting = Waiting::Settlement;
            let idx = w.insert(t);
            let out = w.finalize(idx, None);
            let t = &w.txns[idx];
            let mut a = json!({
                "success": true,
                "transactionId": t.provider_id,
                "externalTransactionId": t.external_id,
                "transactionType": "BILL",
                "amount": t.amount,
                "transactionFee": t.fee,
                "number": t.customer,
                "referenceFacture": t.reference_facture,
                "Status": t.native_status,
                "previousBalance": prev,
                "currentBalance": cur,
            });
            if t.external_id.is_none() {
                a.as_object_mut().map(|m| m.remove("externalTransactionId"));
            }
            answer = a;
            if let Some(e) = &external {
                w.dex_external.insert(e.clone(), idx);
            }
            (idx, answer, out)
        } else {
            let Some(meter) = w.book.meter(&reference).cloned() else {
                return pay_failed("Unknown meter");
            };
            let amount = woyofal_amount;
            let fee = bill_fee(amount);
            let Ok((prev, cur)) = w.debit(Provider::Dexchange, "XOF", amount + fee) else {
                return pay_failed("Insufficient balance");
            };
            t.amount = amount;
            t.fee = fee;
            t.debited = true;
            t.previous_balance = Some(prev);
            t.current_balance = Some(cur);
            let behaviour = match meter.behaviour {
                MeterBehaviour::Seeded => {
                    let roll: f64 = w.rng_for(&format!("woyofal:{id}")).gen();
                    if roll < 0.6 {
                        MeterBehaviour::Instant
                    } else if roll < 0.9 {
                        MeterBehaviour::ProcessingThenToken
                    } else {
                        MeterBehaviour::ProcessingThenFailure
                    }
                }
                b => b,
            };
            let idx;
            let mut out = None;
            if behaviour == MeterBehaviour::Instant {
                t.waiting = Waiting::Settlement;
                idx = w.insert(t);
                out = w.finalize(idx, None);
                let t = &w.txns[idx];
                // Shape of seed 001's "Top-up successful (Woyofal — immediate token)".
                answer = json!({
                    "success": true,
                    "transactionId": t.provider_id,
                    "transactionType": "BILL",
                    "amount": t.amount,
                    "transactionFee": t.fee,
                    "number": t.customer,
                    "token": t.token,
                    "Status": t.native_status,
                    "currentBalance": cur,
                });
            } else {
                t.status = Status::Processing;
                t.native_status = "PROCESSING".into();
                t.waiting = Waiting::Settlement;
                if behaviour == MeterBehaviour::ProcessingThenFailure {
                    t.planned_failure = Some("Top-up rejected by Senelec".into());
                }
                idx = w.insert(t);
                let t = &w.txns[idx];
                // Shape of seed 001's "Top-up processing (Woyofal — asynchronous)".
                answer = json!({
                    "success": true,
                    "transactionId": t.provider_id,
                    "transactionType": "BILL",
                    "amount": t.amount,
                    "Status": "PROCESSING",
                    "message": "Top-up in progress — token available shortly",
                });
            }
            if let Some(e) = &external {
                w.dex_external.insert(e.clone(), idx);
            }
            (idx, answer, out)
        }
    };
    state.arm(idx);
    state.deliver(out);
    json(
        StatusCode::OK,
        json!({"message": "Bill paid successfully", "transaction": answer}),
    )
}
