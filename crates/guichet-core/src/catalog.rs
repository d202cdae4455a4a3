//! The service catalog: every service the till can sell, from ONE data file
//! (`src/catalog/services.toml`, embedded), which a till may replace whole with
//! `<data_dir>/catalog.toml`.
//!
//! A [`Service`] is one provider product (a DEXCHANGE serviceCode, an EASYTRANSFERT service_id,
//! a gateway provider_id) in one country and currency. It has one or more [`Offer`]s, one per
//! [`Kind`] of operation it supports, each with its own limits, OTP and extra fields: a gateway
//! provider id collects (c2b) and disburses (b2c) with different limits.
//!
//! [`Catalog::validate`] checks a cashier's request against it and returns every reason to
//! refuse at once ([`Refusal`]), or the request with the phone number in the provider's format.

mod load;
mod validate;

#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::money::{Currency, Money};
use crate::phone::{Country, Phone, PhoneFormat, SnOperator};
use crate::text::Localized;

pub use validate::{
    OperationRequest, Refusal, RefusalCode, RefusalField, ValidatedPhone, ValidatedRequest,
};

/// The embedded catalog file, as shipped (a starting point for an override file).
pub const EMBEDDED_TOML: &str = include_str!("catalog/services.toml");

/// The name of the override file looked for in the data directory.
pub const OVERRIDE_FILE_NAME: &str = "catalog.toml";

/// Who runs a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    /// DEXCHANGE (Senegal; collections in CI, ML, CM; bills; airtime; payment links).
    Dexchange,
    /// EASYTRANSFERT (cash-in / cash-out by service_id).
    Easytransfert,
    /// The Unipesa-engine payment gateway (provider_id).
    Unipesa,
}

impl Provider {
    /// Every provider.
    pub const ALL: [Provider; 3] = [
        Provider::Dexchange,
        Provider::Easytransfert,
        Provider::Unipesa,
    ];

    /// The slug used in the catalog file (`dexchange`).
    pub fn slug(self) -> &'static str {
        match self {
            Provider::Dexchange => "dexchange",
            Provider::Easytransfert => "easytransfert",
            Provider::Unipesa => "unipesa",
        }
    }

    /// The name shown to people.
    pub fn display_name(self) -> &'static str {
        match self {
            Provider::Dexchange => "DEXCHANGE",
            Provider::Easytransfert => "EASYTRANSFERT",
            Provider::Unipesa => "Unipesa",
        }
    }
}

/// What an operation does, from the shop's point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Pay a bill whose amount the biller imposes (SenEau, Senelec).
    Bill,
    /// Prepaid top-up where the customer chooses the amount and gets a token (Woyofal).
    Prepaid,
    /// Phone credit.
    Airtime,
    /// Cash-out: the customer pays from his wallet, the shop hands over cash (c2b, CASHOUT).
    Collection,
    /// Cash-in: the customer hands over cash, the shop pays into his wallet (b2c, CASHIN).
    Disbursement,
    /// A payment link the customer pays online.
    PaymentLink,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 6] = [
        Kind::Bill,
        Kind::Prepaid,
        Kind::Airtime,
        Kind::Collection,
        Kind::Disbursement,
        Kind::PaymentLink,
    ];

    /// The kind's name for the cashier.
    pub fn label(self) -> Localized {
        match self {
            Kind::Bill => Localized::new("Paiement de facture", "Bill payment"),
            Kind::Prepaid => Localized::new("Recharge prépayée", "Prepaid top-up"),
            Kind::Airtime => Localized::new("Crédit téléphonique", "Airtime"),
            Kind::Collection => Localized::new("Retrait (cash-out)", "Cash-out"),
            Kind::Disbursement => Localized::new("Dépôt (cash-in)", "Cash-in"),
            Kind::PaymentLink => Localized::new("Lien de paiement", "Payment link"),
        }
    }
}

