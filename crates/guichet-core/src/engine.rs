//! The operation engine: where money moves.
//!
//! [`Engine::submit`] follows `docs/ARCHITECTURE.md`, "Data flow of one operation", each step
//! committed before the next:
//!
//! 1. validate against the catalog: a refusal writes nothing ([`EngineError::Refused`]);
//! 2. persist the intent (`prepared`) with a fresh idempotency key, fixed forever for this
//!    intent, and the serialised [`Intent`] in the operation's details so that it can be sent
//!    again identically after a restart — **without the OTP**: an OTP is single-use and a
//!    secret, so it lives in memory only, for the sends of this process (see "OTPs" below);
//! 3. mark `sent`, commit, then call the connector;
//! 4. persist the provider's answer (or what its failure means for the money) as an event.
//!
//! What the first send's outcome becomes (the single table, in `apply.rs`):
//!
//! | connector says | status | why |
//! |---|---|---|
//! | an answer | the answer's status | pending / processing / success / failed / cancelled / expired |
//! | `NotSent` | `cancelled` | provably never left |
//! | `Unavailable` | `cancelled` | turned away before processing (maintenance, 429): nothing moved; the cashier retries, which is a new intent [gap: our choice, the customer is at the counter now] |
//! | `Unsupported` | `cancelled` | the connector refused before sending |
//! | `Refused` | `failed` | the provider's message is kept |
//! | `Unauthorized` | `failed` | keys refused; nothing processed |
//! | `Ambiguous` | `unknown` | may have moved: the reconciler asks |
//! | `Duplicate` | `unknown` | the provider already has the key: resolved like any unknown |
//! | `NotFound` | `unknown` | makes no sense for a send: treated as ambiguous, never as a failure |
//!
//! A cashier never sees `failed` for something that may have succeeded.
//!
//! Resolving `unknown` (the reconciler, or [`Engine::resolve`]) follows the provider's
//! [`ProviderRules`]: ask by our key where the provider allows it (gateway), by the provider's
//! id where we have it, otherwise resend the SAME intent with the SAME key where a resend
//! cannot pay twice (DEXCHANGE: 409 when it already has it, which without a provider id and
//! without a lookup by our id leaves `needs_review` — the documented DEXCHANGE window), and
//! never resend where no idempotency is documented (EASYTRANSFERT: `needs_review`). A status
//! question never moves money. After [`ReconcilePolicy::max_failed_attempts`] attempts that
//! reached the provider without an answer, or past [`ReconcilePolicy::resolve_window`], the
//! operation goes to `needs_review`, the events holding the evidence (raw answers, redacted).
//!
//! ## OTPs
//! The customer's OTP is kept in this process's memory only, from the submit until the
//! operation is final, never in the ledger or the logs. After a restart it is gone: an
//! operation still `prepared` provably never left and is `cancelled` (the cashier asks the
//! customer for a new code); one that may have left is asked about by status as usual, and
//! if only a resend could settle it, it goes to `needs_review` (an OTP cannot be reused).
//!
//! ## Crash recovery
//! On start ([`Engine::recover`], run first by [`Engine::spawn_reconciler`]): `prepared` is
//! committed before `sent`, and the connector is called only after `sent` is committed, so a
//! `prepared` operation left over never left: `cancelled`, without any provider call. A `sent`
//! one may have left: `unknown`, then resolved.
//!
//! Every status change is an append-only ledger event with its source (`engine`,
//! `reconciler`, `cashier`, `system`) and is published on [`Engine::subscribe`].

mod apply;
mod error;
mod locks;
mod reconciler;
mod resolve;
mod rules;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use tokio::sync::{broadcast, Notify};
use ts_rs::TS;
use uuid::Uuid;

