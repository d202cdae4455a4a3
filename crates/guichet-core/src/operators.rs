//! Operators (a manager and cashiers), PIN login and lockout, in the ledger file.
//!
//! - PINs are 4 to 8 digits, stored only as argon2id PHC strings with a random salt
//!   ([`hash_pin`]); hashing and checking run on a blocking thread.
//! - **Lockout policy** ([`lock_delay`]): after [`MAX_FAILED_ATTEMPTS`] (5) wrong PINs in a row the
//!   account locks for [`FIRST_LOCK_SECS`] (30 s); while the run of wrong PINs goes on, every
//!   further wrong PIN (allowed once the lock ends) locks it again for twice as long as the
//!   previous lock — 30 s, 1 min, 2 min, 4 min, 8 min — up to [`MAX_LOCK_SECS`] (15 min). A
//!   correct PIN, or a manager's [`Operators::unlock`] / [`Operators::reset_pin`], ends the run.
//!   Attempts during a lock are refused without checking the PIN.
//! - Time is passed in (`now`), so the policy is tested without sleeping.
//! - Logins, wrong PINs, lockouts, account creation and PIN changes go to the [`Audit`] trail, in
//!   the same transaction as the change they record. A name that matches no operator is recorded
//!   without the text typed (it may be a PIN typed in the wrong box).
//! - A [`Session`] comes only from a successful login; the calls that need a role take one.

mod error;

use chrono::{DateTime, Duration, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use serde_json::json;
use sqlx::sqlite::{SqlitePool, SqliteRow};
use sqlx::{Row, SqliteConnection};
use ts_rs::TS;

pub use error::OperatorError;

use crate::audit::{self, Audit, AuditAction};
use crate::ledger::Ledger;

/// The per-operator turn for PIN checks in this process, by ledger file and operator id.
fn attempt_turn(
    ledger: &std::path::Path,
    operator_id: i64,
) -> std::sync::Arc<tokio::sync::Mutex<()>> {
    type Turns = std::collections::HashMap<
        (std::path::PathBuf, i64),
        std::sync::Arc<tokio::sync::Mutex<()>>,
    >;
    static TURNS: std::sync::LazyLock<std::sync::Mutex<Turns>> =
        std::sync::LazyLock::new(Default::default);
    let mut turns = TURNS.lock().unwrap_or_else(|p| p.into_inner());
    turns
        .entry((ledger.to_path_buf(), operator_id))
        .or_default()
        .clone()
}

/// Result of an operators call.
pub type Result<T, E = OperatorError> = std::result::Result<T, E>;

/// Wrong PINs in a row before the account locks.
pub const MAX_FAILED_ATTEMPTS: u32 = 5;
/// The first lock, in seconds; each further wrong PIN doubles it.
pub const FIRST_LOCK_SECS: i64 = 30;
/// The longest lock, in seconds (15 minutes).
pub const MAX_LOCK_SECS: i64 = 15 * 60;
/// Shortest and longest PIN, in digits.
pub const PIN_DIGITS: std::ops::RangeInclusive<usize> = 4..=8;
/// Longest operator name, in characters.
const MAX_NAME_CHARS: usize = 64;
/// The actor recorded for a login attempt under a name that matches no operator.
const UNKNOWN_ACTOR: &str = "unknown";

/// How long the account locks after `failed_attempts` wrong PINs in a row: nothing below
/// [`MAX_FAILED_ATTEMPTS`], then 30 s, 60 s, 120 s… doubling with each further wrong PIN, at most
/// [`MAX_LOCK_SECS`].
pub fn lock_delay(failed_attempts: u32) -> Option<Duration> {
    let beyond = failed_attempts.checked_sub(MAX_FAILED_ATTEMPTS)?;
    // 2^beyond, without overflow: past 2^5 the cap is reached anyway.
    let secs = FIRST_LOCK_SECS.saturating_mul(1_i64 << beyond.min(20));
    Some(Duration::seconds(secs.min(MAX_LOCK_SECS)))
}

/// What an operator may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Settings, keys, operators, mode switch, kiosk exit, and selling.
    Manager,
    /// Selling and reprinting.
    Cashier,
}

