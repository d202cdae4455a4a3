//! The audit trail: who did what at the till (logins, failed PINs, lockouts, setting and key
//! changes, mode switches, reprints, kiosk exits), in the ledger file, append-only and
//! hash-chained so that tampering shows.
//!
//! - Each entry's `hash` is SHA-256 over the previous entry's hash and the entry's canonical
//!   fields ([`entry_hash`]); the first entry chains on 64 zeros.
//! - The database refuses UPDATE and DELETE on `audit_log` (triggers) and any insert that does not
//!   follow the last entry; [`Audit::verify`] recomputes the whole chain and names the first
//!   entry that does not check out, for whoever edits the file behind the triggers' back.
//! - Secrets never enter it: details whose keys look like a secret (`api_key`, `pin`,
//!   `password`…) are refused ([`AuditError::SecretLooking`]). Record *that* a key changed
//!   (`{"provider": "dexchange", "field": "api_key"}`), never the key.
//!
//! - Each entry also carries a MAC keyed with a secret kept in the OS keyring ([`seal`]): whoever
//!   holds the file can recompute the hashes but not the MACs, so [`Audit::verify`] finds an
//!   entry rewritten from some point on. Entries are grouped in keyed segments; a till whose
//!   keyring lost the key starts a new segment ([`Audit::seal`]) and the older one is reported
//!   as unverifiable without its key. Entries written before the key (schema 2) keep the
//!   unkeyed chain only.
//!
//! Limits: dropping the newest entries of the current segment is not detected by
//! [`Audit::verify`] alone; an export kept elsewhere ([`Audit::export_json`]) shows it by
//! comparison. The format is in `docs/audit.md`.

mod error;
pub mod seal;
mod segment;
mod verify;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::sqlite::{SqlitePool, SqliteRow};
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};
use ts_rs::TS;

pub use error::{AuditError, BreakKind};
pub use seal::{AuditKey, KeyState, SealSlot, SEGMENT_STARTED};
pub use verify::{ChainReport, UnverifiableSpan};

use crate::ledger::{Details, Ledger};

/// Result of an audit call.
pub type Result<T, E = AuditError> = std::result::Result<T, E>;

/// The `prev_hash` of the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Details keys containing one of these are refused (case-insensitive).
const SECRET_LOOKING_PARTS: [&str; 12] = [
    "secret",
    "password",
    "passwd",
    "passphrase",
    "api_key",
    "apikey",
    "private",
    "credential",
    "authorization",
    "bearer",
    "signature",
    "cookie",
];
/// Details keys with one of these words (between `_`, `.`, `-`, camelCase is not split) are
/// refused too: `key`, `new_pin`, `otp_code`, `access_token`.
const SECRET_LOOKING_WORDS: [&str; 5] = ["key", "pin", "otp", "token", "pwd"];
/// Details larger than this (as JSON) are refused: the trail records facts, not documents.
const MAX_DETAILS_BYTES: usize = 16 * 1024;
/// Rows read at a time by [`Audit::verify`] and [`Audit::export_json`].
const PAGE: i64 = 500;
/// [`Audit::list`] returns at most this many entries.
const MAX_LIST_LIMIT: u32 = 10_000;

/// What happened. Stored as its snake_case name; [`AuditAction::Other`] takes a name this
/// version does not list yet.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AuditAction {
    /// An operator signed in.
    Login,
    /// A wrong PIN (or an unknown operator) at login.
    LoginFailed,
    /// An account was locked after too many wrong PINs.
    Locked,
    /// A manager unlocked an account.
    Unlocked,
    /// An operator signed out (or the till locked itself when idle).
    Logout,
    /// An operator account was created.
    OperatorCreated,
    /// An operator changed their own PIN.
    PinChanged,
    /// A manager set another operator's PIN.
    PinReset,
    /// A setting changed (its name, and its old and new value when not sensitive).
    SettingChanged,
    /// A provider key was stored or replaced in the keyring (never the key itself).
    KeyChanged,
    /// A provider key was removed from the keyring.
    KeyDeleted,
    /// Training ↔ live.
    ModeSwitched,
    /// A receipt was printed again.
    Reprint,
    /// The kiosk was closed with the manager PIN.
    KioskExit,
    /// A manager settled an operation under review (its id, the outcome, their note).
    ReviewSettled,
    /// The app opened this ledger (its version: the trail says which version wrote what).
    AppStarted,
    /// A keyed segment of the trail started (first key, migration, or a key the keyring lost).
    SegmentStarted,
    /// Another action, by its snake_case name.
    Other(String),
}

