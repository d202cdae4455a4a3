//! Money: an integer count of a currency's minor unit, never a float.
//!
//! * [`Currency`] lists the ISO 4217 currencies the providers use, with their exponents.
//! * [`Money`] does checked arithmetic only (an overflow is an error, never a wrap).
//! * [`Money::format`] renders for the screen (`12 500 FCFA` with U+202F narrow no-break
//!   spaces) or for a receipt printer (plain ASCII spaces: printer code pages have no U+202F).
//! * [`Money::parse`] reads what a cashier types; [`Money::to_wire`] / [`Money::from_wire`]
//!   speak the gateway's `"1100.00"` format.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::text::{Language, Localized};

/// A currency of the seeds, by its ISO 4217 code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "UPPERCASE")]
pub enum Currency {
    /// West African CFA franc (BCEAO): SN, CI, ML, BF, BJ, TG, NE, GW. No minor unit.
    Xof,
    /// Central African CFA franc (BEAC): Cameroon. No minor unit.
    Xaf,
    /// Congolese franc (DRC). Exponent 2.
    Cdf,
    /// US dollar (DRC "CDUSD" wallets). Exponent 2.
    Usd,
    /// Egyptian pound. Exponent 2.
    Egp,
    /// Gambian dalasi. Exponent 2.
    Gmd,
    /// Ghanaian cedi. Exponent 2.
    Ghs,
    /// Guinean franc. No minor unit.
    Gnf,
    /// Kenyan shilling. Exponent 2.
    Kes,
    /// Malawian kwacha. Exponent 2.
    Mwk,
    /// Nigerian naira. Exponent 2.
    Ngn,
    /// Rwandan franc. No minor unit.
    Rwf,
    /// Sierra Leonean leone (the 2022 redenominated code). Exponent 2.
    Sle,
    /// Tanzanian shilling. Exponent 2.
    Tzs,
    /// Ugandan shilling. No minor unit.
    Ugx,
    /// South African rand. Exponent 2.
    Zar,
    /// Zambian kwacha. Exponent 2.
    Zmw,
}

impl Currency {
    /// Every currency, in declaration order.
    pub const ALL: [Currency; 17] = [
        Currency::Xof,
        Currency::Xaf,
        Currency::Cdf,
        Currency::Usd,
        Currency::Egp,
        Currency::Gmd,
        Currency::Ghs,
        Currency::Gnf,
        Currency::Kes,
        Currency::Mwk,
        Currency::Ngn,
        Currency::Rwf,
        Currency::Sle,
        Currency::Tzs,
        Currency::Ugx,
        Currency::Zar,
        Currency::Zmw,
    ];

