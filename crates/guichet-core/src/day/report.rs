//! The X, Z and day reports, built from the ledger alone.
//!
//! - **X**: a shift so far (any time, nothing stored).
//! - **Z**: the shift at its close, numbered and stored as JSON in the same transaction as the
//!   close; it is read back as written and never recomputed (`z_reports` refuses updates).
//! - **Day**: every shift opened that day, summed: each closed shift's Z as stored, each open
//!   one's X as it stands, so the day always equals the sum of the printed Z reports.
//!
//! Lines count successful operations (what was sold); failed and refunded ones are tallied
//! apart; operations whose outcome is not known are listed apart (« en attente ») and never
//! counted in the cash (see [`super::cash`]). An earlier shift's operation that settles later is
//! counted in the report where it settled (« réglées depuis le dernier Z », [`super::settled`]);
//! each provider's float is on every report ([`super::float::FloatLine`]). Commissions: the catalog's rate as written on the
//! operation (`details.commission_minor`) and what the provider reported (a negative
//! `transactionFee`, `details.provider_fee_minor`).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Timelike, Utc};
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;
use ts_rs::TS;
use uuid::Uuid;

use super::cash;
use super::float::{self, FloatLine};
use super::groups::{self, Group};
use super::settled::{self, SettledLine};
use super::shift::{movements_in, CashMovement, Direction, Shift};
use super::DayError;
use crate::ledger::{Operation, OperationStatus};
use crate::text::Localized;
use crate::till::TillError;

/// Which report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// A shift so far.
    X,
    /// A shift at its close (numbered, frozen).
    Z,
    /// Every shift of a day.
    Day,
}

/// One line of a breakdown (per kind, service or provider), over successful operations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Line {
    /// What it groups by: the kind's, service's or provider's code.
    pub key: String,
    /// Its name for people.
    pub label: Localized,
    /// How many operations.
    #[ts(type = "number")]
    pub count: i64,
    /// Their amounts.
    #[ts(type = "number")]
    pub amount_minor: i64,
    /// Their fees.
    #[ts(type = "number")]
    pub fee_minor: i64,
    /// What they did to the drawer (in > 0, out < 0).
    #[ts(type = "number")]
    pub cash_minor: i64,
    /// The shop's commission by the catalog's rates.
    #[ts(type = "number")]
    pub commission_minor: i64,
    /// The commission the provider reported.
    #[ts(type = "number")]
    pub provider_commission_minor: i64,
}

impl Default for Line {
    fn default() -> Self {
        Line {
            key: String::new(),
            label: Localized::new("", ""),
            count: 0,
            amount_minor: 0,
            fee_minor: 0,
            cash_minor: 0,
            commission_minor: 0,
            provider_commission_minor: 0,
        }
    }
}

impl Line {
    fn add_group(&mut self, g: &Group) {
        self.count += g.count;
        self.amount_minor = self.amount_minor.saturating_add(g.amount_minor);
        self.fee_minor = self.fee_minor.saturating_add(g.fee_minor);
        self.cash_minor = self.cash_minor.saturating_add(g.cash_minor());
        self.commission_minor = self.commission_minor.saturating_add(g.commission_minor);
        // A negative transactionFee is the provider's commission to the shop.
        self.provider_commission_minor = self
            .provider_commission_minor
            .saturating_add(g.provider_commission_minor);
    }

    fn add_line(&mut self, other: &Line) {
        self.count += other.count;
        self.amount_minor = self.amount_minor.saturating_add(other.amount_minor);
        self.fee_minor = self.fee_minor.saturating_add(other.fee_minor);
        self.cash_minor = self.cash_minor.saturating_add(other.cash_minor);
        self.commission_minor = self.commission_minor.saturating_add(other.commission_minor);
        self.provider_commission_minor = self
            .provider_commission_minor
            .saturating_add(other.provider_commission_minor);
    }
}

