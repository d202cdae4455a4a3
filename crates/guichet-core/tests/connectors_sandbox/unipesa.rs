//! The gateway over real HTTP against the sandbox: signed requests, c2b/b2c, status by order_id,
//! idempotency, result codes, signed callbacks.

use guichet_core::catalog::{ExtraField, Kind};
use guichet_core::connector::unipesa::verify_callback_signature;
use guichet_core::connector::{Connector, ConnectorError};
use guichet_core::ledger::OperationStatus;
use guichet_core::money::{Currency, Money};
use secrecy::SecretString;

use crate::common::*;

#[tokio::test]
async fn c2b_collection_in_senegal_is_approved() {
    let sb = sandbox().await;
    let gw = unipesa(&sb);
    let collect = intent(
        Kind::Collection,
        Ask {
            service: "UNIPESA_2354",
            amount: 1100,
            phone: Some("771234567"),
            ..Ask::default()
        },
    );
    let a = gw.submit(&collect).await.unwrap();
    assert_eq!(a.status, OperationStatus::Processing);
    assert_eq!(a.native_status, "1");
    assert!(a.provider_ref.is_some());
    assert_eq!(a.details["callback_expected"], true);
    let recorded = sb.state().transaction(&collect.idempotency_key).unwrap();
    assert_eq!(recorded["customer"], "221771234567");
    assert_eq!(recorded["amount"], 1100);
    // Status by order_id alone (no provider id needed).
    let done = until_final(&gw, &probe(&collect, None)).await;
    assert_eq!(done.status, OperationStatus::Success);
    assert_eq!(done.native_status, "2");
    assert_eq!(done.provider_ref, a.provider_ref);
}

#[tokio::test]
async fn c2b_with_otp_and_b2c_with_customer_name_in_ivory_coast() {
    let sb = sandbox().await;
    let gw = unipesa(&sb);
    let collect = intent(
        Kind::Collection,
        Ask {
            service: "UNIPESA_2304",
            amount: 1100,
            phone: Some("0701234567"),
            otp: Some("5647"),
            ..Ask::default()
        },
    );
    let a = gw.submit(&collect).await.unwrap();
    assert!(!a.status.is_final());
    let done = until_final(&gw, &probe(&collect, a.provider_ref.as_deref())).await;
    assert_eq!(done.status, OperationStatus::Success);

    let pay_out = intent(
        Kind::Disbursement,
        Ask {
            service: "UNIPESA_2304",
            amount: 2500,
            phone: Some("0701234567"),
            extras: vec![(ExtraField::CustomerName, "Awa Diop")],
            ..Ask::default()
        },
    );
    let a = gw.submit(&pay_out).await.unwrap();
    assert!(!a.status.is_final());
    let done = until_final(&gw, &probe(&pay_out, None)).await;
    assert_eq!(done.status, OperationStatus::Success);

    // A b2c whose wallet rejects it fails.
    let failing = intent(
        Kind::Disbursement,
        Ask {
            service: "UNIPESA_2354",
            amount: 1000,
            phone: Some("770009999"),
            ..Ask::default()
        },
    );
    gw.submit(&failing).await.unwrap();
    let done = until_final(&gw, &probe(&failing, None)).await;
    assert_eq!(done.status, OperationStatus::Failed);
    assert_eq!(done.native_status, "3");
}

#[tokio::test]
async fn order_id_is_idempotent_and_unknown_orders_are_not_found() {
    let sb = sandbox().await;
    let gw = unipesa(&sb);
    let collect = intent(
        Kind::Collection,
        Ask {
            service: "UNIPESA_2355",
            amount: 500,
            phone: Some("771234567"),
            ..Ask::default()
        },
    );
    let first = gw.submit(&collect).await.unwrap();
    let again = gw.submit(&collect).await.unwrap();
    assert_eq!(first.raw, again.raw);
    assert_eq!(first.provider_ref, again.provider_ref);
    let count = sb
        .state()
        .transactions()
        .iter()
        .filter(|t| t["external_id"] == collect.idempotency_key.as_str())
        .count();
    assert_eq!(count, 1);

    let never = intent(
        Kind::Collection,
        Ask {
            service: "UNIPESA_2355",
            amount: 500,
            phone: Some("771234567"),
            ..Ask::default()
        },
    );
    assert_eq!(
        code(gw.status(&probe(&never, None)).await),
        "provider_not_found"
    );
}

