//! Reading the catalog file: TOML → raw structs (serde, unknown fields refused) → checked
//! [`Service`]s. Every error names the file and a line.

use std::collections::HashSet;
use std::ops::RangeInclusive;

use serde::Deserialize;
use toml::Spanned;

use super::{CatalogError, ExtraField, Kind, Offer, OtpSyntax, Provider, Service};
use crate::money::{Currency, Money};
use crate::phone::{Country, PhoneFormat};
use crate::text::Localized;

/// The only file format version this build reads.
const VERSION: u32 = 1;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    version: Spanned<u32>,
    #[serde(default)]
    otp: Option<Spanned<RawOtpRule>>,
    #[serde(default)]
    otp_syntax: Vec<Spanned<RawOtp>>,
    #[serde(default)]
    service: Vec<Spanned<RawService>>,
}

/// `[otp]`: the customer's OTP length, for every provider (the sandbox reads it too).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOtpRule {
    min_digits: usize,
    max_digits: usize,
}

/// The embedded file's `[otp]`, for an override file that states none.
fn embedded_otp_digits() -> RangeInclusive<usize> {
    #[derive(Deserialize)]
    struct OnlyOtp {
        otp: RawOtpRule,
    }
    let r: OnlyOtp = toml::from_str(super::EMBEDDED_TOML)
        .expect("the embedded catalog has an [otp] table (see the catalog tests)");
    r.otp.min_digits..=r.otp.max_digits
}

