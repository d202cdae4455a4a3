//! The desk: the one front door of the core. Every call a person at the till makes (the
//! shell's commands, `guichetctl`'s) is a [`Desk`] method, and each starts by asking
//! [`Desk::require`] for the [`Permission`] it needs, so a role check cannot be forgotten.
//!
//! A desk holds an open [`Till`] (data only), who is at it ([`Access`]), and the providers it
//! started on purpose ([`Desk::start`]): none for a CLI command that only reads, one engine for
//! the app. Every engine it starts publishes on the desk's one updates channel.
//!
//! - Nobody signed in: only [`Permission::Anyone`] calls (first run, login, language, kiosk
//!   exit with a manager's PIN).
//! - After the idle time the manager set (`idle_timeout_secs`, 0 = never) without a call, the
//!   session ends by itself: the next call is refused with `session_locked` and the trail records
//!   a `logout` with reason `idle`. The UI locks its screen on its own timer too.
//! - The console (`guichetctl`, [`Desk::console`]) is run by whoever holds the machine's account:
//!   it has a standing session under its own name and needs no PIN.

mod access;
mod account;
mod counter;
mod day;
mod feeds;
mod keys;
mod mode;
mod reach;
mod reauth;
mod receipts;
mod review;
mod settings;
mod staff;
mod trail;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tokio::sync::{broadcast, RwLock as AsyncRwLock, RwLockReadGuard as AsyncReadGuard};
use ts_rs::TS;

use crate::app_info::{AppInfo, Mode};
use crate::audit::{Audit, AuditAction};
use crate::engine::{Engine, OperationUpdate};
use crate::operators::{Operators, Role, Session};
use crate::providers::{ProviderTarget, Providers, StartOptions};
use crate::secrets::Backend;
use crate::settings as stored;
use crate::text::Language;
use crate::till::{Till, TillError};

pub(crate) use access::blocking;
pub use access::Access;
pub use day::{DaySettings, ReportPrint, SavedReport, ShiftClosed, REPORTS_DIR};
pub use feeds::{CustomerFeed, CustomerView, OperationFeed};
pub use keys::{ConnectionCheck, ProviderKey};
pub use reach::ProviderStatus;
pub use reauth::PIN_PROOF_SECS;
pub use receipts::PrintOutcome;
pub use review::{reason_text, ReviewItem, ReviewOutcome, REVIEW_NOTE_MAX_CHARS};
pub use trail::{AuditCheck, AuditExport, AuditStatus};

/// Who may make a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Anybody at the till, signed in or not.
    Anyone,
    /// A signed-in operator (cashier or manager).
    Operator,
    /// A signed-in manager.
    Manager,
    /// A signed-in operator's screen reading on its own (an outcome following its operation, the
    /// home screen's lists): checked like `Operator`, but never counted as the person's activity,
    /// so a screen left polling still locks after the idle time.
    Watching,
}

/// The first-run wizard's answers: the shop and its manager. Its `Debug` never shows the PIN.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct FirstRun {
    /// Shop name (receipts, screen header).
    pub shop_name: String,
    /// Shop address (receipts); may be empty.
    pub shop_address: String,
    /// Extra receipt header lines (NINEA, phone…), one per line; may be empty.
    pub receipt_header: String,
    /// The manager's name.
    pub manager_name: String,
    /// The manager's PIN (4 to 8 digits).
    #[ts(type = "string")]
    pub pin: SecretString,
}

/// An operator as the login screen lists them (no counters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct LoginName {
    /// Stable id.
    #[ts(type = "number")]
    pub id: i64,
    /// Name to pick.
    pub name: String,
    /// Manager or cashier.
    pub role: Role,
    /// Login refused until then, when locked now.
    #[ts(type = "string | null")]
    pub locked_until: Option<DateTime<Utc>>,
}

/// One operation with its timeline, for the history's detail view.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct OperationDetail {
    /// The operation as it stands.
    pub operation: crate::ledger::Operation,
    /// Its events, oldest first.
    pub events: Vec<crate::ledger::OperationEvent>,
}