#[tokio::test]
async fn wrong_secret_limits_balance_and_credentials_check() {
    let sb = sandbox().await;
    let gw = unipesa(&sb);
    let wrong = unipesa_with(&sb, "not-the-secret", TIMEOUT);
    let collect = intent(
        Kind::Collection,
        Ask {
            service: "UNIPESA_2354",
            amount: 1000,
            phone: Some("771234567"),
            ..Ask::default()
        },
    );
    assert_eq!(code(wrong.submit(&collect).await), "provider_unauthorized");
    assert_eq!(
        code(wrong.status(&probe(&collect, None)).await),
        "provider_unauthorized"
    );
    assert_eq!(
        code(wrong.check_credentials().await),
        "provider_unauthorized"
    );
    gw.check_credentials().await.unwrap();
    assert!(sb.state().transaction(&collect.idempotency_key).is_none());

    // Above the provider's 500,000 limit: a result code, with HTTP 200.
    let mut big = collect.clone();
    big.request.amount = Money::new(600_000, Currency::Xof);
    match gw.submit(&big).await {
        Err(ConnectorError::Refused { native_code, .. }) => assert_eq!(native_code, "10103"),
        other => panic!("{other:?}"),
    }
    // The status of that order answers status -1 with the refusal's code: a status call does
    // not decide a payment, so it is an unknown outcome, never a refusal (never `failed`).
    match gw.status(&probe(&big, None)).await {
        Err(ConnectorError::Ambiguous { detail, raw, .. }) => {
            assert!(detail.contains("10103"), "{detail}");
            assert_eq!(raw["result"]["code"], 10103);
        }
        other => panic!("{other:?}"),
    }
    // The submit of the same order still replays its refusal.
    assert_eq!(code(gw.submit(&big).await), "provider_refused");

    assert_eq!(code(gw.balance().await), "provider_unsupported");
}

#[tokio::test]
async fn simulator_stays_in_progress() {
    let sb = sandbox().await;
    let gw = unipesa(&sb);
    let sim = intent(
        Kind::Collection,
        Ask {
            service: "UNIPESA_14",
            amount: 1000,
            phone: Some("771234567"),
            ..Ask::default()
        },
    );
    let a = gw.submit(&sim).await.unwrap();
    assert_eq!(a.status, OperationStatus::Processing);
    assert_eq!(a.details["provider_result_code"], -8888);
    tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    let s = gw.status(&probe(&sim, None)).await.unwrap();
    assert_eq!(s.status, OperationStatus::Processing);
}

#[tokio::test]
async fn signed_callbacks_verify() {
    let sb = sandbox().await;
    let gw = unipesa(&sb);
    let mut collect = intent(
        Kind::Disbursement,
        Ask {
            service: "UNIPESA_2354",
            amount: 1000,
            phone: Some("771234567"),
            ..Ask::default()
        },
    );
    // Nothing listens there: the sandbox logs the callback it tried to deliver.
    collect.callback_url = Some(format!("http://127.0.0.1:{}/cb", closed_port()));
    gw.submit(&collect).await.unwrap();
    until_final(&gw, &probe(&collect, None)).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    let body = loop {
        if let Some(c) = sb
            .state()
            .callbacks()
            .into_iter()
            .find(|c| c["body"]["order_id"] == collect.idempotency_key.as_str())
        {
            break c["body"].clone();
        }
        assert!(std::time::Instant::now() < deadline, "no callback");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    let bytes = serde_json::to_vec(&body).unwrap();
    assert!(gw.verify_callback(&bytes));
    let secret = SecretString::from(sb.credentials().unipesa_secret.clone());
    assert!(verify_callback_signature(&bytes, &secret));
    assert!(!verify_callback_signature(
        &bytes,
        &SecretString::from("another")
    ));
    let tampered = String::from_utf8(bytes)
        .unwrap()
        .replace("\"status\":2", "\"status\":3");
    assert!(!gw.verify_callback(tampered.as_bytes()));
}
