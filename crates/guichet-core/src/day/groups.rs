//! A shift's operations summed by SQL: one row per kind, service, provider and status (a
//! `GROUP BY` over the shift's index), so a report never reads every operation of a long shift
//! into memory. Only the operations still waiting for an outcome are read one by one (they are
//! listed by name); the hours of the successes come from a second `GROUP BY`.

use serde_json::Value;
use sqlx::{Row, SqliteConnection};

use super::cash::{self, CashEffect};
use super::DayError;
use crate::catalog::Kind;
use crate::engine::detail_keys;
use crate::ledger::{operation_from_row, Operation, OperationStatus, OPERATION_COLUMNS};
use crate::text::Localized;
use crate::till::TillError;

/// Operations of one kind, service, provider and status, summed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The kind's stored name.
    pub kind: String,
    /// The service's code.
    pub service_code: String,
    /// The provider's slug.
    pub provider: String,
    /// Where they stand.
    pub status: OperationStatus,
    /// The service's name, as the operations carry it.
    pub service_name: Option<Localized>,
    /// How many.
    pub count: i64,
    /// Their amounts.
    pub amount_minor: i64,
    /// Their fees.
    pub fee_minor: i64,
    /// The catalog's commission written on them.
    pub commission_minor: i64,
    /// The commission the provider reported (a negative fee, counted positive).
    pub provider_commission_minor: i64,
    /// The provider's reported negative fees, as signed (what it did not debit).
    pub provider_fee_minor: i64,
    /// How many were made in training.
    pub training: i64,
    /// How many carry a refund.
    pub refunded_count: i64,
    /// Their amounts.
    pub refunded_minor: i64,
}

