//! The desk on a real ledger file and the embedded training sandbox (no keyring here: the keys
//! and live mode are tested on real keyring stores in `tests/secrets_keyring.rs`).

use std::time::Duration;

use chrono::{Duration as Span, Utc};

use super::*;
use crate::audit::AuditQuery;
use crate::catalog::{Kind, OperationRequest};
use crate::engine::SubmitRequest;
use crate::ledger::{HistoryQuery, OperationStatus};
use crate::money::{Currency, Money};
use crate::providers::{ProviderTarget, StartOptions};
use crate::receipt::CopyKind;
use crate::settings::SettingsPatch;

const MANAGER_PIN: &str = "2580";
const CASHIER_PIN: &str = "1357";

fn shop() -> FirstRun {
    FirstRun {
        shop_name: "Boutique Awa".into(),
        shop_address: "Rue 10, Médina, Dakar".into(),
        receipt_header: "NINEA 0123456\nTél 33 800 00 00".into(),
        manager_name: "Awa Ndiaye".into(),
        pin: MANAGER_PIN.to_owned().into(),
    }
}

fn airtime(phone: &str) -> SubmitRequest {
    SubmitRequest::new(OperationRequest {
        service_code: "ORANGE_SN_AIRTIME".into(),
        kind: Kind::Airtime,
        amount: Money::new(1000, Currency::Xof),
        phone: Some(phone.into()),
        otp: None,
        extras: Default::default(),
    })
}

/// A desk over a fresh data dir, training on the embedded sandbox with its reconciler.
async fn training_desk(dir: &std::path::Path, reconcile: bool) -> Desk {
    let desk = Desk::new(Till::open(dir).await.unwrap());
    let options = StartOptions {
        reconcile,
        ..StartOptions::default()
    };
    desk.start(ProviderTarget::Training, options).await.unwrap();
    desk
}

/// A clock a test moves by hand.
fn test_clock(
    start: chrono::DateTime<Utc>,
) -> (Arc<std::sync::Mutex<chrono::DateTime<Utc>>>, Clock) {
    let now = Arc::new(std::sync::Mutex::new(start));
    let read = now.clone();
    (now, Arc::new(move || *read.lock().unwrap()))
}

/// A till set up by its manager, with a cashier "Moussa"; nobody signed in.
async fn set_up() -> (tempfile::TempDir, Desk) {
    let dir = tempfile::tempdir().unwrap();
    let desk = training_desk(dir.path(), true).await;
    desk.first_run(shop()).await.unwrap();
    desk.confirm_pin(MANAGER_PIN).await.unwrap();
    desk.create_operator("Moussa", CASHIER_PIN, Role::Cashier)
        .await
        .unwrap();
    desk.logout(false).await.unwrap();
    (dir, desk)
}

/// Closes `desk` and its ledger, everything written into the ledger file in `dir`; that file.
async fn close_into_file(dir: &std::path::Path, desk: Desk) -> std::path::PathBuf {
    let ledger = desk.till().ledger().clone();
    desk.close().await;
    let file = dir.join(crate::till::LEDGER_FILE);
    crate::ledger::test_files::close_into_file(ledger, &file).await;
    file
}

/// Opens the till in `dir` as the app does, with a keyutils keyring under `service`.
async fn open_app(dir: &std::path::Path, service: &str) -> Result<Desk, TillError> {
    Desk::open_app(
        dir,
        ProviderTarget::Training,
        crate::secrets::Backend::Keyutils,
        service,
    )
    .await
}

