//! The providers' float: the shop's e-money balance with each provider, read at shift open and
//! close and on demand, kept as readings (a failed read is kept with its error), and the
//! low-float threshold the manager sets per provider.
//!
//! DEXCHANGE (`GET /api-services/balance`) and EASYTRANSFERT (the wallet endpoint) document a
//! balance; the gateway documents none (docs/providers.md), so it has no reading and says so.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{Row, SqliteConnection};
use ts_rs::TS;

use super::groups::Group;
use super::shift::ts;
use super::DayError;
use crate::catalog::Provider;
use crate::ledger::{Ledger, LedgerError, Operation};
use crate::till::TillError;

/// When a balance was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Moment {
    /// At a shift's opening.
    Open,
    /// At a shift's close.
    Close,
    /// When someone asked.
    OnDemand,
}

impl Moment {
    fn as_str(self) -> &'static str {
        match self {
            Moment::Open => "open",
            Moment::Close => "close",
            Moment::OnDemand => "on_demand",
        }
    }

    fn parse(s: &str) -> Moment {
        match s {
            "open" => Moment::Open,
            "close" => Moment::Close,
            _ => Moment::OnDemand,
        }
    }
}

/// One balance as read from a provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FloatReading {
    /// The provider's slug (`dexchange`).
    pub provider: String,
    /// When.
    #[ts(type = "string")]
    pub at: DateTime<Utc>,
    /// The shift open then, if any.
    #[ts(type = "number | null")]
    pub shift_id: Option<i64>,
    /// At open, close or on demand.
    pub moment: Moment,
    /// The balance, when the read worked.
    #[ts(type = "number | null")]
    pub amount_minor: Option<i64>,
    /// Its currency.
    pub currency: Option<String>,
    /// Why the read failed (a stable code), when it did.
    pub error: Option<String>,
}

/// A provider's float as the header and the day screen show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FloatStatus {
    /// The provider's slug.
    pub provider: String,
    /// Its name for people.
    pub name: String,
    /// False when the provider documents no balance endpoint (the gateway).
    pub balance_api: bool,
    /// The last reading.
    pub last: Option<FloatReading>,
    /// The manager's low-float threshold.
    #[ts(type = "number | null")]
    pub threshold_minor: Option<i64>,
    /// The last successful reading is under the threshold.
    pub low: bool,
}

/// A provider's float over a report: its balance read at the shift's open and at its close (an
/// X report: the last reading since the open), the e-money the shift's successful operations
/// moved, and what that does not explain. A missing balance stays missing (never made up).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FloatLine {
    /// The provider's slug.
    pub provider: String,
    /// Its name for people.
    pub name: String,
    /// False when the provider documents no balance endpoint (the gateway: « non communiqué »).
    pub balance_api: bool,
    /// The balance read at the opening.
    #[ts(type = "number | null")]
    pub opening_minor: Option<i64>,
    /// Why the opening balance could not be read (a stable code), when it was tried.
    pub opening_error: Option<String>,
    /// The balance read at the close (an X report: the last one read since the opening).
    #[ts(type = "number | null")]
    pub closing_minor: Option<i64>,
    /// Why the closing balance could not be read, when it was tried.
    pub closing_error: Option<String>,
    /// The e-money the successful operations moved: + credited (collections, payment links),
    /// − debited (sales: amount + the provider's fee, less the commission it reported).
    #[ts(type = "number")]
    pub moved_minor: i64,
    /// Operations at this provider whose outcome is not known yet (they may have moved some).
    #[ts(type = "number")]
    pub pending_count: i64,
    /// closing − (opening + moved): what the operations do not explain (both balances read).
    #[ts(type = "number | null")]
    pub difference_minor: Option<i64>,
}

impl FloatLine {
    fn new(p: Provider) -> FloatLine {
        FloatLine {
            provider: p.slug().to_owned(),
            name: p.display_name().to_owned(),
            balance_api: has_balance_api(p),
            opening_minor: None,
            opening_error: None,
            closing_minor: None,
            closing_error: None,
            moved_minor: 0,
            pending_count: 0,
            difference_minor: None,
        }
    }

    fn settle(&mut self) {
        self.difference_minor = match (self.opening_minor, self.closing_minor) {
            (Some(o), Some(c)) => Some(c - o.saturating_add(self.moved_minor)),
            _ => None,
        };
    }
}