    /// The ISO 4217 alphabetic code (`XOF`).
    pub fn code(self) -> &'static str {
        match self {
            Currency::Xof => "XOF",
            Currency::Xaf => "XAF",
            Currency::Cdf => "CDF",
            Currency::Usd => "USD",
            Currency::Egp => "EGP",
            Currency::Gmd => "GMD",
            Currency::Ghs => "GHS",
            Currency::Gnf => "GNF",
            Currency::Kes => "KES",
            Currency::Mwk => "MWK",
            Currency::Ngn => "NGN",
            Currency::Rwf => "RWF",
            Currency::Sle => "SLE",
            Currency::Tzs => "TZS",
            Currency::Ugx => "UGX",
            Currency::Zar => "ZAR",
            Currency::Zmw => "ZMW",
        }
    }

    /// The ISO 4217 exponent: how many decimal digits the minor unit has.
    pub fn exponent(self) -> u8 {
        match self {
            Currency::Xof | Currency::Xaf | Currency::Gnf | Currency::Rwf | Currency::Ugx => 0,
            Currency::Cdf
            | Currency::Usd
            | Currency::Egp
            | Currency::Gmd
            | Currency::Ghs
            | Currency::Kes
            | Currency::Mwk
            | Currency::Ngn
            | Currency::Sle
            | Currency::Tzs
            | Currency::Zar
            | Currency::Zmw => 2,
        }
    }

    /// What the UI and receipts write after an amount: `FCFA` for both CFA francs, the ISO
    /// code otherwise.
    pub fn symbol(self) -> &'static str {
        match self {
            Currency::Xof | Currency::Xaf => "FCFA",
            other => other.code(),
        }
    }

    /// Looks a currency up by its ISO code, case-insensitively.
    pub fn from_code(code: &str) -> Option<Currency> {
        Currency::ALL
            .into_iter()
            .find(|c| c.code().eq_ignore_ascii_case(code.trim()))
    }

    /// How many minor units make one major unit (1 for XOF, 100 for KES).
    pub fn minor_per_major(self) -> i64 {
        10_i64.pow(u32::from(self.exponent()))
    }

    /// The unit words a cashier may type after an amount (`FCFA`, `F`, `CFA`, the ISO code).
    fn accepted_units(self) -> &'static [&'static str] {
        match self {
            Currency::Xof => &["FCFA", "CFA", "F", "XOF"],
            Currency::Xaf => &["FCFA", "CFA", "F", "XAF"],
            _ => &[],
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Currency {
    type Err = UnknownCurrency;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Currency::from_code(s).ok_or_else(|| UnknownCurrency(s.to_string()))
    }
}

/// A currency code that is not in [`Currency::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown currency code {0:?}")]
pub struct UnknownCurrency(pub String);

/// Where an amount is shown: it decides which space characters are used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    /// On screen: every space is U+202F NARROW NO-BREAK SPACE, so `12 500 FCFA` never wraps.
    #[default]
    Ui,
    /// On a thermal receipt: plain ASCII spaces (printer code pages have no U+202F).
    Receipt,
}

impl Target {
    fn space(self) -> char {
        match self {
            Target::Ui => '\u{202F}',
            Target::Receipt => ' ',
        }
    }
}

/// An amount of money: a count of the currency's minor unit.
///
/// `Money { minor: 12500, currency: Xof }` is 12 500 FCFA; `Money { minor: 125050, currency: Kes }`
/// is 1 250,50 KES.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub struct Money {
    /// The amount in the currency's minor unit (FCFA for XOF, cents for KES).
    #[ts(type = "number")]
    pub minor: i64,
    /// The currency.
    pub currency: Currency,
}

/// An arithmetic error on [`Money`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// Two amounts of different currencies were combined.
    #[error("cannot combine {left} and {right}")]
    CurrencyMismatch {
        /// The left operand's currency.
        left: Currency,
        /// The right operand's currency.
        right: Currency,
    },
    /// The result does not fit in an `i64` count of minor units.
    #[error("amount out of range")]
    Overflow,
}

impl MoneyError {
    /// The message for the cashier, in French and English.
    pub fn message(&self) -> Localized {
        match self {
            MoneyError::CurrencyMismatch { left, right } => Localized::new(
                format!("Impossible de combiner des montants en {left} et en {right}."),
                format!("Cannot combine amounts in {left} and {right}."),
            ),
            MoneyError::Overflow => Localized::new("Montant hors limites.", "Amount out of range."),
        }
    }
}

impl Money {
    /// An amount from its count of minor units.
    pub const fn new(minor: i64, currency: Currency) -> Money {
        Money { minor, currency }
    }

    /// Zero in the given currency.
    pub const fn zero(currency: Currency) -> Money {
        Money { minor: 0, currency }
    }

    /// An amount from whole major units (`from_major(10, Kes)` is 10,00 KES); `None` on overflow.
    pub fn from_major(major: i64, currency: Currency) -> Option<Money> {
        major
            .checked_mul(currency.minor_per_major())
            .map(|minor| Money { minor, currency })
    }

    /// Whether the amount is strictly above zero.
    pub fn is_positive(&self) -> bool {
        self.minor > 0
    }

    /// Whether the amount is zero.
    pub fn is_zero(&self) -> bool {
        self.minor == 0
    }

