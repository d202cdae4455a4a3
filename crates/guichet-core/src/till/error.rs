//! What a till's calls can go wrong with: one error type, a stable code and a message a
//! cashier understands (French first), for the shell and the CLI alike.

use thiserror::Error;

use crate::catalog::CatalogError;
use crate::engine::EngineError;
use crate::ledger::LedgerError;
use crate::printer::PrinterError;
use crate::text::Localized;

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
    /// This build has no training sandbox (built without the `sandbox` feature).
    #[error("training mode is not in this build")]
    TrainingUnavailable,
    /// Another process (the app, or another `guichetctl`) owns the ledger: this one only reads.
    #[error("another process owns the ledger")]
    LedgerInUse,
    /// The call needs the providers, and this desk has none started (a read-only CLI command).
    #[error("providers not started")]
    ProvidersStopped,
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
    /// A sensitive change without a fresh PIN proof (`Desk::confirm_pin` in the last minutes).
    #[error("the manager's PIN is required again")]
    PinRequired,
    /// A provider address outside the host that provider documents, not confirmed by a manager.
    #[error("provider host {host} not confirmed for {field}")]
    HostUnconfirmed {
        /// The address field (`dexchange`, `easytransfert`, `easytransfert_wallet`, `unipesa`).
        field: String,
        /// The host the keys would be sent to.
        host: String,
    },
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
    /// The provider's services list leaves this service out: the account does not offer it.
    #[error("service not on the {provider} account: {name}")]
    ServiceNotOnAccount {
        /// The service's name.
        name: String,
        /// The provider's name.
        provider: String,
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
    /// The business day: shifts, cash movements, reports.
    #[error(transparent)]
    Day(#[from] crate::day::DayError),
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
            TillError::TrainingUnavailable => "training_unavailable",
            TillError::ProvidersStopped => "providers_stopped",
            TillError::LedgerInUse => "ledger_in_use",
            TillError::Engine(e) => e.code(),
            TillError::Printer(e) => e.code(),
            TillError::Settings(_) => "settings_invalid",
            TillError::NotSignedIn => "not_signed_in",
            TillError::SessionLocked => "session_locked",
            TillError::SetupDone => "setup_done",
            TillError::Invalid { .. } => "invalid_setting",
            TillError::LiveWithoutKeys => "live_without_keys",
            TillError::PinRequired => "pin_required",
            TillError::HostUnconfirmed { .. } => "provider_host_unconfirmed",
            TillError::KeysMissing { .. } => "keys_missing",
            TillError::OperationsPending { .. } => "operations_pending",
            TillError::ServiceDisabled { .. } => "service_disabled",
            TillError::ServiceNotOnAccount { .. } => "service_not_on_account",
            TillError::Operator(e) => e.code(),
            TillError::Secrets(e) => e.code(),
            TillError::Audit(e) => e.code(),
            TillError::Qr(e) => e.code(),
            TillError::Day(e) => e.code(),
        }
    }

    /// The operation the error is about, when one was written: the screen follows it and never
    /// offers a new Send for it.
    pub fn operation_id(&self) -> Option<uuid::Uuid> {
        match self {
            TillError::Engine(e) => e.operation_id(),
            _ => None,
        }
    }

    /// The catalog's refusals, when the error is a refused request (shown next to each field).
    pub fn refusals(&self) -> Option<&[crate::catalog::Refusal]> {
        match self {
            TillError::Engine(EngineError::Refused(r)) => Some(r),
            _ => None,
        }
    }

    /// The host a manager must confirm, when the error is an unconfirmed provider address.
    pub fn host(&self) -> Option<&str> {
        match self {
            TillError::HostUnconfirmed { host, .. } => Some(host),
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
            TillError::TrainingUnavailable => Localized::new(
                "Cette version de Guichet n'a pas de mode formation : passez en mode réel dans Réglages › Mode.",
                "This build of Guichet has no training mode: switch to live in Settings › Mode.",
            ),
            TillError::LedgerInUse => Localized::new(
                "Guichet est ouvert sur ce registre par un autre programme (la caisse, ou un autre guichetctl) : ici, seule la lecture est possible (historique, reçus, export, audit). Faites l'opération dans la caisse, ou fermez-la d'abord.",
                "Guichet is open on this ledger in another program (the till, or another guichetctl): only reading is possible here (history, receipts, export, audit). Make the operation at the till, or close it first.",
            ),
            TillError::ProvidersStopped => Localized::new(
                "Les fournisseurs ne sont pas démarrés pour cette commande : elle ne peut que lire le registre.",
                "The providers are not started for this command: it can only read the ledger.",
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
            TillError::PinRequired => Localized::new(
                "Ce changement demande à nouveau votre code PIN de responsable.",
                "This change needs your manager PIN again.",
            ),
            TillError::HostUnconfirmed { host, .. } => Localized::new(
                format!("L'adresse {host} n'est pas celle que le fournisseur documente : les clés y seraient envoyées. Confirmez seulement si vous êtes sûr de cette adresse."),
                format!("The address {host} is not the one the provider documents: the keys would be sent there. Confirm only if you are sure of this address."),
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
            TillError::ServiceNotOnAccount { name, provider } => Localized::new(
                format!("{name} n'est pas ouvert sur le compte {provider} de la boutique : impossible de le proposer (Réglages › Services)."),
                format!("{name} is not open on the shop's {provider} account: it cannot be offered (Settings › Services)."),
            ),
            TillError::Operator(e) => e.message(),
            TillError::Secrets(e) => e.message(),
            TillError::Audit(e) => e.message(),
            TillError::Qr(e) => e.message(),
            TillError::Day(e) => e.message(),
        }
    }
}