/// A count and an amount.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Tally {
    /// How many.
    #[ts(type = "number")]
    pub count: i64,
    /// How much.
    #[ts(type = "number")]
    pub amount_minor: i64,
}

impl Tally {
    fn add(&mut self, count: i64, amount: i64) {
        self.count += count;
        self.amount_minor = self.amount_minor.saturating_add(amount);
    }

    fn plus(self, other: Tally) -> Tally {
        Tally {
            count: self.count + other.count,
            amount_minor: self.amount_minor.saturating_add(other.amount_minor),
        }
    }
}

/// An operation listed by itself (pending, to review).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OpLine {
    /// The operation.
    #[ts(type = "string")]
    pub id: Uuid,
    /// When its intent was written.
    #[ts(type = "string")]
    pub created_at: DateTime<Utc>,
    /// Its kind (stored name).
    pub kind: String,
    /// Its service's code.
    pub service_code: String,
    /// The provider.
    pub provider: String,
    /// Its amount.
    #[ts(type = "number")]
    pub amount_minor: i64,
    /// Where it stands.
    pub status: OperationStatus,
    /// Who made it.
    pub operator_name: String,
}

impl OpLine {
    fn of(op: &Operation) -> OpLine {
        OpLine {
            id: op.id,
            created_at: op.created_at,
            kind: op.kind.clone(),
            service_code: op.service_code.clone(),
            provider: op.provider.clone(),
            amount_minor: op.amount_minor,
            status: op.status,
            operator_name: op.operator_name.clone(),
        }
    }
}

/// The drawer: from the opening float to what it should hold, and what was counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CashSummary {
    /// The counted opening float(s).
    #[ts(type = "number")]
    pub opening_float_minor: i64,
    /// Cash the customers handed for settled sales.
    #[ts(type = "number")]
    pub sales_in_minor: i64,
    /// Cash handed to customers for settled cash-outs.
    #[ts(type = "number")]
    pub sales_out_minor: i64,
    /// Cash paid in (float top-ups).
    #[ts(type = "number")]
    pub movements_in_minor: i64,
    /// Cash taken out (expenses, bank deposits).
    #[ts(type = "number")]
    pub movements_out_minor: i64,
    /// The cash effect of earlier shifts' operations settled since the last Z (« Réglées
    /// depuis le dernier Z »): counted here, where their outcome became known.
    #[serde(default)]
    #[ts(type = "number")]
    pub settled_since_minor: i64,
    /// opening + sales in − sales out + settled since + paid in − taken out.
    #[ts(type = "number")]
    pub expected_minor: i64,
    /// What was counted at close (all shifts closed).
    #[ts(type = "number | null")]
    pub counted_minor: Option<i64>,
    /// counted − expected.
    #[ts(type = "number | null")]
    pub difference_minor: Option<i64>,
}

/// A shift as a report names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ShiftLine {
    /// Its number.
    #[ts(type = "number")]
    pub id: i64,
    /// Its Z report's number, once closed.
    #[ts(type = "number | null")]
    pub z_number: Option<i64>,
    /// Who opened it.
    pub opened_by: String,
    /// When.
    #[ts(type = "string")]
    pub opened_at: DateTime<Utc>,
    /// Who closed it.
    pub closed_by: Option<String>,
    /// When.
    #[ts(type = "string | null")]
    pub closed_at: Option<DateTime<Utc>>,
    /// The manager who approved a difference, and their note.
    pub approved_by: Option<String>,
    /// Their note.
    pub approval_note: Option<String>,
}

impl ShiftLine {
    fn of(s: &Shift) -> ShiftLine {
        ShiftLine {
            id: s.id,
            z_number: s.z_number,
            opened_by: s.opened_by.clone(),
            opened_at: s.opened_at,
            closed_by: s.closed_by.clone(),
            closed_at: s.closed_at,
            approved_by: s.approved_by.clone(),
            approval_note: s.approval_note.clone(),
        }
    }
}