use crate::catalog::{
    Catalog, ExtraField, Kind, OperationRequest, Provider, Refusal, RefusalCode, RefusalField,
    Service,
};
use crate::connector::{Balance, Bill, Connector, Intent};
use crate::ledger::{
    new_idempotency_key, EventInput, EventSource, HistoryQuery, Ledger, LedgerError, NewOperation,
    Operation, OperationEvent, OperationStatus,
};
use crate::text::Localized;

pub use error::EngineError;
pub use reconciler::{ReconcileReport, ReconcilerHandle, RecoveryReport};
pub use rules::{ProviderRules, ReconcilePolicy};

use locks::KeyLocks;

/// The connectors the engine may use, one per provider.
pub type Connectors = HashMap<Provider, Arc<dyn Connector>>;

/// Builds a [`Connectors`] map, each connector under the provider it says it is.
pub fn connectors(list: impl IntoIterator<Item = Arc<dyn Connector>>) -> Connectors {
    list.into_iter().map(|c| (c.provider(), c)).collect()
}

/// Names of the facts the engine keeps in an operation's `details` (for the UI, receipts and
/// support tools).
pub mod detail_keys {
    /// The serialised [`crate::connector::Intent`], OTP removed: what a resend sends again.
    pub const INTENT: &str = "intent";
    /// The Guichet version that recorded the intent (the receipts' last line, forever).
    pub const APP_VERSION: &str = "app_version";
    /// True when the request carried an OTP (kept in memory only, never here).
    pub const OTP_WITHHELD: &str = "otp_withheld";
    /// The provider's own id of the service (serviceCode, service_id, provider_id).
    pub const NATIVE_ID: &str = "native_id";
    /// The service's name, `{fr, en}`.
    pub const SERVICE_NAME: &str = "service_name";
    /// The customer's phone as people write it.
    pub const PHONE_DISPLAY: &str = "phone_display";
    /// A payment link's item.
    pub const ITEM_NAME: &str = "item_name";
    /// The merchant's commission from the catalog, minor units.
    pub const COMMISSION_MINOR: &str = "commission_minor";
    /// The provider's last status word (`PENDING1`, `SUCCESSFUL`, `2`…).
    pub const NATIVE_STATUS: &str = "native_status";
    /// A URL for the customer (payment link, Wave `cashout_url`, gateway redirect).
    pub const CUSTOMER_URL: &str = "customer_url";
    /// True while the operation waits for the customer's OTP (Wizall).
    pub const AWAITS_OTP: &str = "awaits_otp";
    /// The provider's own message.
    pub const PROVIDER_MESSAGE: &str = "provider_message";
    /// A fee the provider reported that is not a fee we pay (a negative `transactionFee`: a
    /// commission), minor units.
    pub const PROVIDER_FEE_MINOR: &str = "provider_fee_minor";
    /// The last error: `{code, fr, en}`.
    pub const ERROR: &str = "error";
    /// Resolution attempts that reached the provider without settling the operation.
    pub const RESOLUTION_FAILURES: &str = "resolution_failures";
    /// How many times the intent was resent with its key.
    pub const RESENDS: &str = "resends";
    /// Why the operation needs a manager's review (a stable code).
    pub const REVIEW_REASON: &str = "review_reason";
    /// A refund the provider made or documents (`{amount_minor, basis}`).
    pub const REFUND: &str = "refund";
    /// A provider id different from the one we hold (evidence of a contradiction).
    pub const CONFLICTING_PROVIDER_REF: &str = "conflicting_provider_ref";
    /// A token different from the one we hold.
    pub const CONFLICTING_TOKEN: &str = "conflicting_token";
}

/// What the cashier confirmed, as the UI sends it to [`Engine::submit`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SubmitRequest {
    /// Service, kind, amount, phone, OTP, extras.
    pub request: OperationRequest,
    /// Bills: the bill chosen (`reference_facture`); none pays the oldest unpaid one.
    #[serde(default)]
    pub invoice_ref: Option<String>,
    /// Payment links: what the customer pays for.
    #[serde(default)]
    pub item_name: Option<String>,
}