/// What the desk reads the time from: the system clock, or a test's.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// How long the app waits at start for another process to release the ledger.
const APP_OWNER_WAIT: std::time::Duration = std::time::Duration::from_secs(60);
/// The app's integrity check of its ledger (`ledger/integrity.rs`) starts this long after the
/// till opened: the first screen and the sign-in do not share the disk with it.
const INTEGRITY_CHECK_DELAY: std::time::Duration = std::time::Duration::from_secs(5);

/// Capacity of the desk's updates channel.
const UPDATES_CAPACITY: usize = 1024;

/// The calls of a person at the till, checked against who is signed in.
pub struct Desk {
    till: Till,
    access: Access,
    /// The providers started on purpose; none until [`Desk::start`].
    providers: std::sync::RwLock<Option<Providers>>,
    /// Held while this desk owns the ledger (it started its providers with the reconciler).
    owner: std::sync::Mutex<Option<crate::till::OwnerLock>>,
    /// How the providers were started (a mode switch starts the next ones alike).
    options: std::sync::Mutex<StartOptions>,
    /// What training means for this desk: the embedded sandbox, or one running elsewhere.
    training_root: std::sync::Mutex<Option<String>>,
    /// Held for reading by every call that may send to a provider, for writing by a providers
    /// switch: no intent is written by an engine that is being replaced.
    gate: AsyncRwLock<()>,
    /// Every engine's updates, across switches (what the windows listen to).
    updates: broadcast::Sender<OperationUpdate>,
    clock: Clock,
}

impl Desk {
    /// A desk over `till` with nobody signed in and no provider started (a window's desk).
    pub fn new(till: Till) -> Desk {
        let clock: Clock = Arc::new(Utc::now);
        let (updates, _) = broadcast::channel(UPDATES_CAPACITY);
        Desk {
            till,
            access: Access::new(clock()),
            providers: std::sync::RwLock::new(None),
            owner: std::sync::Mutex::new(None),
            options: std::sync::Mutex::new(StartOptions::default()),
            training_root: std::sync::Mutex::new(None),
            gate: AsyncRwLock::new(()),
            updates,
            clock,
        }
    }

    /// The console's desk (`guichetctl`): a standing session under `operator`, no PIN, no lock.
    pub fn console(till: Till, operator: &str) -> Desk {
        let desk = Desk::new(till);
        {
            let mut state = desk.access.state();
            state.session = Some(Session::console(operator));
            state.console = true;
        }
        desk
    }

    /// Reads the time from `clock` (tests of lockout and the idle lock).
    pub fn with_clock(mut self, clock: Clock) -> Desk {
        self.access.state().last_activity = clock();
        self.clock = clock;
        self
    }

    /// What the app opens: the till in `data_dir` with the keyring of this build, and the
    /// providers of the mode it was left in (see [`Desk::start_saved`]).
    pub async fn open_app(
        data_dir: &std::path::Path,
        training: ProviderTarget,
        backend: Backend,
        service: &str,
    ) -> Result<Desk, TillError> {
        let desk = Desk::new(Till::open(data_dir).await?);
        // The trail's key first: every entry from here on is sealed with it.
        desk.set_keyring(backend, service);
        desk.seal_audit().await?;
        // Which version worked on this ledger from now on (upgrades show in the trail).
        desk.audit()
            .append_at(
                desk.now(),
                "system",
                AuditAction::AppStarted,
                json!({"version": crate::VERSION}),
            )
            .await?;
        // A `guichetctl` money command may hold the ledger for a moment: wait for it.
        let options = StartOptions {
            owner_wait: APP_OWNER_WAIT,
            ..StartOptions::default()
        };
        desk.start_saved(training, options).await?;
        let ledger = desk.till.ledger().clone();
        tokio::spawn(async move {
            tokio::time::sleep(INTEGRITY_CHECK_DELAY).await;
            // Its outcome is logged, and a damage kept, by the ledger (new operations refused,
            // the home screen's notice, the marker file).
            let _ = ledger.check_integrity().await;
        });
        Ok(desk)
    }

    /// Chooses the keyring store and service name (before the first key call).
    pub fn set_keyring(&self, backend: Backend, service: &str) {
        self.access.set_keyring(backend, service);
    }

    /// The time as this desk reads it.
    fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// The till's data (ledger, catalog, data dir).
    pub fn till(&self) -> &Till {
        &self.till
    }

