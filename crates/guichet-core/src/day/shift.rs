//! Shifts in the ledger: open with a counted float, cash movements with a reason, close with a
//! counted amount (a difference needs a manager's note) and the frozen Z report.
//!
//! One open shift per till is a rule of the database (a partial unique index): two processes
//! opening at once get one shift and one `shift_already_open`. Every operation joins the shift
//! open when its intent is written, in that same transaction (a trigger of migration 0004). A
//! shift is rows in the ledger, so it stays open over a restart or a crash.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};
use ts_rs::TS;

use super::count::{CashCount, Counted};
use super::float::{self, Moment};
use super::report::{self, ReportKind, ShiftReport};
use super::DayError;
use crate::ledger::{Ledger, LedgerError};
use crate::till::TillError;

/// One provider's balance as just read: the amount and currency, or why it could not be read
/// (a stable code).
pub type ProviderBalance = (crate::catalog::Provider, Result<(i64, String), String>);

/// The till's name in the `shifts` table (one ledger is one till).
pub const TILL: &str = "main";

/// Longest reason or approval note, in characters.
pub const NOTE_MAX_CHARS: usize = 200;

/// One shift at the till.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Shift {
    /// Its number.
    #[ts(type = "number")]
    pub id: i64,
    /// The operator who opened it.
    pub opened_by: String,
    /// When.
    #[ts(type = "string")]
    pub opened_at: DateTime<Utc>,
    /// ISO 4217 currency of the drawer.
    pub currency: String,
    /// The counted opening float.
    #[ts(type = "number")]
    pub opening_float_minor: i64,
    /// How it was counted, when note by note.
    pub opening_count: Option<CashCount>,
    /// Who closed it.
    pub closed_by: Option<String>,
    /// When.
    #[ts(type = "string | null")]
    pub closed_at: Option<DateTime<Utc>>,
    /// What the drawer should have held at close.
    #[ts(type = "number | null")]
    pub expected_minor: Option<i64>,
    /// What was counted at close.
    #[ts(type = "number | null")]
    pub counted_minor: Option<i64>,
    /// How it was counted, when note by note.
    pub closing_count: Option<CashCount>,
    /// The manager who approved a difference.
    pub approved_by: Option<String>,
    /// Their note.
    pub approval_note: Option<String>,
    /// The Z report's number, once closed.
    #[ts(type = "number | null")]
    pub z_number: Option<i64>,
}

impl Shift {
    /// True until it is closed.
    pub fn is_open(&self) -> bool {
        self.closed_at.is_none()
    }

    /// counted − expected, once closed.
    pub fn difference_minor(&self) -> Option<i64> {
        Some(self.counted_minor? - self.expected_minor?)
    }
}

/// In or out of the drawer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Paid into the drawer (float top-up).
    In,
    /// Taken out of the drawer (expense, bank deposit).
    Out,
}

impl Direction {
    fn as_str(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
        }
    }
}

/// Cash paid in or out for another reason than a sale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CashMovement {
    /// Row id.
    #[ts(type = "number")]
    pub id: i64,
    /// The shift it belongs to.
    #[ts(type = "number")]
    pub shift_id: i64,
    /// When.
    #[ts(type = "string")]
    pub at: DateTime<Utc>,
    /// Who recorded it.
    pub operator: String,
    /// In or out.
    pub direction: Direction,
    /// How much, always above zero.
    #[ts(type = "number")]
    pub amount_minor: i64,
    /// Why.
    pub reason: String,
}

/// A manager's approval of a cash difference: their name, PIN (asked again) and note. Its
/// `Debug` never shows the PIN.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct Approval {
    /// The manager's name.
    pub manager: String,
    /// Their PIN.
    #[ts(type = "string")]
    pub pin: SecretString,
    /// Why the difference is accepted.
    pub note: String,
}

/// The stored form of an instant (what the ledger writes everywhere).
pub(crate) fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn parse_ts(s: &str) -> Result<DateTime<Utc>, TillError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| DayError::Report(format!("timestamp {s:?}: {e}")).into())
}

fn db(ledger: &Ledger, e: sqlx::Error) -> TillError {
    LedgerError::from_sqlx(ledger.path(), e).into()
}

const SHIFT_COLUMNS: &str = "s.id, s.opened_by, s.opened_at, s.currency, s.opening_float_minor, \
     s.opening_count, s.closed_by, s.closed_at, s.expected_minor, s.counted_minor, \
     s.closing_count, s.approved_by, s.approval_note, z.number AS z_number";

