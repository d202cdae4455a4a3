//! EASYTRANSFERT (`/easytransfert/api_v1/…`): `transaction/airtime` (cash-in and cash-out by
//! service_id), `transaction/status`, and `admin/partner/wallet/single` (providers.md §2, seed 003).
//!
//! - Auth: `api_key` in the JSON body (401 `{error}` when wrong); `x-api-key` header for the wallet.
//! - Malformed body or missing/mistyped field: HTTP 400 `{error}`. Business errors (unknown
//!   service, amount not a multiple of 100 or outside 500..500,000, bad destination, missing
//!   `om_otp` for 23/27/29, insufficient wallet): HTTP 200 `{error}`.
//! - Accepted: HTTP 202 `{data:{transaction_id:"EFB.…", state:"PENDING1", …}}`, never final.
//!   Cash-ins (and OTP cash-outs) go `PENDING1` → `PENDING` → final after the settle delay;
//!   cash-outs without OTP wait for the customer. Success is spelled `SUCCESSFUL` or `SUCCESS`
//!   (both occur; chosen per transaction from the seed), failure `FAILED`. An IPN is POSTed to
//!   `ipn_url` at the final state.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use hmac::{Hmac, Mac};
use rand::Rng;
use serde_json::{json, Map, Value};
use sha2::Sha256;

use crate::http::{json, parse_object};
use crate::state::SandboxState;
use crate::world::book::{otp_is_valid, wallet_behaviour, WalletBehaviour, WRONG_OTP};
use crate::world::{iso, Kind, Provider, Txn, Waiting};

/// One EASYTRANSFERT service: a `provider = "easytransfert"` service of the till's catalog
/// ([`crate::catalog`]), with its limits (500..500,000 in multiples of 100 [doc]) and OTP.
#[derive(Debug, Clone)]
pub struct EtService {
    /// service_id.
    pub id: i64,
    /// Name.
    pub name: &'static str,
    /// Country.
    pub country: &'static str,
    /// Cash-out (collection) rather than cash-in.
    pub cash_out: bool,
    /// `om_otp` required.
    pub needs_otp: bool,
    /// Amount rules, hundredths.
    pub offer: &'static crate::catalog::CatalogOffer,
}

static ET_SERVICES: std::sync::LazyLock<Vec<EtService>> = std::sync::LazyLock::new(|| {
    crate::catalog::services_of("easytransfert")
        .filter_map(|s| {
            let offer = s.offers.first()?;
            Some(EtService {
                id: s.native_id.parse().ok()?,
                name: &s.name.en,
                country: &s.country,
                cash_out: offer.kind == "collection",
                needs_otp: offer.otp,
                offer,
            })
        })
        .collect()
});

/// The services of providers.md §2, as the catalog lists them (29, the assumed Orange Mali
/// cash-out, included: the provider serves it even though the till does not sell it).
pub fn services() -> &'static [EtService] {
    &ET_SERVICES
}

/// Fee percent on both directions [gap: not documented]; commission is 0 [gap].
pub const ET_FEE_PERCENT: i64 = 1;

/// Local destination length per country (no country code): CI 10 (`0103444777`), SN 9, ML 8.
fn destination_digits(country: &str) -> usize {
    match country {
        "CI" => 10,
        "ML" => 8,
        _ => 9,
    }
}

/// The EASYTRANSFERT routes, relative to `/easytransfert/api_v1`.
pub fn routes() -> Router<SandboxState> {
    Router::new()
        .route("/transaction/airtime", post(airtime))
        .route("/transaction/status", post(status))
        // [gap] the docs say POST; GET is accepted too.
        .route("/admin/partner/wallet/single", post(wallet).get(wallet))
}

fn err(status: StatusCode, message: &str) -> Response {
    json(status, json!({ "error": message }))
}

/// `hash` of status answers and IPNs [gap: algorithm undocumented]: lowercase hex
/// HMAC-SHA256, key = the api_key, message = transaction_id + state + amount.
pub fn hash(api_key: &str, transaction_id: &str, state: &str, amount: i64) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(api_key.as_bytes()).expect("HMAC takes any key length");
    mac.update(format!("{transaction_id}{state}{amount}").as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

fn data(t: &Txn, api_key: &str) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("transaction_id".into(), json!(t.provider_id));
    m.insert("amount".into(), json!(t.amount));
    m.insert("fee".into(), json!(t.fee));
    m.insert("commission".into(), json!(0));
    m.insert(
        "service_id".into(),
        json!(t.service.parse::<i64>().unwrap_or(0)),
    );
    m.insert("destination".into(), json!(t.customer));
    m.insert("state".into(), json!(t.native_status));
    m.insert("custom_data".into(), json!(t.custom_data));
    m.insert("error".into(), json!(t.failure_reason));
    m.insert(
        "hash".into(),
        json!(hash(api_key, &t.provider_id, &t.native_status, t.amount)),
    );
    m.insert("created_at".into(), json!(iso(t.created_at)));
    m.insert(
        "updated_at".into(),
        json!(iso(t.completed_at.unwrap_or(t.created_at))),
    );
    m
}

