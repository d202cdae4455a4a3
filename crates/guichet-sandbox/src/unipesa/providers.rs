//! The gateway's per-provider rules from seed 004, all in this one table: country, currency,
//! phone format, c2b/b2c limits, multiples of 5, OTP and required `extra` fields.
//!
//! Seed 004 gives many limit tables without saying which provider ids they belong to; the
//! choices below are the sandbox's reading, each marked [gap] where it is one:
//! - SN: 2354/2355/2356 take the first SN table (100..500,000, no multiple); 2398–2401 and
//!   9203/9205 the two "multiples of 5, 200..1,000,000" tables [gap]. No OTP for Senegal: the seed
//!   shows none [gap].
//! - CI: every id 200..1,000,000 in multiples of 5 (the table that follows the CI ids); the later
//!   unlabelled CI-looking tables (300/500..2,000,000, 5/1..550,000, …) are not assigned [gap].
//!   b2c needs `extra.customer_name` (documented). c2b through Orange (2304, 2334, 806, 9197) needs
//!   `extra.otp`: the seed's CI example is 9197 with an OTP [gap for the other Orange ids].
//! - BF 9209: 200..1,000,000, multiples of 5, c2b `extra.otp` (the `*144*4*6*montant#` example).
//! - BJ 9210: 100..1,000,000.
//! - CM 802/803/9062/9063/702/703/9131: XAF 500..500,000.
//! - CD 2196–2199: CDF 100..1,500,000; phone formats per provider as documented.
//! - TG 2357: c2b 200 / b2c 500..1,000,000, `customer_name` both ways; 2358: 5..1,000,000, c2b
//!   `customer_name` + `customer_email`, b2c `customer_name`; 2359: c2b 100..1,000,000, b2c
//!   100..500,000; 2360: as 2359 [gap]. Phone: 228 + 8 digits (the seed prints 228000000000, one
//!   digit more than Togo's plan) [gap].
//! - 14 Simulator: any country, any currency of the list, no limits; stays in progress.

use serde_json::{json, Value};

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
}

/// One gateway provider.
#[derive(Debug, Clone, Copy)]
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
    /// c2b minimum, hundredths.
    pub c2b_min: i64,
    /// c2b maximum, hundredths (`None`: no limit).
    pub c2b_max: Option<i64>,
    /// b2c minimum, hundredths.
    pub b2c_min: i64,
    /// b2c maximum, hundredths.
    pub b2c_max: Option<i64>,
    /// Amounts must be multiples of 5.
    pub multiple_of_5: bool,
    /// c2b needs `extra.otp`.
    pub c2b_otp: bool,
    /// c2b needs these `extra` fields.
    pub c2b_extra: &'static [&'static str],
    /// b2c needs these `extra` fields.
    pub b2c_extra: &'static [&'static str],
    /// The simulator (provider 14).
    pub simulator: bool,
}

const U: i64 = 100; // hundredths per unit

const fn base(
    id: u32,
    name: &'static str,
    country: &'static str,
    currency: &'static str,
    phone: Phone,
) -> GwProvider {
    GwProvider {
        id,
        name,
        country,
        currency,
        phone,
        c2b_min: 100 * U,
        c2b_max: Some(1_000_000 * U),
        b2c_min: 100 * U,
        b2c_max: Some(1_000_000 * U),
        multiple_of_5: false,
        c2b_otp: false,
        c2b_extra: &[],
        b2c_extra: &[],
        simulator: false,
    }
}

const fn limits(mut p: GwProvider, c2b: (i64, i64), b2c: (i64, i64)) -> GwProvider {
    p.c2b_min = c2b.0 * U;
    p.c2b_max = Some(c2b.1 * U);
    p.b2c_min = b2c.0 * U;
    p.b2c_max = Some(b2c.1 * U);
    p
}

const fn mult5(mut p: GwProvider) -> GwProvider {
    p.multiple_of_5 = true;
    p
}

const fn otp(mut p: GwProvider) -> GwProvider {
    p.c2b_otp = true;
    p
}

const fn extra(
    mut p: GwProvider,
    c2b: &'static [&'static str],
    b2c: &'static [&'static str],
) -> GwProvider {
    p.c2b_extra = c2b;
    p.b2c_extra = b2c;
    p
}

const SN: Phone = Phone::Intl("221", 9);
const CI: Phone = Phone::Intl("225", 10);
const BF: Phone = Phone::Intl("226", 8);
const BJ: Phone = Phone::Intl("229", 10);
const CM: Phone = Phone::Intl("237", 9);
const TG: Phone = Phone::Intl("228", 8);

