//! The till: one data dir, its ledger and its settings. What the shell and the CLI open.

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::app_info::{AppInfo, Mode};
use crate::catalog::{Catalog, CatalogError, Service};
use crate::ledger::{Ledger, LedgerError};
use crate::text::{Language, Localized};

/// File name of the ledger inside the data dir.
pub const LEDGER_FILE: &str = "guichet.db";

/// Settings keys kept in the ledger (never secrets).
mod keys {
    pub const SHOP_NAME: &str = "shop_name";
    pub const OPERATOR_NAME: &str = "operator_name";
    pub const LANGUAGE: &str = "language";
    pub const MODE: &str = "mode";
}

/// Shown until the first-run wizard names the shop.
const DEFAULT_SHOP_NAME: &str = "Boutique de démonstration";
/// Shown until operators sign in with their PIN.
const DEFAULT_OPERATOR_NAME: &str = "Caissier formation";

/// Why the till could not open or answer.
#[derive(Debug, Error)]
pub enum TillError {
    /// The app data dir could not be found or created.
    #[error("data dir unavailable: {0}")]
    DataDir(String),
    /// The ledger refused to open or to write.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// The catalog override in the data dir is unreadable or invalid.
    #[error("catalog: {}", .0.message().en)]
    Catalog(#[from] CatalogError),
}

impl TillError {
    /// Stable code for the UI and tests.
    pub fn code(&self) -> &'static str {
        match self {
            TillError::DataDir(_) => "data_dir",
            TillError::Ledger(e) => e.code(),
            TillError::Catalog(_) => "catalog_invalid",
        }
    }

    /// What the cashier reads.
    pub fn message(&self) -> Localized {
        match self {
            TillError::DataDir(detail) => Localized::new(
                format!("Le dossier de données de Guichet est inaccessible ({detail}). Contactez le support."),
                format!("Guichet's data folder is unavailable ({detail}). Contact support."),
            ),
            TillError::Ledger(e) => e.message(),
            TillError::Catalog(e) => e.message(),
        }
    }
}

/// An open till.
pub struct Till {
    data_dir: PathBuf,
    ledger: Ledger,
    catalog: Catalog,
}

impl Till {
    /// Opens (creating if needed) the data dir and its ledger.
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

    /// The services the till offers, enabled ones only, for the UI's pickers.
    pub fn services(&self) -> Vec<Service> {
        self.catalog
            .services()
            .iter()
            .filter(|s| s.enabled)
            .cloned()
            .collect()
    }

    /// Shop, operator, mode and language as the home screen shows them.
    pub async fn app_info(&self) -> Result<AppInfo, TillError> {
        let setting = |key| self.ledger.setting(key);
        let shop_name = setting(keys::SHOP_NAME)
            .await?
            .unwrap_or_else(|| DEFAULT_SHOP_NAME.to_owned());
        let operator_name = setting(keys::OPERATOR_NAME)
            .await?
            .unwrap_or_else(|| DEFAULT_OPERATOR_NAME.to_owned());
        let language = setting(keys::LANGUAGE)
            .await?
            .and_then(|code| Language::from_code(&code))
            .unwrap_or_default();
        // Live mode needs provider keys (a later issue); until then every till trains.
        let mode = match setting(keys::MODE).await?.as_deref() {
            Some("live") => Mode::Live,
            _ => Mode::Training,
        };
        Ok(AppInfo {
            shop_name,
            operator_name,
            mode,
            language,
            version: env!("CARGO_PKG_VERSION").to_owned(),
        })
    }

    /// Remembers the cashier's language.
    pub async fn set_language(&self, language: Language) -> Result<AppInfo, TillError> {
        self.ledger
            .set_setting(keys::LANGUAGE, language.code())
            .await?;
        tracing::info!(language = language.code(), "language changed");
        self.app_info().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn fresh_till_trains_in_french_and_remembers_english() {
        let dir = tempfile::tempdir().unwrap();
        let till = Till::open(dir.path()).await.unwrap();
        let info = till.app_info().await.unwrap();
        assert_eq!(info.mode, Mode::Training);
        assert_eq!(info.language, Language::Fr);
        assert_eq!(info.shop_name, DEFAULT_SHOP_NAME);
        assert!(dir.path().join(LEDGER_FILE).exists());

        let info = till.set_language(Language::En).await.unwrap();
        assert_eq!(info.language, Language::En);
        drop(till);

        let reopened = Till::open(dir.path()).await.unwrap();
        assert_eq!(reopened.app_info().await.unwrap().language, Language::En);
    }

    #[tokio::test]
    async fn services_come_from_the_catalog_and_a_bad_override_stops_the_till() {
        let dir = tempfile::tempdir().unwrap();
        let till = Till::open(dir.path()).await.unwrap();
        let services = till.services();
        assert!(services.iter().any(|s| s.code == "WOYOFAL_SN_BILL"));
        assert!(services.iter().all(|s| s.enabled));
        drop(till);

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
