//! Customer phone numbers: parse what the cashier types, check it against the selected
//! country with libphonenumber's metadata (`phonenumber` crate), and render it in each
//! provider's wire format ([`PhoneFormat`], chosen per service in the catalog).
//!
//! Accepted input, given the selected country: spaces (also U+00A0/U+202F), dashes, dots,
//! slashes and parentheses anywhere; a leading `+` or `00` followed by the country code; the
//! country code without `+` (`221771234567`); or the national number, with the national trunk
//! prefix where the country has one (DRC `0812345678` or `812345678`).

use std::fmt;

use phonenumber::metadata::DATABASE;
use phonenumber::Mode;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::money::Currency;
use crate::text::Localized;

/// A country of the seeds (ISO 3166-1 alpha-2), serialised as `"SN"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "UPPERCASE")]
pub enum Country {
    /// Senegal (+221).
    Sn,
    /// Côte d'Ivoire (+225).
    Ci,
    /// Mali (+223).
    Ml,
    /// Cameroon (+237).
    Cm,
    /// Burkina Faso (+226).
    Bf,
    /// Benin (+229).
    Bj,
    /// Togo (+228).
    Tg,
    /// Guinea (+224).
    Gn,
    /// Democratic Republic of the Congo (+243).
    Cd,
    /// Niger (+227).
    Ne,
    /// Guinea-Bissau (+245).
    Gw,
    /// Kenya (+254).
    Ke,
    /// The Gambia (+220).
    Gm,
    /// Malawi (+265).
    Mw,
    /// Nigeria (+234).
    Ng,
    /// Rwanda (+250).
    Rw,
    /// Tanzania (+255).
    Tz,
    /// Uganda (+256).
    Ug,
    /// Zambia (+260).
    Zm,
    /// Egypt (+20).
    Eg,
    /// Ghana (+233).
    Gh,
    /// South Africa (+27).
    Za,
    /// Sierra Leone (+232).
    Sl,
}

impl Country {
    /// Every country, in declaration order.
    pub const ALL: [Country; 23] = [
        Country::Sn,
        Country::Ci,
        Country::Ml,
        Country::Cm,
        Country::Bf,
        Country::Bj,
        Country::Tg,
        Country::Gn,
        Country::Cd,
        Country::Ne,
        Country::Gw,
        Country::Ke,
        Country::Gm,
        Country::Mw,
        Country::Ng,
        Country::Rw,
        Country::Tz,
        Country::Ug,
        Country::Zm,
        Country::Eg,
        Country::Gh,
        Country::Za,
        Country::Sl,
    ];