impl AuditAction {
    /// Every listed action (not [`AuditAction::Other`]).
    pub const LISTED: [AuditAction; 17] = [
        AuditAction::Login,
        AuditAction::LoginFailed,
        AuditAction::Locked,
        AuditAction::Unlocked,
        AuditAction::Logout,
        AuditAction::OperatorCreated,
        AuditAction::PinChanged,
        AuditAction::PinReset,
        AuditAction::SettingChanged,
        AuditAction::KeyChanged,
        AuditAction::KeyDeleted,
        AuditAction::ModeSwitched,
        AuditAction::Reprint,
        AuditAction::KioskExit,
        AuditAction::ReviewSettled,
        AuditAction::AppStarted,
        AuditAction::SegmentStarted,
    ];

    /// The stored name (`login`, `login_failed`…).
    pub fn as_str(&self) -> &str {
        match self {
            AuditAction::Login => "login",
            AuditAction::LoginFailed => "login_failed",
            AuditAction::Locked => "locked",
            AuditAction::Unlocked => "unlocked",
            AuditAction::Logout => "logout",
            AuditAction::OperatorCreated => "operator_created",
            AuditAction::PinChanged => "pin_changed",
            AuditAction::PinReset => "pin_reset",
            AuditAction::SettingChanged => "setting_changed",
            AuditAction::KeyChanged => "key_changed",
            AuditAction::KeyDeleted => "key_deleted",
            AuditAction::ModeSwitched => "mode_switched",
            AuditAction::Reprint => "reprint",
            AuditAction::KioskExit => "kiosk_exit",
            AuditAction::ReviewSettled => "review_settled",
            AuditAction::AppStarted => "app_started",
            AuditAction::SegmentStarted => SEGMENT_STARTED,
            AuditAction::Other(name) => name,
        }
    }

    /// The action with this stored name (an unlisted name gives [`AuditAction::Other`]).
    pub fn parse(name: &str) -> AuditAction {
        AuditAction::LISTED
            .into_iter()
            .find(|a| a.as_str() == name)
            .unwrap_or_else(|| AuditAction::Other(name.to_owned()))
    }
}

impl std::fmt::Display for AuditAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One entry of the audit trail, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AuditEntry {
    /// 1, 2, 3… in the order written.
    #[ts(type = "number")]
    pub seq: i64,
    /// When it happened (UTC, milliseconds).
    #[ts(type = "string")]
    pub at: DateTime<Utc>,
    /// Operator name, or `system`.
    pub actor: String,
    /// The action's snake_case name ([`AuditAction::as_str`]).
    pub action: String,
    /// Non-secret facts.
    #[ts(type = "Record<string, unknown>")]
    pub details: Details,
    /// The previous entry's hash (64 zeros for the first).
    pub prev_hash: String,
    /// SHA-256 of `prev_hash` and this entry's fields, lowercase hex ([`entry_hash`]).
    pub hash: String,
    /// The keyed segment it belongs to (`None` before the trail had a key).
    #[ts(type = "number | null")]
    pub segment: Option<i64>,
    /// HMAC-SHA256 of the segment and `hash` with the segment's key ([`AuditKey::mac`]).
    pub mac: Option<String>,
}

/// Which entries [`Audit::list`] returns, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct AuditQuery {
    /// Only entries at or after this instant.
    #[ts(type = "string | null")]
    pub from: Option<DateTime<Utc>>,
    /// Only entries strictly before this instant.
    #[ts(type = "string | null")]
    pub to: Option<DateTime<Utc>>,
    /// Only entries after this sequence number (for paging).
    #[ts(type = "number | null")]
    pub after_seq: Option<i64>,
    /// Only this actor.
    pub actor: Option<String>,
    /// Only this action (snake_case name).
    pub action: Option<String>,
    /// At most this many entries (default and maximum 10 000).
    pub limit: Option<u32>,
}

/// The audit trail in the ledger file. Cheap to clone (a shared connection pool).
#[derive(Debug, Clone)]
pub struct Audit {
    pool: SqlitePool,
    seal: SealSlot,
    till_id: String,
}

impl Audit {
    /// The audit trail of this ledger.
    pub fn new(ledger: &Ledger) -> Audit {
        Audit {
            pool: ledger.pool().clone(),
            seal: ledger.audit_seal().clone(),
            till_id: seal::till_id(ledger.path()),
        }
    }

