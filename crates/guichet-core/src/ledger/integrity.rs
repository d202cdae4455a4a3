//! The ledger file's integrity check (`PRAGMA quick_check`). It reads every page: ~2 s from the
//! page cache and ~20 s from disk at a million operations (docs/benchmarks.md), so it runs once
//! the till is open, in the background, instead of before every start (a kiosk restarts after a
//! crash; a shop switches its PC on every morning). Before a schema upgrade it still runs first
//! (`open.rs`): a damaged file is never migrated. A damage found stops new operations
//! (`ledger_corrupt`); what is recorded stays readable (history, reprints, exports), and answers
//! about operations already sent are still recorded: evidence is kept.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use sqlx::sqlite::{SqlitePool, SqlitePoolOptions};

use super::{open, Ledger, LedgerError, Result};

/// What the check found, shared by every clone of a ledger: unset until it has run, then the
/// damage it found (`None`: sound).
pub(super) type Found = Arc<OnceLock<Option<String>>>;

impl Ledger {
    /// Runs the check over a read-only connection (it writes nothing) and keeps its outcome for
    /// [`Ledger::damage`]. A damaged file is answered `ledger_corrupt`; a check that could not
    /// run (file gone, disk error) is no verdict and is not kept.
    pub async fn check_integrity(&self) -> Result<()> {
        let read_only = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(open::base_options(&self.path).read_only(true))
            .await
            .map_err(|e| LedgerError::from_sqlx(&self.path, e))?;
        let checked = quick_check(&read_only, &self.path).await;
        read_only.close().await;
        match checked {
            Ok(()) => {
                let _ = self.integrity.set(None);
                tracing::info!(path = %self.path.display(), "ledger: integrity check passed");
                Ok(())
            }
            Err(LedgerError::Corrupt { path, detail }) => {
                let _ = self.integrity.set(Some(detail.clone()));
                tracing::error!(path = %path.display(), %detail, "ledger: damaged, new operations stopped");
                Err(LedgerError::Corrupt { path, detail })
            }
            Err(other) => Err(other),
        }
    }

    /// The damage the integrity check found, once it has run and found one.
    pub fn damage(&self) -> Option<LedgerError> {
        self.integrity
            .get()
            .cloned()
            .flatten()
            .map(|detail| LedgerError::Corrupt {
                path: self.path.clone(),
                detail,
            })
    }

    /// Refuses with `ledger_corrupt` once the check found the file damaged.
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
