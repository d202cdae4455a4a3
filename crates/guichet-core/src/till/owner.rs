//! One owner per data dir: the process that runs an engine holds an OS advisory lock on
//! `<data dir>/guichet.lock`. Another process (a `guichetctl` beside the app) only reads. The OS
//! drops the lock when its holder dies (kill -9, power cut): there is no stale lock to clean.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;
use std::time::{Duration, Instant};

use super::TillError;

/// File name of the owner lock inside the data dir (it holds nothing; the lock is the point).
pub const OWNER_LOCK_FILE: &str = "guichet.lock";

/// How often a waiting process tries the lock again.
const RETRY: Duration = Duration::from_millis(200);

/// The held lock: this process owns the ledger until it is dropped.
#[derive(Debug)]
pub struct OwnerLock {
    _file: File,
}

impl OwnerLock {
    /// Takes the lock, waiting up to `wait` for another owner to finish; `ledger_in_use` when
    /// another process still holds it then.
    pub async fn acquire(data_dir: &Path, wait: Duration) -> Result<OwnerLock, TillError> {
        let path = data_dir.join(OWNER_LOCK_FILE);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| TillError::DataDir(format!("{}: {e}", path.display())))?;
        let deadline = Instant::now() + wait;
        loop {
            match file.try_lock() {
                Ok(()) => {
                    tracing::info!(path = %path.display(), "this process owns the ledger");
                    return Ok(OwnerLock { _file: file });
                }
                Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                    tokio::time::sleep(RETRY).await;
                }
                Err(TryLockError::WouldBlock) => {
                    tracing::warn!(path = %path.display(), "another process owns the ledger");
                    return Err(TillError::LedgerInUse);
                }
                Err(TryLockError::Error(e)) => {
                    return Err(TillError::DataDir(format!("{}: {e}", path.display())))
                }
            }
        }
    }
}
