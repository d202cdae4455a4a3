//! What every provider connector does, and the one shape of their answers.
//!
//! A connector turns an [`Intent`] into the provider's own request, sends it, and maps the
//! provider's answer (status, error, fee, token) to ours. It never decides what the ledger does
//! with an answer: that is the engine's job. Each provider lives in its own module, its wire
//! structs and its single status/error mapping in `<provider>/transformers.rs`.

use std::time::Duration;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use thiserror::Error;
use ts_rs::TS;

use crate::catalog::{Provider, ValidatedRequest};
use crate::ledger::{Details, OperationStatus};
use crate::text::Localized;

pub mod dexchange;
pub mod easytransfert;
mod errors;
pub(crate) mod http;
pub mod reachability;
pub mod redact;
pub mod unipesa;

/// One cashier intent as it goes to a provider: fixed when the operation is `prepared` and
/// resent identically (same idempotency key) whenever the engine must ask again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intent {
    /// Our externalTransactionId / order_id / custom_data: never re-minted for this intent.
    pub idempotency_key: String,
    /// The validated request (service, native id, kind, amount, phone in wire format, OTP…).
    pub request: ValidatedRequest,
    /// Bills: the bill's own reference (`reference_facture`); none pays the oldest unpaid bill.
    pub invoice_ref: Option<String>,
    /// Payment links: what the customer is paying for (`ItemName`).
    pub item_name: Option<String>,
    /// Where the provider should POST status changes; `None` when the till cannot receive them
    /// (the usual case behind NAT: status polling is the primary path).
    pub callback_url: Option<String>,
}

/// What the reconciler knows when it asks a provider about an operation. Asking never moves
/// money.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Probe {
    /// Our idempotency key.
    pub idempotency_key: String,
    /// The provider's transaction id, when we have it.
    pub provider_ref: Option<String>,
    /// The original intent (some providers can only be asked by resending it).
    pub intent: Intent,
}

/// A provider's answer, mapped to our vocabulary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    /// Our status. Connectors only ever return `pending`, `processing`, `success`, `failed`,
    /// `cancelled` or `expired`: the engine alone decides `unknown` and `needs_review`.
    pub status: OperationStatus,
    /// The provider's own status word (`PENDING1`, `SUCCESSFUL`, `2`…), kept as evidence.
    pub native_status: String,
    /// The provider's transaction id (`transactionId`, `EFB.…`, gateway `transaction_id`).
    pub provider_ref: Option<String>,
    /// Fee in the currency's minor unit, when the provider says it.
    pub fee_minor: Option<i64>,
    /// Woyofal token (20 digits) or any voucher code.
    pub token: Option<String>,
    /// A URL for the customer: DEXCHANGE `PaymentUrl`, Wave `cashout_url`, gateway
    /// `customer_redirect`.
    pub customer_url: Option<String>,
    /// The operation waits for an OTP the customer reads out (Wizall cash-out).
    pub awaits_otp: bool,
    /// The provider's own message, if any (shown as evidence, not as our sentence).
    pub message: Option<String>,
    /// Extra non-secret facts worth keeping (refund, balances, bill holder…).
    pub details: Details,
    /// The provider's raw answer with secrets redacted ([`redact::redact`]).
    pub raw: Value,
}

/// One unpaid (or paid) bill, or a Woyofal meter, as a bill inquiry returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Bill {
    /// The biller's reference of the customer (meter / police number).
    pub reference_client: String,
    /// The bill's own reference (`referenceFacture`), to pay a chosen bill.
    pub reference_facture: Option<String>,
    /// The provider's payment number for this bill, if given.
    pub payment_transaction_number: Option<String>,
    /// Customer's name as the biller knows it (`prenom nom`).
    pub customer_name: String,
    /// Address, when given.
    pub address: Option<String>,
    /// Amount of the bill in minor units (0 for a Woyofal meter).
    #[ts(type = "number")]
    pub amount_minor: i64,
    /// Fee in minor units.
    #[ts(type = "number")]
    pub fee_minor: i64,
    /// Amount + fee in minor units.
    #[ts(type = "number")]
    pub total_minor: i64,
    /// Due date as the biller writes it.
    pub due_date: Option<String>,
    /// Already paid.
    pub paid: bool,
    /// Woyofal meter status, when given.
    pub meter_status: Option<String>,
}

/// The merchant's balance with a provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Balance {
    /// Amount in the currency's minor unit.
    #[ts(type = "number")]
    pub amount_minor: i64,
    /// ISO 4217 code as the provider gives it.
    pub currency: String,
}

