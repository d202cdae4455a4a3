//! The till: one data dir, its ledger and its settings. What the shell and the CLI open.

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::app_info::{AppInfo, Mode};
use crate::catalog::{Catalog, CatalogError, Service};
use crate::engine::{Connectors, Engine, EngineConfig, EngineError, ReconcilerHandle};
use crate::ledger::{Ledger, LedgerError};
use crate::printer::PrinterError;
use crate::setup::{self, ProviderCredentials, ProviderUrls, PROVIDER_TIMEOUT};
use crate::text::{Language, Localized};
use guichet_sandbox::RunningSandbox;

mod receipts;

pub use receipts::PrintOutcome;

/// One operation with its timeline, for the history's detail view.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct OperationDetail {
    /// The operation as it stands.
    pub operation: crate::ledger::Operation,
    /// Its events, oldest first.
    pub events: Vec<crate::ledger::OperationEvent>,
}

/// File name of the ledger inside the data dir.
pub const LEDGER_FILE: &str = "guichet.db";

/// Settings keys kept in the ledger (never secrets).
mod keys {
    pub const SHOP_NAME: &str = "shop_name";
    pub const OPERATOR_NAME: &str = "operator_name";
    pub const LANGUAGE: &str = "language";
    pub const SHOP_ADDRESS: &str = "shop_address";
    pub const RECEIPT_HEADER: &str = "receipt_header";
    pub const PRINTER: &str = "printer";
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
    /// The engine refused or failed an operation call.
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// The receipt printer failed.
    #[error(transparent)]
    Printer(#[from] PrinterError),
    /// A stored setting is unreadable.
    #[error("setting: {0}")]
    Settings(String),
    /// The embedded training sandbox could not start.
    #[error("training sandbox: {0}")]
    Sandbox(String),
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
            TillError::Sandbox(_) => "training_sandbox",
            TillError::Engine(e) => e.code(),
            TillError::Printer(e) => e.code(),
            TillError::Settings(_) => "settings_invalid",
        }
    }

    /// The catalog's refusals, when the error is a refused request (shown next to each field).
    pub fn refusals(&self) -> Option<&[crate::catalog::Refusal]> {
        match self {
            TillError::Engine(EngineError::Refused(r)) => Some(r),
            _ => None,
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
            TillError::Engine(e) => e.message(),
            TillError::Printer(e) => e.message(),
            TillError::Settings(detail) => Localized::new(
                format!("Un réglage enregistré est illisible ({detail}). Le responsable doit le corriger dans Réglages."),
                format!("A stored setting is unreadable ({detail}). A manager must fix it in Settings."),
            ),
            TillError::Sandbox(detail) => Localized::new(
                format!("Le mode formation n'a pas pu démarrer ({detail}). Redémarrez Guichet."),
                format!("Training mode could not start ({detail}). Restart Guichet."),
            ),
        }
    }
}

/// Which providers the till talks to.
#[derive(Debug)]
pub enum ProviderTarget {
    /// Training: the embedded sandbox on loopback, started with the till.
    Training,
    /// A sandbox already running at this root URL (support, tests), with its default keys.
    Sandbox(String),
    /// The live providers with the keys the manager entered.
    Live(ProviderCredentials),
}

/// An open till.
pub struct Till {
    data_dir: PathBuf,
    ledger: Ledger,
    catalog: Catalog,
    engine: Engine,
    mode: Mode,
    reconciler: Option<ReconcilerHandle>,
    // Kept alive for as long as the till: dropping it stops the training providers.
    sandbox: Option<RunningSandbox>,
}

impl Till {
    /// Opens the till in training mode with its reconciler running: what the app does.
    pub async fn open(data_dir: &Path) -> Result<Self, TillError> {
        Self::open_with(data_dir, ProviderTarget::Training, true).await
    }

