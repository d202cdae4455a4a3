//! The rules the sandbox shares with the till, read from the till's own catalog file
//! (`crates/guichet-core/src/catalog/services.toml`, embedded here as well) so the two cannot
//! drift: every limit, currency, phone format, OTP requirement and `extra` field of a service,
//! and the OTP length. What the providers document is written once, in that file; the choices
//! where the seeds are silent are in `docs/providers.md` ("Choices this project made").
//!
//! The sandbox reads the file with its own small serde structs (it cannot depend on
//! `guichet-core`, which embeds the sandbox); `guichet-core`'s tests compare this reading with
//! the core's, field by field (`tests/catalog_sandbox.rs`).
//!
//! What stays the sandbox's own: the behaviour of the world (delays, wallets, fixtures), fees,
//! the DEXCHANGE service names of seed 000, and the national number lengths below (the
//! numbering plans; the walk over every service in `guichet-core`'s tests checks that the
//! till's numbers pass them).

use std::sync::LazyLock;

use serde::Deserialize;

/// The catalog file, as the till embeds it.
pub const CATALOG_TOML: &str = include_str!("../../guichet-core/src/catalog/services.toml");

/// The catalog file, as the sandbox reads it.
#[derive(Debug, Clone, Deserialize)]
pub struct CatalogFile {
    /// The OTP rule of every provider.
    pub otp: OtpRule,
    /// Every service.
    #[serde(default)]
    pub service: Vec<CatalogService>,
}

/// How long a customer's OTP may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct OtpRule {
    /// Fewest digits.
    pub min_digits: usize,
    /// Most digits.
    pub max_digits: usize,
}

impl OtpRule {
    /// Whether `otp` is digits only, of an accepted length.
    pub fn accepts(&self, otp: &str) -> bool {
        (self.min_digits..=self.max_digits).contains(&otp.len())
            && otp.bytes().all(|b| b.is_ascii_digit())
    }

    /// "4 to 8 digits", for error messages.
    pub fn describe(&self) -> String {
        format!("{} to {} digits", self.min_digits, self.max_digits)
    }
}

/// A localized text; the sandbox uses the English one.
#[derive(Debug, Clone, Deserialize)]
pub struct Text {
    /// English.
    pub en: String,
}

/// One service of the catalog.
#[derive(Debug, Clone, Deserialize)]
pub struct CatalogService {
    /// `OM_SN_CASHIN`, `EASYTRANSFERT_27`, `UNIPESA_2354`.
    pub code: String,
    /// `dexchange`, `easytransfert` or `unipesa`.
    pub provider: String,
    /// serviceCode / service_id / provider_id.
    pub native_id: String,
    /// Its name.
    pub name: Text,
    /// ISO 3166 alpha-2.
    pub country: String,
    /// Operator slug.
    pub operator: String,
    /// ISO 4217.
    pub currency: String,
    /// `national`, `national_trunk` or `international`; `None` when no phone is taken.
    pub phone_format: Option<String>,
    /// Whether the till sells it (the provider serves it either way).
    #[serde(default = "yes")]
    pub enabled: bool,
    /// One per kind.
    pub offers: Vec<CatalogOffer>,
}

fn yes() -> bool {
    true
}

impl CatalogService {
    /// The offer of a kind (`collection`, `disbursement`, `airtime`, …).
    pub fn offer(&self, kind: &str) -> Option<&CatalogOffer> {
        self.offers.iter().find(|o| o.kind == kind)
    }
}

/// An amount of the file: an integer of major units or a decimal string.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum RawAmount {
    Int(i64),
    Text(String),
}

/// One offer of a service; amounts in hundredths of the major unit.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "RawOffer")]
pub struct CatalogOffer {
    /// `bill`, `prepaid`, `airtime`, `collection`, `disbursement`, `payment_link`.
    pub kind: String,
    /// Smallest amount, hundredths.
    pub min: Option<i64>,
    /// Largest amount, hundredths.
    pub max: Option<i64>,
    /// Amounts must be multiples of this, hundredths.
    pub multiple_of: Option<i64>,
    /// The customer's OTP is sent with the request.
    pub otp: bool,
    /// Extra fields required (`customer_name`, `reference_client`, …).
    pub extras: Vec<String>,
}

impl CatalogOffer {
    /// Whether `amount` (hundredths) is within the limits and a multiple where one is stated;
    /// a positive amount at least.
    pub fn accepts_amount(&self, amount: i64) -> bool {
        amount > 0
            && self.min.is_none_or(|m| amount >= m)
            && self.max.is_none_or(|m| amount <= m)
            && self.multiple_of.is_none_or(|m| amount % m == 0)
    }