    /// The ISO alpha-2 code (`SN`).
    pub fn code(self) -> &'static str {
        match self {
            Country::Sn => "SN",
            Country::Ci => "CI",
            Country::Ml => "ML",
            Country::Cm => "CM",
            Country::Bf => "BF",
            Country::Bj => "BJ",
            Country::Tg => "TG",
            Country::Gn => "GN",
            Country::Cd => "CD",
            Country::Ne => "NE",
            Country::Gw => "GW",
            Country::Ke => "KE",
            Country::Gm => "GM",
            Country::Mw => "MW",
            Country::Ng => "NG",
            Country::Rw => "RW",
            Country::Tz => "TZ",
            Country::Ug => "UG",
            Country::Zm => "ZM",
            Country::Eg => "EG",
            Country::Gh => "GH",
            Country::Za => "ZA",
            Country::Sl => "SL",
        }
    }

    /// Looks a country up by its alpha-2 code, case-insensitively.
    pub fn from_code(code: &str) -> Option<Country> {
        Country::ALL
            .into_iter()
            .find(|c| c.code().eq_ignore_ascii_case(code.trim()))
    }

    /// The international calling code (221 for Senegal).
    pub fn calling_code(self) -> u16 {
        match self {
            Country::Sn => 221,
            Country::Ci => 225,
            Country::Ml => 223,
            Country::Cm => 237,
            Country::Bf => 226,
            Country::Bj => 229,
            Country::Tg => 228,
            Country::Gn => 224,
            Country::Cd => 243,
            Country::Ne => 227,
            Country::Gw => 245,
            Country::Ke => 254,
            Country::Gm => 220,
            Country::Mw => 265,
            Country::Ng => 234,
            Country::Rw => 250,
            Country::Tz => 255,
            Country::Ug => 256,
            Country::Zm => 260,
            Country::Eg => 20,
            Country::Gh => 233,
            Country::Za => 27,
            Country::Sl => 232,
        }
    }

    /// The country whose calling code this is, among ours.
    pub fn from_calling_code(code: u16) -> Option<Country> {
        Country::ALL.into_iter().find(|c| c.calling_code() == code)
    }

    /// The currency wallets hold there (CDF for the DRC; its USD wallets are separate services).
    pub fn currency(self) -> Currency {
        match self {
            Country::Sn
            | Country::Ci
            | Country::Ml
            | Country::Bf
            | Country::Bj
            | Country::Tg
            | Country::Ne
            | Country::Gw => Currency::Xof,
            Country::Cm => Currency::Xaf,
            Country::Gn => Currency::Gnf,
            Country::Cd => Currency::Cdf,
            Country::Ke => Currency::Kes,
            Country::Gm => Currency::Gmd,
            Country::Mw => Currency::Mwk,
            Country::Ng => Currency::Ngn,
            Country::Rw => Currency::Rwf,
            Country::Tz => Currency::Tzs,
            Country::Ug => Currency::Ugx,
            Country::Zm => Currency::Zmw,
            Country::Eg => Currency::Egp,
            Country::Gh => Currency::Ghs,
            Country::Za => Currency::Zar,
            Country::Sl => Currency::Sle,
        }
    }

    /// The country's name in French and English, for messages ("au Sénégal" is built by the
    /// caller; this is the bare name).
    pub fn name(self) -> Localized {
        let (fr, en) = match self {
            Country::Sn => ("Sénégal", "Senegal"),
            Country::Ci => ("Côte d'Ivoire", "Côte d'Ivoire"),
            Country::Ml => ("Mali", "Mali"),
            Country::Cm => ("Cameroun", "Cameroon"),
            Country::Bf => ("Burkina Faso", "Burkina Faso"),
            Country::Bj => ("Bénin", "Benin"),
            Country::Tg => ("Togo", "Togo"),
            Country::Gn => ("Guinée", "Guinea"),
            Country::Cd => ("RD Congo", "DR Congo"),
            Country::Ne => ("Niger", "Niger"),
            Country::Gw => ("Guinée-Bissau", "Guinea-Bissau"),
            Country::Ke => ("Kenya", "Kenya"),
            Country::Gm => ("Gambie", "The Gambia"),
            Country::Mw => ("Malawi", "Malawi"),
            Country::Ng => ("Nigeria", "Nigeria"),
            Country::Rw => ("Rwanda", "Rwanda"),
            Country::Tz => ("Tanzanie", "Tanzania"),
            Country::Ug => ("Ouganda", "Uganda"),
            Country::Zm => ("Zambie", "Zambia"),
            Country::Eg => ("Égypte", "Egypt"),
            Country::Gh => ("Ghana", "Ghana"),
            Country::Za => ("Afrique du Sud", "South Africa"),
            Country::Sl => ("Sierra Leone", "Sierra Leone"),
        };
        Localized::new(fr, en)
    }

    fn metadata(self) -> &'static phonenumber::Metadata {
        DATABASE
            .by_id(self.code())
            .expect("libphonenumber knows every country of Country::ALL (tested)")
    }

    fn id(self) -> phonenumber::country::Id {
        self.code()
            .parse()
            .expect("libphonenumber has an id for every country of Country::ALL (tested)")
    }

    /// The national trunk prefix dialled before a national number inside the country
    /// (`0` in the DRC, Kenya…), `None` where there is none (Senegal, Côte d'Ivoire…).
    pub fn trunk_prefix(self) -> Option<&'static str> {
        self.metadata().national_prefix()
    }

    /// A valid mobile number of the country, national digits (for "e.g." hints).
    pub fn example_mobile(self) -> Option<&'static str> {
        self.metadata()
            .descriptors()
            .mobile()
            .and_then(|d| d.example())
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// How a provider wants the customer's number written. The catalog names one per service;
/// this enum and [`Phone::wire`] are the one place where the formats are defined.
///
/// | format | Senegal | Côte d'Ivoire | DRC | used by |
/// |---|---|---|---|---|
/// | `national` | `771234567` | `0103444777` | `812345678` | DEXCHANGE (`^[0-9]{9}$` in SN), gateway DRC Airtel 2198 |
/// | `national_trunk` | `771234567` | `0103444777` | `0812345678` | EASYTRANSFERT (number as dialled locally), gateway DRC Orange 2197 and Africell 2199 |
/// | `international` | `221771234567` | `2250103444777` | `243812345678` | the gateway (everything else) |
///
/// The leading `0` of Ivorian (and Beninese) numbers is part of the number itself, not a
/// trunk prefix, so it is in every format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PhoneFormat {
    /// The national significant number, digits only, no trunk prefix.
    National,
    /// As dialled inside the country: the trunk prefix (where the country has one) and the
    /// national significant number.
    NationalTrunk,
    /// Country calling code and national number, digits only, no `+`.
    International,
}