    /// Appends an entry dated now. `details` must be a JSON object (or null for none) whose keys
    /// do not look like secrets.
    pub async fn append(
        &self,
        actor: &str,
        action: AuditAction,
        details: Value,
    ) -> Result<AuditEntry> {
        self.append_at(Utc::now(), actor, action, details).await
    }

    /// Appends an entry dated `at` (for callers that carry their own clock).
    pub async fn append_at(
        &self,
        at: DateTime<Utc>,
        actor: &str,
        action: AuditAction,
        details: Value,
    ) -> Result<AuditEntry> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let entry = self.append_in(&mut tx, at, actor, &action, details).await?;
        tx.commit().await?;
        Ok(entry)
    }

    /// Entries matching `query`, oldest first.
    pub async fn list(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>> {
        let mut qb = QueryBuilder::<Sqlite>::new(
            "SELECT seq, at, actor, action, details, prev_hash, hash, segment, mac FROM audit_log \
             WHERE 1 = 1",
        );
        if let Some(from) = query.from {
            qb.push(" AND at >= ").push_bind(ts(from));
        }
        if let Some(to) = query.to {
            qb.push(" AND at < ").push_bind(ts(to));
        }
        if let Some(after) = query.after_seq {
            qb.push(" AND seq > ").push_bind(after);
        }
        if let Some(actor) = &query.actor {
            qb.push(" AND actor = ").push_bind(actor.clone());
        }
        if let Some(action) = &query.action {
            qb.push(" AND action = ").push_bind(action.clone());
        }
        let limit = query.limit.unwrap_or(MAX_LIST_LIMIT).min(MAX_LIST_LIMIT);
        qb.push(" ORDER BY seq LIMIT ").push_bind(i64::from(limit));
        let rows = qb.build().fetch_all(&self.pool).await?;
        rows.iter().map(entry_from_row).collect()
    }

    /// The number of entries.
    pub async fn len(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
            .fetch_one(&self.pool)
            .await?)
    }

    /// True when nothing was recorded yet.
    pub async fn is_empty(&self) -> Result<bool> {
        Ok(self.len().await? == 0)
    }

    /// The whole trail as pretty JSON, hashes, segments and MACs included, so that it can be
    /// kept elsewhere and verified independently with the keys (format `guichet-audit-2`,
    /// described in `docs/audit.md` and in the document itself).
    pub async fn export_json(&self) -> Result<String> {
        let mut entries = Vec::new();
        let mut after = 0;
        loop {
            let page = self.page(after).await?;
            let Some(last) = page.last() else { break };
            after = last.seq;
            entries.extend(page);
        }
        let segments: Vec<Value> = entries
            .iter()
            .filter(|e| e.action == SEGMENT_STARTED)
            .map(|e| {
                let key_id = e.details.get("seal_id").and_then(Value::as_str);
                serde_json::json!({
                    "segment": e.segment,
                    "first_seq": e.seq,
                    "key_id": key_id,
                    "reason": e.details.get("reason"),
                    "keyring_entry": key_id.map(seal::key_entry),
                })
            })
            .collect();
        let doc = serde_json::json!({
            "format": "guichet-audit-2",
            "exported_at": ts(Utc::now()),
            "hash": "sha256(prev_hash + \"|\" + canonical JSON [seq, at, actor, action, details]), \
                     lowercase hex; the first prev_hash is 64 zeros",
            "mac": "hmac-sha256(key, \"guichet-audit-mac-1|\" + segment + \"|\" + hash), lowercase \
                    hex; key = the 32 bytes whose hex the till's keyring holds under keyring_entry \
                    (service keyring_service); key_id = first 16 hex of \
                    sha256(\"guichet-audit-key-id|\" + key); entries before the first segment \
                    have no mac (unkeyed chain only)",
            "keyring_service": self.seal.vault().map(|v| v.service().to_owned()),
            "segments": segments,
            "entries": entries,
        });
        serde_json::to_string_pretty(&doc).map_err(|e| AuditError::Database {
            detail: e.to_string(),
        })
    }

    async fn page(&self, after: i64) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query(
            "SELECT seq, at, actor, action, details, prev_hash, hash, segment, mac FROM audit_log \
             WHERE seq > ? ORDER BY seq LIMIT ?",
        )
        .bind(after)
        .bind(PAGE)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(entry_from_row).collect()
    }
}

