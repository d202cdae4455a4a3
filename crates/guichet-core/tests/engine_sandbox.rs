//! The engine and the reconciler against the sandbox over real HTTP: one happy path per provider,
//! one operation per enabled offer of the catalog (the training walk),
//! and `hang_after_commit` on each, compared with the sandbox's own record
//! (`/__sandbox/transactions`).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use guichet_core::catalog::{Catalog, ExtraField, Kind, OperationRequest};
use guichet_core::connector::dexchange::{DexchangeConnector, DexchangeCredentials};
use guichet_core::connector::easytransfert::{EasytransfertConnector, EasytransfertCredentials};
use guichet_core::connector::unipesa::{UnipesaConnector, UnipesaCredentials};
use guichet_core::connector::{Connector, Endpoint};
use guichet_core::engine::{
    connectors, detail_keys, Engine, EngineConfig, ReconcilePolicy, SubmitRequest,
};
use guichet_core::ledger::{Ledger, Operation, OperationStatus as S};
use guichet_core::money::{Currency, Money};
use guichet_sandbox::{Faults, RunningSandbox, Sandbox, Timings};
use serde_json::Value;

const SETTLE: Duration = Duration::from_secs(20);

async fn sandbox() -> RunningSandbox {
    Sandbox::builder()
        .seed(11)
        .timings(Timings::fast())
        .start("127.0.0.1:0")
        .await
        .expect("sandbox starts")
}

/// An engine on a fresh ledger, its connectors pointed at the sandbox; `timeout` per request.
async fn engine(sb: &RunningSandbox, dir: &tempfile::TempDir, timeout: Duration) -> Engine {
    let ledger = Ledger::open(dir.path().join("guichet.db")).await.unwrap();
    Engine::with_config(
        ledger,
        Catalog::embedded(),
        connectors(sandbox_connectors(sb, timeout)),
        EngineConfig::new(true).policy(ReconcilePolicy::fast()),
    )
}

/// The three real connectors, pointed at the sandbox; `timeout` per request.
fn sandbox_connectors(sb: &RunningSandbox, timeout: Duration) -> Vec<Arc<dyn Connector>> {
    let urls = sb.base_urls();
    let c = sb.credentials();
    let ep = |base: &str| Endpoint {
        base_url: base.to_owned(),
        timeout,
    };
    let list: Vec<Arc<dyn Connector>> = vec![
        Arc::new(DexchangeConnector::new(
            ep(&urls.dexchange),
            DexchangeCredentials::new(c.dexchange_key.clone()),
        )),
        Arc::new(
            EasytransfertConnector::new(
                ep(&urls.easytransfert),
                EasytransfertCredentials::new(c.easytransfert_key.clone()),
            )
            .with_wallet_url(urls.easytransfert_wallet.clone())
            .with_min_status_interval(Duration::from_millis(20)),
        ),
        Arc::new(UnipesaConnector::new(
            ep(&urls.unipesa),
            UnipesaCredentials::new(
                c.unipesa_public_id.clone(),
                c.unipesa_merchant_id.clone(),
                c.unipesa_secret.clone(),
            ),
        )),
    ];
    list
}

fn req(code: &str, kind: Kind, amount: i64, phone: Option<&str>) -> SubmitRequest {
    SubmitRequest::new(OperationRequest {
        service_code: code.into(),
        kind,
        amount: Money::new(amount, Currency::Xof),
        phone: phone.map(Into::into),
        otp: None,
        extras: BTreeMap::new(),
    })
}

fn dex_cashin() -> SubmitRequest {
    req(
        "WAVE_SN_CASHIN",
        Kind::Disbursement,
        5000,
        Some("77 123 45 67"),
    )
}

fn et_cashin() -> SubmitRequest {
    req(
        "EASYTRANSFERT_20",
        Kind::Disbursement,
        1000,
        Some("77 123 45 68"),
    )
}

fn gw_payout() -> SubmitRequest {
    req(
        "UNIPESA_2354",
        Kind::Disbursement,
        1500,
        Some("+221 77 123 45 69"),
    )
}

