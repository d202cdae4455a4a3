//! What can go wrong with shifts, cash movements, reports and float readings.

use thiserror::Error;

use crate::money::{Currency, Money};
use crate::text::Localized;

/// Why a business-day call was refused.
#[derive(Debug, Error)]
pub enum DayError {
    /// Selling needs an open shift (the manager's setting) and none is open.
    #[error("no open shift")]
    NoOpenShift,
    /// A shift is already open at this till.
    #[error("a shift is already open (by {opened_by})")]
    ShiftAlreadyOpen {
        /// Who opened it.
        opened_by: String,
    },
    /// The shift asked for is not the open one (closed already, or another).
    #[error("shift {id} is not open")]
    ShiftNotOpen {
        /// The shift.
        id: i64,
    },
    /// No such shift (or Z report).
    #[error("no shift {id}")]
    ShiftNotFound {
        /// The shift or Z number asked for.
        id: i64,
    },
    /// The counted cash differs from the expected cash: a manager must approve it with a note.
    #[error("difference of {difference_minor} needs a manager's approval")]
    DifferenceNeedsApproval {
        /// What the drawer should hold.
        expected_minor: i64,
        /// What was counted.
        counted_minor: i64,
        /// counted − expected.
        difference_minor: i64,
    },
    /// A count that cannot be (negative, or too large).
    #[error("invalid cash count")]
    InvalidCount,
    /// A cash movement without an amount or a reason.
    #[error("invalid cash movement: {0}")]
    InvalidMovement(&'static str),
    /// A report that cannot be stored or read back.
    #[error("report: {0}")]
    Report(String),
    /// A report's file (PDF) that could not be written.
    #[error("report file {path}: {detail}")]
    ReportNotSaved {
        /// Where it was to be written.
        path: String,
        /// The system's reason.
        detail: String,
    },
}

impl DayError {
    /// Stable code for the UI, the CLI and tests.
    pub fn code(&self) -> &'static str {
        match self {
            DayError::NoOpenShift => "shift_required",
            DayError::ShiftAlreadyOpen { .. } => "shift_already_open",
            DayError::ShiftNotOpen { .. } => "shift_not_open",
            DayError::ShiftNotFound { .. } => "shift_not_found",
            DayError::DifferenceNeedsApproval { .. } => "shift_difference_needs_approval",
            DayError::InvalidCount => "shift_invalid_count",
            DayError::InvalidMovement(_) => "cash_movement_invalid",
            DayError::Report(_) => "report_unreadable",
            DayError::ReportNotSaved { .. } => "report_not_saved",
        }
    }

    /// What the cashier reads.
    pub fn message(&self) -> Localized {
        match self {
            DayError::NoOpenShift => Localized::new(
                "Aucune caisse n'est ouverte : ouvrez votre caisse (fond de caisse compté) avant de vendre.",
                "No shift is open: open your shift (count the opening float) before selling.",
            ),
            DayError::ShiftAlreadyOpen { opened_by } => Localized::new(
                format!("Une caisse est déjà ouverte sur ce poste (par {opened_by}) : fermez-la d'abord."),
                format!("A shift is already open at this till (by {opened_by}): close it first."),
            ),
            DayError::ShiftNotOpen { id } => Localized::new(
                format!("La caisse n° {id} n'est pas ouverte."),
                format!("Shift {id} is not open."),
            ),
            DayError::ShiftNotFound { id } => Localized::new(
                format!("Aucune caisse ni rapport n° {id}."),
                format!("No shift or report number {id}."),
            ),
            DayError::DifferenceNeedsApproval {
                expected_minor,
                counted_minor,
                difference_minor,
            } => {
                let f = |m: &i64| Money::new(*m, Currency::Xof).localized();
                let (d, e, c) = (f(difference_minor), f(expected_minor), f(counted_minor));
                Localized::new(
                    format!("Écart de caisse de {} (attendu {}, compté {}) : un responsable doit le valider avec une note et son code PIN.", d.fr, e.fr, c.fr),
                    format!("Cash difference of {} (expected {}, counted {}): a manager must approve it with a note and their PIN.", d.en, e.en, c.en),
                )
            }
            DayError::InvalidCount => Localized::new(
                "Ce comptage n'est pas possible (montant négatif ou trop grand). Recomptez.",
                "This count is not possible (negative or too large). Count again.",
            ),
            DayError::InvalidMovement(what) => Localized::new(
                format!("Mouvement de caisse refusé : {}.", match *what {
                    "amount" => "le montant doit être supérieur à zéro",
                    _ => "indiquez le motif (approvisionnement, dépense, versement en banque…)",
                }),
                format!("Cash movement refused: {}.", match *what {
                    "amount" => "the amount must be above zero",
                    _ => "give the reason (float top-up, expense, bank deposit…)",
                }),
            ),
            DayError::Report(detail) => Localized::new(
                format!("Un rapport de caisse enregistré est illisible ({detail}). Contactez le support."),
                format!("A stored shift report is unreadable ({detail}). Contact support."),
            ),
            DayError::ReportNotSaved { path, detail } => Localized::new(
                format!("Le rapport n'a pas pu être enregistré dans {path} ({detail}). Vérifiez la place sur le disque."),
                format!("The report could not be saved to {path} ({detail}). Check the disk space."),
            ),
        }
    }
}