impl SubmitRequest {
    /// A request with no bill reference and no item name.
    pub fn new(request: OperationRequest) -> Self {
        SubmitRequest {
            request,
            invoice_ref: None,
            item_name: None,
        }
    }
}

/// One change of one operation, as published to the UI and the CLI.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct OperationUpdate {
    /// The operation as it is after the change.
    pub operation: Operation,
    /// The event that made the change (the latest event of the operation).
    pub event: Option<OperationEvent>,
}

/// How an engine is set up besides its ledger, catalog and connectors.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// Training mode (sandbox providers, no real money).
    pub training: bool,
    /// Where providers should POST status changes; `None` behind NAT (polling only).
    pub callback_url: Option<String>,
    /// The reconciler's pace and limits.
    pub policy: ReconcilePolicy,
    /// Where updates go: the desk's one channel, shared by every engine it starts.
    pub updates: Option<broadcast::Sender<OperationUpdate>>,
}

impl EngineConfig {
    /// A configuration with the default policy and no callback URL.
    pub fn new(training: bool) -> Self {
        EngineConfig {
            training,
            callback_url: None,
            policy: ReconcilePolicy::default(),
            updates: None,
        }
    }

    /// Publishes on `updates` instead of a channel of the engine's own.
    pub fn updates(mut self, updates: broadcast::Sender<OperationUpdate>) -> Self {
        self.updates = Some(updates);
        self
    }

    /// Replaces the reconciler's policy.
    pub fn policy(mut self, policy: ReconcilePolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Sets the callback URL given to providers.
    pub fn callback_url(mut self, url: impl Into<String>) -> Self {
        self.callback_url = Some(url.into());
        self
    }
}

/// Capacity of the updates channel; a subscriber that falls further behind gets `Lagged` and
/// should re-read what it shows from the ledger.
const UPDATES_CAPACITY: usize = 1024;

/// The operation engine. Cheap to clone: everything is shared.
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

struct Inner {
    ledger: Ledger,
    catalog: Catalog,
    connectors: Connectors,
    training: bool,
    callback_url: Option<String>,
    policy: ReconcilePolicy,
    updates: broadcast::Sender<OperationUpdate>,
    locks: KeyLocks,
    /// OTPs by idempotency key, for the sends of this process only.
    otps: Mutex<HashMap<String, SecretString>>,
    /// Wakes the reconciler when an operation needs it now.
    wake: Notify,
}

impl fmt::Debug for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut providers: Vec<&str> = self.inner.connectors.keys().map(|p| p.slug()).collect();
        providers.sort_unstable();
        f.debug_struct("Engine")
            .field("ledger", &self.inner.ledger.path())
            .field("providers", &providers)
            .field("training", &self.inner.training)
            .finish_non_exhaustive()
    }
}

impl Engine {
    /// An engine over this ledger, catalog and connectors, with the default policy.
    pub fn new(ledger: Ledger, catalog: Catalog, connectors: Connectors, training: bool) -> Engine {
        Engine::with_config(ledger, catalog, connectors, EngineConfig::new(training))
    }

    /// An engine with a full configuration.
    pub fn with_config(
        ledger: Ledger,
        catalog: Catalog,
        connectors: Connectors,
        config: EngineConfig,
    ) -> Engine {
        let updates = config
            .updates
            .unwrap_or_else(|| broadcast::channel(UPDATES_CAPACITY).0);
        Engine {
            inner: Arc::new(Inner {
                ledger,
                catalog,
                connectors,
                training: config.training,
                callback_url: config.callback_url,
                policy: config.policy,
                updates,
                locks: KeyLocks::default(),
                otps: Mutex::new(HashMap::new()),
                wake: Notify::new(),
            }),
        }
    }

    /// The ledger.
    pub fn ledger(&self) -> &Ledger {
        &self.inner.ledger
    }

    /// The catalog.
    pub fn catalog(&self) -> &Catalog {
        &self.inner.catalog
    }

