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

/// Minimum of CASHIN/CASHOUT/AIRTIME (seed 000).
pub const MIN_AMOUNT: i64 = 200;
/// Maximum of CASHIN/CASHOUT/AIRTIME (seed 000); also applied to Woyofal and links [gap].
pub const MAX_AMOUNT: i64 = 1_000_000;
/// Minimum of a payment link (seed 002).
pub const LINK_MIN_AMOUNT: i64 = 100;
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

/// `GET /api-services/services`.
pub async fn list(State(state): State<SandboxState>, headers: HeaderMap) -> Response {
    if let Some(r) = super::auth(&state, &headers) {
        return r;
    }
    let services: Vec<_> = SERVICES
        .iter()
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