/// What kind of line a number is, per libphonenumber's numbering-plan metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LineType {
    /// A mobile number: can hold a wallet and receive airtime.
    Mobile,
    /// A fixed line (Senegal's 33 and 30 numbers): no wallet, no airtime.
    FixedLine,
    /// Anything else (toll-free, VoIP, or a range the metadata cannot classify).
    Other,
}

/// A customer's phone number, valid for its country.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Phone {
    country: Country,
    /// National significant number, digits only, with any leading zero that belongs to the
    /// number (Côte d'Ivoire's `01…`), without a trunk prefix.
    nsn: String,
    line_type: LineType,
    parsed: phonenumber::PhoneNumber,
}

impl Phone {
    /// Parses what the cashier typed for a customer of `country`.
    pub fn parse(input: &str, country: Country) -> Result<Phone, PhoneError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(PhoneError::Empty);
        }
        let mut digits = String::with_capacity(trimmed.len());
        let mut plus = false;
        for (i, c) in trimmed.char_indices() {
            match c {
                '0'..='9' => digits.push(c),
                '+' if i == 0 => plus = true,
                ' ' | '\u{00A0}' | '\u{202F}' | '\u{2009}' | '-' | '.' | '/' | '(' | ')' => {}
                other => return Err(PhoneError::InvalidCharacter { found: other }),
            }
        }
        if digits.is_empty() {
            return Err(PhoneError::Empty);
        }
        let cc = country.calling_code().to_string();
        let international = if plus {
            Some(digits.as_str())
        } else {
            digits.strip_prefix("00")
        };
        let national: String = match international {
            Some(rest) => match rest.strip_prefix(&cc) {
                Some(n) => n.to_string(),
                None => {
                    return Err(PhoneError::WrongCountry {
                        expected: country,
                        dialled: detect_calling_code(rest),
                    })
                }
            },
            None => {
                // The country code typed without `+`/`00` (`221771234567`): strip it when the
                // digits are not a valid national number as they stand but are once stripped.
                if !is_valid_national(&digits, country) {
                    match digits.strip_prefix(&cc) {
                        Some(rest) if is_valid_national(rest, country) => rest.to_string(),
                        _ => digits,
                    }
                } else {
                    digits
                }
            }
        };
        let parsed = phonenumber::parse(Some(country.id()), &national)
            .map_err(|_| length_error(&national, country))?;
        if parsed.code().value() != country.calling_code()
            || !phonenumber::is_valid(&parsed)
            || region_of(&parsed) != Some(country)
        {
            return Err(length_error(&national, country));
        }
        let nsn = parsed.national().to_string();
        let line_type = classify(&nsn, country);
        Ok(Phone {
            country,
            nsn,
            line_type,
            parsed,
        })
    }

    /// The country the number belongs to.
    pub fn country(&self) -> Country {
        self.country
    }

    /// The national significant number, digits only (`771234567`, `0103444777`).
    pub fn national_significant(&self) -> &str {
        &self.nsn
    }

    /// Mobile, fixed line or other.
    pub fn line_type(&self) -> LineType {
        self.line_type
    }

    /// Whether it is a mobile number.
    pub fn is_mobile(&self) -> bool {
        self.line_type == LineType::Mobile
    }

    /// E.164 with its `+` (`+221771234567`), for storage and logs.
    pub fn e164(&self) -> String {
        format!("+{}{}", self.country.calling_code(), self.nsn)
    }

    /// Calling code and national number without `+` (`221771234567`).
    pub fn international_digits(&self) -> String {
        format!("{}{}", self.country.calling_code(), self.nsn)
    }

    /// The number as dialled inside its country (`0812345678` in the DRC, `771234567` in SN).
    pub fn national_trunk(&self) -> String {
        format!("{}{}", self.country.trunk_prefix().unwrap_or(""), self.nsn)
    }

    /// The number in a provider's wire format (see [`PhoneFormat`]).
    pub fn wire(&self, format: PhoneFormat) -> String {
        match format {
            PhoneFormat::National => self.nsn.clone(),
            PhoneFormat::NationalTrunk => self.national_trunk(),
            PhoneFormat::International => self.international_digits(),
        }
    }

    /// For people: libphonenumber's international layout (`+221 77 123 45 67`).
    pub fn display(&self) -> String {
        self.parsed.format().mode(Mode::International).to_string()
    }

    /// For people inside the country: the national layout (`77 123 45 67`).
    pub fn display_national(&self) -> String {
        self.parsed.format().mode(Mode::National).to_string()
    }

    /// The Senegalese mobile operator, for airtime (see [`SnOperator::detect`]).
    pub fn sn_operator(&self) -> Option<SnOperator> {
        SnOperator::detect(self)
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

fn is_valid_national(digits: &str, country: Country) -> bool {
    phonenumber::parse(Some(country.id()), digits)
        .map(|p| {
            p.code().value() == country.calling_code()
                && phonenumber::is_valid(&p)
                && region_of(&p) == Some(country)
        })
        .unwrap_or(false)
}

fn region_of(p: &phonenumber::PhoneNumber) -> Option<Country> {
    p.metadata(&DATABASE)
        .and_then(|m| Country::from_code(m.id()))
}

/// The calling code at the start of internationally-dialled digits, for the error message.
fn detect_calling_code(digits: &str) -> String {
    (1..=3)
        .filter_map(|n| digits.get(..n))
        .find(|prefix| {
            prefix
                .parse::<u16>()
                .ok()
                .and_then(|c| DATABASE.region(&c))
                .is_some()
        })
        .unwrap_or(digits.get(..digits.len().min(3)).unwrap_or(""))
        .to_string()
}

fn classify(nsn: &str, country: Country) -> LineType {
    let meta = country.metadata();
    if meta.descriptors().mobile().is_some_and(|d| d.is_match(nsn)) {
        LineType::Mobile
    } else if meta
        .descriptors()
        .fixed_line()
        .is_some_and(|d| d.is_match(nsn))
    {
        LineType::FixedLine
    } else {
        LineType::Other
    }
}

fn length_error(national: &str, country: Country) -> PhoneError {
    let meta = country.metadata();
    // Compare with the lengths a national number may have (trunk prefix removed).
    let digits = match country.trunk_prefix() {
        Some(p) if national.len() > 1 => national.strip_prefix(p).unwrap_or(national),
        _ => national,
    };
    // The general descriptor often lists no lengths: take those of mobiles and fixed lines.
    let d = meta.descriptors();
    let mut lengths: Vec<u16> = [Some(d.general()), d.mobile(), d.fixed_line()]
        .into_iter()
        .flatten()
        .flat_map(|desc| desc.possible_length().iter().copied())
        .collect();
    lengths.sort_unstable();
    let len = digits.len() as u16;
    match (lengths.first(), lengths.last()) {
        (Some(&min), _) if len < min => PhoneError::TooShort { country },
        (_, Some(&max)) if len > max => PhoneError::TooLong { country },
        _ => PhoneError::Invalid { country },
    }
}

/// A Senegalese mobile operator, detected from the number's prefix for airtime.
///
/// The prefixes (ARTP numbering plan as known in 2025): 77 and 78 Orange (Sonatel), 76 Free
/// (Saga Africa, rebranded Yas), 70 Expresso, 75 Promobile. Other mobile ranges libphonenumber
/// accepts (71, 721, 790…) are not mapped: [`SnOperator::detect`] answers `None` and airtime
/// is refused rather than sold to a guessed operator. Numbers move between operators only by
/// porting, which Senegal does not offer for mobiles at the time of writing [gap].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SnOperator {
    /// Orange (77, 78).
    Orange,
    /// Free / Yas (76).
    Free,
    /// Expresso (70).
    Expresso,
    /// Promobile (75).
    Promobile,
}

