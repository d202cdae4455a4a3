//! The desk: every call a person at the till makes, each checked against who is signed in.
//!
//! The shell's commands are one-line delegations to [`Desk`] methods, and every method starts by
//! asking [`Desk::require`] for the [`Permission`] it needs, so a role check cannot be forgotten
//! in the shell. The [`Till`] underneath stays unchecked: `guichetctl` is run by whoever holds the
//! machine's account and needs no PIN.
//!
//! - Nobody signed in: only [`Permission::Anyone`] calls (first run, login, language, kiosk
//!   exit with a manager's PIN).
//! - After the idle time the manager set (`idle_timeout_secs`, 0 = never) without a call, the
//!   session ends by itself: the next call is refused with `session_locked` and the trail records
//!   a `logout` with reason `idle`. The UI locks its screen on its own timer too.

mod counter;
mod keys;
mod mode;
mod settings;
mod staff;
mod trail;

use std::sync::Mutex;

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

use crate::app_info::AppInfo;
use crate::audit::{Audit, AuditAction};
use crate::operators::{Operators, Role, Session};
use crate::secrets::{Backend, SecretStore, SecretsError, SERVICE};
use crate::text::{Language, Localized};
use crate::till::{Till, TillError};

pub use keys::{ConnectionCheck, ProviderKey};
pub(crate) use mode::saved_target;
pub use settings::{Settings, SettingsPatch};
pub use trail::{AuditCheck, AuditExport};

/// Who may make a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Anybody at the till, signed in or not.
    Anyone,
    /// A signed-in operator (cashier or manager).
    Operator,
    /// A signed-in manager.
    Manager,
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

/// Who is signed in and the keyring to use: held by the till, read through [`Desk`].
#[derive(Debug)]
pub struct Access {
    state: Mutex<AccessState>,
    keyring: Mutex<KeyringSlot>,
}

#[derive(Debug)]
struct AccessState {
    session: Option<Session>,
    last_activity: DateTime<Utc>,
    /// Something the home screen must say (live keys missing at start…).
    notice: Option<Localized>,
}

#[derive(Debug)]
struct KeyringSlot {
    backend: Backend,
    service: String,
    store: Option<SecretStore>,
}

impl Default for Access {
    fn default() -> Self {
        Access {
            state: Mutex::new(AccessState {
                session: None,
                last_activity: Utc::now(),
                notice: None,
            }),
            keyring: Mutex::new(KeyringSlot {
                backend: Backend::Auto,
                service: SERVICE.to_owned(),
                store: None,
            }),
        }
    }
}

impl Access {
    fn state(&self) -> std::sync::MutexGuard<'_, AccessState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The signed-in operator, if any (no idle check).
    pub fn session(&self) -> Option<Session> {
        self.state().session.clone()
    }

    /// What the home screen must say, if anything.
    pub fn notice(&self) -> Option<Localized> {
        self.state().notice.clone()
    }

    pub(crate) fn set_notice(&self, notice: Option<Localized>) {
        self.state().notice = notice;
    }

    /// Chooses the keyring store and service name (before the first key call).
    pub fn set_keyring(&self, backend: Backend, service: &str) {
        let mut slot = self.keyring.lock().unwrap_or_else(|p| p.into_inner());
        slot.backend = backend;
        slot.service = service.to_owned();
        slot.store = None;
    }

    /// The keyring, opened on first use (a failed open is tried again next time).
    pub(crate) async fn secrets(&self) -> Result<SecretStore, TillError> {
        let (backend, service) = {
            let slot = self.keyring.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(store) = &slot.store {
                return Ok(store.clone());
            }
            (slot.backend, slot.service.clone())
        };
        let store = blocking(move || SecretStore::open_with_service(backend, &service)).await?;
        self.keyring.lock().unwrap_or_else(|p| p.into_inner()).store = Some(store.clone());
        Ok(store)
    }
}

/// Runs a blocking keyring call off the async runtime.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, SecretsError> + Send + 'static,
) -> Result<T, TillError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| {
            TillError::Secrets(SecretsError::Failed {
                detail: e.to_string(),
            })
        })?
        .map_err(TillError::from)
}

/// The calls of a person at the till, checked against who is signed in.
pub struct Desk<'a> {
    till: &'a Till,
    now: DateTime<Utc>,
}

