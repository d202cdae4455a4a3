//! The reconciler: a background task that takes back every non-final operation at start and
//! asks the providers about them, each with its own exponential backoff, until they settle.
//!
//! It is supervised: if its task ends while its handle lives (a panic, or a return), it is
//! logged at `error` and started again after [`RESTART_DELAY_MIN`] (doubling up to
//! [`RESTART_DELAY_MAX`] while it keeps failing), so unfinished operations keep settling. A
//! panic inside one operation's step ends only that step: the operation is asked again later.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio::time::Instant;
use uuid::Uuid;

use super::resolve::StepOutcome;
use super::{Engine, EngineError};
use crate::connector::{clamp_delay, MAX_PROVIDER_DELAY};
use crate::ledger::{Operation, OperationStatus};

/// At most this many operations are asked about at once (each call may wait for a provider's
/// timeout; providers do not like bursts either).
const CONCURRENCY: usize = 4;

/// The first wait before a reconciler that ended is started again.
pub const RESTART_DELAY_MIN: Duration = Duration::from_millis(200);
/// The longest wait between two restarts of a reconciler that keeps ending.
pub const RESTART_DELAY_MAX: Duration = Duration::from_secs(30);

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

/// Stops the reconciler task. Dropping the handle stops it too.
#[derive(Debug)]
pub struct ReconcilerHandle {
    stop: watch::Sender<bool>,
    /// The supervisor, which runs (and restarts) the reconciler itself.
    task: tokio::task::JoinHandle<()>,
    restarts: Arc<AtomicU32>,
}

impl ReconcilerHandle {
    /// How many times the reconciler ended unexpectedly and was started again.
    pub fn restarts(&self) -> u32 {
        self.restarts.load(Ordering::Relaxed)
    }

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
    ///
    /// Supervised: if the reconciler ends while the handle lives (a panic, a return), it is
    /// logged and started again (see the module documentation); [`ReconcilerHandle::restarts`]
    /// counts it.
    pub fn spawn_reconciler(&self) -> ReconcilerHandle {
        let (stop, stop_rx) = watch::channel(false);
        let restarts = Arc::new(AtomicU32::new(0));
        let engine = self.clone();
        let count = Arc::clone(&restarts);
        let task = tokio::spawn(async move { engine.supervise(stop_rx, count).await });
        ReconcilerHandle {
            stop,
            task,
            restarts,
        }
    }

    /// Runs the reconciler in its own task and starts it again whenever it ends before it is
    /// asked to stop.
    async fn supervise(&self, mut stop: watch::Receiver<bool>, restarts: Arc<AtomicU32>) {
        let mut delay = RESTART_DELAY_MIN;
        loop {
            let engine = self.clone();
            let rx = stop.clone();
            let started = Instant::now();
            let ended = tokio::spawn(async move { engine.run_reconciler(rx).await }).await;
            if stopping(&stop) {
                break;
            }
            match ended {
                Ok(()) => tracing::error!(
                    "reconciler: ended on its own while the engine lives; restarting"
                ),
                Err(e) if e.is_panic() => {
                    let panic = e.into_panic();
                    let what = panic
                        .downcast_ref::<&str>()
                        .map(|s| (*s).to_owned())
                        .or_else(|| panic.downcast_ref::<String>().cloned())
                        .unwrap_or_else(|| "non-text panic".to_owned());
                    tracing::error!(panic = what, "reconciler: panicked; restarting");
                }
                Err(e) => tracing::error!(error = %e, "reconciler: task cancelled; restarting"),
            }
            let n = restarts.fetch_add(1, Ordering::Relaxed) + 1;
            if started.elapsed() > RESTART_DELAY_MAX {
                // It ran well for a while: a fresh failure, not a crash loop.
                delay = RESTART_DELAY_MIN;
            }
            tracing::warn!(
                restarts = n,
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                "reconciler: restarting after a pause"
            );
            tokio::select! {
                _ = stop.changed() => {}
                _ = tokio::time::sleep(delay) => {}
            }
            if stopping(&stop) {
                break;
            }
            delay = (delay * 2).min(RESTART_DELAY_MAX);
        }
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
            #[cfg(test)]
            match test_hook::take(self) {
                Some(test_hook::End::Panic) => panic!("test hook: reconciler panics"),
                Some(test_hook::End::Return) => return,
                None => {}
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
        let mut ids = HashMap::new();
        for (op, held) in due {
            let engine = self.clone();
            let op_id = op.id;
            let task = running.spawn(async move {
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
            ids.insert(task.id(), op_id);
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
                    // One operation's step panicked: only that step ended. The operation is
                    // asked again on its backoff, never in a tight loop.
                    let id = ids.get(&join.id()).copied();
                    tracing::error!(id = ?id, error = %join, "reconciler: a step panicked");
                    if let Some(track) = id.and_then(|id| tracks.get_mut(&id)) {
                        track.next_at =
                            later(now, track.backoff.next().unwrap_or(policy.max_delay));
                    }
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
                        // A provider's delay is never longer than MAX_PROVIDER_DELAY.
                        wait = wait.max(clamp_delay(ra));
                    }
                    track.next_at = later(now, wait);
                }
                Err(e) => {
                    tracing::warn!(id = %id, code = e.code(), error = %e, "reconciler: step failed");
                    track.next_at = later(now, track.backoff.next().unwrap_or(policy.max_delay));
                }
            }
        }
        Ok(tracks
            .values()
            .map(|t| t.next_at)
            .min()
            .unwrap_or(later(now, policy.scan_interval)))
    }
}

/// `now + wait`, with `wait` cut to [`MAX_PROVIDER_DELAY`]: never an overflow of the clock.
fn later(now: Instant, wait: Duration) -> Instant {
    let wait = wait.min(MAX_PROVIDER_DELAY);
    now.checked_add(wait).unwrap_or(now)
}

/// Whether the reconciler was asked to stop, or its handle is gone.
fn stopping(stop: &watch::Receiver<bool>) -> bool {
    *stop.borrow() || stop.has_changed().is_err()
}

/// Tests make the reconciler end on its next pass, to show that it is restarted.
#[cfg(test)]
pub(crate) mod test_hook {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};

    use super::Engine;

    /// How the reconciler ends.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(crate) enum End {
        Panic,
        Return,
    }

    static PENDING: Mutex<Option<HashMap<usize, End>>> = Mutex::new(None);

    fn key(engine: &Engine) -> usize {
        Arc::as_ptr(&engine.inner) as usize
    }

    /// The next pass of this engine's reconciler ends this way (once).
    pub(crate) fn end_next_pass(engine: &Engine, how: End) {
        let mut p = PENDING.lock().unwrap_or_else(|e| e.into_inner());
        p.get_or_insert_with(HashMap::new).insert(key(engine), how);
    }

    pub(super) fn take(engine: &Engine) -> Option<End> {
        let mut p = PENDING.lock().unwrap_or_else(|e| e.into_inner());
        p.as_mut()?.remove(&key(engine))
    }
}
