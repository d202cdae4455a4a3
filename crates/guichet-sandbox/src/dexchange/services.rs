//! DEXCHANGE's service catalogue (seed 000 plus the three billers of seed 001), limits, fees,
//! number formats, and the `services` and `balance` routes.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::json;

use crate::http::json;
use crate::state::SandboxState;
use crate::world::{iso, Provider};

/// What a service does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// Disbursement to a wallet.
    CashIn,
    /// Collection from a wallet.
    CashOut,
    /// Phone credit.
    Airtime,
    /// SenEau / Senelec bill.
    Bill,
    /// Woyofal prepaid top-up.
    Woyofal,
}

/// One DEXCHANGE service.
#[derive(Debug, Clone, Copy)]
pub struct Service {
    /// serviceCode.
    pub code: &'static str,
    /// serviceName (seed 000's descriptions).
    pub name: &'static str,
    /// Country (ISO 3166 alpha-2).
    pub country: &'static str,
    /// What it does.
    pub op: Op,
}

impl Service {
    /// `serviceType` of the services list: MOBILEMONEY or AIRTIME; `BILL` for billers [gap:
    /// providers.md lists only MOBILEMONEY|AIRTIME].
    pub fn service_type(&self) -> &'static str {
        match self.op {
            Op::CashIn | Op::CashOut => "MOBILEMONEY",
            Op::Airtime => "AIRTIME",
            Op::Bill | Op::Woyofal => "BILL",
        }
    }
}

const fn s(code: &'static str, name: &'static str, country: &'static str, op: Op) -> Service {
    Service {
        code,
        name,
        country,
        op,
    }
}

/// Every service: seed 000's codes plus the billers.
pub const SERVICES: &[Service] = &[
    s("OM_SN_CASHIN", "Transfer to Orange Money", "SN", Op::CashIn),
    s(
        "OM_SN_CASHOUT",
        "Receive from Orange Money",
        "SN",
        Op::CashOut,
    ),
    s("WAVE_SN_CASHIN", "Transfer to Wave", "SN", Op::CashIn),
    s("WAVE_SN_CASHOUT", "Receive from Wave", "SN", Op::CashOut),
    s("FM_SN_CASHIN", "Transfer to Free Money", "SN", Op::CashIn),
    s(
        "FM_SN_CASHOUT",
        "Receive from Free Money",
        "SN",
        Op::CashOut,
    ),
    s("WIZALL_SN_CASHIN", "Transfer to Wizall", "SN", Op::CashIn),
    s(
        "WIZALL_SN_CASHOUT",
        "Receive from Wizall",
        "SN",
        Op::CashOut,
    ),
    s("ORANGE_SN_AIRTIME", "Orange recharge", "SN", Op::Airtime),
    s("FREE_SN_AIRTIME", "Free recharge", "SN", Op::Airtime),
    s(
        "EXPRESSO_SN_AIRTIME",
        "Expresso recharge",
        "SN",
        Op::Airtime,
    ),
    s(
        "PROMOBILE_SN_AIRTIME",
        "Promobile recharge",
        "SN",
        Op::Airtime,
    ),
    s(
        "OM_ML_CASHOUT",
        "Receive from Orange Money",
        "ML",
        Op::CashOut,
    ),
    s(
        "MOOV_ML_CASHOUT",
        "Receive from Moov Money",
        "ML",
        Op::CashOut,
    ),
    s("WAVE_ML_CASHOUT", "Receive from Wave", "ML", Op::CashOut),
    s("OM_CI_CASHIN", "Transfer to Orange Money", "CI", Op::CashIn),
    s(
        "OM_CI_CASHOUT",
        "Receive from Orange Money",
        "CI",
        Op::CashOut,
    ),
    s("WAVE_CI_CASHIN", "Transfer to Wave", "CI", Op::CashIn),
    s("WAVE_CI_CASHOUT", "Receive from Wave", "CI", Op::CashOut),
    s("MTN_CI_CASHIN", "Transfer to MTN Money", "CI", Op::CashIn),
    s(
        "MTN_CI_CASHOUT",
        "Receive from MTN Money",
        "CI",
        Op::CashOut,
    ),
    s("MOOV_CI_CASHIN", "Transfer to Moov Money", "CI", Op::CashIn),
    s(
        "MOOV_CI_CASHOUT",
        "Receive from Moov Money",
        "CI",
        Op::CashOut,
    ),
    s(
        "DIGICASH_CI_CASHOUT",
        "Receive from Digi Cash",
        "CI",
        Op::CashOut,
    ),
    s(
        "OM_CM_CASHOUT",
        "Receive from Orange Money",
        "CM",
        Op::CashOut,
    ),
    s(
        "MTN_CM_CASHOUT",
        "Receive from MTN Money",
        "CM",
        Op::CashOut,
    ),
    s("SENEAU_SN_BILL", "SenEau bill", "SN", Op::Bill),
    s("SENELEC_SN_BILL", "Senelec bill", "SN", Op::Bill),
    s("WOYOFAL_SN_BILL", "Woyofal top-up", "SN", Op::Woyofal),
];