/// A parsed catalog file.
pub(super) struct Parsed {
    pub(super) services: Vec<Service>,
    pub(super) otp_syntaxes: Vec<OtpSyntax>,
    pub(super) otp_digits: RangeInclusive<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOtp {
    country: Country,
    operator: String,
    currency: Option<Currency>,
    ussd: Option<String>,
    note: Localized,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawService {
    code: String,
    provider: Provider,
    native_id: String,
    name: Localized,
    country: Country,
    operator: String,
    currency: Currency,
    phone_format: Option<PhoneFormat>,
    phone_required: Option<bool>,
    #[serde(default = "default_true")]
    enabled: bool,
    note: Option<Localized>,
    offers: Vec<RawOffer>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOffer {
    kind: Kind,
    min: Option<RawAmount>,
    max: Option<RawAmount>,
    multiple_of: Option<RawAmount>,
    #[serde(default)]
    otp: bool,
    otp_ussd: Option<String>,
    #[serde(default)]
    extras: Vec<ExtraField>,
    #[serde(default)]
    commission_bp: u32,
}

/// An amount in major units: `500` or `"10.50"`.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawAmount {
    Int(i64),
    Text(String),
}

fn default_true() -> bool {
    true
}

/// 1-based line and column of a byte offset.
fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let before = &src[..offset.min(src.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The confirmation row for a country/operator, preferring one for the exact currency.
pub(super) fn find_syntax<'a>(
    table: &'a [OtpSyntax],
    country: Country,
    operator: &str,
    currency: Currency,
) -> Option<&'a OtpSyntax> {
    let candidates = || {
        table
            .iter()
            .filter(move |s| s.country == country && s.operator.eq_ignore_ascii_case(operator))
    };
    candidates()
        .find(|s| s.currency == Some(currency))
        .or_else(|| candidates().find(|s| s.currency.is_none()))
}

pub(super) fn parse(src: &str, file: &str) -> Result<Parsed, CatalogError> {
    let raw: RawFile = toml::from_str(src).map_err(|e| {
        let (line, column) = e.span().map_or((1, 1), |s| line_col(src, s.start));
        CatalogError::Parse {
            file: file.to_string(),
            line,
            column,
            message: e.message().trim().to_string(),
        }
    })?;
    let invalid = |offset: usize, message: String| CatalogError::Invalid {
        file: file.to_string(),
        line: line_col(src, offset).0,
        message,
    };

    if *raw.version.get_ref() != VERSION {
        return Err(invalid(
            raw.version.span().start,
            format!(
                "version {} is not supported (this build reads version {VERSION})",
                raw.version.get_ref()
            ),
        ));
    }

    let otp_digits = match raw.otp {
        None => embedded_otp_digits(),
        Some(spanned) => {
            let at = spanned.span().start;
            let r = spanned.into_inner();
            if r.min_digits == 0 || r.min_digits > r.max_digits {
                return Err(invalid(
                    at,
                    "otp: min_digits must be at least 1 and not above max_digits".into(),
                ));
            }
            r.min_digits..=r.max_digits
        }
    };

    let mut otp_syntaxes = Vec::with_capacity(raw.otp_syntax.len());
    let mut seen_rows = HashSet::new();
    for spanned in raw.otp_syntax {
        let at = spanned.span().start;
        let r = spanned.into_inner();
        let operator = r.operator.trim().to_ascii_lowercase();
        if operator.is_empty() {
            return Err(invalid(at, "otp_syntax: empty operator".into()));
        }
        if !seen_rows.insert((r.country, operator.clone(), r.currency)) {
            return Err(invalid(
                at,
                format!("otp_syntax: a second row for {} {operator}", r.country),
            ));
        }
        otp_syntaxes.push(OtpSyntax {
            country: r.country,
            operator,
            currency: r.currency,
            ussd: r.ussd.filter(|u| !u.trim().is_empty()),
            note: r.note,
        });
    }

    let mut services = Vec::with_capacity(raw.service.len());
    let mut codes = HashSet::new();
    for spanned in raw.service {
        let at = spanned.span().start;
        let r = spanned.into_inner();
        let bad = |message: String| invalid(at, format!("service {}: {message}", r.code));
        if r.code.is_empty()
            || !r
                .code
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(bad(
                "the code must be non-empty and use only A-Z, 0-9 and _".into(),
            ));
        }
        if !codes.insert(r.code.clone()) {
            return Err(bad("this code is already used by another service".into()));
        }
        if r.native_id.trim().is_empty() {
            return Err(bad("native_id is empty".into()));
        }
        let operator = r.operator.trim().to_ascii_lowercase();
        if operator.is_empty() {
            return Err(bad("operator is empty".into()));
        }
        let phone_required = r.phone_required.unwrap_or(r.phone_format.is_some());
        if phone_required && r.phone_format.is_none() {
            return Err(bad("phone_required = true needs a phone_format".into()));
        }
        if r.offers.is_empty() {
            return Err(bad("it has no offers".into()));
        }
        let mut offers = Vec::with_capacity(r.offers.len());
        for o in &r.offers {
            if offers.iter().any(|x: &Offer| x.kind == o.kind) {
                return Err(bad(format!("two offers of kind {:?}", o.kind)));
            }
            let amount = |what: &str,
                          a: &Option<RawAmount>|
             -> Result<Option<Money>, CatalogError> {
                let Some(a) = a else { return Ok(None) };
                let m = match a {
                    RawAmount::Int(n) => Money::from_major(*n, r.currency),
                    RawAmount::Text(t) => Money::from_wire(t, r.currency).ok(),
                };
                match m {
                    Some(m) if m.minor >= 0 => Ok(Some(m)),
                    _ => Err(bad(format!(
                        "offer {:?}: {what} must be a non-negative amount in {} with at most {} decimals",
                        o.kind,
                        r.currency,
                        r.currency.exponent()
                    ))),
                }
            };
            let min = amount("min", &o.min)?;
            let max = amount("max", &o.max)?;
            let multiple_of = amount("multiple_of", &o.multiple_of)?;
            if let (Some(lo), Some(hi)) = (min, max) {
                if lo.minor > hi.minor {
                    return Err(bad(format!("offer {:?}: min is above max", o.kind)));
                }
            }
            if multiple_of.is_some_and(|m| m.minor == 0) {
                return Err(bad(format!("offer {:?}: multiple_of is zero", o.kind)));
            }
            if o.commission_bp > 10_000 {
                return Err(bad(format!(
                    "offer {:?}: commission_bp above 10000 (100 %)",
                    o.kind
                )));
            }
            let mut extras = Vec::new();
            for e in &o.extras {
                if !extras.contains(e) {
                    extras.push(*e);
                }
            }
            let table = find_syntax(&otp_syntaxes, r.country, &operator, r.currency);
            let confirmation = match o.otp_ussd.as_deref().map(str::trim) {
                Some(ussd) if !ussd.is_empty() => Some(OtpSyntax {
                    country: r.country,
                    operator: operator.clone(),
                    currency: None,
                    ussd: Some(ussd.to_string()),
                    note: table.map(|t| t.note.clone()).unwrap_or_else(|| {
                        Localized::new(
                            "Paiement par code OTP : le client compose ce code et vous donne le code reçu.",
                            "Payment by OTP code: the customer dials this code and reads you the code received.",
                        )
                    }),
                }),
                _ if o.otp || o.kind == Kind::Collection => table.cloned(),
                _ => None,
            };
            offers.push(Offer {
                kind: o.kind,
                min,
                max,
                multiple_of,
                otp_required: o.otp,
                confirmation,
                extras,
                commission_bp: o.commission_bp,
            });
        }
        services.push(Service {
            code: r.code.clone(),
            provider: r.provider,
            native_id: r.native_id.trim().to_string(),
            name: r.name.clone(),
            country: r.country,
            operator,
            currency: r.currency,
            phone_format: r.phone_format,
            phone_required,
            enabled: r.enabled,
            note: r.note.clone(),
            offers,
        });
    }
    Ok(Parsed {
        services,
        otp_syntaxes,
        otp_digits,
    })
}
