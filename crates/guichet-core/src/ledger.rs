//! The ledger: every operation in one local SQLite file, append-only events plus a current-state
//! projection, nothing ever deleted.
//!
//! - [`Ledger::open`] opens (or creates) the file with WAL, foreign keys, `synchronous=FULL`, and
//!   refuses to go on with a damaged file ([`LedgerError::Corrupt`]) or one written by a newer
//!   Guichet ([`LedgerError::NewerSchema`]). Before a schema upgrade of an existing file it makes a
//!   consistent copy beside it (`<file>.bak-v<old>-<UTC time>`). It never resets anything.
//! - [`Ledger::insert_operation`] writes the intent (`prepared`, event 1) in one transaction;
//!   [`Ledger::transition`] moves the status along the table in [`OperationStatus::allowed_next`]
//!   and writes the event with it, in one transaction; [`Ledger::record_event`] adds a fact
//!   without a status change (a late token, a resend…).
//! - The database refuses by itself (triggers) any UPDATE or DELETE of an event, any DELETE of an
//!   operation, any change of the intent's fields, and any status change without its event.
//!
//! Write transactions start with `BEGIN IMMEDIATE`, so a read-then-write never fails half-way with
//! a stale snapshot; the busy timeout makes concurrent writers wait their turn.

mod error;
mod integrity;
mod open;
mod search;
mod status;
#[cfg(test)]
pub(crate) mod test_files;
#[cfg(test)]
mod tests;
mod types;

use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::Value;
use sqlx::sqlite::{SqlitePool, SqliteRow};
use sqlx::{QueryBuilder, Row, Sqlite};
use uuid::Uuid;

pub use error::LedgerError;
pub use search::DayTotal;
pub use status::OperationStatus;
pub use types::{
    Details, EventInput, EventSource, HistoryQuery, NewOperation, Operation, OperationEvent,
};

/// Result of a ledger call.
pub type Result<T, E = LedgerError> = std::result::Result<T, E>;

/// The columns of `operations`, in the order [`operation_from_row`] reads them.
pub(crate) const OPERATION_COLUMNS: &str =
    "id, idempotency_key, provider, service_code, kind, country, \
     currency, amount_minor, fee_minor, customer_ref, invoice_ref, status, provider_ref, token, \
     operator_name, training, details, created_at, updated_at";

/// The columns of `operation_events`, in the order [`event_from_row`] reads them.
const EVENT_COLUMNS: &str = "id, operation_id, seq, at, from_status, to_status, source, actor, \
     raw, note, provider_ref, fee_minor, token, details";

/// Setting keys containing these are refused: secrets live in the OS keyring only.
const SECRET_LOOKING_KEYS: [&str; 5] = ["secret", "password", "passwd", "api_key", "apikey"];
/// Setting keys with one of these words (between `_`, `.`, `-`) are refused too.
const SECRET_LOOKING_WORDS: [&str; 2] = ["otp", "key"];

/// A fresh idempotency key for a new cashier intent: `G` followed by a UUIDv7 in hex (33
/// characters of `[0-9A-Za-z]`, valid as DEXCHANGE externalTransactionId, EASYTRANSFERT
/// custom_data and gateway order_id). Generate it once per intent and never again for retries.
pub fn new_idempotency_key() -> String {
    format!("G{}", Uuid::now_v7().simple())
}

/// The operations ledger. Cheap to clone (a shared connection pool).
#[derive(Debug, Clone)]
pub struct Ledger {
    pool: SqlitePool,
    path: PathBuf,
    migration_backup: Option<PathBuf>,
    /// The audit chain's key state, shared by every `Audit` over this ledger.
    audit_seal: crate::audit::SealSlot,
    /// What the background integrity check found (`integrity.rs`).
    integrity: integrity::Found,
}

