//! Who is at the desk: the signed-in session (or the console's), the home screen's notice, and
//! the keyring the desk reads keys from.

use std::sync::Mutex;

use chrono::{DateTime, Utc};

use crate::operators::Session;
use crate::secrets::{Backend, SecretStore, SecretsError, SERVICE};
use crate::text::Localized;
use crate::till::TillError;

/// Who is signed in and the keyring to use.
#[derive(Debug)]
pub struct Access {
    state: Mutex<AccessState>,
    keyring: Mutex<KeyringSlot>,
}

#[derive(Debug)]
pub(super) struct AccessState {
    /// The signed-in operator (a window), or the console's standing session (the CLI).
    pub session: Option<Session>,
    /// The console never signs out nor locks: whoever holds the machine's account runs it.
    pub console: bool,
    pub last_activity: DateTime<Utc>,
    /// Something the home screen must say (live keys missing at start…).
    pub notice: Option<Localized>,
    /// When the signed-in manager last typed their PIN again (`Desk::confirm_pin`); cleared
    /// whenever the session changes hands or ends.
    pub pin_proof: Option<DateTime<Utc>>,
}

#[derive(Debug)]
struct KeyringSlot {
    backend: Backend,
    service: String,
    store: Option<SecretStore>,
}

impl Access {
    /// Nobody signed in, the default keyring.
    pub fn new(now: DateTime<Utc>) -> Self {
        Access {
            state: Mutex::new(AccessState {
                session: None,
                console: false,
                last_activity: now,
                notice: None,
                pin_proof: None,
            }),
            keyring: Mutex::new(KeyringSlot {
                backend: Backend::Auto,
                service: SERVICE.to_owned(),
                store: None,
            }),
        }
    }

    pub(super) fn state(&self) -> std::sync::MutexGuard<'_, AccessState> {
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