    /// The reconciler's policy.
    pub fn policy(&self) -> &ReconcilePolicy {
        &self.inner.policy
    }

    /// Whether this engine trains (sandbox providers).
    pub fn training(&self) -> bool {
        self.inner.training
    }

    /// Every change of every operation from now on: status changes and facts learnt later
    /// (token, provider id). Each receiver gets each update once.
    pub fn subscribe(&self) -> broadcast::Receiver<OperationUpdate> {
        self.inner.updates.subscribe()
    }

    fn connector(&self, provider: Provider) -> Result<Arc<dyn Connector>, EngineError> {
        self.inner
            .connectors
            .get(&provider)
            .cloned()
            .ok_or(EngineError::ProviderNotConfigured(provider))
    }

    /// Submits a cashier's request: validates, writes the intent, sends it and writes the
    /// answer (see the module documentation for each step and the outcome table).
    ///
    /// Returns the operation as the first answer left it, whatever the provider said: its
    /// status is the outcome (`failed` with the provider's message in `details.error` and
    /// `details.provider_message`; `unknown` means "do not repeat, being checked"). An error
    /// means nothing was written ([`EngineError::Refused`], [`EngineError::ProviderNotConfigured`])
    /// or the ledger failed (the reconciler settles whatever was left).
    /// `operator` is the name written on the operation (the signed-in cashier, or the CLI's).
    pub async fn submit(
        &self,
        req: SubmitRequest,
        operator: &str,
    ) -> Result<Operation, EngineError> {
        let validated = self
            .inner
            .catalog
            .validate(&req.request)
            .map_err(EngineError::Refused)?;
        let Some(service) = self.inner.catalog.get(&validated.service_code).cloned() else {
            return Err(EngineError::Refused(Vec::new()));
        };
        let connector = self.connector(validated.provider)?;

        // Step 2: the intent, with its key fixed once.
        let key = new_idempotency_key();
        let _held = self.inner.locks.lock(&key).await;
        let otp = validated.otp.clone();
        let intent = Intent {
            idempotency_key: key.clone(),
            request: validated,
            invoice_ref: clean(req.invoice_ref),
            item_name: clean(req.item_name),
            callback_url: self.inner.callback_url.clone(),
        };
        let op = self
            .inner
            .ledger
            .insert_operation(self.new_operation(&intent, &service, operator))
            .await?;
        tracing::info!(
            id = %op.id,
            key = %key,
            provider = op.provider,
            service = op.service_code,
            kind = op.kind,
            amount_minor = op.amount_minor,
            "engine: intent written (prepared)"
        );
        self.publish(&op).await;
        if let Some(otp) = otp {
            self.otps().insert(key.clone(), SecretString::from(otp));
        }

        // Step 3: `sent` is committed before anything leaves.
        let sent = self
            .write(
                &op,
                Some(OperationStatus::Sent),
                EventInput::new(EventSource::Engine)
                    .note("sending to the provider")
                    .actor(operator),
            )
            .await;
        let op = match sent {
            Ok(sent) if sent.status == OperationStatus::Sent => sent,
            Ok(moved) => {
                // Another process settled this intent first (its recovery cancelled it): only
                // our own committed `prepared → sent` move allows a call.
                tracing::warn!(id = %moved.id, key = %key, status = %moved.status, "engine: not ours to send any more; nothing was sent");
                self.forget_otp(&key);
                self.publish(&moved).await;
                return Ok(moved);
            }
            Err(e) => {
                tracing::error!(id = %op.id, key = %key, error = %e, "engine: could not mark sent; nothing was sent");
                let _ = self
                    .write(
                        &op,
                        Some(OperationStatus::Cancelled),
                        EventInput::new(EventSource::Engine)
                            .note("could not record the send: nothing was sent"),
                    )
                    .await;
                self.forget_otp(&key);
                return Err(EngineError::unsettled(op.id, e));
            }
        };
        tracing::info!(id = %op.id, key = %key, "engine: sent, calling the provider");
        let intent_id = op.id;
        let result = connector.submit(&intent).await;

        // Step 4: the answer, or what its absence means.
        let op = match result {
            Ok(answer) => {
                tracing::info!(id = %op.id, key = %key, native_status = answer.native_status, status = %answer.status, provider_ref = ?answer.provider_ref, "engine: provider answered");
                self.apply_answer(&op, answer, EventSource::Engine, "provider's answer", false)
                    .await
            }
            Err(err) => {
                tracing::warn!(id = %op.id, key = %key, code = err.code(), error = %err, "engine: provider call failed");
                self.apply_first_send_error(&op, err).await
            }
        };
        match &op {
            Ok(op) if op.status.is_final() => self.forget_otp(&key),
            _ => self.inner.wake.notify_one(),
        }
        // Whatever failed now, the operation exists under its key: the caller follows it.
        let id = intent_id;
        op.map_err(|e| {
            tracing::error!(id = %id, key = %key, error = %e, "engine: answer not recorded; the reconciler settles it");
            EngineError::unsettled(id, e)
        })
    }