impl Ledger {
    /// Opens the ledger file at `path`, creating it (and its folders) if missing, checking it
    /// and bringing its schema up to date (after a backup copy when it already held data).
    pub async fn open(path: impl AsRef<Path>) -> Result<Ledger> {
        open::open_with(path.as_ref(), &open::MIGRATOR).await
    }

    /// The ledger file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The audit chain's key state of this ledger (installed by `Audit::seal`).
    pub fn audit_seal(&self) -> &crate::audit::SealSlot {
        &self.audit_seal
    }

    /// The copy made before this open upgraded the schema, if it did.
    pub fn migration_backup(&self) -> Option<&Path> {
        self.migration_backup.as_deref()
    }

    /// The schema version of the file (the highest applied migration).
    pub async fn schema_version(&self) -> Result<i64> {
        let v: Option<i64> =
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success = 1")
                .fetch_one(&self.pool)
                .await
                .map_err(|e| self.err(e))?;
        Ok(v.unwrap_or(0))
    }

    /// Writes a consistent copy of the whole ledger to `dest` (which must not exist yet), safe
    /// while the ledger is in use, and syncs it to disk.
    pub async fn backup_to(&self, dest: impl AsRef<Path>) -> Result<()> {
        open::vacuum_into(&self.pool, dest.as_ref()).await
    }

