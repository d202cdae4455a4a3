//! The reconciler: a background task that takes back every non-final operation at start and
//! asks the providers about them, each with its own exponential backoff, until they settle.

use std::collections::HashMap;
use std::time::Duration;

use serde::Serialize;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio::time::Instant;
use uuid::Uuid;

use super::resolve::StepOutcome;
use super::{Engine, EngineError};
use crate::ledger::{Operation, OperationStatus};

/// At most this many operations are asked about at once (each call may wait for a provider's
/// timeout; providers do not like bursts either).
const CONCURRENCY: usize = 4;

/// What [`Engine::recover`] did at start-up.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RecoveryReport {
    /// `prepared` operations that never left: now `cancelled`.
    pub cancelled: Vec<Uuid>,
    /// `sent` operations that may have left: now `unknown`, to be resolved.
    pub unknown: Vec<Uuid>,
}

/// What one [`Engine::reconcile_once`] pass did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ReconcileReport {
    /// Operations looked at.
    pub examined: usize,
    /// Operations whose status changed during the pass.
    pub changed: usize,
    /// Operations skipped because someone was working on them.
    pub busy: usize,
    /// Every operation still not final after the pass (`needs_review` included).
    pub remaining: Vec<Operation>,
}

/// Stops the reconciler task.
#[derive(Debug)]
pub struct ReconcilerHandle {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl ReconcilerHandle {
    /// Asks the task to stop and waits for it (calls in flight are abandoned: a status
    /// question is harmless, and a resend is on record before it leaves).
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }

    /// Whether the task has ended.
    pub fn is_finished(&self) -> bool {
        self.task.is_finished()
    }
}

/// One operation's place in the schedule.
struct Track {
    status: OperationStatus,
    backoff: backon::ExponentialBackoff,
    next_at: Instant,
}

impl Engine {
    /// The unfinished operations of this engine's mode. A live operation is never resolved
    /// against the training sandbox, nor a training one against the live providers: each waits
    /// for the till to be back in its own mode.
    async fn own_non_final(&self) -> Result<Vec<crate::ledger::Operation>, EngineError> {
        let training = self.training();
        Ok(self
            .inner
            .ledger
            .list_non_final()
            .await?
            .into_iter()
            .filter(|op| op.training == training)
            .collect())
    }

    /// Takes back what an interrupted run left: `prepared` → `cancelled` (never sent, no
    /// provider call), `sent` → `unknown` (resolved afterwards). Operations someone in this
    /// process is working on are left alone. Run once at start, before anything is submitted
    /// ideally; [`Engine::spawn_reconciler`] does it first.
    pub async fn recover(&self) -> Result<RecoveryReport, EngineError> {
        let mut report = RecoveryReport::default();
        for op in self.own_non_final().await? {
            if !matches!(op.status, OperationStatus::Prepared | OperationStatus::Sent) {
                continue;
            }
            let Some(_held) = self.inner.locks.try_lock(&op.idempotency_key) else {
                continue;
            };
            let Some(op) = self.inner.ledger.get(op.id).await? else {
                continue;
            };
            match op.status {
                OperationStatus::Prepared => {
                    self.cancel_unsent_orphan(&op).await?;
                    report.cancelled.push(op.id);
                }
                OperationStatus::Sent => {
                    self.sent_orphan_to_unknown(&op).await?;
                    report.unknown.push(op.id);
                }
                _ => {}
            }
        }
        if !report.cancelled.is_empty() || !report.unknown.is_empty() {
            tracing::warn!(
                cancelled = report.cancelled.len(),
                unknown = report.unknown.len(),
                "engine: recovered operations left by an interrupted run"
            );
        }
        Ok(report)
    }

    /// One pass over every non-final operation, now, whatever its schedule: for the CLI's
    /// `reconcile --wait` and for tests. Operations someone is working on are skipped;
    /// `prepared`/`sent` are treated as leftovers only past
    /// [`super::ReconcilePolicy::orphan_after`] (call [`Engine::recover`] first at start-up).
    pub async fn reconcile_once(&self) -> Result<ReconcileReport, EngineError> {
        let mut report = ReconcileReport::default();
        for op in self.own_non_final().await? {
            if op.status == OperationStatus::NeedsReview && !self.can_probe(&op) {
                continue;
            }
            let Some(_held) = self.inner.locks.try_lock(&op.idempotency_key) else {
                report.busy += 1;
                continue;
            };
            let Some(op) = self.inner.ledger.get(op.id).await? else {
                continue;
            };
            report.examined += 1;
            let before = op.status;
            let after = self.step(op, false).await?.op;
            if after.status != before {
                report.changed += 1;
            }
        }
        report.remaining = self.own_non_final().await?;
        Ok(report)
    }

