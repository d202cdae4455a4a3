//! The till's data: one data dir, its ledger and its catalog. Opening a till starts nothing
//! (no engine, no reconciler, no sandbox, no socket); the desk starts the providers on purpose.

use std::path::{Path, PathBuf};

use crate::catalog::Catalog;
use crate::ledger::Ledger;

mod error;
mod owner;

pub use error::TillError;
pub use owner::{OwnerLock, OWNER_LOCK_FILE};

/// File name of the ledger inside the data dir.
pub const LEDGER_FILE: &str = "guichet.db";

/// An open data dir: its ledger and its catalog.
pub struct Till {
    data_dir: PathBuf,
    ledger: Ledger,
    catalog: Catalog,
}

impl Till {
    /// Opens (creating if needed) the data dir, its catalog and its ledger.
    pub async fn open(data_dir: &Path) -> Result<Self, TillError> {
        std::fs::create_dir_all(data_dir)
            .map_err(|e| TillError::DataDir(format!("{}: {e}", data_dir.display())))?;
        // A bad catalog override stops the till: selling from a catalog the manager did not
        // intend is worse than not selling.
        let catalog = Catalog::load(Some(data_dir))?;
        let ledger = Ledger::open(&data_dir.join(LEDGER_FILE)).await?;
        Ok(Self {
            data_dir: data_dir.to_path_buf(),
            ledger,
            catalog,
        })
    }

    /// The data dir this till lives in.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The ledger.
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// The service catalog in force (embedded, or the data dir's override).
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_bad_catalog_override_stops_the_till() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("catalog.toml"),
            "version = 1\n[[service]]\ncode = ",
        )
        .unwrap();
        let err = match Till::open(dir.path()).await {
            Ok(_) => panic!("a broken catalog override must stop the till"),
            Err(e) => e,
        };
        assert_eq!(err.code(), "catalog_invalid");
        assert!(
            err.message().fr.contains("catalog.toml"),
            "{}",
            err.message().fr
        );
    }

    #[tokio::test]
    async fn garbage_ledger_is_refused_with_a_code_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(LEDGER_FILE);
        std::fs::write(&file, b"this is not a database, it is a receipt roll").unwrap();
        let err = match Till::open(dir.path()).await {
            Ok(_) => panic!("a garbage ledger must not open"),
            Err(e) => e,
        };
        assert_eq!(err.code(), "ledger_corrupt");
        assert!(
            err.message().fr.contains("endommagé"),
            "{}",
            err.message().fr
        );
        assert_eq!(
            std::fs::read(&file).unwrap(),
            b"this is not a database, it is a receipt roll"
        );
    }
}
