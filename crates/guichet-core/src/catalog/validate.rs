//! Checking a cashier's request against the catalog: every reason to refuse at once.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Catalog, ExtraField, Kind, Offer, Provider, Service};
use crate::money::Money;
use crate::phone::{Country, LineType, Phone, PhoneError, PhoneFormat, SnOperator};
use crate::text::Localized;

/// What the cashier asks for, as the UI sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OperationRequest {
    /// The catalog code of the service.
    pub service_code: String,
    /// Which of the service's offers.
    pub kind: Kind,
    /// The amount (for a bill: the amount the bill imposes).
    pub amount: Money,
    /// The customer's phone as typed.
    #[serde(default)]
    pub phone: Option<String>,
    /// The customer's OTP as typed.
    #[serde(default)]
    pub otp: Option<String>,
    /// Extra fields as typed.
    #[serde(default)]
    pub extras: BTreeMap<ExtraField, String>,
}

/// The customer's phone, checked and rendered for the provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ValidatedPhone {
    /// The number's country.
    pub country: Country,
    /// E.164 with `+`, for the ledger.
    pub e164: String,
    /// In the provider's wire format ([`ValidatedPhone::format`]).
    pub wire: String,
    /// The wire format used.
    pub format: PhoneFormat,
    /// For people: `+221 77 123 45 67`.
    pub display: String,
}

/// A request that passed every check, ready for the engine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ValidatedRequest {
    /// The catalog code of the service.
    pub service_code: String,
    /// Who runs it.
    pub provider: Provider,
    /// The provider's own id for it (serviceCode / service_id / provider_id).
    pub native_id: String,
    /// The kind of operation.
    pub kind: Kind,
    /// The amount.
    pub amount: Money,
    /// The customer's phone, when the service takes one and it was given.
    pub phone: Option<ValidatedPhone>,
    /// The OTP (digits only), when the offer requires one.
    pub otp: Option<String>,
    /// Extra fields given, trimmed, empty ones dropped.
    pub extras: BTreeMap<ExtraField, String>,
    /// The merchant's commission on this amount, when the offer pays one.
    pub commission: Option<Money>,
}

/// Why a request is refused: a stable machine code, serialised snake_case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RefusalCode {
    /// No service has this code.
    UnknownService,
    /// The service is turned off.
    ServiceDisabled,
    /// The service does not offer this kind of operation.
    KindNotOffered,
    /// The amount is not in the service's currency.
    CurrencyMismatch,
    /// Zero or negative amount.
    AmountNotPositive,
    /// Below the offer's minimum.
    BelowMinimum,
    /// Above the offer's maximum.
    AboveMaximum,
    /// Not a multiple of the offer's step.
    NotAMultiple,
    /// The service needs a phone and none was given.
    PhoneMissing,
    /// The phone is not a valid number for the service's country.
    PhoneInvalid,
    /// The phone was dialled with another country's code.
    PhoneWrongCountry,
    /// The phone is a fixed line.
    PhoneNotMobile,
    /// Airtime: the number belongs to another operator than the service's.
    OperatorMismatch,
    /// Airtime: the number's operator cannot be recognised.
    OperatorUnknown,
    /// The offer needs the customer's OTP and none was given.
    OtpMissing,
    /// The OTP is not digits of the catalog's length (`[otp]`, 4 to 8).
    OtpInvalid,
    /// A required extra field is missing.
    ExtraMissing,
    /// An extra field is malformed (an e-mail without `@`…).
    ExtraInvalid,
}

/// Which input a refusal is about, so the UI can point at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RefusalField {
    /// The service choice.
    Service,
    /// The kind of operation.
    Kind,
    /// The amount.
    Amount,
    /// The phone number.
    Phone,
    /// The OTP.
    Otp,
    /// An extra field (see [`Refusal::extra`]).
    Extra,
}

/// One reason to refuse, with what the cashier should fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Refusal {
    /// Stable machine code.
    pub code: RefusalCode,
    /// The input concerned.
    pub field: RefusalField,
    /// The extra field concerned, for [`RefusalField::Extra`].
    pub extra: Option<ExtraField>,
    /// What to fix, in French and English.
    pub message: Localized,
}

