//! Provider keys in the OS keyring, and nowhere else.
//!
//! One keyring entry per provider and field: service [`SERVICE`] (`guichet`), user
//! `<provider>.<field>` (`dexchange.api_key`, `unipesa.secret`…; the list is [`KNOWN_KEYS`]).
//! Two stores, through `keyring-core`:
//! - **Secret Service** (GNOME Keyring, KWallet…, over D-Bus) on a desktop: persistent, encrypted
//!   at rest, unlocked with the user's session.
//! - **Kernel keyutils** on a bare kiosk with no desktop session: always there, but held in
//!   memory only — the keys are gone after a reboot (and after the persistent keyring expires,
//!   3 days after the last use by default) and must be entered again; [`SecretStore::status`]
//!   shows which ones are missing.
//!
//! [`Backend::Auto`] takes the Secret Service when one answers on the session bus and falls back
//! to keyutils. On Windows it is the Credential Manager and on macOS the login Keychain (the
//! same `keyring-core` API, chosen by `cfg` in `build_store`; not built or tested on this
//! project's Linux machines: docs/PORTING.md). Every call blocks (D-Bus round trips): from async code, call it through
//! `tokio::task::spawn_blocking`.
//!
//! Values are [`SecretString`]s: their `Debug` prints `[REDACTED]`, and nothing here logs or
//! formats a value ([`masked`] gives the last four characters for the settings screen).

mod error;

use std::collections::HashMap;
use std::sync::Arc;

use keyring_core::{CredentialStore, Entry, Error as KeyringError};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use error::SecretsError;

/// The keyring service name of every Guichet entry.
pub const SERVICE: &str = "guichet";

/// Every key Guichet keeps, as (provider, field).
pub const KNOWN_KEYS: [(&str, &str); 5] = [
    ("dexchange", "api_key"),
    ("easytransfert", "api_key"),
    ("unipesa", "public_id"),
    ("unipesa", "merchant_id"),
    ("unipesa", "secret"),
];

/// Prefix of the audit chain's own keyring entries (`audit.key.<id>`, `audit.till.<id>`), kept
/// apart from the provider keys ([`KNOWN_KEYS`]) and never shown in "keys status".
pub const AUDIT_PREFIX: &str = "audit.";

/// Longest value accepted, in bytes (keys are far shorter; keyutils allows 32 767).
const MAX_VALUE_BYTES: usize = 4096;
/// The entry read (never written) to check that a store answers.
const PROBE_USER: &str = "guichet.probe";

/// Which keyring store to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Backend {
    /// The Secret Service if one answers, otherwise kernel keyutils (Linux); the Credential
    /// Manager (Windows); the login Keychain (macOS).
    Auto,
    /// The freedesktop Secret Service over D-Bus (desktops).
    SecretService,
    /// Linux kernel keyutils (bare kiosks; lost on reboot).
    Keyutils,
}

impl Backend {
    /// The name used in settings, logs and `GUICHET_TEST_KEYRING` (`auto`, `secret-service`,
    /// `keyutils`).
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Auto => "auto",
            Backend::SecretService => "secret-service",
            Backend::Keyutils => "keyutils",
        }
    }

    /// Parses [`Backend::as_str`]'s names; anything else is `None`.
    pub fn parse(name: &str) -> Option<Backend> {
        [Backend::Auto, Backend::SecretService, Backend::Keyutils]
            .into_iter()
            .find(|b| b.as_str() == name)
    }
}

impl std::fmt::Display for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether one key is stored (for "keys status": never the value).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct KeyStatus {
    /// `dexchange`, `easytransfert`, `unipesa`.
    pub provider: String,
    /// `api_key`, `public_id`, `merchant_id`, `secret`.
    pub field: String,
    /// True when the keyring holds a value for it.
    pub present: bool,
}

/// The provider keys in the OS keyring. Its `Debug` shows the store and service, never a value.
#[derive(Clone)]
pub struct SecretStore {
    backend: Backend,
    service: String,
    store: Arc<CredentialStore>,
}

impl std::fmt::Debug for SecretStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretStore")
            .field("backend", &self.backend)
            .field("service", &self.service)
            .finish_non_exhaustive()
    }
}

impl SecretStore {
    /// Opens the keyring store `backend` under the service name [`SERVICE`], checking that it
    /// answers.
    pub fn open(backend: Backend) -> Result<SecretStore, SecretsError> {
        SecretStore::open_with_service(backend, SERVICE)
    }

