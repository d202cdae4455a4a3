//! Engine and reconciler tests: a real SQLite file in a temporary directory, scripted fake
//! connectors.

mod fake;
mod supervision;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use tempfile::TempDir;

use super::*;
use crate::catalog::{ExtraField, Kind, OperationRequest, Provider, RefusalCode};
use crate::connector::ConnectorError;
use crate::ledger::{EventSource, Ledger, OperationStatus as S};
use crate::money::{Currency, Money};
use fake::{answer, timeout, Fake};

struct Till {
    _dir: TempDir,
    path: std::path::PathBuf,
    engine: Engine,
    dex: Arc<Fake>,
    et: Arc<Fake>,
    gw: Arc<Fake>,
}

fn policy() -> ReconcilePolicy {
    ReconcilePolicy {
        max_failed_attempts: 3,
        ..ReconcilePolicy::fast()
    }
}

async fn engine_on(path: &std::path::Path, policy: ReconcilePolicy) -> (Engine, [Arc<Fake>; 3]) {
    let ledger = Ledger::open(path).await.unwrap();
    let fakes = [
        Arc::new(Fake::new(Provider::Dexchange)),
        Arc::new(Fake::new(Provider::Easytransfert)),
        Arc::new(Fake::new(Provider::Unipesa)),
    ];
    for f in &fakes {
        f.observe(&ledger);
    }
    let conns = connectors(fakes.iter().map(|f| f.clone() as Arc<dyn Connector>));
    let engine = Engine::with_config(
        ledger,
        Catalog::embedded(),
        conns,
        EngineConfig::new(true).policy(policy),
    );
    (engine, fakes)
}

async fn till() -> Till {
    till_with(policy()).await
}

async fn till_with(policy: ReconcilePolicy) -> Till {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("guichet.db");
    let (engine, [dex, et, gw]) = engine_on(&path, policy).await;
    Till {
        _dir: dir,
        path,
        engine,
        dex,
        et,
        gw,
    }
}

fn xof(n: i64) -> Money {
    Money::new(n, Currency::Xof)
}

fn req(code: &str, kind: Kind, amount: i64, phone: Option<&str>) -> SubmitRequest {
    SubmitRequest::new(OperationRequest {
        service_code: code.into(),
        kind,
        amount: xof(amount),
        phone: phone.map(Into::into),
        otp: None,
        extras: BTreeMap::new(),
    })
}

/// DEXCHANGE Wave cash-in.
fn dex_cashin() -> SubmitRequest {
    req(
        "WAVE_SN_CASHIN",
        Kind::Disbursement,
        5000,
        Some("77 123 45 67"),
    )
}

/// EASYTRANSFERT Wave SN cash-in.
fn et_cashin() -> SubmitRequest {
    req(
        "EASYTRANSFERT_20",
        Kind::Disbursement,
        1000,
        Some("771234567"),
    )
}

/// Gateway simulator collection.
fn gw_collect() -> SubmitRequest {
    req("UNIPESA_14", Kind::Collection, 1000, Some("+221771234567"))
}

fn woyofal() -> SubmitRequest {
    let mut r = req("WOYOFAL_SN_BILL", Kind::Prepaid, 5000, None);
    r.request
        .extras
        .insert(ExtraField::ReferenceClient, "07061270877".into());
    r
}

async fn statuses(engine: &Engine, id: Uuid) -> Vec<(Option<S>, S, EventSource)> {
    engine
        .events(id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.from_status, e.to_status, e.source))
        .collect()
}

fn moves(events: &[(Option<S>, S, EventSource)]) -> Vec<S> {
    let mut out = Vec::new();
    for (from, to, _) in events {
        if *from != Some(*to) {
            out.push(*to);
        }
    }
    out
}

async fn count_ops(engine: &Engine) -> usize {
    engine
        .history(&HistoryQuery::default())
        .await
        .unwrap()
        .len()
}

#[tokio::test]
async fn a_refused_request_writes_nothing_and_calls_no_one() {
    let t = till().await;
    let err = t
        .engine
        .submit(
            req("WAVE_SN_CASHIN", Kind::Disbursement, 50, Some("12")),
            "Awa",
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "refused");
    let codes: Vec<RefusalCode> = err.refusals().iter().map(|r| r.code).collect();
    assert!(codes.contains(&RefusalCode::BelowMinimum), "{codes:?}");
    assert!(codes.len() >= 2, "every refusal at once: {codes:?}");
    assert!(!err.message().fr.is_empty());
    assert_eq!(count_ops(&t.engine).await, 0);
    assert!(t.dex.calls().is_empty());
}

#[tokio::test]
async fn a_provider_without_a_connector_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path().join("g.db")).await.unwrap();
    let engine = Engine::new(ledger, Catalog::embedded(), Connectors::new(), true);
    let err = engine.submit(dex_cashin(), "Awa").await.unwrap_err();
    assert_eq!(err.code(), "provider_not_configured");
    assert!(err.message().fr.contains("DEXCHANGE"));
    assert_eq!(count_ops(&engine).await, 0);
}

