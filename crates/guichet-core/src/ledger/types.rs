//! The values the ledger takes and gives back.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;
use uuid::Uuid;

use super::status::OperationStatus;

/// A JSON object of extra, non-secret facts (payment URL, commission, bill holder's name…).
pub type Details = Map<String, Value>;

/// What the engine writes when the cashier confirms an operation (status `prepared`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct NewOperation {
    /// Our externalTransactionId / order_id: 1 to 128 characters of `[A-Za-z0-9_-:.]`, unique,
    /// fixed for the life of the cashier's intent (see [`super::new_idempotency_key`]).
    pub idempotency_key: String,
    /// Provider id as the connectors name it (`dexchange`, `easytransfert`, `gateway`…).
    pub provider: String,
    /// The provider's service code (`SENELEC_SN_BILL`, `20`, …).
    pub service_code: String,
    /// The kind of operation as the catalog names it (`bill`, `woyofal`, `airtime`,
    /// `payment_link`, `cash_in`, `cash_out`…).
    pub kind: String,
    /// ISO 3166 alpha-2 country (`SN`).
    pub country: String,
    /// ISO 4217 currency (`XOF`).
    pub currency: String,
    /// Amount in the currency's minor unit (XOF: francs). Never negative.
    #[ts(type = "number")]
    pub amount_minor: i64,
    /// Fee in minor units, when known before sending.
    #[ts(type = "number | null")]
    pub fee_minor: Option<i64>,
    /// Phone number, meter number or bill reference: what a history search will type.
    pub customer_ref: String,
    /// The bill's own reference (referenceFacture), for bills.
    pub invoice_ref: Option<String>,
    /// The operator signed in at the till.
    pub operator_name: String,
    /// True in training mode (sandbox providers, no real money).
    pub training: bool,
    /// Extra non-secret facts, as a JSON object.
    #[ts(type = "Record<string, unknown>")]
    pub details: Details,
}

/// One operation's current state: the projection of its events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Operation {
    /// UUIDv7 (sorts by creation time).
    #[ts(type = "string")]
    pub id: Uuid,
    /// Our externalTransactionId / order_id, fixed once.
    pub idempotency_key: String,
    /// Provider id.
    pub provider: String,
    /// The provider's service code.
    pub service_code: String,
    /// Kind of operation (catalog name).
    pub kind: String,
    /// ISO 3166 alpha-2 country.
    pub country: String,
    /// ISO 4217 currency.
    pub currency: String,
    /// Amount in minor units.
    #[ts(type = "number")]
    pub amount_minor: i64,
    /// Fee in minor units, once known.
    #[ts(type = "number | null")]
    pub fee_minor: Option<i64>,
    /// Phone number, meter number or bill reference.
    pub customer_ref: String,
    /// The bill's own reference, for bills.
    pub invoice_ref: Option<String>,
    /// Current status (the last event's `to_status`).
    pub status: OperationStatus,
    /// The provider's transaction id, once known.
    pub provider_ref: Option<String>,
    /// Woyofal token or voucher code, once known.
    pub token: Option<String>,
    /// The operator who started it.
    pub operator_name: String,
    /// True in training mode.
    pub training: bool,
    /// Extra non-secret facts, as a JSON object.
    #[ts(type = "Record<string, unknown>")]
    pub details: Details,
    /// When the intent was written.
    #[ts(type = "string")]
    pub created_at: DateTime<Utc>,
    /// When the last event was written.
    #[ts(type = "string")]
    pub updated_at: DateTime<Utc>,
}

/// Who or what produced an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
pub enum EventSource {
    /// The operation engine (creation, sending, the connector's immediate answer).
    #[default]
    Engine,
    /// A message from the provider itself (callback / IPN / webhook).
    Provider,
    /// The reconciler's status polling.
    Reconciler,
    /// The cashier at the till.
    Cashier,
    /// A manager (e.g. settling a `needs_review`).
    Manager,
    /// Guichet itself (start-up recovery, maintenance).
    System,
}

impl EventSource {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            EventSource::Engine => "engine",
            EventSource::Provider => "provider",
            EventSource::Reconciler => "reconciler",
            EventSource::Cashier => "cashier",
            EventSource::Manager => "manager",
            EventSource::System => "system",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<Self> {
        [
            EventSource::Engine,
            EventSource::Provider,
            EventSource::Reconciler,
            EventSource::Cashier,
            EventSource::Manager,
            EventSource::System,
        ]
        .into_iter()
        .find(|s| s.as_str() == name)
    }
}