/// The provider of an operation's slug (`gateway` is the Unipesa gateway's older name).
pub fn provider_of(slug: &str) -> Option<Provider> {
    Provider::ALL
        .into_iter()
        .find(|p| p.slug() == slug || (slug == "gateway" && *p == Provider::Unipesa))
}

/// What a successful operation did to the shop's e-money at its provider: a collection or a
/// paid link credits the amount less the provider's fee; a sale is debited its amount plus the
/// provider's fee, less the commission the provider reported (a negative `transactionFee`).
/// Zero for any other status.
pub fn emoney_minor(op: &Operation) -> i64 {
    Group::of(op).emoney_minor()
}

/// Each provider's float line over a shift: `readings` are the shift's, oldest first; `groups`
/// its operations summed. The closing balance is the last reading taken at the close, or, while
/// the shift is open, the last one taken since the opening.
pub fn lines(readings: &[FloatReading], groups: &[Group]) -> Vec<FloatLine> {
    Provider::ALL
        .into_iter()
        .map(|p| {
            let mut line = FloatLine::new(p);
            let mine: Vec<&FloatReading> =
                readings.iter().filter(|r| r.provider == p.slug()).collect();
            if let Some(r) = mine.iter().find(|r| r.moment == Moment::Open) {
                line.opening_minor = r.amount_minor;
                line.opening_error = r.error.clone();
            }
            let closing = mine
                .iter()
                .rev()
                .find(|r| r.moment == Moment::Close)
                .or_else(|| mine.iter().rev().find(|r| r.moment == Moment::OnDemand));
            if let Some(r) = closing {
                line.closing_minor = r.amount_minor;
                line.closing_error = r.error.clone();
            }
            for g in groups
                .iter()
                .filter(|g| provider_of(&g.provider) == Some(p))
            {
                line.moved_minor = line.moved_minor.saturating_add(g.emoney_minor());
                if !g.status.is_final() {
                    line.pending_count += g.count;
                }
            }
            line.settle();
            line
        })
        .collect()
}

/// The float lines of several shifts in order (a day): the first shift's opening, the last
/// one's closing, the e-money moved and the pending operations summed.
pub fn sum_lines(parts: &[&[FloatLine]]) -> Vec<FloatLine> {
    Provider::ALL
        .into_iter()
        .map(|p| {
            let mut out = FloatLine::new(p);
            let of = |lines: &&[FloatLine]| lines.iter().find(|l| l.provider == p.slug()).cloned();
            let found: Vec<FloatLine> = parts.iter().filter_map(of).collect();
            if let Some(first) = found.first() {
                out.opening_minor = first.opening_minor;
                out.opening_error = first.opening_error.clone();
            }
            if let Some(last) = found.last() {
                out.closing_minor = last.closing_minor;
                out.closing_error = last.closing_error.clone();
            }
            for l in &found {
                out.moved_minor = out.moved_minor.saturating_add(l.moved_minor);
                out.pending_count += l.pending_count;
            }
            out.settle();
            out
        })
        .collect()
}

/// Whether the provider documents a balance endpoint.
pub fn has_balance_api(provider: Provider) -> bool {
    match provider {
        Provider::Dexchange | Provider::Easytransfert => true,
        // No balance endpoint in the gateway's documentation (docs/providers.md).
        Provider::Unipesa => false,
    }
}

fn db(ledger: &Ledger, e: sqlx::Error) -> TillError {
    LedgerError::from_sqlx(ledger.path(), e).into()
}

/// Stores one reading: the balance, or why it could not be read.
pub async fn record(
    ledger: &Ledger,
    provider: Provider,
    now: DateTime<Utc>,
    shift_id: Option<i64>,
    moment: Moment,
    read: Result<(i64, String), String>,
) -> Result<FloatReading, TillError> {
    let mut conn = ledger.pool().acquire().await.map_err(|e| db(ledger, e))?;
    record_in(&mut conn, provider, now, shift_id, moment, read)
        .await
        .map_err(|e| db(ledger, e))
}

