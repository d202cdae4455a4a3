//! The till's state held by the shell: the core `Till`, or why it could not open.

use std::path::PathBuf;

use guichet_core::till::{ProviderTarget, Till, TillError};
use tauri::{AppHandle, Manager};

use crate::error::CommandError;

/// Environment variable that points the app at another data dir (tests, support).
const DATA_DIR_ENV: &str = "GUICHET_DATA_DIR";
/// Environment variable that points training mode at a `guichet-sandbox` already running there
/// instead of the embedded one (support, and tests that stop the providers mid-session).
const SANDBOX_URL_ENV: &str = "GUICHET_SANDBOX_URL";

/// What the commands reach: the open till, or the error to show instead of a blank screen.
pub struct AppState {
    till: Result<Till, TillError>,
}

impl AppState {
    /// Opens the till in the app data dir; an error is kept and shown by every command.
    pub fn open(app: &AppHandle) -> Self {
        let till = data_dir(app).and_then(|dir| {
            tracing::info!(data_dir = %dir.display(), "opening the till");
            let target = match std::env::var(SANDBOX_URL_ENV) {
                Ok(url) => ProviderTarget::Sandbox(url),
                Err(_) => ProviderTarget::Training,
            };
            tauri::async_runtime::block_on(Till::open_with(&dir, target, true))
        });
        if let Err(err) = &till {
            tracing::error!(error = %err, "the till could not open");
        }
        Self { till }
    }

    /// The open till, or the startup error as a command error.
    pub fn till(&self) -> Result<&Till, CommandError> {
        self.till.as_ref().map_err(CommandError::from)
    }
}

/// `$GUICHET_DATA_DIR`, else the OS app data dir for this build's identifier.
fn data_dir(app: &AppHandle) -> Result<PathBuf, TillError> {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV) {
        return Ok(PathBuf::from(dir));
    }
    app.path()
        .app_data_dir()
        .map_err(|e| TillError::DataDir(e.to_string()))
}
