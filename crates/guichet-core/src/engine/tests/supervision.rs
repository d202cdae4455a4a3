//! The reconciler keeps settling whatever happens to it: restarted when its task ends, not
//! stopped by a panicking step or a provider's absurd `Retry-After`; and the resend rules
//! (a blind DEXCHANGE resend waits; an answer naming a transaction is asked about by its id).

use std::sync::atomic::{AtomicBool, Ordering};

use async_trait::async_trait;

use super::super::reconciler::test_hook::{self, End};
use super::*;
use crate::connector::{Answer, Balance, Probe};

const SETTLE: Duration = Duration::from_secs(10);

/// A connector double whose first status call panics; everything else goes to the fake.
struct PanicsOnce {
    fake: Arc<Fake>,
    panicked: AtomicBool,
}

#[async_trait]
impl Connector for PanicsOnce {
    fn provider(&self) -> Provider {
        self.fake.provider()
    }

    async fn submit(&self, intent: &Intent) -> Result<Answer, ConnectorError> {
        self.fake.submit(intent).await
    }

    async fn status(&self, probe: &Probe) -> Result<Answer, ConnectorError> {
        if !self.panicked.swap(true, Ordering::SeqCst) {
            panic!("connector double: first status call panics");
        }
        self.fake.status(probe).await
    }

    async fn balance(&self) -> Result<Balance, ConnectorError> {
        self.fake.balance().await
    }
}

async fn gateway_unknown_then_success(t: &Till) -> Uuid {
    t.gw.on_submit([Err(timeout())]);
    t.gw.on_status([Ok(answer(S::Success, "2", Some("GW-1")))]);
    let op = t.engine.submit(gw_collect(), "Awa").await.unwrap();
    assert_eq!(op.status, S::Unknown);
    op.id
}

#[tokio::test]
async fn a_reconciler_that_ends_is_restarted_and_keeps_settling() {
    for how in [End::Panic, End::Return] {
        let t = till().await;
        let id = gateway_unknown_then_success(&t).await;
        test_hook::end_next_pass(&t.engine, how);
        let reconciler = t.engine.spawn_reconciler();
        let op = t.engine.wait_settled(id, SETTLE).await.unwrap();
        assert_eq!(op.status, S::Success, "{how:?}");
        assert_eq!(reconciler.restarts(), 1, "{how:?}");
        assert!(!reconciler.is_finished());
        reconciler.shutdown().await;
    }
}

#[tokio::test]
async fn a_stopped_reconciler_is_not_restarted() {
    let t = till().await;
    let reconciler = t.engine.spawn_reconciler();
    tokio::time::sleep(Duration::from_millis(50)).await;
    let restarts = reconciler.restarts();
    reconciler.shutdown().await;
    assert_eq!(restarts, 0);
}

#[tokio::test]
async fn a_step_that_panics_ends_only_that_step() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path().join("guichet.db")).await.unwrap();
    let gw = Arc::new(Fake::new(Provider::Unipesa));
    let double = Arc::new(PanicsOnce {
        fake: Arc::clone(&gw),
        panicked: AtomicBool::new(false),
    });
    let engine = Engine::with_config(
        ledger,
        Catalog::embedded(),
        connectors([double as Arc<dyn Connector>]),
        EngineConfig::new(true).policy(policy()),
    );
    gw.on_submit([Err(timeout())]);
    gw.on_status([Ok(answer(S::Success, "2", Some("GW-2")))]);
    let op = engine.submit(gw_collect(), "Awa").await.unwrap();
    let reconciler = engine.spawn_reconciler();
    let op = engine.wait_settled(op.id, SETTLE).await.unwrap();
    assert_eq!(op.status, S::Success);
    // The panic was the step's, not the reconciler's.
    assert_eq!(reconciler.restarts(), 0);
    reconciler.shutdown().await;
}