fn woyofal() -> SubmitRequest {
    let mut r = req("WOYOFAL_SN_BILL", Kind::Prepaid, 2000, None);
    r.request
        .extras
        .insert(ExtraField::ReferenceClient, "07061270877".into());
    r
}

/// The sandbox's transactions for our key.
fn provider_txns(sb: &RunningSandbox, op: &Operation) -> Vec<Value> {
    sb.state()
        .transactions()
        .into_iter()
        .filter(|t| t["external_id"].as_str() == Some(op.idempotency_key.as_str()))
        .collect()
}

/// One intent is at most one provider transaction, with our amount, and a final status in the
/// ledger is the provider's.
fn agrees(sb: &RunningSandbox, op: &Operation) -> Value {
    let txns = provider_txns(sb, op);
    assert_eq!(
        txns.len(),
        1,
        "{}: exactly one provider transaction: {txns:?}",
        op.service_code
    );
    let t = txns.into_iter().next().unwrap();
    assert_eq!(t["amount"].as_i64(), Some(op.amount_minor), "{t}");
    if let Some(r) = &op.provider_ref {
        assert_eq!(t["provider_id"].as_str(), Some(r.as_str()), "{t}");
    }
    if op.status.is_final() {
        assert_eq!(t["status"].as_str(), Some(op.status.as_str()), "{t}");
    }
    t
}

#[tokio::test]
async fn one_happy_path_per_provider_settles_and_agrees_with_the_provider() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(&sb, &dir, Duration::from_secs(5)).await;
    let reconciler = engine.spawn_reconciler();

    let mut ops = Vec::new();
    for r in [dex_cashin(), et_cashin(), gw_payout(), woyofal()] {
        let op = engine.submit(r, "Awa").await.unwrap();
        assert!(
            !matches!(op.status, S::Failed | S::Cancelled | S::Unknown),
            "{}: {:?} {:?}",
            op.service_code,
            op.status,
            op.details.get(detail_keys::ERROR)
        );
        ops.push(op);
    }
    for op in &ops {
        let done = engine.wait_settled(op.id, SETTLE).await.unwrap();
        assert_eq!(
            done.status,
            S::Success,
            "{}: {:?}",
            done.service_code,
            done.details
        );
        assert!(done.provider_ref.is_some(), "{}", done.service_code);
        let t = agrees(&sb, &done);
        if done.kind == "prepaid" {
            assert_eq!(done.token.as_deref(), t["token"].as_str(), "{t}");
            assert!(done.token.is_some());
        }
    }
    reconciler.shutdown().await;
    assert!(engine.ledger().list_non_final().await.unwrap().is_empty());
    sb.shutdown().await;
}

#[tokio::test]
async fn hang_after_commit_is_unknown_then_settled_or_reviewed_never_doubled() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(&sb, &dir, Duration::from_millis(1200)).await;

    // Every request is recorded by the provider, and its answer never comes.
    sb.state()
        .set_faults(Faults {
            hang_after_commit: 1.0,
            ..Faults::default()
        })
        .unwrap();
    let mut ops = Vec::new();
    for r in [gw_payout(), dex_cashin(), et_cashin()] {
        let op = engine.submit(r, "Awa").await.unwrap();
        assert_eq!(op.status, S::Unknown, "{}: never failed", op.service_code);
        ops.push(op);
    }
    sb.state().set_faults(Faults::default()).unwrap();

    // The reconciler takes over (as after a restart).
    let reconciler = engine.spawn_reconciler();
    let gw = engine.wait_settled(ops[0].id, SETTLE).await.unwrap();
    let dex = engine.wait_settled(ops[1].id, SETTLE).await.unwrap();
    let et = engine.wait_settled(ops[2].id, SETTLE).await.unwrap();
    reconciler.shutdown().await;

    // Gateway: asked by our order_id, settled.
    assert_eq!(gw.status, S::Success, "{:?}", gw.details);
    agrees(&sb, &gw);
    // DEXCHANGE: resent with the same key, 409, no lookup by our key: the documented window.
    assert_eq!(dex.status, S::NeedsReview);
    assert_eq!(
        dex.details[detail_keys::REVIEW_REASON],
        "duplicate_without_lookup"
    );
    agrees(&sb, &dex);
    // EASYTRANSFERT: never resent.
    assert_eq!(et.status, S::NeedsReview);
    assert_eq!(
        et.details[detail_keys::REVIEW_REASON],
        "no_lookup_no_resend"
    );
    agrees(&sb, &et);
    sb.shutdown().await;
}