async fn actions(desk: &Desk) -> Vec<String> {
    Audit::new(desk.till().ledger())
        .list(&AuditQuery::default())
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

#[tokio::test]
async fn first_run_names_the_shop_signs_the_manager_in_and_happens_once() {
    let dir = tempfile::tempdir().unwrap();
    let desk = training_desk(dir.path(), true).await;
    let before = desk.app_info().await.unwrap();
    assert!(before.needs_setup);
    assert!(before.session.is_none());

    let mut bad = shop();
    bad.shop_name = "  ".into();
    let err = desk.first_run(bad).await.unwrap_err();
    assert_eq!(err.code(), "invalid_setting");
    assert!(
        desk.app_info().await.unwrap().needs_setup,
        "nothing created"
    );

    let mut short_pin = shop();
    short_pin.pin = "12".into();
    assert_eq!(
        desk.first_run(short_pin).await.unwrap_err().code(),
        "operator_invalid_pin"
    );

    let info = desk.first_run(shop()).await.unwrap();
    assert!(!info.needs_setup);
    assert_eq!(info.shop_name, "Boutique Awa");
    assert_eq!(info.operator_name, "Awa Ndiaye");
    assert_eq!(info.session.as_ref().unwrap().role(), Role::Manager);
    assert_eq!(info.mode, crate::app_info::Mode::Training);
    let header = crate::settings::shop_header(desk.till().ledger())
        .await
        .unwrap();
    assert_eq!(header.address.as_deref(), Some("Rue 10, Médina, Dakar"));
    assert_eq!(header.lines, ["NINEA 0123456", "Tél 33 800 00 00"]);

    let again = desk.first_run(shop()).await.unwrap_err();
    assert_eq!(again.code(), "setup_done");
    let trail = actions(&desk).await;
    assert!(trail.contains(&"operator_created".to_owned()), "{trail:?}");
    assert!(trail.contains(&"setting_changed".to_owned()), "{trail:?}");
    assert!(trail.contains(&"login".to_owned()), "{trail:?}");
}

#[tokio::test]
async fn nobody_signed_in_can_only_log_in_and_a_cashier_cannot_reach_settings() {
    let (_dir, desk) = set_up().await;
    assert_eq!(desk.services().await.unwrap_err().code(), "not_signed_in");
    assert_eq!(
        desk.submit(airtime("77 123 45 67"))
            .await
            .unwrap_err()
            .code(),
        "not_signed_in"
    );
    assert_eq!(desk.settings().await.unwrap_err().code(), "not_signed_in");
    let names: Vec<String> = desk
        .login_names()
        .await
        .unwrap()
        .into_iter()
        .map(|n| n.name)
        .collect();
    assert_eq!(names, ["Awa Ndiaye", "Moussa"]);

    desk.login("moussa", CASHIER_PIN).await.unwrap();
    assert!(!desk.services().await.unwrap().is_empty());
    for code in [
        desk.settings().await.unwrap_err().code(),
        desk.save_settings(SettingsPatch {
            kiosk: Some(false),
            ..Default::default()
        })
        .await
        .unwrap_err()
        .code(),
        desk.operators_list().await.unwrap_err().code(),
        desk.audit_verify().await.unwrap_err().code(),
        desk.provider_keys().await.unwrap_err().code(),
        desk.set_mode(crate::app_info::Mode::Live, CASHIER_PIN)
            .await
            .unwrap_err()
            .code(),
    ] {
        assert_eq!(code, "operator_forbidden");
    }
    assert!(
        !crate::settings::kiosk(desk.till().ledger()).await.unwrap(),
        "nothing changed"
    );
}

#[tokio::test]
async fn a_ledger_found_damaged_takes_no_new_sale_and_says_so_on_the_home_screen() {
    let (dir, desk) = set_up().await;
    desk.login("Moussa", CASHIER_PIN).await.unwrap();
    let sold = desk.submit(airtime("77 123 45 67")).await.unwrap();
    desk.engine()
        .unwrap()
        .wait_settled(sold.id, Duration::from_secs(20))
        .await
        .unwrap();
    assert!(desk.app_info().await.unwrap().notice.is_none());
    // The disk rots under the operations' page: the start's own writes (audit trail, sign-in)
    // do not meet it.
    let file = close_into_file(dir.path(), desk).await;
    crate::ledger::test_files::scribble_table_root(&file, "operations").await;

    // The app opens at once; its check, run in the background a moment after, finds it.
    let desk = open_app(dir.path(), "guichet-integrity-test")
        .await
        .unwrap();
    desk.login("Moussa", CASHIER_PIN).await.unwrap();
    let mut notice = None;
    for _ in 0..600 {
        notice = desk.app_info().await.unwrap().notice;
        if notice.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let notice = notice.expect("the home screen's notice within 30 s of the start");
    assert!(notice.fr.contains("endommagé"), "{}", notice.fr);
    let refused = desk.submit(airtime("77 765 43 21")).await.unwrap_err();
    assert_eq!(refused.code(), "ledger_corrupt", "{refused:?}");
}

#[tokio::test]
async fn a_ledger_damaged_where_the_start_writes_is_said_damaged_not_an_audit_error_to_retry() {
    let (dir, desk) = set_up().await;
    desk.login("Moussa", CASHIER_PIN).await.unwrap();
    desk.logout(false).await.unwrap();
    // The last pages hold the audit trail the start appends to.
    let file = close_into_file(dir.path(), desk).await;
    crate::ledger::test_files::scribble_last_pages(&file);

    let refused = open_app(dir.path(), "guichet-integrity-start-test")
        .await
        .err()
        .expect("the till does not open on a damaged file");
    assert_eq!(refused.code(), "ledger_corrupt", "{refused:?}");
    let said = refused.message();
    assert!(
        said.fr.starts_with("Le fichier du registre est endommagé"),
        "{}",
        said.fr
    );
    assert!(
        said.fr.contains("ne supprimez pas le fichier"),
        "{}",
        said.fr
    );
    assert!(!said.fr.contains("Réessayez"), "{}", said.fr);
}

#[tokio::test]
async fn every_operation_records_the_operator_who_signed_in() {
    let (_dir, desk) = set_up().await;
    desk.login("Moussa", CASHIER_PIN).await.unwrap();
    let op = desk.submit(airtime("77 123 45 67")).await.unwrap();
    assert_eq!(op.operator_name, "Moussa");
    desk.logout(false).await.unwrap();

    desk.login("Awa Ndiaye", MANAGER_PIN).await.unwrap();
    let op2 = desk.submit(airtime("77 765 43 21")).await.unwrap();
    assert_eq!(op2.operator_name, "Awa Ndiaye");
    let settled = desk
        .engine()
        .unwrap()
        .wait_settled(op.id, Duration::from_secs(20))
        .await
        .unwrap();
    assert_eq!(settled.status, OperationStatus::Success);
    assert_eq!(
        settled.operator_name, "Moussa",
        "reconciling keeps the seller"
    );
}

#[tokio::test]
async fn an_idle_session_locks_itself_and_the_trail_says_so() {
    let (_dir, desk) = set_up().await;
    let t0 = Utc::now();
    let (now, clock) = test_clock(t0);
    let desk = desk.with_clock(clock);
    // The desk as of `t`.
    let at = |t: chrono::DateTime<Utc>| {
        *now.lock().unwrap() = t;
        &desk
    };
    at(t0).login("Moussa", CASHIER_PIN).await.unwrap();
    // Default idle lock: 5 minutes. Activity at 4 min keeps the session.
    let at4 = t0 + Span::minutes(4);
    assert!(at(at4).services().await.is_ok());
    let at8 = at4 + Span::minutes(4);
    assert!(at(at8).services().await.is_ok());
    let late = at8 + Span::seconds(301);
    let err = at(late).services().await.unwrap_err();
    assert_eq!(err.code(), "session_locked");
    assert!(
        err.message().fr.contains("code PIN"),
        "{}",
        err.message().fr
    );
    assert!(at(late).app_info().await.unwrap().session.is_none());
    let trail = Audit::new(desk.till().ledger())
        .list(&AuditQuery {
            action: Some("logout".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(trail.len(), 2, "the set-up logout and the idle one");
    assert_eq!(trail[1].details["reason"], "idle");
    assert_eq!(trail[1].actor, "Moussa");

    // "Never" keeps a session open however long.
    at(late).login("Awa Ndiaye", MANAGER_PIN).await.unwrap();
    at(late)
        .save_settings(SettingsPatch {
            idle_timeout_secs: Some(0),
            ..Default::default()
        })
        .await
        .unwrap();
    let much_later = late + Span::hours(10);
    assert!(at(much_later).services().await.is_ok());
}

#[tokio::test]
async fn a_service_switched_off_is_not_offered_and_not_sold() {
    let (_dir, desk) = set_up().await;
    desk.login("Awa Ndiaye", MANAGER_PIN).await.unwrap();
    let unknown = desk
        .save_settings(SettingsPatch {
            disabled_services: Some(vec!["NOPE".into()]),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), "invalid_setting");
    let settings = desk
        .save_settings(SettingsPatch {
            disabled_services: Some(vec!["ORANGE_SN_AIRTIME".into()]),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(settings.disabled_services, ["ORANGE_SN_AIRTIME"]);
    desk.logout(false).await.unwrap();

    desk.login("Moussa", CASHIER_PIN).await.unwrap();
    let offered = desk.services().await.unwrap();
    assert!(offered.iter().all(|s| s.code != "ORANGE_SN_AIRTIME"));
    assert!(offered.iter().any(|s| s.code == "WOYOFAL_SN_BILL"));
    let err = desk.submit(airtime("77 123 45 67")).await.unwrap_err();
    assert_eq!(err.code(), "service_disabled");
    assert!(
        err.message().fr.contains("Réglages"),
        "{}",
        err.message().fr
    );
    let recorded = desk.history(&HistoryQuery::default()).await.unwrap();
    assert!(
        recorded.is_empty(),
        "nothing recorded for a refused service"
    );
}

#[tokio::test]
async fn settings_changes_and_reprints_reach_the_trail_and_the_chain_checks_out() {
    let (dir, desk) = set_up().await;
    desk.login("Awa Ndiaye", MANAGER_PIN).await.unwrap();
    let s = desk
        .save_settings(SettingsPatch {
            shop_name: Some("Boutique Awa & Fils".into()),
            idle_timeout_secs: Some(600),
            kiosk: Some(true),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(s.shop_name, "Boutique Awa & Fils");
    assert!(s.kiosk);
    assert!(desk.app_info().await.unwrap().kiosk);
    assert!(!desk.close_allowed().await.unwrap());
    let bad = desk
        .save_settings(SettingsPatch {
            idle_timeout_secs: Some(5),
            shop_name: Some("Autre".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad.code(), "invalid_setting");
    assert_eq!(
        desk.settings().await.unwrap().shop_name,
        "Boutique Awa & Fils",
        "a refused patch stores nothing"
    );

    let op = desk.submit(airtime("77 123 45 67")).await.unwrap();
    let first = desk.print_receipt(op.id, CopyKind::Customer).await.unwrap();
    assert_eq!(first.duplicate, 0);
    let second = desk.print_receipt(op.id, CopyKind::Customer).await.unwrap();
    assert_eq!(second.duplicate, 1);
    let reprints = Audit::new(desk.till().ledger())
        .list(&AuditQuery {
            action: Some("reprint".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(reprints.len(), 1, "the original print is not a reprint");
    assert_eq!(reprints[0].details["operation_id"], op.id.to_string());

    // No keyring in these tests: the chain holds, and the check says it is not sealed (the
    // keyed chain is tested on a real keyring in tests/audit_keyed.rs).
    let check = desk.audit_verify().await.unwrap();
    assert_eq!(check.broken_at, None, "{:?}", check.message);
    assert_eq!(check.key, crate::audit::KeyState::NotSealed);
    assert!(
        check.message.fr.contains("non scellé"),
        "{:?}",
        check.message
    );
    let export = desk.audit_export().await.unwrap();
    assert!(export.path.starts_with(dir.path().to_str().unwrap()));
    let text = std::fs::read_to_string(&export.path).unwrap();
    assert!(text.contains("setting_changed") && text.contains("reprint"));
    assert_eq!(export.entries, check.entries);
}

#[tokio::test]
async fn the_kiosk_closes_only_with_a_managers_pin() {
    let (_dir, desk) = set_up().await;
    let wrong = desk.kiosk_exit("Awa Ndiaye", "0000").await.unwrap_err();
    assert_eq!(wrong.code(), "operator_wrong_pin");
    let cashier = desk.kiosk_exit("Moussa", CASHIER_PIN).await.unwrap_err();
    assert_eq!(cashier.code(), "operator_forbidden");
    desk.kiosk_exit("Awa Ndiaye", MANAGER_PIN).await.unwrap();
    let trail = actions(&desk).await;
    assert_eq!(trail.iter().filter(|a| *a == "kiosk_exit").count(), 1);
    assert!(trail.contains(&"login_failed".to_owned()));
}

#[tokio::test]
async fn a_mode_switch_needs_the_pin_again_and_no_unfinished_operation() {
    let (_dir, desk) = set_up().await;
    desk.login("Awa Ndiaye", MANAGER_PIN).await.unwrap();
    let wrong = desk
        .set_mode(crate::app_info::Mode::Training, "9999")
        .await
        .unwrap_err();
    assert_eq!(wrong.code(), "operator_wrong_pin");
    // Same mode with the right PIN: nothing to do.
    let info = desk
        .set_mode(crate::app_info::Mode::Training, MANAGER_PIN)
        .await
        .unwrap();
    assert_eq!(info.mode, crate::app_info::Mode::Training);

    // No operation in flight: the providers are replaced and the new engine keeps selling under
    // the signed-in name.
    assert_eq!(
        desk.switch_providers(desk.training_target(), true)
            .await
            .unwrap(),
        crate::app_info::Mode::Training
    );
    let op = desk.submit(airtime("77 765 43 21")).await.unwrap();
    assert_eq!(op.operator_name, "Awa Ndiaye");
    let done = desk
        .engine()
        .unwrap()
        .wait_settled(op.id, Duration::from_secs(20))
        .await
        .unwrap();
    assert_eq!(done.status, OperationStatus::Success);
}

#[tokio::test]
async fn no_switch_while_an_operation_is_unfinished() {
    let dir = tempfile::tempdir().unwrap();
    // No reconciler: the unfinished operation stays as it is.
    let desk = training_desk(dir.path(), false).await;
    let till = desk.till();
    let new = crate::ledger::NewOperation {
        idempotency_key: "k-pending".into(),
        provider: "dexchange".into(),
        service_code: "WOYOFAL_SN_BILL".into(),
        kind: "woyofal".into(),
        country: "SN".into(),
        currency: "XOF".into(),
        amount_minor: 5000,
        fee_minor: None,
        customer_ref: "07061270877".into(),
        invoice_ref: None,
        operator_name: "Awa".into(),
        training: true,
        details: Default::default(),
    };
    till.ledger().insert_operation(new).await.unwrap();
    let err = desk
        .switch_providers(desk.training_target(), true)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "operations_pending");
    assert!(
        err.message().fr.contains("1 opération"),
        "{}",
        err.message().fr
    );
}

#[tokio::test]
async fn a_live_operation_is_never_resolved_by_the_training_providers() {
    let dir = tempfile::tempdir().unwrap();
    let desk = training_desk(dir.path(), false).await;
    let till = desk.till();
    let new = |key: &str, training: bool| crate::ledger::NewOperation {
        idempotency_key: key.into(),
        provider: "dexchange".into(),
        service_code: "WOYOFAL_SN_BILL".into(),
        kind: "woyofal".into(),
        country: "SN".into(),
        currency: "XOF".into(),
        amount_minor: 5000,
        fee_minor: None,
        customer_ref: "07061270877".into(),
        invoice_ref: None,
        operator_name: "Awa".into(),
        training,
        details: Default::default(),
    };
    // Left by a crash: one live intent, one training intent, neither sent.
    let live = till
        .ledger()
        .insert_operation(new("k-live", false))
        .await
        .unwrap();
    let training = till
        .ledger()
        .insert_operation(new("k-train", true))
        .await
        .unwrap();
    let report = desk.engine().unwrap().recover().await.unwrap();
    assert_eq!(
        report.cancelled,
        [training.id],
        "only the training one is the sandbox's"
    );
    let live = till.ledger().get(live.id).await.unwrap().unwrap();
    assert_eq!(
        live.status,
        OperationStatus::Prepared,
        "the live one waits for live mode"
    );
}

#[tokio::test]
async fn fresh_till_trains_in_french_and_remembers_english() {
    use crate::app_info::Mode;
    use crate::text::Language;
    let dir = tempfile::tempdir().unwrap();
    let desk = training_desk(dir.path(), true).await;
    let info = desk.app_info().await.unwrap();
    assert_eq!(info.mode, Mode::Training);
    assert_eq!(info.language, Language::Fr);
    assert_eq!(info.shop_name, crate::settings::DEFAULT_SHOP_NAME);
    assert!(dir.path().join(crate::till::LEDGER_FILE).exists());

    let info = desk.set_language(Language::En).await.unwrap();
    assert_eq!(info.language, Language::En);
    desk.close().await;

    let reopened = Desk::new(Till::open(dir.path()).await.unwrap());
    assert_eq!(reopened.app_info().await.unwrap().language, Language::En);
}

#[tokio::test]
async fn opening_a_till_starts_no_provider_and_reads_without_one() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::console(Till::open(dir.path()).await.unwrap(), "support");
    assert!(!desk.started(), "opening a till starts nothing");
    assert!(desk.sandbox().is_none());
    assert!(desk
        .history(&HistoryQuery::default())
        .await
        .unwrap()
        .is_empty());
    let err = desk.submit(airtime("77 123 45 67")).await.unwrap_err();
    assert_eq!(err.code(), "providers_stopped");
    assert!(desk
        .history(&HistoryQuery::default())
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn services_come_from_the_catalog() {
    let (_dir, desk) = set_up().await;
    desk.login("Moussa", CASHIER_PIN).await.unwrap();
    let services = desk.services().await.unwrap();
    assert!(services.iter().any(|s| s.code == "WOYOFAL_SN_BILL"));
    assert!(services.iter().all(|s| s.enabled));
}

#[tokio::test]
async fn a_training_till_sells_airtime_against_its_embedded_sandbox() {
    let dir = tempfile::tempdir().unwrap();
    let till = training_desk(dir.path(), true).await;
    assert!(
        till.sandbox().is_some(),
        "training starts the embedded sandbox"
    );
    let request = OperationRequest {
        service_code: "ORANGE_SN_AIRTIME".into(),
        kind: Kind::Airtime,
        amount: Money::new(1000, Currency::Xof),
        phone: Some("77 123 45 67".into()),
        otp: None,
        extras: Default::default(),
    };
    let op = till
        .engine()
        .unwrap()
        .submit(SubmitRequest::new(request), "Awa")
        .await
        .unwrap();
    let op = till
        .engine()
        .unwrap()
        .wait_settled(op.id, std::time::Duration::from_secs(20))
        .await
        .unwrap();
    assert_eq!(op.status, OperationStatus::Success, "{op:?}");
    assert!(op.training);
    assert!(op.provider_ref.is_some());
    // The sandbox recorded exactly one provider transaction for this intent.
    let recorded = till.sandbox().unwrap().state.transactions();
    let mine: Vec<_> = recorded
        .iter()
        .filter(|t| t["external_id"] == op.idempotency_key.as_str())
        .collect();
    assert_eq!(mine.len(), 1);
    till.close().await;

    // No provider credential reached the ledger file or its WAL.
    let creds = guichet_sandbox::Credentials::default();
    let secrets = [
        creds.dexchange_key,
        creds.easytransfert_key,
        creds.unipesa_secret,
    ];
    for file in ["guichet.db", "guichet.db-wal"] {
        let Ok(bytes) = std::fs::read(dir.path().join(file)) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        for secret in &secrets {
            assert!(!text.contains(secret.as_str()), "a credential is in {file}");
        }
    }
}

#[tokio::test]
async fn one_owner_per_data_dir_and_the_other_desk_only_reads() {
    let dir = tempfile::tempdir().unwrap();
    let owner = training_desk(dir.path(), true).await;
    owner.first_run(shop()).await.unwrap();
    let sold = owner.submit(airtime("77 123 45 67")).await.unwrap();

    // A second desk on the same data dir (a `guichetctl` beside the app): no reconciler, no sale.
    let other = Desk::console(Till::open(dir.path()).await.unwrap(), "support");
    let refused = other
        .start(ProviderTarget::Training, StartOptions::default())
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "ledger_in_use");
    assert!(
        refused.message().fr.contains("seule la lecture"),
        "{}",
        refused.message().fr
    );
    let reader = StartOptions {
        reconcile: false,
        ..StartOptions::default()
    };
    other.start(ProviderTarget::Training, reader).await.unwrap();
    let err = other.submit(airtime("77 765 43 21")).await.unwrap_err();
    assert_eq!(err.code(), "ledger_in_use");
    let seen = other.history(&HistoryQuery::default()).await.unwrap();
    assert_eq!(seen.len(), 1, "it reads the owner's sale");
    assert_eq!(seen[0].id, sold.id);

    // The owner goes (a clean exit here; the OS does the same after a kill -9): the next one owns.
    owner.close().await;
    other
        .start(ProviderTarget::Training, StartOptions::default())
        .await
        .unwrap();
    other.submit(airtime("77 765 43 21")).await.unwrap();
    other.close().await;
}

#[tokio::test]
async fn an_unsettled_operation_stays_listed_in_progress_until_it_settles() {
    let (_dir, desk) = set_up().await;
    desk.login("Moussa", CASHIER_PIN).await.unwrap();
    assert!(desk.in_progress().await.unwrap().is_empty());
    let op = desk.submit(airtime("77 123 45 67")).await.unwrap();
    if !crate::engine::settled(op.status) {
        let listed = desk.in_progress().await.unwrap();
        assert_eq!(listed.iter().map(|o| o.id).collect::<Vec<_>>(), [op.id]);
    }
    let done = desk
        .wait_settled(op.id, Duration::from_secs(20))
        .await
        .unwrap();
    assert_eq!(done.status, OperationStatus::Success);
    assert!(
        desk.in_progress().await.unwrap().is_empty(),
        "settled: gone"
    );
    desk.logout(false).await.unwrap();
    assert_eq!(
        desk.in_progress().await.unwrap_err().code(),
        "not_signed_in"
    );
}

#[tokio::test]
async fn a_screen_polling_its_operation_does_not_keep_the_session_open() {
    let (_dir, desk) = set_up().await;
    let t0 = Utc::now();
    let (now, clock) = test_clock(t0);
    let desk = desk.with_clock(clock);
    desk.login("Moussa", CASHIER_PIN).await.unwrap();
    let op = desk.submit(airtime("77 123 45 67")).await.unwrap();
    // The outcome screen reads the operation every few seconds for 6 minutes, nobody typing.
    for minute in 1..=6 {
        *now.lock().unwrap() = t0 + Span::minutes(minute);
        match desk.operation(op.id).await {
            Ok(_) => assert!(minute <= 5, "still open at minute {minute}"),
            Err(e) => assert_eq!(e.code(), "session_locked"),
        }
        let _ = desk.in_progress().await;
    }
    // Default idle lock: 5 minutes after the last real call (the submit).
    let err = desk.services().await.unwrap_err();
    assert!(
        ["session_locked", "not_signed_in"].contains(&err.code()),
        "{}",
        err.code()
    );
    assert!(desk.app_info().await.unwrap().session.is_none());
}

/// An EASYTRANSFERT cash-in.
fn et_cashin(phone: &str) -> SubmitRequest {
    SubmitRequest::new(OperationRequest {
        service_code: "EASYTRANSFERT_20".into(),
        kind: Kind::Disbursement,
        amount: Money::new(1000, Currency::Xof),
        phone: Some(phone.into()),
        otp: None,
        extras: Default::default(),
    })
}

/// A till set up like [`set_up`] whose provider timeout is short, with `count` EASYTRANSFERT
/// cash-ins left in `needs_review`: the sandbox recorded each one and its answer never came
/// (EASYTRANSFERT has no lookup by our key and is never resent). Nobody signed in.
async fn with_reviews(count: usize) -> (tempfile::TempDir, Desk, Vec<crate::ledger::Operation>) {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::new(Till::open(dir.path()).await.unwrap());
    let options = StartOptions {
        timeout: Duration::from_millis(600),
        ..StartOptions::default()
    };
    desk.start(ProviderTarget::Training, options).await.unwrap();
    desk.first_run(shop()).await.unwrap();
    desk.confirm_pin(MANAGER_PIN).await.unwrap();
    desk.create_operator("Moussa", CASHIER_PIN, Role::Cashier)
        .await
        .unwrap();
    desk.logout(false).await.unwrap();
    desk.sandbox()
        .unwrap()
        .state
        .set_faults(guichet_sandbox::Faults {
            hang_after_commit: 1.0,
            providers: Some(vec!["easytransfert".into()]),
            ..Default::default()
        })
        .unwrap();
    desk.login("Moussa", CASHIER_PIN).await.unwrap();
    let mut ops = Vec::new();
    for i in 0..count {
        let op = desk
            .submit(et_cashin(&format!("77 123 45 6{i}")))
            .await
            .unwrap();
        let op = desk
            .wait_settled(op.id, Duration::from_secs(20))
            .await
            .unwrap();
        assert_eq!(op.status, OperationStatus::NeedsReview, "{op:?}");
        ops.push(op);
    }
    desk.sandbox()
        .unwrap()
        .state
        .set_faults(guichet_sandbox::Faults::default())
        .unwrap();
    desk.logout(false).await.unwrap();
    (dir, desk, ops)
}

#[tokio::test]
async fn a_manager_lists_the_review_queue_with_its_evidence_and_a_cashier_sees_only_the_count() {
    let (_dir, desk, ops) = with_reviews(2).await;
    assert_eq!(
        desk.review_count().await.unwrap_err().code(),
        "not_signed_in"
    );

    desk.login("Moussa", CASHIER_PIN).await.unwrap();
    assert_eq!(desk.review_count().await.unwrap(), 2);
    assert_eq!(
        desk.review_list().await.unwrap_err().code(),
        "operator_forbidden"
    );

    desk.login("Awa Ndiaye", MANAGER_PIN).await.unwrap();
    let list = desk.review_list().await.unwrap();
    assert_eq!(
        list.iter().map(|i| i.operation.id).collect::<Vec<_>>(),
        ops.iter().map(|o| o.id).collect::<Vec<_>>(),
        "oldest first"
    );
    let item = &list[0];
    assert_eq!(item.operation.amount_minor, 1000);
    assert_eq!(item.operation.operator_name, "Moussa");
    assert_eq!(item.reason_code.as_deref(), Some("no_lookup_no_resend"));
    assert!(item.reason.fr.contains("deux fois"), "{}", item.reason.fr);
    let moves: Vec<_> = item.events.iter().map(|e| e.to_status).collect();
    assert_eq!(
        moves.last(),
        Some(&OperationStatus::NeedsReview),
        "the timeline ends in review: {moves:?}"
    );
    assert!(moves.contains(&OperationStatus::Unknown), "{moves:?}");
    assert!(
        item.events.iter().any(|e| e.note.is_some()),
        "the events say what happened"
    );
}

#[tokio::test]
async fn settling_a_review_needs_a_manager_a_note_and_the_pin_and_is_audited() {
    let (_dir, desk, ops) = with_reviews(2).await;
    let (paid, unpaid) = (ops[0].id, ops[1].id);

    desk.login("Moussa", CASHIER_PIN).await.unwrap();
    let err = desk
        .settle_review(paid, ReviewOutcome::Success, "vu", CASHIER_PIN)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "operator_forbidden");

    desk.login("Awa Ndiaye", MANAGER_PIN).await.unwrap();
    let err = desk
        .settle_review(paid, ReviewOutcome::Success, "   ", MANAGER_PIN)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "invalid_setting");
    assert!(err.message().fr.contains("note"), "{}", err.message().fr);
    assert!(err.message().en.contains("note"), "{}", err.message().en);
    assert!(matches!(&err, TillError::Invalid { field, .. } if field == "note"));
    let err = desk
        .settle_review(paid, ReviewOutcome::Success, "vu", "0000")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "operator_wrong_pin");
    // The console's way (a manager named) is not a window's.
    let err = desk
        .settle_review_as(
            "Awa Ndiaye",
            paid,
            ReviewOutcome::Success,
            "vu",
            MANAGER_PIN,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "operator_forbidden");
    assert_eq!(desk.review_count().await.unwrap(), 2, "nothing settled");
    assert!(!actions(&desk).await.contains(&"review_settled".to_owned()));

    let done = desk
        .settle_review(
            paid,
            ReviewOutcome::Success,
            "  Vu payé dans l'espace EasyTransfert, réf. ET-77  ",
            MANAGER_PIN,
        )
        .await
        .unwrap();
    assert_eq!(done.status, OperationStatus::Success);
    let failed = desk
        .settle_review(
            unpaid,
            ReviewOutcome::Failed,
            "Absent du relevé",
            MANAGER_PIN,
        )
        .await
        .unwrap();
    assert_eq!(failed.status, OperationStatus::Failed);
    assert_eq!(desk.review_count().await.unwrap(), 0);
    assert!(desk.review_list().await.unwrap().is_empty());

    // Settled once: a second settlement is refused.
    let again = desk
        .settle_review(paid, ReviewOutcome::Failed, "erreur", MANAGER_PIN)
        .await
        .unwrap_err();
    assert_eq!(again.code(), "ledger_illegal_transition");

    // The timeline names the manager and keeps the note.
    let last = desk.operation(paid).await.unwrap().events.pop().unwrap();
    assert_eq!(last.source, crate::ledger::EventSource::Manager);
    assert_eq!(last.actor.as_deref(), Some("Awa Ndiaye"));
    assert_eq!(
        last.note.as_deref(),
        Some("Vu payé dans l'espace EasyTransfert, réf. ET-77")
    );

    // The audit trail has both settlements, with id, outcome and note (no PIN).
    let settled: Vec<_> = Audit::new(desk.till().ledger())
        .list(&AuditQuery::default())
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "review_settled")
        .collect();
    assert_eq!(settled.len(), 2, "{settled:?}");
    assert_eq!(settled[0].actor, "Awa Ndiaye");
    assert_eq!(settled[0].details["operation_id"], paid.to_string());
    assert_eq!(settled[0].details["outcome"], "success");
    assert_eq!(
        settled[0].details["note"],
        "Vu payé dans l'espace EasyTransfert, réf. ET-77"
    );
    assert_eq!(settled[1].details["outcome"], "failed");
    let text = serde_json::to_string(&settled).unwrap();
    assert!(!text.contains(MANAGER_PIN), "{text}");
    assert_eq!(desk.audit_verify().await.unwrap().broken_at, None);

    // The receipts print the settled status, from the ledger.
    let receipt = desk
        .receipt(paid, crate::receipt::PaperWidth::Mm80, CopyKind::Customer)
        .await
        .unwrap()
        .to_text();
    assert!(receipt.contains("RÉUSSI"), "{receipt}");
    assert!(!receipt.contains("À VÉRIFIER"), "{receipt}");
    let receipt = desk
        .receipt(unpaid, crate::receipt::PaperWidth::Mm80, CopyKind::Customer)
        .await
        .unwrap()
        .to_text();
    assert!(receipt.contains("ÉCHOUÉ"), "{receipt}");
    assert!(!receipt.contains("À VÉRIFIER"), "{receipt}");
}

#[tokio::test]
async fn the_console_settles_a_review_for_a_named_manager_with_their_pin() {
    let (dir, desk, ops) = with_reviews(1).await;
    desk.close().await;

    let console = Desk::console(Till::open(dir.path()).await.unwrap(), "support");
    // Reading the queue needs no provider; settling needs the ledger's owner.
    assert_eq!(console.review_list().await.unwrap().len(), 1);
    let err = console
        .settle_review_as(
            "Awa Ndiaye",
            ops[0].id,
            ReviewOutcome::Success,
            "vu",
            MANAGER_PIN,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "providers_stopped");
    console
        .start(ProviderTarget::Training, StartOptions::default())
        .await
        .unwrap();
    for (name, pin, code) in [
        ("Moussa", CASHIER_PIN, "operator_forbidden"),
        ("Awa Ndiaye", "0000", "operator_wrong_pin"),
    ] {
        let err = console
            .settle_review_as(name, ops[0].id, ReviewOutcome::Success, "vu", pin)
            .await
            .unwrap_err();
        assert_eq!(err.code(), code, "{name}");
    }
    let done = console
        .settle_review_as(
            "Awa Ndiaye",
            ops[0].id,
            ReviewOutcome::Success,
            "vu au relevé",
            MANAGER_PIN,
        )
        .await
        .unwrap();
    assert_eq!(done.status, OperationStatus::Success);
    let entry = Audit::new(console.till().ledger())
        .list(&AuditQuery::default())
        .await
        .unwrap()
        .into_iter()
        .rfind(|e| e.action == "review_settled")
        .unwrap();
    assert_eq!(
        entry.actor, "Awa Ndiaye",
        "the manager named, not the console"
    );
    console.close().await;
}

/// The provider addresses as the till stores them.
async fn stored_urls(desk: &Desk) -> crate::setup::ProviderUrls {
    crate::settings::provider_urls(desk.till().ledger())
        .await
        .unwrap()
}

#[tokio::test]
async fn sensitive_changes_are_refused_without_the_pin_typed_again() {
    let (_dir, desk) = set_up().await;
    let t0 = Utc::now();
    let (now, clock) = test_clock(t0);
    let desk = desk.with_clock(clock);
    desk.login("Awa Ndiaye", MANAGER_PIN).await.unwrap();
    // Signing in is not the proof: the manager may have walked away since.
    let moussa = desk.operators_list().await.unwrap()[1].id;
    let sandbox_urls = crate::setup::ProviderUrls::sandbox("http://127.0.0.1:4000");
    let refused = [
        desk.create_operator("Binta", "4321", Role::Manager)
            .await
            .map(drop),
        desk.reset_pin(moussa, "9999").await.map(drop),
        desk.unlock_operator(moussa).await.map(drop),
        desk.set_provider_key("dexchange", "api_key", "k-123456".to_owned().into())
            .await
            .map(drop),
        desk.delete_provider_key("dexchange", "api_key")
            .await
            .map(drop),
        desk.save_settings(SettingsPatch {
            provider_urls: Some(sandbox_urls.clone()),
            ..Default::default()
        })
        .await
        .map(drop),
    ];
    for result in refused {
        let err = result.unwrap_err();
        assert_eq!(err.code(), "pin_required");
        assert!(
            err.message().fr.contains("code PIN"),
            "{}",
            err.message().fr
        );
    }
    let names: Vec<String> = desk
        .operators_list()
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.name)
        .collect();
    assert_eq!(names, ["Awa Ndiaye", "Moussa"], "nobody was added");
    assert_eq!(stored_urls(&desk).await, crate::setup::ProviderUrls::live());
    desk.login("Moussa", "9999").await.unwrap_err();
    desk.login("Awa Ndiaye", MANAGER_PIN).await.unwrap();

    // Kiosk on needs nothing more; kiosk off does.
    let on = SettingsPatch {
        kiosk: Some(true),
        ..Default::default()
    };
    assert!(desk.save_settings(on).await.unwrap().kiosk);
    let off = || SettingsPatch {
        kiosk: Some(false),
        ..Default::default()
    };
    let err = desk.save_settings(off()).await.unwrap_err();
    assert_eq!(err.code(), "pin_required");
    assert!(crate::settings::kiosk(desk.till().ledger()).await.unwrap());
    // Saving the same addresses again is no change.
    let same = SettingsPatch {
        provider_urls: Some(crate::setup::ProviderUrls::live()),
        kiosk: Some(true),
        ..Default::default()
    };
    desk.save_settings(same).await.unwrap();

    // A wrong PIN is no proof (and counts towards the lockout).
    let wrong = desk.confirm_pin("0000").await.unwrap_err();
    assert_eq!(wrong.code(), "operator_wrong_pin");
    assert_eq!(
        desk.save_settings(off()).await.unwrap_err().code(),
        "pin_required"
    );

    desk.confirm_pin(MANAGER_PIN).await.unwrap();
    assert!(!desk.save_settings(off()).await.unwrap().kiosk);
    let saved = desk
        .save_settings(SettingsPatch {
            provider_urls: Some(sandbox_urls.clone()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(saved.provider_urls, sandbox_urls);
    desk.create_operator("Binta", "4321", Role::Cashier)
        .await
        .unwrap();
    desk.reset_pin(moussa, "9999").await.unwrap();

    // The proof is short-lived…
    *now.lock().unwrap() = t0 + Span::seconds(PIN_PROOF_SECS + 1);
    let err = desk.unlock_operator(moussa).await.unwrap_err();
    assert_eq!(err.code(), "pin_required");
    // …and belongs to the session that typed it.
    desk.confirm_pin(MANAGER_PIN).await.unwrap();
    desk.logout(false).await.unwrap();
    desk.login("Awa Ndiaye", MANAGER_PIN).await.unwrap();
    let err = desk.unlock_operator(moussa).await.unwrap_err();
    assert_eq!(err.code(), "pin_required");

    // A cashier cannot make a proof at all.
    desk.login("Moussa", "9999").await.unwrap();
    let err = desk.confirm_pin("9999").await.unwrap_err();
    assert_eq!(err.code(), "operator_forbidden");
}

#[tokio::test]
async fn an_address_outside_the_documented_host_needs_the_manager_to_confirm_that_host() {
    let (_dir, desk) = set_up().await;
    desk.login("Awa Ndiaye", MANAGER_PIN).await.unwrap();
    desk.confirm_pin(MANAGER_PIN).await.unwrap();
    let mut urls = crate::setup::ProviderUrls::live();
    urls.dexchange = "https://api.dexchange.example.net/api/v1".into();
    let patch = |confirmed: Option<Vec<String>>| SettingsPatch {
        provider_urls: Some(urls.clone()),
        confirmed_hosts: confirmed,
        ..Default::default()
    };
    let err = desk.save_settings(patch(None)).await.unwrap_err();
    assert_eq!(err.code(), "provider_host_unconfirmed");
    assert_eq!(err.host(), Some("api.dexchange.example.net"));
    assert!(err.message().fr.contains("api.dexchange.example.net"));
    // Confirming another host is not confirming this one.
    let err = desk
        .save_settings(patch(Some(vec!["api.unipesa.tech".into()])))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "provider_host_unconfirmed");
    assert_eq!(stored_urls(&desk).await, crate::setup::ProviderUrls::live());

    let saved = desk
        .save_settings(patch(Some(vec!["api.dexchange.example.net".into()])))
        .await
        .unwrap();
    assert_eq!(saved.provider_urls, urls);
    assert_eq!(
        crate::settings::confirmed_hosts(desk.till().ledger())
            .await
            .unwrap(),
        ["api.dexchange.example.net"]
    );
    let trail = Audit::new(desk.till().ledger())
        .list(&AuditQuery::default())
        .await
        .unwrap();
    assert!(trail.iter().any(|e| e.action == "setting_changed"
        && e.details["setting"] == "confirmed_hosts"
        && e.details["new"]
            .as_str()
            .is_some_and(|v| v.contains("api.dexchange.example.net"))));
}

#[tokio::test]
async fn check_connection_sends_nothing_to_an_unconfirmed_host() {
    let (_dir, desk) = set_up().await;
    desk.login("Awa Ndiaye", MANAGER_PIN).await.unwrap();
    // An address stored without the warning (an older till, a hand-edited ledger): a listener
    // on another loopback address stands for the foreign host.
    let listener = std::net::TcpListener::bind("127.0.0.2:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut urls = crate::setup::ProviderUrls::live();
    urls.dexchange = format!("https://127.0.0.2:{port}/api/v1");
    crate::settings::set(
        desk.till().ledger(),
        "test",
        Utc::now(),
        crate::settings::keys::PROVIDER_URLS,
        &serde_json::to_string(&urls).unwrap(),
    )
    .await
    .unwrap();
    let err = desk
        .check_connection(crate::catalog::Provider::Dexchange)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "provider_host_unconfirmed");
    assert_eq!(err.host(), Some("127.0.0.2"));
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(listener.accept().is_err(), "no connection was made");
}

#[tokio::test]
async fn the_app_shows_one_version_on_screen_on_receipts_and_in_the_trail() {
    let dir = tempfile::tempdir().unwrap();
    let desk = open_app(dir.path(), "guichet-version-test").await.unwrap();
    desk.first_run(shop()).await.unwrap();
    assert_eq!(desk.app_info().await.unwrap().version, crate::VERSION);

    let op = desk.submit(airtime("77 123 45 67")).await.unwrap();
    let receipt = desk
        .receipt(op.id, crate::receipt::PaperWidth::Mm80, CopyKind::Customer)
        .await
        .unwrap()
        .to_text();
    let footer = format!("Guichet {}", crate::VERSION);
    assert!(
        receipt.lines().any(|l| l.trim() == footer),
        "the receipt names the version that recorded it:\n{receipt}"
    );

    let started = Audit::new(desk.till().ledger())
        .list(&AuditQuery {
            action: Some("app_started".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(started.len(), 1, "one entry per start of the app");
    assert_eq!(started[0].details["version"], crate::VERSION);
    assert_eq!(started[0].actor, "system");
    desk.close().await;
}

#[tokio::test]
async fn the_customer_display_is_fed_only_what_the_customer_sees() {
    let (_dir, desk) = set_up().await;
    assert_eq!(
        desk.customer_feed().await.err().map(|e| e.code()),
        Some("not_signed_in")
    );
    desk.login("Moussa", CASHIER_PIN).await.unwrap();
    let mut till = desk.operation_feed().await.unwrap();
    let mut empty = desk.customer_feed().await.unwrap();
    assert_eq!(empty.current, None, "nothing under way yet");

    // A payment link waits for the customer: the display opened now shows it at once.
    let mut link = SubmitRequest::new(OperationRequest {
        service_code: "DEXCHANGE_PAYMENT_LINK".into(),
        kind: Kind::PaymentLink,
        amount: Money::new(15000, Currency::Xof),
        phone: None,
        otp: None,
        extras: Default::default(),
    });
    link.item_name = Some("Sac de riz 25 kg".into());
    let op = desk.submit(link).await.unwrap();
    let feed = desk.customer_feed().await.unwrap();
    let shown = feed.current.clone().expect("the link under way");
    assert_eq!(shown.id, op.id);
    assert_eq!(shown.item_name.as_deref(), Some("Sac de riz 25 kg"));
    assert!(shown
        .customer_url
        .as_deref()
        .unwrap_or("")
        .starts_with("http"));
    assert_eq!(shown.customer_ref, "", "a link has no customer number");

    // Every change reaches both feeds; the customer's carries none of the till's facts.
    let whole = till.next().await.expect("the till hears the link");
    assert_eq!(whole.id, op.id);
    let view = empty.next().await.expect("the display hears the link");
    assert_eq!(view.id, op.id);
    let sold = desk.submit(airtime("77 123 45 67")).await.unwrap();
    let view = loop {
        let view = empty.next().await.expect("the display hears the airtime");
        if view.id == sold.id {
            break view;
        }
    };
    assert_eq!(
        view.customer_ref, "+221 77 123 45 67",
        "the phone as people write it"
    );
    let json = serde_json::to_value(&view).unwrap();
    let mut keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "amount_minor",
            "currency",
            "customer_ref",
            "customer_url",
            "fee_minor",
            "id",
            "item_name",
            "kind",
            "refunded",
            "status",
            "token",
            "training",
            "updated_at"
        ]
    );
    let text = json.to_string();
    for private in [
        &sold.idempotency_key,
        &sold.operator_name,
        "ORANGE_SN_AIRTIME",
    ] {
        assert!(
            !text.contains(private),
            "{private} reached the display: {text}"
        );
    }
    drop(feed);
}