    /// Like [`SecretStore::open`] under another service name (tests, a second till profile).
    pub fn open_with_service(backend: Backend, service: &str) -> Result<SecretStore, SecretsError> {
        if service.trim().is_empty() || service.contains('@') {
            return Err(SecretsError::Failed {
                detail: format!("keyring service name {service:?} is empty or holds '@'"),
            });
        }
        let (backend, store) = match backend {
            // Windows and macOS have one store each: `Auto` is that store.
            #[cfg(not(target_os = "linux"))]
            Backend::Auto => (
                Backend::Auto,
                connect(Backend::Auto, service).map_err(|detail| SecretsError::Unavailable {
                    backend: NATIVE_STORE.into(),
                    detail,
                })?,
            ),
            #[cfg(target_os = "linux")]
            Backend::Auto => match connect(Backend::SecretService, service) {
                Ok(store) => (Backend::SecretService, store),
                Err(ss) => match connect(Backend::Keyutils, service) {
                    Ok(store) => {
                        tracing::info!(secret_service = %ss, "secrets: no Secret Service, using kernel keyutils (keys are lost on reboot)");
                        (Backend::Keyutils, store)
                    }
                    Err(ku) => {
                        return Err(SecretsError::Unavailable {
                            backend: "secret-service, keyutils".into(),
                            detail: format!("Secret Service: {ss}; keyutils: {ku}"),
                        })
                    }
                },
            },
            other => {
                let store =
                    connect(other, service).map_err(|detail| SecretsError::Unavailable {
                        backend: other.as_str().into(),
                        detail,
                    })?;
                (other, store)
            }
        };
        tracing::info!(backend = backend.as_str(), service, "secrets: keyring open");
        Ok(SecretStore {
            backend,
            service: service.to_owned(),
            store,
        })
    }

    /// The store in use: on Linux what `Auto` resolved to (never [`Backend::Auto`]); on Windows
    /// and macOS, `Auto` is the system's one store.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The keyring service name.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// Stores (or replaces) the value of `provider`'s `field`. Surrounding whitespace (a pasted
    /// newline) is dropped; an empty value, control characters or more than 4 KiB are refused.
    pub fn set(
        &self,
        provider: &str,
        field: &str,
        value: SecretString,
    ) -> Result<(), SecretsError> {
        check_known(provider, field)?;
        let trimmed = value.expose_secret().trim();
        let refuse = |reason: &str| SecretsError::InvalidValue {
            provider: provider.into(),
            field: field.into(),
            reason: reason.into(),
        };
        if trimmed.is_empty() {
            return Err(refuse("empty"));
        }
        if trimmed.len() > MAX_VALUE_BYTES {
            return Err(refuse("longer than 4096 bytes"));
        }
        if trimmed.chars().any(char::is_control) {
            return Err(refuse("contains control characters"));
        }
        let entry = self.entry(provider, field)?;
        entry
            .set_password(trimmed)
            .map_err(|e| self.error(e, provider, field))?;
        tracing::info!(
            backend = self.backend.as_str(),
            provider,
            field,
            "secrets: key stored"
        );
        Ok(())
    }

    /// The value of `provider`'s `field`, or `None` when none is stored.
    pub fn get(&self, provider: &str, field: &str) -> Result<Option<SecretString>, SecretsError> {
        check_known(provider, field)?;
        match self.entry(provider, field)?.get_password() {
            Ok(value) => Ok(Some(SecretString::from(value))),
            Err(KeyringError::NoEntry) => Ok(None),
            Err(e) => Err(self.error(e, provider, field)),
        }
    }

    /// Removes the value of `provider`'s `field`. `Ok(false)` when there was none.
    pub fn delete(&self, provider: &str, field: &str) -> Result<bool, SecretsError> {
        check_known(provider, field)?;
        match self.entry(provider, field)?.delete_credential() {
            Ok(()) => {
                tracing::info!(
                    backend = self.backend.as_str(),
                    provider,
                    field,
                    "secrets: key deleted"
                );
                Ok(true)
            }
            Err(KeyringError::NoEntry) => Ok(false),
            Err(e) => Err(self.error(e, provider, field)),
        }
    }

    /// Which of the [`KNOWN_KEYS`] are stored (never their values).
    pub fn status(&self) -> Result<Vec<KeyStatus>, SecretsError> {
        KNOWN_KEYS
            .iter()
            .map(|&(provider, field)| {
                let present = self.get(provider, field)?.is_some();
                Ok(KeyStatus {
                    provider: provider.into(),
                    field: field.into(),
                    present,
                })
            })
            .collect()
    }