/// What an event adds: its origin, the evidence, and what it sets on the operation.
///
/// `provider_ref` and `token` are write-once on the operation: giving the value it already has is
/// fine, a different one is refused ([`super::LedgerError::AlreadySet`]). `fee_minor` replaces
/// the fee. `details` keys are merged into the operation's details (a key given replaces it).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
pub struct EventInput {
    /// Who or what produced the event.
    pub source: EventSource,
    /// The operator's name, for cashier and manager events.
    pub actor: Option<String>,
    /// The provider's answer as JSON, already redacted by the caller (no keys, OTPs, signatures).
    #[ts(type = "unknown")]
    pub raw: Option<Value>,
    /// A free note (why, in words).
    pub note: Option<String>,
    /// The provider's transaction id, when this event brings it.
    pub provider_ref: Option<String>,
    /// The fee in minor units, when this event brings it.
    #[ts(type = "number | null")]
    pub fee_minor: Option<i64>,
    /// The token / voucher code, when this event brings it.
    pub token: Option<String>,
    /// Extra facts to merge into the operation's details.
    #[ts(type = "Record<string, unknown> | null")]
    pub details: Option<Details>,
}

impl EventInput {
    /// An event from `source` carrying nothing else yet.
    pub fn new(source: EventSource) -> Self {
        Self {
            source,
            ..Self::default()
        }
    }

    /// Sets the acting operator.
    pub fn actor(mut self, actor: impl Into<String>) -> Self {
        self.actor = Some(actor.into());
        self
    }

    /// Sets the (redacted) provider answer.
    pub fn raw(mut self, raw: Value) -> Self {
        self.raw = Some(raw);
        self
    }

    /// Sets the note.
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    /// Sets the provider's transaction id.
    pub fn provider_ref(mut self, provider_ref: impl Into<String>) -> Self {
        self.provider_ref = Some(provider_ref.into());
        self
    }

    /// Sets the fee in minor units.
    pub fn fee_minor(mut self, fee_minor: i64) -> Self {
        self.fee_minor = Some(fee_minor);
        self
    }

    /// Sets the token / voucher code.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Adds one fact to merge into the operation's details.
    pub fn detail(mut self, key: impl Into<String>, value: Value) -> Self {
        self.details
            .get_or_insert_with(Details::new)
            .insert(key.into(), value);
        self
    }
}

/// One line of an operation's history, as written (never changed afterwards).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct OperationEvent {
    /// Row id, increasing over the whole ledger.
    #[ts(type = "number")]
    pub id: i64,
    /// The operation it belongs to.
    #[ts(type = "string")]
    pub operation_id: Uuid,
    /// 1, 2, 3… within the operation.
    #[ts(type = "number")]
    pub seq: i64,
    /// When it was written.
    #[ts(type = "string")]
    pub at: DateTime<Utc>,
    /// Status before; `None` only for the creation event.
    pub from_status: Option<OperationStatus>,
    /// Status after (equal to `from_status` for an event that changes no status).
    pub to_status: OperationStatus,
    /// Who or what produced it.
    pub source: EventSource,
    /// The acting operator, for cashier and manager events.
    pub actor: Option<String>,
    /// The provider's answer (redacted).
    #[ts(type = "unknown")]
    pub raw: Option<Value>,
    /// Free note.
    pub note: Option<String>,
    /// Provider transaction id this event brought.
    pub provider_ref: Option<String>,
    /// Fee this event brought.
    #[ts(type = "number | null")]
    pub fee_minor: Option<i64>,
    /// Token this event brought.
    pub token: Option<String>,
    /// Details this event merged.
    #[ts(type = "Record<string, unknown> | null")]
    pub details: Option<Details>,
}

impl OperationEvent {
    /// True when this event created the operation or changed its status.
    pub fn changes_status(&self) -> bool {
        self.from_status != Some(self.to_status)
    }
}

/// A history search, as the cashier's history screen asks it. Every filter is optional.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct HistoryQuery {
    /// Free text: part of the phone / meter / bill reference, provider id, token, our key or
    /// operation id (spaces and dashes ignored for phone numbers and tokens), or an exact amount.
    pub text: Option<String>,
    /// Only this status.
    pub status: Option<OperationStatus>,
    /// Only this kind.
    pub kind: Option<String>,
    /// Created at or after this instant.
    #[ts(type = "string | null")]
    pub from: Option<DateTime<Utc>>,
    /// Created strictly before this instant.
    #[ts(type = "string | null")]
    pub to: Option<DateTime<Utc>>,
    /// Only training (true) or only live (false) operations.
    pub training: Option<bool>,
    /// At most this many (default 100, capped at 1000), newest first.
    pub limit: Option<u32>,
    /// The next page: only operations older than this one (the last of the previous page).
    #[serde(default)]
    #[ts(optional, type = "string")]
    pub before: Option<Uuid>,
}
