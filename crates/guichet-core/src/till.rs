//! The till: one data dir, its ledger and its settings. What the shell and the CLI open.

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::app_info::{AppInfo, Mode};
use crate::catalog::{Catalog, CatalogError, Service};
use crate::engine::{
    Connectors, Engine, EngineConfig, EngineError, OperationUpdate, ReconcilerHandle,
};
use crate::ledger::{Ledger, LedgerError};
use crate::printer::PrinterError;
use crate::setup::{self, ProviderCredentials, ProviderUrls, PROVIDER_TIMEOUT};
use crate::text::{Language, Localized};
use guichet_sandbox::RunningSandbox;
use tokio::sync::{broadcast, RwLock as AsyncRwLock, RwLockReadGuard as AsyncReadGuard};

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

/// The embedded training sandbox, as tests and support see it.
#[derive(Clone)]
pub struct SandboxView {
    /// Its root URL on loopback.
    pub url: String,
    /// What it recorded.
    pub state: guichet_sandbox::SandboxState,
}

/// File name of the ledger inside the data dir.
pub const LEDGER_FILE: &str = "guichet.db";

/// Settings keys kept in the ledger (never secrets).
pub(crate) mod keys {
    pub const IDLE_TIMEOUT: &str = "idle_timeout_secs";
    pub const KIOSK: &str = "kiosk";
    pub const MODE: &str = "mode";
    pub const PROVIDER_URLS: &str = "provider_urls";
    pub const DISABLED_SERVICES: &str = "disabled_services";
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
    /// Nobody is signed in.
    #[error("nobody is signed in")]
    NotSignedIn,
    /// The session ended after the idle time.
    #[error("the session locked after the idle time")]
    SessionLocked,
    /// The first-run wizard was already completed.
    #[error("first run already done")]
    SetupDone,
    /// A setting was refused.
    #[error("invalid setting {field}: {}", .message.en)]
    Invalid {
        /// The field to fix.
        field: String,
        /// What to fix.
        message: Localized,
    },
    /// Live mode asked without any provider key.
    #[error("live mode without provider keys")]
    LiveWithoutKeys,
    /// A provider's keys are missing.
    #[error("no keys for {provider:?}")]
    KeysMissing {
        /// The provider.
        provider: crate::catalog::Provider,
    },
    /// A mode switch while operations are unfinished.
    #[error("{count} operations unfinished")]
    OperationsPending {
        /// How many.
        count: usize,
    },
    /// The manager switched this service off.
    #[error("service disabled: {name}")]
    ServiceDisabled {
        /// The service's name.
        name: String,
    },
    /// Operators: login, PIN, role.
    #[error(transparent)]
    Operator(#[from] crate::operators::OperatorError),
    /// The OS keyring.
    #[error(transparent)]
    Secrets(#[from] crate::secrets::SecretsError),
    /// The audit trail.
    #[error(transparent)]
    Audit(#[from] crate::audit::AuditError),
    /// A QR code could not be drawn.
    #[error(transparent)]
    Qr(#[from] crate::qr::QrError),
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
            TillError::NotSignedIn => "not_signed_in",
            TillError::SessionLocked => "session_locked",
            TillError::SetupDone => "setup_done",
            TillError::Invalid { .. } => "invalid_setting",
            TillError::LiveWithoutKeys => "live_without_keys",
            TillError::KeysMissing { .. } => "keys_missing",
            TillError::OperationsPending { .. } => "operations_pending",
            TillError::ServiceDisabled { .. } => "service_disabled",
            TillError::Operator(e) => e.code(),
            TillError::Secrets(e) => e.code(),
            TillError::Audit(e) => e.code(),
            TillError::Qr(e) => e.code(),
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
            TillError::NotSignedIn => Localized::new(
                "Connectez-vous avec votre code PIN pour continuer.",
                "Sign in with your PIN to continue.",
            ),
            TillError::SessionLocked => Localized::new(
                "La caisse s'est verrouillée après un moment sans activité. Saisissez votre code PIN.",
                "The till locked itself after a while without activity. Enter your PIN.",
            ),
            TillError::SetupDone => Localized::new(
                "La boutique est déjà configurée : connectez-vous avec votre code PIN.",
                "The shop is already set up: sign in with your PIN.",
            ),
            TillError::Invalid { message, .. } => message.clone(),
            TillError::LiveWithoutKeys => Localized::new(
                "Le mode réel demande les clés d'au moins un fournisseur. Saisissez-les dans Réglages › Clés fournisseurs, puis réessayez.",
                "Live mode needs the keys of at least one provider. Enter them in Settings › Provider keys, then try again.",
            ),
            TillError::KeysMissing { provider } => Localized::new(
                format!("Aucune clé {} dans le trousseau : saisissez-la d'abord.", provider.display_name()),
                format!("No {} key in the keyring: enter it first.", provider.display_name()),
            ),
            TillError::OperationsPending { count } => Localized::new(
                format!("{count} opération(s) en cours : attendez leur résultat (Historique) avant de changer de mode."),
                format!("{count} operation(s) still in progress: wait for their result (History) before switching mode."),
            ),
            TillError::ServiceDisabled { name } => Localized::new(
                format!("{name} n'est pas proposé sur cette caisse (Réglages › Services)."),
                format!("{name} is not offered on this till (Settings › Services)."),
            ),
            TillError::Operator(e) => e.message(),
            TillError::Secrets(e) => e.message(),
            TillError::Audit(e) => e.message(),
            TillError::Qr(e) => e.message(),
        }
    }
}

/// Which providers the till talks to.
#[derive(Debug)]
pub enum ProviderTarget {
    /// Training: the embedded sandbox on loopback, started with the till.
    Training,
    /// Live providers at other base URLs (the manager's settings; tests point them at a sandbox).
    LiveAt(ProviderUrls, ProviderCredentials),
    /// A sandbox already running at this root URL (support, tests), with its default keys.
    Sandbox(String),
    /// The live providers with the keys the manager entered.
    Live(ProviderCredentials),
}

/// The providers side of a till: swapped whole when the manager switches training ↔ live.
struct Providers {
    engine: Engine,
    mode: Mode,
    reconciler: Option<ReconcilerHandle>,
    // Kept alive with the engine: dropping it stops the training providers.
    sandbox: Option<RunningSandbox>,
}

/// An open till.
pub struct Till {
    data_dir: PathBuf,
    ledger: Ledger,
    catalog: Catalog,
    reconcile: bool,
    /// The sandbox training mode uses when it is not the embedded one.
    training_root: Option<String>,
    providers: std::sync::RwLock<Providers>,
    /// Held for reading by every call that may send to a provider, for writing by a providers
    /// switch: no intent is written by an engine that is being replaced.
    gate: AsyncRwLock<()>,
    /// Every engine's updates, across providers switches (what the windows listen to).
    updates: broadcast::Sender<OperationUpdate>,
    /// Who is signed in, and the keyring (see `desk`).
    access: crate::desk::Access,
}

/// Capacity of the till's updates channel (as the engine's).
const UPDATES_CAPACITY: usize = 1024;

/// Forwards `engine`'s updates to the till's channel until the engine is gone.
fn relay(engine: &Engine, to: broadcast::Sender<OperationUpdate>) {
    let mut from = engine.subscribe();
    tokio::spawn(async move {
        loop {
            match from.recv().await {
                Ok(update) => {
                    // No subscriber yet is fine: the ledger has it all.
                    let _ = to.send(update);
                }
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    tracing::warn!(skipped = n, "till: updates lagged");
                }
                Err(broadcast::error::RecvError::Closed) => break,
            }
        }
    });
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
        Self::open_in_mode(
            data_dir,
            target,
            reconcile,
            crate::desk::Access::default(),
            false,
        )
        .await
    }