/// An X, Z or day report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ShiftReport {
    /// X, Z or day.
    pub kind: ReportKind,
    /// The Z report's number.
    #[ts(type = "number | null")]
    pub z_number: Option<i64>,
    /// The day, for a day report.
    #[ts(type = "string | null")]
    pub day: Option<NaiveDate>,
    /// When it was made.
    #[ts(type = "string")]
    pub generated_at: DateTime<Utc>,
    /// The drawer's currency.
    pub currency: String,
    /// The shift(s) it covers.
    pub shifts: Vec<ShiftLine>,
    /// How many of its operations were made in training (no real money).
    #[ts(type = "number")]
    pub training_count: i64,
    /// Successful operations per kind.
    pub by_kind: Vec<Line>,
    /// Successful operations per service.
    pub by_service: Vec<Line>,
    /// Successful operations per provider (the e-money each one moved).
    pub by_provider: Vec<Line>,
    /// Every successful operation.
    pub totals: Line,
    /// Successful operations per hour of the day (0 to 23, Dakar = UTC): the day screen's chart.
    #[ts(type = "number[]")]
    pub by_hour: Vec<i64>,
    /// Failed, cancelled or expired.
    pub failed: Tally,
    /// Failed after the provider took the money, refunded (Woyofal).
    pub refunded: Tally,
    /// Outcome not known yet (« en attente »): never counted in the cash.
    pub pending: Vec<OpLine>,
    /// Waiting for a manager (« à vérifier »): never counted in the cash.
    pub to_review: Vec<OpLine>,
    /// Operations of earlier shifts, pending at their Z, settled since the last Z: their
    /// successes are in this report's lines and totals, their cash in the drawer's expected.
    #[serde(default)]
    pub settled_since: Vec<SettledLine>,
    /// Cash paid in or out for another reason than a sale.
    pub movements: Vec<CashMovement>,
    /// The drawer.
    pub cash: CashSummary,
    /// Each provider's float: balances at the opening and the close, the e-money moved.
    #[serde(default)]
    pub floats: Vec<FloatLine>,
    /// A Z: the last ledger event it saw (where the next report's « réglées depuis » starts).
    #[serde(default)]
    #[ts(type = "number | null")]
    pub events_through: Option<i64>,
}

impl ShiftReport {
    /// Writes the close of `shift` on its Z report (who, counted, difference, approval).
    pub(crate) fn set_close(&mut self, shift: &Shift) {
        self.z_number = shift.z_number;
        self.shifts = vec![ShiftLine::of(shift)];
        self.cash.counted_minor = shift.counted_minor;
        self.cash.difference_minor = shift.counted_minor.map(|c| c - self.cash.expected_minor);
    }

