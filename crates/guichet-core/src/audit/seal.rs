//! The audit chain's key: 32 random bytes kept in the OS keyring (never in the ledger), installed
//! on the ledger's audit trail by [`super::Audit::seal`] and used for every entry's MAC.
//!
//! - Keyring entries (service of the till, see `secrets`): `audit.key.<key id>` holds the key in
//!   hex; `audit.till.<till id>` holds the id of the key this ledger file uses now (the till id
//!   is derived from the ledger's path), so that dropping every keyed entry from the file shows.
//! - A key's id is the first 16 hex digits of SHA-256(`guichet-audit-key-id|` + key): it names
//!   the key without revealing it.
//! - An entry's MAC is HMAC-SHA256(key, `guichet-audit-mac-1|<segment>|<hash>`), lowercase hex,
//!   where `hash` is the entry's unkeyed chain hash (which covers the previous hash and every
//!   field).

use std::sync::{Arc, RwLock};

use hmac::{Hmac, Mac};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretBox, SecretString};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::secrets::{SecretStore, SecretsError};

/// The action name of the entry that starts a keyed segment.
pub const SEGMENT_STARTED: &str = "audit_segment_started";

/// One audit chain key. Its `Debug` shows the id only.
#[derive(Clone)]
pub struct AuditKey {
    id: String,
    bytes: Arc<SecretBox<[u8; 32]>>,
}

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditKey")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl AuditKey {
    /// A fresh random key.
    pub fn generate() -> AuditKey {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        AuditKey::from_bytes(bytes)
    }

    fn from_bytes(bytes: [u8; 32]) -> AuditKey {
        let mut h = Sha256::new();
        h.update(b"guichet-audit-key-id|");
        h.update(bytes);
        let id = hex::encode(&h.finalize()[..8]);
        AuditKey {
            id,
            bytes: Arc::new(SecretBox::new(Box::new(bytes))),
        }
    }

    /// The key from its keyring form (64 hex digits); `None` when it is not one.
    pub fn from_hex(text: &SecretString) -> Option<AuditKey> {
        let raw = hex::decode(text.expose_secret().trim()).ok()?;
        let bytes: [u8; 32] = raw.try_into().ok()?;
        Some(AuditKey::from_bytes(bytes))
    }

    /// The key's keyring form (64 hex digits).
    fn to_hex(&self) -> SecretString {
        SecretString::from(hex::encode(self.bytes.expose_secret()))
    }

    /// The key's public id (16 hex digits).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The MAC of an entry of `segment` whose chain hash is `hash`.
    pub fn mac(&self, segment: i64, hash: &str) -> String {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(self.bytes.expose_secret()) else {
            unreachable!("HMAC takes a key of any length")
        };
        mac.update(format!("guichet-audit-mac-1|{segment}|{hash}").as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

/// The keyring name of the key with this id.
pub fn key_entry(key_id: &str) -> String {
    format!("audit.key.{key_id}")
}

/// The keyring name of the marker of the till whose ledger is `till_id`.
pub fn till_entry(till_id: &str) -> String {
    format!("audit.till.{till_id}")
}

/// The state of the audit chain's key in this process, as the integrity check shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum KeyState {
    /// The keyring was not asked (a till opened without its keyring): new entries carry no MAC.
    NotSealed,
    /// The current segment's key is in the keyring: new entries are sealed with it.
    Present,
    /// The keyring had lost the key of the last segment: a new key and a new segment were
    /// started (recorded in the trail); the older segment cannot be verified without its key.
    Renewed,
    /// The keyring could not be reached: new entries carry no MAC and will show as unsealed.
    Unavailable,
}

impl KeyState {
    /// A stable name (`not_sealed`, `present`, `renewed`, `unavailable`).
    pub fn as_str(self) -> &'static str {
        match self {
            KeyState::NotSealed => "not_sealed",
            KeyState::Present => "present",
            KeyState::Renewed => "renewed",
            KeyState::Unavailable => "unavailable",
        }
    }
}

/// The key new entries are sealed with, and its segment.
#[derive(Debug, Clone)]
pub(crate) struct Current {
    pub segment: i64,
    pub key: AuditKey,
}

#[derive(Debug)]
struct SealState {
    current: Option<Current>,
    vault: Option<SecretStore>,
    state: KeyState,
}