    /// Opens (creating if needed) the data dir, its ledger and catalog, and an engine over the
    /// given providers; with `reconcile`, the reconciler resumes every unfinished operation.
    pub async fn open_with(
        data_dir: &Path,
        target: ProviderTarget,
        reconcile: bool,
    ) -> Result<Self, TillError> {
        std::fs::create_dir_all(data_dir)
            .map_err(|e| TillError::DataDir(format!("{}: {e}", data_dir.display())))?;
        // A bad catalog override stops the till: selling from a catalog the manager did not
        // intend is worse than not selling.
        let catalog = Catalog::load(Some(data_dir))?;
        let ledger = Ledger::open(&data_dir.join(LEDGER_FILE)).await?;
        let (urls, credentials, sandbox, mode) = match target {
            ProviderTarget::Training => {
                let sandbox = setup::start_training_sandbox()
                    .await
                    .map_err(|e| TillError::Sandbox(e.to_string()))?;
                let urls = ProviderUrls::from(sandbox.base_urls());
                let creds = ProviderCredentials::sandbox_defaults();
                (urls, creds, Some(sandbox), Mode::Training)
            }
            ProviderTarget::Sandbox(root) => (
                ProviderUrls::sandbox(&root),
                ProviderCredentials::sandbox_defaults(),
                None,
                Mode::Training,
            ),
            ProviderTarget::Live(creds) => (ProviderUrls::live(), creds, None, Mode::Live),
        };
        let connectors = setup::build_connectors(&urls, credentials, PROVIDER_TIMEOUT);
        let operator = ledger
            .setting(keys::OPERATOR_NAME)
            .await?
            .unwrap_or_else(|| DEFAULT_OPERATOR_NAME.to_owned());
        let engine = Engine::new(
            ledger.clone(),
            catalog.clone(),
            connectors,
            operator,
            mode == Mode::Training,
        );
        let reconciler = reconcile.then(|| engine.spawn_reconciler());
        Ok(Self {
            data_dir: data_dir.to_path_buf(),
            ledger,
            catalog,
            engine,
            mode,
            reconciler,
            sandbox,
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

    /// The operation engine.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The embedded training sandbox, when the till trains on one.
    pub fn sandbox(&self) -> Option<&RunningSandbox> {
        self.sandbox.as_ref()
    }

    /// Stops the reconciler and the training sandbox (a clean exit; a crash is fine too).
    pub async fn close(mut self) {
        if let Some(r) = self.reconciler.take() {
            r.shutdown().await;
        }
        if let Some(s) = self.sandbox.take() {
            s.shutdown().await;
        }
    }

    /// One operation and its timeline.
    pub async fn operation_detail(&self, id: uuid::Uuid) -> Result<OperationDetail, TillError> {
        Ok(OperationDetail {
            operation: self.engine.get(id).await?,
            events: self.engine.events(id).await?,
        })
    }

    /// The service catalog in force (embedded, or the data dir's override).
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// An operation engine over this till's ledger and catalog, with these connectors (the
    /// embedded sandbox's in training, the live ones with the keyring's keys otherwise).
    pub fn engine_with(&self, connectors: Connectors, config: EngineConfig) -> Engine {
        Engine::with_config(
            self.ledger.clone(),
            self.catalog.clone(),
            connectors,
            config,
        )
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
        let mode = self.mode;
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
    async fn a_training_till_sells_airtime_against_its_embedded_sandbox() {
        use crate::catalog::{Kind, OperationRequest};
        use crate::engine::SubmitRequest;
        use crate::ledger::OperationStatus;
        use crate::money::{Currency, Money};

        let dir = tempfile::tempdir().unwrap();
        let till = Till::open(dir.path()).await.unwrap();
        assert!(
            till.sandbox().is_some(),
            "training starts the embedded sandbox"
        );
        let request = OperationRequest {
            service_code: "ORANGE_SN_AIRTIME".into(),
            kind: Kind::Airtime,
            amount: Money::new(1000, Currency::Xof),
            phone: Some("77 123 45 67".into()),
            otp: None,
            extras: Default::default(),
        };
        let op = till
            .engine()
            .submit(SubmitRequest::new(request))
            .await
            .unwrap();
        let op = till
            .engine()
            .wait_settled(op.id, std::time::Duration::from_secs(20))
            .await
            .unwrap();
        assert_eq!(op.status, OperationStatus::Success, "{op:?}");
        assert!(op.training);
        assert!(op.provider_ref.is_some());
        // The sandbox recorded exactly one provider transaction for this intent.
        let recorded = till.sandbox().unwrap().state().transactions();
        let mine: Vec<_> = recorded
            .iter()
            .filter(|t| t["external_id"] == op.idempotency_key.as_str())
            .collect();
        assert_eq!(mine.len(), 1);
        till.close().await;

        // No provider credential reached the ledger file or its WAL.
        let creds = guichet_sandbox::Credentials::default();
        let secrets = [
            creds.dexchange_key,
            creds.easytransfert_key,
            creds.unipesa_secret,
        ];
        for file in ["guichet.db", "guichet.db-wal"] {
            let Ok(bytes) = std::fs::read(dir.path().join(file)) else {
                continue;
            };
            let text = String::from_utf8_lossy(&bytes);
            for secret in &secrets {
                assert!(!text.contains(secret.as_str()), "a credential is in {file}");
            }
        }
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