fn count_of(json: Option<String>) -> Result<Option<CashCount>, TillError> {
    json.map(|j| {
        serde_json::from_str(&j).map_err(|e| DayError::Report(format!("cash count: {e}")).into())
    })
    .transpose()
}

fn shift_from_row(row: &SqliteRow) -> Result<Shift, TillError> {
    let get = |e: sqlx::Error| TillError::from(DayError::Report(e.to_string()));
    let closed_at: Option<String> = row.try_get("closed_at").map_err(get)?;
    Ok(Shift {
        id: row.try_get("id").map_err(get)?,
        opened_by: row.try_get("opened_by").map_err(get)?,
        opened_at: parse_ts(&row.try_get::<String, _>("opened_at").map_err(get)?)?,
        currency: row.try_get("currency").map_err(get)?,
        opening_float_minor: row.try_get("opening_float_minor").map_err(get)?,
        opening_count: count_of(row.try_get("opening_count").map_err(get)?)?,
        closed_by: row.try_get("closed_by").map_err(get)?,
        closed_at: closed_at.as_deref().map(parse_ts).transpose()?,
        expected_minor: row.try_get("expected_minor").map_err(get)?,
        counted_minor: row.try_get("counted_minor").map_err(get)?,
        closing_count: count_of(row.try_get("closing_count").map_err(get)?)?,
        approved_by: row.try_get("approved_by").map_err(get)?,
        approval_note: row.try_get("approval_note").map_err(get)?,
        z_number: row.try_get("z_number").map_err(get)?,
    })
}

async fn fetch(
    conn: &mut SqliteConnection,
    filter: &str,
    bind: Option<i64>,
) -> Result<Vec<SqliteRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {SHIFT_COLUMNS} FROM shifts s LEFT JOIN z_reports z ON z.shift_id = s.id \
         WHERE {filter} ORDER BY s.id"
    );
    let mut q = sqlx::query(&sql);
    if let Some(b) = bind {
        q = q.bind(b);
    }
    q.fetch_all(&mut *conn).await
}

/// The open shift of the till, if any.
pub async fn current(ledger: &Ledger) -> Result<Option<Shift>, TillError> {
    let mut conn = ledger.pool().acquire().await.map_err(|e| db(ledger, e))?;
    current_in(ledger, &mut conn).await
}

async fn current_in(
    ledger: &Ledger,
    conn: &mut SqliteConnection,
) -> Result<Option<Shift>, TillError> {
    let rows = fetch(conn, "s.closed_at IS NULL", None)
        .await
        .map_err(|e| db(ledger, e))?;
    rows.first().map(shift_from_row).transpose()
}

/// One shift by its number.
pub async fn get(ledger: &Ledger, id: i64) -> Result<Shift, TillError> {
    let mut conn = ledger.pool().acquire().await.map_err(|e| db(ledger, e))?;
    get_in(ledger, &mut conn, id).await
}

async fn get_in(ledger: &Ledger, conn: &mut SqliteConnection, id: i64) -> Result<Shift, TillError> {
    let rows = fetch(conn, "s.id = ?", Some(id))
        .await
        .map_err(|e| db(ledger, e))?;
    match rows.first() {
        Some(row) => shift_from_row(row),
        None => Err(DayError::ShiftNotFound { id }.into()),
    }
}

/// Every shift opened on `day` (UTC, which is Dakar's time all year), oldest first.
pub async fn opened_on(ledger: &Ledger, day: NaiveDate) -> Result<Vec<Shift>, TillError> {
    let mut conn = ledger.pool().acquire().await.map_err(|e| db(ledger, e))?;
    let sql = format!(
        "SELECT {SHIFT_COLUMNS} FROM shifts s LEFT JOIN z_reports z ON z.shift_id = s.id \
         WHERE substr(s.opened_at, 1, 10) = ? ORDER BY s.id"
    );
    let rows = sqlx::query(&sql)
        .bind(day.format("%Y-%m-%d").to_string())
        .fetch_all(&mut *conn)
        .await
        .map_err(|e| db(ledger, e))?;
    rows.iter().map(shift_from_row).collect()
}

