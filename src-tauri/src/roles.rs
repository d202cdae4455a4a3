//! Role checks on every command: `commands.json` lists each registered command with who may call
//! it, and each one is called here — through the same `Desk` method the command delegates to —
//! by nobody, a cashier and a manager, on a real ledger file. The real window repeats the check
//! over IPC (tests/window/roles.test.mjs).

use std::collections::BTreeMap;

use guichet_core::app_info::Mode;
use guichet_core::audit::AuditQuery;
use guichet_core::catalog::{Kind, OperationRequest, Provider};
use guichet_core::day::{Counted, Direction};
use guichet_core::desk::{Desk, FirstRun, ReviewOutcome};
use guichet_core::engine::SubmitRequest;
use guichet_core::ledger::HistoryQuery;
use guichet_core::money::{Currency, Money};
use guichet_core::operators::Role;
use guichet_core::providers::{ProviderTarget, StartOptions};
use guichet_core::receipt::{CopyKind, PaperWidth};
use guichet_core::secrets::Backend;
use guichet_core::settings::SettingsPatch;
use guichet_core::text::Language;
use guichet_core::till::{Till, TillError};
use secrecy::SecretString;
use uuid::Uuid;

const MANAGER_PIN: &str = "2468";
const CASHIER_PIN: &str = "1357";

/// `commands.json`: command name → `anyone` | `operator` | `manager`.
fn listed() -> BTreeMap<String, String> {
    let mut map: BTreeMap<String, String> =
        serde_json::from_str(include_str!("../commands.json")).expect("commands.json parses");
    map.remove("_doc");
    map
}

/// The commands main.rs registers with `generate_handler!`.
fn registered() -> Vec<String> {
    let main = include_str!("main.rs");
    let start = main
        .find("generate_handler![")
        .expect("generate_handler in main.rs");
    let end = start + main[start..].find(']').expect("end of generate_handler");
    main[start..end]
        .split("commands::")
        .skip(1)
        .map(|s| s.trim_end_matches(|c: char| c == ',' || c.is_whitespace()))
        .map(str::to_owned)
        .collect()
}

/// Calls the `Desk` method behind command `name` with harmless arguments; only the error code
/// matters (`None` for success).
async fn call(desk: &Desk, name: &str) -> Option<String> {
    let missing = Uuid::nil();
    let result: Result<(), TillError> = match name {
        "app_info" => desk.app_info().await.map(drop),
        "set_language" => desk.set_language(Language::Fr).await.map(drop),
        "first_run" => desk
            .first_run(FirstRun {
                shop_name: "X".into(),
                shop_address: String::new(),
                receipt_header: String::new(),
                manager_name: "Intrus".into(),
                pin: SecretString::from("1111".to_owned()),
            })
            .await
            .map(drop),
        "login_names" => desk.login_names().await.map(drop),
        "login" => desk.login("Personne", "0000").await.map(drop),
        "logout" => Ok(()), // run last by the test: it would end the session under test
        "kiosk_exit" => desk.kiosk_exit("Awa", "0000").await,
        "keep_alive" => desk.keep_alive().await,
        "change_own_pin" => desk.change_own_pin("0000", "1234").await,
        "services" => desk.services().await.map(drop),
        "bill_inquiry" => desk.bill_inquiry("NOPE", "1").await.map(drop),
        "submit" => desk
            .submit(SubmitRequest::new(OperationRequest {
                service_code: "NOPE".into(),
                kind: Kind::Airtime,
                amount: Money::new(1000, Currency::Xof),
                phone: Some("771234567".into()),
                otp: None,
                extras: Default::default(),
            }))
            .await
            .map(drop),
        "confirm_otp" => desk.confirm_otp(missing, "1234").await.map(drop),
        "operation" => desk.operation(missing).await.map(drop),
        "history" => desk.history(&HistoryQuery::default()).await.map(drop),
        "in_progress" => desk.in_progress().await.map(drop),
        "follow_operations" => desk.operation_feed().await.map(drop),
        "follow_customer_view" => desk.customer_feed().await.map(drop),
        "receipt" => desk
            .receipt(missing, PaperWidth::Mm80, CopyKind::Customer)
            .await
            .map(drop),
        "print_receipt" => desk
            .print_receipt(missing, CopyKind::Customer)
            .await
            .map(drop),
        "qr_svg" => desk.qr_svg("https://pay.example/x").await.map(drop),
        "open_customer_display" => desk.customer_display().await,
        "settings" => desk.settings().await.map(drop),
        "save_settings" => desk.save_settings(SettingsPatch::default()).await.map(drop),
        "save_printer" => desk.save_printer(None).await.map(drop),
        "all_services" => desk.all_services().await.map(drop),
        "account_services" => desk.account_services().await.map(drop),
        "refresh_account_services" => desk.refresh_account_services().await.map(drop),
        "provider_keys" => desk.provider_keys().await.map(drop),
        // An unknown key: refused by the keyring module before any store is written.
        "set_provider_key" => desk
            .set_provider_key("nope", "api_key", SecretString::from("x".to_owned()))
            .await
            .map(drop),
        "delete_provider_key" => desk.delete_provider_key("nope", "api_key").await.map(drop),
        "check_connection" => desk.check_connection(Provider::Dexchange).await.map(drop),
        "provider_status" => desk.provider_status().await.map(drop),
        "operators" => desk.operators_list().await.map(drop),
        "create_operator" => desk
            .create_operator("Binta", "4321", Role::Cashier)
            .await
            .map(drop),
        "reset_pin" => desk.reset_pin(999, "4321").await.map(drop),
        "unlock_operator" => desk.unlock_operator(999).await.map(drop),
        "set_mode" => desk.set_mode(Mode::Live, "0000").await.map(drop),
        "confirm_pin" => desk.confirm_pin("0000").await,
        "audit_log" => desk.audit_log(&AuditQuery::default()).await.map(drop),
        "audit_verify" => desk.audit_verify().await.map(drop),
        "audit_export" => desk.audit_export().await.map(drop),
        "review_list" => desk.review_list().await.map(drop),
        "review_count" => desk.review_count().await.map(drop),
        "settle_review" => desk
            .settle_review(missing, ReviewOutcome::Success, "vu", "0000")
            .await
            .map(drop),
        "current_shift" => desk.current_shift().await.map(drop),
        // No shift is open at this point of the test: each call is refused past its role check.
        "open_shift" => desk
            .open_shift(Counted::Total { amount_minor: -1 })
            .await
            .map(drop),
        "cash_movement" => desk.cash_movement(Direction::In, 0, "x").await.map(drop),
        "close_shift" => desk
            .close_shift(999, Counted::Total { amount_minor: 0 }, None)
            .await
            .map(drop),
        "x_report" => desk.x_report(Some(999)).await.map(drop),
        "z_report" => desk.z_report(Some(999)).await.map(drop),
        "day_report" => desk
            .day_report(chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("a date"))
            .await
            .map(drop),
        "report_text" | "print_report" | "save_report_pdf" => {
            // Any report: an empty day's.
            let empty = guichet_core::day::ShiftReport::sum(
                chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("a date"),
                &[],
                chrono::Utc::now(),
            );
            match name {
                "report_text" => desk
                    .report_receipt(&empty, PaperWidth::Mm58)
                    .await
                    .map(drop),
                "save_report_pdf" => desk.report_pdf(&empty).await.map(drop),
                _ => desk.print_report(&empty).await.map(drop),
            }
        }
        "float_status" => desk.float_status().await.map(drop),
        "read_floats" => desk.read_floats().await.map(drop),
        "day_settings" => desk.day_settings().await.map(drop),
        "save_day_settings" => desk
            .save_day_settings(guichet_core::desk::DaySettings {
                shift_required: false,
                float_thresholds: BTreeMap::from([("nope".to_owned(), 1)]),
            })
            .await
            .map(drop),
        other => panic!("command {other} has no role check in roles.rs: add it"),
    };
    result.err().map(|e| e.code().to_owned())
}