    /// Starts the providers for `target` (replacing any, as a mode switch does).
    pub async fn start(
        &self,
        target: ProviderTarget,
        options: StartOptions,
    ) -> Result<Mode, TillError> {
        self.remember_training(&target);
        self.own(&options).await?;
        *lock(&self.options) = options;
        self.switch_providers(target, false).await
    }

    /// A sandbox target is what training means for this desk from now on (mode switches).
    fn remember_training(&self, target: &ProviderTarget) {
        if let ProviderTarget::Sandbox(root) = target {
            *lock(&self.training_root) = Some(root.clone());
        }
    }

    /// Takes the ledger's owner lock when `options` ask to own it (recovery and the reconciler
    /// run only in the owner); `ledger_in_use` when another process holds it.
    async fn own(&self, options: &StartOptions) -> Result<(), TillError> {
        if !options.reconcile || lock(&self.owner).is_some() {
            return Ok(());
        }
        let held =
            crate::till::OwnerLock::acquire(self.till.data_dir(), options.owner_wait).await?;
        *lock(&self.owner) = Some(held);
        Ok(())
    }

    /// `Ok` when this desk owns the ledger: only the owner moves money.
    fn owns(&self) -> Result<(), TillError> {
        match lock(&self.owner).is_some() {
            true => Ok(()),
            false => Err(TillError::LedgerInUse),
        }
    }

    /// What the app does at start: the providers of the mode the till was left in. When that is
    /// live, the keys come from the keyring before any provider starts, so the reconciler
    /// resumes live operations with the live providers; without keys the till trains
    /// (`training`) and the home screen says why.
    pub async fn start_saved(
        &self,
        training: ProviderTarget,
        options: StartOptions,
    ) -> Result<Mode, TillError> {
        self.remember_training(&training);
        let target = mode::saved_target(self.till.ledger(), &self.access, training).await?;
        self.start(target, options).await
    }

    /// Replaces the providers (training ↔ live). With `check_pending`, refused while an
    /// operation is unfinished: its reconciliation belongs to the providers it was sent to.
    async fn switch_providers(
        &self,
        target: ProviderTarget,
        check_pending: bool,
    ) -> Result<Mode, TillError> {
        // No send starts or runs while the engine is replaced; two switches run one after the
        // other.
        let _closed = self.gate.write().await;
        if check_pending {
            // `needs_review` waits for a person, not for the providers: it does not block.
            let pending = self
                .till
                .ledger()
                .list_non_final()
                .await?
                .iter()
                .filter(|op| op.status != crate::ledger::OperationStatus::NeedsReview)
                .count();
            if pending > 0 {
                return Err(TillError::OperationsPending { count: pending });
            }
        }
        let options = lock(&self.options).clone();
        let fresh = Providers::start(&self.till, target, &options, self.updates.clone()).await?;
        let mode = fresh.mode();
        let old = self
            .providers
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .replace(fresh);
        if let Some(old) = old {
            old.shutdown().await;
        }
        tracing::info!(mode = ?mode, "providers in force");
        Ok(mode)
    }

    /// What training mode means for this desk: the embedded sandbox, or the one it started on.
    fn training_target(&self) -> ProviderTarget {
        match lock(&self.training_root).clone() {
            Some(root) => ProviderTarget::Sandbox(root),
            None => ProviderTarget::Training,
        }
    }