/// A real connector whose submit goes through, after which the ledger refuses every new event
/// (as a full disk or a database busy past its timeout would) until the test lifts it.
struct LedgerFailsAfterSend {
    inner: Arc<dyn Connector>,
    db: std::path::PathBuf,
}

/// The trigger standing in for the failing disk.
const DISK_FULL: &str = "CREATE TRIGGER test_disk_full BEFORE INSERT ON operation_events \
     BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END";

async fn on_ledger(db: &std::path::Path, sql: &str) {
    use sqlx::Connection;
    let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
    sqlx::query(sql).execute(&mut c).await.unwrap();
    c.close().await.unwrap();
}

#[async_trait::async_trait]
impl Connector for LedgerFailsAfterSend {
    fn provider(&self) -> guichet_core::catalog::Provider {
        self.inner.provider()
    }
    async fn submit(
        &self,
        intent: &guichet_core::connector::Intent,
    ) -> Result<guichet_core::connector::Answer, guichet_core::connector::ConnectorError> {
        let answer = self.inner.submit(intent).await;
        on_ledger(&self.db, DISK_FULL).await;
        answer
    }
    async fn status(
        &self,
        probe: &guichet_core::connector::Probe,
    ) -> Result<guichet_core::connector::Answer, guichet_core::connector::ConnectorError> {
        self.inner.status(probe).await
    }
    async fn balance(
        &self,
    ) -> Result<guichet_core::connector::Balance, guichet_core::connector::ConnectorError> {
        self.inner.balance().await
    }
}

#[tokio::test]
async fn an_answer_that_cannot_be_written_gives_the_operation_to_follow_never_a_second_key() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("guichet.db");
    let list: Vec<Arc<dyn Connector>> = sandbox_connectors(&sb, Duration::from_secs(5))
        .into_iter()
        .map(|c| -> Arc<dyn Connector> {
            if c.provider() == guichet_core::catalog::Provider::Unipesa {
                Arc::new(LedgerFailsAfterSend {
                    inner: c,
                    db: db.clone(),
                })
            } else {
                c
            }
        })
        .collect();
    let policy = ReconcilePolicy {
        orphan_after: Duration::from_millis(300),
        ..ReconcilePolicy::fast()
    };
    let engine = Engine::with_config(
        Ledger::open(&db).await.unwrap(),
        Catalog::embedded(),
        connectors(list),
        EngineConfig::new(true).policy(policy),
    );

    let err = engine.submit(gw_payout(), "Awa").await.unwrap_err();
    assert_eq!(err.code(), "operation_unsettled");
    assert!(
        err.message().fr.contains("ne refaites pas"),
        "{}",
        err.message().fr
    );
    let id = err.operation_id().expect("the error names the operation");
    let op = engine.get(id).await.unwrap();
    assert_eq!(op.status, S::Sent, "the answer was not written");
    assert_eq!(provider_txns(&sb, &op).len(), 1, "the provider has it once");

    // The disk comes back: the reconciler settles that same operation, with its one key.
    on_ledger(&db, "DROP TRIGGER test_disk_full").await;
    let reconciler = engine.spawn_reconciler();
    let settled = engine.wait_settled(id, SETTLE).await.unwrap();
    reconciler.shutdown().await;
    assert_eq!(settled.idempotency_key, op.idempotency_key);
    assert!(settled.status.is_final(), "{settled:?}");
    agrees(&sb, &settled);
    let all = engine
        .history(&guichet_core::ledger::HistoryQuery::default())
        .await
        .unwrap();
    assert_eq!(all.len(), 1, "no second operation, no second key");
}