    fn same_currency(&self, other: &Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch {
                left: self.currency,
                right: other.currency,
            })
        }
    }

    /// `self + other`, refusing mixed currencies and overflow.
    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(&other)?;
        self.minor
            .checked_add(other.minor)
            .map(|minor| Money::new(minor, self.currency))
            .ok_or(MoneyError::Overflow)
    }

    /// `self - other`, refusing mixed currencies and overflow.
    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(&other)?;
        self.minor
            .checked_sub(other.minor)
            .map(|minor| Money::new(minor, self.currency))
            .ok_or(MoneyError::Overflow)
    }

    /// `self × factor`, refusing overflow.
    pub fn checked_mul(self, factor: i64) -> Result<Money, MoneyError> {
        self.minor
            .checked_mul(factor)
            .map(|minor| Money::new(minor, self.currency))
            .ok_or(MoneyError::Overflow)
    }

    /// A share of the amount in basis points (100 bp = 1 %), rounded toward zero to the
    /// minor unit: 1 % of 1 250 FCFA is 12 FCFA. Used for the airtime commission.
    pub fn basis_points(self, bp: u32) -> Result<Money, MoneyError> {
        let scaled = i128::from(self.minor) * i128::from(bp) / 10_000;
        i64::try_from(scaled)
            .map(|minor| Money::new(minor, self.currency))
            .map_err(|_| MoneyError::Overflow)
    }

    /// Whether the amount is a whole multiple of `step`; an error for mixed currencies or a
    /// `step` that is not positive (reported as [`MoneyError::Overflow`]).
    pub fn is_multiple_of(&self, step: Money) -> Result<bool, MoneyError> {
        self.same_currency(&step)?;
        if step.minor <= 0 {
            return Err(MoneyError::Overflow);
        }
        Ok(self.minor % step.minor == 0)
    }

    /// The amount in whole major units when it has no fractional part (what DEXCHANGE and
    /// EASYTRANSFERT take as an integer count of FCFA), `None` otherwise.
    pub fn whole_major(&self) -> Option<i64> {
        let per = self.currency.minor_per_major();
        (self.minor % per == 0).then_some(self.minor / per)
    }

    /// The gateway's wire format: a plain decimal string with exactly two digits after the
    /// point whatever the currency's exponent (`1100.00` for 1 100 FCFA, `10.50` for 10,50 KES).
    pub fn to_wire(&self) -> String {
        let exp = u32::from(self.currency.exponent());
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        let per = 10_u64.pow(exp);
        let (int, frac) = (abs / per, abs % per);
        // Scale the fraction to two digits: every currency here has an exponent of 0 or 2.
        let cents = match exp {
            0 => 0,
            1 => frac * 10,
            2 => frac,
            // No ISO currency of the catalog has more; keep the two leading digits.
            _ => frac / 10_u64.pow(exp - 2),
        };
        format!("{sign}{int}.{cents:02}")
    }

    /// Reads a plain decimal string as the gateway and the catalog file write it: digits,
    /// optionally a `.` and fraction digits (`"1100"`, `"1100.00"`, `"10.5"`). Digits beyond
    /// the currency's exponent must be zeros (`"1100.00"` is fine for XOF, `"1100.50"` is not).
    pub fn from_wire(input: &str, currency: Currency) -> Result<Money, AmountParseError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(AmountParseError::Empty);
        }
        let (int, frac) = match s.split_once('.') {
            Some((i, f)) => (i, f),
            None => (s, ""),
        };
        if int.is_empty() || (s.contains('.') && frac.is_empty()) {
            return Err(AmountParseError::MisplacedSeparator);
        }
        if let Some(c) = int
            .chars()
            .chain(frac.chars())
            .find(|c| !c.is_ascii_digit())
        {
            return Err(AmountParseError::InvalidCharacter(c));
        }
        let exp = usize::from(currency.exponent());
        let (kept, extra) = frac.split_at(frac.len().min(exp));
        if extra.chars().any(|c| c != '0') {
            return Err(AmountParseError::TooManyDecimals {
                currency,
                max: currency.exponent(),
            });
        }
        compose(int, kept, currency)
    }

    /// Reads what a cashier typed in the amount field.
    ///
    /// The rules, chosen for a counter in Senegal where `12 500`, `12.500` and `12500` all
    /// mean twelve thousand five hundred francs:
    /// * spaces between digits (ASCII, U+00A0, U+202F, U+2009) are digit grouping and ignored;
    /// * a `.` or `,` followed by exactly three digits is a thousands separator
    ///   (`12.500` = `12,500` = 12 500), also for two-decimal currencies (`1,250` KES = 1 250);
    /// * otherwise the last `.` or `,` is the decimal mark (`1 250,50` or `1,250.50` KES);
    ///   grouping marks before it must be the other character and group by three;
    /// * more decimals than the currency has is refused (`12,5 FCFA`, `12.00 FCFA`: the
    ///   franc CFA has no centimes, and `12.00` next to `12.000` would be a trap);
    /// * a trailing unit is allowed when it names the currency (`FCFA`, `CFA`, `F`, or the ISO
    ///   code), case-insensitive; signs, letters and anything else are refused.
    pub fn parse(input: &str, currency: Currency) -> Result<Money, AmountParseError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(AmountParseError::Empty);
        }
        // Split off a trailing unit word.
        let unit_start = trimmed
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphabetic())
            .last()
            .map(|(i, _)| i);
        let (number, unit) = match unit_start {
            Some(i) => (trimmed[..i].trim_end(), &trimmed[i..]),
            None => (trimmed, ""),
        };
        if !unit.is_empty() {
            let ok = unit.eq_ignore_ascii_case(currency.code())
                || currency
                    .accepted_units()
                    .iter()
                    .any(|u| u.eq_ignore_ascii_case(unit));
            if !ok {
                return Err(AmountParseError::UnknownUnit(unit.to_string()));
            }
        }
        if number.is_empty() {
            return Err(AmountParseError::Empty);
        }
        // Keep digits and separators; spaces only between two digits.
        let chars: Vec<char> = number.chars().collect();
        let mut compact = String::with_capacity(chars.len());
        for (i, &c) in chars.iter().enumerate() {
            if c.is_ascii_digit() || c == '.' || c == ',' {
                compact.push(c);
            } else if is_group_space(c) {
                let before = i > 0 && chars[i - 1].is_ascii_digit();
                let after = chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
                if !(before && after) {
                    return Err(AmountParseError::MisplacedSeparator);
                }
            } else {
                return Err(AmountParseError::InvalidCharacter(c));
            }
        }
        let segments: Vec<&str> = compact.split(['.', ',']).collect();
        let separators: Vec<char> = compact.chars().filter(|c| *c == '.' || *c == ',').collect();
        if segments.iter().any(|s| s.is_empty()) {
            return Err(AmountParseError::MisplacedSeparator);
        }
        if separators.is_empty() {
            return compose(&compact, "", currency);
        }
        let groups_ok = |segs: &[&str], seps: &[char]| {
            seps.is_empty()
                || (segs.first().is_some_and(|s| s.len() <= 3)
                    && segs[1..].iter().all(|s| s.len() == 3))
                    && seps.windows(2).all(|w| w[0] == w[1])
        };
        let last = segments.len() - 1;
        // Everything is grouping: `12.500`, `1,250`, `1.000.000`.
        if segments[last].len() == 3 && groups_ok(&segments, &separators) {
            return compose(&segments.concat(), "", currency);
        }
        // Otherwise the last separator is the decimal mark.
        let decimal_mark = separators[separators.len() - 1];
        let grouping = &separators[..separators.len() - 1];
        if grouping.contains(&decimal_mark) || !groups_ok(&segments[..last], grouping) {
            return Err(AmountParseError::MisplacedSeparator);
        }
        let frac = segments[last];
        if frac.len() > usize::from(currency.exponent()) {
            return Err(AmountParseError::TooManyDecimals {
                currency,
                max: currency.exponent(),
            });
        }
        compose(&segments[..last].concat(), frac, currency)
    }

    /// The number alone, grouped and with the currency's decimals, without the unit
    /// (`12 500`, `1 250,50`), e.g. to refill an input field.
    pub fn format_amount(&self, lang: Language, target: Target) -> String {
        let (group, decimal) = match lang {
            Language::Fr => (target.space(), ','),
            Language::En => (',', '.'),
        };
        let exp = u32::from(self.currency.exponent());
        let abs = self.minor.unsigned_abs();
        let per = 10_u64.pow(exp);
        let digits = (abs / per).to_string();
        let mut out = String::new();
        if self.minor < 0 {
            out.push('-');
        }
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(group);
            }
            out.push(c);
        }
        if exp > 0 {
            out.push(decimal);
            out.push_str(&format!("{:0width$}", abs % per, width = exp as usize));
        }
        out
    }

    /// The amount with its unit for the screen or a receipt: `12 500 FCFA`, `1 250,50 KES`
    /// (French), `12,500 FCFA`, `1,250.50 KES` (English).
    pub fn format(&self, lang: Language, target: Target) -> String {
        format!(
            "{}{}{}",
            self.format_amount(lang, target),
            target.space(),
            self.currency.symbol()
        )
    }

    /// The amount in both languages for the screen, for use inside a [`Localized`] message.
    pub fn localized(&self) -> Localized {
        Localized::new(
            self.format(Language::Fr, Target::Ui),
            self.format(Language::En, Target::Ui),
        )
    }
}