    /// Held while a call may send to a provider (see `gate`).
    async fn sending(&self) -> AsyncReadGuard<'_, ()> {
        self.gate.read().await
    }

    /// The engine in force (cheap clone), or `providers_stopped` when none was started.
    fn engine(&self) -> Result<Engine, TillError> {
        self.providers
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .map(|p| p.engine().clone())
            .ok_or(TillError::ProvidersStopped)
    }

    /// Training or live: the providers' mode, or the saved one when none is started.
    pub fn mode(&self) -> Option<Mode> {
        self.providers
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .map(Providers::mode)
    }

    /// Whether providers are started (an engine is in force).
    pub fn started(&self) -> bool {
        self.mode().is_some()
    }

    /// The embedded training sandbox's URL and state, when the desk trains on one.
    #[cfg(feature = "sandbox")]
    pub fn sandbox(&self) -> Option<crate::providers::SandboxView> {
        self.providers
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .and_then(Providers::sandbox)
    }

    /// Every operation update of this desk, whatever engine is in force. Reached from outside
    /// through the role-checked feeds (`operation_feed`, `customer_feed`) only.
    fn subscribe(&self) -> broadcast::Receiver<OperationUpdate> {
        self.updates.subscribe()
    }

    /// Stops the providers (reconciler, training sandbox): a clean exit; a crash is fine too.
    pub async fn close(self) {
        let providers = self
            .providers
            .into_inner()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(p) = providers {
            p.shutdown().await;
        }
    }

    fn operators(&self) -> Operators {
        Operators::new(self.till.ledger())
    }

    fn audit(&self) -> Audit {
        Audit::new(self.till.ledger())
    }

    /// Checks `permission` and returns the name to record the call under.
    async fn actor(&self, permission: Permission) -> Result<String, TillError> {
        Ok(self
            .require(permission)
            .await?
            .map(|s| s.name().to_owned())
            .unwrap_or_default())
    }

    /// Shop, operator, mode and language as the home screen shows them.
    async fn info(&self) -> Result<AppInfo, TillError> {
        let ledger = self.till.ledger();
        let session = self.access.session();
        let mode = match self.mode() {
            Some(mode) => mode,
            None => stored::saved_mode(ledger).await?,
        };
        Ok(AppInfo {
            shop_name: stored::shop_name(ledger).await?,
            operator_name: session
                .as_ref()
                .map(|s| s.name().to_owned())
                .unwrap_or_default(),
            mode,
            language: stored::language(ledger).await?,
            version: crate::VERSION.to_owned(),
            needs_setup: !self.operators().has_manager().await?,
            session,
            idle_timeout_secs: stored::idle_timeout_secs(ledger).await?,
            kiosk: stored::kiosk(ledger).await?,
            // A damaged ledger says so first (it takes no new operation).
            notice: ledger
                .damage()
                .map(|damage| damage.message())
                .or_else(|| self.access.notice()),
        })
    }
}