/// An extra field a provider needs besides amount, phone and OTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExtraField {
    /// Biller's customer reference: meter or police number (DEXCHANGE `reference_client`).
    ReferenceClient,
    /// Customer's full name (gateway `extra.customer_name`).
    CustomerName,
    /// Customer's e-mail address (gateway `extra.customer_email`).
    CustomerEmail,
    /// Where the provider's payment page sends the customer back (gateway `extra.return_url`).
    ReturnUrl,
    /// Bank identifier code (gateway `extra.bic`).
    Bic,
    /// Identity document type: intl_passport, driving_license, national_id (gateway).
    CustomerDocType,
    /// Identity document number (gateway `extra.customer_doc_number`).
    CustomerDocNumber,
    /// Nigerian bank code (gateway `extra.bank_code`).
    BankCode,
}

impl ExtraField {
    /// The field's name in the catalog file and the providers' payloads (`customer_name`).
    pub fn key(self) -> &'static str {
        match self {
            ExtraField::ReferenceClient => "reference_client",
            ExtraField::CustomerName => "customer_name",
            ExtraField::CustomerEmail => "customer_email",
            ExtraField::ReturnUrl => "return_url",
            ExtraField::Bic => "bic",
            ExtraField::CustomerDocType => "customer_doc_type",
            ExtraField::CustomerDocNumber => "customer_doc_number",
            ExtraField::BankCode => "bank_code",
        }
    }

    /// The field's label for the cashier.
    pub fn label(self) -> Localized {
        match self {
            ExtraField::ReferenceClient => Localized::new(
                "Référence client (compteur / police)",
                "Customer reference (meter / account)",
            ),
            ExtraField::CustomerName => {
                Localized::new("Nom complet du client", "Customer's full name")
            }
            ExtraField::CustomerEmail => {
                Localized::new("Adresse e-mail du client", "Customer's e-mail address")
            }
            ExtraField::ReturnUrl => Localized::new("Adresse de retour (URL)", "Return URL"),
            ExtraField::Bic => Localized::new("Code BIC de la banque", "Bank BIC code"),
            ExtraField::CustomerDocType => {
                Localized::new("Type de pièce d'identité", "Identity document type")
            }
            ExtraField::CustomerDocNumber => {
                Localized::new("Numéro de pièce d'identité", "Identity document number")
            }
            ExtraField::BankCode => Localized::new("Code banque", "Bank code"),
        }
    }
}

/// How a customer confirms a payment from his wallet with one operator (seed 003's table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OtpSyntax {
    /// The country.
    pub country: Country,
    /// The operator's slug (`orange`).
    pub operator: String,
    /// When the row is for one currency only (DRC CDF and USD wallets).
    pub currency: Option<Currency>,
    /// The USSD code the customer dials (`#144#391#`); `None` when there is nothing to dial.
    pub ussd: Option<String>,
    /// What happens, for the cashier.
    pub note: Localized,
}

impl OtpSyntax {
    /// The USSD code with the amount filled in where it says `montant` (Orange Burkina's
    /// `*144*4*6*montant#` becomes `*144*4*6*5000#`).
    pub fn ussd_for(&self, amount: &Money) -> Option<String> {
        let ussd = self.ussd.as_ref()?;
        Some(match amount.whole_major() {
            Some(n) => ussd.replace("montant", &n.to_string()),
            None => ussd.clone(),
        })
    }
}

/// One kind of operation a service offers, with its rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Offer {
    /// What the operation does.
    pub kind: Kind,
    /// Smallest amount accepted, `None` when the provider states none.
    pub min: Option<Money>,
    /// Largest amount accepted, `None` when the provider states none.
    pub max: Option<Money>,
    /// The amount must be a multiple of this.
    pub multiple_of: Option<Money>,
    /// Whether the customer's OTP must be typed before the request is sent.
    pub otp_required: bool,
    /// How the customer confirms (USSD to dial and a note), when known.
    pub confirmation: Option<OtpSyntax>,
    /// Extra fields the provider needs.
    pub extras: Vec<ExtraField>,
    /// The merchant's commission in basis points (100 = 1 %).
    pub commission_bp: u32,
}

