//! What the home screen shows about the till: shop, operator, mode, language.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::operators::Session;
use crate::text::{Language, Localized};

/// Whether the till moves real money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Training ("FORMATION"): every provider is the local sandbox, no account needed.
    #[default]
    Training,
    /// Live: real provider accounts, keys in the OS keyring.
    Live,
}

/// The till's identity and state, as the home screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AppInfo {
    /// Shop name printed at the top of the screen and receipts.
    pub shop_name: String,
    /// The operator signed in at the till.
    pub operator_name: String,
    /// Training or live.
    pub mode: Mode,
    /// The language the cashier chose.
    pub language: Language,
    /// Guichet's version.
    pub version: String,
    /// No manager yet: the first-run wizard comes first.
    pub needs_setup: bool,
    /// The operator signed in; none: the login screen.
    pub session: Option<Session>,
    /// Seconds without activity before the screen locks; 0 = never.
    pub idle_timeout_secs: u32,
    /// Kiosk mode (fullscreen, closing needs a manager's PIN).
    pub kiosk: bool,
    /// Something the home screen must say (live keys missing at start…).
    pub notice: Option<Localized>,
}
