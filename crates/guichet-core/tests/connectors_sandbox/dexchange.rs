//! DEXCHANGE over real HTTP against the sandbox: every operation's happy path and the error
//! mappings.

use guichet_core::catalog::{ExtraField, Kind};
use guichet_core::connector::{Connector, ConnectorError};
use guichet_core::ledger::OperationStatus;
use guichet_core::money::{Currency, Money};

use crate::common::*;

#[tokio::test]
async fn senelec_bill_inquiry_then_pay_then_already_paid_and_duplicate() {
    let sb = sandbox().await;
    let dx = dexchange(&sb);
    let bills = dx
        .bill_inquiry("SENELEC_SN_BILL", "210278816")
        .await
        .unwrap();
    let bill = bills
        .iter()
        .find(|b| b.reference_facture.as_deref() == Some("8000000680"))
        .expect("seed 001's bill");
    assert_eq!(bill.amount_minor, 104_500);
    assert_eq!(bill.fee_minor, 1_045);
    assert_eq!(bill.total_minor, 105_545);
    assert!(!bill.paid);
    assert!(!bill.customer_name.is_empty());

    let pay = intent(
        Kind::Bill,
        Ask {
            service: "SENELEC_SN_BILL",
            amount: 104_500,
            extras: vec![(ExtraField::ReferenceClient, "210278816")],
            invoice: Some("8000000680"),
            ..Ask::default()
        },
    );
    let a = dx.submit(&pay).await.unwrap();
    assert_eq!(a.status, OperationStatus::Success);
    assert_eq!(a.native_status, "SUCCESS");
    assert_eq!(a.fee_minor, Some(1_045));
    assert_eq!(a.details["reference_facture"], "8000000680");
    let tid = a.provider_ref.clone().expect("transactionId");
    let recorded = sb
        .state()
        .transaction(&pay.idempotency_key)
        .expect("recorded");
    assert_eq!(recorded["provider_id"], tid.as_str());

    // The same bill again, with a new key: refused (bill already paid), nothing moved.
    let mut again = pay.clone();
    again.idempotency_key = guichet_core::ledger::new_idempotency_key();
    match dx.submit(&again).await {
        Err(ConnectorError::Refused {
            native_code,
            message,
            ..
        }) => {
            assert_eq!(native_code, "400");
            assert!(message.contains("already paid"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    // The same key again: DEXCHANGE already has it.
    assert_eq!(code(dx.submit(&pay).await), "provider_duplicate");
    // And the status by id says success.
    let s = dx.status(&probe(&pay, Some(&tid))).await.unwrap();
    assert_eq!(s.status, OperationStatus::Success);
}

#[tokio::test]
async fn seneau_pays_the_oldest_unpaid_bill_and_unknown_reference_is_refused() {
    let sb = sandbox().await;
    let dx = dexchange(&sb);
    let fixtures = sb.state().fixtures();
    let account = fixtures["seneau"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["unpaid_bills"].as_u64() >= Some(2))
        .expect("a SenEau account with unpaid bills");
    let reference = account["reference_client"].as_str().unwrap();
    let bills = dx.bill_inquiry("SENEAU_SN_BILL", reference).await.unwrap();
    let oldest_unpaid = bills.iter().find(|b| !b.paid).expect("unpaid bill");
    let pay = intent(
        Kind::Bill,
        Ask {
            service: "SENEAU_SN_BILL",
            amount: oldest_unpaid.amount_minor,
            extras: vec![(ExtraField::ReferenceClient, reference)],
            ..Ask::default()
        },
    );
    let a = dx.submit(&pay).await.unwrap();
    assert_eq!(a.status, OperationStatus::Success);
    assert_eq!(
        a.details["reference_facture"],
        oldest_unpaid.reference_facture.clone().unwrap().as_str()
    );
    let after = dx.bill_inquiry("SENEAU_SN_BILL", reference).await.unwrap();
    assert!(
        after
            .iter()
            .find(|b| b.reference_facture == oldest_unpaid.reference_facture)
            .unwrap()
            .paid
    );

    let unknown = fixtures["unknown_references"]["seneau"].as_str().unwrap();
    assert_eq!(
        code(dx.bill_inquiry("SENEAU_SN_BILL", unknown).await),
        "provider_refused"
    );
}

fn meter(sb: &guichet_sandbox::RunningSandbox, behaviour: &str) -> String {
    sb.state().fixtures()["woyofal"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["behaviour"] == behaviour)
        .and_then(|m| m["reference_client"].as_str())
        .unwrap()
        .to_owned()
}

fn woyofal(meter: &str, amount: i64) -> guichet_core::connector::Intent {
    intent(
        Kind::Prepaid,
        Ask {
            service: "WOYOFAL_SN_BILL",
            amount,
            extras: vec![(ExtraField::ReferenceClient, meter)],
            ..Ask::default()
        },
    )
}

#[tokio::test]
async fn woyofal_instant_token() {
    let sb = sandbox().await;
    let dx = dexchange(&sb);
    let info = dx
        .bill_inquiry("WOYOFAL_SN_BILL", "07061270877")
        .await
        .unwrap();
    assert_eq!(info.len(), 1);
    assert_eq!(info[0].amount_minor, 0);
    assert_eq!(info[0].meter_status.as_deref(), Some("ACTIVE"));

    let a = dx.submit(&woyofal("07061270877", 1000)).await.unwrap();
    assert_eq!(a.status, OperationStatus::Success);
    assert_eq!(a.fee_minor, Some(10));
    let token = a.token.expect("token at once");
    assert_eq!(token.len(), 20);
    assert!(token.bytes().all(|b| b.is_ascii_digit()));
}

#[tokio::test]
async fn woyofal_processing_then_token_or_failure() {
    let sb = sandbox().await;
    let dx = dexchange(&sb);

    let top_up = woyofal(&meter(&sb, "processing_then_token"), 2000);
    let a = dx.submit(&top_up).await.unwrap();
    assert_eq!(a.status, OperationStatus::Processing);
    assert_eq!(a.token, None);
    let tid = a.provider_ref.expect("transactionId");
    let done = until_final(&dx, &probe(&top_up, Some(&tid))).await;
    assert_eq!(done.status, OperationStatus::Success);
    assert_eq!(done.token.expect("token later").len(), 20);

    let top_up = woyofal(&meter(&sb, "processing_then_failure"), 2000);
    let a = dx.submit(&top_up).await.unwrap();
    assert_eq!(a.status, OperationStatus::Processing);
    let done = until_final(&dx, &probe(&top_up, a.provider_ref.as_deref())).await;
    assert_eq!(done.status, OperationStatus::Failed);
    assert_eq!(done.token, None);
}

#[tokio::test]
async fn airtime_and_disbursement_settle_and_a_failing_wallet_fails() {
    let sb = sandbox().await;
    let dx = dexchange(&sb);
    let airtime = intent(
        Kind::Airtime,
        Ask {
            service: "ORANGE_SN_AIRTIME",
            amount: 1000,
            phone: Some("77 123 45 67"),
            ..Ask::default()
        },
    );
    let a = dx.submit(&airtime).await.unwrap();
    assert_eq!(a.status, OperationStatus::Pending);
    let done = until_final(&dx, &probe(&airtime, a.provider_ref.as_deref())).await;
    assert_eq!(done.status, OperationStatus::Success);
    let recorded = sb.state().transaction(&airtime.idempotency_key).unwrap();
    assert_eq!(recorded["customer"], "771234567");
    assert_eq!(recorded["kind"], "airtime");

    let cash_in = intent(
        Kind::Disbursement,
        Ask {
            service: "OM_SN_CASHIN",
            amount: 5000,
            phone: Some("771234567"),
            ..Ask::default()
        },
    );
    let a = dx.submit(&cash_in).await.unwrap();
    assert_eq!(a.status, OperationStatus::Pending);
    assert_eq!(a.fee_minor, Some(50));
    let done = until_final(&dx, &probe(&cash_in, a.provider_ref.as_deref())).await;
    assert_eq!(done.status, OperationStatus::Success);

    let failing = intent(
        Kind::Disbursement,
        Ask {
            service: "OM_SN_CASHIN",
            amount: 5000,
            phone: Some("770009999"),
            ..Ask::default()
        },
    );
    let a = dx.submit(&failing).await.unwrap();
    let done = until_final(&dx, &probe(&failing, a.provider_ref.as_deref())).await;
    assert_eq!(done.status, OperationStatus::Failed);
}

#[tokio::test]
async fn wave_collection_gives_a_cashout_url_and_succeeds() {
    let sb = sandbox().await;
    let dx = dexchange(&sb);
    let cash_out = intent(
        Kind::Collection,
        Ask {
            service: "WAVE_SN_CASHOUT",
            amount: 10_000,
            phone: Some("771234567"),
            ..Ask::default()
        },
    );
    let a = dx.submit(&cash_out).await.unwrap();
    assert_eq!(a.status, OperationStatus::Pending);
    assert!(!a.awaits_otp);
    let url = a.customer_url.expect("cashout_url");
    assert!(url.contains("/__sandbox/customer/"), "{url}");
    let done = until_final(&dx, &probe(&cash_out, a.provider_ref.as_deref())).await;
    assert_eq!(done.status, OperationStatus::Success);
}

#[tokio::test]
async fn wizall_collection_waits_for_the_otp() {
    let sb = sandbox().await;
    let dx = dexchange(&sb);
    let cash_out = intent(
        Kind::Collection,
        Ask {
            service: "WIZALL_SN_CASHOUT",
            amount: 3000,
            phone: Some("771234567"),
            ..Ask::default()
        },
    );
    let a = dx.submit(&cash_out).await.unwrap();
    assert_eq!(a.status, OperationStatus::Pending);
    assert!(a.awaits_otp);
    let p = probe(&cash_out, a.provider_ref.as_deref());
    // It does not settle by itself.
    tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    let s = dx.status(&p).await.unwrap();
    assert_eq!(s.status, OperationStatus::Pending);
    assert!(s.awaits_otp);
    // A wrong OTP is refused and the operation stays pending.
    match dx.confirm_otp(&p, "0000").await {
        Err(ConnectorError::Refused { message, .. }) => assert!(message.contains("OTP")),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        dx.status(&p).await.unwrap().status,
        OperationStatus::Pending
    );
    let done = dx.confirm_otp(&p, "4821").await.unwrap();
    assert_eq!(done.status, OperationStatus::Success);
    assert!(!done.awaits_otp);
    // Without DEXCHANGE's id there is nothing to confirm.
    assert_eq!(
        code(dx.confirm_otp(&probe(&cash_out, None), "4821").await),
        "provider_unsupported"
    );
}

#[tokio::test]
async fn payment_link_status_paid_and_expired() {
    let sb = sandbox().await;
    let dx = dexchange(&sb);
    let link = intent(
        Kind::PaymentLink,
        Ask {
            service: "DEXCHANGE_PAYMENT_LINK",
            amount: 5000,
            item: Some("T-shirt"),
            ..Ask::default()
        },
    );
    let a = dx.submit(&link).await.unwrap();
    assert_eq!(a.status, OperationStatus::Pending);
    let mid = a.provider_ref.clone().expect("MID");
    assert!(a.customer_url.expect("PaymentUrl").contains(&mid));
    let p = probe(&link, Some(&mid));
    assert_eq!(
        dx.status(&p).await.unwrap().status,
        OperationStatus::Pending
    );
    sb.state().approve(&mid, Some("771234567".into())).unwrap();
    let paid = dx.status(&p).await.unwrap();
    assert_eq!(paid.status, OperationStatus::Success);
    assert_eq!(paid.native_status, "SUCCESS");

    let link = intent(
        Kind::PaymentLink,
        Ask {
            service: "DEXCHANGE_PAYMENT_LINK",
            amount: 100,
            ..Ask::default()
        },
    );
    let a = dx.submit(&link).await.unwrap();
    let mid = a.provider_ref.unwrap();
    sb.state().expire(&mid).unwrap();
    let expired = dx.status(&probe(&link, Some(&mid))).await.unwrap();
    assert_eq!(expired.status, OperationStatus::Expired);
}

#[tokio::test]
async fn status_without_the_provider_id_never_resends() {
    let sb = sandbox().await;
    let dx = dexchange(&sb);
    let cash_in = intent(
        Kind::Disbursement,
        Ask {
            service: "WAVE_SN_CASHIN",
            amount: 2000,
            phone: Some("781234567"),
            ..Ask::default()
        },
    );
    dx.submit(&cash_in).await.unwrap();
    // Asking without DEXCHANGE's id cannot be done: it is refused, nothing is sent.
    assert_eq!(
        code(dx.status(&probe(&cash_in, None)).await),
        "provider_unsupported"
    );
    // Only a deliberate resend of the same intent learns its fate: 409.
    assert_eq!(code(dx.submit(&cash_in).await), "provider_duplicate");
    // Still exactly one transaction for the key.
    let count = sb
        .state()
        .transactions()
        .iter()
        .filter(|t| t["external_id"] == cash_in.idempotency_key.as_str())
        .count();
    assert_eq!(count, 1);
    // An id DEXCHANGE never gave: not found.
    assert_eq!(
        code(dx.status(&probe(&cash_in, Some("TID-NOPE"))).await),
        "provider_not_found"
    );
}

#[tokio::test]
async fn balance_bad_key_and_limits() {
    let sb = sandbox().await;
    let dx = dexchange(&sb);
    let b = dx.balance().await.unwrap();
    assert_eq!(b.amount_minor, 5_000_000);
    assert_eq!(b.currency, "XOF");

    let bad = dexchange_with(&sb, "not-the-key", TIMEOUT);
    assert_eq!(code(bad.balance().await), "provider_unauthorized");
    let cash_in = intent(
        Kind::Disbursement,
        Ask {
            service: "OM_SN_CASHIN",
            amount: 1000,
            phone: Some("771234567"),
            ..Ask::default()
        },
    );
    assert_eq!(code(bad.submit(&cash_in).await), "provider_unauthorized");

    // Below DEXCHANGE's 200 FCFA (the catalog would refuse it first; here the provider does).
    let mut tiny = cash_in.clone();
    tiny.request.amount = Money::new(100, Currency::Xof);
    match dx.submit(&tiny).await {
        Err(ConnectorError::Refused {
            native_code,
            message,
            ..
        }) => {
            assert_eq!(native_code, "400");
            assert!(message.contains("200"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert!(sb.state().transaction(&tiny.idempotency_key).is_none());
}
