//! Settling one non-final operation: leftovers of a crash, `unknown` outcomes, polling of
//! `pending`/`processing`, and the slow re-asking of `needs_review`.

use std::time::Duration;

use serde_json::{json, Value};
use uuid::Uuid;

use super::apply::{error_event, error_raw};
use super::{age, detail_keys as k, detail_u32, provider_of, Engine, EngineError, ProviderRules};
use crate::connector::clamp_delay;
use crate::connector::{Connector, ConnectorError, Intent, Probe};
use crate::ledger::{EventInput, EventSource, Operation, OperationStatus};

/// Detail key: when the intent was last resent (RFC 3339). The first send is the operation's
/// creation (`sent` is committed right after `prepared`).
const LAST_SEND_AT: &str = "last_send_at";

/// What one step did.
#[derive(Debug)]
pub(crate) struct StepOutcome {
    /// The operation after the step.
    pub op: Operation,
    /// The provider asked us to wait at least this long.
    pub retry_after: Option<Duration>,
}

impl StepOutcome {
    fn done(op: Operation) -> Self {
        StepOutcome {
            op,
            retry_after: None,
        }
    }
}

impl Engine {
    /// Settles operation `id` as far as one round of questions allows, now, and returns it.
    ///
    /// Waits for whoever is working on the operation (a submit in progress, the reconciler)
    /// to finish first. `prepared`/`sent` operations are taken for leftovers of a crash only
    /// when no one in this process works on them and they are older than
    /// [`super::ReconcilePolicy::orphan_after`] (or at start-up, see [`Engine::recover`]).
    pub async fn resolve(&self, id: Uuid) -> Result<Operation, EngineError> {
        let op = self.get(id).await?;
        let _held = self.inner.locks.lock(&op.idempotency_key).await;
        let op = self.get(id).await?;
        Ok(self.step(op, false).await?.op)
    }

    /// One step for one operation. The caller holds the operation's key.
    pub(crate) async fn step(
        &self,
        op: Operation,
        startup: bool,
    ) -> Result<StepOutcome, EngineError> {
        let orphan = startup || age(op.updated_at) >= self.inner.policy.orphan_after;
        match op.status {
            s if s.is_final() => Ok(StepOutcome::done(op)),
            OperationStatus::Prepared if orphan => {
                Ok(StepOutcome::done(self.cancel_unsent_orphan(&op).await?))
            }
            OperationStatus::Sent if orphan => {
                let op = self.sent_orphan_to_unknown(&op).await?;
                self.resolve_unknown(op).await
            }
            OperationStatus::Prepared | OperationStatus::Sent => Ok(StepOutcome::done(op)),
            OperationStatus::Unknown => self.resolve_unknown(op).await,
            OperationStatus::Pending | OperationStatus::Processing => self.poll(op).await,
            OperationStatus::NeedsReview => self.review_poll(op).await,
            _ => Ok(StepOutcome::done(op)),
        }
    }

    /// `prepared` is committed before `sent`, and nothing is sent before `sent` is committed:
    /// a leftover `prepared` never left the till.
    pub(crate) async fn cancel_unsent_orphan(
        &self,
        op: &Operation,
    ) -> Result<Operation, EngineError> {
        tracing::warn!(id = %op.id, key = %op.idempotency_key, "engine: prepared operation left by an interrupted run: never sent, cancelled");
        self.write(
            op,
            Some(OperationStatus::Cancelled),
            EventInput::new(EventSource::System)
                .note("found prepared after an interruption: it was never sent, nothing moved"),
        )
        .await
    }

    /// A leftover `sent` may have left: `unknown`, to be resolved.
    pub(crate) async fn sent_orphan_to_unknown(
        &self,
        op: &Operation,
    ) -> Result<Operation, EngineError> {
        tracing::warn!(id = %op.id, key = %op.idempotency_key, "engine: sent operation left by an interrupted run: outcome unknown");
        self.write(
            op,
            Some(OperationStatus::Unknown),
            EventInput::new(EventSource::System).note(
                "found sent after an interruption: the request may have reached the provider",
            ),
        )
        .await
    }

    /// Moves `op` to `needs_review` with the reason and the evidence.
    async fn needs_review(
        &self,
        op: &Operation,
        reason: &str,
        note: impl Into<String>,
        raw: Option<Value>,
    ) -> Result<StepOutcome, EngineError> {
        if op.status == OperationStatus::NeedsReview {
            return Ok(StepOutcome::done(op.clone()));
        }
        let note = note.into();
        tracing::warn!(id = %op.id, key = %op.idempotency_key, reason, "engine: needs review: {note}");
        let mut input = EventInput::new(EventSource::Reconciler)
            .note(note)
            .detail(k::REVIEW_REASON, json!(reason));
        if let Some(raw) = raw {
            input = input.raw(raw);
        }
        let op = self
            .write(op, Some(OperationStatus::NeedsReview), input)
            .await?;
        Ok(StepOutcome::done(op))
    }