impl Till {
    /// The desk as of now.
    pub fn desk(&self) -> Desk<'_> {
        self.desk_at(Utc::now())
    }

    /// The desk with its clock reading `now` (tests of lockout and the idle lock).
    pub fn desk_at(&self, now: DateTime<Utc>) -> Desk<'_> {
        Desk { till: self, now }
    }

    /// Who is signed in, and the keyring.
    pub fn access_control(&self) -> &Access {
        self.access()
    }
}

impl<'a> Desk<'a> {
    fn operators(&self) -> Operators {
        Operators::new(self.till.ledger())
    }

    fn audit(&self) -> Audit {
        Audit::new(self.till.ledger())
    }

    /// Checks `permission` and returns the session (none for [`Permission::Anyone`]). Ends a
    /// session idle for longer than the manager's timeout; counts the call as activity.
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
        if permission == Permission::Manager {
            session.require_manager()?;
        }
        self.till.access().state().last_activity = self.now;
        Ok(Some(session))
    }

    /// The session, ending it first when it has been idle too long.
    async fn current(&self) -> Result<Option<Session>, TillError> {
        let timeout = self.till.idle_timeout_secs().await?;
        let expired = {
            let mut state = self.till.access().state();
            let idle = (self.now - state.last_activity).num_seconds();
            if timeout > 0 && idle > i64::from(timeout) && state.session.is_some() {
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
        Ok(self.till.access().session())
    }

    /// Shop, operator, mode, language, and whether the first-run wizard is needed.
    pub async fn app_info(&self) -> Result<AppInfo, TillError> {
        match self.current().await {
            Ok(_) | Err(TillError::SessionLocked) => {}
            Err(e) => return Err(e),
        }
        self.till.app_info().await
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
        self.till.set_language(language).await
    }

    /// First run: names the shop, creates the manager and signs them in. Refused once a manager
    /// exists.
    pub async fn first_run(&self, setup: FirstRun) -> Result<AppInfo, TillError> {
        self.require(Permission::Anyone).await?;
        let operators = self.operators();
        if operators.has_manager().await? {
            return Err(TillError::SetupDone);
        }
        let shop = settings::ShopFields::check(
            &setup.shop_name,
            &setup.shop_address,
            &setup.receipt_header,
        )?;
        let pin = setup.pin.expose_secret();
        let manager = operators.create_manager(&setup.manager_name, pin).await?;
        shop.save(self.till, &manager.name, self.now).await?;
        tracing::info!(operator_id = manager.id, "desk: first run done");
        self.login(&manager.name, pin).await
    }

    /// The operators to pick from on the login screen.
    pub async fn login_names(&self) -> Result<Vec<LoginName>, TillError> {
        self.require(Permission::Anyone).await?;
        let now = self.now;
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
        let session = self.operators().login(name, pin, self.now).await?;
        self.till.engine().set_operator_name(session.name());
        let previous = {
            let mut state = self.till.access().state();
            state.last_activity = self.now;
            state.session.replace(session)
        };
        if let Some(previous) = previous {
            self.record_logout(&previous, "switch").await?;
        }
        self.till.app_info().await
    }

    /// Signs the operator out (`idle`: the screen locked itself).
    pub async fn logout(&self, idle: bool) -> Result<AppInfo, TillError> {
        let session = self.till.access().state().session.take();
        if let Some(session) = session {
            let reason = if idle { "idle" } else { "manual" };
            self.record_logout(&session, reason).await?;
        }
        self.till.app_info().await
    }

    /// Records that `session` ended, and why (`manual`, `idle`, `switch`).
    async fn record_logout(&self, session: &Session, reason: &str) -> Result<(), TillError> {
        self.audit()
            .append_at(
                self.now,
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
        let session = self.operators().login(name, pin, self.now).await?;
        session.require_manager()?;
        Ok(session)
    }

    /// Allows the kiosk to close: a manager's name and PIN, recorded as `kiosk_exit`. The shell
    /// quits when this returns `Ok`.
    pub async fn kiosk_exit(&self, name: &str, pin: &str) -> Result<(), TillError> {
        let manager = self.confirm_manager(name, pin).await?;
        self.audit()
            .append_at(
                self.now,
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
        Ok(!self.till.kiosk().await?)
    }
}

#[cfg(test)]
mod tests;