#[tokio::test]
async fn success_path_commits_prepared_then_sent_then_the_answer() {
    let t = till().await;
    let mut ok = answer(S::Success, "SUCCESS", Some("TID1"));
    ok.fee_minor = Some(50);
    t.dex.on_submit([Ok(ok)]);
    let mut rx = t.engine.subscribe();

    let op = t.engine.submit(dex_cashin(), "Awa").await.unwrap();
    assert_eq!(op.status, S::Success);
    assert_eq!(op.provider_ref.as_deref(), Some("TID1"));
    assert_eq!(op.fee_minor, Some(50));
    assert_eq!(op.operator_name, "Awa");
    assert!(op.training);
    assert_eq!(op.customer_ref, "+221771234567");
    assert_eq!(op.kind, "disbursement");
    assert_eq!(op.details[detail_keys::NATIVE_STATUS], json!("SUCCESS"));

    let events = statuses(&t.engine, op.id).await;
    assert_eq!(
        events,
        vec![
            (None, S::Prepared, EventSource::Engine),
            (Some(S::Prepared), S::Sent, EventSource::Engine),
            (Some(S::Sent), S::Success, EventSource::Engine),
        ]
    );
    // `sent` was committed before the connector was called.
    let calls = t.dex.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].ledger_status, Some(S::Sent));
    assert_eq!(calls[0].key, op.idempotency_key);
    // The raw answer is stored redacted.
    let last = t.engine.events(op.id).await.unwrap().pop().unwrap();
    assert!(!last.raw.unwrap().to_string().contains("leak-me-not"));
    // The intent is stored for resends.
    let stored: Intent = serde_json::from_value(op.details[detail_keys::INTENT].clone()).unwrap();
    assert_eq!(stored.idempotency_key, op.idempotency_key);

    // The broadcast saw each change, in order.
    let mut seen = Vec::new();
    while let Ok(u) = rx.try_recv() {
        assert_eq!(u.operation.id, op.id);
        seen.push((u.operation.status, u.event.map(|e| e.to_status)));
    }
    assert_eq!(
        seen,
        vec![
            (S::Prepared, Some(S::Prepared)),
            (S::Sent, Some(S::Sent)),
            (S::Success, Some(S::Success)),
        ]
    );
}

#[tokio::test]
async fn first_send_errors_map_to_what_may_have_happened_to_the_money() {
    let cases: Vec<(ConnectorError, S)> = vec![
        (
            ConnectorError::NotSent {
                detail: "connection refused".into(),
            },
            S::Cancelled,
        ),
        (
            ConnectorError::Unavailable {
                detail: "maintenance".into(),
                retry_after: None,
            },
            S::Cancelled,
        ),
        (
            ConnectorError::Refused {
                native_code: "400".into(),
                message: "Insufficient balance".into(),
                raw: json!({"message": "Insufficient balance"}),
            },
            S::Failed,
        ),
        (
            ConnectorError::Unauthorized {
                raw: json!({"message": "bad key"}),
            },
            S::Failed,
        ),
        (timeout(), S::Unknown),
    ];
    for (err, want) in cases {
        let t = till().await;
        let code = err.code();
        t.dex.on_submit([Err(err)]);
        let op = t.engine.submit(dex_cashin(), "Awa").await.unwrap();
        assert_eq!(op.status, want, "{code}");
        assert_eq!(op.details[detail_keys::ERROR]["code"], json!(code));
        if want == S::Failed && code == "provider_refused" {
            assert_eq!(
                op.details[detail_keys::PROVIDER_MESSAGE],
                json!("Insufficient balance")
            );
        }
        assert_eq!(
            moves(&statuses(&t.engine, op.id).await),
            vec![S::Prepared, S::Sent, want]
        );
    }
}

#[tokio::test]
async fn ambiguous_then_status_by_our_key_settles_success_and_failure() {
    for (native, want) in [("2", S::Success), ("3", S::Failed)] {
        let t = till().await;
        t.gw.on_submit([Err(timeout())]);
        t.gw.on_status([Ok(answer(want, native, Some("GW-9")))]);
        let op = t.engine.submit(gw_collect(), "Awa").await.unwrap();
        assert_eq!(op.status, S::Unknown);

        let report = t.engine.reconcile_once().await.unwrap();
        assert_eq!(report.changed, 1);
        assert!(report.remaining.is_empty());
        let op = t.engine.get(op.id).await.unwrap();
        assert_eq!(op.status, want);
        assert_eq!(op.provider_ref.as_deref(), Some("GW-9"));
        // Asked by status (our key, no provider ref yet), never resent.
        assert_eq!(t.gw.count("submit"), 1);
        let status_calls = t.gw.calls_of("status");
        assert_eq!(status_calls.len(), 1);
        assert_eq!(status_calls[0].key, op.idempotency_key);
        assert_eq!(status_calls[0].provider_ref, None);
        let events = statuses(&t.engine, op.id).await;
        assert_eq!(events.last().unwrap().2, EventSource::Reconciler);
        assert_eq!(moves(&events), vec![S::Prepared, S::Sent, S::Unknown, want]);
    }
}