fn broken(seq: i64, kind: BreakKind) -> AuditError {
    tracing::error!(seq, kind = kind.as_str(), "audit: the chain is broken");
    AuditError::Broken { seq, kind }
}

impl Audit {
    /// Appends an entry within an open write transaction (one that began with `BEGIN
    /// IMMEDIATE`), so that a caller's own change and its audit entry commit together. Sealed
    /// with the installed key when there is one.
    pub(crate) async fn append_in(
        &self,
        conn: &mut SqliteConnection,
        at: DateTime<Utc>,
        actor: &str,
        action: &AuditAction,
        details: Value,
    ) -> Result<AuditEntry> {
        append_sealed(
            conn,
            self.seal.current().as_ref(),
            at,
            actor,
            action,
            details,
        )
        .await
    }
}

/// Appends an entry sealed with `current` (none: no MAC) within an open write transaction.
async fn append_sealed(
    conn: &mut SqliteConnection,
    current: Option<&seal::Current>,
    at: DateTime<Utc>,
    actor: &str,
    action: &AuditAction,
    details: Value,
) -> Result<AuditEntry> {
    let details = validate(actor, action, details)?;
    let at = DateTime::from_timestamp_millis(at.timestamp_millis()).unwrap_or(at);
    let at_text = ts(at);
    let last: Option<(i64, String)> =
        sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&mut *conn)
            .await?;
    let (seq, prev_hash) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS_HASH.to_owned()),
    };
    let hash = entry_hash(&prev_hash, seq, &at_text, actor, action.as_str(), &details);
    let segment = current.map(|c| c.segment);
    let mac = current.map(|c| c.key.mac(c.segment, &hash));
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor, action, details, prev_hash, hash, segment, mac) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(seq)
    .bind(&at_text)
    .bind(actor)
    .bind(action.as_str())
    .bind(canonical_json(&Value::Object(details.clone())))
    .bind(&prev_hash)
    .bind(&hash)
    .bind(segment)
    .bind(&mac)
    .execute(&mut *conn)
    .await?;
    tracing::info!(
        seq,
        actor,
        action = action.as_str(),
        sealed = mac.is_some(),
        "audit: entry appended"
    );
    Ok(AuditEntry {
        seq,
        at,
        actor: actor.to_owned(),
        action: action.as_str().to_owned(),
        details,
        prev_hash,
        hash,
        segment,
        mac,
    })
}

fn validate(actor: &str, action: &AuditAction, details: Value) -> Result<Details> {
    let invalid = |detail: String| Err(AuditError::Invalid { detail });
    if actor.trim().is_empty() {
        return invalid("empty actor".into());
    }
    let name = action.as_str();
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return invalid(format!("action {name:?} must be snake_case"));
    }
    let details = match details {
        Value::Null => Details::new(),
        Value::Object(map) => map,
        other => return invalid(format!("details must be a JSON object, got {other}")),
    };
    check_keys(&details)?;
    let size = canonical_json(&Value::Object(details.clone())).len();
    if size > MAX_DETAILS_BYTES {
        return invalid(format!(
            "details are {size} bytes, at most {MAX_DETAILS_BYTES}"
        ));
    }
    Ok(details)
}

/// Refuses any key, at any depth, that looks like it names a secret.
fn check_keys(map: &Details) -> Result<()> {
    for (key, value) in map {
        if looks_secret(key) {
            return Err(AuditError::SecretLooking { key: key.clone() });
        }
        check_value(value)?;
    }
    Ok(())
}

fn check_value(value: &Value) -> Result<()> {
    match value {
        Value::Object(map) => check_keys(map),
        Value::Array(items) => items.iter().try_for_each(check_value),
        _ => Ok(()),
    }
}

/// True when a details key looks like it names a secret.
pub fn looks_secret(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    SECRET_LOOKING_PARTS.iter().any(|s| lower.contains(s))
        || lower
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| SECRET_LOOKING_WORDS.contains(&w))
}

/// An entry's hash: SHA-256 over `prev_hash`, `|`, and the canonical JSON array
/// `[seq, at, actor, action, details]` (details with keys sorted at every depth, no spaces),
/// in lowercase hex. `at` is the stored text (RFC 3339 UTC, milliseconds, `Z`).
pub fn entry_hash(
    prev_hash: &str,
    seq: i64,
    at: &str,
    actor: &str,
    action: &str,
    details: &Details,
) -> String {
    let fields = Value::Array(vec![
        Value::from(seq),
        Value::from(at),
        Value::from(actor),
        Value::from(action),
        Value::Object(details.clone()),
    ]);
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(b"|");
    h.update(canonical_json(&fields).as_bytes());
    hex::encode(h.finalize())
}

