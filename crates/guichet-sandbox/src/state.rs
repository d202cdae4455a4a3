//! [`SandboxState`]: the shared handle every route, timer and the embedding app use. It owns the
//! world (behind a `Mutex`), the fault settings, the callback log and the shutdown signal, and
//! makes the world move: timers for approvals, settlements and link expiry.

use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::Duration;

use serde_json::{json, Value};
use tokio::sync::watch;

use crate::callbacks::CallbackLog;
use crate::config::Config;
use crate::faults::Faults;
use crate::world::{Kind, Outgoing, Provider, Status, Waiting, World};

/// What a timer does when it fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Timer {
    /// The customer answers a pending approval (per the planned outcome).
    CustomerAnswers,
    /// The provider settles an accepted operation (per the planned outcome).
    Settle,
    /// EASYTRANSFERT moves from `PENDING1` to `PENDING`.
    EtPending,
    /// A payment link expires.
    Expire,
}

/// Why an admin action was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminError {
    /// No transaction has this id (provider id or external id).
    NotFound,
    /// The transaction is already final.
    AlreadyFinal(String),
    /// The request is invalid.
    Invalid(String),
}

impl std::fmt::Display for AdminError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AdminError::NotFound => write!(f, "no such transaction"),
            AdminError::AlreadyFinal(s) => write!(f, "transaction is already final ({s})"),
            AdminError::Invalid(s) => write!(f, "{s}"),
        }
    }
}

impl std::error::Error for AdminError {}

pub(crate) struct Shared {
    pub(crate) config: Config,
    pub(crate) world: Mutex<World>,
    pub(crate) faults: Mutex<Faults>,
    pub(crate) callbacks: CallbackLog,
    /// The callback client, built at the first callback (building one reads the system's CA
    /// certificates: a till's start-up should not wait for that).
    pub(crate) http: std::sync::OnceLock<reqwest::Client>,
    pub(crate) base_url: RwLock<String>,
    pub(crate) shutdown: watch::Sender<bool>,
    pub(crate) dexchange_window: Mutex<std::collections::VecDeque<std::time::Instant>>,
    /// Bumped by `reset`, so that timers of a previous world do nothing.
    pub(crate) generation: std::sync::atomic::AtomicU64,
}

/// A cheap, clonable handle on one sandbox: its world, faults and callbacks. The routes use it,
/// and so can an embedding app or a test (same operations as the admin API).
#[derive(Clone)]
pub struct SandboxState(pub(crate) Arc<Shared>);