    fn connector_for(&self, op: &Operation) -> Option<std::sync::Arc<dyn Connector>> {
        provider_of(op).and_then(|p| self.inner.connectors.get(&p).cloned())
    }

    /// An `unknown` operation: ask by status where possible, else resend the same intent where
    /// that cannot pay twice, else `needs_review`.
    async fn resolve_unknown(&self, op: Operation) -> Result<StepOutcome, EngineError> {
        let Some(provider) = provider_of(&op) else {
            return self
                .needs_review(
                    &op,
                    "unknown_provider",
                    format!("unknown provider {:?}", op.provider),
                    None,
                )
                .await;
        };
        let Some(connector) = self.connector_for(&op) else {
            tracing::warn!(id = %op.id, provider = op.provider, "engine: no connector to resolve with; left unknown");
            return Ok(StepOutcome::done(op));
        };
        let rules = ProviderRules::of(provider);
        let Some(intent) = self.stored_intent(&op) else {
            return self
                .needs_review(
                    &op,
                    "no_stored_intent",
                    "the intent is not in the ledger: it cannot be asked about nor resent",
                    None,
                )
                .await;
        };
        if op.provider_ref.is_some() || rules.status_by_key {
            let probe = Probe {
                idempotency_key: op.idempotency_key.clone(),
                provider_ref: op.provider_ref.clone(),
                intent: intent.clone(),
            };
            tracing::info!(id = %op.id, key = %op.idempotency_key, by_ref = op.provider_ref.is_some(), "engine: asking the provider for the status");
            return match connector.status(&probe).await {
                Ok(answer) => Ok(StepOutcome::done(
                    self.apply_answer(&op, answer, EventSource::Reconciler, "status query", true)
                        .await?,
                )),
                Err(ConnectorError::NotFound { raw })
                    if op.provider_ref.is_none() && rules.safe_resend =>
                {
                    // The provider has no record of our key: the first send never arrived.
                    // Its documented idempotency makes a resend safe, at once.
                    let op = self
                        .write(
                            &op,
                            None,
                            EventInput::new(EventSource::Reconciler)
                                .raw(raw)
                                .note("the provider has no record of this key"),
                        )
                        .await?;
                    self.resend(op, intent, connector.as_ref(), rules, false)
                        .await
                }
                Err(ConnectorError::NotFound { raw }) if op.provider_ref.is_none() => {
                    self.needs_review(
                        &op,
                        "not_found_by_key",
                        "the provider has no record of this key, and a resend is not safe",
                        Some(raw),
                    )
                    .await
                }
                // Anything else, a refusal included, is counted and asked again: a status
                // question does not decide a payment, and an operation that may have been paid
                // never becomes `failed` on a status call's word.
                Err(err) => self.failed_attempt(op, err, true).await,
            };
        }
        if rules.safe_resend {
            return self
                .resend(op, intent, connector.as_ref(), rules, true)
                .await;
        }
        self.needs_review(
            &op,
            "no_lookup_no_resend",
            format!(
                "{} gives no way to look this operation up without its transaction id, and documents no idempotency: it is never resent (that could pay twice)",
                provider.display_name()
            ),
            None,
        )
        .await
    }