#[tokio::test]
async fn dexchange_without_a_ref_is_resent_with_the_same_key_and_a_409_needs_review() {
    let t = till().await;
    t.dex.on_submit([
        Err(timeout()),
        Err(ConnectorError::Duplicate {
            raw: json!({"message": "externalTransactionId already used"}),
        }),
    ]);
    let op = t.engine.submit(dex_cashin(), "Awa").await.unwrap();
    assert_eq!(op.status, S::Unknown);
    t.engine.reconcile_once().await.unwrap();
    let op = t.engine.get(op.id).await.unwrap();
    assert_eq!(op.status, S::NeedsReview);
    assert_eq!(
        op.details[detail_keys::REVIEW_REASON],
        json!("duplicate_without_lookup")
    );
    // No status question was possible; the resend used the same key.
    assert_eq!(t.dex.count("status"), 0);
    let keys: Vec<String> = t
        .dex
        .calls_of("submit")
        .into_iter()
        .map(|c| c.key)
        .collect();
    assert_eq!(keys, vec![op.idempotency_key.clone(); 2]);
    // The evidence: the resend is on record before it left, the 409's raw answer after.
    let events = t.engine.events(op.id).await.unwrap();
    assert!(events.iter().any(|e| e
        .note
        .as_deref()
        .unwrap_or("")
        .contains("resending the same intent")));
    let last = events.last().unwrap();
    assert_eq!(last.to_status, S::NeedsReview);
    assert_eq!(
        last.raw.as_ref().unwrap()["message"],
        json!("externalTransactionId already used")
    );
    // Under review without a ref, DEXCHANGE is never asked again.
    t.engine.reconcile_once().await.unwrap();
    assert_eq!(t.dex.count("submit"), 2);
}

#[tokio::test]
async fn a_duplicate_on_the_first_send_is_unknown_then_resolved() {
    let t = till().await;
    t.dex
        .on_submit([Err(ConnectorError::Duplicate { raw: json!({}) })]);
    let op = t.engine.submit(dex_cashin(), "Awa").await.unwrap();
    assert_eq!(op.status, S::Unknown, "never failed");
    t.engine.reconcile_once().await.unwrap();
    assert_eq!(t.engine.get(op.id).await.unwrap().status, S::NeedsReview);
}

#[tokio::test]
async fn dexchange_resend_that_arrives_first_is_followed_by_status_polls_by_ref() {
    let t = till().await;
    t.dex.on_submit([
        Err(timeout()),
        Err(timeout()),
        Ok(answer(S::Pending, "PENDING", Some("TID7"))),
    ]);
    t.dex
        .on_status([Ok(answer(S::Success, "SUCCESS", Some("TID7")))]);
    let op = t.engine.submit(dex_cashin(), "Awa").await.unwrap();
    // First resend: no answer again (a counted failure); second: accepted.
    t.engine.reconcile_once().await.unwrap();
    let mid = t.engine.get(op.id).await.unwrap();
    assert_eq!(mid.status, S::Unknown);
    assert_eq!(mid.details[detail_keys::RESOLUTION_FAILURES], json!(1));
    t.engine.reconcile_once().await.unwrap();
    let mid = t.engine.get(op.id).await.unwrap();
    assert_eq!(mid.status, S::Pending);
    assert_eq!(mid.provider_ref.as_deref(), Some("TID7"));
    t.engine.reconcile_once().await.unwrap();
    let done = t.engine.get(op.id).await.unwrap();
    assert_eq!(done.status, S::Success);
    // Every send carried the same key; the poll went by the provider's id.
    let submits = t.dex.calls_of("submit");
    assert_eq!(submits.len(), 3);
    assert!(submits.iter().all(|c| c.key == op.idempotency_key));
    assert_eq!(
        t.dex.calls_of("status")[0].provider_ref.as_deref(),
        Some("TID7")
    );
}

#[tokio::test]
async fn unanswered_resolution_gives_up_into_review_after_the_bounded_attempts() {
    let t = till().await; // max_failed_attempts = 3
    t.dex.on_submit([Err(timeout())]);
    let op = t.engine.submit(dex_cashin(), "Awa").await.unwrap();
    for _ in 0..5 {
        t.engine.reconcile_once().await.unwrap();
    }
    let op = t.engine.get(op.id).await.unwrap();
    assert_eq!(op.status, S::NeedsReview);
    assert_eq!(op.details[detail_keys::RESOLUTION_FAILURES], json!(3));
    // 1 send + 3 resends, all with the one key, then nothing more.
    let submits = t.dex.calls_of("submit");
    assert_eq!(submits.len(), 4);
    assert!(submits.iter().all(|c| c.key == op.idempotency_key));
}