#[tokio::test]
async fn retry_after_18446744073709551615_never_stops_the_reconciler() {
    let t = till().await;
    // DEXCHANGE: pending with its id; every status call answers 429 with an absurd delay.
    t.dex
        .on_submit([Ok(answer(S::Pending, "PENDING", Some("TID1")))]);
    t.dex.on_status([Err(ConnectorError::Unavailable {
        detail: "Too Many Requests".into(),
        retry_after: Some(Duration::from_secs(u64::MAX)),
    })]);
    let dex = t.engine.submit(dex_cashin(), "Awa").await.unwrap();
    assert_eq!(dex.status, S::Pending);
    let gw = gateway_unknown_then_success(&t).await;

    let reconciler = t.engine.spawn_reconciler();
    let op = t.engine.wait_settled(gw, SETTLE).await.unwrap();
    assert_eq!(op.status, S::Success);
    // A few more passes: the reconciler lives on, and DEXCHANGE is left alone for the
    // (clamped) hour it asked for.
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(reconciler.restarts(), 0, "the reconciler never died");
    assert!(!reconciler.is_finished());
    assert_eq!(t.dex.count("status"), 1);
    assert_eq!(t.engine.get(dex.id).await.unwrap().status, S::Pending);
    reconciler.shutdown().await;
}

#[tokio::test]
async fn a_blind_dexchange_resend_waits_for_the_first_request() {
    let t = till_with(ReconcilePolicy {
        blind_resend_after: Duration::from_millis(400),
        ..policy()
    })
    .await;
    t.dex.on_submit([
        Err(timeout()),
        Err(timeout()),
        Ok(answer(S::Pending, "PENDING", Some("TID3"))),
    ]);
    let op = t.engine.submit(dex_cashin(), "Awa").await.unwrap();
    assert_eq!(op.status, S::Unknown);
    // At once: the first request may still be in flight at DEXCHANGE: nothing is resent.
    t.engine.reconcile_once().await.unwrap();
    assert_eq!(t.dex.count("submit"), 1);
    tokio::time::sleep(Duration::from_millis(450)).await;
    t.engine.reconcile_once().await.unwrap();
    assert_eq!(t.dex.count("submit"), 2, "resent once the delay passed");
    // That resend timed out too: the next one waits again, from the resend.
    t.engine.reconcile_once().await.unwrap();
    assert_eq!(t.dex.count("submit"), 2);
    tokio::time::sleep(Duration::from_millis(450)).await;
    t.engine.reconcile_once().await.unwrap();
    let op = t.engine.get(op.id).await.unwrap();
    assert_eq!(op.status, S::Pending);
    assert_eq!(op.provider_ref.as_deref(), Some("TID3"));
    assert!(t
        .dex
        .calls_of("submit")
        .iter()
        .all(|c| c.key == op.idempotency_key));
    // The running reconciler honours the same wait (it does not resend in a loop).
    let t = till_with(ReconcilePolicy {
        blind_resend_after: Duration::from_secs(60),
        ..policy()
    })
    .await;
    t.dex.on_submit([Err(timeout())]);
    t.engine.submit(dex_cashin(), "Awa").await.unwrap();
    let reconciler = t.engine.spawn_reconciler();
    tokio::time::sleep(Duration::from_millis(800)).await;
    reconciler.shutdown().await;
    assert_eq!(t.dex.count("submit"), 1);
}

#[tokio::test]
async fn an_unknown_status_word_keeps_the_id_and_is_asked_by_it() {
    for provider in [Provider::Dexchange, Provider::Easytransfert] {
        let t = till().await;
        let (fake, request, id) = match provider {
            Provider::Dexchange => (&t.dex, dex_cashin(), "TID5"),
            _ => (&t.et, et_cashin(), "EFB.5"),
        };
        fake.on_submit([Err(ConnectorError::ambiguous_about(
            "unknown status \"ON_HOLD\"",
            json!({"Status": "ON_HOLD", "transactionId": id}),
            Some(id.into()),
        ))]);
        fake.on_status([Ok(answer(S::Success, "SUCCESS", Some(id)))]);
        let op = t.engine.submit(request, "Awa").await.unwrap();
        assert_eq!(op.status, S::Unknown, "{provider:?}");
        assert_eq!(op.provider_ref.as_deref(), Some(id), "{provider:?}");
        let last = t.engine.events(op.id).await.unwrap().pop().unwrap();
        assert_eq!(last.raw.unwrap()["Status"], "ON_HOLD");

        t.engine.reconcile_once().await.unwrap();
        let op = t.engine.get(op.id).await.unwrap();
        assert_eq!(op.status, S::Success, "{provider:?}");
        // Asked by its id, never resent.
        assert_eq!(fake.count("submit"), 1, "{provider:?}");
        assert_eq!(fake.calls_of("status")[0].provider_ref.as_deref(), Some(id));
    }
}