    /// Sends the SAME intent with the SAME key again (only where [`ProviderRules::safe_resend`]).
    ///
    /// A `blind` resend (no status answer said the provider lacks the key: DEXCHANGE) waits
    /// [`super::ReconcilePolicy::blind_resend_after`] after the last send, so that it never
    /// races a first request the provider may still be processing; until then the step only
    /// says when to come back.
    async fn resend(
        &self,
        op: Operation,
        intent: Intent,
        connector: &dyn Connector,
        rules: ProviderRules,
        blind: bool,
    ) -> Result<StepOutcome, EngineError> {
        let policy = &self.inner.policy;
        if age(op.created_at) > policy.resolve_window {
            return self
                .needs_review(
                    &op,
                    "resolve_window_passed",
                    format!(
                        "not settled within {} s of the intent: not resent so long after the customer's request",
                        policy.resolve_window.as_secs()
                    ),
                    None,
                )
                .await;
        }
        if super::detail_bool(&op, k::OTP_WITHHELD) && intent.request.otp.is_none() {
            return self
                .needs_review(
                    &op,
                    "otp_not_kept",
                    "only a resend could settle it, and the customer's single-use OTP was not kept across the restart",
                    None,
                )
                .await;
        }
        if blind {
            let since = age(last_send_at(&op));
            if since < policy.blind_resend_after {
                let wait = policy.blind_resend_after - since;
                tracing::info!(id = %op.id, key = %op.idempotency_key, wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX), "engine: the last send may still be in flight; resend later");
                return Ok(StepOutcome {
                    op,
                    retry_after: Some(wait),
                });
            }
        }
        let resends = detail_u32(&op, k::RESENDS) + 1;
        // Write-ahead: the resend is on record before it leaves.
        let op = self
            .write(
                &op,
                None,
                EventInput::new(EventSource::Reconciler)
                    .note(format!(
                        "resending the same intent with the same key ({})",
                        op.idempotency_key
                    ))
                    .detail(k::RESENDS, json!(resends))
                    .detail(LAST_SEND_AT, json!(chrono::Utc::now().to_rfc3339())),
            )
            .await?;
        tracing::info!(id = %op.id, key = %op.idempotency_key, resends, "engine: resending the same intent");
        match connector.submit(&intent).await {
            Ok(answer) => Ok(StepOutcome::done(
                self.apply_answer(
                    &op,
                    answer,
                    EventSource::Reconciler,
                    "answer to a resend with the same key",
                    false,
                )
                .await?,
            )),
            Err(ConnectorError::Duplicate { raw }) if op.provider_ref.is_none() => {
                // The documented DEXCHANGE window: the provider has this key, we have no id of
                // its transaction, and it offers no lookup by our key [gap].
                self.needs_review(
                    &op,
                    "duplicate_without_lookup",
                    "the provider already has this key (409) but gave us no transaction id, and has no lookup by our key: check it in the provider's back office",
                    Some(raw),
                )
                .await
            }
            Err(err @ ConnectorError::Refused { .. }) if rules.resend_replays => {
                // The provider answers a key with its first answer: the intent was refused.
                let input = error_event(EventSource::Reconciler, &err).note(format!(
                    "refused on resend (the provider replays a key's first answer): {err}"
                ));
                Ok(StepOutcome::done(
                    self.write(&op, Some(OperationStatus::Failed), input)
                        .await?,
                ))
            }
            Err(err @ ConnectorError::Refused { .. }) => {
                let raw = error_raw(&err);
                self.needs_review(
                    &op,
                    "resend_refused",
                    format!(
                        "the resend was refused ({err}); that does not prove the first send failed"
                    ),
                    raw,
                )
                .await
            }
            Err(err @ (ConnectorError::NotFound { .. } | ConnectorError::Unsupported { .. })) => {
                let raw = error_raw(&err);
                self.needs_review(&op, "resend_impossible", err.to_string(), raw)
                    .await
            }
            Err(err) => self.failed_attempt(op, err, true).await,
        }
    }

    /// A question that did not settle the operation. Calls that never reached the provider
    /// (offline, rate limited) do not count; others do when `count`, and too many of them, or
    /// an `unknown` past its window, lead to `needs_review`.
    async fn failed_attempt(
        &self,
        op: Operation,
        err: ConnectorError,
        count: bool,
    ) -> Result<StepOutcome, EngineError> {
        let policy = &self.inner.policy;
        let window_passed =
            op.status == OperationStatus::Unknown && age(op.created_at) > policy.resolve_window;
        let retry_after = match &err {
            ConnectorError::Unavailable { retry_after, .. } => retry_after.map(clamp_delay),
            _ => None,
        };
        let reached = !matches!(
            err,
            ConnectorError::NotSent { .. } | ConnectorError::Unavailable { .. }
        );
        if !reached || !count {
            tracing::info!(id = %op.id, key = %op.idempotency_key, code = err.code(), error = %err, "engine: provider not reached; will ask again");
            if window_passed {
                return self
                    .needs_review(
                        &op,
                        "unresolved_within_window",
                        format!(
                            "still unknown after {} s; last error: {err}",
                            policy.resolve_window.as_secs()
                        ),
                        None,
                    )
                    .await;
            }
            return Ok(StepOutcome { op, retry_after });
        }
        let failures = detail_u32(&op, k::RESOLUTION_FAILURES) + 1;
        tracing::warn!(id = %op.id, key = %op.idempotency_key, failures, code = err.code(), error = %err, "engine: resolution attempt failed");
        if failures >= policy.max_failed_attempts || window_passed {
            let input = error_event(EventSource::Reconciler, &err)
                .detail(k::RESOLUTION_FAILURES, json!(failures))
                .detail(k::REVIEW_REASON, json!("unresolved"))
                .note(format!(
                    "not settled after {failures} attempts; last: {err}"
                ));
            let next = if op.status.can_move_to(OperationStatus::NeedsReview) {
                Some(OperationStatus::NeedsReview)
            } else {
                None
            };
            let op = self.write(&op, next, input).await?;
            return Ok(StepOutcome { op, retry_after });
        }
        let input = error_event(EventSource::Reconciler, &err)
            .detail(k::RESOLUTION_FAILURES, json!(failures))
            .note(format!("attempt {failures}: {err}"));
        let op = self.write(&op, None, input).await?;
        Ok(StepOutcome { op, retry_after })
    }

    /// `pending` / `processing`: ask the provider where it stands.
    async fn poll(&self, op: Operation) -> Result<StepOutcome, EngineError> {
        let Some(provider) = provider_of(&op) else {
            return Ok(StepOutcome::done(op));
        };
        let Some(connector) = self.connector_for(&op) else {
            return Ok(StepOutcome::done(op));
        };
        let rules = ProviderRules::of(provider);
        if op.provider_ref.is_none() && !rules.status_by_key {
            return self
                .needs_review(
                    &op,
                    "no_provider_ref",
                    "accepted by the provider without a transaction id: it cannot be asked about",
                    None,
                )
                .await;
        }
        let Some(probe) = self.probe(&op) else {
            return self
                .needs_review(
                    &op,
                    "no_stored_intent",
                    "the intent is not in the ledger: it cannot be asked about",
                    None,
                )
                .await;
        };
        let outcome = match connector.status(&probe).await {
            Ok(answer) => StepOutcome::done(
                self.apply_answer(&op, answer, EventSource::Reconciler, "status query", true)
                    .await?,
            ),
            // The provider lost what it accepted (or has not indexed it yet): counted.
            Err(err @ ConnectorError::NotFound { .. }) => {
                self.failed_attempt(op, err, true).await?
            }
            Err(err) => self.failed_attempt(op, err, false).await?,
        };
        let op = outcome.op;
        if matches!(
            op.status,
            OperationStatus::Pending | OperationStatus::Processing
        ) && age(op.created_at) > self.inner.policy.pending_review_after
        {
            return self
                .needs_review(
                    &op,
                    "pending_too_long",
                    format!(
                        "still {} after {} s",
                        op.status,
                        self.inner.policy.pending_review_after.as_secs()
                    ),
                    None,
                )
                .await;
        }
        Ok(StepOutcome {
            op,
            retry_after: outcome.retry_after,
        })
    }

    /// `needs_review`: where a status question is possible, a final answer still settles it.
    /// Never resends.
    async fn review_poll(&self, op: Operation) -> Result<StepOutcome, EngineError> {
        if !self.can_probe(&op) {
            return Ok(StepOutcome::done(op));
        }
        let (Some(connector), Some(probe)) = (self.connector_for(&op), self.probe(&op)) else {
            return Ok(StepOutcome::done(op));
        };
        match connector.status(&probe).await {
            Ok(answer) if answer.status.is_final() => Ok(StepOutcome::done(
                self.apply_answer(
                    &op,
                    answer,
                    EventSource::Reconciler,
                    "final answer to a status query while under review",
                    true,
                )
                .await?,
            )),
            Ok(_) => Ok(StepOutcome::done(op)),
            Err(ConnectorError::Unavailable { retry_after, .. }) => Ok(StepOutcome {
                op,
                retry_after: retry_after.map(clamp_delay),
            }),
            Err(err) => {
                tracing::debug!(id = %op.id, code = err.code(), "engine: review poll failed");
                Ok(StepOutcome::done(op))
            }
        }
    }

    /// Whether a status question (which never moves money) can be asked about `op`.
    pub(crate) fn can_probe(&self, op: &Operation) -> bool {
        provider_of(op).is_some_and(|p| {
            (op.provider_ref.is_some() || ProviderRules::of(p).status_by_key)
                && self.inner.connectors.contains_key(&p)
        })
    }
}

/// When the intent last left the till: the last resend on record, else the operation's
/// creation (the first send follows it within the same call).
fn last_send_at(op: &Operation) -> chrono::DateTime<chrono::Utc> {
    op.details
        .get(LAST_SEND_AT)
        .and_then(Value::as_str)
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map_or(op.created_at, |t| t.with_timezone(&chrono::Utc))
}