#[tokio::test]
async fn offline_resolution_attempts_do_not_count() {
    let t = till().await;
    t.gw.on_submit([Err(timeout())]);
    t.gw.on_status([
        Err(ConnectorError::NotSent {
            detail: "network down".into(),
        }),
        Err(ConnectorError::Unavailable {
            detail: "429".into(),
            retry_after: Some(Duration::from_secs(1)),
        }),
    ]);
    let op = t.engine.submit(gw_collect(), "Awa").await.unwrap();
    for _ in 0..5 {
        t.engine.reconcile_once().await.unwrap();
    }
    let op = t.engine.get(op.id).await.unwrap();
    assert_eq!(op.status, S::Unknown);
    assert!(op.details.get(detail_keys::RESOLUTION_FAILURES).is_none());
}

#[tokio::test]
async fn easytransfert_without_a_ref_is_never_resent() {
    let t = till().await;
    t.et.on_submit([Err(timeout())]);
    let op = t.engine.submit(et_cashin(), "Awa").await.unwrap();
    assert_eq!(op.status, S::Unknown);
    for _ in 0..3 {
        t.engine.reconcile_once().await.unwrap();
    }
    let op = t.engine.get(op.id).await.unwrap();
    assert_eq!(op.status, S::NeedsReview);
    assert_eq!(
        op.details[detail_keys::REVIEW_REASON],
        json!("no_lookup_no_resend")
    );
    assert_eq!(t.et.count("submit"), 1, "exactly one send, ever");
    assert_eq!(t.et.count("status"), 0);
}

#[tokio::test]
async fn easytransfert_with_a_ref_is_polled_to_its_end() {
    let t = till().await;
    let mut accepted = answer(S::Pending, "PENDING1", Some("EFB.1"));
    accepted.fee_minor = Some(10);
    t.et.on_submit([Ok(accepted)]);
    t.et.on_status([
        Ok(answer(S::Pending, "PENDING1", Some("EFB.1"))),
        Ok(answer(S::Pending, "PENDING", Some("EFB.1"))),
        Ok(answer(S::Success, "SUCCESSFUL", Some("EFB.1"))),
    ]);
    let op = t.engine.submit(et_cashin(), "Awa").await.unwrap();
    assert_eq!(op.status, S::Pending);
    let before = t.engine.events(op.id).await.unwrap().len();
    t.engine.reconcile_once().await.unwrap();
    // The same word again writes nothing.
    assert_eq!(t.engine.events(op.id).await.unwrap().len(), before);
    t.engine.reconcile_once().await.unwrap();
    // A new word is kept as evidence without a move.
    let events = t.engine.events(op.id).await.unwrap();
    assert_eq!(events.len(), before + 1);
    assert_eq!(events.last().unwrap().to_status, S::Pending);
    t.engine.reconcile_once().await.unwrap();
    let op = t.engine.get(op.id).await.unwrap();
    assert_eq!(op.status, S::Success);
    assert_eq!(op.fee_minor, Some(10));
    assert_eq!(t.et.count("submit"), 1);
}

#[tokio::test]
async fn transitions_never_go_backward() {
    let t = till().await;
    let (engine, gw) = (&t.engine, &t.gw);
    gw.on_submit([Ok(answer(S::Processing, "1", Some("GW-1")))]);
    gw.on_status([
        Ok(answer(S::Pending, "0", Some("GW-1"))),
        Ok(answer(S::Success, "2", Some("GW-1"))),
        Ok(answer(S::Failed, "3", Some("GW-1"))),
    ]);
    let op = engine.submit(gw_collect(), "Awa").await.unwrap();
    assert_eq!(op.status, S::Processing);
    engine.reconcile_once().await.unwrap();
    let op = engine.get(op.id).await.unwrap();
    assert_eq!(
        op.status,
        S::Processing,
        "pending after processing is no move"
    );
    let last = engine.events(op.id).await.unwrap().pop().unwrap();
    assert!(last.note.unwrap().contains("moves only forward"));
    engine.reconcile_once().await.unwrap();
    assert_eq!(engine.get(op.id).await.unwrap().status, S::Success);
    // A final is never asked about again, and a later contrary word could not move it.
    engine.reconcile_once().await.unwrap();
    assert_eq!(gw.count("status"), 2);
    let op = engine.get(op.id).await.unwrap();
    let after = engine
        .apply_answer(
            &op,
            answer(S::Failed, "3", Some("GW-1")),
            EventSource::Provider,
            "late callback",
            false,
        )
        .await
        .unwrap();
    assert_eq!(after.status, S::Success);
    // Every event only moves forward along the table.
    for e in engine.events(op.id).await.unwrap() {
        if let Some(from) = e.from_status {
            assert!(
                from == e.to_status || from.can_move_to(e.to_status),
                "{e:?}"
            );
        }
    }
}