impl Role {
    /// The stored name (`manager`, `cashier`).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Manager => "manager",
            Role::Cashier => "cashier",
        }
    }

    /// Parses [`Role::as_str`]'s names.
    pub fn parse(name: &str) -> Option<Role> {
        match name {
            "manager" => Some(Role::Manager),
            "cashier" => Some(Role::Cashier),
            _ => None,
        }
    }
}

/// An operator as listed (never their PIN hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Operator {
    /// Stable id.
    #[ts(type = "number")]
    pub id: i64,
    /// Name shown at login and on receipts.
    pub name: String,
    /// Manager or cashier.
    pub role: Role,
    /// Wrong PINs in a row since the last successful login.
    pub failed_attempts: u32,
    /// Login refused until then, when locked (it may be in the past: the lock has ended).
    #[ts(type = "string | null")]
    pub locked_until: Option<DateTime<Utc>>,
    /// When the account was created.
    #[ts(type = "string")]
    pub created_at: DateTime<Utc>,
}

/// A signed-in operator: the proof of identity the role-checked calls take. Only a successful
/// [`Operators::login`] makes one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Session {
    #[ts(type = "number")]
    operator_id: i64,
    name: String,
    role: Role,
}

impl Session {
    /// The console's standing session (`guichetctl`, run by whoever holds the machine's
    /// account): a manager's rights under `name`, operator id 0, no PIN.
    pub(crate) fn console(name: &str) -> Session {
        Session {
            operator_id: 0,
            name: name.to_owned(),
            role: Role::Manager,
        }
    }

    /// The operator's id.
    pub fn operator_id(&self) -> i64 {
        self.operator_id
    }

    /// The operator's name (recorded on operations and in the audit trail).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The operator's role.
    pub fn role(&self) -> Role {
        self.role
    }

    /// `Ok` for a manager, [`OperatorError::Forbidden`] otherwise.
    pub fn require_manager(&self) -> Result<()> {
        match self.role {
            Role::Manager => Ok(()),
            Role::Cashier => Err(OperatorError::Forbidden),
        }
    }
}

/// The operators of the till, in the ledger file. Cheap to clone (a shared connection pool).
#[derive(Debug, Clone)]
pub struct Operators {
    pool: SqlitePool,
    audit: Audit,
}

/// An operator row with what login needs.
struct Account {
    id: i64,
    name: String,
    role: Role,
    pin_hash: String,
    locked_until: Option<DateTime<Utc>>,
}

impl Operators {
    /// The operators kept in this ledger.
    pub fn new(ledger: &Ledger) -> Operators {
        Operators {
            pool: ledger.pool().clone(),
            audit: Audit::new(ledger),
        }
    }

    /// The audit trail the operators' events go to.
    pub fn audit(&self) -> &Audit {
        &self.audit
    }