    fn new_operation(&self, intent: &Intent, service: &Service, operator: &str) -> NewOperation {
        let req = &intent.request;
        let customer_ref = req
            .phone
            .as_ref()
            .map(|p| p.e164.clone())
            .or_else(|| req.extras.get(&ExtraField::ReferenceClient).cloned())
            .or_else(|| intent.item_name.clone())
            .unwrap_or_default();
        let mut stored = intent.clone();
        stored.request.otp = None;
        let mut details = crate::ledger::Details::new();
        details.insert(
            detail_keys::INTENT.into(),
            serde_json::to_value(&stored).unwrap_or(Value::Null),
        );
        details.insert(detail_keys::NATIVE_ID.into(), json!(req.native_id));
        details.insert(detail_keys::APP_VERSION.into(), json!(crate::VERSION));
        details.insert(
            detail_keys::SERVICE_NAME.into(),
            serde_json::to_value(&service.name).unwrap_or(Value::Null),
        );
        if let Some(phone) = &req.phone {
            details.insert(detail_keys::PHONE_DISPLAY.into(), json!(phone.display));
        }
        if let Some(item) = &intent.item_name {
            details.insert(detail_keys::ITEM_NAME.into(), json!(item));
        }
        if let Some(c) = req.commission {
            details.insert(detail_keys::COMMISSION_MINOR.into(), json!(c.minor));
        }
        if req.otp.is_some() {
            details.insert(detail_keys::OTP_WITHHELD.into(), json!(true));
        }
        NewOperation {
            idempotency_key: intent.idempotency_key.clone(),
            provider: req.provider.slug().to_owned(),
            service_code: req.service_code.clone(),
            kind: kind_name(req.kind),
            country: service.country.code().to_owned(),
            currency: req.amount.currency.code().to_owned(),
            amount_minor: req.amount.minor,
            fee_minor: None,
            customer_ref,
            invoice_ref: intent.invoice_ref.clone(),
            operator_name: operator.to_owned(),
            training: self.inner.training,
            details,
        }
    }