#[tokio::test]
async fn a_different_provider_ref_is_a_contradiction_for_review() {
    let t = till().await;
    t.gw.on_submit([Ok(answer(S::Pending, "0", Some("GW-1")))]);
    t.gw.on_status([Ok(answer(S::Success, "2", Some("GW-2")))]);
    let op = t.engine.submit(gw_collect(), "Awa").await.unwrap();
    t.engine.reconcile_once().await.unwrap();
    let op = t.engine.get(op.id).await.unwrap();
    assert_eq!(op.status, S::NeedsReview);
    assert_eq!(op.provider_ref.as_deref(), Some("GW-1"));
    assert_eq!(
        op.details[detail_keys::CONFLICTING_PROVIDER_REF],
        json!("GW-2")
    );
}

#[tokio::test]
async fn woyofal_processing_gets_its_token_later() {
    let t = till().await;
    let mut processing = answer(S::Processing, "PROCESSING", Some("TIDW"));
    processing.fee_minor = Some(50);
    let mut done = answer(S::Success, "SUCCESS", Some("TIDW"));
    done.token = Some("12345678901234567890".into());
    t.dex.on_submit([Ok(processing.clone())]);
    t.dex.on_status([
        Ok(processing),
        Ok(answer(S::Success, "SUCCESS", Some("TIDW"))),
        Ok(done),
    ]);
    let op = t.engine.submit(woyofal(), "Awa").await.unwrap();
    assert_eq!(op.status, S::Processing);
    assert_eq!(op.kind, "prepaid");
    assert_eq!(op.customer_ref, "07061270877");
    t.engine.reconcile_once().await.unwrap();
    assert_eq!(t.engine.get(op.id).await.unwrap().status, S::Processing);
    // SUCCESS without the token: not done for the cashier yet.
    t.engine.reconcile_once().await.unwrap();
    let op2 = t.engine.get(op.id).await.unwrap();
    assert_eq!(op2.status, S::Processing);
    assert_eq!(op2.details[detail_keys::NATIVE_STATUS], json!("SUCCESS"));
    t.engine.reconcile_once().await.unwrap();
    let op = t.engine.get(op.id).await.unwrap();
    assert_eq!(op.status, S::Success);
    assert_eq!(op.token.as_deref(), Some("12345678901234567890"));
    assert_eq!(op.fee_minor, Some(50));
}

#[tokio::test]
async fn woyofal_processing_that_fails_records_the_refund() {
    let t = till().await;
    let mut processing = answer(S::Processing, "PROCESSING", Some("TIDF"));
    processing.fee_minor = Some(50);
    t.dex.on_submit([Ok(processing)]);
    t.dex
        .on_status([Ok(answer(S::Failed, "FAILED", Some("TIDF")))]);
    let op = t.engine.submit(woyofal(), "Awa").await.unwrap();
    t.engine.reconcile_once().await.unwrap();
    let op = t.engine.get(op.id).await.unwrap();
    assert_eq!(op.status, S::Failed);
    assert_eq!(op.details[detail_keys::REFUND]["amount_minor"], json!(5050));
}

#[tokio::test]
async fn crash_leftovers_prepared_is_cancelled_without_a_call_and_sent_is_resolved() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("guichet.db");
    let (prepared_id, sent_id, prepared_key) = {
        // The run that "crashed": intents written, one marked sent, then nothing.
        let (engine, _) = engine_on(&path, policy()).await;
        let mk = |r: SubmitRequest| {
            let v = engine.catalog().validate(&r.request).unwrap();
            let service = engine.catalog().get(&v.service_code).unwrap().clone();
            let intent = Intent {
                idempotency_key: crate::ledger::new_idempotency_key(),
                request: v,
                invoice_ref: None,
                item_name: None,
                callback_url: None,
            };
            engine.new_operation(&intent, &service, "Awa")
        };
        let a = engine
            .ledger()
            .insert_operation(mk(dex_cashin()))
            .await
            .unwrap();
        let b = engine
            .ledger()
            .insert_operation(mk(gw_collect()))
            .await
            .unwrap();
        engine
            .ledger()
            .transition(b.id, S::Sent, EventInput::new(EventSource::Engine))
            .await
            .unwrap();
        engine.ledger().close().await;
        (a.id, b.id, a.idempotency_key)
    };

    let (engine, [dex, _et, gw]) = engine_on(&path, policy()).await;
    gw.on_status([Ok(answer(S::Success, "2", Some("GW-5")))]);
    let mut rx = engine.subscribe();
    let reconciler = engine.spawn_reconciler();
    let a = engine
        .wait_settled(prepared_id, Duration::from_secs(10))
        .await
        .unwrap();
    let b = engine
        .wait_settled(sent_id, Duration::from_secs(10))
        .await
        .unwrap();
    reconciler.shutdown().await;

    assert_eq!(a.status, S::Cancelled);
    assert!(dex.calls().iter().all(|c| c.key != prepared_key));
    assert_eq!(
        dex.calls().len(),
        0,
        "no provider call for a prepared leftover"
    );
    assert_eq!(
        statuses(&engine, prepared_id).await.last().unwrap().2,
        EventSource::System
    );
    assert_eq!(b.status, S::Success);
    assert_eq!(
        moves(&statuses(&engine, sent_id).await),
        vec![S::Prepared, S::Sent, S::Unknown, S::Success]
    );
    assert_eq!(gw.count("submit"), 0, "asked by status, not resent");
    // Each change was published.
    let mut seen = Vec::new();
    while let Ok(u) = rx.try_recv() {
        seen.push((u.operation.id, u.operation.status));
    }
    assert!(seen.contains(&(prepared_id, S::Cancelled)));
    assert!(seen.contains(&(sent_id, S::Unknown)));
    assert!(seen.contains(&(sent_id, S::Success)));
}