    /// Closes every connection (checkpointing the WAL). Further calls fail.
    pub async fn close(&self) {
        // Everything into the main file now: the last connection's own checkpoint on close may
        // come seconds later on a loaded machine (sqlx closes on a worker thread).
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.pool)
            .await
        {
            tracing::warn!(error = %e, "ledger: checkpoint on close failed");
        }
        open::close_pool(&self.pool).await;
    }

    fn err(&self, e: sqlx::Error) -> LedgerError {
        LedgerError::from_sqlx(&self.path, e)
    }

    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, Sqlite>> {
        self.pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(|e| self.err(e))
    }

    /// Writes a new operation (status `prepared`) and its creation event, in one transaction.
    pub async fn insert_operation(&self, new: NewOperation) -> Result<Operation> {
        // A damaged file takes no new money operation (`integrity.rs`).
        self.ensure_sound()?;
        validate_new(&new)?;
        let id = Uuid::now_v7();
        let now = ts(now());
        let details = Value::Object(new.details.clone()).to_string();

        let mut tx = self.begin_write().await?;
        // The row as written comes back with the insert (one statement, not a second read). It is
        // the row before AFTER triggers ran: `shift_id`, set by one, is not an Operation field.
        let inserted = sqlx::query(&format!(
            "INSERT INTO operations (id, idempotency_key, provider, service_code, kind, country, \
             currency, amount_minor, fee_minor, customer_ref, invoice_ref, status, provider_ref, \
             token, operator_name, training, details, created_at, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?, ?, ?) \
             RETURNING {OPERATION_COLUMNS}"
        ))
        .bind(id.to_string())
        .bind(&new.idempotency_key)
        .bind(&new.provider)
        .bind(&new.service_code)
        .bind(&new.kind)
        .bind(&new.country)
        .bind(&new.currency)
        .bind(new.amount_minor)
        .bind(new.fee_minor)
        .bind(&new.customer_ref)
        .bind(&new.invoice_ref)
        .bind(OperationStatus::Prepared.as_str())
        .bind(&new.operator_name)
        .bind(new.training)
        .bind(&details)
        .bind(&now)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await;
        let row = match inserted {
            Ok(row) => row,
            Err(e) if is_unique_violation(&e, "operations.idempotency_key") => {
                return Err(LedgerError::DuplicateKey {
                    key: new.idempotency_key,
                });
            }
            Err(e) => return Err(self.err(e)),
        };
        let op = operation_from_row(&row)?;
        sqlx::query(
            "INSERT INTO operation_events (operation_id, seq, at, from_status, to_status, source, \
             actor, raw, note, provider_ref, fee_minor, token, details) \
             VALUES (?, 1, ?, NULL, ?, ?, ?, NULL, NULL, NULL, ?, NULL, NULL)",
        )
        .bind(id.to_string())
        .bind(&now)
        .bind(OperationStatus::Prepared.as_str())
        .bind(EventSource::Engine.as_str())
        .bind(&new.operator_name)
        .bind(new.fee_minor)
        .execute(&mut *tx)
        .await
        .map_err(|e| self.err(e))?;
        tx.commit().await.map_err(|e| self.err(e))?;
        tracing::debug!(operation = %id, key = %new.idempotency_key, "ledger: operation prepared");
        Ok(op)
    }

    /// Moves operation `id` to `next` and writes the event that says so, in one transaction.
    ///
    /// Checked against the row as it is now: a move not allowed by
    /// [`OperationStatus::can_move_to`] is refused with [`LedgerError::IllegalTransition`] and
    /// nothing is written.
    pub async fn transition(
        &self,
        id: Uuid,
        next: OperationStatus,
        input: EventInput,
    ) -> Result<Operation> {
        self.append_event(id, Some(next), input).await
    }

    /// Writes an event that changes no status (a token arriving late, a resend, a callback after
    /// the outcome, a note), in one transaction. Allowed in every status, final ones included.
    pub async fn record_event(&self, id: Uuid, input: EventInput) -> Result<Operation> {
        self.append_event(id, None, input).await
    }

    async fn append_event(
        &self,
        id: Uuid,
        next: Option<OperationStatus>,
        input: EventInput,
    ) -> Result<Operation> {
        validate_event(&input)?;
        let mut tx = self.begin_write().await?;
        let current = fetch_operation(&mut tx, id)
            .await
            .map_err(|e| self.err(e))?
            .ok_or(LedgerError::NotFound { id })??;
        let to = match next {
            Some(next) if !current.status.can_move_to(next) => {
                return Err(LedgerError::IllegalTransition {
                    id,
                    from: current.status,
                    to: next,
                });
            }
            Some(next) => next,
            None => current.status,
        };
        write_once(
            id,
            "provider_ref",
            &current.provider_ref,
            &input.provider_ref,
        )?;
        write_once(id, "token", &current.token, &input.token)?;

        let mut details = current.details.clone();
        if let Some(patch) = &input.details {
            for (k, v) in patch {
                details.insert(k.clone(), v.clone());
            }
        }
        let now = ts(now());
        // The next sequence number is taken in the insert itself, and the row as updated comes
        // back with the update: two statements after the read of the current row.
        let seq: i64 = sqlx::query_scalar(
            "INSERT INTO operation_events (operation_id, seq, at, from_status, to_status, source, \
             actor, raw, note, provider_ref, fee_minor, token, details) \
             VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM operation_events \
             WHERE operation_id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq",
        )
        .bind(id.to_string())
        .bind(id.to_string())
        .bind(&now)
        .bind(current.status.as_str())
        .bind(to.as_str())
        .bind(input.source.as_str())
        .bind(&input.actor)
        .bind(input.raw.as_ref().map(Value::to_string))
        .bind(&input.note)
        .bind(&input.provider_ref)
        .bind(input.fee_minor)
        .bind(&input.token)
        .bind(input.details.map(|d| Value::Object(d).to_string()))
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| self.err(e))?;
        let row = sqlx::query(&format!(
            "UPDATE operations SET status = ?, fee_minor = COALESCE(?, fee_minor), \
             provider_ref = COALESCE(provider_ref, ?), token = COALESCE(token, ?), details = ?, \
             updated_at = ? WHERE id = ? RETURNING {OPERATION_COLUMNS}"
        ))
        .bind(to.as_str())
        .bind(input.fee_minor)
        .bind(&input.provider_ref)
        .bind(&input.token)
        .bind(Value::Object(details).to_string())
        .bind(&now)
        .bind(id.to_string())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| self.err(e))?;
        let op = operation_from_row(&row)?;
        tx.commit().await.map_err(|e| self.err(e))?;
        if current.status != to {
            tracing::info!(operation = %id, from = %current.status, to = %to, source = input.source.as_str(), "ledger: status changed");
        } else {
            tracing::debug!(operation = %id, seq, source = input.source.as_str(), "ledger: event recorded");
        }
        Ok(op)
    }

    /// The operation with this id, if any.
    pub async fn get(&self, id: Uuid) -> Result<Option<Operation>> {
        let mut conn = self.pool.acquire().await.map_err(|e| self.err(e))?;
        match fetch_operation(&mut conn, id)
            .await
            .map_err(|e| self.err(e))?
        {
            Some(op) => Ok(Some(op?)),
            None => Ok(None),
        }
    }

    /// The operation with this idempotency key (externalTransactionId / order_id), if any.
    pub async fn get_by_idempotency_key(&self, key: &str) -> Result<Option<Operation>> {
        let row = sqlx::query(&format!(
            "SELECT {OPERATION_COLUMNS} FROM operations WHERE idempotency_key = ?"
        ))
        .bind(key)
        .fetch_optional(&self.pool)
        .await
        .map_err(|e| self.err(e))?;
        row.as_ref().map(operation_from_row).transpose()
    }

    /// The operation the provider knows by `provider_ref`, if any (for callbacks).
    pub async fn get_by_provider_ref(
        &self,
        provider: &str,
        provider_ref: &str,
    ) -> Result<Option<Operation>> {
        let row = sqlx::query(&format!(
            "SELECT {OPERATION_COLUMNS} FROM operations WHERE provider = ? AND provider_ref = ? \
             ORDER BY created_at DESC LIMIT 1"
        ))
        .bind(provider)
        .bind(provider_ref)
        .fetch_optional(&self.pool)
        .await
        .map_err(|e| self.err(e))?;
        row.as_ref().map(operation_from_row).transpose()
    }

    /// Every event of operation `id`, in order (seq 1 first). Empty if there is no such
    /// operation.
    pub async fn events(&self, id: Uuid) -> Result<Vec<OperationEvent>> {
        let rows = sqlx::query(&format!(
            "SELECT {EVENT_COLUMNS} FROM operation_events WHERE operation_id = ? ORDER BY seq"
        ))
        .bind(id.to_string())
        .fetch_all(&self.pool)
        .await
        .map_err(|e| self.err(e))?;
        rows.iter().map(event_from_row).collect()
    }

    /// Every operation that is not final (`needs_review` included), oldest first: what the
    /// reconciler takes back on start.
    pub async fn list_non_final(&self) -> Result<Vec<Operation>> {
        let mut qb = QueryBuilder::<Sqlite>::new(format!(
            "SELECT {OPERATION_COLUMNS} FROM operations WHERE status IN ("
        ));
        let mut list = qb.separated(", ");
        for s in OperationStatus::ALL.into_iter().filter(|s| !s.is_final()) {
            list.push_bind(s.as_str());
        }
        qb.push(") ORDER BY created_at, id");
        let rows = qb
            .build()
            .fetch_all(&self.pool)
            .await
            .map_err(|e| self.err(e))?;
        rows.iter().map(operation_from_row).collect()
    }

    /// The value of setting `key` (shop name, language…), if set.
    pub async fn setting(&self, key: &str) -> Result<Option<String>> {
        sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
            .bind(key)
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| self.err(e))
    }

    /// Sets (or replaces) setting `key`. Never for secrets: keys that look like one
    /// (containing `secret`, `password`, `api_key`, or the word `key` or `otp`) are refused.
    pub async fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        let lower = key.to_ascii_lowercase();
        if key.trim().is_empty() {
            return Err(LedgerError::Invalid {
                detail: "empty setting key".into(),
            });
        }
        if SECRET_LOOKING_KEYS.iter().any(|s| lower.contains(s))
            || lower
                .split(|c: char| !c.is_ascii_alphanumeric())
                .any(|w| SECRET_LOOKING_WORDS.contains(&w))
        {
            return Err(LedgerError::Invalid {
                detail: format!("setting {key:?} looks like a secret; secrets go to the keyring"),
            });
        }
        sqlx::query(
            "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, \
             updated_at = excluded.updated_at",
        )
        .bind(key)
        .bind(value)
        .bind(ts(now()))
        .execute(&self.pool)
        .await
        .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Removes setting `key` (back to its default). `Ok(false)` when it was not set.
    pub async fn delete_setting(&self, key: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM settings WHERE key = ?")
            .bind(key)
            .execute(&self.pool)
            .await
            .map_err(|e| self.err(e))?;
        Ok(done.rows_affected() > 0)
    }

    /// Every setting, sorted by key.
    pub async fn settings(&self) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query("SELECT key, value FROM settings ORDER BY key")
            .fetch_all(&self.pool)
            .await
            .map_err(|e| self.err(e))?;
        rows.iter()
            .map(|r| Ok((r.try_get("key")?, r.try_get("value")?)))
            .collect::<std::result::Result<_, sqlx::Error>>()
            .map_err(|e| self.err(e))
    }

    /// The connection pool, for the core modules that keep their tables in the ledger file
    /// (operators, audit trail).
    pub(crate) fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