impl fmt::Display for Money {
    /// French, for the screen (`12 500 FCFA` with U+202F).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format(Language::Fr, Target::Ui))
    }
}

fn is_group_space(c: char) -> bool {
    matches!(c, ' ' | '\u{00A0}' | '\u{202F}' | '\u{2009}')
}

/// Builds an amount from ASCII integer digits and at most `exponent` fraction digits.
fn compose(int: &str, frac: &str, currency: Currency) -> Result<Money, AmountParseError> {
    let exp = usize::from(currency.exponent());
    debug_assert!(frac.len() <= exp);
    let mut minor: i64 = 0;
    let padded = frac.chars().chain(std::iter::repeat('0')).take(exp);
    for c in int.chars().chain(padded) {
        let d = c
            .to_digit(10)
            .ok_or(AmountParseError::InvalidCharacter(c))?;
        minor = minor
            .checked_mul(10)
            .and_then(|m| m.checked_add(i64::from(d)))
            .ok_or(AmountParseError::Overflow)?;
    }
    Ok(Money::new(minor, currency))
}

/// Why typed text is not an amount.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountParseError {
    /// Nothing was typed.
    #[error("empty amount")]
    Empty,
    /// A character that has no place in an amount (a letter, a sign, a symbol).
    #[error("invalid character {0:?} in amount")]
    InvalidCharacter(char),
    /// A unit after the number that is not the currency's.
    #[error("unit {0:?} does not match the currency")]
    UnknownUnit(String),
    /// A `.`, `,` or space in a place that makes the number ambiguous.
    #[error("misplaced separator in amount")]
    MisplacedSeparator,
    /// More decimals than the currency has.
    #[error("{currency} takes at most {max} decimals")]
    TooManyDecimals {
        /// The currency the amount was read in.
        currency: Currency,
        /// Its exponent.
        max: u8,
    },
    /// Too large to be an amount.
    #[error("amount too large")]
    Overflow,
}

