//! # guichet-sandbox
//!
//! A local, faithful stand-in for the three providers Guichet talks to — DEXCHANGE,
//! EASYTRANSFERT and the Unipesa-engine payment gateway — written only from `docs/providers.md`
//! and the vendor seeds (it shares no code with the connectors, so it cannot hide their bugs);
//! the per-service rules the till states too come from the till's catalog file ([`catalog`]).
//! Each provider lives under its own prefix of one HTTP server:
//!
//! - DEXCHANGE: `/dexchange/api/v1/…`
//! - EASYTRANSFERT: `/easytransfert/api_v1/transaction/{airtime,status}` and
//!   `/easytransfert/api_v1/admin/partner/wallet/single`
//! - gateway: `/unipesa/{public_id}/{payment_c2b,payment_b2c,status}`
//! - admin API: `/__sandbox/…` (see [`admin`])
//!
//! The world moves (cash-outs approved after a seeded delay, links paid or expired, Woyofal and
//! EASYTRANSFERT operations finishing later), callbacks are POSTed in the background, and faults
//! can be injected (see [`faults`]). Same seed → same customer book, ids, delays and outcomes.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use guichet_sandbox::{Sandbox, Timings};
//! let sandbox = Sandbox::builder().seed(7).timings(Timings::fast()).start("127.0.0.1:0").await?;
//! let urls = sandbox.base_urls();
//! println!("DEXCHANGE at {}", urls.dexchange);
//! sandbox.shutdown().await;
//! # Ok(()) }
//! ```

pub mod admin;
pub mod callbacks;
pub mod catalog;
pub mod config;
pub mod dexchange;
pub mod easytransfert;
pub mod faults;
mod http;
pub mod server;
mod state;
pub mod unipesa;
pub mod world;

use std::net::SocketAddr;

use axum::http::StatusCode;
use axum::response::Response;
use axum::{middleware, Router};
use serde::Serialize;
use serde_json::json;
use tokio::net::{TcpListener, ToSocketAddrs};
use tokio::task::JoinHandle;

pub use config::{Balances, Config, Credentials, Timings};
pub use faults::Faults;
pub use state::{AdminError, SandboxState};

/// Entry point: `Sandbox::builder()`.
#[derive(Debug, Clone, Copy)]
pub struct Sandbox;

impl Sandbox {
    /// A builder with every default (seed 42, default credentials and timings).
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder::default()
    }
}

/// Builds a sandbox, in-process ([`SandboxBuilder::build`]) or served ([`SandboxBuilder::start`]).
#[derive(Debug, Clone, Default)]
pub struct SandboxBuilder {
    config: Config,
    faults: Faults,
}

impl SandboxBuilder {
    /// Sets the seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.config.seed = seed;
        self
    }

    /// Sets the accepted credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.config.credentials = credentials;
        self
    }

    /// Sets the timings (use [`Timings::fast`] in tests).
    pub fn timings(mut self, timings: Timings) -> Self {
        self.config.timings = timings;
        self
    }

    /// Sets the starting balances.
    pub fn balances(mut self, balances: Balances) -> Self {
        self.config.balances = balances;
        self
    }

    /// DEXCHANGE serviceCodes the merchant account does not offer (see
    /// [`Config::dexchange_lacks`]).
    pub fn dexchange_lacks<I, S>(mut self, codes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.config.dexchange_lacks = codes.into_iter().map(Into::into).collect();
        self
    }

    /// Replaces the whole configuration.
    pub fn config(mut self, config: Config) -> Self {
        self.config = config;
        self
    }

    /// Faults active from the start.
    pub fn faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
        self
    }

    /// The state without a server: use [`router`] to serve it yourself or call it in-process.
    /// (Without the built-in server, `drop_after_commit` behaves like `hang_after_commit`.)
    pub fn build(self) -> SandboxState {
        SandboxState::new(self.config, self.faults)
    }

    /// Binds `addr` (e.g. `"127.0.0.1:0"` for an ephemeral port) and serves in the background.
    pub async fn start(self, addr: impl ToSocketAddrs) -> std::io::Result<RunningSandbox> {
        self.faults
            .validate()
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let state = self.build();
        state.set_base_url(&format!("http://{addr}"));
        let app = router(state.clone());
        let task = tokio::spawn(server::serve(listener, app, state.shutdown_signal()));
        Ok(RunningSandbox {
            addr,
            state,
            task: Some(task),
        })
    }
}

/// The base URLs a connector is configured with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BaseUrls {
    /// `http://HOST:PORT`.
    pub root: String,
    /// DEXCHANGE base (`…/dexchange/api/v1`, like `https://api-m.dexchange.sn/api/v1`).
    pub dexchange: String,
    /// EASYTRANSFERT base (`…/easytransfert/api_v1/transaction`, + `/airtime`, `/status`).
    pub easytransfert: String,
    /// EASYTRANSFERT wallet endpoint (full URL).
    pub easytransfert_wallet: String,
    /// Gateway base (`…/unipesa`, + `/{public_id}/{method}`).
    pub unipesa: String,
    /// Admin API (`…/__sandbox`).
    pub admin: String,
}

impl BaseUrls {
    /// The URLs under a root like `http://127.0.0.1:PORT`.
    pub fn for_root(root: &str) -> Self {
        let root = root.trim_end_matches('/');
        Self {
            root: root.into(),
            dexchange: format!("{root}/dexchange/api/v1"),
            easytransfert: format!("{root}/easytransfert/api_v1/transaction"),
            easytransfert_wallet: format!(
                "{root}/easytransfert/api_v1/admin/partner/wallet/single"
            ),
            unipesa: format!("{root}/unipesa"),
            admin: format!("{root}/__sandbox"),
        }
    }
}

/// A sandbox serving on a socket. Dropping it shuts it down too.
#[derive(Debug)]
pub struct RunningSandbox {
    addr: SocketAddr,
    state: SandboxState,
    task: Option<JoinHandle<()>>,
}

impl RunningSandbox {
    /// The bound address (with the real port when `:0` was asked).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://HOST:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The providers' and the admin API's base URLs.
    pub fn base_urls(&self) -> BaseUrls {
        BaseUrls::for_root(&self.url())
    }

    /// The credentials it accepts.
    pub fn credentials(&self) -> &Credentials {
        &self.state.config().credentials
    }

    /// The shared state: transactions, fixtures, faults, approvals (as the admin API).
    pub fn state(&self) -> &SandboxState {
        &self.state
    }

    /// Stops accepting, closes every connection (hung ones too) and stops every timer.
    pub async fn shutdown(mut self) {
        self.state.shutdown();
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RunningSandbox {
    fn drop(&mut self) {
        self.state.shutdown();
    }
}

async fn not_found(req: axum::extract::Request) -> Response {
    http::json(
        StatusCode::NOT_FOUND,
        json!({
            "message": format!("Cannot {} {}", req.method(), req.uri().path()),
            "error": "Not Found",
            "statusCode": 404,
        }),
    )
}

/// The whole application: the three providers (with fault injection) and the admin API.
pub fn router(state: SandboxState) -> Router {
    let providers = Router::new()
        .nest("/dexchange/api/v1", dexchange::routes())
        .nest("/easytransfert/api_v1", easytransfert::routes())
        .nest("/unipesa", unipesa::routes())
        .layer(middleware::from_fn_with_state(
            state.clone(),
            faults::inject,
        ));
    Router::new()
        .merge(providers)
        .nest("/__sandbox", admin::routes())
        .fallback(not_found)
        .with_state(state)
}