const DENIED: [&str; 3] = ["not_signed_in", "session_locked", "operator_forbidden"];

#[test]
fn commands_json_lists_every_registered_command() {
    let mut registered = registered();
    registered.sort();
    let names: Vec<String> = listed().into_keys().collect();
    assert_eq!(registered, names);
    assert!(listed()
        .values()
        .all(|p| ["anyone", "operator", "manager"].contains(&p.as_str())));
}

#[tokio::test]
async fn every_command_checks_who_calls_it() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::new(Till::open(dir.path()).await.unwrap());
    desk.start(ProviderTarget::Training, StartOptions::default())
        .await
        .unwrap();
    // Never a real till's keys: a service of its own on the kernel store (which may refuse: a
    // refusal is not a role check and passes as "allowed").
    desk.set_keyring(Backend::Keyutils, "sn.guichet.pos.test-roles");
    desk.first_run(FirstRun {
        shop_name: "Boutique Awa".into(),
        shop_address: String::new(),
        receipt_header: String::new(),
        manager_name: "Awa".into(),
        pin: SecretString::from(MANAGER_PIN.to_owned()),
    })
    .await
    .unwrap();
    desk.confirm_pin(MANAGER_PIN).await.unwrap();
    desk.create_operator("Moussa", CASHIER_PIN, Role::Cashier)
        .await
        .unwrap();
    let commands = listed();

    for (who, pin) in [
        (None, ""),
        (Some("Moussa"), CASHIER_PIN),
        (Some("Awa"), MANAGER_PIN),
    ] {
        for (name, permission) in &commands {
            desk.logout(false).await.unwrap();
            if let Some(who) = who {
                desk.login(who, pin).await.unwrap();
            }
            let code = call(&desk, name).await;
            let denied = code.as_deref().is_some_and(|c| DENIED.contains(&c));
            let allowed = match (who, permission.as_str()) {
                (_, "anyone") => true,
                (None, _) => false,
                (Some("Moussa"), "manager") => false,
                (Some(_), _) => true,
            };
            assert_eq!(
                !denied,
                allowed,
                "{name} ({permission}) called by {} answered {code:?}",
                who.unwrap_or("nobody")
            );
            if !allowed {
                let expected = if who.is_none() {
                    "not_signed_in"
                } else {
                    "operator_forbidden"
                };
                assert_eq!(code.as_deref(), Some(expected), "{name} by {who:?}");
            }
        }
    }
}