/// Why a provider call did not give an answer we can use as is.
///
/// The variants are about **what may have happened to the money**, because that is what the
/// engine must decide on: see `docs/ARCHITECTURE.md`, "Ambiguous outcomes".
#[derive(Debug, Error)]
pub enum ConnectorError {
    /// The request provably never left (connection refused, DNS failure, invalid URL): nothing
    /// moved.
    #[error("not sent: {detail}")]
    NotSent {
        /// What failed, for the logs.
        detail: String,
    },
    /// The request left and no usable answer came back (timeout, cut connection, 5xx,
    /// unreadable body): the money may have moved.
    #[error("no usable answer: {detail}")]
    Ambiguous {
        /// What happened, for the logs and the evidence.
        detail: String,
        /// Whatever came back, redacted (`Null` when nothing did).
        raw: Value,
        /// The provider's transaction id, when the unusable answer named one (an unknown status
        /// word, an unexpected code on a status call): evidence the engine keeps, so that it
        /// asks about the operation by this id instead of resending. (A `Box<str>` keeps the
        /// error as small as [`ConnectorError::Refused`].)
        provider_ref: Option<Box<str>>,
    },
    /// The provider refused the operation: nothing moved.
    #[error("refused by the provider: {native_code} {message}")]
    Refused {
        /// The provider's code (HTTP status, `result.code`, `statut_code`…).
        native_code: String,
        /// The provider's message, as it wrote it.
        message: String,
        /// The provider's raw answer, redacted.
        raw: Value,
    },
    /// The provider already has this idempotency key (DEXCHANGE 409): the intent reached it
    /// before; resolve by status, never by a new key.
    #[error("idempotency key already used at the provider")]
    Duplicate {
        /// The provider's raw answer, redacted.
        raw: Value,
    },
    /// The credentials were refused (401, gateway 10201).
    #[error("credentials refused by the provider")]
    Unauthorized {
        /// The provider's raw answer, redacted.
        raw: Value,
    },
    /// The provider turned the request away before processing it (maintenance 403, rate limit
    /// 429, our own rate limiter): nothing moved; ask again later with the same key.
    #[error("provider unavailable: {detail}")]
    Unavailable {
        /// What the provider said.
        detail: String,
        /// When to try again, if the provider said.
        retry_after: Option<Duration>,
    },
    /// The provider has no record of this transaction (status lookup).
    #[error("no such transaction at the provider")]
    NotFound {
        /// The provider's raw answer, redacted.
        raw: Value,
    },
    /// This provider does not offer this call.
    #[error("{provider:?} does not support {what}")]
    Unsupported {
        /// The provider.
        provider: Provider,
        /// The call.
        what: &'static str,
    },
}

impl ConnectorError {
    /// [`ConnectorError::Ambiguous`]: no usable answer; `raw` is whatever came back, redacted.
    pub fn ambiguous(detail: impl Into<String>, raw: Value) -> ConnectorError {
        ConnectorError::Ambiguous {
            detail: detail.into(),
            raw,
            provider_ref: None,
        }
    }

    /// [`ConnectorError::Ambiguous`] about a transaction the provider named (`provider_ref`,
    /// kept when given): the outcome is not known, the transaction is.
    pub fn ambiguous_about(
        detail: impl Into<String>,
        raw: Value,
        provider_ref: Option<String>,
    ) -> ConnectorError {
        ConnectorError::Ambiguous {
            detail: detail.into(),
            raw,
            provider_ref: provider_ref
                .filter(|r| !r.trim().is_empty())
                .map(String::into_boxed_str),
        }
    }