/// Opens a shift with the counted float. `shift_already_open` when one is open, even when
/// another process opened it a moment ago (the database refuses the second).
pub async fn open(
    ledger: &Ledger,
    operator: &str,
    now: DateTime<Utc>,
    float: &Counted,
) -> Result<Shift, TillError> {
    let total = float.total_minor()?;
    let detail = float
        .detail()
        .map(|c| serde_json::to_string(c).expect("a count serializes"));
    let inserted = sqlx::query(
        "INSERT INTO shifts (till, opened_by, opened_at, currency, opening_float_minor, \
         opening_count) VALUES (?, ?, ?, 'XOF', ?, ?)",
    )
    .bind(TILL)
    .bind(operator)
    .bind(ts(now))
    .bind(total)
    .bind(detail)
    .execute(ledger.pool())
    .await;
    match inserted {
        Ok(done) => get(ledger, done.last_insert_rowid()).await,
        Err(e) if is_unique_violation(&e) => {
            let opened_by = current(ledger)
                .await?
                .map(|s| s.opened_by)
                .unwrap_or_default();
            Err(DayError::ShiftAlreadyOpen { opened_by }.into())
        }
        Err(e) => Err(db(ledger, e)),
    }
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .is_some_and(|d| d.is_unique_violation())
}

/// Checks a reason or note: trimmed, not empty, at most [`NOTE_MAX_CHARS`].
pub(crate) fn check_note(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty() && t.chars().count() <= NOTE_MAX_CHARS).then(|| t.to_owned())
}

