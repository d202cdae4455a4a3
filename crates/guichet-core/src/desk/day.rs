//! The business day at the desk: shifts, cash movements, X / Z / day reports and the
//! providers' float (`crate::day` holds the rules; this file only checks who may call).
//!
//! Cashiers open, move cash, close and read the X and Z reports of the till; the day report,
//! the "shift required to sell" setting and the low-float thresholds are the manager's. A cash
//! difference at close needs a manager's name, PIN (asked again) and note.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

use super::{Desk, Permission};
use crate::audit::{Audit, AuditAction};
use crate::catalog::Provider;
use crate::day::{
    float, pdf, render, shift, Approval, CashMovement, Counted, DayError, Direction, FloatStatus,
    Moment, Shift, ShiftReport,
};
use crate::engine::EngineError;
use crate::printer;
use crate::receipt::{PaperWidth, Receipt};
use crate::settings::{self, keys};
use crate::till::TillError;

/// Longest wait for one provider's balance (a shift opens or closes anyway, the reading says
/// why it is missing).
const FLOAT_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// A closed shift and its Z report.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ShiftClosed {
    /// The shift as closed.
    pub shift: Shift,
    /// Its Z report, as stored.
    pub report: ShiftReport,
}

/// The manager's settings of the business day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DaySettings {
    /// Selling needs an open shift.
    pub shift_required: bool,
    /// Low-float threshold per provider slug, minor units.
    #[ts(type = "Record<string, number>")]
    pub float_thresholds: BTreeMap<String, i64>,
}

/// A report saved as a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SavedReport {
    /// Its full path (the till's data folder, `rapports/`).
    pub path: String,
}

/// The folder of the till's data where reports are saved as PDF.
pub const REPORTS_DIR: &str = "rapports";

/// A report laid out for the printer, and how it was printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ReportPrint {
    /// No printer is configured: the UI prints `text` through the system dialog.
    pub system_dialog: bool,
    /// The report as plain text.
    pub text: String,
}

impl Desk {
    /// The open shift, if any (the header polls it: not the person's activity).
    pub async fn current_shift(&self) -> Result<Option<Shift>, TillError> {
        self.require(Permission::Watching).await?;
        shift::current(self.till.ledger()).await
    }

    /// Refuses a sale when the manager requires a shift and none is open (`shift_required`).
    pub(super) async fn check_shift(&self) -> Result<(), TillError> {
        let ledger = self.till.ledger();
        if settings::shift_required(ledger).await? && shift::current(ledger).await?.is_none() {
            return Err(DayError::NoOpenShift.into());
        }
        Ok(())
    }

    /// Opens a shift with the counted float; reads the providers' float when they are started.
    pub async fn open_shift(&self, float: Counted) -> Result<Shift, TillError> {
        let actor = self.actor(Permission::Operator).await?;
        let ledger = self.till.ledger();
        let opened = shift::open(ledger, &actor, self.now(), &float).await?;
        self.audit_day(
            &actor,
            "shift_opened",
            json!({"shift_id": opened.id, "opening_float_minor": opened.opening_float_minor}),
        )
        .await?;
        tracing::info!(
            shift = opened.id,
            float = opened.opening_float_minor,
            "day: shift opened"
        );
        self.read_floats_at(Moment::Open, Some(opened.id)).await?;
        Ok(opened)
    }

    /// Records cash paid in or out of the open shift's drawer, with its reason.
    pub async fn cash_movement(
        &self,
        direction: Direction,
        amount_minor: i64,
        reason: &str,
    ) -> Result<CashMovement, TillError> {
        let actor = self.actor(Permission::Operator).await?;
        let m = shift::add_movement(
            self.till.ledger(),
            &actor,
            self.now(),
            direction,
            amount_minor,
            reason,
        )
        .await?;
        self.audit_day(
            &actor,
            "cash_movement",
            json!({"shift_id": m.shift_id, "direction": m.direction, "amount_minor": m.amount_minor, "reason": m.reason}),
        )
        .await?;
        Ok(m)
    }