impl SnOperator {
    /// Every operator.
    pub const ALL: [SnOperator; 4] = [
        SnOperator::Orange,
        SnOperator::Free,
        SnOperator::Expresso,
        SnOperator::Promobile,
    ];

    /// The operator's slug as the catalog writes it (`orange`, `free`…).
    pub fn slug(self) -> &'static str {
        match self {
            SnOperator::Orange => "orange",
            SnOperator::Free => "free",
            SnOperator::Expresso => "expresso",
            SnOperator::Promobile => "promobile",
        }
    }

    /// The operator's name for people.
    pub fn display_name(self) -> &'static str {
        match self {
            SnOperator::Orange => "Orange",
            SnOperator::Free => "Free",
            SnOperator::Expresso => "Expresso",
            SnOperator::Promobile => "Promobile",
        }
    }

    /// The operator of a Senegalese mobile number; `None` for another country, a fixed line
    /// (33, 30) or an unmapped prefix.
    pub fn detect(phone: &Phone) -> Option<SnOperator> {
        if phone.country != Country::Sn || phone.line_type != LineType::Mobile {
            return None;
        }
        match phone.nsn.get(..2)? {
            "77" | "78" => Some(SnOperator::Orange),
            "76" => Some(SnOperator::Free),
            "70" => Some(SnOperator::Expresso),
            "75" => Some(SnOperator::Promobile),
            _ => None,
        }
    }
}

