//! The ledger file's integrity check (`PRAGMA quick_check`). It reads every page: 7–10 s at a
//! million operations (20 s from a cold disk; docs/benchmarks.md), so the app runs it once the
//! till is open, in the background, instead of before every start (a kiosk restarts after a
//! crash; a shop switches its PC on every morning). Before a schema upgrade it still runs first
//! (`open.rs`): a damaged file is never migrated; `guichetctl`'s money commands run it before
//! they send. A damage found stops new operations (`ledger_corrupt`) in this process and, through
//! a marker file beside the ledger (`<ledger>.damaged`, read at every open), in every later one;
//! what is recorded stays readable (history, reprints, exports), and answers about operations
//! already sent are still recorded: evidence is kept. Support removes the marker once the file
//! is repaired or restored.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use sqlx::sqlite::{SqlitePool, SqlitePoolOptions};

use super::{open, Ledger, LedgerError, Result};

/// The damage found in a ledger, shared by every clone of it: unset while none is known.
pub(super) type Found = Arc<OnceLock<String>>;

impl Ledger {
    /// Runs the check over a read-only connection (it writes nothing to the ledger). A damage
    /// found is kept (new operations refused), written to the marker file and answered
    /// `ledger_corrupt`; a check that could not run (file gone, disk error) is no verdict. Every
    /// outcome is logged here.
    pub async fn check_integrity(&self) -> Result<()> {
        // Without the memory map: a read error of the disk is then an error, not the end of
        // the process (SIGBUS) in the middle of the day.
        let options = open::base_options(&self.path)
            .read_only(true)
            .pragma("mmap_size", "0");
        let checked = match SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
        {
            Ok(read_only) => {
                let checked = quick_check(&read_only, &self.path).await;
                read_only.close().await;
                checked
            }
            Err(e) => Err(LedgerError::from_sqlx(&self.path, e)),
        };
        match checked {
            Ok(()) => {
                tracing::info!(path = %self.path.display(), "ledger: integrity check passed");
                Ok(())
            }
            Err(LedgerError::Corrupt { path, detail }) => {
                tracing::error!(path = %path.display(), %detail, "ledger: damaged, new operations stopped");
                let _ = self.integrity.set(detail.clone());
                if let Err(err) = write_marker(&path, &detail) {
                    tracing::error!(error = %err, "ledger: the damage marker could not be written");
                }
                Err(LedgerError::Corrupt { path, detail })
            }
            Err(other) => {
                tracing::warn!(path = %self.path.display(), error = %other, "ledger: integrity check could not run");
                Err(other)
            }
        }
    }

    /// The damage found in this ledger (by a check, now or in an earlier run), if any.
    pub fn damage(&self) -> Option<LedgerError> {
        self.integrity.get().map(|detail| LedgerError::Corrupt {
            path: self.path.clone(),
            detail: detail.clone(),
        })
    }

    /// Refuses with `ledger_corrupt` once a damage is known.
    pub(super) fn ensure_sound(&self) -> Result<()> {
        self.damage().map_or(Ok(()), Err)
    }
}

/// `PRAGMA quick_check` on `pool`: it reads every page (not the index contents) and answers one
/// row, "ok", on a sound file.
pub(super) async fn quick_check(pool: &SqlitePool, path: &Path) -> Result<()> {
    let problems: Vec<String> = sqlx::query_scalar("PRAGMA quick_check")
        .fetch_all(pool)
        .await
        .map_err(|e| LedgerError::from_sqlx(path, e))?;
    if problems.len() == 1 && problems[0] == "ok" {
        return Ok(());
    }
    Err(LedgerError::Corrupt {
        path: path.to_owned(),
        detail: format!(
            "integrity check: {}",
            problems.into_iter().take(5).collect::<Vec<_>>().join("; ")
        ),
    })
}

/// The marker file of the ledger at `path`: `<ledger>.damaged`.
pub(super) fn marker_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".damaged");
    PathBuf::from(name)
}

/// The damage an earlier check recorded beside the ledger at `path`, if any (the marker's text).
pub(super) fn recorded_damage(path: &Path) -> Found {
    let found = Found::default();
    if let Ok(detail) = std::fs::read_to_string(marker_path(path)) {
        let _ = found.set(detail.trim().to_owned());
    }
    found
}

/// Writes the marker, durably: a restart must not forget the damage.
fn write_marker(path: &Path, detail: &str) -> std::io::Result<()> {
    let mut file = std::fs::File::create(marker_path(path))?;
    writeln!(file, "{detail}")?;
    file.sync_all()
}