/// One provider product in one country and currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Service {
    /// Our stable code (`OM_SN_CASHIN`, `EASYTRANSFERT_27`, `UNIPESA_2354`).
    pub code: String,
    /// Who runs it.
    pub provider: Provider,
    /// What the provider's API takes: DEXCHANGE serviceCode, EASYTRANSFERT service_id,
    /// gateway provider_id.
    pub native_id: String,
    /// The name shown to the cashier.
    pub name: Localized,
    /// The customer's country.
    pub country: Country,
    /// The operator's slug (`orange`, `wave`, `free`…).
    pub operator: String,
    /// The currency of every amount.
    pub currency: Currency,
    /// How the provider wants the customer's phone; `None` when it takes none (bills).
    pub phone_format: Option<PhoneFormat>,
    /// Whether a phone must be given (false for bills and payment links).
    pub phone_required: bool,
    /// Whether the till may sell it.
    pub enabled: bool,
    /// A remark shown with the service.
    pub note: Option<Localized>,
    /// What it offers, one entry per kind.
    pub offers: Vec<Offer>,
}

impl Service {
    /// The offer for a kind, if the service has it.
    pub fn offer(&self, kind: Kind) -> Option<&Offer> {
        self.offers.iter().find(|o| o.kind == kind)
    }

    /// The kinds offered, in the file's order.
    pub fn kinds(&self) -> Vec<Kind> {
        self.offers.iter().map(|o| o.kind).collect()
    }

    /// Whether the service offers a kind.
    pub fn offers_kind(&self, kind: Kind) -> bool {
        self.offer(kind).is_some()
    }
}

/// Where a catalog came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogOrigin {
    /// The file embedded in the binary.
    Embedded,
    /// An override file.
    File(PathBuf),
}