    /// Sends the customer's OTP for an operation that waits for one after it was accepted
    /// (Wizall cash-out: `details.awaits_otp`). The OTP is never stored.
    ///
    /// [`EngineError::OtpRefused`] when the provider refuses the code (the operation still
    /// waits); a provider failure is [`EngineError::Provider`], recorded as an event; an answer
    /// moves the operation as any answer does.
    pub async fn confirm_otp(
        &self,
        id: Uuid,
        otp: &str,
        operator: &str,
    ) -> Result<Operation, EngineError> {
        let op = self.get(id).await?;
        let _held = self.inner.locks.lock(&op.idempotency_key).await;
        let op = self.get(id).await?;
        if op.status.is_final() || !detail_bool(&op, detail_keys::AWAITS_OTP) {
            return Err(EngineError::NotAwaitingOtp { id });
        }
        let otp: String = otp.chars().filter(|c| !c.is_whitespace()).collect();
        if let Some(refusal) = self.catalog().otp_refusal(&otp) {
            return Err(EngineError::Refused(vec![refusal]));
        }
        let provider = provider_of(&op).ok_or(EngineError::NotAwaitingOtp { id })?;
        let connector = self.connector(provider)?;
        let probe = self.probe(&op).ok_or(EngineError::NotAwaitingOtp { id })?;
        let op = self
            .write(
                &op,
                None,
                EventInput::new(EventSource::Cashier)
                    .actor(operator)
                    .note("customer's OTP sent to the provider for confirmation"),
            )
            .await?;
        tracing::info!(id = %op.id, key = %op.idempotency_key, "engine: confirming with the customer's OTP");
        match connector.confirm_otp(&probe, &otp).await {
            Ok(answer) => {
                let op = self
                    .apply_answer(
                        &op,
                        answer,
                        EventSource::Engine,
                        "answer to the OTP confirmation",
                        false,
                    )
                    .await?;
                if op.status.is_final() {
                    self.forget_otp(&op.idempotency_key);
                } else {
                    self.inner.wake.notify_one();
                }
                Ok(op)
            }
            Err(err) => {
                tracing::warn!(id = %op.id, key = %op.idempotency_key, code = err.code(), error = %err, "engine: OTP confirmation failed");
                let input = apply::error_event(EventSource::Engine, &err)
                    .note(format!("OTP confirmation: {err}"));
                self.write(&op, None, input).await?;
                self.inner.wake.notify_one();
                match err {
                    crate::connector::ConnectorError::Refused { message, .. } => {
                        Err(EngineError::OtpRefused {
                            provider_message: message,
                        })
                    }
                    other => Err(EngineError::Provider(other)),
                }
            }
        }
    }

    /// A manager settles an operation under review with the outcome read in the provider's
    /// back office (`success`, `failed`, `cancelled` or `expired`), with a note saying why.
    /// Only from `needs_review`; the reconciler stops asking about it.
    pub async fn settle_review(
        &self,
        id: Uuid,
        outcome: OperationStatus,
        manager: &str,
        note: &str,
    ) -> Result<Operation, EngineError> {
        let op = self.get(id).await?;
        let _held = self.inner.locks.lock(&op.idempotency_key).await;
        let op = self.get(id).await?;
        if op.status != OperationStatus::NeedsReview || !outcome.is_final() {
            return Err(EngineError::Ledger(LedgerError::IllegalTransition {
                id,
                from: op.status,
                to: outcome,
            }));
        }
        tracing::info!(id = %op.id, key = %op.idempotency_key, to = %outcome, "engine: settled by a manager");
        self.write(
            &op,
            Some(outcome),
            EventInput::new(EventSource::Manager)
                .actor(manager)
                .note(note),
        )
        .await
    }

    /// Looks up a customer's bills (SenEau, Senelec) or a Woyofal meter. Moves no money and
    /// writes nothing.
    pub async fn bill_inquiry(
        &self,
        service_code: &str,
        reference: &str,
    ) -> Result<Vec<Bill>, EngineError> {
        let service = self.inquiry_service(service_code)?;
        let reference = reference.trim();
        if reference.is_empty() {
            return Err(EngineError::Refused(vec![Refusal {
                code: RefusalCode::ExtraMissing,
                field: RefusalField::Extra,
                extra: Some(ExtraField::ReferenceClient),
                message: Localized::new(
                    "Renseignez la référence client (compteur / police).",
                    "Fill in the customer reference (meter / account).",
                ),
            }]));
        }
        let connector = self.connector(service.provider)?;
        tracing::info!(
            service = service.code,
            "engine: bill inquiry (reference not logged)"
        );
        Ok(connector
            .bill_inquiry(&service.native_id, reference)
            .await?)
    }

