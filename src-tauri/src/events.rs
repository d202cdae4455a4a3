//! Forwards the desk's operation updates to every window as `operation-updated`.

use guichet_core::desk::Desk;
use tauri::{AppHandle, Emitter};
use tokio::sync::broadcast::error::RecvError;

/// The event name the UI listens to; its payload is the `Operation` as it now stands.
pub const OPERATION_UPDATED: &str = "operation-updated";

/// Spawns the forwarding task for the life of the app (it survives training ↔ live switches).
pub fn forward_updates(app: AppHandle, desk: &Desk) {
    let mut updates = desk.subscribe();
    tauri::async_runtime::spawn(async move {
        loop {
            match updates.recv().await {
                Ok(update) => {
                    if let Err(err) = app.emit(OPERATION_UPDATED, &update.operation) {
                        tracing::warn!(error = %err, "could not emit operation-updated");
                    }
                }
                // The UI re-reads the operation on its next event; nothing is lost in the ledger.
                Err(RecvError::Lagged(n)) => tracing::warn!(skipped = n, "UI updates lagged"),
                Err(RecvError::Closed) => break,
            }
        }
    });
}
