//! The till's state held by the shell: the core's `Desk`, or why it could not open.

use std::path::PathBuf;

use guichet_core::desk::Desk;
use guichet_core::providers::ProviderTarget;
use guichet_core::secrets::{Backend, SERVICE};
use guichet_core::till::TillError;
use tauri::{AppHandle, Manager};
use tokio::sync::OnceCell;

use crate::error::CommandError;

/// Environment variable that points the app at another data dir (tests, support).
const DATA_DIR_ENV: &str = "GUICHET_DATA_DIR";
/// Environment variable that points training mode at a `guichet-sandbox` already running there
/// instead of the embedded one (support, and tests that stop the providers mid-session).
const SANDBOX_URL_ENV: &str = "GUICHET_SANDBOX_URL";
/// Which keyring store (`auto`, `secret-service`, `keyutils`), as for `guichetctl`.
const KEYRING_ENV: &str = "GUICHET_KEYRING";
/// The production identifier: its keys live under the keyring service `guichet`.
const PRODUCTION_IDENTIFIER: &str = "sn.guichet.pos";

/// What the commands reach: the till, opened once in the background (the window loads
/// meanwhile: start-up does not wait for the ledger, the keyring and the providers), or why it
/// could not open.
pub struct AppState {
    app: AppHandle,
    desk: OnceCell<Result<Desk, TillError>>,
}

impl AppState {
    /// The state of an app whose till is not open yet; the first `desk()` opens it.
    pub fn new(app: &AppHandle) -> Self {
        Self {
            app: app.clone(),
            desk: OnceCell::new(),
        }
    }

    /// The open till's desk (waiting for it to open), or the startup error as a command error.
    pub async fn desk(&self) -> Result<&Desk, CommandError> {
        self.desk
            .get_or_init(|| open(&self.app))
            .await
            .as_ref()
            .map_err(CommandError::from)
    }
}

/// Opens the till in the app data dir, with the keyring of this build, in the mode it was left
/// in; an error is kept and shown by every command.
async fn open(app: &AppHandle) -> Result<Desk, TillError> {
    let opened = async {
        let dir = data_dir(app)?;
        crate::logging::to_data_dir(&dir);
        tracing::info!(data_dir = %dir.display(), "opening the till");
        let target = match std::env::var(SANDBOX_URL_ENV) {
            Ok(url) => ProviderTarget::Sandbox(url),
            Err(_) => ProviderTarget::Training,
        };
        let (backend, service) = keyring(app);
        Desk::open_app(&dir, target, backend, &service).await
    }
    .await;
    match &opened {
        Ok(_) => tracing::info!("the till is open"),
        Err(err) => tracing::error!(error = %err, "the till could not open"),
    }
    opened
}

/// The keyring store and service: test builds (another identifier) never see a real till's keys.
fn keyring(app: &AppHandle) -> (Backend, String) {
    let backend = std::env::var(KEYRING_ENV)
        .ok()
        .and_then(|name| Backend::parse(&name))
        .unwrap_or(Backend::Auto);
    let identifier = &app.config().identifier;
    let service = if identifier == PRODUCTION_IDENTIFIER {
        SERVICE.to_owned()
    } else {
        identifier.clone()
    };
    (backend, service)
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