    /// The day report: the shifts' reports summed, line by line.
    pub fn sum(day: NaiveDate, parts: &[ShiftReport], now: DateTime<Utc>) -> ShiftReport {
        let mut out = empty(ReportKind::Day, now);
        out.day = Some(day);
        let all_closed = parts.iter().all(|p| p.cash.counted_minor.is_some());
        let mut by_kind = BTreeMap::new();
        let mut by_service = BTreeMap::new();
        let mut by_provider = BTreeMap::new();
        for p in parts {
            out.shifts.extend(p.shifts.iter().cloned());
            out.training_count += p.training_count;
            merge(&mut by_kind, &p.by_kind);
            merge(&mut by_service, &p.by_service);
            merge(&mut by_provider, &p.by_provider);
            out.totals.add_line(&p.totals);
            for (h, n) in p.by_hour.iter().enumerate() {
                if let Some(slot) = out.by_hour.get_mut(h) {
                    *slot += n;
                }
            }
            out.failed = out.failed.plus(p.failed);
            out.refunded = out.refunded.plus(p.refunded);
            out.pending.extend(p.pending.iter().cloned());
            out.to_review.extend(p.to_review.iter().cloned());
            out.settled_since.extend(p.settled_since.iter().cloned());
            out.movements.extend(p.movements.iter().cloned());
            let c = &mut out.cash;
            c.opening_float_minor += p.cash.opening_float_minor;
            c.sales_in_minor += p.cash.sales_in_minor;
            c.sales_out_minor += p.cash.sales_out_minor;
            c.movements_in_minor += p.cash.movements_in_minor;
            c.movements_out_minor += p.cash.movements_out_minor;
            c.settled_since_minor += p.cash.settled_since_minor;
            c.expected_minor += p.cash.expected_minor;
            if all_closed {
                *c.counted_minor.get_or_insert(0) += p.cash.counted_minor.unwrap_or(0);
                *c.difference_minor.get_or_insert(0) += p.cash.difference_minor.unwrap_or(0);
            }
        }
        out.by_kind = by_kind.into_values().collect();
        out.by_service = by_service.into_values().collect();
        out.by_provider = by_provider.into_values().collect();
        // An operation pending at one Z and settled in a later shift of the day is no longer
        // pending for the day: it is counted where it settled.
        let settled: std::collections::BTreeSet<Uuid> =
            out.settled_since.iter().map(|l| l.operation.id).collect();
        out.pending.retain(|o| !settled.contains(&o.id));
        out.to_review.retain(|o| !settled.contains(&o.id));
        let floats: Vec<&[FloatLine]> = parts.iter().map(|p| p.floats.as_slice()).collect();
        out.floats = float::sum_lines(&floats);
        out
    }
}

fn merge(into: &mut BTreeMap<String, Line>, lines: &[Line]) {
    for l in lines {
        into.entry(l.key.clone())
            .or_insert_with(|| Line {
                key: l.key.clone(),
                label: l.label.clone(),
                ..Line::default()
            })
            .add_line(l);
    }
}

fn empty(kind: ReportKind, now: DateTime<Utc>) -> ShiftReport {
    ShiftReport {
        kind,
        z_number: None,
        day: None,
        generated_at: now,
        currency: "XOF".into(),
        shifts: Vec::new(),
        training_count: 0,
        by_kind: Vec::new(),
        by_service: Vec::new(),
        by_provider: Vec::new(),
        totals: Line {
            key: "total".into(),
            label: Localized::new("Total", "Total"),
            ..Line::default()
        },
        by_hour: vec![0; 24],
        failed: Tally::default(),
        refunded: Tally::default(),
        pending: Vec::new(),
        to_review: Vec::new(),
        settled_since: Vec::new(),
        movements: Vec::new(),
        cash: CashSummary::default(),
        floats: Vec::new(),
        events_through: None,
    }
}

fn kind_label(name: &str) -> Localized {
    match crate::receipt::kind_of(name) {
        Some(kind) => kind.label(),
        None => Localized::new(name, name),
    }
}

fn service_label(g: &Group) -> Localized {
    g.service_name
        .clone()
        .unwrap_or_else(|| Localized::new(&g.service_code, &g.service_code))
}

fn provider_label(slug: &str) -> Localized {
    let name = crate::catalog::Provider::ALL
        .into_iter()
        .find(|p| {
            p.slug() == slug || (slug == "gateway" && *p == crate::catalog::Provider::Unipesa)
        })
        .map_or(slug, |p| p.display_name());
    Localized::new(name, name)
}

