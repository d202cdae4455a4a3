//! The business day: shifts at the till, the cash drawer, X / Z / day reports and the
//! providers' float.
//!
//! - [`cash`]: what each kind of operation in each status does to the drawer (the one table).
//! - [`count`]: a cash count, as a total or by CFA denomination.
//! - [`shift`]: opening, cash movements and closing a shift, in the ledger (one open shift per
//!   till, enforced by the database).
//! - [`report`]: the X, Z and day reports built from the ledger; [`render`] lays them out for
//!   the thermal printer (32 / 48 columns) and as CSV.
//! - [`float`]: the providers' balances as read, and the low-float thresholds.
//!
//! The desk's front door is `desk/day.rs`.

pub mod cash;
pub mod count;
mod error;
pub mod float;
pub mod groups;
pub mod pdf;
pub mod render;
pub mod report;
pub mod settled;
pub mod shift;

pub use cash::{cash_effect, CashEffect};
pub use count::{CashCount, Counted};
pub use error::DayError;
pub use float::{FloatLine, FloatReading, FloatStatus, Moment};
pub use report::{ReportKind, ShiftReport};
pub use settled::SettledLine;
pub use shift::{Approval, CashMovement, Direction, Shift};
