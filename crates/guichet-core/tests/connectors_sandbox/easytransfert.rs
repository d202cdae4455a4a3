//! EASYTRANSFERT over real HTTP against the sandbox.

use std::time::Duration;

use guichet_core::catalog::Kind;
use guichet_core::connector::{Connector, ConnectorError};
use guichet_core::ledger::OperationStatus;
use guichet_core::money::{Currency, Money};

use crate::common::*;

#[tokio::test]
async fn cash_in_is_accepted_pending1_then_succeeds() {
    let sb = sandbox().await;
    let et = easytransfert(&sb);
    let before = et.balance().await.unwrap();
    assert_eq!(before.amount_minor, 5_000_000);
    assert_eq!(before.currency, "XOF");

    let cash_in = intent(
        Kind::Disbursement,
        Ask {
            service: "EASYTRANSFERT_26",
            amount: 5000,
            phone: Some("0701234567"),
            ..Ask::default()
        },
    );
    let a = et.submit(&cash_in).await.unwrap();
    assert_eq!(a.status, OperationStatus::Pending);
    assert_eq!(a.native_status, "PENDING1");
    assert_eq!(a.fee_minor, Some(50));
    let id = a.provider_ref.expect("EFB id");
    assert!(id.starts_with("EFB."), "{id}");
    assert_eq!(a.details["custom_data"], cash_in.idempotency_key.as_str());
    let recorded = sb.state().transaction(&id).unwrap();
    assert_eq!(recorded["customer"], "0701234567");
    assert_eq!(recorded["service"], "26");

    let done = until_final(&et, &probe(&cash_in, Some(&id))).await;
    assert_eq!(done.status, OperationStatus::Success);
    assert!(matches!(
        done.native_status.as_str(),
        "SUCCESS" | "SUCCESSFUL"
    ));
    assert_eq!(done.provider_ref.as_deref(), Some(id.as_str()));
    assert_eq!(et.balance().await.unwrap().amount_minor, 5_000_000 - 5_050);
}

#[tokio::test]
async fn cash_out_with_and_without_otp() {
    let sb = sandbox().await;
    let et = easytransfert(&sb);
    // Orange CI cash-out needs om_otp.
    let with_otp = intent(
        Kind::Collection,
        Ask {
            service: "EASYTRANSFERT_27",
            amount: 2000,
            phone: Some("0701234567"),
            otp: Some("4821"),
            ..Ask::default()
        },
    );
    let a = et.submit(&with_otp).await.unwrap();
    assert_eq!(a.status, OperationStatus::Pending);
    let done = until_final(&et, &probe(&with_otp, a.provider_ref.as_deref())).await;
    assert_eq!(done.status, OperationStatus::Success);

    // A wrong OTP is accepted at first and fails later, with its reason.
    let wrong = intent(
        Kind::Collection,
        Ask {
            service: "EASYTRANSFERT_27",
            amount: 2000,
            phone: Some("0701234567"),
            otp: Some("0000"),
            ..Ask::default()
        },
    );
    let a = et.submit(&wrong).await.unwrap();
    let done = until_final(&et, &probe(&wrong, a.provider_ref.as_deref())).await;
    assert_eq!(done.status, OperationStatus::Failed);
    assert!(done.message.unwrap_or_default().contains("OTP"));

    // MTN CI cash-out: the customer approves on the phone.
    let no_otp = intent(
        Kind::Collection,
        Ask {
            service: "EASYTRANSFERT_25",
            amount: 1000,
            phone: Some("0501234567"),
            ..Ask::default()
        },
    );
    let a = et.submit(&no_otp).await.unwrap();
    let done = until_final(&et, &probe(&no_otp, a.provider_ref.as_deref())).await;
    assert_eq!(done.status, OperationStatus::Success);
}

#[tokio::test]
async fn business_errors_come_as_http_200_and_are_refusals() {
    let sb = sandbox().await;
    let et = easytransfert(&sb);
    let mut odd = intent(
        Kind::Disbursement,
        Ask {
            service: "EASYTRANSFERT_26",
            amount: 1000,
            phone: Some("0701234567"),
            ..Ask::default()
        },
    );
    odd.request.amount = Money::new(550, Currency::Xof);
    match et.submit(&odd).await {
        Err(ConnectorError::Refused {
            native_code,
            message,
            ..
        }) => {
            assert_eq!(native_code, "200");
            assert!(message.contains("multiple of 100"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let mut big = odd.clone();
    big.request.amount = Money::new(600_000, Currency::Xof);
    assert_eq!(code(et.submit(&big).await), "provider_refused");
    assert!(sb.state().transaction(&odd.idempotency_key).is_none());
}

#[tokio::test]
async fn bad_key_status_gaps_and_gentle_polling() {
    let sb = sandbox().await;
    let bad = easytransfert_with(&sb, "nope", TIMEOUT);
    let cash_in = intent(
        Kind::Disbursement,
        Ask {
            service: "EASYTRANSFERT_20",
            amount: 1000,
            phone: Some("771234567"),
            ..Ask::default()
        },
    );
    assert_eq!(code(bad.submit(&cash_in).await), "provider_unauthorized");
    assert_eq!(code(bad.balance().await), "provider_unauthorized");

    // Without EASYTRANSFERT's id: never resend, say it cannot be asked.
    let et = easytransfert(&sb);
    assert_eq!(
        code(et.status(&probe(&cash_in, None)).await),
        "provider_unsupported"
    );
    assert!(sb.state().transactions().is_empty());
    // An id EASYTRANSFERT never gave.
    assert_eq!(
        code(et.status(&probe(&cash_in, Some("EFB.NOPE"))).await),
        "provider_not_found"
    );

    // Gentle polling: a second question about the same transaction too soon is held back.
    let gentle = easytransfert(&sb).with_min_status_interval(Duration::from_secs(30));
    let a = gentle.submit(&cash_in).await.unwrap();
    let p = probe(&cash_in, a.provider_ref.as_deref());
    gentle.status(&p).await.unwrap();
    match gentle.status(&p).await {
        Err(ConnectorError::Unavailable {
            retry_after: Some(d),
            ..
        }) => assert!(d > Duration::from_secs(25) && d <= Duration::from_secs(30)),
        other => panic!("{other:?}"),
    }
}
