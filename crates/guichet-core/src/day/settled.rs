//! « Réglées depuis le dernier Z »: operations of earlier shifts that were still pending (unknown,
//! to review…) when their Z report was frozen and reached their outcome since.
//!
//! Each one belongs to exactly one later report: the one whose window holds the event that
//! settled it. A Z stores `events_through`, the last `operation_events` id when it was written
//! (in the closing write transaction, so no event can slip between two windows); the next
//! shift's window starts after it. An outcome is final (success, failed, cancelled, expired
//! never change again), so an operation settles once.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{Row, SqliteConnection};
use ts_rs::TS;

use super::report::OpLine;
use super::shift::Shift;
use super::DayError;
use crate::ledger::{operation_from_row, Operation, OPERATION_COLUMNS};
use crate::till::TillError;

/// An operation of an earlier shift that settled since the last Z, with what it does to the
/// drawer now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SettledLine {
    /// The operation as it stands (its final status).
    pub operation: OpLine,
    /// The shift it was made in.
    #[ts(type = "number")]
    pub shift_id: i64,
    /// When its outcome was written.
    #[ts(type = "string")]
    pub settled_at: DateTime<Utc>,
    /// Its cash effect by the cash table (in > 0, out < 0; none for a failure).
    #[ts(type = "number")]
    pub cash_minor: i64,
}

/// Which events a report of `shift` covers: after the previous Z's `events_through` (or, for a
/// Z written before that field existed, after its close), up to `through` when set.
pub(crate) struct Window {
    after_id: i64,
    after_at: Option<String>,
    through: Option<i64>,
}

fn err(e: sqlx::Error) -> TillError {
    DayError::Report(e.to_string()).into()
}

/// The last event id written so far (a Z's `events_through`).
pub(crate) async fn last_event_id(conn: &mut SqliteConnection) -> Result<i64, TillError> {
    sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM operation_events")
        .fetch_one(&mut *conn)
        .await
        .map_err(err)
}

/// The window of a report of `shift` ending at `through`; `None` when no earlier shift was
/// closed (nothing can have been pending at a Z).
pub(crate) async fn window(
    conn: &mut SqliteConnection,
    shift: &Shift,
    through: Option<i64>,
) -> Result<Option<Window>, TillError> {
    let row = sqlx::query(
        "SELECT json_extract(z.body, '$.events_through') AS through, s.closed_at FROM shifts s \
         JOIN z_reports z ON z.shift_id = s.id WHERE s.id < ? ORDER BY s.id DESC LIMIT 1",
    )
    .bind(shift.id)
    .fetch_optional(&mut *conn)
    .await
    .map_err(err)?;
    let Some(row) = row else {
        return Ok(None);
    };
    let previous: Option<i64> = row.try_get("through").map_err(err)?;
    let closed_at: Option<String> = row.try_get("closed_at").map_err(err)?;
    Ok(Some(Window {
        after_id: previous.unwrap_or(0),
        after_at: if previous.is_some() { None } else { closed_at },
        through,
    }))
}

/// The operations of shifts before `shift` that settled in `window`, oldest outcome first.
pub(crate) async fn in_window(
    conn: &mut SqliteConnection,
    shift: &Shift,
    window: &Window,
) -> Result<Vec<(Operation, i64, DateTime<Utc>)>, TillError> {
    let events = sqlx::query(
        "SELECT e.operation_id, e.at, o.shift_id FROM operation_events e \
         JOIN operations o ON o.id = e.operation_id \
         WHERE e.id > ?1 AND (?2 IS NULL OR e.id <= ?2) AND (?3 IS NULL OR e.at > ?3) \
         AND o.shift_id IS NOT NULL AND o.shift_id < ?4 \
         AND e.to_status IN ('success', 'failed', 'cancelled', 'expired') \
         AND e.from_status NOT IN ('success', 'failed', 'cancelled', 'expired') \
         ORDER BY e.id",
    )
    .bind(window.after_id)
    .bind(window.through)
    .bind(&window.after_at)
    .bind(shift.id)
    .fetch_all(&mut *conn)
    .await
    .map_err(err)?;
    let mut out = Vec::with_capacity(events.len());
    for e in &events {
        let id: String = e.try_get("operation_id").map_err(err)?;
        let at: String = e.try_get("at").map_err(err)?;
        let shift_id: i64 = e.try_get("shift_id").map_err(err)?;
        let row = sqlx::query(&format!(
            "SELECT {OPERATION_COLUMNS} FROM operations WHERE id = ?"
        ))
        .bind(&id)
        .fetch_one(&mut *conn)
        .await
        .map_err(err)?;
        let at = DateTime::parse_from_rfc3339(&at)
            .map_err(|e| DayError::Report(e.to_string()))?
            .with_timezone(&Utc);
        out.push((operation_from_row(&row)?, shift_id, at));
    }
    Ok(out)
}
