//! The one error type every command returns: a stable code and a message for the cashier.

use guichet_core::text::Localized;
use guichet_core::till::TillError;
use serde::Serialize;
use ts_rs::TS;

/// An error as the UI receives it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CommandError {
    /// Stable machine code (e.g. `ledger_corrupt`), for tests and support.
    pub code: String,
    /// What the cashier reads, in French and English.
    pub message: Localized,
}

impl From<&TillError> for CommandError {
    fn from(err: &TillError) -> Self {
        Self {
            code: err.code().to_owned(),
            message: err.message(),
        }
    }
}

impl From<TillError> for CommandError {
    fn from(err: TillError) -> Self {
        tracing::warn!(error = %err, code = err.code(), "command failed");
        Self::from(&err)
    }
}