    /// A value of the audit chain's (`audit.key.<id>`, `audit.till.<id>`), or `None`.
    pub fn get_audit(&self, name: &str) -> Result<Option<SecretString>, SecretsError> {
        let field = check_audit_name(name)?;
        let entry = self.entry_for(name, "audit", field)?;
        match entry.get_password() {
            Ok(value) => Ok(Some(SecretString::from(value))),
            Err(KeyringError::NoEntry) => Ok(None),
            Err(e) => Err(self.error(e, "audit", field)),
        }
    }

    /// Stores (or replaces) a value of the audit chain's (see [`SecretStore::get_audit`]).
    pub fn set_audit(&self, name: &str, value: &SecretString) -> Result<(), SecretsError> {
        let field = check_audit_name(name)?;
        self.entry_for(name, "audit", field)?
            .set_password(value.expose_secret())
            .map_err(|e| self.error(e, "audit", field))?;
        tracing::info!(
            backend = self.backend.as_str(),
            name,
            "secrets: audit entry stored"
        );
        Ok(())
    }

    /// Removes a value of the audit chain's; `Ok(false)` when there was none (support, and the
    /// tests of a keyring that lost the audit key).
    pub fn delete_audit(&self, name: &str) -> Result<bool, SecretsError> {
        let field = check_audit_name(name)?;
        match self.entry_for(name, "audit", field)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(KeyringError::NoEntry) => Ok(false),
            Err(e) => Err(self.error(e, "audit", field)),
        }
    }

    fn entry(&self, provider: &str, field: &str) -> Result<Entry, SecretsError> {
        self.entry_for(&format!("{provider}.{field}"), provider, field)
    }

    fn entry_for(&self, user: &str, provider: &str, field: &str) -> Result<Entry, SecretsError> {
        let label = format!("Guichet — {user}");
        let mods = HashMap::from([("label", label.as_str())]);
        let mods = (self.backend == Backend::SecretService).then_some(&mods);
        self.store
            .build(&self.service, user, mods)
            .map_err(|e| self.error(e, provider, field))
    }

    /// Maps a store error. Never formats the error's payload bytes (`BadEncoding` and
    /// `BadDataFormat` carry the stored value).
    fn error(&self, e: KeyringError, provider: &str, field: &str) -> SecretsError {
        let (provider, field) = (provider.to_owned(), field.to_owned());
        let err = match e {
            KeyringError::NoStorageAccess(inner) => SecretsError::Unavailable {
                backend: self.backend.as_str().into(),
                detail: inner.to_string(),
            },
            KeyringError::BadEncoding(_) | KeyringError::BadDataFormat(..) => {
                SecretsError::Unreadable { provider, field }
            }
            KeyringError::TooLong(_, limit) => SecretsError::InvalidValue {
                provider,
                field,
                reason: format!("longer than the store's limit of {limit}"),
            },
            KeyringError::Invalid(what, reason) => SecretsError::InvalidValue {
                provider,
                field,
                reason: format!("{what} {reason}"),
            },
            KeyringError::Ambiguous(items) => SecretsError::Ambiguous {
                provider,
                field,
                count: items.len(),
            },
            KeyringError::PlatformFailure(inner) => SecretsError::Failed {
                detail: inner.to_string(),
            },
            KeyringError::BadStoreFormat(reason) => SecretsError::Failed { detail: reason },
            KeyringError::NotSupportedByStore(reason) => SecretsError::Failed { detail: reason },
            KeyringError::NoEntry => SecretsError::Failed {
                detail: "no matching credential".into(),
            },
            KeyringError::NoDefaultStore => SecretsError::Failed {
                detail: "no credential store".into(),
            },
            _ => SecretsError::Failed {
                detail: "unexpected keyring error".into(),
            },
        };
        tracing::warn!(backend = self.backend.as_str(), code = err.code(), error = %err, "secrets: keyring call failed");
        err
    }
}

/// The value as the settings screen shows it: `••••` and its last four characters when it has
/// at least eight, `••••` alone otherwise.
pub fn masked(value: &SecretString) -> String {
    let chars: Vec<char> = value.expose_secret().chars().collect();
    let mut out = String::from("••••");
    if chars.len() >= 8 {
        out.extend(&chars[chars.len() - 4..]);
    }
    out
}

fn check_known(provider: &str, field: &str) -> Result<(), SecretsError> {
    if KNOWN_KEYS.contains(&(provider, field)) {
        Ok(())
    } else {
        Err(SecretsError::UnknownKey {
            provider: provider.into(),
            field: field.into(),
        })
    }
}