impl AmountParseError {
    /// A stable machine code (`too_many_decimals`).
    pub fn code(&self) -> &'static str {
        match self {
            AmountParseError::Empty => "empty",
            AmountParseError::InvalidCharacter(_) => "invalid_character",
            AmountParseError::UnknownUnit(_) => "unknown_unit",
            AmountParseError::MisplacedSeparator => "misplaced_separator",
            AmountParseError::TooManyDecimals { .. } => "too_many_decimals",
            AmountParseError::Overflow => "overflow",
        }
    }

    /// What the cashier should fix, in French and English.
    pub fn message(&self) -> Localized {
        match self {
            AmountParseError::Empty => {
                Localized::new("Saisissez un montant.", "Enter an amount.")
            }
            AmountParseError::InvalidCharacter(c) => Localized::new(
                format!("Le caractère « {c} » n'est pas permis dans un montant : tapez seulement des chiffres."),
                format!("The character \"{c}\" is not allowed in an amount: type digits only."),
            ),
            AmountParseError::UnknownUnit(u) => Localized::new(
                format!("« {u} » n'est pas la devise de ce service."),
                format!("\"{u}\" is not this service's currency."),
            ),
            AmountParseError::MisplacedSeparator => Localized::new(
                "Montant mal écrit : tapez le nombre sans séparateur, par exemple 12500.",
                "Badly written amount: type the number without separators, for example 12500.",
            ),
            AmountParseError::TooManyDecimals { currency, max: 0 } => Localized::new(
                format!("Les montants en {} n'ont pas de décimales.", currency.symbol()),
                format!("Amounts in {} have no decimals.", currency.symbol()),
            ),
            AmountParseError::TooManyDecimals { currency, max } => Localized::new(
                format!("Au plus {max} décimales pour un montant en {}.", currency.symbol()),
                format!("At most {max} decimals for an amount in {}.", currency.symbol()),
            ),
            AmountParseError::Overflow => {
                Localized::new("Montant beaucoup trop grand.", "Amount far too large.")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const NNBSP: char = '\u{202F}';

    fn xof(minor: i64) -> Money {
        Money::new(minor, Currency::Xof)
    }

    fn kes(minor: i64) -> Money {
        Money::new(minor, Currency::Kes)
    }

    #[test]
    fn exponents_follow_iso_4217() {
        use Currency::*;
        for c in [Xof, Xaf, Gnf, Rwf, Ugx] {
            assert_eq!(c.exponent(), 0, "{c}");
        }
        for c in [Cdf, Usd, Egp, Gmd, Ghs, Kes, Mwk, Ngn, Sle, Tzs, Zar, Zmw] {
            assert_eq!(c.exponent(), 2, "{c}");
        }
        for c in Currency::ALL {
            assert_eq!(Currency::from_code(c.code()), Some(c));
            assert_eq!(c.code().parse::<Currency>(), Ok(c));
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.code()));
        }
        assert_eq!(Currency::from_code("xof"), Some(Xof));
        assert!("EUR".parse::<Currency>().is_err());
    }

    #[test]
    fn formats_fcfa_for_screen_and_receipt() {
        let m = xof(12_500);
        assert_eq!(
            m.format(Language::Fr, Target::Ui),
            format!("12{NNBSP}500{NNBSP}FCFA")
        );
        assert_eq!(m.format(Language::Fr, Target::Receipt), "12 500 FCFA");
        assert_eq!(m.format(Language::En, Target::Receipt), "12,500 FCFA");
        assert_eq!(m.to_string(), format!("12{NNBSP}500{NNBSP}FCFA"));
        assert_eq!(xof(500).format(Language::Fr, Target::Receipt), "500 FCFA");
        assert_eq!(
            xof(1_000_000).format(Language::Fr, Target::Receipt),
            "1 000 000 FCFA"
        );
        assert_eq!(xof(0).format(Language::Fr, Target::Receipt), "0 FCFA");
        assert_eq!(
            xof(-2_500).format(Language::Fr, Target::Receipt),
            "-2 500 FCFA"
        );
        assert_eq!(
            Money::new(500, Currency::Xaf).format(Language::Fr, Target::Receipt),
            "500 FCFA"
        );
    }

    #[test]
    fn formats_decimals_and_iso_code_for_other_currencies() {
        assert_eq!(
            kes(125_050).format(Language::Fr, Target::Receipt),
            "1 250,50 KES"
        );
        assert_eq!(
            kes(125_050).format(Language::En, Target::Ui),
            format!("1,250.50{NNBSP}KES")
        );
        assert_eq!(kes(5).format(Language::Fr, Target::Receipt), "0,05 KES");
        assert_eq!(
            Money::new(4_000_000, Currency::Ugx).format(Language::Fr, Target::Receipt),
            "4 000 000 UGX"
        );
        assert_eq!(
            kes(125_050).format_amount(Language::Fr, Target::Receipt),
            "1 250,50"
        );
    }

    #[test]
    fn wire_format_has_two_decimals_whatever_the_exponent() {
        assert_eq!(xof(1_100).to_wire(), "1100.00");
        assert_eq!(kes(1_050).to_wire(), "10.50");
        assert_eq!(kes(7).to_wire(), "0.07");
        assert_eq!(Money::new(100, Currency::Rwf).to_wire(), "100.00");
        assert_eq!(Money::from_wire("1100.00", Currency::Xof), Ok(xof(1_100)));
        assert_eq!(Money::from_wire("1100", Currency::Xof), Ok(xof(1_100)));
        assert_eq!(Money::from_wire("10.5", Currency::Kes), Ok(kes(1_050)));
        assert!(matches!(
            Money::from_wire("1100.50", Currency::Xof),
            Err(AmountParseError::TooManyDecimals { .. })
        ));
        assert!(Money::from_wire("1 100", Currency::Xof).is_err());
        assert!(Money::from_wire("1100.", Currency::Xof).is_err());
        assert!(Money::from_wire("-5", Currency::Xof).is_err());
    }

    #[test]
    fn parses_what_cashiers_type() {
        let x = Currency::Xof;
        for s in [
            "12500",
            "12 500",
            "12\u{202F}500",
            "12\u{00A0}500",
            "12.500",
            "12,500",
            " 12500 ",
            "12500 FCFA",
            "12 500 F",
            "12500fcfa",
            "12500 XOF",
        ] {
            assert_eq!(Money::parse(s, x), Ok(xof(12_500)), "{s:?}");
        }
        assert_eq!(Money::parse("1.000.000", x), Ok(xof(1_000_000)));
        assert_eq!(Money::parse("1 000 000", x), Ok(xof(1_000_000)));
        assert_eq!(Money::parse("0500", x), Ok(xof(500)));

        let k = Currency::Kes;
        assert_eq!(Money::parse("1250,50", k), Ok(kes(125_050)));
        assert_eq!(Money::parse("1 250,50", k), Ok(kes(125_050)));
        assert_eq!(Money::parse("1.250,50", k), Ok(kes(125_050)));
        assert_eq!(Money::parse("1,250.50", k), Ok(kes(125_050)));
        assert_eq!(Money::parse("1250.5", k), Ok(kes(125_050)));
        assert_eq!(Money::parse("1,250", k), Ok(kes(125_000)));
        assert_eq!(Money::parse("10 KES", k), Ok(kes(1_000)));
    }

    #[test]
    fn refuses_garbage_with_a_typed_error() {
        let x = Currency::Xof;
        use AmountParseError::*;
        assert_eq!(Money::parse("", x), Err(Empty));
        assert_eq!(Money::parse("   ", x), Err(Empty));
        assert_eq!(Money::parse("FCFA", x), Err(Empty));
        assert_eq!(Money::parse("-500", x), Err(InvalidCharacter('-')));
        assert_eq!(Money::parse("12a500", x), Err(InvalidCharacter('a')));
        assert_eq!(Money::parse("500 KES", x), Err(UnknownUnit("KES".into())));
        assert_eq!(Money::parse("500 EUR", x), Err(UnknownUnit("EUR".into())));
        assert!(matches!(
            Money::parse("12,5", x),
            Err(TooManyDecimals { max: 0, .. })
        ));
        assert!(matches!(
            Money::parse("12.00", x),
            Err(TooManyDecimals { max: 0, .. })
        ));
        assert!(matches!(
            Money::parse("12.505", Currency::Kes),
            Ok(m) if m.minor == 1_250_500
        ));
        assert!(matches!(
            Money::parse("1250,505", Currency::Kes),
            Err(TooManyDecimals { max: 2, .. })
        ));
        assert_eq!(Money::parse("1.2.3", x), Err(MisplacedSeparator));
        assert_eq!(
            Money::parse("1.250.50", Currency::Kes),
            Err(MisplacedSeparator)
        );
        assert_eq!(Money::parse(".5", Currency::Kes), Err(MisplacedSeparator));
        assert_eq!(Money::parse("12.", x), Err(MisplacedSeparator));
        assert_eq!(Money::parse("12 .500", x), Err(MisplacedSeparator));
        assert_eq!(Money::parse("12..500", x), Err(MisplacedSeparator));
        assert_eq!(Money::parse("1234.567.890", x), Err(MisplacedSeparator));
        assert_eq!(Money::parse("99999999999999999999", x), Err(Overflow));
        // Every error has a message in both languages and a stable code.
        for e in [
            Empty,
            InvalidCharacter('x'),
            UnknownUnit("EUR".into()),
            MisplacedSeparator,
            TooManyDecimals {
                currency: x,
                max: 0,
            },
            TooManyDecimals {
                currency: Currency::Kes,
                max: 2,
            },
            Overflow,
        ] {
            let m = e.message();
            assert!(!m.fr.is_empty() && !m.en.is_empty() && m.fr != m.en);
            assert!(!e.code().is_empty());
        }
    }

    #[test]
    fn checked_arithmetic() {
        assert_eq!(xof(100).checked_add(xof(50)), Ok(xof(150)));
        assert_eq!(xof(100).checked_sub(xof(150)), Ok(xof(-50)));
        assert_eq!(
            xof(100).checked_add(kes(1)),
            Err(MoneyError::CurrencyMismatch {
                left: Currency::Xof,
                right: Currency::Kes
            })
        );
        assert_eq!(xof(i64::MAX).checked_add(xof(1)), Err(MoneyError::Overflow));
        assert_eq!(xof(i64::MIN).checked_sub(xof(1)), Err(MoneyError::Overflow));
        assert_eq!(xof(i64::MAX).checked_mul(2), Err(MoneyError::Overflow));
        assert_eq!(xof(1_250).basis_points(100), Ok(xof(12)));
        assert_eq!(xof(10_000).basis_points(100), Ok(xof(100)));
        assert_eq!(xof(i64::MAX).basis_points(10_000), Ok(xof(i64::MAX)));
        assert_eq!(xof(12_500).is_multiple_of(xof(100)), Ok(true));
        assert_eq!(xof(12_550).is_multiple_of(xof(100)), Ok(false));
        assert_eq!(Money::from_major(10, Currency::Kes), Some(kes(1_000)));
        assert_eq!(kes(1_000).whole_major(), Some(10));
        assert_eq!(kes(1_050).whole_major(), None);
        assert_eq!(xof(1_050).whole_major(), Some(1_050));
        assert!(!MoneyError::Overflow.message().fr.is_empty());
    }

    #[test]
    fn serializes_for_the_ui() {
        let json = serde_json::to_value(xof(12_500)).unwrap();
        assert_eq!(json, serde_json::json!({"minor": 12500, "currency": "XOF"}));
        let back: Money = serde_json::from_value(json).unwrap();
        assert_eq!(back, xof(12_500));
        let decl = <Money as TS>::decl(&ts_rs::Config::default());
        assert!(decl.contains("minor: number"), "{decl}");
    }

    fn any_currency() -> impl Strategy<Value = Currency> {
        proptest::sample::select(Currency::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn formatted_amounts_parse_back(minor in 0i64..=1_000_000_000_000, c in any_currency()) {
            let m = Money::new(minor, c);
            for lang in [Language::Fr, Language::En] {
                for target in [Target::Ui, Target::Receipt] {
                    let text = m.format(lang, target);
                    // French two-decimal amounts use `,` as the decimal mark: always unambiguous.
                    // English groups with `,` and marks decimals with `.`.
                    prop_assert_eq!(Money::parse(&text, c), Ok(m), "{}", text);
                }
            }
        }

        #[test]
        fn wire_round_trips(minor in -1_000_000_000_000i64..=1_000_000_000_000, c in any_currency()) {
            let m = Money::new(minor.abs(), c);
            prop_assert_eq!(Money::from_wire(&m.to_wire(), c), Ok(m));
            let wire = Money::new(minor, c).to_wire();
            let (_, frac) = wire.split_once('.').unwrap();
            prop_assert_eq!(frac.len(), 2);
        }

        #[test]
        fn plain_digits_always_parse(n in 0i64..=999_999_999_999) {
            prop_assert_eq!(Money::parse(&n.to_string(), Currency::Xof), Ok(Money::new(n, Currency::Xof)));
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,20}", c in any_currency()) {
            let _ = Money::parse(&s, c);
            let _ = Money::from_wire(&s, c);
        }
    }
}