impl Refusal {
    fn new(code: RefusalCode, field: RefusalField, message: Localized) -> Refusal {
        Refusal {
            code,
            field,
            extra: None,
            message,
        }
    }
}

fn join_fr_en(parts: impl Iterator<Item = Localized>) -> Localized {
    let parts: Vec<Localized> = parts.collect();
    Localized::new(
        parts
            .iter()
            .map(|p| p.fr.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        parts
            .iter()
            .map(|p| p.en.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    )
}

impl Catalog {
    /// Why a typed OTP (whitespace removed) is refused: not digits only, or not of the
    /// catalog's length (`[otp]` of the file, which the sandbox reads too); `None` when it is
    /// accepted.
    pub fn otp_refusal(&self, otp: &str) -> Option<Refusal> {
        let digits = self.otp_digits();
        if otp.chars().all(|c| c.is_ascii_digit()) && digits.contains(&otp.len()) {
            return None;
        }
        Some(Refusal::new(
            RefusalCode::OtpInvalid,
            RefusalField::Otp,
            Localized::new(
                format!(
                    "Le code OTP doit contenir de {} à {} chiffres.",
                    digits.start(),
                    digits.end()
                ),
                format!(
                    "The OTP must have {} to {} digits.",
                    digits.start(),
                    digits.end()
                ),
            ),
        ))
    }

    /// Checks a request against the catalog. `Ok` carries the request with the phone in the
    /// provider's wire format; `Err` carries EVERY reason to refuse (in the order service,
    /// kind, amount, phone, OTP, extras), each with a message for the cashier.
    pub fn validate(&self, req: &OperationRequest) -> Result<ValidatedRequest, Vec<Refusal>> {
        let Some(service) = self.get(req.service_code.trim()) else {
            return Err(vec![Refusal::new(
                RefusalCode::UnknownService,
                RefusalField::Service,
                Localized::new(
                    format!(
                        "Service inconnu : « {} ». Choisissez un service dans la liste.",
                        req.service_code
                    ),
                    format!(
                        "Unknown service \"{}\". Pick a service from the list.",
                        req.service_code
                    ),
                ),
            )]);
        };
        let mut refusals = Vec::new();
        if !service.enabled {
            refusals.push(Refusal::new(
                RefusalCode::ServiceDisabled,
                RefusalField::Service,
                Localized::new(
                    format!(
                        "Le service {} est désactivé sur cette caisse.",
                        service.name.fr
                    ),
                    format!(
                        "The service {} is turned off on this till.",
                        service.name.en
                    ),
                ),
            ));
        }
        let offer = service.offer(req.kind);
        if offer.is_none() {
            let kind = req.kind.label();
            let offered = join_fr_en(service.offers.iter().map(|o| o.kind.label()));
            refusals.push(Refusal::new(
                RefusalCode::KindNotOffered,
                RefusalField::Kind,
                Localized::new(
                    format!(
                        "{} ne permet pas : {}. Opérations possibles : {}.",
                        service.name.fr,
                        kind.fr.to_lowercase(),
                        offered.fr.to_lowercase()
                    ),
                    format!(
                        "{} does not offer {}. Available: {}.",
                        service.name.en,
                        kind.en.to_lowercase(),
                        offered.en.to_lowercase()
                    ),
                ),
            ));
        }
        check_amount(service, offer, &req.amount, &mut refusals);
        let phone = check_phone(service, req, &mut refusals);
        let otp = offer.and_then(|o| check_otp(self, o, req, &mut refusals));
        let extras = check_extras(offer, req, &mut refusals);

        if !refusals.is_empty() {
            return Err(refusals);
        }
        let offer = offer.expect("a missing offer is a refusal");
        let commission = (offer.commission_bp > 0)
            .then(|| req.amount.basis_points(offer.commission_bp).ok())
            .flatten();
        Ok(ValidatedRequest {
            service_code: service.code.clone(),
            provider: service.provider,
            native_id: service.native_id.clone(),
            kind: req.kind,
            amount: req.amount,
            phone,
            otp,
            extras,
            commission,
        })
    }
}

fn check_amount(
    service: &Service,
    offer: Option<&Offer>,
    amount: &Money,
    refusals: &mut Vec<Refusal>,
) {
    let refuse = |code, message| Refusal::new(code, RefusalField::Amount, message);
    if amount.currency != service.currency {
        refusals.push(refuse(
            RefusalCode::CurrencyMismatch,
            Localized::new(
                format!(
                    "Ce service fonctionne en {} et non en {}.",
                    service.currency.symbol(),
                    amount.currency.symbol()
                ),
                format!(
                    "This service works in {}, not {}.",
                    service.currency.symbol(),
                    amount.currency.symbol()
                ),
            ),
        ));
        return;
    }
    if !amount.is_positive() {
        refusals.push(refuse(
            RefusalCode::AmountNotPositive,
            Localized::new(
                "Saisissez un montant supérieur à zéro.",
                "Enter an amount above zero.",
            ),
        ));
        return;
    }
    let Some(offer) = offer else { return };
    if let Some(min) = offer.min {
        if amount.minor < min.minor {
            let m = min.localized();
            refusals.push(refuse(
                RefusalCode::BelowMinimum,
                Localized::new(
                    format!("Le montant minimum est {}.", m.fr),
                    format!("The minimum amount is {}.", m.en),
                ),
            ));
        }
    }
    if let Some(max) = offer.max {
        if amount.minor > max.minor {
            let m = max.localized();
            refusals.push(refuse(
                RefusalCode::AboveMaximum,
                Localized::new(
                    format!("Le montant maximum est {}.", m.fr),
                    format!("The maximum amount is {}.", m.en),
                ),
            ));
        }
    }
    if let Some(step) = offer.multiple_of {
        if amount.minor % step.minor != 0 {
            let lower = Money::new(amount.minor - amount.minor % step.minor, amount.currency);
            let upper = Money::new(lower.minor.saturating_add(step.minor), amount.currency);
            let (s, lo, up) = (step.localized(), lower.localized(), upper.localized());
            let (fr_eg, en_eg) = if lower.is_positive() {
                (
                    format!(" (par exemple {} ou {})", lo.fr, up.fr),
                    format!(" (for example {} or {})", lo.en, up.en),
                )
            } else {
                (
                    format!(" (par exemple {})", up.fr),
                    format!(" (for example {})", up.en),
                )
            };
            refusals.push(refuse(
                RefusalCode::NotAMultiple,
                Localized::new(
                    format!("Le montant doit être un multiple de {}{fr_eg}.", s.fr),
                    format!("The amount must be a multiple of {}{en_eg}.", s.en),
                ),
            ));
        }
    }
}

fn check_phone(
    service: &Service,
    req: &OperationRequest,
    refusals: &mut Vec<Refusal>,
) -> Option<ValidatedPhone> {
    let format = service.phone_format?;
    let refuse = |code, message| Refusal::new(code, RefusalField::Phone, message);
    let typed = req.phone.as_deref().map(str::trim).unwrap_or("");
    if typed.is_empty() {
        if service.phone_required {
            refusals.push(refuse(
                RefusalCode::PhoneMissing,
                PhoneError::Empty.message(),
            ));
        }
        return None;
    }
    let phone = match Phone::parse(typed, service.country) {
        Ok(p) => p,
        Err(e) => {
            let code = match e {
                PhoneError::WrongCountry { .. } => RefusalCode::PhoneWrongCountry,
                PhoneError::Empty => RefusalCode::PhoneMissing,
                _ => RefusalCode::PhoneInvalid,
            };
            refusals.push(refuse(code, e.message()));
            return None;
        }
    };
    if phone.line_type() == LineType::FixedLine {
        refusals.push(refuse(
            RefusalCode::PhoneNotMobile,
            PhoneError::NotMobile {
                country: service.country,
            }
            .message(),
        ));
        return None;
    }
    if req.kind == Kind::Airtime && service.country == Country::Sn {
        match SnOperator::detect(&phone) {
            Some(op) if op.slug() == service.operator => {}
            Some(op) => {
                let wanted = SnOperator::ALL
                    .into_iter()
                    .find(|o| o.slug() == service.operator)
                    .map_or(service.operator.as_str(), |o| o.display_name());
                let found = op.display_name();
                refusals.push(refuse(
                    RefusalCode::OperatorMismatch,
                    Localized::new(
                        format!("Ce numéro est un numéro {found}, pas {wanted} : choisissez le crédit {found}."),
                        format!("This is a {found} number, not {wanted}: choose {found} airtime."),
                    ),
                ));
            }
            None => refusals.push(refuse(
                RefusalCode::OperatorUnknown,
                Localized::new(
                    "Opérateur inconnu pour ce numéro (préfixes acceptés : 70, 75, 76, 77, 78) : vérifiez le numéro.",
                    "Unknown operator for this number (accepted prefixes: 70, 75, 76, 77, 78): check the number.",
                ),
            )),
        }
    }
    Some(ValidatedPhone {
        country: phone.country(),
        e164: phone.e164(),
        wire: phone.wire(format),
        format,
        display: phone.display(),
    })
}

fn check_otp(
    catalog: &Catalog,
    offer: &Offer,
    req: &OperationRequest,
    refusals: &mut Vec<Refusal>,
) -> Option<String> {
    if !offer.otp_required {
        return None;
    }
    let refuse = |code, message| Refusal::new(code, RefusalField::Otp, message);
    let typed: String = req
        .otp
        .as_deref()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if typed.is_empty() {
        let ussd = offer
            .confirmation
            .as_ref()
            .and_then(|c| c.ussd_for(&req.amount));
        let message = match ussd {
            Some(u) => Localized::new(
                format!("Code OTP manquant : le client compose {u} sur son téléphone et vous donne le code reçu."),
                format!("OTP missing: the customer dials {u} on their phone and reads you the code received."),
            ),
            None => Localized::new(
                "Code OTP manquant : demandez au client le code de confirmation reçu par SMS.",
                "OTP missing: ask the customer for the confirmation code received by SMS.",
            ),
        };
        refusals.push(refuse(RefusalCode::OtpMissing, message));
        return None;
    }
    if let Some(refusal) = catalog.otp_refusal(&typed) {
        refusals.push(refusal);
        return None;
    }
    Some(typed)
}

fn check_extras(
    offer: Option<&Offer>,
    req: &OperationRequest,
    refusals: &mut Vec<Refusal>,
) -> BTreeMap<ExtraField, String> {
    let given: BTreeMap<ExtraField, String> = req
        .extras
        .iter()
        .map(|(k, v)| (*k, v.trim().to_string()))
        .filter(|(_, v)| !v.is_empty())
        .collect();
    let required = offer.map_or(&[][..], |o| o.extras.as_slice());
    for field in required {
        if !given.contains_key(field) {
            let label = field.label();
            refusals.push(Refusal {
                code: RefusalCode::ExtraMissing,
                field: RefusalField::Extra,
                extra: Some(*field),
                message: Localized::new(
                    format!("Renseignez : {}.", label.fr.to_lowercase()),
                    format!("Fill in the {}.", label.en.to_lowercase()),
                ),
            });
        }
    }
    if let Some(email) = given.get(&ExtraField::CustomerEmail) {
        if !looks_like_email(email) {
            refusals.push(Refusal {
                code: RefusalCode::ExtraInvalid,
                field: RefusalField::Extra,
                extra: Some(ExtraField::CustomerEmail),
                message: Localized::new(
                    format!("Adresse e-mail invalide : « {email} » (exemple : nom@exemple.sn)."),
                    format!("Invalid e-mail address \"{email}\" (example: name@example.com)."),
                ),
            });
        }
    }
    given
}

/// A deliberately loose check: one `@`, something before it, a dot in the domain, no spaces.
fn looks_like_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(char::is_whitespace)
}