/// Checks an audit entry's name (`audit.` then lowercase letters, digits and dots) and gives
/// what follows the prefix.
fn check_audit_name(name: &str) -> Result<&str, SecretsError> {
    match name.strip_prefix(AUDIT_PREFIX) {
        Some(rest)
            if !rest.is_empty()
                && rest.len() <= 64
                && rest
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.') =>
        {
            Ok(rest)
        }
        _ => Err(SecretsError::UnknownKey {
            provider: "audit".into(),
            field: name.into(),
        }),
    }
}

/// Builds the store for `backend` (not `Auto`) and checks that it answers, by reading an entry
/// that is never written (absent is the expected answer).
fn connect(backend: Backend, service: &str) -> Result<Arc<CredentialStore>, String> {
    let store = build_store(backend)?;
    let probe = store
        .build(service, PROBE_USER, None)
        .map_err(|e| e.to_string())?;
    match probe.get_password() {
        Ok(_) | Err(KeyringError::NoEntry) => Ok(store),
        Err(KeyringError::BadEncoding(_)) | Err(KeyringError::BadDataFormat(..)) => Ok(store),
        Err(KeyringError::Ambiguous(_)) => Ok(store),
        Err(e) => Err(e.to_string()),
    }
}

#[cfg(target_os = "linux")]
fn build_store(backend: Backend) -> Result<Arc<CredentialStore>, String> {
    match backend {
        Backend::SecretService => {
            let store: Arc<CredentialStore> =
                dbus_secret_service_keyring_store::Store::new().map_err(|e| e.to_string())?;
            Ok(store)
        }
        Backend::Keyutils => {
            let store: Arc<CredentialStore> =
                linux_keyutils_keyring_store::Store::new().map_err(|e| e.to_string())?;
            Ok(store)
        }
        Backend::Auto => Err("auto is not a store".into()),
    }
}

/// The system's own store, where `Auto` is that store (the Secret Service and keyutils are
/// Linux's).
#[cfg(target_os = "windows")]
const NATIVE_STORE: &str = "windows-credential-manager";
/// The system's own store, where `Auto` is that store.
#[cfg(target_os = "macos")]
const NATIVE_STORE: &str = "macos-keychain";
/// No store is built for this system.
#[cfg(not(any(target_os = "linux", target_os = "windows", target_os = "macos")))]
const NATIVE_STORE: &str = "none";

#[cfg(target_os = "windows")]
fn build_store(backend: Backend) -> Result<Arc<CredentialStore>, String> {
    match backend {
        Backend::Auto => {
            let store: Arc<CredentialStore> =
                windows_native_keyring_store::Store::new().map_err(|e| e.to_string())?;
            Ok(store)
        }
        other => Err(format!("the {other} keyring store is Linux's")),
    }
}

#[cfg(target_os = "macos")]
fn build_store(backend: Backend) -> Result<Arc<CredentialStore>, String> {
    match backend {
        Backend::Auto => {
            let store: Arc<CredentialStore> =
                apple_native_keyring_store::keychain::Store::new().map_err(|e| e.to_string())?;
            Ok(store)
        }
        other => Err(format!("the {other} keyring store is Linux's")),
    }
}

#[cfg(not(any(target_os = "linux", target_os = "windows", target_os = "macos")))]
fn build_store(backend: Backend) -> Result<Arc<CredentialStore>, String> {
    Err(format!(
        "the {backend} keyring store is not built for this system"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masked_shows_at_most_the_last_four() {
        assert_eq!(masked(&SecretString::from("sk_live_12345678")), "••••5678");
        assert_eq!(masked(&SecretString::from("abcdefgh")), "••••efgh");
        assert_eq!(masked(&SecretString::from("abcdefg")), "••••");
        assert_eq!(masked(&SecretString::from("")), "••••");
        assert_eq!(masked(&SecretString::from("clé-sécrète-éàüö")), "••••éàüö");
    }

    #[test]
    fn backend_names_round_trip() {
        for b in [Backend::Auto, Backend::SecretService, Backend::Keyutils] {
            assert_eq!(Backend::parse(b.as_str()), Some(b));
        }
        assert_eq!(Backend::parse("kwallet"), None);
    }

    #[test]
    fn only_known_keys() {
        assert!(check_known("dexchange", "api_key").is_ok());
        assert!(check_known("unipesa", "secret").is_ok());
        let e = check_known("dexchange", "secret").unwrap_err();
        assert_eq!(e.code(), "secrets_unknown_key");
    }
}