/// [`record`] on `conn` (inside a shift's closing transaction).
pub(crate) async fn record_in(
    conn: &mut SqliteConnection,
    provider: Provider,
    now: DateTime<Utc>,
    shift_id: Option<i64>,
    moment: Moment,
    read: Result<(i64, String), String>,
) -> Result<FloatReading, sqlx::Error> {
    let (amount, currency, error) = match read {
        Ok((a, c)) => (Some(a), Some(c), None),
        Err(e) => (None, None, Some(e)),
    };
    sqlx::query(
        "INSERT INTO float_readings (provider, at, shift_id, moment, amount_minor, currency, \
         error) VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(provider.slug())
    .bind(ts(now))
    .bind(shift_id)
    .bind(moment.as_str())
    .bind(amount)
    .bind(&currency)
    .bind(&error)
    .execute(&mut *conn)
    .await?;
    Ok(FloatReading {
        provider: provider.slug().to_owned(),
        at: DateTime::from_timestamp_millis(now.timestamp_millis()).unwrap_or(now),
        shift_id,
        moment,
        amount_minor: amount,
        currency,
        error,
    })
}

/// The readings of a shift (or of any time, with `None`), oldest first.
pub async fn readings(
    ledger: &Ledger,
    shift_id: Option<i64>,
) -> Result<Vec<FloatReading>, TillError> {
    let mut conn = ledger.pool().acquire().await.map_err(|e| db(ledger, e))?;
    readings_in(&mut conn, shift_id).await
}

/// [`readings`] on `conn` (a report's snapshot).
pub(crate) async fn readings_in(
    conn: &mut SqliteConnection,
    shift_id: Option<i64>,
) -> Result<Vec<FloatReading>, TillError> {
    let rows = sqlx::query(
        "SELECT provider, at, shift_id, moment, amount_minor, currency, error FROM float_readings \
         WHERE (?1 IS NULL OR shift_id = ?1) ORDER BY id",
    )
    .bind(shift_id)
    .fetch_all(&mut *conn)
    .await
    .map_err(|e| DayError::Report(e.to_string()))?;
    rows.iter()
        .map(|r| {
            let get = |e: sqlx::Error| TillError::from(DayError::Report(e.to_string()));
            let at: String = r.try_get("at").map_err(get)?;
            Ok(FloatReading {
                provider: r.try_get("provider").map_err(get)?,
                at: DateTime::parse_from_rfc3339(&at)
                    .map_err(|e| DayError::Report(e.to_string()))?
                    .with_timezone(&Utc),
                shift_id: r.try_get("shift_id").map_err(get)?,
                moment: Moment::parse(&r.try_get::<String, _>("moment").map_err(get)?),
                amount_minor: r.try_get("amount_minor").map_err(get)?,
                currency: r.try_get("currency").map_err(get)?,
                error: r.try_get("error").map_err(get)?,
            })
        })
        .collect()
}

/// Each provider's float: its last reading against the manager's threshold.
pub fn status(readings: &[FloatReading], thresholds: &BTreeMap<String, i64>) -> Vec<FloatStatus> {
    Provider::ALL
        .into_iter()
        .map(|p| {
            let slug = p.slug();
            let last = readings.iter().rev().find(|r| r.provider == slug).cloned();
            let last_amount = readings
                .iter()
                .rev()
                .filter(|r| r.provider == slug)
                .find_map(|r| r.amount_minor);
            let threshold = thresholds.get(slug).copied();
            FloatStatus {
                provider: slug.to_owned(),
                name: p.display_name().to_owned(),
                balance_api: has_balance_api(p),
                last,
                threshold_minor: threshold,
                low: matches!((last_amount, threshold), (Some(a), Some(t)) if a < t),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading(provider: &str, amount: Option<i64>) -> FloatReading {
        FloatReading {
            provider: provider.into(),
            at: Utc::now(),
            shift_id: None,
            moment: Moment::OnDemand,
            amount_minor: amount,
            currency: amount.map(|_| "XOF".into()),
            error: amount.is_none().then(|| "provider_not_sent".into()),
        }
    }

    #[test]
    fn low_when_the_last_balance_read_is_under_the_threshold() {
        let thresholds = BTreeMap::from([("dexchange".to_owned(), 50_000)]);
        let list = [
            reading("dexchange", Some(80_000)),
            reading("dexchange", Some(40_000)),
            reading("dexchange", None),
            reading("easytransfert", Some(10)),
        ];
        let s = status(&list, &thresholds);
        let dex = s.iter().find(|s| s.provider == "dexchange").unwrap();
        assert!(
            dex.low,
            "40 000 < 50 000, and a failed read does not hide it"
        );
        assert_eq!(
            dex.last.as_ref().unwrap().error.as_deref(),
            Some("provider_not_sent")
        );
        let et = s.iter().find(|s| s.provider == "easytransfert").unwrap();
        assert!(!et.low, "no threshold set");
        let gw = s.iter().find(|s| s.provider == "unipesa").unwrap();
        assert!(!gw.balance_api && gw.last.is_none());
    }
}