/// The IPN body: the status fields plus `ipn_state` (= the final state) [gap: flat object].
pub fn ipn(t: &Txn, api_key: &str) -> Value {
    let mut m = data(t, api_key);
    m.insert("ipn_state".into(), json!(t.native_status));
    Value::Object(m)
}

/// `Some` is the 401 answer.
fn check_key(state: &SandboxState, obj: &Map<String, Value>) -> Option<Response> {
    match obj.get("api_key") {
        Some(Value::String(k)) if *k == state.config().credentials.easytransfert_key => None,
        _ => Some(err(StatusCode::UNAUTHORIZED, "Invalid api_key")),
    }
}

/// `POST /transaction/airtime`.
pub async fn airtime(State(state): State<SandboxState>, body: Bytes) -> Response {
    let obj = match parse_object(&body) {
        Ok(o) => o,
        Err(e) => return err(StatusCode::BAD_REQUEST, &e),
    };
    if let Some(r) = check_key(&state, &obj) {
        return r;
    }
    // Required fields and types → 400.
    let amount = match obj.get("amount") {
        Some(Value::Number(n)) if n.as_i64().is_some() => n.as_i64().unwrap_or(0),
        Some(Value::Number(_)) => return err(StatusCode::BAD_REQUEST, "amount must be an integer"),
        None | Some(Value::Null) => return err(StatusCode::BAD_REQUEST, "amount is required"),
        Some(_) => return err(StatusCode::BAD_REQUEST, "amount must be an integer"),
    };
    let service_id = match obj.get("service_id") {
        Some(Value::Number(n)) if n.as_i64().is_some() => n.as_i64().unwrap_or(0),
        None | Some(Value::Null) => return err(StatusCode::BAD_REQUEST, "service_id is required"),
        Some(_) => return err(StatusCode::BAD_REQUEST, "service_id must be an integer"),
    };
    let text = |k: &str, required: bool| -> Result<Option<String>, String> {
        match obj.get(k) {
            Some(Value::String(s)) if !s.is_empty() => Ok(Some(s.clone())),
            None | Some(Value::Null) | Some(Value::String(_)) if required => {
                Err(format!("{k} is required"))
            }
            None | Some(Value::Null) | Some(Value::String(_)) => Ok(None),
            Some(_) => Err(format!("{k} must be a string")),
        }
    };
    let destination = match text("destination", true) {
        Ok(d) => d.unwrap_or_default(),
        Err(e) => return err(StatusCode::BAD_REQUEST, &e),
    };
    let ipn_url = match text("ipn_url", true) {
        Ok(d) => d,
        Err(e) => return err(StatusCode::BAD_REQUEST, &e),
    };
    let custom_data = match text("custom_data", false) {
        Ok(d) => d,
        Err(e) => return err(StatusCode::BAD_REQUEST, &e),
    };
    let om_otp = match text("om_otp", false) {
        Ok(d) => d,
        Err(e) => return err(StatusCode::BAD_REQUEST, &e),
    };
    // Business errors → HTTP 200 {error}.
    let Some(service) = services().iter().find(|s| s.id == service_id) else {
        return err(StatusCode::OK, &format!("Unknown service_id {service_id}"));
    };
    let offer = service.offer;
    let Some(hundredths) = amount.checked_mul(100) else {
        return err(StatusCode::OK, "amount is too large");
    };
    if let Some(m) = offer.multiple_of.filter(|m| hundredths % m != 0) {
        return err(
            StatusCode::OK,
            &format!("amount must be a multiple of {}", crate::catalog::major(m)),
        );
    }
    if !offer.accepts_amount(hundredths) {
        return err(
            StatusCode::OK,
            &format!(
                "amount must be between {}",
                offer.describe_limits().replace("..", " and ")
            ),
        );
    }
    let digits = destination_digits(service.country);
    if !crate::http::is_digits(&destination, digits) {
        return err(
            StatusCode::OK,
            &format!("destination must be a local number of {digits} digits without country code"),
        );
    }
    if service.needs_otp {
        match &om_otp {
            None => return err(StatusCode::OK, "om_otp is required for this service"),
            Some(o) if o != WRONG_OTP && !otp_is_valid(o) => {
                return err(
                    StatusCode::OK,
                    &format!("om_otp must be {}", crate::catalog::otp_rule().describe()),
                )
            }
            _ => {}
        }
    }
    let key = state.config().credentials.easytransfert_key.clone();
    let (idx, answer) = {
        let mut w = state.world();
        let id = w.next_easytransfert_id();
        let fee = amount * ET_FEE_PERCENT / 100;
        let kind = if service.cash_out {
            Kind::CashOut
        } else {
            Kind::CashIn
        };
        let mut t = Txn::new(
            Provider::Easytransfert,
            kind,
            &service_id.to_string(),
            id.clone(),
        );
        t.service_name = service.name.into();
        t.external_id = custom_data.clone();
        t.amount = amount;
        t.fee = fee;
        t.customer = destination.clone();
        t.callback_url = ipn_url;
        t.custom_data = custom_data;
        t.native_status = "PENDING1".into();
        t.et_success = if w.rng_for(&format!("et-spelling:{id}")).gen_bool(0.5) {
            "SUCCESSFUL"
        } else {
            "SUCCESS"
        };
        let behaviour = wallet_behaviour(&destination);
        if kind == Kind::CashIn {
            match w.debit(Provider::Easytransfert, "XOF", amount + fee) {
                Ok((prev, cur)) => {
                    t.previous_balance = Some(prev);
                    t.current_balance = Some(cur);
                    t.debited = true;
                }
                Err(_) => return err(StatusCode::OK, "Insufficient wallet balance"),
            }
        }
        t.waiting = match (behaviour, kind, om_otp.is_some()) {
            (WalletBehaviour::NeverAnswers, _, _) => Waiting::Forever,
            (_, Kind::CashOut, false) => Waiting::Customer,
            _ => Waiting::Settlement,
        };
        if om_otp.as_deref() == Some(WRONG_OTP) {
            t.planned_failure = Some("Invalid OTP".into());
        } else if behaviour == WalletBehaviour::Declines {
            t.planned_failure = Some(if kind == Kind::CashOut {
                "Declined by customer".into()
            } else {
                "Recipient wallet rejected the operation".into()
            });
        }
        let mut d = data(&t, &key);
        d.remove("error");
        d.remove("hash");
        d.remove("updated_at");
        d.insert(
            "message".into(),
            json!("Transaction en cours de traitement"),
        );
        let idx = w.insert(t);
        (idx, json!({ "data": d }))
    };
    state.arm(idx);
    json(StatusCode::ACCEPTED, answer)
}