    /// Stable code for the UI, logs and tests.
    pub fn code(&self) -> &'static str {
        match self {
            ConnectorError::NotSent { .. } => "provider_unreachable",
            ConnectorError::Ambiguous { .. } => "provider_no_answer",
            ConnectorError::Refused { .. } => "provider_refused",
            ConnectorError::Duplicate { .. } => "provider_duplicate",
            ConnectorError::Unauthorized { .. } => "provider_unauthorized",
            ConnectorError::Unavailable { .. } => "provider_unavailable",
            ConnectorError::NotFound { .. } => "provider_not_found",
            ConnectorError::Unsupported { .. } => "provider_unsupported",
        }
    }

    /// What the cashier reads.
    pub fn message(&self) -> Localized {
        match self {
            ConnectorError::NotSent { .. } => Localized::new(
                "Le fournisseur est injoignable : rien n'a été envoyé. Vérifiez la connexion puis réessayez.",
                "The provider cannot be reached: nothing was sent. Check the connection and try again.",
            ),
            ConnectorError::Ambiguous { .. } => Localized::new(
                "Pas de réponse du fournisseur. Ne refaites pas l'opération : vérification en cours.",
                "No answer from the provider. Do not repeat the operation: it is being checked.",
            ),
            ConnectorError::Refused { message, .. } => Localized::new(
                format!("Le fournisseur a refusé l'opération : {message}"),
                format!("The provider refused the operation: {message}"),
            ),
            ConnectorError::Duplicate { .. } => Localized::new(
                "Le fournisseur a déjà reçu cette opération : vérification de son état en cours.",
                "The provider already received this operation: checking its status.",
            ),
            ConnectorError::Unauthorized { .. } => Localized::new(
                "Les clés du fournisseur sont refusées. Le responsable doit les vérifier dans Réglages.",
                "The provider refused the keys. A manager must check them in Settings.",
            ),
            ConnectorError::Unavailable { .. } => Localized::new(
                "Le fournisseur est momentanément indisponible : rien n'a été débité. Réessayez dans un instant.",
                "The provider is briefly unavailable: nothing was charged. Try again in a moment.",
            ),
            ConnectorError::NotFound { .. } => Localized::new(
                "Le fournisseur ne connaît pas cette opération.",
                "The provider has no record of this operation.",
            ),
            ConnectorError::Unsupported { .. } => Localized::new(
                "Ce fournisseur ne propose pas cette opération.",
                "This provider does not offer this operation.",
            ),
        }
    }
}

/// The longest any provider may make us wait: a `Retry-After`, a rate limiter's wait, a
/// polling guard's interval. Longer delays are cut to this one. One hour: the engine's
/// `resolve_window` (an unknown outcome not settled within an hour goes to a manager), so a
/// provider can never park an operation beyond the time the till gives itself to settle it,
/// and a value like `Retry-After: 18446744073709551615` can never overflow a clock.
pub const MAX_PROVIDER_DELAY: Duration = Duration::from_secs(3600);

/// A provider-given delay, clamped to [`MAX_PROVIDER_DELAY`].
pub fn clamp_delay(delay: Duration) -> Duration {
    delay.min(MAX_PROVIDER_DELAY)
}

/// Where a connector sends its requests and how long it waits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// Base URL, without trailing slash: `https://api-m.dexchange.sn/api/v1`, or the sandbox's
    /// `http://127.0.0.1:PORT/dexchange/api/v1`.
    pub base_url: String,
    /// Per-request timeout; past it, a sent request is [`ConnectorError::Ambiguous`].
    pub timeout: Duration,
}

/// One provider's API.
#[async_trait]
pub trait Connector: Send + Sync {
    /// Which provider this is.
    fn provider(&self) -> Provider;

    /// Sends the intent (first time, or again with the same key to resolve an ambiguity).
    async fn submit(&self, intent: &Intent) -> Result<Answer, ConnectorError>;

    /// Asks the provider where the operation stands. Never moves money.
    async fn status(&self, probe: &Probe) -> Result<Answer, ConnectorError>;

    /// Sends the OTP the customer read out, for operations that wait for one after init
    /// (Wizall cash-out).
    async fn confirm_otp(&self, probe: &Probe, otp: &str) -> Result<Answer, ConnectorError> {
        let _ = (probe, otp);
        Err(ConnectorError::Unsupported {
            provider: self.provider(),
            what: "otp confirmation",
        })
    }

    /// Looks up a customer's bills (SenEau, Senelec) or a Woyofal meter. Never moves money.
    async fn bill_inquiry(
        &self,
        service_native_id: &str,
        reference_client: &str,
    ) -> Result<Vec<Bill>, ConnectorError> {
        let _ = (service_native_id, reference_client);
        Err(ConnectorError::Unsupported {
            provider: self.provider(),
            what: "bill inquiry",
        })
    }

    /// The merchant's balance.
    async fn balance(&self) -> Result<Balance, ConnectorError>;

    /// The provider codes (`native_id`s) of the services the merchant's account offers, from
    /// the provider's own services list; `None` when the provider documents no such list (the
    /// catalog is then the list). Never moves money.
    async fn account_services(&self) -> Result<Option<Vec<String>>, ConnectorError> {
        Ok(None)
    }

    /// "Check connection" in Settings: a call with the keys that moves no money; the balance
    /// where the provider has one.
    async fn check_connection(&self) -> Result<Option<Balance>, ConnectorError> {
        self.balance().await.map(Some)
    }
}