    fn inquiry_service(&self, service_code: &str) -> Result<&Service, EngineError> {
        let refuse = |code, fr: String, en: String| {
            EngineError::Refused(vec![Refusal {
                code,
                field: RefusalField::Service,
                extra: None,
                message: Localized::new(fr, en),
            }])
        };
        let Some(service) = self.inner.catalog.get(service_code.trim()) else {
            return Err(refuse(
                RefusalCode::UnknownService,
                format!("Service inconnu : « {service_code} »."),
                format!("Unknown service \"{service_code}\"."),
            ));
        };
        if !service.enabled {
            return Err(refuse(
                RefusalCode::ServiceDisabled,
                format!(
                    "Le service {} est désactivé sur cette caisse.",
                    service.name.fr
                ),
                format!(
                    "The service {} is turned off on this till.",
                    service.name.en
                ),
            ));
        }
        if !(service.offers_kind(Kind::Bill) || service.offers_kind(Kind::Prepaid)) {
            return Err(refuse(
                RefusalCode::KindNotOffered,
                format!("{} n'a pas de factures à consulter.", service.name.fr),
                format!("{} has no bills to look up.", service.name.en),
            ));
        }
        Ok(service)
    }

    /// The merchant's balance with a provider ("check connection" in Settings).
    pub async fn balance(&self, provider: Provider) -> Result<Balance, EngineError> {
        Ok(self.connector(provider)?.balance().await?)
    }

    /// One operation.
    pub async fn get(&self, id: Uuid) -> Result<Operation, EngineError> {
        self.inner
            .ledger
            .get(id)
            .await?
            .ok_or(EngineError::NotFound { id })
    }

    /// One operation's events, oldest first (the evidence a manager reviews).
    pub async fn events(&self, id: Uuid) -> Result<Vec<OperationEvent>, EngineError> {
        Ok(self.inner.ledger.events(id).await?)
    }

    /// History search, newest first.
    pub async fn history(&self, query: &HistoryQuery) -> Result<Vec<Operation>, EngineError> {
        Ok(self.inner.ledger.search(query).await?)
    }

    /// Waits until operation `id` is settled (final, or `needs_review`) or `timeout` passes,
    /// and returns it as it then is. Needs the reconciler running to move anything.
    pub async fn wait_settled(
        &self,
        id: Uuid,
        timeout: Duration,
    ) -> Result<Operation, EngineError> {
        let mut rx = self.subscribe();
        let deadline = tokio::time::Instant::now() + timeout;
        let mut op = self.get(id).await?;
        loop {
            if settled(op.status) {
                return Ok(op);
            }
            match tokio::time::timeout_at(deadline, rx.recv()).await {
                Err(_) => return Ok(op),
                Ok(Ok(update)) if update.operation.id == id => op = update.operation,
                Ok(Ok(_)) => {}
                Ok(Err(broadcast::error::RecvError::Lagged(_))) => op = self.get(id).await?,
                Ok(Err(broadcast::error::RecvError::Closed)) => return self.get(id).await,
            }
        }
    }

    // ---- shared helpers ----

    fn otps(&self) -> std::sync::MutexGuard<'_, HashMap<String, SecretString>> {
        self.inner.otps.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn forget_otp(&self, key: &str) {
        self.otps().remove(key);
    }

    /// The intent as stored, with the OTP put back when this process still has it.
    fn stored_intent(&self, op: &Operation) -> Option<Intent> {
        let mut intent: Intent =
            serde_json::from_value(op.details.get(detail_keys::INTENT)?.clone()).ok()?;
        if intent.idempotency_key != op.idempotency_key {
            return None;
        }
        if let Some(otp) = self.otps().get(&op.idempotency_key) {
            intent.request.otp = Some(otp.expose_secret().to_owned());
        }
        Some(intent)
    }