/// Now, to the millisecond (what the file stores).
fn now() -> DateTime<Utc> {
    let now = Utc::now();
    DateTime::from_timestamp_millis(now.timestamp_millis()).unwrap_or(now)
}

/// The stored form of an instant: RFC 3339 UTC, milliseconds, `Z` (sorts as text).
fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn parse_ts(s: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| LedgerError::Database {
            detail: format!("unreadable timestamp {s:?}: {e}"),
        })
}

fn is_unique_violation(e: &sqlx::Error, column: &str) -> bool {
    match e {
        sqlx::Error::Database(db) => {
            db.kind() == sqlx::error::ErrorKind::UniqueViolation && db.message().contains(column)
        }
        _ => false,
    }
}

fn write_once(
    id: Uuid,
    field: &'static str,
    existing: &Option<String>,
    new: &Option<String>,
) -> Result<()> {
    match (existing, new) {
        (Some(old), Some(new)) if old != new => Err(LedgerError::AlreadySet {
            id,
            field,
            existing: old.clone(),
            new: new.clone(),
        }),
        _ => Ok(()),
    }
}

fn invalid(detail: impl Into<String>) -> LedgerError {
    LedgerError::Invalid {
        detail: detail.into(),
    }
}

fn validate_new(new: &NewOperation) -> Result<()> {
    let key = &new.idempotency_key;
    if key.is_empty() || key.len() > 128 {
        return Err(invalid(format!(
            "idempotency key must be 1 to 128 characters, got {}",
            key.len()
        )));
    }
    if !key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ':' | '.'))
    {
        return Err(invalid(format!(
            "idempotency key {key:?} may only hold A-Z a-z 0-9 _ - : ."
        )));
    }
    for (name, value) in [
        ("provider", &new.provider),
        ("service_code", &new.service_code),
        ("kind", &new.kind),
    ] {
        if value.trim().is_empty() {
            return Err(invalid(format!("{name} is empty")));
        }
    }
    if new.amount_minor < 0 {
        return Err(invalid(format!("amount {} is negative", new.amount_minor)));
    }
    if new.fee_minor.is_some_and(|f| f < 0) {
        return Err(invalid("fee is negative"));
    }
    Ok(())
}