/// Why typed text is not a usable phone number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    /// Nothing was typed.
    #[error("empty phone number")]
    Empty,
    /// A character that has no place in a phone number.
    #[error("invalid character {found:?} in phone number")]
    InvalidCharacter {
        /// The offending character.
        found: char,
    },
    /// Dialled with another country's code than the selected country's.
    #[error("number dialled with +{dialled}, expected +{}", expected.calling_code())]
    WrongCountry {
        /// The country selected for the operation.
        expected: Country,
        /// The calling code that was typed.
        dialled: String,
    },
    /// Fewer digits than any number of the country has.
    #[error("phone number too short for {country}")]
    TooShort {
        /// The country selected for the operation.
        country: Country,
    },
    /// More digits than any number of the country has.
    #[error("phone number too long for {country}")]
    TooLong {
        /// The country selected for the operation.
        country: Country,
    },
    /// The right length, but not a number of the country's numbering plan.
    #[error("not a valid phone number for {country}")]
    Invalid {
        /// The country selected for the operation.
        country: Country,
    },
    /// A valid number that is not a mobile (a fixed line cannot hold a wallet or airtime).
    #[error("not a mobile number in {country}")]
    NotMobile {
        /// The number's country.
        country: Country,
    },
}

impl PhoneError {
    /// A stable machine code (`too_short`).
    pub fn code(&self) -> &'static str {
        match self {
            PhoneError::Empty => "empty",
            PhoneError::InvalidCharacter { .. } => "invalid_character",
            PhoneError::WrongCountry { .. } => "wrong_country",
            PhoneError::TooShort { .. } => "too_short",
            PhoneError::TooLong { .. } => "too_long",
            PhoneError::Invalid { .. } => "invalid",
            PhoneError::NotMobile { .. } => "not_mobile",
        }
    }

    /// What the cashier should fix, in French and English, with an example number.
    pub fn message(&self) -> Localized {
        match self {
            PhoneError::Empty => Localized::new(
                "Saisissez le numéro de téléphone du client.",
                "Enter the customer's phone number.",
            ),
            PhoneError::InvalidCharacter { found } => Localized::new(
                format!("Le caractère « {found} » n'est pas permis dans un numéro : tapez seulement des chiffres."),
                format!("The character \"{found}\" is not allowed in a phone number: type digits only."),
            ),
            PhoneError::WrongCountry { expected, dialled } => {
                let other = dialled
                    .parse::<u16>()
                    .ok()
                    .and_then(Country::from_calling_code)
                    .map(|c| c.name());
                let (fr_other, en_other) = match other {
                    Some(n) => (format!(" ({})", n.fr), format!(" ({})", n.en)),
                    None => (String::new(), String::new()),
                };
                let name = expected.name();
                let cc = expected.calling_code();
                Localized::new(
                    format!("Ce numéro commence par +{dialled}{fr_other}, mais le service est pour : {} (+{cc}). Vérifiez le numéro ou le service.", name.fr),
                    format!("This number starts with +{dialled}{en_other}, but the service is for {} (+{cc}). Check the number or the service.", name.en),
                )
            }
            PhoneError::TooShort { country } => with_example(
                country,
                "Numéro trop court",
                "Number too short",
            ),
            PhoneError::TooLong { country } => with_example(
                country,
                "Numéro trop long",
                "Number too long",
            ),
            PhoneError::Invalid { country } => with_example(
                country,
                "Ce n'est pas un numéro valide",
                "This is not a valid number",
            ),
            PhoneError::NotMobile { country } => with_example(
                country,
                "Ce numéro n'est pas un mobile (ligne fixe ?)",
                "This is not a mobile number (a fixed line?)",
            ),
        }
    }
}