/// Why a catalog could not be loaded. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// The override file exists but cannot be read.
    #[error("cannot read catalog file {file}: {source}")]
    Io {
        /// The file.
        file: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not valid TOML or does not have the catalog's shape.
    #[error("{file}, line {line}, column {column}: {message}")]
    Parse {
        /// The file.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the TOML reader said.
        message: String,
    },
    /// The file parses but says something impossible (duplicate code, min above max…).
    #[error("{file}, line {line}: {message}")]
    Invalid {
        /// The file.
        file: String,
        /// 1-based line of the offending entry.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

impl CatalogError {
    /// The file the error is about.
    pub fn file(&self) -> &str {
        match self {
            CatalogError::Io { file, .. }
            | CatalogError::Parse { file, .. }
            | CatalogError::Invalid { file, .. } => file,
        }
    }

    /// The 1-based line the error is about, when there is one.
    pub fn line(&self) -> Option<usize> {
        match self {
            CatalogError::Io { .. } => None,
            CatalogError::Parse { line, .. } | CatalogError::Invalid { line, .. } => Some(*line),
        }
    }

    /// The message for a manager, in French and English (the detail stays in English: it is
    /// the TOML reader's).
    pub fn message(&self) -> Localized {
        match self {
            CatalogError::Io { file, source } => Localized::new(
                format!("Impossible de lire le catalogue {file} : {source}."),
                format!("Cannot read the catalog {file}: {source}."),
            ),
            CatalogError::Parse {
                file,
                line,
                column,
                message,
            } => Localized::new(
                format!("Catalogue {file} illisible, ligne {line}, colonne {column} : {message}"),
                format!("Unreadable catalog {file}, line {line}, column {column}: {message}"),
            ),
            CatalogError::Invalid {
                file,
                line,
                message,
            } => Localized::new(
                format!("Catalogue {file} incorrect, ligne {line} : {message}"),
                format!("Invalid catalog {file}, line {line}: {message}"),
            ),
        }
    }
}

/// The loaded catalog: services and OTP syntaxes, with lookups.
#[derive(Debug, Clone)]
pub struct Catalog {
    services: Vec<Service>,
    otp_syntaxes: Vec<OtpSyntax>,
    otp_digits: std::ops::RangeInclusive<usize>,
    origin: CatalogOrigin,
}

impl Catalog {
    /// Loads `<data_dir>/catalog.toml` when `data_dir` is given and that file exists, the
    /// embedded catalog otherwise. A file that exists but is unreadable or invalid is an
    /// error naming the file (and the line): the till never falls back silently.
    pub fn load(data_dir: Option<&Path>) -> Result<Catalog, CatalogError> {
        if let Some(dir) = data_dir {
            let path = dir.join(OVERRIDE_FILE_NAME);
            match std::fs::read_to_string(&path) {
                Ok(src) => {
                    let mut catalog = Catalog::from_toml(&src, &path.display().to_string())?;
                    catalog.origin = CatalogOrigin::File(path);
                    return Ok(catalog);
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => {
                    return Err(CatalogError::Io {
                        file: path.display().to_string(),
                        source,
                    })
                }
            }
        }
        Ok(Catalog::embedded())
    }

    /// The catalog embedded in the binary (tested: it always loads).
    pub fn embedded() -> Catalog {
        Catalog::from_toml(EMBEDDED_TOML, "services.toml (embedded)")
            .expect("the embedded catalog is valid (see catalog tests)")
    }

    /// Parses a catalog from TOML text; `file` names it in errors.
    pub fn from_toml(src: &str, file: &str) -> Result<Catalog, CatalogError> {
        let load::Parsed {
            services,
            otp_syntaxes,
            otp_digits,
        } = load::parse(src, file)?;
        Ok(Catalog {
            services,
            otp_syntaxes,
            otp_digits,
            origin: CatalogOrigin::Embedded,
        })
    }

    /// Where this catalog came from.
    pub fn origin(&self) -> &CatalogOrigin {
        &self.origin
    }

    /// Every service, in the file's order (enabled or not).
    pub fn services(&self) -> &[Service] {
        &self.services
    }

    /// How many digits a customer's OTP has (`[otp]` of the file; an override file without it
    /// takes the embedded file's). The sandbox reads the same table.
    pub fn otp_digits(&self) -> std::ops::RangeInclusive<usize> {
        self.otp_digits.clone()
    }

    /// Every OTP / confirmation syntax of the file.
    pub fn otp_syntaxes(&self) -> &[OtpSyntax] {
        &self.otp_syntaxes
    }

    /// A service by its code.
    pub fn get(&self, code: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.code == code)
    }

    /// Services offering a kind.
    pub fn by_kind(&self, kind: Kind) -> impl Iterator<Item = &Service> + '_ {
        self.services.iter().filter(move |s| s.offers_kind(kind))
    }

    /// Services of a country.
    pub fn by_country(&self, country: Country) -> impl Iterator<Item = &Service> + '_ {
        self.services.iter().filter(move |s| s.country == country)
    }

    /// Services of an operator (by slug, case-insensitive).
    pub fn by_operator<'a>(&'a self, operator: &'a str) -> impl Iterator<Item = &'a Service> + 'a {
        self.services
            .iter()
            .filter(move |s| s.operator.eq_ignore_ascii_case(operator))
    }

    /// Services of a provider.
    pub fn by_provider(&self, provider: Provider) -> impl Iterator<Item = &Service> + '_ {
        self.services.iter().filter(move |s| s.provider == provider)
    }

    /// The confirmation syntax for a country and operator (and currency when the table
    /// distinguishes), from seed 003's table.
    pub fn otp_syntax(
        &self,
        country: Country,
        operator: &str,
        currency: Currency,
    ) -> Option<&OtpSyntax> {
        load::find_syntax(&self.otp_syntaxes, country, operator, currency)
    }

    /// The enabled airtime services that can top up this phone: for a Senegalese mobile,
    /// those of its operator (from the prefix, [`SnOperator::detect`]); empty when the
    /// operator is unknown, for a fixed line, or outside Senegal (no other airtime service).
    pub fn airtime_services_for(&self, phone: &Phone) -> Vec<&Service> {
        let Some(op) = SnOperator::detect(phone) else {
            return Vec::new();
        };
        self.by_kind(Kind::Airtime)
            .filter(|s| s.enabled && s.country == Country::Sn && s.operator == op.slug())
            .collect()
    }
}
