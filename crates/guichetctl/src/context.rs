//! Opening the till the command works on: its data always, the providers only when the command
//! talks to one (see [`Needs`]).

use std::path::PathBuf;
use std::time::Duration;

use guichet_core::desk::Desk;
use guichet_core::engine::{ReconcilePolicy, SubmitRequest};
use guichet_core::ledger::Operation;
use guichet_core::providers::{ProviderTarget, StartOptions};
use guichet_core::secrets::{Backend, SecretStore, SecretsError, SERVICE};
use guichet_core::settings;
use guichet_core::setup::{ProviderCredentials, PROVIDER_TIMEOUT};
use guichet_core::till::Till;

use crate::cli::Global;
use crate::output::{Failure, EXIT_ERROR};

/// The data dir env override (the same one the desktop app reads).
pub const DATA_DIR_ENV: &str = "GUICHET_DATA_DIR";
/// The desktop app's identifier: its data dir is `<OS data dir>/sn.guichet.pos`.
pub const APP_IDENTIFIER: &str = "sn.guichet.pos";
/// How long a provider call may take, in milliseconds (default 30 s): support and soak tests
/// shorten it.
pub const TIMEOUT_ENV: &str = "GUICHET_PROVIDER_TIMEOUT_MS";
/// Which keyring store (`auto`, `secret-service`, `keyutils`); default `auto`.
pub const KEYRING_ENV: &str = "GUICHET_KEYRING";
/// Another keyring service name than `guichet` (tests, a second till profile).
pub const KEYRING_SERVICE_ENV: &str = "GUICHET_KEYRING_SERVICE";

/// The data dir: `--data-dir`, else `$GUICHET_DATA_DIR`, else the desktop app's folder.
pub fn data_dir(global: &Global) -> Result<PathBuf, Failure> {
    if let Some(dir) = &global.data_dir {
        return Ok(dir.clone());
    }
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    dirs::data_dir()
        .map(|d| d.join(APP_IDENTIFIER))
        .ok_or_else(|| {
            Failure::new(
                EXIT_ERROR,
                "Dossier de données introuvable : utilisez --data-dir.",
                "No data dir found: use --data-dir.",
            )
        })
}

/// The provider timeout in force.
fn provider_timeout() -> Duration {
    std::env::var(TIMEOUT_ENV)
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .map_or(PROVIDER_TIMEOUT, Duration::from_millis)
}

/// The reconciler's pace for a command that waits at the counter: asks sooner than the app's
/// background default, the same limits otherwise.
fn policy() -> ReconcilePolicy {
    ReconcilePolicy {
        first_delay: Duration::from_millis(300),
        max_delay: Duration::from_secs(5),
        // The app's rule, from this command's own timeout: four provider timeouts after the last
        // send, a request that timed out has been processed or dropped.
        blind_resend_after: provider_timeout() * 4,
        ..ReconcilePolicy::default()
    }
}

/// Opens the keyring store named by the environment.
pub fn secret_store() -> Result<SecretStore, Failure> {
    let (backend, service) = keyring_choice()?;
    SecretStore::open_with_service(backend, &service).map_err(secrets_failure)
}

/// The keyring store and service named by the environment (default: `auto`, `guichet`).
fn keyring_choice() -> Result<(Backend, String), Failure> {
    let backend = match std::env::var(KEYRING_ENV) {
        Ok(name) if !name.is_empty() => Backend::parse(&name).ok_or_else(|| {
            Failure::refused(
                format!("{KEYRING_ENV} inconnu : {name} (auto, secret-service, keyutils)."),
                format!("Unknown {KEYRING_ENV}: {name} (auto, secret-service, keyutils)."),
            )
        })?,
        _ => Backend::Auto,
    };
    let service = match std::env::var(KEYRING_SERVICE_ENV) {
        Ok(service) if !service.is_empty() => service,
        _ => SERVICE.to_owned(),
    };
    Ok((backend, service))
}

/// A keyring error, for the terminal.
pub fn secrets_failure(e: SecretsError) -> Failure {
    let text = e.to_string();
    Failure::new(
        EXIT_ERROR,
        format!("Trousseau de clés : {text}"),
        format!("Keyring: {text}"),
    )
}

/// The live keys from the keyring; a provider with a missing key gets no connector.
fn live_credentials() -> Result<ProviderCredentials, Failure> {
    let store = secret_store()?;
    let credentials = ProviderCredentials::from_store(&store).map_err(secrets_failure)?;
    if credentials.is_empty() {
        return Err(Failure::refused(
            "Aucune clé fournisseur dans le trousseau : `guichetctl keys set PROVIDER` d'abord.",
            "No provider key in the keyring: run `guichetctl keys set PROVIDER` first.",
        ));
    }
    Ok(credentials)
}

/// Gives `desk` the keyring named by the environment and installs the audit chain's key, so
/// that the entries a command writes carry their MAC and `audit verify` checks them.
pub async fn seal(desk: &Desk) -> Result<(), Failure> {
    let (backend, service) = keyring_choice()?;
    desk.set_keyring(backend, &service);
    desk.seal_audit().await?;
    Ok(())
}

/// What a command needs of the till: its data only, or providers too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// History, receipts, export, audit, setup: no engine, no sandbox, no socket.
    Ledger,
    /// A provider call without the reconciler (a bill lookup).
    Providers,
    /// Money moves: providers and the reconciler (recovery first) until `close`.
    Reconciler,
}

/// An open till behind the console's desk: the CLI's one way into the core.
pub struct Ctx {
    /// The desk (a standing console session: no PIN).
    pub desk: Desk,
}

impl Ctx {
    /// Opens the till; starts the providers only when the command `needs` them.
    pub async fn open(global: &Global, needs: Needs) -> Result<Ctx, Failure> {
        let dir = data_dir(global)?;
        let till = Till::open(&dir).await?;
        let operator = settings::operator_name(till.ledger()).await?;
        let desk = Desk::console(till, &operator);
        if let Err(e) = seal(&desk).await {
            desk.close().await;
            return Err(e);
        }
        if needs == Needs::Ledger {
            return Ok(Ctx { desk });
        }
        let target = if global.live {
            ProviderTarget::Live(live_credentials()?)
        } else if let Some(root) = &global.sandbox {
            ProviderTarget::Sandbox(root.clone())
        } else {
            ProviderTarget::Training
        };
        let options = StartOptions {
            reconcile: needs == Needs::Reconciler,
            timeout: provider_timeout(),
            policy: policy(),
            // A command is refused at once while the app (or another command) owns the ledger.
            owner_wait: Duration::ZERO,
            // Done in a moment: no idle probe, no services lists (the provider refuses a
            // service the account lacks by itself).
            probe_every: None,
            read_services: false,
        };
        let started = desk.start(target, options).await;
        if let Err(e) = started {
            desk.close().await;
            return Err(e.into());
        }
        Ok(Ctx { desk })
    }

    /// Submits a new operation after the ledger's integrity check (the app runs it in the
    /// background once open; a command can wait for it). On a damaged file the ledger itself
    /// refuses the operation (`ledger_corrupt`); resolving the ones already sent (`reconcile`,
    /// `review settle`) goes on, as in the app.
    pub async fn submit(&self, req: SubmitRequest) -> Result<Operation, Failure> {
        // Its outcome is logged, and a damage kept, by the ledger.
        let _ = self.desk.till().ledger().check_integrity().await;
        Ok(self.desk.submit(req).await?)
    }

    /// Stops the reconciler and the providers, if any were started.
    pub async fn close(self) {
        self.desk.close().await;
    }
}