    /// True once the first-run manager exists.
    pub async fn has_manager(&self) -> Result<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM operators WHERE role = 'manager'")
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }

    /// First run: creates the manager. Refused ([`OperatorError::ManagerExists`]) once one exists.
    pub async fn create_manager(&self, name: &str, pin: &str) -> Result<Operator> {
        self.create(None, name, pin, Role::Manager).await
    }

    /// A manager creates a cashier.
    pub async fn create_cashier(&self, by: &Session, name: &str, pin: &str) -> Result<Operator> {
        by.require_manager()?;
        self.create(Some(by), name, pin, Role::Cashier).await
    }

    /// A manager creates an operator of either role (a second manager, say).
    pub async fn create_operator(
        &self,
        by: &Session,
        name: &str,
        pin: &str,
        role: Role,
    ) -> Result<Operator> {
        by.require_manager()?;
        self.create(Some(by), name, pin, role).await
    }

    async fn create(
        &self,
        by: Option<&Session>,
        name: &str,
        pin: &str,
        role: Role,
    ) -> Result<Operator> {
        let name = check_name(name)?;
        check_pin(pin)?;
        let hash = hash_pin_blocking(pin).await?;
        let now = Utc::now();
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        if by.is_none() {
            let managers: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM operators WHERE role = 'manager'")
                    .fetch_one(&mut *tx)
                    .await?;
            if managers > 0 {
                return Err(OperatorError::ManagerExists);
            }
        }
        let inserted = sqlx::query(
            "INSERT INTO operators (name, role, pin_hash, failed_attempts, locked_until, \
             created_at, updated_at) VALUES (?, ?, ?, 0, NULL, ?, ?)",
        )
        .bind(&name)
        .bind(role.as_str())
        .bind(&hash)
        .bind(audit::ts(now))
        .bind(audit::ts(now))
        .execute(&mut *tx)
        .await;
        let id = match inserted {
            Ok(done) => done.last_insert_rowid(),
            Err(sqlx::Error::Database(db))
                if db.kind() == sqlx::error::ErrorKind::UniqueViolation =>
            {
                return Err(OperatorError::NameTaken { name });
            }
            Err(e) => return Err(e.into()),
        };
        let actor = by.map_or(name.as_str(), |s| s.name());
        self.audit
            .append_in(
                &mut tx,
                now,
                actor,
                &AuditAction::OperatorCreated,
                json!({"operator_id": id, "name": name, "role": role.as_str()}),
            )
            .await?;
        let op = fetch_operator(&mut tx, id)
            .await?
            .ok_or(OperatorError::Unknown)?;
        tx.commit().await?;
        tracing::info!(
            operator_id = id,
            role = role.as_str(),
            "operators: operator created"
        );
        Ok(op)
    }

    /// Signs in the operator named `name_or_id` (a name, whatever the case, or an id in digits)
    /// with `pin` at instant `now`. Applies the lockout policy (module docs) and records the
    /// attempt in the audit trail.
    pub async fn login(&self, name_or_id: &str, pin: &str, now: DateTime<Utc>) -> Result<Session> {
        // A malformed PIN cannot be right: refused without counting (the UI checks it first).
        check_pin(pin)?;
        let Some(account) = self.find(name_or_id).await? else {
            self.audit
                .append_at(
                    now,
                    UNKNOWN_ACTOR,
                    AuditAction::LoginFailed,
                    json!({"reason": "unknown_operator"}),
                )
                .await?;
            return Err(OperatorError::Unknown);
        };
        self.check_pin_attempt(&account, pin, now).await?;
        Ok(Session {
            operator_id: account.id,
            name: account.name,
            role: account.role,
        })
    }

    /// The signed-in operator changes their own PIN, giving the current one (a wrong current PIN
    /// counts towards the lockout like a wrong login).
    pub async fn change_pin(
        &self,
        session: &Session,
        current_pin: &str,
        new_pin: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        check_pin(current_pin)?;
        check_pin(new_pin)?;
        let account = self
            .find_by_id(session.operator_id)
            .await?
            .ok_or(OperatorError::Unknown)?;
        self.check_pin_attempt(&account, current_pin, now).await?;
        let hash = hash_pin_blocking(new_pin).await?;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        set_pin_hash(&mut tx, account.id, &hash, now).await?;
        self.audit
            .append_in(
                &mut tx,
                now,
                &account.name,
                &AuditAction::PinChanged,
                json!({"operator_id": account.id}),
            )
            .await?;
        tx.commit().await?;
        tracing::info!(operator_id = account.id, "operators: PIN changed");
        Ok(())
    }

    /// A manager sets another operator's PIN (a forgotten PIN); this also unlocks the account.
    pub async fn reset_pin(
        &self,
        by: &Session,
        operator_id: i64,
        new_pin: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        by.require_manager()?;
        check_pin(new_pin)?;
        let account = self
            .find_by_id(operator_id)
            .await?
            .ok_or(OperatorError::Unknown)?;
        let hash = hash_pin_blocking(new_pin).await?;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        set_pin_hash(&mut tx, account.id, &hash, now).await?;
        self.audit
            .append_in(
                &mut tx,
                now,
                by.name(),
                &AuditAction::PinReset,
                json!({"operator_id": account.id, "name": account.name}),
            )
            .await?;
        tx.commit().await?;
        tracing::info!(
            operator_id = account.id,
            "operators: PIN reset by a manager"
        );
        Ok(())
    }

    /// A manager ends a lock and the run of wrong PINs.
    pub async fn unlock(&self, by: &Session, operator_id: i64, now: DateTime<Utc>) -> Result<()> {
        by.require_manager()?;
        let account = self
            .find_by_id(operator_id)
            .await?
            .ok_or(OperatorError::Unknown)?;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query(
            "UPDATE operators SET failed_attempts = 0, locked_until = NULL, updated_at = ? \
             WHERE id = ?",
        )
        .bind(audit::ts(now))
        .bind(account.id)
        .execute(&mut *tx)
        .await?;
        self.audit
            .append_in(
                &mut tx,
                now,
                by.name(),
                &AuditAction::Unlocked,
                json!({"operator_id": account.id, "name": account.name}),
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every operator, managers first, then by name.
    pub async fn list(&self) -> Result<Vec<Operator>> {
        let rows = sqlx::query(
            "SELECT id, name, role, failed_attempts, locked_until, created_at FROM operators \
             ORDER BY role = 'cashier', name COLLATE NOCASE, id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(operator_from_row).collect()
    }

    /// The operator with this id, if any.
    pub async fn get(&self, id: i64) -> Result<Option<Operator>> {
        let mut conn = self.pool.acquire().await?;
        fetch_operator(&mut conn, id).await
    }

    /// Checks `pin` against `account` at `now` and applies the lockout policy, recording the
    /// attempt. `Ok` when the PIN is right (the run of wrong PINs ends).
    async fn check_pin_attempt(
        &self,
        account: &Account,
        pin: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        // One attempt at a time per operator in this process: attempts fired together are
        // checked in turn, each against the lock the previous one may have set.
        let turn = attempt_turn(self.pool.connect_options().get_filename(), account.id);
        let _turn = turn.lock().await;
        let account = &self
            .find_by_id(account.id)
            .await?
            .ok_or(OperatorError::Unknown)?;
        if let Some(until) = account.locked_until.filter(|u| *u > now) {
            self.audit
                .append_at(
                    now,
                    &account.name,
                    AuditAction::LoginFailed,
                    json!({"operator_id": account.id, "reason": "locked"}),
                )
                .await?;
            return Err(OperatorError::Locked { until });
        }
        let right = verify_pin_blocking(pin, &account.pin_hash).await?;

        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        // Read the counter and the lock again inside the write transaction: another process's
        // attempt may have counted, or locked the account, meanwhile.
        let (failed, locked): (i64, Option<String>) =
            sqlx::query_as("SELECT failed_attempts, locked_until FROM operators WHERE id = ?")
                .bind(account.id)
                .fetch_one(&mut *tx)
                .await?;
        let locked = locked
            .as_deref()
            .and_then(audit::parse_ts)
            .filter(|u| *u > now);
        if let Some(until) = locked {
            self.audit
                .append_in(
                    &mut tx,
                    now,
                    &account.name,
                    &AuditAction::LoginFailed,
                    json!({"operator_id": account.id, "reason": "locked"}),
                )
                .await?;
            tx.commit().await?;
            return Err(OperatorError::Locked { until });
        }
        let failed = u32::try_from(failed).unwrap_or(u32::MAX);
        if right {
            sqlx::query(
                "UPDATE operators SET failed_attempts = 0, locked_until = NULL, updated_at = ? \
                 WHERE id = ?",
            )
            .bind(audit::ts(now))
            .bind(account.id)
            .execute(&mut *tx)
            .await?;
            self.audit
                .append_in(
                    &mut tx,
                    now,
                    &account.name,
                    &AuditAction::Login,
                    json!({"operator_id": account.id, "role": account.role.as_str()}),
                )
                .await?;
            tx.commit().await?;
            tracing::info!(operator_id = account.id, "operators: PIN accepted");
            return Ok(());
        }

        let failed = failed.saturating_add(1);
        let until = lock_delay(failed).map(|d| now + d);
        sqlx::query(
            "UPDATE operators SET failed_attempts = ?, \
             locked_until = COALESCE(?, locked_until), updated_at = ? WHERE id = ?",
        )
        .bind(i64::from(failed))
        .bind(until.map(audit::ts))
        .bind(audit::ts(now))
        .bind(account.id)
        .execute(&mut *tx)
        .await?;
        let remaining = MAX_FAILED_ATTEMPTS.saturating_sub(failed);
        self.audit
            .append_in(
                &mut tx,
                now,
                &account.name,
                &AuditAction::LoginFailed,
                json!({"operator_id": account.id, "reason": "wrong_pin", "failed_attempts": failed,
                   "remaining": remaining}),
            )
            .await?;
        if let Some(until) = until {
            self.audit
                .append_in(
                    &mut tx,
                    now,
                    &account.name,
                    &AuditAction::Locked,
                    json!({"operator_id": account.id, "failed_attempts": failed,
                       "until": audit::ts(until), "seconds": (until - now).num_seconds()}),
                )
                .await?;
        }
        tx.commit().await?;
        match until {
            Some(until) => {
                tracing::warn!(operator_id = account.id, failed, until = %audit::ts(until), "operators: account locked");
                Err(OperatorError::Locked { until })
            }
            None => {
                tracing::info!(operator_id = account.id, failed, "operators: wrong PIN");
                Err(OperatorError::WrongPin { remaining })
            }
        }
    }

    async fn find(&self, name_or_id: &str) -> Result<Option<Account>> {
        let key = name_or_id.trim();
        if key.is_empty() {
            return Ok(None);
        }
        if key.chars().all(|c| c.is_ascii_digit()) {
            return match key.parse::<i64>() {
                Ok(id) => self.find_by_id(id).await,
                Err(_) => Ok(None),
            };
        }
        let row = sqlx::query(
            "SELECT id, name, role, pin_hash, failed_attempts, locked_until FROM operators \
             WHERE name = ? COLLATE NOCASE",
        )
        .bind(key)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(account_from_row).transpose()
    }

    async fn find_by_id(&self, id: i64) -> Result<Option<Account>> {
        let row = sqlx::query(
            "SELECT id, name, role, pin_hash, failed_attempts, locked_until FROM operators \
             WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(account_from_row).transpose()
    }
}

/// `Ok` for 4 to 8 ASCII digits.
pub fn check_pin(pin: &str) -> Result<()> {
    if PIN_DIGITS.contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(OperatorError::InvalidPin)
    }
}

/// The argon2id PHC string of `pin`, with a fresh random salt (argon2 defaults: 19 MiB, 2
/// passes, 1 lane). Slow on purpose: call it off the async runtime.
pub fn hash_pin(pin: &str) -> Result<String> {
    use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
    check_pin(pin)?;
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(pin.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| OperatorError::Hashing {
            detail: e.to_string(),
        })
}

/// True when `pin` matches the PHC string `hash`.
pub fn verify_pin(pin: &str, hash: &str) -> Result<bool> {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    let parsed = PasswordHash::new(hash).map_err(|e| OperatorError::Hashing {
        detail: e.to_string(),
    })?;
    Ok(hasher().verify_password(pin.as_bytes(), &parsed).is_ok())
}

fn hasher() -> argon2::Argon2<'static> {
    argon2::Argon2::new(
        argon2::Algorithm::Argon2id,
        argon2::Version::V0x13,
        argon2::Params::default(),
    )
}

async fn hash_pin_blocking(pin: &str) -> Result<String> {
    let pin = SecretString::from(pin.to_owned());
    tokio::task::spawn_blocking(move || hash_pin(pin.expose_secret()))
        .await
        .map_err(|e| OperatorError::Hashing {
            detail: e.to_string(),
        })?
}

async fn verify_pin_blocking(pin: &str, hash: &str) -> Result<bool> {
    let pin = SecretString::from(pin.to_owned());
    let hash = hash.to_owned();
    tokio::task::spawn_blocking(move || verify_pin(pin.expose_secret(), &hash))
        .await
        .map_err(|e| OperatorError::Hashing {
            detail: e.to_string(),
        })?
}

fn check_name(name: &str) -> Result<String> {
    let name = name.trim();
    let refuse = |reason: &str| {
        Err(OperatorError::InvalidName {
            reason: reason.into(),
        })
    };
    if name.is_empty() {
        return refuse("empty");
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return refuse("longer than 64 characters");
    }
    if name.chars().all(|c| c.is_ascii_digit()) {
        return refuse("only digits");
    }
    if name.chars().any(char::is_control) {
        return refuse("control characters");
    }
    Ok(name.to_owned())
}

async fn set_pin_hash(
    conn: &mut SqliteConnection,
    id: i64,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "UPDATE operators SET pin_hash = ?, failed_attempts = 0, locked_until = NULL, \
         updated_at = ? WHERE id = ?",
    )
    .bind(hash)
    .bind(audit::ts(now))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn fetch_operator(conn: &mut SqliteConnection, id: i64) -> Result<Option<Operator>> {
    let row = sqlx::query(
        "SELECT id, name, role, failed_attempts, locked_until, created_at FROM operators \
         WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(operator_from_row).transpose()
}

fn bad(what: &str, value: &str) -> OperatorError {
    OperatorError::Database {
        detail: format!("unreadable {what} {value:?} in the operators table"),
    }
}

fn role_of(row: &SqliteRow) -> Result<Role> {
    let role: String = row.try_get("role")?;
    Role::parse(&role).ok_or_else(|| bad("role", &role))
}

fn time_of(row: &SqliteRow, col: &str) -> Result<Option<DateTime<Utc>>> {
    let text: Option<String> = row.try_get(col)?;
    text.map(|t| audit::parse_ts(&t).ok_or_else(|| bad(col, &t)))
        .transpose()
}

fn count_of(row: &SqliteRow) -> Result<u32> {
    let n: i64 = row.try_get("failed_attempts")?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

fn account_from_row(row: &SqliteRow) -> Result<Account> {
    Ok(Account {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        role: role_of(row)?,
        pin_hash: row.try_get("pin_hash")?,
        locked_until: time_of(row, "locked_until")?,
    })
}

fn operator_from_row(row: &SqliteRow) -> Result<Operator> {
    Ok(Operator {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        role: role_of(row)?,
        failed_attempts: count_of(row)?,
        locked_until: time_of(row, "locked_until")?,
        created_at: time_of(row, "created_at")?.ok_or_else(|| bad("created_at", "NULL"))?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_grows_and_is_capped() {
        for n in 0..MAX_FAILED_ATTEMPTS {
            assert_eq!(lock_delay(n), None, "{n}");
        }
        let secs: Vec<i64> = (5..=12)
            .map(|n| lock_delay(n).unwrap().num_seconds())
            .collect();
        assert_eq!(secs, [30, 60, 120, 240, 480, 900, 900, 900]);
        assert_eq!(lock_delay(u32::MAX).unwrap().num_seconds(), MAX_LOCK_SECS);
    }

    #[test]
    fn pins_are_four_to_eight_digits() {
        for ok in ["0000", "1234", "12345678", "0042"] {
            assert!(check_pin(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "123",
            "123456789",
            "12a4",
            "12 34",
            " 1234",
            "１２３４",
            "-123",
        ] {
            assert_eq!(check_pin(bad), Err(OperatorError::InvalidPin), "{bad}");
        }
    }

    #[test]
    fn hashes_are_argon2id_with_a_random_salt() {
        let a = hash_pin("2468").unwrap();
        let b = hash_pin("2468").unwrap();
        assert!(a.starts_with("$argon2id$v=19$"), "{a}");
        assert_ne!(a, b, "a fresh salt each time");
        assert!(!a.contains("2468"));
        assert!(verify_pin("2468", &a).unwrap());
        assert!(!verify_pin("2469", &a).unwrap());
        assert_eq!(hash_pin("12"), Err(OperatorError::InvalidPin));
    }

    #[test]
    fn names() {
        assert_eq!(check_name("  Awa Ndiaye ").unwrap(), "Awa Ndiaye");
        for bad in ["", "   ", "1234", &"x".repeat(65), "A\nB"] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn only_managers_pass_require_manager() {
        let s = |role| Session {
            operator_id: 1,
            name: "Awa".into(),
            role,
        };
        assert!(s(Role::Manager).require_manager().is_ok());
        assert_eq!(
            s(Role::Cashier).require_manager(),
            Err(OperatorError::Forbidden)
        );
    }
}