#[tokio::test]
async fn the_background_reconciler_settles_an_unknown_on_its_own() {
    let t = till().await;
    t.gw.on_submit([Err(timeout())]);
    t.gw.on_status([
        Ok(answer(S::Processing, "1", Some("GW-3"))),
        Ok(answer(S::Success, "2", Some("GW-3"))),
    ]);
    let reconciler = t.engine.spawn_reconciler();
    let op = t.engine.submit(gw_collect(), "Awa").await.unwrap();
    assert_eq!(op.status, S::Unknown);
    let op = t
        .engine
        .wait_settled(op.id, Duration::from_secs(10))
        .await
        .unwrap();
    reconciler.shutdown().await;
    assert_eq!(op.status, S::Success);
    assert_eq!(
        moves(&statuses(&t.engine, op.id).await),
        vec![S::Prepared, S::Sent, S::Unknown, S::Processing, S::Success]
    );
}

#[tokio::test]
async fn concurrent_resolves_never_resend_twice_at_once() {
    let t = till().await;
    t.dex.on_submit([
        Err(timeout()),
        Ok(answer(S::Success, "SUCCESS", Some("TID2"))),
    ]);
    let op = t.engine.submit(dex_cashin(), "Awa").await.unwrap();
    t.dex.set_delay(Duration::from_millis(100));
    let (a, b) = tokio::join!(t.engine.resolve(op.id), t.engine.resolve(op.id));
    assert_eq!(a.unwrap().status, S::Success);
    assert_eq!(b.unwrap().status, S::Success);
    assert_eq!(t.dex.count("submit"), 2, "one send, one resend");
}

#[tokio::test]
async fn the_otp_goes_to_the_first_send_and_never_to_the_ledger() {
    let t = till().await;
    let mut r = req(
        "EASYTRANSFERT_23",
        Kind::Collection,
        1000,
        Some("771234567"),
    );
    r.request.otp = Some("97531".into());
    t.et.on_submit([Ok(answer(S::Pending, "PENDING1", Some("EFB.2")))]);
    t.et.on_status([Ok(answer(S::Success, "SUCCESS", Some("EFB.2")))]);
    let op = t.engine.submit(r, "Awa").await.unwrap();
    assert_eq!(t.et.calls_of("submit")[0].otp.as_deref(), Some("97531"));
    assert_eq!(op.details[detail_keys::OTP_WITHHELD], json!(true));
    assert_eq!(
        op.details[detail_keys::INTENT]["request"]["otp"],
        json!(null)
    );
    t.engine.reconcile_once().await.unwrap();
    assert_eq!(t.engine.get(op.id).await.unwrap().status, S::Success);
    // Final: forgotten from memory too.
    assert!(t.engine.otps().is_empty());
    t.engine.ledger().close().await;
    for suffix in ["", "-wal", "-shm"] {
        let file = std::path::PathBuf::from(format!("{}{suffix}", t.path.display()));
        if let Ok(bytes) = std::fs::read(&file) {
            assert!(
                !bytes.windows(5).any(|w| w == b"97531"),
                "OTP found in {}",
                file.display()
            );
        }
    }
}