    /// `200..1000000` (major units), for error messages.
    pub fn describe_limits(&self) -> String {
        let show = |h: Option<i64>| h.map(major).unwrap_or_default();
        format!("{}..{}", show(self.min), show(self.max))
    }
}

/// Hundredths as major units: `20000` → `200`, `1050` → `10.50`.
pub fn major(h: i64) -> String {
    if h % 100 == 0 {
        (h / 100).to_string()
    } else {
        format!("{}.{:02}", h / 100, h % 100)
    }
}

#[derive(Deserialize)]
struct RawOffer {
    kind: String,
    min: Option<RawAmount>,
    max: Option<RawAmount>,
    multiple_of: Option<RawAmount>,
    #[serde(default)]
    otp: bool,
    #[serde(default)]
    extras: Vec<String>,
}

fn hundredths(a: Option<RawAmount>) -> Result<Option<i64>, String> {
    match a {
        None => Ok(None),
        Some(RawAmount::Int(n)) => Ok(Some(n * 100)),
        Some(RawAmount::Text(t)) => {
            let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
            let frac = format!("{frac:0<2}");
            match (whole.parse::<i64>(), frac.parse::<i64>()) {
                (Ok(w), Ok(f)) if frac.len() == 2 => Ok(Some(w * 100 + f)),
                _ => Err(format!("not an amount: {t}")),
            }
        }
    }
}

impl TryFrom<RawOffer> for CatalogOffer {
    type Error = String;

    fn try_from(r: RawOffer) -> Result<Self, String> {
        Ok(CatalogOffer {
            kind: r.kind,
            min: hundredths(r.min)?,
            max: hundredths(r.max)?,
            multiple_of: hundredths(r.multiple_of)?,
            otp: r.otp,
            extras: r.extras,
        })
    }
}

static CATALOG: LazyLock<CatalogFile> = LazyLock::new(|| {
    toml::from_str(CATALOG_TOML).expect("the embedded catalog parses (see the catalog tests)")
});

/// The catalog, parsed once.
pub fn catalog() -> &'static CatalogFile {
    &CATALOG
}

/// The OTP rule (the catalog's `[otp]`).
pub fn otp_rule() -> OtpRule {
    catalog().otp
}

/// The services of one provider (`dexchange`, `easytransfert`, `unipesa`), enabled or not.
pub fn services_of(provider: &'static str) -> impl Iterator<Item = &'static CatalogService> {
    catalog()
        .service
        .iter()
        .filter(move |s| s.provider == provider)
}

/// The service of a provider with this native id.
pub fn find(provider: &'static str, native_id: &str) -> Option<&'static CatalogService> {
    services_of(provider).find(|s| s.native_id == native_id)
}

/// A country's calling code and the length of its national (significant) mobile numbers
/// [gap: the numbering plans, not the providers' documents].
pub fn numbering_plan(country: &str) -> Option<(&'static str, usize)> {
    Some(match country {
        "SN" => ("221", 9),
        "CI" => ("225", 10),
        "ML" => ("223", 8),
        "CM" => ("237", 9),
        "BF" => ("226", 8),
        "BJ" => ("229", 10),
        "TG" => ("228", 8),
        "GN" => ("224", 9),
        "CD" => ("243", 9),
        "NE" => ("227", 8),
        "GW" => ("245", 9),
        "KE" => ("254", 9),
        "GM" => ("220", 7),
        "MW" => ("265", 9),
        "NG" => ("234", 10),
        "RW" => ("250", 9),
        "TZ" => ("255", 9),
        "UG" => ("256", 9),
        "ZM" => ("260", 9),
        "EG" => ("20", 10),
        "GH" => ("233", 9),
        "ZA" => ("27", 9),
        "SL" => ("232", 8),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_parses_and_every_country_has_a_plan() {
        let c = catalog();
        assert!(c.service.len() > 100);
        assert!(c.otp.min_digits >= 1 && c.otp.min_digits <= c.otp.max_digits);
        for s in &c.service {
            assert!(numbering_plan(&s.country).is_some(), "{}", s.code);
        }
        let woyofal = find("dexchange", "WOYOFAL_SN_BILL").unwrap();
        assert_eq!(woyofal.offer("prepaid").unwrap().min, Some(100_000));
        let ng = find("unipesa", "2311").unwrap();
        assert_eq!(ng.offer("collection").unwrap().min, Some(10_000));
    }

    #[test]
    fn amounts() {
        assert_eq!(
            hundredths(Some(RawAmount::Text("10.5".into()))),
            Ok(Some(1050))
        );
        assert!(hundredths(Some(RawAmount::Text("1.234".into()))).is_err());
        assert_eq!(major(1050), "10.50");
        assert_eq!(major(20_000), "200");
    }
}
