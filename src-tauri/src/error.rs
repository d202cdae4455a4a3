//! The one error type every command returns: a stable code and a message for the cashier.

use guichet_core::catalog::Refusal;
use guichet_core::engine::EngineError;
use guichet_core::qr::QrError;
use guichet_core::text::Localized;
use guichet_core::till::TillError;
use serde::Serialize;
use ts_rs::TS;

/// An error as the UI receives it. (Boxed slices and strings for the optional parts: every
/// command's `Result` carries one, and it stays small.)
#[derive(Debug, Clone, Serialize, TS)]
pub struct CommandError {
    /// Stable machine code (e.g. `ledger_corrupt`, `refused`), for tests and support.
    pub code: String,
    /// What the cashier reads, in French and English.
    pub message: Localized,
    /// For a refused request: every reason, each next to its field.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refusals: Option<Box<[Refusal]>>,
    /// The operation already written for this request, when what followed failed: the screen
    /// shows that operation's status and never a new Send.
    #[ts(optional, as = "Option<String>")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation_id: Option<Box<str>>,
    /// For a provider address on an undocumented host: the host the manager must confirm.
    #[ts(optional, as = "Option<String>")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<Box<str>>,
}

impl CommandError {
    /// An error with a code and a message only.
    pub fn new(code: impl Into<String>, message: Localized) -> Self {
        Self {
            code: code.into(),
            message,
            refusals: None,
            operation_id: None,
            host: None,
        }
    }
}

impl From<&TillError> for CommandError {
    fn from(err: &TillError) -> Self {
        Self {
            code: err.code().to_owned(),
            message: err.message(),
            refusals: err.refusals().map(Box::from),
            operation_id: err.operation_id().map(|id| id.to_string().into()),
            host: err.host().map(Box::from),
        }
    }
}

impl From<TillError> for CommandError {
    fn from(err: TillError) -> Self {
        tracing::warn!(error = %err, code = err.code(), "command failed");
        Self::from(&err)
    }
}

impl From<EngineError> for CommandError {
    fn from(err: EngineError) -> Self {
        Self::from(TillError::from(err))
    }
}

impl From<QrError> for CommandError {
    fn from(err: QrError) -> Self {
        Self::new(err.code(), err.message())
    }
}

impl From<tauri::Error> for CommandError {
    fn from(err: tauri::Error) -> Self {
        tracing::error!(error = %err, "window error");
        Self::new(
            "window",
            Localized::new(
                format!("La fenêtre n'a pas pu s'ouvrir ({err})."),
                format!("The window could not open ({err})."),
            ),
        )
    }
}