    /// Closes the open shift with the counted cash and stores its Z report. A difference needs
    /// `approval`: a manager's name and PIN (asked again; a wrong PIN counts towards the lockout)
    /// and a note.
    pub async fn close_shift(
        &self,
        shift_id: i64,
        counted: Counted,
        approval: Option<Approval>,
    ) -> Result<ShiftClosed, TillError> {
        let actor = self.actor(Permission::Operator).await?;
        let approved = match &approval {
            Some(a) => {
                let note = shift::check_note(&a.note).ok_or_else(|| {
                    settings::invalid(
                        "note",
                        "Écrivez pourquoi l'écart est accepté.",
                        "Write why the difference is accepted.",
                    )
                })?;
                let manager = self
                    .confirm_manager(&a.manager, a.pin.expose_secret())
                    .await?;
                Some((manager.name().to_owned(), note))
            }
            None => None,
        };
        let ledger = self.till.ledger();
        // Read before the closing transaction (a provider may be slow); stored with the close.
        let floats = self.read_balances().await;
        let (closed, report) = shift::close(
            ledger,
            shift_id,
            &actor,
            self.now(),
            &counted,
            approved.as_ref().map(|(m, n)| (m.as_str(), n.as_str())),
            floats,
        )
        .await?;
        self.audit_day(
            &actor,
            "shift_closed",
            json!({
                "shift_id": closed.id,
                "z_number": closed.z_number,
                "expected_minor": closed.expected_minor,
                "counted_minor": closed.counted_minor,
                "approved_by": closed.approved_by,
                "note": closed.approval_note,
            }),
        )
        .await?;
        Ok(ShiftClosed {
            shift: closed,
            report,
        })
    }

    /// The X report: the open shift so far (or shift `id`, open or closed, as it stands now).
    pub async fn x_report(&self, id: Option<i64>) -> Result<ShiftReport, TillError> {
        self.require(Permission::Operator).await?;
        let ledger = self.till.ledger();
        let id = match id {
            Some(id) => id,
            None => {
                shift::current(ledger)
                    .await?
                    .ok_or(DayError::NoOpenShift)?
                    .id
            }
        };
        shift::x_report(ledger, id, self.now()).await
    }

    /// A Z report as it was stored at close: number `number`, or the last one.
    pub async fn z_report(&self, number: Option<i64>) -> Result<ShiftReport, TillError> {
        self.require(Permission::Operator).await?;
        let ledger = self.till.ledger();
        let number = match number {
            Some(n) => n,
            None => sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(number) FROM z_reports")
                .fetch_one(ledger.pool())
                .await
                .map_err(|e| DayError::Report(e.to_string()))?
                .ok_or(DayError::ShiftNotFound { id: 0 })?,
        };
        shift::z_report(ledger, number).await
    }

    /// The day report (manager): every shift opened on `day` summed, each closed one by its
    /// stored Z, each open one as it stands.
    pub async fn day_report(&self, day: NaiveDate) -> Result<ShiftReport, TillError> {
        self.require(Permission::Manager).await?;
        let ledger = self.till.ledger();
        let now = self.now();
        let mut parts = Vec::new();
        for s in shift::opened_on(ledger, day).await? {
            parts.push(match s.is_open() {
                true => shift::x_report(ledger, s.id, now).await?,
                false => shift::z_of_shift(ledger, s.id).await?,
            });
        }
        Ok(ShiftReport::sum(day, &parts, now))
    }

    /// The shifts opened on `day` (manager's day screen).
    pub async fn shifts_on(&self, day: NaiveDate) -> Result<Vec<Shift>, TillError> {
        self.require(Permission::Manager).await?;
        shift::opened_on(self.till.ledger(), day).await
    }

    /// A report laid out for the printer at `width`, in the till's language.
    pub async fn report_receipt(
        &self,
        report: &ShiftReport,
        width: PaperWidth,
    ) -> Result<Receipt, TillError> {
        self.require(Permission::Operator).await?;
        let ledger = self.till.ledger();
        let shop = settings::shop_name(ledger).await?;
        let lang = settings::language(ledger).await?;
        Ok(render::to_receipt(report, &shop, width, lang))
    }

    /// A report as a PDF (A4), in the till's language.
    pub async fn report_pdf(&self, report: &ShiftReport) -> Result<Vec<u8>, TillError> {
        self.require(Permission::Operator).await?;
        let ledger = self.till.ledger();
        let shop = settings::shop_name(ledger).await?;
        let lang = settings::language(ledger).await?;
        Ok(pdf::to_pdf(report, &shop, lang))
    }

    /// Saves a report as a PDF in the till's data folder (`rapports/`), where the shop finds
    /// it: `rapport-z-0003.pdf`, `rapport-jour-2026-12-06.pdf`, `rapport-x-caisse-4-…pdf`.
    pub async fn save_report_pdf(&self, report: &ShiftReport) -> Result<SavedReport, TillError> {
        let bytes = self.report_pdf(report).await?;
        let dir = self.till.data_dir().join(REPORTS_DIR);
        let path = dir.join(pdf::file_name(report));
        let shown = path.display().to_string();
        let failed = |e: std::io::Error| DayError::ReportNotSaved {
            path: shown.clone(),
            detail: e.to_string(),
        };
        tokio::fs::create_dir_all(&dir).await.map_err(failed)?;
        tokio::fs::write(&path, bytes).await.map_err(failed)?;
        tracing::info!(path = %shown, "day: report saved as PDF");
        Ok(SavedReport { path: shown })
    }