/// The audit chain's key state of one ledger, shared by every [`super::Audit`] over it.
#[derive(Debug, Clone)]
pub struct SealSlot(Arc<RwLock<SealState>>);

impl Default for SealSlot {
    fn default() -> Self {
        SealSlot(Arc::new(RwLock::new(SealState {
            current: None,
            vault: None,
            state: KeyState::NotSealed,
        })))
    }
}

impl SealSlot {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, SealState> {
        self.0.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, SealState> {
        self.0.write().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn current(&self) -> Option<Current> {
        self.read().current.clone()
    }

    pub(crate) fn vault(&self) -> Option<SecretStore> {
        self.read().vault.clone()
    }

    /// The key state in this process.
    pub fn state(&self) -> KeyState {
        self.read().state
    }

    pub(crate) fn install(
        &self,
        current: Option<Current>,
        vault: Option<SecretStore>,
        state: KeyState,
    ) {
        let mut s = self.write();
        s.current = current;
        s.vault = vault;
        s.state = state;
    }
}

/// Runs a blocking keyring call off the async runtime.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, SecretsError> + Send + 'static,
) -> Result<T, SecretsError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| SecretsError::Failed {
            detail: e.to_string(),
        })?
}

/// The key with this id from the keyring (`None` when absent or not a key with that id).
pub(crate) async fn load_key(
    vault: &SecretStore,
    key_id: &str,
) -> Result<Option<AuditKey>, SecretsError> {
    let vault = vault.clone();
    let name = key_entry(key_id);
    let text = blocking(move || vault.get_audit(&name)).await?;
    Ok(text
        .as_ref()
        .and_then(AuditKey::from_hex)
        .filter(|k| k.id() == key_id))
}

/// Stores a new key in the keyring.
pub(crate) async fn store_key(vault: &SecretStore, key: &AuditKey) -> Result<(), SecretsError> {
    let vault = vault.clone();
    let name = key_entry(key.id());
    let hex = key.to_hex();
    blocking(move || vault.set_audit(&name, &hex)).await
}

/// The key id the keyring names for this till, if any.
pub(crate) async fn load_marker(
    vault: &SecretStore,
    till_id: &str,
) -> Result<Option<String>, SecretsError> {
    let vault = vault.clone();
    let name = till_entry(till_id);
    let text = blocking(move || vault.get_audit(&name)).await?;
    Ok(text.map(|t| t.expose_secret().trim().to_owned()))
}

/// Names `key_id` as this till's current key.
pub(crate) async fn store_marker(
    vault: &SecretStore,
    till_id: &str,
    key_id: &str,
) -> Result<(), SecretsError> {
    let vault = vault.clone();
    let name = till_entry(till_id);
    let value = SecretString::from(key_id.to_owned());
    blocking(move || vault.set_audit(&name, &value)).await
}

/// The till id of a ledger file: 16 hex digits of SHA-256 of its full path.
pub(crate) fn till_id(ledger_path: &std::path::Path) -> String {
    let path = std::fs::canonicalize(ledger_path).unwrap_or_else(|_| ledger_path.to_owned());
    let mut h = Sha256::new();
    h.update(path.to_string_lossy().as_bytes());
    hex::encode(&h.finalize()[..8])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_round_trips_through_its_keyring_form_and_names_itself() {
        let key = AuditKey::generate();
        assert_eq!(key.id().len(), 16);
        let back = AuditKey::from_hex(&key.to_hex()).unwrap();
        assert_eq!(back.id(), key.id());
        assert_eq!(back.mac(1, "ab"), key.mac(1, "ab"));
        assert_ne!(AuditKey::generate().id(), key.id());
        assert!(AuditKey::from_hex(&SecretString::from("zz")).is_none());
        assert!(!format!("{key:?}").contains(&hex::encode(key.bytes.expose_secret())));
    }

    #[test]
    fn the_mac_depends_on_the_key_the_segment_and_the_hash() {
        let key = AuditKey::generate();
        let base = key.mac(1, &"a".repeat(64));
        assert_eq!(base.len(), 64);
        assert_ne!(key.mac(2, &"a".repeat(64)), base);
        assert_ne!(key.mac(1, &"b".repeat(64)), base);
        assert_ne!(AuditKey::generate().mac(1, &"a".repeat(64)), base);
    }
}