fn validate_event(input: &EventInput) -> Result<()> {
    if input.fee_minor.is_some_and(|f| f < 0) {
        return Err(invalid("fee is negative"));
    }
    for (name, value) in [
        ("provider_ref", &input.provider_ref),
        ("token", &input.token),
    ] {
        if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
            return Err(invalid(format!("{name} is empty")));
        }
    }
    Ok(())
}

/// Reads one operation within a connection or transaction. The outer `Result` is the query, the
/// inner one the decoding of the row.
async fn fetch_operation(
    conn: &mut sqlx::SqliteConnection,
    id: Uuid,
) -> std::result::Result<Option<Result<Operation>>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {OPERATION_COLUMNS} FROM operations WHERE id = ?"
    ))
    .bind(id.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.as_ref().map(operation_from_row))
}

fn bad_row(what: &str, value: &str) -> LedgerError {
    LedgerError::Database {
        detail: format!("unreadable {what} {value:?} in the ledger"),
    }
}

fn parse_uuid(s: &str) -> Result<Uuid> {
    Uuid::parse_str(s).map_err(|_| bad_row("id", s))
}

fn parse_status(s: &str) -> Result<OperationStatus> {
    OperationStatus::parse(s).ok_or_else(|| bad_row("status", s))
}

fn parse_details(s: &str) -> Result<Details> {
    match serde_json::from_str::<Value>(s) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(bad_row("details", s)),
    }
}