/// The report of `shift` from its operations (summed by SQL, only the unsettled ones read one
/// by one), movements, float readings and the earlier shifts' operations settled since the last
/// Z, read on `conn` (one snapshot). A Z notes the last ledger event it saw.
pub(crate) async fn build(
    conn: &mut SqliteConnection,
    shift: &Shift,
    kind: ReportKind,
    now: DateTime<Utc>,
) -> Result<ShiftReport, TillError> {
    let summed = groups::of_shift(conn, shift.id).await?;
    let unsettled = groups::unsettled(conn, shift.id).await?;
    let by_hour = groups::successes_by_hour(conn, shift.id).await?;
    let movements = movements_in(conn, shift.id).await?;
    let readings = float::readings_in(conn, Some(shift.id)).await?;
    // A Z sees every event written so far; an X of a closed shift stops where its Z did.
    let through = match kind {
        ReportKind::Z => Some(settled::last_event_id(conn).await?),
        _ if !shift.is_open() => z_events_through(conn, shift.id).await?,
        _ => None,
    };
    let settled = match settled::window(conn, shift, through).await? {
        Some(w) => settled::in_window(conn, shift, &w).await?,
        None => Vec::new(),
    };
    let mut r = of_groups(shift, kind, now, &summed, &unsettled, by_hour, movements);
    r.add_settled(&settled);
    r.floats = float::lines(&readings, &summed);
    if kind == ReportKind::Z {
        r.events_through = through;
    }
    Ok(r)
}

async fn z_events_through(
    conn: &mut SqliteConnection,
    shift_id: i64,
) -> Result<Option<i64>, TillError> {
    let through: Option<Option<i64>> = sqlx::query_scalar(
        "SELECT json_extract(body, '$.events_through') FROM z_reports WHERE shift_id = ?",
    )
    .bind(shift_id)
    .fetch_optional(&mut *conn)
    .await
    .map_err(|e| DayError::Report(e.to_string()))?;
    Ok(through.flatten())
}

type Lines = BTreeMap<String, Line>;

impl ShiftReport {
    /// Adds earlier shifts' operations settled since the last Z: listed with their cash effect,
    /// a success counted in the lines and totals, a failure tallied, the cash in the expected.
    pub fn add_settled(&mut self, settled: &[(Operation, i64, DateTime<Utc>)]) {
        let mut maps = [
            take_lines(&mut self.by_kind),
            take_lines(&mut self.by_service),
            take_lines(&mut self.by_provider),
        ];
        for (op, shift_id, at) in settled {
            let cash_minor = cash::cash_minor(op);
            self.settled_since.push(SettledLine {
                operation: OpLine::of(op),
                shift_id: *shift_id,
                settled_at: *at,
                cash_minor,
            });
            self.cash.settled_since_minor += cash_minor;
            self.cash.expected_minor += cash_minor;
            self.count_group(&Group::of(op), &mut maps);
            if op.status == OperationStatus::Success {
                let hour = usize::try_from(op.created_at.hour()).unwrap_or(0);
                if let Some(slot) = self.by_hour.get_mut(hour) {
                    *slot += 1;
                }
            }
        }
        let [by_kind, by_service, by_provider] = maps;
        self.by_kind = by_kind.into_values().collect();
        self.by_service = by_service.into_values().collect();
        self.by_provider = by_provider.into_values().collect();
        if let (Some(counted), Some(_)) = (self.cash.counted_minor, self.cash.difference_minor) {
            self.cash.difference_minor = Some(counted - self.cash.expected_minor);
        }
    }

    /// Counts a group's outcome: successes in the lines (per kind, service, provider) and the
    /// totals, failures tallied. Unsettled operations are listed from their rows, not here.
    fn count_group(&mut self, g: &Group, [by_kind, by_service, by_provider]: &mut [Lines; 3]) {
        match g.status {
            OperationStatus::Success => {
                let line = |map: &mut Lines, key: &str, label: Localized| {
                    map.entry(key.to_owned())
                        .or_insert_with(|| Line {
                            key: key.to_owned(),
                            label,
                            ..Line::default()
                        })
                        .add_group(g);
                };
                line(by_kind, &g.kind, kind_label(&g.kind));
                line(by_service, &g.service_code, service_label(g));
                line(by_provider, &g.provider, provider_label(&g.provider));
                self.totals.add_group(g);
            }
            OperationStatus::Failed | OperationStatus::Cancelled | OperationStatus::Expired => {
                self.failed.add(g.count, g.amount_minor);
                self.refunded.add(g.refunded_count, g.refunded_minor);
            }
            _ => {}
        }
    }
}