#[tokio::test]
async fn a_lost_otp_blocks_a_resend_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("guichet.db");
    let id = {
        let (engine, [_, _, gw]) = engine_on(&path, policy()).await;
        gw.on_submit([Err(timeout())]);
        let mut r = gw_collect();
        r.request.otp = Some("4242".into());
        // UNIPESA_14 takes no OTP in the catalog; mark the intent as one that had one.
        let op = engine.submit(r, "Awa").await.unwrap();
        assert_eq!(op.status, S::Unknown);
        engine
            .ledger()
            .record_event(
                op.id,
                EventInput::new(EventSource::System).detail(detail_keys::OTP_WITHHELD, json!(true)),
            )
            .await
            .unwrap();
        op.id
    };
    let (engine, [_, _, gw]) = engine_on(&path, policy()).await;
    gw.on_status([Err(ConnectorError::NotFound {
        raw: json!({"result": {"code": 10404}}),
    })]);
    engine.reconcile_once().await.unwrap();
    let op = engine.get(id).await.unwrap();
    assert_eq!(op.status, S::NeedsReview);
    assert_eq!(
        op.details[detail_keys::REVIEW_REASON],
        json!("otp_not_kept")
    );
    assert_eq!(gw.count("submit"), 0);
}

#[tokio::test]
async fn gateway_not_found_by_key_is_resent_with_the_same_key() {
    let t = till().await;
    t.gw.on_submit([Err(timeout()), Ok(answer(S::Processing, "1", Some("GW-8")))]);
    t.gw.on_status([Err(ConnectorError::NotFound { raw: json!({}) })]);
    let op = t.engine.submit(gw_collect(), "Awa").await.unwrap();
    t.engine.reconcile_once().await.unwrap();
    let op = t.engine.get(op.id).await.unwrap();
    assert_eq!(op.status, S::Processing);
    let keys: Vec<String> = t.gw.calls_of("submit").into_iter().map(|c| c.key).collect();
    assert_eq!(keys, vec![op.idempotency_key.clone(); 2]);
}

#[tokio::test]
async fn wizall_waits_for_the_otp_and_a_wrong_one_keeps_it_waiting() {
    let t = till().await;
    let mut waiting = answer(S::Pending, "PENDING", Some("TIDZ"));
    waiting.awaits_otp = true;
    t.dex.on_submit([Ok(waiting)]);
    t.dex.on_confirm([
        Err(ConnectorError::Refused {
            native_code: "400".into(),
            message: "Invalid OTP".into(),
            raw: json!({"message": "Invalid OTP"}),
        }),
        Ok(answer(S::Success, "SUCCESS", Some("TIDZ"))),
    ]);
    let op = t
        .engine
        .submit(
            req(
                "WIZALL_SN_CASHOUT",
                Kind::Collection,
                5000,
                Some("771234567"),
            ),
            "Awa",
        )
        .await
        .unwrap();
    assert_eq!(op.status, S::Pending);
    assert_eq!(op.details[detail_keys::AWAITS_OTP], json!(true));

    let bad = t.engine.confirm_otp(op.id, "12", "Awa").await.unwrap_err();
    assert_eq!(bad.code(), "refused");
    let wrong = t
        .engine
        .confirm_otp(op.id, "0000", "Awa")
        .await
        .unwrap_err();
    assert_eq!(wrong.code(), "otp_refused");
    assert!(wrong.message().fr.contains("Invalid OTP"));
    assert_eq!(t.engine.get(op.id).await.unwrap().status, S::Pending);

    let done = t.engine.confirm_otp(op.id, "1234", "Awa").await.unwrap();
    assert_eq!(done.status, S::Success);
    assert_eq!(done.details[detail_keys::AWAITS_OTP], json!(false));
    assert_eq!(
        t.dex
            .calls_of("confirm_otp")
            .iter()
            .map(|c| c.provider_ref.clone().unwrap())
            .collect::<Vec<_>>(),
        vec!["TIDZ", "TIDZ"]
    );
    let again = t
        .engine
        .confirm_otp(op.id, "1234", "Awa")
        .await
        .unwrap_err();
    assert_eq!(again.code(), "not_awaiting_otp");
    // No event holds the OTP.
    for e in t.engine.events(op.id).await.unwrap() {
        let text = serde_json::to_string(&e).unwrap();
        assert!(!text.contains("1234") || text.contains("12345"), "{text}");
    }
}