const fn sn(id: u32, name: &'static str) -> GwProvider {
    mult5(limits(
        base(id, name, "SN", "XOF", SN),
        (200, 1_000_000),
        (200, 1_000_000),
    ))
}
const fn sn_first(id: u32, name: &'static str) -> GwProvider {
    limits(
        base(id, name, "SN", "XOF", SN),
        (100, 500_000),
        (100, 500_000),
    )
}
const fn ci(id: u32, name: &'static str) -> GwProvider {
    extra(
        mult5(limits(
            base(id, name, "CI", "XOF", CI),
            (200, 1_000_000),
            (200, 1_000_000),
        )),
        &[],
        &["customer_name"],
    )
}
const fn cm(id: u32, name: &'static str) -> GwProvider {
    limits(
        base(id, name, "CM", "XAF", CM),
        (500, 500_000),
        (500, 500_000),
    )
}
const fn cd(id: u32, name: &'static str, phone: Phone) -> GwProvider {
    limits(
        base(id, name, "CD", "CDF", phone),
        (100, 1_500_000),
        (100, 1_500_000),
    )
}

/// Every provider the sandbox knows.
pub const PROVIDERS: &[GwProvider] = &[
    GwProvider {
        c2b_min: 1,
        c2b_max: None,
        b2c_min: 1,
        b2c_max: None,
        simulator: true,
        ..base(14, "Simulator", "ANY", "ANY", Phone::Any)
    },
    // Senegal
    sn_first(2354, "Orange Money"),
    sn_first(2355, "Wave"),
    sn_first(2356, "Free Money"),
    sn(2398, "Orange Money"),
    sn(2399, "Free Money"),
    sn(2400, "E Money"),
    sn(2401, "Wave"),
    sn(9203, "Orange Money"),
    sn(9205, "Wave"),
    // Côte d'Ivoire
    ci(2303, "MTN"),
    ci(2333, "MTN"),
    ci(699, "MTN"),
    ci(805, "MTN"),
    ci(9196, "MTN"),
    ci(2430, "MTN"),
    otp(ci(2304, "Orange")),
    otp(ci(2334, "Orange")),
    otp(ci(806, "Orange")),
    otp(ci(9197, "Orange")),
    ci(2305, "Moov"),
    ci(2335, "Moov"),
    ci(804, "Moov"),
    ci(9198, "Moov"),
    ci(2306, "Wave"),
    ci(2336, "Wave"),
    ci(9199, "Wave"),
    ci(2431, "Wave"),
    // Burkina Faso
    otp(mult5(limits(
        base(9209, "Orange", "BF", "XOF", BF),
        (200, 1_000_000),
        (200, 1_000_000),
    ))),
    // Benin
    base(9210, "MTN", "BJ", "XOF", BJ),
    // Cameroon
    cm(802, "Orange"),
    cm(9062, "Orange"),
    cm(702, "Orange"),
    cm(803, "MTN"),
    cm(9063, "MTN"),
    cm(703, "MTN"),
    cm(9131, "MTN"),
    // DR Congo
    cd(2196, "Vodacom", Phone::Intl("243", 9)),
    cd(2197, "Orange", Phone::LeadingZero(9)),
    cd(2198, "Airtel", Phone::NoLeadingZero(9)),
    cd(2199, "Africel", Phone::LeadingZero(9)),
    // Togo
    extra(
        limits(
            base(2357, "MOOV Money", "TG", "XOF", TG),
            (200, 1_000_000),
            (500, 1_000_000),
        ),
        &["customer_name"],
        &["customer_name"],
    ),
    extra(
        limits(
            base(2358, "MOOV Money", "TG", "XOF", TG),
            (5, 1_000_000),
            (5, 1_000_000),
        ),
        &["customer_name", "customer_email"],
        &["customer_name"],
    ),
    limits(
        base(2359, "TOGOCOM", "TG", "XOF", TG),
        (100, 1_000_000),
        (100, 500_000),
    ),
    limits(
        base(2360, "TOGOCOM", "TG", "XOF", TG),
        (100, 1_000_000),
        (100, 500_000),
    ),
];

/// Currencies of seed 004's list (accepted by the simulator).
pub const CURRENCIES: &[&str] = &[
    "CDF", "KES", "GMD", "MWK", "NGN", "RWF", "TZS", "UGX", "XOF", "ZMW", "EGP", "XAF",
];

/// The provider with this id.
pub fn find(id: u32) -> Option<&'static GwProvider> {
    PROVIDERS.iter().find(|p| p.id == id)
}

fn money(h: i64) -> String {
    format!("{}.{:02}", h / 100, h % 100)
}

/// The table as JSON, for `GET /__sandbox/fixtures`.
pub fn table_json() -> Value {
    Value::Array(
        PROVIDERS
            .iter()
            .map(|p| {
                json!({
                    "provider_id": p.id,
                    "name": p.name,
                    "country": p.country,
                    "currency": p.currency,
                    "customer_id": p.phone.describe(),
                    "c2b_min": money(p.c2b_min),
                    "c2b_max": p.c2b_max.map(money),
                    "b2c_min": money(p.b2c_min),
                    "b2c_max": p.b2c_max.map(money),
                    "multiple_of_5": p.multiple_of_5,
                    "c2b_otp": p.c2b_otp,
                    "c2b_extra": p.c2b_extra,
                    "b2c_extra": p.b2c_extra,
                    "simulator": p.simulator,
                })
            })
            .collect(),
    )
}