    /// What the app opens: the till in the mode it was left in. When that is live, the keys come
    /// from the keyring (`backend`, `service`) before any provider starts, so the reconciler
    /// resumes live operations with the live providers; without keys the till trains (`training`)
    /// and the home screen says why.
    pub async fn open_app(
        data_dir: &Path,
        training: ProviderTarget,
        backend: crate::secrets::Backend,
        service: &str,
    ) -> Result<Self, TillError> {
        let access = crate::desk::Access::default();
        access.set_keyring(backend, service);
        Self::open_in_mode(data_dir, training, true, access, true).await
    }

    async fn open_in_mode(
        data_dir: &Path,
        training: ProviderTarget,
        reconcile: bool,
        access: crate::desk::Access,
        resume: bool,
    ) -> Result<Self, TillError> {
        std::fs::create_dir_all(data_dir)
            .map_err(|e| TillError::DataDir(format!("{}: {e}", data_dir.display())))?;
        // A bad catalog override stops the till: selling from a catalog the manager did not
        // intend is worse than not selling.
        let catalog = Catalog::load(Some(data_dir))?;
        let ledger = Ledger::open(&data_dir.join(LEDGER_FILE)).await?;
        let training_root = match &training {
            ProviderTarget::Sandbox(root) => Some(root.clone()),
            _ => None,
        };
        let target = if resume {
            crate::desk::saved_target(&ledger, &access, training).await?
        } else {
            training
        };
        let providers = Self::start_providers(&ledger, &catalog, target, reconcile).await?;
        let (updates, _) = broadcast::channel(UPDATES_CAPACITY);
        relay(&providers.engine, updates.clone());
        Ok(Self {
            data_dir: data_dir.to_path_buf(),
            ledger,
            catalog,
            reconcile,
            training_root,
            providers: std::sync::RwLock::new(providers),
            gate: AsyncRwLock::new(()),
            updates,
            access,
        })
    }

