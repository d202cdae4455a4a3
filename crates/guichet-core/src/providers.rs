//! The providers side of a till, started on purpose: an engine over a target's connectors, its
//! reconciler, and in training the embedded sandbox. Opening a till starts none of this; the app
//! starts one for its mode, the CLI only for the commands that talk to a provider.

use std::time::{Duration, Instant};

use tokio::sync::broadcast;

use crate::account_services::AccountLists;
use crate::app_info::Mode;
use crate::catalog::Provider;
use crate::connector::reachability::Reachability;
use crate::engine::{
    Connectors, Engine, EngineConfig, OperationUpdate, ReconcilePolicy, ReconcilerHandle,
};
use crate::setup::{self, ProviderCredentials, ProviderUrls, PROVIDER_TIMEOUT};
use crate::till::{Till, TillError};

/// Which providers the till talks to.
#[derive(Debug)]
pub enum ProviderTarget {
    /// Training: the embedded sandbox on loopback, started with the providers.
    Training,
    /// A sandbox already running at this root URL (support, tests), with its default keys.
    Sandbox(String),
    /// The live providers with the keys the manager entered.
    Live(ProviderCredentials),
    /// Live providers at other base URLs (the manager's settings; tests point them at a sandbox).
    LiveAt(ProviderUrls, ProviderCredentials),
}

impl ProviderTarget {
    /// The mode this target runs in.
    pub fn mode(&self) -> Mode {
        match self {
            ProviderTarget::Training | ProviderTarget::Sandbox(_) => Mode::Training,
            ProviderTarget::Live(_) | ProviderTarget::LiveAt(..) => Mode::Live,
        }
    }
}

/// How the providers are started besides their target.
#[derive(Debug, Clone)]
pub struct StartOptions {
    /// Whether this process owns the ledger (see `till::OwnerLock`) and runs the reconciler
    /// (recovery first). Only an owner moves money; a non-owner reads and looks up bills.
    pub reconcile: bool,
    /// How long a provider call may take.
    pub timeout: Duration,
    /// The reconciler's pace.
    pub policy: ReconcilePolicy,
    /// How long to wait for another process to release the ledger before refusing to own it.
    pub owner_wait: Duration,
    /// How often the idle providers are probed for reachability ([`PROBE_INTERVAL`]); `None`
    /// never (a CLI command, done in a moment).
    pub probe_every: Option<Duration>,
    /// Whether a live start reads each provider's services list in the background
    /// ([`crate::account_services`]); `false` for a CLI command, done in a moment (the provider
    /// refuses a service the account lacks by itself).
    pub read_services: bool,
}

/// How often a provider that had no call lately is probed (its `check_connection`: a balance, or
/// the gateway's signed status probe), so the header knows it answers before a cashier takes
/// the customer's cash.
pub const PROBE_INTERVAL: Duration = Duration::from_secs(10);

/// The first probe round waits this long (or [`StartOptions::probe_every`], if shorter): the
/// till's window comes up first. The first call builds the HTTP client (~65 ms of CPU reading
/// the system's CA certificates), which on a two-core counter PC slowed the first screen. (A
/// live till's background read of its services lists may still build it at start.)
pub const PROBE_FIRST_DELAY: Duration = Duration::from_secs(2);

impl Default for StartOptions {
    fn default() -> Self {
        StartOptions {
            reconcile: true,
            timeout: PROVIDER_TIMEOUT,
            policy: ReconcilePolicy::default(),
            owner_wait: Duration::ZERO,
            probe_every: Some(PROBE_INTERVAL),
            read_services: true,
        }
    }
}

/// The embedded training sandbox, as tests and support see it.
#[cfg(feature = "sandbox")]
#[derive(Clone)]
pub struct SandboxView {
    /// Its root URL on loopback.
    pub url: String,
    /// What it recorded.
    pub state: guichet_sandbox::SandboxState,
}

/// A running engine, its reconciler and (training) its sandbox: replaced whole on a mode switch.
pub struct Providers {
    engine: Engine,
    mode: Mode,
    reconciler: Option<ReconcilerHandle>,
    /// What the engine's calls and the probe saw of each provider.
    reach: Reachability,
    /// The providers with keys, in [`Provider::ALL`] order.
    configured: Vec<Provider>,
    /// The idle probe (aborted when these providers go).
    probe: Option<ProbeTask>,
    /// The connectors (the engine has its own clones): the services lists are read through them.
    connectors: Connectors,
    /// What each provider's account offers (live), as last read.
    lists: AccountLists,
    /// The start's reading of the services lists (aborted when these providers go).
    reading: Option<AbortOnDrop>,
    // Kept alive with the engine: dropping it stops the training providers.
    #[cfg(feature = "sandbox")]
    sandbox: Option<guichet_sandbox::RunningSandbox>,
}

