//! Shared helpers: a sandbox on an ephemeral port, connectors pointed at it with its default
//! credentials, intents validated by the real catalog, and polling until a final status.

use std::collections::BTreeMap;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use guichet_core::catalog::{Catalog, ExtraField, Kind, OperationRequest};
use guichet_core::connector::dexchange::{DexchangeConnector, DexchangeCredentials};
use guichet_core::connector::easytransfert::{EasytransfertConnector, EasytransfertCredentials};
use guichet_core::connector::unipesa::{UnipesaConnector, UnipesaCredentials};
use guichet_core::connector::{Answer, Connector, ConnectorError, Endpoint, Intent, Probe};
use guichet_core::ledger::new_idempotency_key;
use guichet_core::money::{Currency, Money};
use guichet_sandbox::{Faults, RunningSandbox, Sandbox, Timings};

/// Per-request timeout of the connectors in these tests (the sandbox answers in milliseconds).
pub const TIMEOUT: Duration = Duration::from_secs(5);
/// A short timeout for the hang tests.
pub const SHORT_TIMEOUT: Duration = Duration::from_millis(400);

/// A sandbox with fast timings on 127.0.0.1.
pub async fn sandbox() -> RunningSandbox {
    Sandbox::builder()
        .seed(7)
        .timings(Timings::fast())
        .start("127.0.0.1:0")
        .await
        .expect("sandbox starts")
}

/// An endpoint with a timeout.
pub fn endpoint(base_url: &str, timeout: Duration) -> Endpoint {
    Endpoint {
        base_url: base_url.to_owned(),
        timeout,
    }
}

/// DEXCHANGE with the sandbox's key.
pub fn dexchange(sb: &RunningSandbox) -> DexchangeConnector {
    dexchange_with(sb, &sb.credentials().dexchange_key, TIMEOUT)
}

/// DEXCHANGE with a key and a timeout.
pub fn dexchange_with(sb: &RunningSandbox, key: &str, timeout: Duration) -> DexchangeConnector {
    DexchangeConnector::new(
        endpoint(&sb.base_urls().dexchange, timeout),
        DexchangeCredentials::new(key),
    )
}

/// EASYTRANSFERT with the sandbox's key and no polling guard (tests poll fast).
pub fn easytransfert(sb: &RunningSandbox) -> EasytransfertConnector {
    easytransfert_with(sb, &sb.credentials().easytransfert_key, TIMEOUT)
}

/// EASYTRANSFERT with a key and a timeout, no polling guard.
pub fn easytransfert_with(
    sb: &RunningSandbox,
    key: &str,
    timeout: Duration,
) -> EasytransfertConnector {
    EasytransfertConnector::new(
        endpoint(&sb.base_urls().easytransfert, timeout),
        EasytransfertCredentials::new(key),
    )
    .with_min_status_interval(Duration::ZERO)
}

/// The gateway with the sandbox's credentials.
pub fn unipesa(sb: &RunningSandbox) -> UnipesaConnector {
    unipesa_with(sb, &sb.credentials().unipesa_secret, TIMEOUT)
}

/// The gateway with another secret and a timeout.
pub fn unipesa_with(sb: &RunningSandbox, secret: &str, timeout: Duration) -> UnipesaConnector {
    let c = sb.credentials();
    UnipesaConnector::new(
        endpoint(&sb.base_urls().unipesa, timeout),
        UnipesaCredentials::new(&c.unipesa_public_id, &c.unipesa_merchant_id, secret),
    )
}

/// What a test asks for.
#[derive(Debug, Clone, Default)]
pub struct Ask<'a> {
    pub service: &'a str,
    pub amount: i64,
    pub phone: Option<&'a str>,
    pub otp: Option<&'a str>,
    pub extras: Vec<(ExtraField, &'a str)>,
    pub invoice: Option<&'a str>,
    pub item: Option<&'a str>,
}

/// The embedded catalog, parsed once (parsing it is the slowest thing these tests do).
fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(Catalog::embedded)
}

/// An intent validated by the embedded catalog, with a fresh idempotency key.
pub fn intent(kind: Kind, ask: Ask<'_>) -> Intent {
    let catalog = catalog();
    let currency = catalog
        .get(ask.service)
        .map(|s| s.currency)
        .unwrap_or(Currency::Xof);
    let req = OperationRequest {
        service_code: ask.service.to_owned(),
        kind,
        amount: Money::from_major(ask.amount, currency).expect("amount"),
        phone: ask.phone.map(str::to_owned),
        otp: ask.otp.map(str::to_owned),
        extras: ask
            .extras
            .iter()
            .map(|(f, v)| (*f, (*v).to_owned()))
            .collect::<BTreeMap<_, _>>(),
    };
    let request = catalog
        .validate(&req)
        .unwrap_or_else(|r| panic!("catalog refuses {req:?}: {r:?}"));
    Intent {
        idempotency_key: new_idempotency_key(),
        request,
        invoice_ref: ask.invoice.map(str::to_owned),
        item_name: ask.item.map(str::to_owned),
        callback_url: None,
    }
}

/// The probe the reconciler would build.
pub fn probe(intent: &Intent, provider_ref: Option<&str>) -> Probe {
    Probe {
        idempotency_key: intent.idempotency_key.clone(),
        provider_ref: provider_ref.map(str::to_owned),
        intent: intent.clone(),
    }
}

/// Asks for the status every 40 ms until it is final (5 s at most).
pub async fn until_final(conn: &dyn Connector, probe: &Probe) -> Answer {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let a = conn.status(probe).await.expect("status");
        if a.status.is_final() {
            return a;
        }
        assert!(
            Instant::now() < deadline,
            "still {:?} after 5 s: {:?}",
            a.status,
            a.raw
        );
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
}

/// Turns on one fault for one provider (probability 1).
pub fn fault(sb: &RunningSandbox, provider: &str, set: impl FnOnce(&mut Faults)) {
    let mut f = Faults {
        providers: Some(vec![provider.to_owned()]),
        ..Faults::default()
    };
    set(&mut f);
    sb.state().set_faults(f).expect("faults");
}

/// Clears every fault.
pub fn no_faults(sb: &RunningSandbox) {
    sb.state().set_faults(Faults::default()).expect("faults");
}

/// The error's stable code, for readable assertions.
pub fn code<T: std::fmt::Debug>(r: Result<T, ConnectorError>) -> &'static str {
    match r {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => e.code(),
    }
}

/// A loopback port nothing listens on.
pub fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = l.local_addr().expect("addr").port();
    drop(l);
    port
}