/// The serviceCode the till gives the payment link (the API has none) [gap].
pub const PAYMENT_LINK_CODE: &str = "DEXCHANGE_PAYMENT_LINK";

/// A service's limits in whole FCFA, from the till's catalog ([`crate::catalog`]): 200..1,000,000
/// for CASHIN/CASHOUT/AIRTIME (seed 000), Woyofal and the payment link as docs/providers.md
/// chooses. `(None, None)` for a code the catalog does not list.
pub fn limits(code: &str) -> (Option<i64>, Option<i64>) {
    crate::catalog::find("dexchange", code)
        .and_then(|s| s.offers.first())
        .map_or((None, None), |o| {
            (o.min.map(|m| m / 100), o.max.map(|m| m / 100))
        })
}

/// The refusal of an amount outside `limits(code)`, as DEXCHANGE words it; `None` when it is
/// within them.
pub fn limit_error(code: &str, amount: i64) -> Option<String> {
    let (min, max) = limits(code);
    if let Some(min) = min.filter(|m| amount < *m) {
        return Some(format!("amount must not be less than {min}"));
    }
    if let Some(max) = max.filter(|m| amount > *m) {
        return Some(format!("amount must not be greater than {max}"));
    }
    (amount <= 0).then(|| "amount must be a positive number".to_string())
}
/// Fee on CASHIN and CASHOUT, percent ([gap]: "pricing according to your contract"; 1 % like
/// the bills of seed 001).
pub const MOBILE_MONEY_FEE_PERCENT: i64 = 1;
/// AIRTIME commission, percent (seed 000): reported as a negative `transactionFee` so that the
/// balance moves by exactly amount + fee [gap].
pub const AIRTIME_COMMISSION_PERCENT: i64 = 1;

/// The service with this code.
pub fn find(code: &str) -> Option<&'static Service> {
    SERVICES.iter().find(|s| s.code == code)
}

/// The fee of an operation (negative for the airtime commission).
pub fn fee(op: Op, amount: i64) -> i64 {
    match op {
        Op::CashIn | Op::CashOut => amount * MOBILE_MONEY_FEE_PERCENT / 100,
        Op::Airtime => -(amount * AIRTIME_COMMISSION_PERCENT / 100),
        Op::Bill | Op::Woyofal => crate::world::book::bill_fee(amount),
    }
}

/// The number of digits of a local number by country: SN 9 (`^[0-9]{9}$`, documented); CI 10,
/// ML 8, CM 9 [gap: the national numbering plans].
pub fn number_digits(country: &str) -> usize {
    match country {
        "CI" => 10,
        "ML" => 8,
        _ => 9,
    }
}

/// `GET /api-services/services`: the services of this account (every one but the config's
/// `dexchange_lacks`).
pub async fn list(State(state): State<SandboxState>, headers: HeaderMap) -> Response {
    if let Some(r) = super::auth(&state, &headers) {
        return r;
    }
    let config = state.config();
    let services: Vec<_> = SERVICES
        .iter()
        .filter(|s| config.dexchange_offers(s.code))
        .map(|s| {
            json!({
                "serviceName": s.name,
                "serviceCode": s.code,
                "serviceType": s.service_type(),
                "country": s.country,
            })
        })
        .collect();
    json(StatusCode::OK, json!({ "services": services }))
}

/// `GET /api-services/balance`.
pub async fn balance(State(state): State<SandboxState>, headers: HeaderMap) -> Response {
    if let Some(r) = super::auth(&state, &headers) {
        return r;
    }
    let w = state.world();
    json(
        StatusCode::OK,
        json!({"balance": {
            "success": true,
            "balance": w.dexchange_balance,
            "currency": "XOF",
            "lastUpdate": iso(w.balance_updated_at(Provider::Dexchange)),
        }}),
    )
}