fn get<'r, T>(row: &'r SqliteRow, col: &str) -> Result<T>
where
    T: sqlx::Decode<'r, Sqlite> + sqlx::Type<Sqlite>,
{
    row.try_get(col).map_err(|e| LedgerError::Database {
        detail: format!("reading column {col}: {e}"),
    })
}

pub(crate) fn operation_from_row(row: &SqliteRow) -> Result<Operation> {
    let details: String = get(row, "details")?;
    Ok(Operation {
        id: parse_uuid(&get::<String>(row, "id")?)?,
        idempotency_key: get(row, "idempotency_key")?,
        provider: get(row, "provider")?,
        service_code: get(row, "service_code")?,
        kind: get(row, "kind")?,
        country: get(row, "country")?,
        currency: get(row, "currency")?,
        amount_minor: get(row, "amount_minor")?,
        fee_minor: get(row, "fee_minor")?,
        customer_ref: get(row, "customer_ref")?,
        invoice_ref: get(row, "invoice_ref")?,
        status: parse_status(&get::<String>(row, "status")?)?,
        provider_ref: get(row, "provider_ref")?,
        token: get(row, "token")?,
        operator_name: get(row, "operator_name")?,
        training: get(row, "training")?,
        details: parse_details(&details)?,
        created_at: parse_ts(&get::<String>(row, "created_at")?)?,
        updated_at: parse_ts(&get::<String>(row, "updated_at")?)?,
    })
}

fn event_from_row(row: &SqliteRow) -> Result<OperationEvent> {
    let source: String = get(row, "source")?;
    let raw: Option<String> = get(row, "raw")?;
    let details: Option<String> = get(row, "details")?;
    Ok(OperationEvent {
        id: get(row, "id")?,
        operation_id: parse_uuid(&get::<String>(row, "operation_id")?)?,
        seq: get(row, "seq")?,
        at: parse_ts(&get::<String>(row, "at")?)?,
        from_status: get::<Option<String>>(row, "from_status")?
            .as_deref()
            .map(parse_status)
            .transpose()?,
        to_status: parse_status(&get::<String>(row, "to_status")?)?,
        source: EventSource::parse(&source).ok_or_else(|| bad_row("source", &source))?,
        actor: get(row, "actor")?,
        raw: raw
            .as_deref()
            .map(|r| serde_json::from_str(r).map_err(|_| bad_row("raw", r)))
            .transpose()?,
        note: get(row, "note")?,
        provider_ref: get(row, "provider_ref")?,
        fee_minor: get(row, "fee_minor")?,
        token: get(row, "token")?,
        details: details.as_deref().map(parse_details).transpose()?,
    })
}