/// Records cash paid in or out of the open shift's drawer, with its reason.
pub async fn add_movement(
    ledger: &Ledger,
    operator: &str,
    now: DateTime<Utc>,
    direction: Direction,
    amount_minor: i64,
    reason: &str,
) -> Result<CashMovement, TillError> {
    if amount_minor <= 0 {
        return Err(DayError::InvalidMovement("amount").into());
    }
    let reason = check_note(reason).ok_or(DayError::InvalidMovement("reason"))?;
    let mut tx = ledger
        .pool()
        .begin_with("BEGIN IMMEDIATE")
        .await
        .map_err(|e| db(ledger, e))?;
    let shift = current_in(ledger, &mut tx)
        .await?
        .ok_or(DayError::NoOpenShift)?;
    let done = sqlx::query(
        "INSERT INTO cash_movements (shift_id, at, operator, direction, amount_minor, reason) \
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(shift.id)
    .bind(ts(now))
    .bind(operator)
    .bind(direction.as_str())
    .bind(amount_minor)
    .bind(&reason)
    .execute(&mut *tx)
    .await
    .map_err(|e| db(ledger, e))?;
    tx.commit().await.map_err(|e| db(ledger, e))?;
    Ok(CashMovement {
        id: done.last_insert_rowid(),
        shift_id: shift.id,
        at: DateTime::from_timestamp_millis(now.timestamp_millis()).unwrap_or(now),
        operator: operator.to_owned(),
        direction,
        amount_minor,
        reason,
    })
}

/// The cash movements of a shift, oldest first.
pub(crate) async fn movements_in(
    conn: &mut SqliteConnection,
    shift_id: i64,
) -> Result<Vec<CashMovement>, TillError> {
    let rows = sqlx::query(
        "SELECT id, shift_id, at, operator, direction, amount_minor, reason FROM cash_movements \
         WHERE shift_id = ? ORDER BY id",
    )
    .bind(shift_id)
    .fetch_all(&mut *conn)
    .await
    .map_err(|e| DayError::Report(e.to_string()))?;
    rows.iter()
        .map(|r| {
            let get = |e: sqlx::Error| TillError::from(DayError::Report(e.to_string()));
            let direction: String = r.try_get("direction").map_err(get)?;
            Ok(CashMovement {
                id: r.try_get("id").map_err(get)?,
                shift_id: r.try_get("shift_id").map_err(get)?,
                at: parse_ts(&r.try_get::<String, _>("at").map_err(get)?)?,
                operator: r.try_get("operator").map_err(get)?,
                direction: if direction == "in" {
                    Direction::In
                } else {
                    Direction::Out
                },
                amount_minor: r.try_get("amount_minor").map_err(get)?,
                reason: r.try_get("reason").map_err(get)?,
            })
        })
        .collect()
}

/// The report of a shift as it stands now (an X report of an open shift), read in one snapshot.
pub async fn x_report(
    ledger: &Ledger,
    shift_id: i64,
    now: DateTime<Utc>,
) -> Result<ShiftReport, TillError> {
    let mut tx = ledger.pool().begin().await.map_err(|e| db(ledger, e))?;
    let shift = get_in(ledger, &mut tx, shift_id).await?;
    let report = report::build(&mut tx, &shift, ReportKind::X, now).await?;
    tx.commit().await.map_err(|e| db(ledger, e))?;
    Ok(report)
}

/// Closes the open shift `shift_id` with the counted cash. In one write transaction: the
/// expected cash is computed from the ledger as it then is (no operation or movement can join
/// meanwhile), the shift is closed and its Z report stored with the next number. A difference
/// is refused without `approval` (the manager's name and note, already checked by the desk).
/// `floats` are the providers' balances read just before (outside the transaction): stored as
/// the shift's closing readings with the close, so its Z shows them.
pub async fn close(
    ledger: &Ledger,
    shift_id: i64,
    operator: &str,
    now: DateTime<Utc>,
    counted: &Counted,
    approval: Option<(&str, &str)>,
    floats: Vec<ProviderBalance>,
) -> Result<(Shift, ShiftReport), TillError> {
    let counted_minor = counted.total_minor()?;
    let mut tx = ledger
        .pool()
        .begin_with("BEGIN IMMEDIATE")
        .await
        .map_err(|e| db(ledger, e))?;
    let mut shift = get_in(ledger, &mut tx, shift_id).await?;
    if !shift.is_open() {
        return Err(DayError::ShiftNotOpen { id: shift_id }.into());
    }
    let number: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(number), 0) + 1 FROM z_reports")
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| db(ledger, e))?;
    // The Z is the report at this instant, with the close written on it.
    shift.closed_by = Some(operator.to_owned());
    shift.closed_at = Some(DateTime::from_timestamp_millis(now.timestamp_millis()).unwrap_or(now));
    shift.counted_minor = Some(counted_minor);
    shift.closing_count = counted.detail().cloned();
    shift.z_number = Some(number);
    for (provider, read) in floats {
        float::record_in(&mut tx, provider, now, Some(shift_id), Moment::Close, read)
            .await
            .map_err(|e| db(ledger, e))?;
    }
    let mut z = report::build(&mut tx, &shift, ReportKind::Z, now).await?;
    let expected = z.cash.expected_minor;
    shift.expected_minor = Some(expected);
    if counted_minor != expected {
        match approval {
            Some((manager, note)) => {
                shift.approved_by = Some(manager.to_owned());
                shift.approval_note = Some(note.to_owned());
            }
            None => {
                return Err(DayError::DifferenceNeedsApproval {
                    expected_minor: expected,
                    counted_minor,
                    difference_minor: counted_minor - expected,
                }
                .into())
            }
        }
    }
    z.set_close(&shift);
    sqlx::query(
        "UPDATE shifts SET closed_by = ?, closed_at = ?, expected_minor = ?, counted_minor = ?, \
         closing_count = ?, approved_by = ?, approval_note = ? WHERE id = ? AND closed_at IS NULL",
    )
    .bind(operator)
    .bind(ts(now))
    .bind(expected)
    .bind(counted_minor)
    .bind(
        counted
            .detail()
            .map(|c| serde_json::to_string(c).expect("a count serializes")),
    )
    .bind(&shift.approved_by)
    .bind(&shift.approval_note)
    .bind(shift_id)
    .execute(&mut *tx)
    .await
    .map_err(|e| db(ledger, e))?;
    sqlx::query("INSERT INTO z_reports (number, shift_id, created_at, body) VALUES (?, ?, ?, ?)")
        .bind(number)
        .bind(shift_id)
        .bind(ts(now))
        .bind(serde_json::to_string(&z).expect("a report serializes"))
        .execute(&mut *tx)
        .await
        .map_err(|e| db(ledger, e))?;
    tx.commit().await.map_err(|e| db(ledger, e))?;
    tracing::info!(
        shift = shift_id,
        z = number,
        expected,
        counted = counted_minor,
        "day: shift closed"
    );
    Ok((shift, z))
}

/// A stored Z report by its number, exactly as it was written at close.
pub async fn z_report(ledger: &Ledger, number: i64) -> Result<ShiftReport, TillError> {
    z_where(ledger, "number = ?", number).await
}

/// The Z report of a closed shift.
pub async fn z_of_shift(ledger: &Ledger, shift_id: i64) -> Result<ShiftReport, TillError> {
    z_where(ledger, "shift_id = ?", shift_id).await
}

async fn z_where(ledger: &Ledger, filter: &str, id: i64) -> Result<ShiftReport, TillError> {
    let body: Option<String> =
        sqlx::query_scalar(&format!("SELECT body FROM z_reports WHERE {filter}"))
            .bind(id)
            .fetch_optional(ledger.pool())
            .await
            .map_err(|e| db(ledger, e))?;
    let body = body.ok_or(DayError::ShiftNotFound { id })?;
    serde_json::from_str(&body).map_err(|e| DayError::Report(format!("z report: {e}")).into())
}