    /// Every operation update of this till, whatever engine is in force.
    pub fn subscribe(&self) -> broadcast::Receiver<OperationUpdate> {
        self.updates.subscribe()
    }

    /// Held while a call may send to a provider (see `gate`).
    pub(crate) async fn sending(&self) -> AsyncReadGuard<'_, ()> {
        self.gate.read().await
    }

    /// Starts an engine (and its reconciler, and the training sandbox) over `target`.
    async fn start_providers(
        ledger: &Ledger,
        catalog: &Catalog,
        target: ProviderTarget,
        reconcile: bool,
    ) -> Result<Providers, TillError> {
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
            ProviderTarget::LiveAt(urls, creds) => (urls, creds, None, Mode::Live),
        };
        let connectors = setup::build_connectors(&urls, credentials, PROVIDER_TIMEOUT);
        // Replaced by the signed-in operator's name at login (`desk`); the CLI keeps this one.
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
        Ok(Providers {
            engine,
            mode,
            reconciler,
            sandbox,
        })
    }

    /// Replaces the providers (training ↔ live). Refused while an operation is unfinished: its
    /// reconciliation belongs to the providers it was sent to.
    pub async fn switch_providers(&self, target: ProviderTarget) -> Result<Mode, TillError> {
        // No send starts or runs while the engine is replaced; two switches run one after the
        // other.
        let _closed = self.gate.write().await;
        // `needs_review` waits for a person, not for the providers: it does not block a switch.
        let pending = self
            .ledger
            .list_non_final()
            .await?
            .iter()
            .filter(|op| op.status != crate::ledger::OperationStatus::NeedsReview)
            .count();
        if pending > 0 {
            return Err(TillError::OperationsPending { count: pending });
        }
        let operator = self.engine().operator_name();
        let fresh =
            Self::start_providers(&self.ledger, &self.catalog, target, self.reconcile).await?;
        fresh.engine.set_operator_name(operator);
        relay(&fresh.engine, self.updates.clone());
        let mode = fresh.mode;
        let old = std::mem::replace(
            &mut *self.providers.write().unwrap_or_else(|p| p.into_inner()),
            fresh,
        );
        if let Some(r) = old.reconciler {
            r.shutdown().await;
        }
        if let Some(s) = old.sandbox {
            s.shutdown().await;
        }
        tracing::info!(mode = ?mode, "providers switched");
        Ok(mode)
    }

    /// The data dir this till lives in.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The ledger.
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// What training mode means for this till: the embedded sandbox, or the one it was opened on.
    pub fn training_target(&self) -> ProviderTarget {
        match &self.training_root {
            Some(root) => ProviderTarget::Sandbox(root.clone()),
            None => ProviderTarget::Training,
        }
    }

    /// The operation engine in force (cheap clone; a mode switch replaces it).
    pub fn engine(&self) -> Engine {
        self.providers().engine.clone()
    }

    /// Training or live.
    pub fn mode(&self) -> Mode {
        self.providers().mode
    }

    /// The embedded training sandbox's state and URL, when the till trains on one.
    pub fn sandbox(&self) -> Option<SandboxView> {
        self.providers().sandbox.as_ref().map(|s| SandboxView {
            url: s.url().to_string(),
            state: s.state().clone(),
        })
    }

    fn providers(&self) -> std::sync::RwLockReadGuard<'_, Providers> {
        self.providers.read().unwrap_or_else(|p| p.into_inner())
    }

    /// Who is signed in, and the keyring.
    pub(crate) fn access(&self) -> &crate::desk::Access {
        &self.access
    }

    /// Stops the reconciler and the training sandbox (a clean exit; a crash is fine too).
    pub async fn close(self) {
        let providers = self
            .providers
            .into_inner()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(r) = providers.reconciler {
            r.shutdown().await;
        }
        if let Some(s) = providers.sandbox {
            s.shutdown().await;
        }
    }

    /// One operation and its timeline.
    pub async fn operation_detail(&self, id: uuid::Uuid) -> Result<OperationDetail, TillError> {
        Ok(OperationDetail {
            operation: self.engine().get(id).await?,
            events: self.engine().events(id).await?,
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
        let language = setting(keys::LANGUAGE)
            .await?
            .and_then(|code| Language::from_code(&code))
            .unwrap_or_default();
        let session = self.access.session();
        let needs_setup = !crate::operators::Operators::new(&self.ledger)
            .has_manager()
            .await?;
        Ok(AppInfo {
            shop_name,
            operator_name: session
                .as_ref()
                .map(|s| s.name().to_owned())
                .unwrap_or_default(),
            mode: self.mode(),
            language,
            version: env!("CARGO_PKG_VERSION").to_owned(),
            needs_setup,
            session,
            idle_timeout_secs: self.idle_timeout_secs().await?,
            kiosk: self.kiosk().await?,
            notice: self.access.notice(),
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
        let recorded = till.sandbox().unwrap().state.transactions();
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
