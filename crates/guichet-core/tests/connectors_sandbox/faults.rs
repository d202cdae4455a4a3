//! The sandbox's fault modes, and what each connector makes of them: a request that provably
//! never left is `NotSent`; one that may have been processed is `Ambiguous`; a provider that
//! turns it away first is `Unavailable`.

use std::time::Duration;

use guichet_core::catalog::Kind;
use guichet_core::connector::dexchange::{DexchangeConnector, DexchangeCredentials};
use guichet_core::connector::easytransfert::{EasytransfertConnector, EasytransfertCredentials};
use guichet_core::connector::unipesa::{UnipesaConnector, UnipesaCredentials};
use guichet_core::connector::{Connector, ConnectorError, Intent, MAX_PROVIDER_DELAY};
use guichet_core::ledger::OperationStatus;

use crate::common::*;

fn dexchange_cash_in() -> Intent {
    intent(
        Kind::Disbursement,
        Ask {
            service: "OM_SN_CASHIN",
            amount: 1000,
            phone: Some("771234567"),
            ..Ask::default()
        },
    )
}

fn easytransfert_cash_in() -> Intent {
    intent(
        Kind::Disbursement,
        Ask {
            service: "EASYTRANSFERT_26",
            amount: 1000,
            phone: Some("0701234567"),
            ..Ask::default()
        },
    )
}

fn gateway_collection() -> Intent {
    intent(
        Kind::Collection,
        Ask {
            service: "UNIPESA_2354",
            amount: 1000,
            phone: Some("771234567"),
            ..Ask::default()
        },
    )
}

#[tokio::test]
async fn error_500_is_ambiguous_for_every_provider() {
    let sb = sandbox().await;
    sb.state()
        .set_faults(guichet_sandbox::Faults {
            error_500: 1.0,
            ..Default::default()
        })
        .unwrap();
    let (dx, et, gw) = (dexchange(&sb), easytransfert(&sb), unipesa(&sb));
    let (i1, i2, i3) = (
        dexchange_cash_in(),
        easytransfert_cash_in(),
        gateway_collection(),
    );
    for r in [
        dx.submit(&i1).await,
        et.submit(&i2).await,
        gw.submit(&i3).await,
    ] {
        match r {
            Err(ConnectorError::Ambiguous { detail, raw, .. }) => {
                assert!(detail.contains("500"), "{detail}");
                assert!(!raw.is_null());
            }
            other => panic!("{other:?}"),
        }
    }
    // The sandbox's 500 happens before anything is recorded.
    assert!(sb.state().transactions().is_empty());
}