    /// Starts the reconciler: [`Engine::recover`] first, then every non-final operation is
    /// asked about at once and then on its own backoff (reset when its status changes,
    /// stretched to a provider's `retry_after`), the ledger re-read at least every
    /// [`super::ReconcilePolicy::scan_interval`], and at once when a submit leaves something
    /// to settle. Needs a tokio runtime.
    pub fn spawn_reconciler(&self) -> ReconcilerHandle {
        let (stop, stop_rx) = watch::channel(false);
        let engine = self.clone();
        let task = tokio::spawn(async move { engine.run_reconciler(stop_rx).await });
        ReconcilerHandle { stop, task }
    }

    async fn run_reconciler(&self, mut stop: watch::Receiver<bool>) {
        tracing::info!("reconciler: started");
        if let Err(e) = self.recover().await {
            tracing::error!(error = %e, "reconciler: recovery failed; will retry on the next pass");
        }
        let mut tracks: HashMap<Uuid, Track> = HashMap::new();
        let mut first = true;
        loop {
            if *stop.borrow() {
                break;
            }
            let next = tokio::select! {
                _ = stop.changed() => break,
                next = self.pass(&mut tracks, first) => next,
            };
            first = false;
            let now = Instant::now();
            let wait = match next {
                Ok(at) => at.saturating_duration_since(now),
                Err(e) => {
                    tracing::error!(error = %e, "reconciler: pass failed");
                    self.inner
                        .policy
                        .first_delay
                        .max(Duration::from_millis(100))
                }
            }
            .min(self.inner.policy.scan_interval);
            tokio::select! {
                _ = stop.changed() => break,
                _ = self.inner.wake.notified() => {}
                _ = tokio::time::sleep(wait) => {}
            }
        }
        tracing::info!("reconciler: stopped");
    }

    /// Asks about every operation whose time has come; returns when the next one is due.
    async fn pass(
        &self,
        tracks: &mut HashMap<Uuid, Track>,
        first: bool,
    ) -> Result<Instant, EngineError> {
        let policy = &self.inner.policy;
        let ops = self.own_non_final().await?;
        let now = Instant::now();
        tracks.retain(|id, _| ops.iter().any(|op| op.id == *id));
        let mut due = Vec::new();
        for op in ops {
            if op.status == OperationStatus::NeedsReview && !self.can_probe(&op) {
                tracks.remove(&op.id);
                continue;
            }
            let track = tracks.entry(op.id).or_insert_with(|| Track {
                status: op.status,
                backoff: policy.backoff(),
                // On start, everything at once; afterwards, a new operation gets a moment.
                next_at: if first || op.status == OperationStatus::Unknown {
                    now
                } else {
                    now + policy.first_delay
                },
            });
            if track.status != op.status {
                // Moved by someone else (a submit, a manual resolve, another process).
                track.status = op.status;
                track.backoff = policy.backoff();
                track.next_at = now;
            }
            if track.next_at > now {
                continue;
            }
            match self.inner.locks.try_lock(&op.idempotency_key) {
                Some(held) => due.push((op, held)),
                None => track.next_at = now + policy.first_delay,
            }
        }

        let mut running = JoinSet::new();
        let mut results = Vec::new();
        for (op, held) in due {
            let engine = self.clone();
            running.spawn(async move {
                let _held = held;
                let id = op.id;
                // Re-read under the lock: the listing may be stale.
                let current = match engine.inner.ledger.get(id).await {
                    Ok(Some(op)) => op,
                    Ok(None) => return (id, Err(EngineError::NotFound { id })),
                    Err(e) => return (id, Err(e.into())),
                };
                (id, engine.step(current, false).await)
            });
            if running.len() >= CONCURRENCY {
                if let Some(done) = running.join_next().await {
                    results.push(done);
                }
            }
        }
        while let Some(done) = running.join_next().await {
            results.push(done);
        }

        let now = Instant::now();
        for done in results {
            let (id, result) = match done {
                Ok(r) => r,
                Err(join) => {
                    tracing::error!(error = %join, "reconciler: a step panicked");
                    continue;
                }
            };
            let Some(track) = tracks.get_mut(&id) else {
                continue;
            };
            match result {
                Ok(StepOutcome { op, retry_after }) => {
                    if op.status.is_final() {
                        tracks.remove(&id);
                        continue;
                    }
                    if op.status != track.status {
                        track.status = op.status;
                        track.backoff = policy.backoff();
                    }
                    let mut wait = if op.status == OperationStatus::NeedsReview {
                        policy.review_poll_interval
                    } else {
                        track.backoff.next().unwrap_or(policy.max_delay)
                    };
                    if let Some(ra) = retry_after {
                        wait = wait.max(ra);
                    }
                    track.next_at = now + wait;
                }
                Err(e) => {
                    tracing::warn!(id = %id, code = e.code(), error = %e, "reconciler: step failed");
                    track.next_at = now + track.backoff.next().unwrap_or(policy.max_delay);
                }
            }
        }
        Ok(tracks
            .values()
            .map(|t| t.next_at)
            .min()
            .unwrap_or(now + policy.scan_interval))
    }
}