impl Providers {
    /// Starts an engine over `till`'s ledger and catalog for `target`, publishing on `updates`.
    pub async fn start(
        till: &Till,
        target: ProviderTarget,
        options: &StartOptions,
        updates: broadcast::Sender<OperationUpdate>,
    ) -> Result<Providers, TillError> {
        let mode = target.mode();
        #[cfg(feature = "sandbox")]
        let mut sandbox = None;
        let (urls, credentials) = match target {
            #[cfg(feature = "sandbox")]
            ProviderTarget::Training => {
                let running = setup::start_training_sandbox()
                    .await
                    .map_err(|e| TillError::Sandbox(e.to_string()))?;
                let urls = ProviderUrls::from(running.base_urls());
                sandbox = Some(running);
                (urls, ProviderCredentials::sandbox_defaults())
            }
            #[cfg(feature = "sandbox")]
            ProviderTarget::Sandbox(root) => (
                ProviderUrls::sandbox(&root),
                ProviderCredentials::sandbox_defaults(),
            ),
            #[cfg(not(feature = "sandbox"))]
            ProviderTarget::Training | ProviderTarget::Sandbox(_) => {
                return Err(TillError::TrainingUnavailable)
            }
            ProviderTarget::Live(creds) => (ProviderUrls::live(), creds),
            ProviderTarget::LiveAt(urls, creds) => (urls, creds),
        };
        let reach = Reachability::new();
        let connectors =
            setup::build_connectors_reporting(&urls, credentials, options.timeout, &reach);
        let configured: Vec<Provider> = Provider::ALL
            .into_iter()
            .filter(|p| connectors.contains_key(p))
            .collect();
        let probe = options
            .probe_every
            .map(|every| ProbeTask::spawn(connectors.clone(), reach.clone(), every));
        let lists = match mode {
            Mode::Live => AccountLists::live(&configured),
            Mode::Training => AccountLists::training(),
        };
        // In the background: a provider that does not answer never holds up a start.
        let reading = (lists.is_live() && options.read_services).then(|| {
            let (lists, connectors) = (lists.clone(), connectors.clone());
            AbortOnDrop(tokio::spawn(async move { lists.read(&connectors).await }))
        });
        let config = EngineConfig::new(mode == Mode::Training)
            .policy(options.policy.clone())
            .updates(updates);
        let engine = Engine::with_config(
            till.ledger().clone(),
            till.catalog().clone(),
            connectors.clone(),
            config,
        );
        let reconciler = options.reconcile.then(|| engine.spawn_reconciler());
        tracing::info!(mode = ?mode, reconcile = options.reconcile, "providers started");
        Ok(Providers {
            engine,
            mode,
            reconciler,
            reach,
            configured,
            probe,
            connectors,
            lists,
            reading,
            #[cfg(feature = "sandbox")]
            sandbox,
        })
    }

    /// The engine (cheap clone).
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Training or live.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The providers with keys (the only ones called), in [`Provider::ALL`] order.
    pub fn configured(&self) -> &[Provider] {
        &self.configured
    }

    /// What the engine's calls and the idle probe last saw of each provider.
    pub fn reachability(&self) -> &Reachability {
        &self.reach
    }

    /// What each provider's account offers, as last read (live).
    pub fn account_lists(&self) -> &AccountLists {
        &self.lists
    }

    /// The connectors, to read the services lists again (cheap clones).
    pub fn connectors(&self) -> &Connectors {
        &self.connectors
    }

    /// The embedded training sandbox's URL and state, when these providers train on one.
    #[cfg(feature = "sandbox")]
    pub fn sandbox(&self) -> Option<SandboxView> {
        self.sandbox.as_ref().map(|s| SandboxView {
            url: s.url().to_string(),
            state: s.state().clone(),
        })
    }

    /// Stops the probe and the reconciler, then the training sandbox.
    pub async fn shutdown(self) {
        drop(self.probe);
        drop(self.reading);
        if let Some(r) = self.reconciler {
            r.shutdown().await;
        }
        #[cfg(feature = "sandbox")]
        if let Some(s) = self.sandbox {
            s.shutdown().await;
        }
    }
}

/// A background task that ends with the providers that started it.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// The task that probes idle providers; aborted when dropped.
struct ProbeTask(tokio::task::JoinHandle<()>);

impl ProbeTask {
    /// After [`PROBE_FIRST_DELAY`] (or `every`, if shorter) probes every provider, then every
    /// `every` each provider that had no call since the previous round ended.
    fn spawn(connectors: Connectors, reach: Reachability, every: Duration) -> ProbeTask {
        ProbeTask(tokio::spawn(async move {
            tokio::time::sleep(every.min(PROBE_FIRST_DELAY)).await;
            let mut previous_round: Option<Instant> = None;
            loop {
                let mut round = tokio::task::JoinSet::new();
                for connector in connectors.values() {
                    let seen = reach.get(connector.provider());
                    let called_lately = match (seen, previous_round) {
                        (Some(seen), Some(previous)) => seen.instant > previous,
                        _ => false,
                    };
                    if !called_lately {
                        let (connector, reach) = (connector.clone(), reach.clone());
                        round.spawn(async move { probe(connector.as_ref(), &reach).await });
                    }
                }
                round.join_all().await;
                previous_round = Some(Instant::now());
                tokio::time::sleep(every).await;
            }
        }))
    }
}

impl Drop for ProbeTask {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// One light call that moves no money; the transport records its outcome. A probe that takes
/// longer than [`PROBE_INTERVAL`] counts as unreachable (the transport never got to say).
async fn probe(connector: &dyn crate::connector::Connector, reach: &Reachability) {
    let provider = connector.provider();
    match tokio::time::timeout(PROBE_INTERVAL, connector.check_connection()).await {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => tracing::debug!(provider = provider.slug(), error = %e, "probe answered"),
        Err(_) => {
            tracing::warn!(provider = provider.slug(), "probe: no answer in time");
            reach.record(provider, false);
        }
    }
}
