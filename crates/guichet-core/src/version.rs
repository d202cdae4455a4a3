//! Guichet's one version: the workspace's `version` in the top `Cargo.toml`.
//!
//! Every crate takes `version.workspace = true`, so this is the number the app's footer, the
//! receipts, `guichetctl --version`, the audit trail's `app_started` entry and the `.deb`
//! (cargo-deb reads the same field) all show. `tauri.conf.json` names no version of its own:
//! Tauri then reads the shell crate's, the same one.

/// Guichet's version (`0.1.0`).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// What a receipt's last line says: the version that recorded the operation (`Guichet 0.1.0`).
pub fn receipt_line(version: &str) -> String {
    format!("Guichet {version}")
}