fn with_example(country: &Country, fr: &str, en: &str) -> Localized {
    let name = country.name();
    let example = country
        .example_mobile()
        .and_then(|e| phonenumber::parse(Some(country.id()), e).ok())
        .map(|p| p.format().mode(Mode::National).to_string());
    match example {
        Some(e) => Localized::new(
            format!("{fr} pour : {} (exemple de mobile : {e}).", name.fr),
            format!("{en} for {} (mobile example: {e}).", name.en),
        ),
        None => Localized::new(
            format!("{fr} pour : {}.", name.fr),
            format!("{en} for {}.", name.en),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(input: &str, c: Country) -> Phone {
        Phone::parse(input, c).unwrap_or_else(|e| panic!("{input:?} for {c}: {e}"))
    }

    #[test]
    fn libphonenumber_knows_every_country() {
        for c in Country::ALL {
            assert_eq!(c.metadata().country_code(), c.calling_code(), "{c}");
            let _ = c.id();
            assert_eq!(Country::from_code(c.code()), Some(c));
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.code()));
            let example = c.example_mobile().expect("example mobile");
            let phone = p(example, c);
            assert!(phone.is_mobile(), "{c} {example}");
            assert!(!c.name().fr.is_empty());
        }
        assert_eq!(Country::from_code("sn"), Some(Country::Sn));
        assert_eq!(Country::from_calling_code(225), Some(Country::Ci));
    }

    #[test]
    fn senegal_accepts_what_cashiers_type() {
        for input in [
            "771234567",
            "77 123 45 67",
            "77-123-45-67",
            "77.123.45.67",
            "+221 77 123 45 67",
            "+221771234567",
            "00221771234567",
            "00 221 77 123 45 67",
            "221771234567",
            "221 77 123 45 67",
            " 77\u{00A0}123\u{202F}45 67 ",
            "(77) 123 45 67",
        ] {
            let ph = p(input, Country::Sn);
            assert_eq!(ph.national_significant(), "771234567", "{input}");
            assert_eq!(ph.e164(), "+221771234567");
        }
        let ph = p("771234567", Country::Sn);
        assert_eq!(ph.wire(PhoneFormat::National), "771234567");
        assert_eq!(ph.wire(PhoneFormat::NationalTrunk), "771234567");
        assert_eq!(ph.wire(PhoneFormat::International), "221771234567");
        assert_eq!(ph.display(), "+221 77 123 45 67");
        assert_eq!(ph.display_national(), "77 123 45 67");
        assert_eq!(ph.to_string(), "+221 77 123 45 67");
    }

    #[test]
    fn senegal_refusals() {
        use PhoneError::*;
        let sn = Country::Sn;
        assert_eq!(Phone::parse("", sn), Err(Empty));
        assert_eq!(Phone::parse(" - ", sn), Err(Empty));
        assert_eq!(
            Phone::parse("77a1234567", sn),
            Err(InvalidCharacter { found: 'a' })
        );
        assert_eq!(
            Phone::parse("77+1234567", sn),
            Err(InvalidCharacter { found: '+' })
        );
        assert_eq!(Phone::parse("7712345", sn), Err(TooShort { country: sn }));
        assert_eq!(
            Phone::parse("77123456789", sn),
            Err(TooLong { country: sn })
        );
        assert_eq!(Phone::parse("991234567", sn), Err(Invalid { country: sn }));
        assert_eq!(
            Phone::parse("+2250103444777", sn),
            Err(WrongCountry {
                expected: sn,
                dialled: "225".into()
            })
        );
        let msg = Phone::parse("+2250103444777", sn).unwrap_err().message();
        assert!(msg.fr.contains("Côte d'Ivoire"), "{}", msg.fr);
        assert!(msg.en.contains("Senegal"), "{}", msg.en);
        let msg = Phone::parse("7712345", sn).unwrap_err().message();
        assert!(
            msg.fr.contains("Sénégal") && msg.fr.contains("70 123 45 67"),
            "{}",
            msg.fr
        );
    }

    #[test]
    fn senegal_fixed_lines_and_operators() {
        let fixed = p("33 821 23 45", Country::Sn);
        assert_eq!(fixed.line_type(), LineType::FixedLine);
        assert_eq!(fixed.sn_operator(), None);
        let cases = [
            ("771234567", Some(SnOperator::Orange)),
            ("781234567", Some(SnOperator::Orange)),
            ("761234567", Some(SnOperator::Free)),
            ("701234567", Some(SnOperator::Expresso)),
            ("751234567", Some(SnOperator::Promobile)),
            ("711234567", None),
        ];
        for (n, op) in cases {
            let ph = p(n, Country::Sn);
            assert!(ph.is_mobile(), "{n}");
            assert_eq!(SnOperator::detect(&ph), op, "{n}");
        }
        let ci = p("0701234567", Country::Ci);
        assert_eq!(ci.sn_operator(), None);
        assert_eq!(SnOperator::Orange.slug(), "orange");
    }

    #[test]
    fn cote_divoire_keeps_its_leading_zero() {
        for input in [
            "0103444777",
            "01 03 44 47 77",
            "+225 01 03 44 47 77",
            "2250103444777",
            "002250103444777",
        ] {
            let ph = p(input, Country::Ci);
            assert_eq!(ph.national_significant(), "0103444777", "{input}");
        }
        let ph = p("0103444777", Country::Ci);
        assert!(ph.is_mobile());
        assert_eq!(ph.wire(PhoneFormat::National), "0103444777");
        assert_eq!(ph.wire(PhoneFormat::NationalTrunk), "0103444777");
        assert_eq!(ph.wire(PhoneFormat::International), "2250103444777");
        // The pre-2021 eight-digit numbers are gone.
        assert!(Phone::parse("03444777", Country::Ci).is_err());
        assert_eq!(
            p("0503444777", Country::Ci).wire(PhoneFormat::International),
            "2250503444777"
        );
    }

    #[test]
    fn drc_formats_per_gateway_provider() {
        for input in [
            "0812345678",
            "812345678",
            "+243 81 234 5678",
            "243812345678",
        ] {
            let ph = p(input, Country::Cd);
            assert_eq!(ph.national_significant(), "812345678", "{input}");
        }
        let ph = p("0991234567", Country::Cd);
        // Orange 2197 / Africell 2199: leading 0.
        assert_eq!(ph.wire(PhoneFormat::NationalTrunk), "0991234567");
        // Airtel 2198: no 0.
        assert_eq!(ph.wire(PhoneFormat::National), "991234567");
        // Vodacom 2196: international.
        assert_eq!(ph.wire(PhoneFormat::International), "243991234567");
    }

    #[test]
    fn a_valid_mobile_for_every_seed_country() {
        let cases = [
            (Country::Ml, "65 01 23 45", "22365012345"),
            (Country::Cm, "6 71 23 45 67", "237671234567"),
            (Country::Bf, "70 12 34 56", "22670123456"),
            (Country::Bj, "01 95 12 34 56", "2290195123456"),
            (Country::Tg, "90 11 23 45", "22890112345"),
            (Country::Gn, "601 12 34 56", "224601123456"),
            (Country::Ne, "93 12 34 56", "22793123456"),
            (Country::Gw, "955 012 345", "245955012345"),
            (Country::Ke, "0712 123456", "254712123456"),
            (Country::Gm, "301 2345", "2203012345"),
            (Country::Mw, "0991 23 45 67", "265991234567"),
            (Country::Ng, "0802 123 4567", "2348021234567"),
            (Country::Rw, "0720 123 456", "250720123456"),
            (Country::Tz, "0621 234 567", "255621234567"),
            (Country::Ug, "0712 345678", "256712345678"),
            (Country::Zm, "0955 123456", "260955123456"),
            (Country::Eg, "0100 123 4567", "201001234567"),
            (Country::Gh, "023 123 4567", "233231234567"),
            (Country::Za, "071 123 4567", "27711234567"),
            (Country::Sl, "025 123456", "23225123456"),
        ];
        for (c, input, intl) in cases {
            let ph = p(input, c);
            assert!(ph.is_mobile(), "{c} {input}");
            assert_eq!(ph.wire(PhoneFormat::International), intl, "{c} {input}");
            assert_eq!(p(&format!("+{intl}"), c), ph, "{c}");
        }
        // Trunk prefixes where the country has one.
        assert_eq!(p("0712123456", Country::Ke).national_trunk(), "0712123456");
        assert_eq!(
            p("0712123456", Country::Ke).wire(PhoneFormat::National),
            "712123456"
        );
    }

    #[test]
    fn invalid_numbers_per_country() {
        let cases = [
            (Country::Ci, "0903444777"),
            (Country::Ml, "1234567"),
            (Country::Cm, "123456789"),
            (Country::Bj, "95123456"),
            (Country::Cd, "12345"),
            (Country::Ke, "071212345678"),
            (Country::Gn, "901123456"),
        ];
        for (c, input) in cases {
            let err = Phone::parse(input, c).expect_err(input);
            let msg = err.message();
            assert!(!msg.fr.is_empty() && !msg.en.is_empty(), "{c} {input}");
            assert!(!err.code().is_empty());
        }
        assert!(matches!(
            Phone::parse("+221771234567", Country::Ml),
            Err(PhoneError::WrongCountry { .. })
        ));
    }
}