fn detail_i64(op: &Operation, key: &str) -> Option<i64> {
    match op.details.get(key)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

impl Group {
    /// One operation as a group of one (an operation settled since the last Z, a unit test).
    pub fn of(op: &Operation) -> Group {
        let provider_fee = detail_i64(op, detail_keys::PROVIDER_FEE_MINOR).unwrap_or(0);
        let refunded = op.details.contains_key(detail_keys::REFUND);
        Group {
            kind: op.kind.clone(),
            service_code: op.service_code.clone(),
            provider: op.provider.clone(),
            status: op.status,
            service_name: op
                .details
                .get(detail_keys::SERVICE_NAME)
                .and_then(|v| serde_json::from_value(v.clone()).ok()),
            count: 1,
            amount_minor: op.amount_minor,
            fee_minor: op.fee_minor.unwrap_or(0),
            commission_minor: detail_i64(op, detail_keys::COMMISSION_MINOR).unwrap_or(0),
            provider_commission_minor: provider_fee.saturating_neg().max(0),
            provider_fee_minor: provider_fee,
            training: i64::from(op.training),
            refunded_count: i64::from(refunded),
            refunded_minor: if refunded { op.amount_minor } else { 0 },
        }
    }

    /// What they did to the drawer by the cash table (in > 0, out < 0).
    pub fn cash_minor(&self) -> i64 {
        let effect = match crate::receipt::kind_of(&self.kind) {
            Some(kind) => cash::cash_effect(kind, self.status),
            None => CashEffect::Pending,
        };
        match effect {
            CashEffect::In => self.amount_minor.saturating_add(self.fee_minor),
            CashEffect::Out => -self.amount_minor,
            CashEffect::None | CashEffect::Pending => 0,
        }
    }

    /// What they did to the shop's e-money at the provider ([`super::float::emoney_minor`]).
    pub fn emoney_minor(&self) -> i64 {
        if self.status != OperationStatus::Success {
            return 0;
        }
        match crate::receipt::kind_of(&self.kind) {
            Some(Kind::Collection | Kind::PaymentLink) => {
                self.amount_minor.saturating_sub(self.fee_minor)
            }
            _ => -self
                .amount_minor
                .saturating_add(self.fee_minor)
                .saturating_add(self.provider_fee_minor),
        }
    }
}

fn err(e: sqlx::Error) -> TillError {
    DayError::Report(e.to_string()).into()
}

/// The shift's operations, summed per kind, service, provider and status.
pub(crate) async fn of_shift(
    conn: &mut SqliteConnection,
    shift_id: i64,
) -> Result<Vec<Group>, TillError> {
    let rows = sqlx::query(
        "SELECT kind, service_code, provider, status, COUNT(*) AS n, \
         SUM(amount_minor) AS amount, COALESCE(SUM(fee_minor), 0) AS fee, \
         COALESCE(SUM(CAST(json_extract(details, '$.commission_minor') AS INTEGER)), 0) \
           AS commission, \
         COALESCE(SUM(MAX(-COALESCE(CAST(json_extract(details, '$.provider_fee_minor') \
           AS INTEGER), 0), 0)), 0) AS provider_commission, \
         COALESCE(SUM(CAST(json_extract(details, '$.provider_fee_minor') AS INTEGER)), 0) \
           AS provider_fee, \
         SUM(training) AS training, \
         SUM(json_type(details, '$.refund') IS NOT NULL) AS refunded_count, \
         SUM(CASE WHEN json_type(details, '$.refund') IS NOT NULL THEN amount_minor ELSE 0 END) \
           AS refunded_amount, \
         MAX(json_extract(details, '$.service_name')) AS service_name \
         FROM operations WHERE shift_id = ? \
         GROUP BY kind, service_code, provider, status ORDER BY kind, service_code, provider, status",
    )
    .bind(shift_id)
    .fetch_all(&mut *conn)
    .await
    .map_err(err)?;
    rows.iter()
        .map(|r| {
            let status: String = r.try_get("status").map_err(err)?;
            let name: Option<String> = r.try_get("service_name").map_err(err)?;
            Ok(Group {
                kind: r.try_get("kind").map_err(err)?,
                service_code: r.try_get("service_code").map_err(err)?,
                provider: r.try_get("provider").map_err(err)?,
                status: OperationStatus::parse(&status)
                    .ok_or_else(|| DayError::Report(format!("status {status}")))?,
                service_name: name.and_then(|n| serde_json::from_str(&n).ok()),
                count: r.try_get("n").map_err(err)?,
                amount_minor: r.try_get("amount").map_err(err)?,
                fee_minor: r.try_get("fee").map_err(err)?,
                commission_minor: r.try_get("commission").map_err(err)?,
                provider_commission_minor: r.try_get("provider_commission").map_err(err)?,
                provider_fee_minor: r.try_get("provider_fee").map_err(err)?,
                training: r.try_get("training").map_err(err)?,
                refunded_count: r.try_get("refunded_count").map_err(err)?,
                refunded_minor: r.try_get("refunded_amount").map_err(err)?,
            })
        })
        .collect()
}

/// The shift's operations still waiting for an outcome (listed one by one), oldest first.
pub(crate) async fn unsettled(
    conn: &mut SqliteConnection,
    shift_id: i64,
) -> Result<Vec<Operation>, TillError> {
    let rows = sqlx::query(&format!(
        "SELECT {OPERATION_COLUMNS} FROM operations WHERE shift_id = ? \
         AND status NOT IN ('success', 'failed', 'cancelled', 'expired') ORDER BY created_at, id"
    ))
    .bind(shift_id)
    .fetch_all(&mut *conn)
    .await
    .map_err(err)?;
    rows.iter()
        .map(|r| operation_from_row(r).map_err(TillError::from))
        .collect()
}

/// The shift's successful operations per hour of the day (0 to 23, UTC = Dakar).
pub(crate) async fn successes_by_hour(
    conn: &mut SqliteConnection,
    shift_id: i64,
) -> Result<Vec<i64>, TillError> {
    let rows = sqlx::query(
        "SELECT CAST(substr(created_at, 12, 2) AS INTEGER) AS h, COUNT(*) AS n FROM operations \
         WHERE shift_id = ? AND status = 'success' GROUP BY h",
    )
    .bind(shift_id)
    .fetch_all(&mut *conn)
    .await
    .map_err(err)?;
    let mut out = vec![0; 24];
    for r in &rows {
        let h: i64 = r.try_get("h").map_err(err)?;
        let n: i64 = r.try_get("n").map_err(err)?;
        if let Some(slot) = usize::try_from(h).ok().and_then(|h| out.get_mut(h)) {
            *slot += n;
        }
    }
    Ok(out)
}