/// `POST /transaction/status` with `{api_key, transaction_id}` (`transaction_ids` accepted too,
/// as one doc spells it; given a list, `data` is a list [gap]). Unknown id: HTTP 200
/// `{error:"Transaction not found", statut_code:404}` [gap].
pub async fn status(State(state): State<SandboxState>, body: Bytes) -> Response {
    let obj = match parse_object(&body) {
        Ok(o) => o,
        Err(e) => return err(StatusCode::BAD_REQUEST, &e),
    };
    if let Some(r) = check_key(&state, &obj) {
        return r;
    }
    let ids: Vec<String>;
    let many;
    match obj
        .get("transaction_id")
        .or_else(|| obj.get("transaction_ids"))
    {
        Some(Value::String(s)) if !s.is_empty() => {
            ids = vec![s.clone()];
            many = false;
        }
        Some(Value::Array(a)) if !a.is_empty() => {
            ids = a
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
            many = true;
        }
        _ => return err(StatusCode::BAD_REQUEST, "transaction_id is required"),
    }
    let key = state.config().credentials.easytransfert_key.clone();
    let w = state.world();
    let mut found = Vec::new();
    for id in &ids {
        match w.by_provider_id(Provider::Easytransfert, id) {
            Some(i) => found.push(Value::Object(data(&w.txns[i], &key))),
            None if !many => {
                return json(
                    StatusCode::OK,
                    json!({"error": "Transaction not found", "statut_code": 404}),
                )
            }
            None => {}
        }
    }
    let data = if many {
        Value::Array(found)
    } else {
        found.pop().unwrap_or(Value::Null)
    };
    json(
        StatusCode::OK,
        json!({"data": data, "message": "Transaction trouvée", "statut_code": 200}),
    )
}

/// `POST /admin/partner/wallet/single` with header `x-api-key`.
pub async fn wallet(State(state): State<SandboxState>, headers: HeaderMap) -> Response {
    let given = headers.get("x-api-key").and_then(|v| v.to_str().ok());
    if given != Some(state.config().credentials.easytransfert_key.as_str()) {
        return err(StatusCode::UNAUTHORIZED, "Invalid api key");
    }
    let w = state.world();
    json(
        StatusCode::OK,
        json!({"data": {
            "wallet_amount": w.easytransfert_balance,
            "currency": "XOF",
            "last_updated": iso(w.balance_updated_at(Provider::Easytransfert)),
        }}),
    )
}