#[tokio::test]
async fn hang_after_commit_is_ambiguous_and_the_provider_has_it() {
    let sb = sandbox().await;
    fault(&sb, "dexchange", |f| f.hang_after_commit = 1.0);
    let dx = dexchange_with(&sb, &sb.credentials().dexchange_key, SHORT_TIMEOUT);
    let cash_in = dexchange_cash_in();
    let started = std::time::Instant::now();
    match dx.submit(&cash_in).await {
        Err(ConnectorError::Ambiguous { detail, .. }) => {
            assert!(detail.contains("timeout"), "{detail}")
        }
        other => panic!("{other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(sb.state().transaction(&cash_in.idempotency_key).is_some());
    // Resolving it: a status call cannot (no DEXCHANGE id yet); resending the same intent
    // shows DEXCHANGE already has the key.
    no_faults(&sb);
    assert_eq!(
        code(dx.status(&probe(&cash_in, None)).await),
        "provider_unsupported"
    );
    assert_eq!(code(dx.submit(&cash_in).await), "provider_duplicate");

    // The gateway: the status by order_id tells what happened.
    fault(&sb, "unipesa", |f| f.hang_after_commit = 1.0);
    let gw = unipesa_with(&sb, &sb.credentials().unipesa_secret, SHORT_TIMEOUT);
    let collect = gateway_collection();
    assert_eq!(code(gw.submit(&collect).await), "provider_no_answer");
    no_faults(&sb);
    let a = gw.status(&probe(&collect, None)).await.unwrap();
    assert!(a.provider_ref.is_some());
    assert!(matches!(
        a.status,
        OperationStatus::Processing | OperationStatus::Success
    ));
}

#[tokio::test]
async fn drop_after_commit_is_ambiguous_and_recorded() {
    let sb = sandbox().await;
    sb.state()
        .set_faults(guichet_sandbox::Faults {
            drop_after_commit: 1.0,
            providers: Some(vec!["dexchange".into(), "easytransfert".into()]),
            ..Default::default()
        })
        .unwrap();
    let (dx, et) = (dexchange(&sb), easytransfert(&sb));
    let (i1, i2) = (dexchange_cash_in(), easytransfert_cash_in());
    assert_eq!(code(dx.submit(&i1).await), "provider_no_answer");
    assert_eq!(code(et.submit(&i2).await), "provider_no_answer");
    assert!(sb.state().transaction(&i1.idempotency_key).is_some());
    assert!(sb.state().transaction(&i2.idempotency_key).is_some());
    // EASYTRANSFERT cannot be asked without its id: that is for a manager.
    no_faults(&sb);
    assert_eq!(
        code(et.status(&probe(&i2, None)).await),
        "provider_unsupported"
    );
}

#[tokio::test]
async fn rate_limit_and_maintenance_are_unavailable() {
    let sb = sandbox().await;
    fault(&sb, "dexchange", |f| f.rate_limit = 1.0);
    let dx = dexchange(&sb);
    let cash_in = dexchange_cash_in();
    match dx.submit(&cash_in).await {
        Err(ConnectorError::Unavailable { retry_after, .. }) => {
            assert_eq!(retry_after, Some(Duration::from_secs(1)))
        }
        other => panic!("{other:?}"),
    }
    fault(&sb, "easytransfert", |f| f.rate_limit = 1.0);
    assert_eq!(
        code(easytransfert(&sb).submit(&easytransfert_cash_in()).await),
        "provider_unavailable"
    );
    fault(&sb, "unipesa", |f| f.rate_limit = 1.0);
    assert_eq!(
        code(unipesa(&sb).submit(&gateway_collection()).await),
        "provider_unavailable"
    );
    fault(&sb, "dexchange", |f| f.maintenance = 1.0);
    match dx.submit(&cash_in).await {
        Err(ConnectorError::Unavailable { detail, .. }) => {
            assert!(detail.contains("maintenance"), "{detail}")
        }
        other => panic!("{other:?}"),
    }
    assert!(sb.state().transactions().is_empty());
}

#[tokio::test]
async fn an_absurd_retry_after_is_clamped_to_the_documented_maximum() {
    let sb = sandbox().await;
    for provider in ["dexchange", "easytransfert", "unipesa"] {
        fault(&sb, provider, |f| {
            f.rate_limit = 1.0;
            f.retry_after_secs = Some(u64::MAX);
        });
        let r = match provider {
            "dexchange" => dexchange(&sb).submit(&dexchange_cash_in()).await,
            "easytransfert" => easytransfert(&sb).submit(&easytransfert_cash_in()).await,
            _ => unipesa(&sb).submit(&gateway_collection()).await,
        };
        match r {
            Err(ConnectorError::Unavailable { retry_after, .. }) => {
                assert_eq!(retry_after, Some(MAX_PROVIDER_DELAY), "{provider}")
            }
            other => panic!("{provider}: {other:?}"),
        }
    }
    assert_eq!(MAX_PROVIDER_DELAY, Duration::from_secs(3600));
}

#[tokio::test]
async fn our_own_rate_limiter_waits_or_holds_requests_back() {
    let sb = sandbox().await;
    // Two a minute, one at once, and no patience: the second call is held back, never sent.
    let dx = dexchange(&sb).with_rate_limit(2, 1, Duration::from_millis(50));
    dx.balance().await.unwrap();
    match dx.balance().await {
        Err(ConnectorError::Unavailable {
            retry_after: Some(d),
            ..
        }) => assert!(d > Duration::from_secs(1)),
        other => panic!("{other:?}"),
    }
    // One every 50 ms, with patience: calls wait their turn and go through.
    let dx = dexchange(&sb).with_rate_limit(1201, 1, Duration::from_secs(2));
    let started = std::time::Instant::now();
    for _ in 0..4 {
        dx.balance().await.unwrap();
    }
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(140), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
}

#[tokio::test]
async fn connection_refused_is_not_sent() {
    let base = format!("http://127.0.0.1:{}", closed_port());
    let ep = |path: &str| endpoint(&format!("{base}{path}"), TIMEOUT);
    let dx = DexchangeConnector::new(ep("/dexchange/api/v1"), DexchangeCredentials::new("k"));
    let et = EasytransfertConnector::new(
        ep("/easytransfert/api_v1/transaction"),
        EasytransfertCredentials::new("k"),
    );
    let gw = UnipesaConnector::new(ep("/unipesa"), UnipesaCredentials::new("p", "m", "s"));
    assert_eq!(
        code(dx.submit(&dexchange_cash_in()).await),
        "provider_unreachable"
    );
    assert_eq!(code(dx.balance().await), "provider_unreachable");
    assert_eq!(
        code(et.submit(&easytransfert_cash_in()).await),
        "provider_unreachable"
    );
    assert_eq!(code(et.balance().await), "provider_unreachable");
    assert_eq!(
        code(gw.submit(&gateway_collection()).await),
        "provider_unreachable"
    );
    // An unresolvable host is not sent either.
    let nowhere = DexchangeConnector::new(
        endpoint("http://guichet.invalid/api/v1", TIMEOUT),
        DexchangeCredentials::new("k"),
    );
    assert_eq!(code(nowhere.balance().await), "provider_unreachable");
}