fn take_lines(lines: &mut Vec<Line>) -> Lines {
    std::mem::take(lines)
        .into_iter()
        .map(|l| (l.key.clone(), l))
        .collect()
}

/// The report of `shift` over `ops` (its operations, in memory) and `movements`.
pub fn of_operations(
    shift: &Shift,
    kind: ReportKind,
    now: DateTime<Utc>,
    ops: &[Operation],
    movements: Vec<CashMovement>,
) -> ShiftReport {
    let summed: Vec<Group> = ops.iter().map(Group::of).collect();
    let unsettled: Vec<Operation> = ops
        .iter()
        .filter(|o| !o.status.is_final())
        .cloned()
        .collect();
    let mut by_hour = vec![0; 24];
    for op in ops.iter().filter(|o| o.status == OperationStatus::Success) {
        if let Some(slot) = by_hour.get_mut(usize::try_from(op.created_at.hour()).unwrap_or(0)) {
            *slot += 1;
        }
    }
    of_groups(shift, kind, now, &summed, &unsettled, by_hour, movements)
}

/// The report of `shift` over its operations summed in `groups`, the `unsettled` ones listed
/// apart, successes per hour, and `movements`.
fn of_groups(
    shift: &Shift,
    kind: ReportKind,
    now: DateTime<Utc>,
    groups: &[Group],
    unsettled: &[Operation],
    by_hour: Vec<i64>,
    movements: Vec<CashMovement>,
) -> ShiftReport {
    let mut r = empty(kind, now);
    r.z_number = shift.z_number;
    r.currency = shift.currency.clone();
    r.shifts = vec![ShiftLine::of(shift)];
    r.by_hour = by_hour;
    let mut maps: [Lines; 3] = Default::default();
    for g in groups {
        r.training_count += g.training;
        r.count_group(g, &mut maps);
        let cash = g.cash_minor();
        if cash > 0 {
            r.cash.sales_in_minor += cash;
        } else {
            r.cash.sales_out_minor -= cash;
        }
    }
    for op in unsettled {
        match op.status {
            OperationStatus::NeedsReview => r.to_review.push(OpLine::of(op)),
            _ => r.pending.push(OpLine::of(op)),
        }
    }
    let [by_kind, by_service, by_provider] = maps;
    r.by_kind = by_kind.into_values().collect();
    r.by_service = by_service.into_values().collect();
    r.by_provider = by_provider.into_values().collect();
    for m in &movements {
        match m.direction {
            Direction::In => r.cash.movements_in_minor += m.amount_minor,
            Direction::Out => r.cash.movements_out_minor += m.amount_minor,
        }
    }
    r.movements = movements;
    let c = &mut r.cash;
    c.opening_float_minor = shift.opening_float_minor;
    c.expected_minor = c.opening_float_minor + c.sales_in_minor - c.sales_out_minor
        + c.movements_in_minor
        - c.movements_out_minor;
    c.counted_minor = shift.counted_minor;
    c.difference_minor = shift.counted_minor.map(|n| n - c.expected_minor);
    r
}

/// Test helpers shared by the day's unit tests.
#[cfg(test)]
pub(crate) mod tests_support {
    use super::*;