    /// Prints a report on the configured printer (or hands the text to the system dialog).
    pub async fn print_report(&self, report: &ShiftReport) -> Result<ReportPrint, TillError> {
        self.require(Permission::Operator).await?;
        let printer = settings::printer(self.till.ledger()).await?;
        let width = printer.as_ref().map_or(PaperWidth::Mm80, |p| p.width);
        let receipt = self.report_receipt(report, width).await?;
        let system_dialog = match &printer {
            Some(config) if !config.uses_system_dialog() => {
                let (r, c) = (receipt.clone(), config.clone());
                tokio::task::spawn_blocking(move || printer::print(&r, &c))
                    .await
                    .map_err(|e| TillError::Settings(format!("printer task: {e}")))??;
                false
            }
            _ => true,
        };
        Ok(ReportPrint {
            system_dialog,
            text: receipt.to_text(),
        })
    }

    /// Each provider's float from the last readings, against the manager's thresholds (the
    /// header polls it: not the person's activity).
    pub async fn float_status(&self) -> Result<Vec<FloatStatus>, TillError> {
        self.require(Permission::Watching).await?;
        let ledger = self.till.ledger();
        let readings = float::readings(ledger, None).await?;
        Ok(float::status(
            &readings,
            &settings::float_thresholds(ledger).await?,
        ))
    }

    /// Reads every provider's balance now (needs the providers started) and stores it.
    pub async fn read_floats(&self) -> Result<Vec<FloatStatus>, TillError> {
        self.require(Permission::Operator).await?;
        self.engine()?;
        let open = shift::current(self.till.ledger()).await?.map(|s| s.id);
        self.read_floats_at(Moment::OnDemand, open).await?;
        self.float_status().await
    }

    /// Reads and stores each provider's balance; nothing when no provider is started (a CLI
    /// command that talks to none), skipping providers without keys or without a balance API.
    async fn read_floats_at(&self, moment: Moment, shift_id: Option<i64>) -> Result<(), TillError> {
        for (p, read) in self.read_balances().await {
            float::record(self.till.ledger(), p, self.now(), shift_id, moment, read).await?;
        }
        Ok(())
    }

    /// Each started provider's balance now (a failed read says why), skipping providers
    /// without keys or without a balance API; none when no provider is started.
    async fn read_balances(&self) -> Vec<shift::ProviderBalance> {
        let Ok(engine) = self.engine() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for p in Provider::ALL
            .into_iter()
            .filter(|p| float::has_balance_api(*p))
        {
            // A provider that does not answer must not hold the cashier's shift open or close.
            let read = match tokio::time::timeout(FLOAT_READ_TIMEOUT, engine.balance(p)).await {
                Ok(Ok(b)) => Ok((b.amount_minor, b.currency)),
                Ok(Err(EngineError::ProviderNotConfigured(_))) => continue,
                Ok(Err(e)) => {
                    tracing::warn!(provider = p.slug(), code = e.code(), error = %e, "day: float not read");
                    Err(e.code().to_owned())
                }
                Err(_) => {
                    tracing::warn!(provider = p.slug(), "day: float not read in time");
                    Err("float_read_timeout".to_owned())
                }
            };
            out.push((p, read));
        }
        out
    }

    /// The business day's settings (manager).
    pub async fn day_settings(&self) -> Result<DaySettings, TillError> {
        self.require(Permission::Manager).await?;
        self.read_day_settings().await
    }

    async fn read_day_settings(&self) -> Result<DaySettings, TillError> {
        let ledger = self.till.ledger();
        Ok(DaySettings {
            shift_required: settings::shift_required(ledger).await?,
            float_thresholds: settings::float_thresholds(ledger).await?,
        })
    }

    /// Changes the business day's settings (manager; each change audited).
    pub async fn save_day_settings(&self, new: DaySettings) -> Result<DaySettings, TillError> {
        let actor = self.actor(Permission::Manager).await?;
        settings::check_thresholds(&new.float_thresholds)?;
        let ledger = self.till.ledger();
        let now = self.now();
        let required = new.shift_required.to_string();
        settings::set(ledger, &actor, now, keys::SHIFT_REQUIRED, &required).await?;
        let json = serde_json::to_string(&new.float_thresholds).expect("thresholds serialize");
        settings::set(ledger, &actor, now, keys::FLOAT_THRESHOLDS, &json).await?;
        self.read_day_settings().await
    }

    async fn audit_day(
        &self,
        actor: &str,
        action: &str,
        details: serde_json::Value,
    ) -> Result<(), TillError> {
        Audit::new(self.till.ledger())
            .append_at(
                self.now(),
                actor,
                AuditAction::Other(action.to_owned()),
                details,
            )
            .await?;
        Ok(())
    }
}
