//! The gateway's per-provider rules: one entry per `provider = "unipesa"` service of the till's
//! catalog ([`crate::catalog`]), so every provider id the till can send is served with the
//! catalog's country, currency, phone format, c2b/b2c limits, multiples, OTP and `extra` fields.
//! Seed 004's unlabelled tables are assigned once, in the catalog file's comments.
//!
//! Phone formats (`customer_id`): `international` = calling code + national digits,
//! `national_trunk` = `0` + national digits, `national` = the national digits (not starting
//! with 0); a service without a phone format (the Nigerian bank rails) takes any 6 to 20
//! digits. National lengths: [`crate::catalog::numbering_plan`].
//!
//! Provider 14 is the Simulator, country ANY [doc]: it takes any currency of seed 004's list
//! and any customer_id, without limits, and stays in progress.

use std::sync::LazyLock;

use serde_json::{json, Value};

use crate::catalog::{self, CatalogOffer, CatalogService};

/// How a customer_id must look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phone {
    /// Any 6 to 20 digits.
    Any,
    /// International: this prefix then exactly n digits.
    Intl(&'static str, usize),
    /// National with a leading 0: 0 then n digits.
    LeadingZero(usize),
    /// National without a leading 0: exactly n digits, the first not 0.
    NoLeadingZero(usize),
}

impl Phone {
    /// Whether `s` matches.
    pub fn matches(self, s: &str) -> bool {
        let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
        match self {
            Phone::Any => digits(s) && (6..=20).contains(&s.len()),
            Phone::Intl(p, n) => s
                .strip_prefix(p)
                .is_some_and(|rest| digits(rest) && rest.len() == n),
            Phone::LeadingZero(n) => s
                .strip_prefix('0')
                .is_some_and(|rest| digits(rest) && rest.len() == n),
            Phone::NoLeadingZero(n) => digits(s) && s.len() == n && !s.starts_with('0'),
        }
    }

    /// A human description, for error messages.
    pub fn describe(self) -> String {
        match self {
            Phone::Any => "6 to 20 digits".into(),
            Phone::Intl(p, n) => format!("{p} followed by {n} digits"),
            Phone::LeadingZero(n) => format!("0 followed by {n} digits"),
            Phone::NoLeadingZero(n) => format!("{n} digits, not starting with 0"),
        }
    }

    /// The format for a country and the catalog's `phone_format`.
    fn of(country: &str, format: Option<&str>) -> Phone {
        let Some((cc, n)) = catalog::numbering_plan(country) else {
            return Phone::Any;
        };
        match format {
            Some("international") => Phone::Intl(cc, n),
            Some("national_trunk") => Phone::LeadingZero(n),
            Some("national") => Phone::NoLeadingZero(n),
            _ => Phone::Any,
        }
    }
}

/// One gateway provider.
#[derive(Debug, Clone)]
pub struct GwProvider {
    /// provider_id.
    pub id: u32,
    /// Name.
    pub name: &'static str,
    /// Country (`ANY` for the simulator).
    pub country: &'static str,
    /// Currency (`ANY` for the simulator).
    pub currency: &'static str,
    /// customer_id format.
    pub phone: Phone,
    /// payment_c2b rules (`None`: the provider does not collect).
    pub c2b: Option<&'static CatalogOffer>,
    /// payment_b2c rules (`None`: the provider does not disburse).
    pub b2c: Option<&'static CatalogOffer>,
    /// The simulator (provider 14).
    pub simulator: bool,
    /// The catalog's entry.
    pub service: &'static CatalogService,
}

/// The provider id of the Simulator [doc].
pub const SIMULATOR_ID: u32 = 14;

static PROVIDERS: LazyLock<Vec<GwProvider>> = LazyLock::new(|| {
    catalog::services_of("unipesa")
        .filter_map(|s| {
            let id: u32 = s.native_id.parse().ok()?;
            let simulator = id == SIMULATOR_ID;
            Some(GwProvider {
                id,
                name: &s.name.en,
                country: if simulator { "ANY" } else { &s.country },
                currency: if simulator { "ANY" } else { &s.currency },
                phone: if simulator {
                    Phone::Any
                } else {
                    Phone::of(&s.country, s.phone_format.as_deref())
                },
                c2b: s.offer("collection"),
                b2c: s.offer("disbursement"),
                simulator,
                service: s,
            })
        })
        .collect()
});

/// Every provider the sandbox knows: every gateway provider id of the catalog.
pub fn providers() -> &'static [GwProvider] {
    &PROVIDERS
}

/// Currencies of seed 004's list (accepted by the simulator).
pub const CURRENCIES: &[&str] = &[
    "CDF", "KES", "GMD", "MWK", "NGN", "RWF", "TZS", "UGX", "XOF", "ZMW", "EGP", "XAF",
];

/// Every currency the gateway keeps a merchant balance in: seed 004's list and every currency
/// of a catalog provider.
pub fn currencies() -> Vec<&'static str> {
    let mut all: Vec<&'static str> = CURRENCIES.to_vec();
    for p in providers() {
        let c = p.service.currency.as_str();
        if !all.contains(&c) {
            all.push(c);
        }
    }
    all
}

/// The provider with this id.
pub fn find(id: u32) -> Option<&'static GwProvider> {
    providers().iter().find(|p| p.id == id)
}

fn money(h: i64) -> String {
    format!("{}.{:02}", h / 100, h % 100)
}

fn offer_json(o: Option<&CatalogOffer>) -> Value {
    match o {
        None => Value::Null,
        Some(o) => json!({
            "min": o.min.map(money),
            "max": o.max.map(money),
            "multiple_of": o.multiple_of.map(money),
            "otp": o.otp,
            "extra": o.extras,
        }),
    }
}

/// The table as JSON, for `GET /__sandbox/fixtures`.
pub fn table_json() -> Value {
    Value::Array(
        providers()
            .iter()
            .map(|p| {
                json!({
                    "provider_id": p.id,
                    "name": p.name,
                    "country": p.country,
                    "currency": p.currency,
                    "customer_id": p.phone.describe(),
                    "c2b": offer_json(p.c2b),
                    "b2c": offer_json(p.b2c),
                    "simulator": p.simulator,
                })
            })
            .collect(),
    )
}