    /// What a status question about `op` carries.
    fn probe(&self, op: &Operation) -> Option<crate::connector::Probe> {
        Some(crate::connector::Probe {
            idempotency_key: op.idempotency_key.clone(),
            provider_ref: op.provider_ref.clone(),
            intent: self.stored_intent(op)?,
        })
    }

    /// Writes one event (a move to `next` when given and different from the current status),
    /// then publishes the result. A move the ledger refuses because the operation moved
    /// meanwhile (another process) is recorded as a plain event, never lost, never forced.
    async fn write(
        &self,
        op: &Operation,
        next: Option<OperationStatus>,
        input: EventInput,
    ) -> Result<Operation, EngineError> {
        let ledger = &self.inner.ledger;
        let result = match next {
            Some(s) if s != op.status => ledger.transition(op.id, s, input.clone()).await,
            _ => ledger.record_event(op.id, input.clone()).await,
        };
        let written = match result {
            Err(LedgerError::IllegalTransition { from, to, .. }) => {
                tracing::warn!(id = %op.id, %from, %to, "engine: status moved meanwhile; recording without the move");
                let note = format!(
                    "{} (would have moved {from} → {to}; kept {from})",
                    input.note.clone().unwrap_or_default()
                );
                ledger.record_event(op.id, input.note(note)).await?
            }
            Err(LedgerError::AlreadySet {
                field,
                existing,
                new,
                ..
            }) => {
                tracing::warn!(id = %op.id, field, "engine: provider gave a second, different value");
                let mut input = input;
                input.provider_ref = None;
                input.token = None;
                let input = input
                    .detail(format!("conflicting_{field}"), json!(new))
                    .note(format!("{field} {new:?} differs from {existing:?}"));
                let current = ledger
                    .get(op.id)
                    .await?
                    .ok_or(EngineError::NotFound { id: op.id })?;
                if current.status.can_move_to(OperationStatus::NeedsReview) {
                    ledger
                        .transition(
                            op.id,
                            OperationStatus::NeedsReview,
                            input.detail(detail_keys::REVIEW_REASON, json!("conflicting_values")),
                        )
                        .await?
                } else {
                    ledger.record_event(op.id, input).await?
                }
            }
            other => other?,
        };
        if written.status.is_final() {
            self.forget_otp(&written.idempotency_key);
        }
        self.publish(&written).await;
        Ok(written)
    }

    async fn publish(&self, op: &Operation) {
        if self.inner.updates.receiver_count() == 0 {
            return;
        }
        let event = match self.inner.ledger.events(op.id).await {
            Ok(mut events) => events.pop(),
            Err(e) => {
                tracing::warn!(id = %op.id, error = %e, "engine: could not read the event to publish");
                None
            }
        };
        let _ = self.inner.updates.send(OperationUpdate {
            operation: op.clone(),
            event,
        });
    }
}

/// Final, or waiting for a manager: nothing more will happen on its own soon.
pub fn settled(status: OperationStatus) -> bool {
    status.is_final() || status == OperationStatus::NeedsReview
}

/// The provider an operation was sent to.
pub fn provider_of(op: &Operation) -> Option<Provider> {
    Provider::ALL.into_iter().find(|p| p.slug() == op.provider)
}

/// The name of a kind as stored in the ledger (`payment_link`).
pub fn kind_name(kind: Kind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| format!("{kind:?}").to_lowercase())
}

fn clean(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

fn detail_bool(op: &Operation, key: &str) -> bool {
    op.details
        .get(key)
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

fn detail_u32(op: &Operation, key: &str) -> u32 {
    op.details
        .get(key)
        .and_then(Value::as_u64)
        .map_or(0, |n| u32::try_from(n).unwrap_or(u32::MAX))
}

/// How long ago `t` was (zero for the future).
fn age(t: chrono::DateTime<chrono::Utc>) -> Duration {
    (chrono::Utc::now() - t).to_std().unwrap_or(Duration::ZERO)
}