    /// An operation of `kind` in `status` for `amount`.
    pub(crate) fn op(kind: &str, status: OperationStatus, amount: i64) -> Operation {
        let now = Utc::now();
        Operation {
            id: Uuid::now_v7(),
            idempotency_key: Uuid::now_v7().to_string(),
            provider: "dexchange".into(),
            service_code: "ORANGE_SN_AIRTIME".into(),
            kind: kind.into(),
            country: "SN".into(),
            currency: "XOF".into(),
            amount_minor: amount,
            fee_minor: None,
            customer_ref: "771234567".into(),
            invoice_ref: None,
            status,
            provider_ref: None,
            token: None,
            operator_name: "Awa".into(),
            training: true,
            details: Default::default(),
            created_at: now,
            updated_at: now,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::tests_support::op;
    use super::*;
    use serde_json::json;

    fn shift(float: i64) -> Shift {
        Shift {
            id: 1,
            opened_by: "Awa".into(),
            opened_at: Utc::now(),
            currency: "XOF".into(),
            opening_float_minor: float,
            opening_count: None,
            closed_by: None,
            closed_at: None,
            expected_minor: None,
            counted_minor: None,
            closing_count: None,
            approved_by: None,
            approval_note: None,
            z_number: None,
        }
    }

    #[test]
    fn the_drawer_counts_settled_sales_and_lists_the_rest_apart() {
        let mut airtime = op("airtime", OperationStatus::Success, 1000);
        airtime.details.insert("commission_minor".into(), json!(10));
        airtime
            .details
            .insert("provider_fee_minor".into(), json!(-30));
        let mut bill = op("bill", OperationStatus::Success, 5000);
        bill.fee_minor = Some(100);
        bill.service_code = "SENELEC_SN_BILL".into();
        let cashout = op("collection", OperationStatus::Success, 2000);
        let link = op("payment_link", OperationStatus::Success, 7000);
        let mut refunded = op("prepaid", OperationStatus::Failed, 3000);
        refunded
            .details
            .insert("refund".into(), json!({"amount_minor": 3000}));
        let unknown = op("disbursement", OperationStatus::Unknown, 4000);
        let review = op("bill", OperationStatus::NeedsReview, 6000);
        let ops = [airtime, bill, cashout, link, refunded, unknown, review];
        let mv = |d, a| CashMovement {
            id: 1,
            shift_id: 1,
            at: Utc::now(),
            operator: "Awa".into(),
            direction: d,
            amount_minor: a,
            reason: "x".into(),
        };
        let r = of_operations(
            &shift(10_000),
            ReportKind::X,
            Utc::now(),
            &ops,
            vec![mv(Direction::In, 500), mv(Direction::Out, 1500)],
        );
        assert_eq!(r.cash.sales_in_minor, 1000 + 5100);
        assert_eq!(r.cash.sales_out_minor, 2000);
        assert_eq!(r.cash.expected_minor, 10_000 + 6100 - 2000 + 500 - 1500);
        assert_eq!(r.totals.count, 4);
        assert_eq!(r.totals.amount_minor, 1000 + 5000 + 2000 + 7000);
        assert_eq!(r.totals.fee_minor, 100);
        assert_eq!(r.totals.commission_minor, 10);
        assert_eq!(r.totals.provider_commission_minor, 30);
        assert_eq!(
            r.failed,
            Tally {
                count: 1,
                amount_minor: 3000
            }
        );
        assert_eq!(
            r.refunded,
            Tally {
                count: 1,
                amount_minor: 3000
            }
        );
        assert_eq!(r.pending.len(), 1);
        assert_eq!(r.to_review.len(), 1);
        assert_eq!(r.by_kind.len(), 4);
        let link_line = r.by_kind.iter().find(|l| l.key == "payment_link").unwrap();
        assert_eq!((link_line.count, link_line.cash_minor), (1, 0));
        assert_eq!(r.by_service.len(), 2);
        assert_eq!(r.by_hour.iter().sum::<i64>(), 4, "one per success, by hour");

        let day = ShiftReport::sum(Utc::now().date_naive(), &[r.clone(), r.clone()], Utc::now());
        assert_eq!(day.cash.expected_minor, 2 * r.cash.expected_minor);
        assert_eq!(day.totals.count, 8);
        assert_eq!(day.by_kind.len(), 4);
        assert_eq!(day.by_hour.iter().sum::<i64>(), 8);
        assert_eq!(
            day.cash.counted_minor, None,
            "open shifts: nothing counted yet"
        );
    }
}