/// A valid request for one offer of a service, from the catalog alone: the offer's minimum
/// (rounded up to its multiple), a mobile of the service's country (of its operator for
/// Senegalese airtime), an OTP where one is needed, and every extra field it asks for. Bills
/// take the amount and the bill of an inquiry.
async fn walk_request(
    engine: &Engine,
    fixtures: &Value,
    s: &guichet_core::catalog::Service,
    offer: &guichet_core::catalog::Offer,
) -> SubmitRequest {
    let currency = s.currency;
    let step = offer.multiple_of.map_or(1, |m| m.minor);
    let min = offer.min.map_or_else(
        || Money::from_major(1000, currency).unwrap().minor,
        |m| m.minor,
    );
    let amount = (min + step - 1) / step * step;
    let phone = s
        .phone_format
        .map(|_| match (s.country.code(), s.operator.as_str()) {
            ("SN", "free") => "76 123 45 67".to_string(),
            ("SN", "expresso") => "70 123 45 67".to_string(),
            ("SN", "promobile") => "75 123 45 67".to_string(),
            ("SN", _) => "77 123 45 67".to_string(),
            _ => s
                .country
                .example_mobile()
                .expect("an example mobile")
                .to_string(),
        });
    let mut r = SubmitRequest::new(OperationRequest {
        service_code: s.code.clone(),
        kind: offer.kind,
        amount: Money::new(amount, currency),
        phone,
        otp: offer.otp_required.then(|| "123456".to_string()),
        extras: BTreeMap::new(),
    });
    for e in &offer.extras {
        let value = match e {
            ExtraField::ReferenceClient => {
                let (list, pick): (&str, fn(&Value) -> bool) = match s.code.as_str() {
                    "WOYOFAL_SN_BILL" => ("woyofal", |m| m["behaviour"] == "instant"),
                    "SENEAU_SN_BILL" => ("seneau", |a| a["unpaid_bills"].as_u64() > Some(0)),
                    _ => ("senelec", |a| a["unpaid_bills"].as_u64() > Some(0)),
                };
                fixtures[list]
                    .as_array()
                    .and_then(|l| l.iter().find(|x| pick(x)))
                    .and_then(|x| x["reference_client"].as_str())
                    .unwrap_or_else(|| panic!("a {list} fixture: {}", fixtures[list]))
                    .to_string()
            }
            ExtraField::CustomerName => "Awa Diop".into(),
            ExtraField::CustomerEmail => "awa.diop@example.com".into(),
            ExtraField::ReturnUrl => "https://guichet.invalid/back".into(),
            ExtraField::Bic => "ECOCSNDA".into(),
            ExtraField::CustomerDocType => "national_id".into(),
            ExtraField::CustomerDocNumber => "1234567890".into(),
            ExtraField::BankCode => "044".into(),
        };
        r.request.extras.insert(*e, value);
    }
    if offer.kind == Kind::Bill {
        let reference = &r.request.extras[&ExtraField::ReferenceClient];
        let bills = engine.bill_inquiry(&s.code, reference).await.unwrap();
        let bill = bills.iter().find(|b| !b.paid).expect("an unpaid bill");
        r.request.amount = Money::new(bill.amount_minor, currency);
        r.invoice_ref = bill.reference_facture.clone();
    }
    r
}