/// Locks a std mutex, taking the value even after a panic elsewhere.
fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Desk {
    /// Checks `permission` and returns the session (none for [`Permission::Anyone`]). Ends a
    /// session idle for longer than the manager's timeout; counts the call as activity (but a
    /// [`Permission::Watching`] one).
    pub async fn require(&self, permission: Permission) -> Result<Option<Session>, TillError> {
        if permission == Permission::Anyone {
            // An idle session just ended: that is no reason to refuse what anyone may do.
            return match self.current().await {
                Err(TillError::SessionLocked) => Ok(None),
                other => other,
            };
        }
        let session = self.current().await?;
        let Some(session) = session else {
            return Err(TillError::NotSignedIn);
        };
        match permission {
            Permission::Manager => session.require_manager()?,
            // Polling is not a person at the till.
            Permission::Watching => return Ok(Some(session)),
            Permission::Anyone | Permission::Operator => {}
        }
        self.access.state().last_activity = self.now();
        Ok(Some(session))
    }

    /// The session, ending it first when it has been idle too long.
    async fn current(&self) -> Result<Option<Session>, TillError> {
        let timeout = stored::idle_timeout_secs(self.till.ledger()).await?;
        let expired = {
            let mut state = self.access.state();
            let idle = (self.now() - state.last_activity).num_seconds();
            if !state.console && timeout > 0 && idle > i64::from(timeout) && state.session.is_some()
            {
                state.pin_proof = None;
                state.session.take()
            } else {
                None
            }
        };
        if let Some(session) = expired {
            tracing::info!(operator_id = session.operator_id(), "desk: idle lock");
            self.record_logout(&session, "idle").await?;
            return Err(TillError::SessionLocked);
        }
        Ok(self.access.session())
    }

    /// Shop, operator, mode, language, and whether the first-run wizard is needed.
    pub async fn app_info(&self) -> Result<AppInfo, TillError> {
        match self.current().await {
            Ok(_) | Err(TillError::SessionLocked) => {}
            Err(e) => return Err(e),
        }
        self.info().await
    }

    /// Counts as activity for the idle lock: the UI calls it while the operator types or reads
    /// without calling anything else (a long form, the settings screen).
    pub async fn keep_alive(&self) -> Result<(), TillError> {
        self.require(Permission::Operator).await?;
        Ok(())
    }

    /// Remembers the language (anyone: the login screen has the switch too).
    pub async fn set_language(&self, language: Language) -> Result<AppInfo, TillError> {
        self.require(Permission::Anyone).await?;
        stored::set_language(self.till.ledger(), language).await?;
        self.info().await
    }

    /// First run: names the shop, creates the manager and signs them in. Refused once a manager
    /// exists.
    pub async fn first_run(&self, setup: FirstRun) -> Result<AppInfo, TillError> {
        self.require(Permission::Anyone).await?;
        let operators = self.operators();
        if operators.has_manager().await? {
            return Err(TillError::SetupDone);
        }
        let shop = stored::ShopFields::check(
            &setup.shop_name,
            &setup.shop_address,
            &setup.receipt_header,
        )?;
        let pin = setup.pin.expose_secret();
        let manager = operators.create_manager(&setup.manager_name, pin).await?;
        shop.save(self.till.ledger(), &manager.name, self.now())
            .await?;
        tracing::info!(operator_id = manager.id, "desk: first run done");
        self.login(&manager.name, pin).await
    }

    /// The operators to pick from on the login screen.
    pub async fn login_names(&self) -> Result<Vec<LoginName>, TillError> {
        self.require(Permission::Anyone).await?;
        let now = self.now();
        Ok(self
            .operators()
            .list()
            .await?
            .into_iter()
            .map(|o| LoginName {
                id: o.id,
                name: o.name,
                role: o.role,
                locked_until: o.locked_until.filter(|u| *u > now),
            })
            .collect())
    }

    /// Signs an operator in with their PIN (lockout policy in `operators`); their name goes on
    /// every operation from now on.
    pub async fn login(&self, name: &str, pin: &str) -> Result<AppInfo, TillError> {
        let session = self.operators().login(name, pin, self.now()).await?;
        let previous = {
            let mut state = self.access.state();
            state.last_activity = self.now();
            state.pin_proof = None;
            state.session.replace(session)
        };
        if let Some(previous) = previous {
            self.record_logout(&previous, "switch").await?;
        }
        self.info().await
    }

    /// Signs the operator out (`idle`: the screen locked itself).
    pub async fn logout(&self, idle: bool) -> Result<AppInfo, TillError> {
        let session = {
            let mut state = self.access.state();
            state.pin_proof = None;
            state.session.take()
        };
        if let Some(session) = session {
            let reason = if idle { "idle" } else { "manual" };
            self.record_logout(&session, reason).await?;
        }
        self.info().await
    }

    /// Records that `session` ended, and why (`manual`, `idle`, `switch`).
    async fn record_logout(&self, session: &Session, reason: &str) -> Result<(), TillError> {
        self.audit()
            .append_at(
                self.now(),
                session.name(),
                AuditAction::Logout,
                json!({"operator_id": session.operator_id(), "reason": reason}),
            )
            .await?;
        Ok(())
    }

    /// Checks a manager's name and PIN (kiosk exit, mode switch): a wrong PIN counts towards the
    /// lockout like a wrong login.
    async fn confirm_manager(&self, name: &str, pin: &str) -> Result<Session, TillError> {
        let session = self.operators().login(name, pin, self.now()).await?;
        session.require_manager()?;
        Ok(session)
    }

    /// Allows the kiosk to close: a manager's name and PIN, recorded as `kiosk_exit`. The shell
    /// quits when this returns `Ok`.
    pub async fn kiosk_exit(&self, name: &str, pin: &str) -> Result<(), TillError> {
        let manager = self.confirm_manager(name, pin).await?;
        self.audit()
            .append_at(
                self.now(),
                manager.name(),
                AuditAction::KioskExit,
                json!({"operator_id": manager.operator_id()}),
            )
            .await?;
        tracing::info!(operator_id = manager.operator_id(), "desk: kiosk exit");
        Ok(())
    }

    /// Whether the window should close when asked: in kiosk mode only with a manager's PIN.
    pub async fn close_allowed(&self) -> Result<bool, TillError> {
        Ok(!stored::kiosk(self.till.ledger()).await?)
    }
}

#[cfg(test)]
mod tests;