/// JSON with object keys sorted at every depth and no whitespace, whatever order the map keeps.
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::from(k.as_str()).to_string());
                out.push(':');
                write_canonical(&map[k], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(v, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// The stored form of an instant: RFC 3339 UTC, milliseconds, `Z` (sorts as text).
pub(crate) fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub(crate) fn parse_ts(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn parse_details(s: &str) -> std::result::Result<Details, ()> {
    match serde_json::from_str::<Value>(s) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(()),
    }
}

fn entry_from_row(row: &SqliteRow) -> Result<AuditEntry> {
    let seq: i64 = row.try_get("seq")?;
    let at: String = row.try_get("at")?;
    let details: String = row.try_get("details")?;
    Ok(AuditEntry {
        seq,
        at: parse_ts(&at).ok_or(AuditError::Broken {
            seq,
            kind: BreakKind::Unreadable,
        })?,
        actor: row.try_get("actor")?,
        action: row.try_get("action")?,
        details: parse_details(&details).map_err(|()| AuditError::Broken {
            seq,
            kind: BreakKind::Unreadable,
        })?,
        prev_hash: row.try_get("prev_hash")?,
        hash: row.try_get("hash")?,
        segment: row.try_get("segment")?,
        mac: row.try_get("mac")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn canonical_json_sorts_keys_at_every_depth() {
        let v = json!({"b": 1, "a": {"z": [true, null, {"y": "é", "x": 1.5}], "c": "q\""}});
        assert_eq!(
            canonical_json(&v),
            r#"{"a":{"c":"q\"","z":[true,null,{"x":1.5,"y":"é"}]},"b":1}"#
        );
    }

    #[test]
    fn the_hash_depends_on_every_field() {
        let d = json!({"provider": "dexchange"})
            .as_object()
            .unwrap()
            .clone();
        let base = entry_hash(
            GENESIS_HASH,
            1,
            "2025-01-01T00:00:00.000Z",
            "Awa",
            "login",
            &d,
        );
        assert_eq!(base.len(), 64);
        let other_details = json!({"provider": "unipesa"}).as_object().unwrap().clone();
        for changed in [
            entry_hash(
                &"1".repeat(64),
                1,
                "2025-01-01T00:00:00.000Z",
                "Awa",
                "login",
                &d,
            ),
            entry_hash(
                GENESIS_HASH,
                2,
                "2025-01-01T00:00:00.000Z",
                "Awa",
                "login",
                &d,
            ),
            entry_hash(
                GENESIS_HASH,
                1,
                "2025-01-01T00:00:00.001Z",
                "Awa",
                "login",
                &d,
            ),
            entry_hash(
                GENESIS_HASH,
                1,
                "2025-01-01T00:00:00.000Z",
                "Awb",
                "login",
                &d,
            ),
            entry_hash(
                GENESIS_HASH,
                1,
                "2025-01-01T00:00:00.000Z",
                "Awa",
                "logout",
                &d,
            ),
            entry_hash(
                GENESIS_HASH,
                1,
                "2025-01-01T00:00:00.000Z",
                "Awa",
                "login",
                &other_details,
            ),
        ] {
            assert_ne!(changed, base);
        }
    }

    #[test]
    fn secret_looking_keys() {
        for k in [
            "api_key",
            "API_KEY",
            "apiKey",
            "secret",
            "client_secret",
            "pin",
            "new_pin",
            "otp",
            "otp_code",
            "key",
            "access_token",
            "password",
            "Authorization",
            "x-signature",
        ] {
            assert!(looks_secret(k), "{k}");
        }
        for k in [
            "provider",
            "field",
            "operator_id",
            "setting",
            "from",
            "to",
            "reason",
            "remaining",
            "until",
            "operation_id",
            "printer",
            "keyboard_layout",
        ] {
            assert!(!looks_secret(k), "{k}");
        }
    }

    #[test]
    fn actions_round_trip_by_name() {
        for a in AuditAction::LISTED {
            assert_eq!(AuditAction::parse(a.as_str()), a);
        }
        assert_eq!(
            AuditAction::parse("shift_closed"),
            AuditAction::Other("shift_closed".into())
        );
    }
}