impl std::fmt::Debug for SandboxState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxState")
            .field("base_url", &self.base_url())
            .field("seed", &self.0.config.seed)
            .finish()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock must not take the whole sandbox down.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl SandboxState {
    /// A new sandbox state from a configuration (no server: see [`crate::Sandbox`]).
    pub fn new(config: Config, faults: Faults) -> Self {
        let (shutdown, _) = watch::channel(false);
        Self(Arc::new(Shared {
            world: Mutex::new(World::new(config.clone())),
            faults: Mutex::new(faults),
            callbacks: CallbackLog::default(),
            http: std::sync::OnceLock::new(),
            base_url: RwLock::new("http://127.0.0.1".into()),
            shutdown,
            dexchange_window: Mutex::new(std::collections::VecDeque::new()),
            generation: std::sync::atomic::AtomicU64::new(0),
            config,
        }))
    }

    /// The client that delivers callbacks (built once, at the first one).
    pub(crate) fn http(&self) -> &reqwest::Client {
        self.0.http.get_or_init(|| {
            reqwest::Client::builder()
                .no_proxy()
                .timeout(self.0.config.timings.callback_timeout)
                .build()
                .unwrap_or_else(|_| reqwest::Client::new())
        })
    }

    /// The configuration the sandbox was built from.
    pub fn config(&self) -> &Config {
        &self.0.config
    }

    /// The world, locked. Never hold it across an `.await`.
    pub(crate) fn world(&self) -> MutexGuard<'_, World> {
        lock(&self.0.world)
    }

    /// `http://HOST:PORT` of the server (used in payment URLs); set by `start`.
    pub fn base_url(&self) -> String {
        self.0
            .base_url
            .read()
            .map(|s| s.clone())
            .unwrap_or_else(|e| e.into_inner().clone())
    }

    /// Sets the public base URL (for in-process use of the router behind another server).
    pub fn set_base_url(&self, url: &str) {
        let mut g = self.0.base_url.write().unwrap_or_else(|e| e.into_inner());
        *g = url.trim_end_matches('/').to_string();
    }

    /// Asks every timer, hung request and connection to stop.
    pub fn shutdown(&self) {
        self.0.shutdown.send_replace(true);
    }

    /// A receiver that turns `true` at shutdown.
    pub(crate) fn shutdown_signal(&self) -> watch::Receiver<bool> {
        self.0.shutdown.subscribe()
    }

    /// Counts a DEXCHANGE request against the configured per-minute limit; true when over it.
    pub(crate) fn dexchange_throttled(&self) -> bool {
        let Some(limit) = self.0.config.dexchange_rate_limit else {
            return false;
        };
        let now = std::time::Instant::now();
        let mut w = lock(&self.0.dexchange_window);
        while w
            .front()
            .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(60))
        {
            w.pop_front();
        }
        if w.len() >= limit as usize {
            return true;
        }
        w.push_back(now);
        false
    }

    /// The current fault settings.
    pub fn faults(&self) -> Faults {
        lock(&self.0.faults).clone()
    }

    /// Replaces the fault settings (`Faults::default()` clears them).
    pub fn set_faults(&self, faults: Faults) -> Result<(), AdminError> {
        faults.validate().map_err(AdminError::Invalid)?;
        *lock(&self.0.faults) = faults;
        Ok(())
    }

    /// Every transaction recorded, oldest first, in the admin API's shape.
    pub fn transactions(&self) -> Vec<Value> {
        self.world().txns.iter().map(|t| t.view()).collect()
    }

    /// One transaction by provider id or external id.
    pub fn transaction(&self, id: &str) -> Option<Value> {
        let w = self.world();
        w.find(id).map(|i| w.txns[i].view())
    }

    /// The customer book (current state) and the special numbers.
    pub fn fixtures(&self) -> Value {
        let mut f = self.world().book.fixtures();
        let c = &self.0.config.credentials;
        f["credentials"] = json!({
            "dexchange_key": c.dexchange_key,
            "easytransfert_key": c.easytransfert_key,
            "unipesa_public_id": c.unipesa_public_id,
            "unipesa_merchant_id": c.unipesa_merchant_id,
            "unipesa_secret": c.unipesa_secret,
        });
        f["unipesa_providers"] = crate::unipesa::providers::table_json();
        f
    }

    /// Merchant balances: `{dexchange, easytransfert, unipesa:{XOF,…}}`.
    pub fn balances(&self) -> Value {
        self.world().balances_view()
    }

    /// Sets balances from `{dexchange?, easytransfert?, unipesa?:{CUR: amount}}`.
    pub fn set_balances(&self, v: &Value) -> Result<Value, AdminError> {
        let obj = v
            .as_object()
            .ok_or_else(|| AdminError::Invalid("body must be a JSON object".into()))?;
        let mut w = self.world();
        for (k, val) in obj {
            match k.as_str() {
                "dexchange" | "easytransfert" => {
                    let n = val
                        .as_i64()
                        .ok_or_else(|| AdminError::Invalid(format!("{k} must be an integer")))?;
                    let p = if k == "dexchange" {
                        Provider::Dexchange
                    } else {
                        Provider::Easytransfert
                    };
                    w.set_balance(p, "XOF", n);
                }
                "unipesa" => {
                    let m = val.as_object().ok_or_else(|| {
                        AdminError::Invalid("unipesa must be {CURRENCY: amount}".into())
                    })?;
                    for (cur, amount) in m {
                        let a = amount.as_f64().ok_or_else(|| {
                            AdminError::Invalid(format!("unipesa.{cur} must be a number"))
                        })?;
                        w.set_balance(Provider::Unipesa, cur, (a * 100.0).round() as i64);
                    }
                }
                other => return Err(AdminError::Invalid(format!("unknown balance {other}"))),
            }
        }
        Ok(w.balances_view())
    }

    /// Every callback/webhook/IPN sent or being sent, with its attempts.
    pub fn callbacks(&self) -> Vec<Value> {
        self.0.callbacks.list()
    }

    /// Forgets every transaction, callback and fault and rebuilds the world from the seed.
    pub fn reset(&self) {
        let mut w = self.world();
        *w = World::new(self.0.config.clone());
        self.0
            .generation
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        drop(w);
        *lock(&self.0.faults) = Faults::default();
        self.0.callbacks.clear();
    }

    /// The customer approves / pays / the provider settles now: the transaction succeeds.
    /// For a payment link, `payer` is the number that paid.
    pub fn approve(&self, id: &str, payer: Option<String>) -> Result<Value, AdminError> {
        let (out, view) = {
            let mut w = self.world();
            let idx = w.find(id).ok_or(AdminError::NotFound)?;
            let t = &mut w.txns[idx];
            if t.status.is_final() {
                return Err(AdminError::AlreadyFinal(t.native_status.clone()));
            }
            if t.kind == Kind::Link {
                if let Some(p) = payer.filter(|p| !p.is_empty()) {
                    t.customer = p;
                } else if t.customer.is_empty() {
                    t.customer = "771234567".into();
                }
            }
            let out = w.finalize(idx, None);
            (out, w.txns[idx].view())
        };
        self.deliver(out);
        Ok(view)
    }

    /// The customer declines / the provider fails the operation now (refunding any debit).
    pub fn decline(&self, id: &str) -> Result<Value, AdminError> {
        let (out, view) = {
            let mut w = self.world();
            let idx = w.find(id).ok_or(AdminError::NotFound)?;
            let t = &w.txns[idx];
            if t.status.is_final() {
                return Err(AdminError::AlreadyFinal(t.native_status.clone()));
            }
            let reason = match t.kind {
                Kind::CashOut => "Declined by customer",
                Kind::Link => "Payment failed",
                _ => "Operation failed at the operator",
            };
            let out = w.finalize(idx, Some(reason.into()));
            (out, w.txns[idx].view())
        };
        self.deliver(out);
        Ok(view)
    }

    /// Expires a pending payment link now.
    pub fn expire(&self, id: &str) -> Result<Value, AdminError> {
        let (out, view) = {
            let mut w = self.world();
            let idx = w.find(id).ok_or(AdminError::NotFound)?;
            let t = &w.txns[idx];
            if t.kind != Kind::Link {
                return Err(AdminError::Invalid("only payment links expire".into()));
            }
            if t.status.is_final() {
                return Err(AdminError::AlreadyFinal(t.native_status.clone()));
            }
            let out = w.expire(idx);
            (out, w.txns[idx].view())
        };
        self.deliver(out);
        Ok(view)
    }

    /// Starts the timers a new transaction needs (approval, settlement, expiry).
    pub(crate) fn arm(&self, idx: usize) {
        let timings = &self.0.config.timings;
        let (plan, generation): (Vec<(Duration, Timer)>, u64) = {
            let w = self.world();
            let Some(t) = w.txns.get(idx) else {
                return; // the world was reset in between
            };
            let id = self.0.generation.load(std::sync::atomic::Ordering::SeqCst);
            let key = format!("{}:{}", t.provider.name(), t.provider_id);
            let plan = match t.waiting {
                Waiting::Customer if timings.auto_approve => vec![(
                    w.delay_for(timings.approve_after, &format!("approve:{key}")),
                    Timer::CustomerAnswers,
                )],
                Waiting::Settlement => {
                    let d = w.delay_for(timings.settle_after, &format!("settle:{key}"));
                    let mut v = vec![(d, Timer::Settle)];
                    if t.provider == Provider::Easytransfert && t.native_status == "PENDING1" {
                        v.push((d / 2, Timer::EtPending));
                    }
                    v
                }
                Waiting::Payment => vec![(timings.link_ttl, Timer::Expire)],
                _ => vec![],
            };
            (plan, id)
        };
        for (delay, timer) in plan {
            let me = self.clone();
            let mut stop = self.shutdown_signal();
            tokio::spawn(async move {
                tokio::select! {
                    _ = tokio::time::sleep(delay) => me.fire(idx, generation, timer),
                    _ = crate::state::stopped(&mut stop) => {}
                }
            });
        }
    }

    fn fire(&self, idx: usize, generation: u64, timer: Timer) {
        let out = {
            let mut w = self.world();
            if self.0.generation.load(std::sync::atomic::Ordering::SeqCst) != generation {
                return;
            }
            let Some(t) = w.txns.get_mut(idx) else {
                return; // the world was reset since
            };
            if t.status.is_final() {
                return;
            }
            match (timer, t.waiting) {
                (Timer::CustomerAnswers, Waiting::Customer)
                | (Timer::Settle, Waiting::Settlement) => {
                    let planned = t.planned_failure.clone();
                    w.finalize(idx, planned)
                }
                (Timer::EtPending, Waiting::Settlement) if t.native_status == "PENDING1" => {
                    t.native_status = "PENDING".into();
                    None
                }
                (Timer::Expire, Waiting::Payment) if t.status == Status::Pending => w.expire(idx),
                _ => None,
            }
        };
        self.deliver(out);
    }

    /// Sends a callback in the background (never blocks the API answer).
    pub(crate) fn deliver(&self, out: Option<Outgoing>) {
        if let Some(o) = out {
            crate::callbacks::spawn_delivery(self.clone(), o);
        }
    }
}

/// Resolves once `rx` turns true (or its sender is gone). Drops the borrow guard before
/// returning, so the future stays `Send`.
pub(crate) async fn stopped(rx: &mut watch::Receiver<bool>) {
    let _ = rx.wait_for(|v| *v).await.map(|_| ());
}