#[tokio::test]
async fn inquiry_balance_get_and_history() {
    let t = till().await;
    let err = t
        .engine
        .bill_inquiry("SENELEC_SN_BILL", "  ")
        .await
        .unwrap_err();
    assert_eq!(err.refusals()[0].code, RefusalCode::ExtraMissing);
    let err = t.engine.bill_inquiry("NOPE", "1").await.unwrap_err();
    assert_eq!(err.refusals()[0].code, RefusalCode::UnknownService);
    let err = t
        .engine
        .bill_inquiry("WAVE_SN_CASHIN", "1")
        .await
        .unwrap_err();
    assert_eq!(err.refusals()[0].code, RefusalCode::KindNotOffered);
    let bills = t
        .engine
        .bill_inquiry("SENELEC_SN_BILL", " 210278816 ")
        .await
        .unwrap();
    assert_eq!(bills[0].reference_client, "210278816");
    assert_eq!(count_ops(&t.engine).await, 0, "an inquiry writes nothing");

    let balance = t.engine.balance(Provider::Dexchange).await.unwrap();
    assert_eq!(balance.currency, "XOF");

    let missing = t.engine.get(Uuid::now_v7()).await.unwrap_err();
    assert_eq!(missing.code(), "operation_not_found");

    t.dex
        .on_submit([Ok(answer(S::Success, "SUCCESS", Some("T1")))]);
    let op = t.engine.submit(dex_cashin(), "Awa").await.unwrap();
    let found = t
        .engine
        .history(&HistoryQuery {
            text: Some("77 123".into()),
            ..HistoryQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, op.id);
}

#[tokio::test]
async fn pending_without_any_way_to_ask_goes_to_review() {
    let t = till().await;
    t.et.on_submit([Ok(answer(S::Pending, "PENDING1", None))]);
    let op = t.engine.submit(et_cashin(), "Awa").await.unwrap();
    t.engine.reconcile_once().await.unwrap();
    let op = t.engine.get(op.id).await.unwrap();
    assert_eq!(op.status, S::NeedsReview);
    assert_eq!(
        op.details[detail_keys::REVIEW_REASON],
        json!("no_provider_ref")
    );
}

#[tokio::test]
async fn needs_review_still_takes_a_final_answer_by_status() {
    let t = till().await;
    t.gw.on_submit([Ok(answer(S::Pending, "0", Some("GW-4")))]);
    t.gw.on_status([
        Ok(answer(S::Success, "2", Some("GW-X"))), // contradiction → review
        Ok(answer(S::Processing, "1", Some("GW-4"))), // not final: ignored under review
        Ok(answer(S::Success, "2", Some("GW-4"))),
    ]);
    let op = t.engine.submit(gw_collect(), "Awa").await.unwrap();
    t.engine.reconcile_once().await.unwrap();
    assert_eq!(t.engine.get(op.id).await.unwrap().status, S::NeedsReview);
    t.engine.reconcile_once().await.unwrap();
    assert_eq!(t.engine.get(op.id).await.unwrap().status, S::NeedsReview);
    t.engine.reconcile_once().await.unwrap();
    assert_eq!(t.engine.get(op.id).await.unwrap().status, S::Success);
}

#[tokio::test]
async fn the_operator_passed_in_is_written_on_the_operation() {
    let t = till().await;
    t.dex
        .on_submit([Ok(answer(S::Success, "SUCCESS", Some("T1")))]);
    let op = t.engine.submit(dex_cashin(), "Moussa").await.unwrap();
    assert_eq!(op.operator_name, "Moussa");
    assert!(format!("{:?}", t.engine).contains("dexchange"));
}

#[tokio::test]
async fn a_refusal_on_a_status_call_is_never_a_failure() {
    let t = till().await; // max_failed_attempts = 3
    t.gw.on_submit([Err(timeout())]);
    t.gw.on_status([Err(ConnectorError::Refused {
        native_code: "10103".into(),
        message: "amount outside limits".into(),
        raw: json!({"result": {"code": 10103}}),
    })]);
    let op = t.engine.submit(gw_collect(), "Awa").await.unwrap();
    t.engine.reconcile_once().await.unwrap();
    let mid = t.engine.get(op.id).await.unwrap();
    assert_eq!(
        mid.status,
        S::Unknown,
        "a status call does not decide a payment"
    );
    for _ in 0..3 {
        t.engine.reconcile_once().await.unwrap();
    }
    let op = t.engine.get(op.id).await.unwrap();
    assert_eq!(op.status, S::NeedsReview);
    assert!(!moves(&statuses(&t.engine, op.id).await).contains(&S::Failed));
    assert_eq!(t.gw.count("submit"), 1);
}

#[tokio::test]
async fn a_manager_settles_a_review_and_only_a_review() {
    let t = till().await;
    t.et.on_submit([Err(timeout())]);
    let op = t.engine.submit(et_cashin(), "Awa").await.unwrap();
    let err = t
        .engine
        .settle_review(op.id, S::Success, "Fatou", "seen in the back office")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "ledger_illegal_transition");
    t.engine.reconcile_once().await.unwrap();
    assert_eq!(t.engine.get(op.id).await.unwrap().status, S::NeedsReview);
    let err = t
        .engine
        .settle_review(op.id, S::Pending, "Fatou", "?")
        .await
        .unwrap_err();
    assert!(matches!(err, EngineError::Ledger(_)));
    let done = t
        .engine
        .settle_review(op.id, S::Success, "Fatou", "EFB.77 paid in the back office")
        .await
        .unwrap();
    assert_eq!(done.status, S::Success);
    let last = t.engine.events(op.id).await.unwrap().pop().unwrap();
    assert_eq!(last.source, EventSource::Manager);
    assert_eq!(last.actor.as_deref(), Some("Fatou"));
}