/// Training offers every enabled service of the catalog: one operation per enabled offer,
/// through the engine and the real connectors, each ends in a final status — success, or for
/// the Simulator (provider 14, which by its documentation stays "in progress" and never calls
/// back) the admin API's approval — and none is refused as an unknown service.
#[tokio::test]
async fn every_enabled_offer_of_the_catalog_works_in_training() {
    // Links stay payable for the whole walk: on a loaded machine the 2 s of `Timings::fast` can
    // pass between a link's creation and its payment (the link then EXPIRED, not a catalog fault).
    let sb = Sandbox::builder()
        .seed(11)
        .timings(Timings {
            link_ttl: Duration::from_secs(120),
            ..Timings::fast()
        })
        .start("127.0.0.1:0")
        .await
        .expect("sandbox starts");
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path().join("guichet.db")).await.unwrap();
    // DEXCHANGE's documented 100 req/min would spread this walk over minutes: the sandbox does
    // not enforce it, the connector's limiter is opened wide here.
    let list: Vec<Arc<dyn Connector>> = sandbox_connectors(&sb, Duration::from_secs(10))
        .into_iter()
        .map(|c| -> Arc<dyn Connector> {
            if c.provider() != guichet_core::catalog::Provider::Dexchange {
                return c;
            }
            let c = sb.credentials();
            Arc::new(
                DexchangeConnector::new(
                    Endpoint {
                        base_url: sb.base_urls().dexchange,
                        timeout: Duration::from_secs(10),
                    },
                    DexchangeCredentials::new(c.dexchange_key.clone()),
                )
                .with_rate_limit(60_000, 1_000, Duration::from_secs(10)),
            )
        })
        .collect();
    let catalog = Catalog::embedded();
    let engine = Engine::with_config(
        ledger,
        catalog.clone(),
        connectors(list),
        EngineConfig::new(true).policy(ReconcilePolicy::fast()),
    );
    let reconciler = engine.spawn_reconciler();
    let fixtures = sb.state().fixtures();

    let mut tasks = tokio::task::JoinSet::new();
    let mut offers = 0;
    for s in catalog.services().iter().filter(|s| s.enabled) {
        for offer in &s.offers {
            offers += 1;
            let r = walk_request(&engine, &fixtures, s, offer).await;
            let (engine, code, kind) = (engine.clone(), s.code.clone(), offer.kind);
            let state = sb.state().clone();
            tasks.spawn(async move {
                let submitted = engine.submit(r, "Awa").await;
                // The customer pays a link at once.
                if let Ok(op) = &submitted {
                    if let (Kind::PaymentLink, Some(r)) = (kind, &op.provider_ref) {
                        state.approve(r, None).unwrap();
                    }
                }
                (code, kind, submitted)
            });
        }
    }
    let mut problems = Vec::new();
    let mut pending = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        let (code, kind, submitted) = joined.unwrap();
        match submitted {
            Ok(op) => pending.push((code, kind, op)),
            Err(e) => problems.push(format!("{code} {kind:?}: refused: {e}")),
        }
    }
    for (code, kind, op) in pending {
        let mut done = engine
            .wait_settled(op.id, Duration::from_millis(1500))
            .await
            .unwrap();
        if !done.status.is_final() {
            // Waits for someone: the Simulator, a Wizall OTP.
            if detail_bool(&done, detail_keys::AWAITS_OTP) {
                engine.confirm_otp(done.id, "123456", "Awa").await.unwrap();
            } else if let Some(r) = &done.provider_ref {
                sb.state().approve(r, None).unwrap();
            }
            done = engine.wait_settled(op.id, SETTLE).await.unwrap();
        }
        let error = done.details.get(detail_keys::ERROR).cloned();
        if done.status != S::Success {
            problems.push(format!("{code} {kind:?}: {:?} {error:?}", done.status));
        }
        if format!("{:?}", done.details).contains("Unknown provider_id") {
            problems.push(format!("{code} {kind:?}: Unknown provider_id"));
        }
    }
    reconciler.shutdown().await;
    assert!(offers > 200, "{offers} enabled offers");
    assert!(
        problems.is_empty(),
        "{} of {offers}:\n{}",
        problems.len(),
        problems.join("\n")
    );
    sb.shutdown().await;
}

fn detail_bool(op: &Operation, key: &str) -> bool {
    op.details.get(key).and_then(Value::as_bool) == Some(true)
}
