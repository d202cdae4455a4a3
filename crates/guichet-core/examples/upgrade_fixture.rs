//! Writes the upgrade fixture: a ledger made by this version, with every kind of operation in
//! every status, their events, prints and reprints, operators, settings and audit entries, plus
//! the text of every receipt as this version prints it. Every later version must open that file
//! with nothing lost and reprint the same receipts (`tests/upgrade.rs`).
//!
//! Run by `scripts/make-upgrade-fixture.sh` (once per schema version; the files are committed):
//! `cargo run -p guichet-core --example upgrade_fixture -- tests/fixtures`
//! writes `ledger-<version>-schema<N>.sqlite` and `ledger-<version>-schema<N>.receipts.txt`.

use std::path::PathBuf;
use std::time::Duration;

use guichet_core::audit::{Audit, AuditAction};
use guichet_core::catalog::{Kind, OperationRequest};
use guichet_core::desk::{Desk, FirstRun, ReviewOutcome};
use guichet_core::engine::{detail_keys, SubmitRequest};
use guichet_core::ledger::{
    Details, EventInput, EventSource, HistoryQuery, Ledger, NewOperation, Operation,
    OperationStatus,
};
use guichet_core::money::{Currency, Money};
use guichet_core::operators::Role;
use guichet_core::printer::PrinterConfig;
use guichet_core::providers::ProviderTarget;
use guichet_core::receipt::{CopyKind, PaperWidth};
use guichet_core::secrets::Backend;
use guichet_core::settings::SettingsPatch;
use guichet_core::text::Language;
use serde_json::{json, Value};
use OperationStatus::*;

const MANAGER: &str = "Awa Ndiaye";
const MANAGER_PIN: &str = "2580";
const CASHIER: &str = "Moussa Diop";
const CASHIER_PIN: &str = "1357";

/// The receipts kept for every operation: the roll and copy of each.
/// (58 mm customer: what the fixture's printer prints.)
const RECEIPTS: [(PaperWidth, CopyKind); 2] = [
    (PaperWidth::Mm58, CopyKind::Customer),
    (PaperWidth::Mm80, CopyKind::Merchant),
];

/// One operation written straight to the ledger, as the engine would have left it.
struct Planned {
    provider: &'static str,
    service_code: &'static str,
    service_fr: &'static str,
    service_en: &'static str,
    kind: &'static str,
    customer_ref: &'static str,
    amount: i64,
    path: &'static [OperationStatus],
    training: bool,
}

const fn plan(
    (provider, service_code, service_fr, service_en): (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
    ),
    kind: &'static str,
    customer_ref: &'static str,
    amount: i64,
    path: &'static [OperationStatus],
) -> Planned {
    Planned {
        provider,
        service_code,
        service_fr,
        service_en,
        kind,
        customer_ref,
        amount,
        path,
        training: false,
    }
}

const SENELEC: (&str, &str, &str, &str) = (
    "dexchange",
    "SENELEC_SN_BILL",
    "Facture Senelec",
    "Senelec bill",
);
const WOYOFAL: (&str, &str, &str, &str) = (
    "dexchange",
    "WOYOFAL_SN_BILL",
    "Recharge Woyofal",
    "Woyofal top-up",
);
const ORANGE: (&str, &str, &str, &str) = (
    "dexchange",
    "ORANGE_SN_AIRTIME",
    "Crédit Orange",
    "Orange airtime",
);
const WAVE_OUT: (&str, &str, &str, &str) = (
    "dexchange",
    "WAVE_SN_CASHOUT",
    "Wave Sénégal : retrait",
    "Wave Senegal: cash-out",
);
const WAVE_IN: (&str, &str, &str, &str) = (
    "dexchange",
    "WAVE_SN_CASHIN",
    "Wave Sénégal : dépôt",
    "Wave Senegal: cash-in",
);
const LINK: (&str, &str, &str, &str) = (
    "dexchange",
    "DEXCHANGE_PAYMENT_LINK",
    "Lien de paiement",
    "Payment link",
);
const MTN_CI: (&str, &str, &str, &str) = (
    "easytransfert",
    "EASYTRANSFERT_24",
    "MTN Mobile Money Côte d'Ivoire : dépôt",
    "MTN Mobile Money Côte d'Ivoire: cash-in",
);

/// Every kind in every status the ledger knows (live operations: the training reconciler never
/// touches them, and the fixture is made without one).
fn plans() -> Vec<Planned> {
    vec![
        plan(SENELEC, "bill", "012345678901", 12_500, &[Sent, Success]),
        plan(SENELEC, "bill", "012345678902", 8_750, &[Sent, Failed]),
        plan(SENELEC, "bill", "012345678903", 31_200, &[Sent, Pending]),
        plan(WOYOFAL, "prepaid", "14234567890", 5_000, &[Sent, Success]),
        plan(WOYOFAL, "prepaid", "14234567891", 10_000, &[Sent, Unknown]),
        plan(
            WOYOFAL,
            "prepaid",
            "14234567892",
            2_000,
            &[Sent, Processing],
        ),
        plan(ORANGE, "airtime", "+221771234567", 1_000, &[Sent, Success]),
        plan(ORANGE, "airtime", "+221771234568", 500, &[]),
        plan(ORANGE, "airtime", "+221771234569", 2_000, &[Sent]),
        plan(ORANGE, "airtime", "+221771234560", 1_500, &[Cancelled]),
        plan(
            WAVE_OUT,
            "collection",
            "+221781234567",
            25_000,
            &[Sent, Pending, Success],
        ),
        plan(
            WAVE_OUT,
            "collection",
            "+221781234568",
            15_000,
            &[Sent, Pending, Expired],
        ),
        plan(
            WAVE_OUT,
            "collection",
            "+221781234569",
            7_500,
            &[Sent, Unknown, NeedsReview],
        ),
        plan(
            WAVE_IN,
            "disbursement",
            "+221761234567",
            40_000,
            &[Sent, Success],
        ),
        plan(
            WAVE_IN,
            "disbursement",
            "+221761234568",
            20_000,
            &[Sent, Processing, Cancelled],
        ),
        plan(
            MTN_CI,
            "disbursement",
            "+2250501234567",
            10_000,
            &[Sent, NeedsReview, Failed],
        ),
        plan(
            LINK,
            "payment_link",
            "Tissu wax 6 yards",
            18_000,
            &[Sent, Pending, Success],
        ),
        plan(
            LINK,
            "payment_link",
            "+221771112233",
            9_000,
            &[Sent, Pending, Expired],
        ),
    ]
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: upgrade_fixture <output folder>")?,
    );
    std::fs::create_dir_all(&out)?;
    let work = tempfile::tempdir()?;
    // As the app opens it (its `app_started` entry), training on the embedded sandbox: the
    // reconciler never touches the live operations below, which stay as written.
    let desk = Desk::open_app(
        work.path(),
        ProviderTarget::Training,
        Backend::Keyutils,
        "guichet-upgrade-fixture",
    )
    .await?;

    staff_and_settings(&desk).await?;
    let engine_made = engine_operations(&desk).await?;
    let ledger = desk.till().ledger().clone();
    let mut ids = engine_made;
    for p in plans() {
        ids.push(write_planned(&ledger, &p).await?.id);
    }
    prints_and_reviews(&desk, &ids).await?;
    trail_entries(&desk).await?;

    let schema = ledger.schema_version().await?;
    let stem = format!("ledger-{}-schema{schema}", guichet_core::VERSION);
    let receipts = receipts_text(&desk, &ledger).await?;
    let db = out.join(format!("{stem}.sqlite"));
    if db.exists() {
        std::fs::remove_file(&db)?;
    }
    ledger.backup_to(&db).await?;
    std::fs::write(out.join(format!("{stem}.receipts.txt")), receipts)?;
    desk.close().await;
    println!("{}", db.display());
    Ok(())
}

/// The manager from the first run, a cashier, every kind of setting.
async fn staff_and_settings(desk: &Desk) -> Result<(), Box<dyn std::error::Error>> {
    desk.first_run(FirstRun {
        shop_name: "Boutique Ndèye Fatou".into(),
        shop_address: "Rue 10 x Blaise Diagne, Médina, Dakar".into(),
        receipt_header: "Tél. 33 821 00 00\nNINEA 0123456789".into(),
        manager_name: MANAGER.into(),
        pin: MANAGER_PIN.to_owned().into(),
    })
    .await?;
    desk.create_operator(CASHIER, CASHIER_PIN, Role::Cashier)
        .await?;
    desk.save_settings(SettingsPatch {
        idle_timeout_secs: Some(600),
        kiosk: Some(true),
        disabled_services: Some(vec!["FREE_SN_AIRTIME".into()]),
        ..SettingsPatch::default()
    })
    .await?;
    let printer: PrinterConfig =
        serde_json::from_value(json!({"connection": {"type": "system"}, "width": "58mm"}))?;
    desk.save_printer(Some(printer)).await?;
    desk.set_language(Language::Fr).await?;
    Ok(())
}

/// Operations the engine itself wrote, through the training sandbox (its own details).
async fn engine_operations(desk: &Desk) -> Result<Vec<uuid::Uuid>, Box<dyn std::error::Error>> {
    let request = OperationRequest {
        service_code: "ORANGE_SN_AIRTIME".into(),
        kind: Kind::Airtime,
        amount: Money::new(2_500, Currency::Xof),
        phone: Some("77 123 45 67".into()),
        otp: None,
        extras: Default::default(),
    };
    let op = desk.submit(SubmitRequest::new(request)).await?;
    let op = desk.wait_settled(op.id, Duration::from_secs(30)).await?;
    if op.status != Success {
        return Err(format!("the training airtime ended {:?}", op.status).into());
    }
    Ok(vec![op.id])
}

/// Writes one planned operation and walks it along its statuses, as the engine records them.
async fn write_planned(
    ledger: &Ledger,
    p: &Planned,
) -> Result<Operation, Box<dyn std::error::Error>> {
    let mut details = Details::new();
    details.insert(
        detail_keys::APP_VERSION.into(),
        json!(guichet_core::VERSION),
    );
    details.insert(detail_keys::NATIVE_ID.into(), json!(p.service_code));
    details.insert(
        detail_keys::SERVICE_NAME.into(),
        json!({"fr": p.service_fr, "en": p.service_en}),
    );
    let (country, currency) = if p.customer_ref.starts_with("+225") {
        ("CI", "XOF")
    } else {
        ("SN", "XOF")
    };
    match p.kind {
        "airtime" => {
            details.insert(detail_keys::COMMISSION_MINOR.into(), json!(p.amount / 100));
        }
        "payment_link" => {
            details.insert(detail_keys::ITEM_NAME.into(), json!("Tissu wax 6 yards"));
        }
        "bill" => {
            details.insert("customer_name".into(), json!("Mamadou Sall"));
        }
        _ => {}
    }
    let op = ledger
        .insert_operation(NewOperation {
            idempotency_key: guichet_core::ledger::new_idempotency_key(),
            provider: p.provider.into(),
            service_code: p.service_code.into(),
            kind: p.kind.into(),
            country: country.into(),
            currency: currency.into(),
            amount_minor: p.amount,
            fee_minor: None,
            customer_ref: p.customer_ref.into(),
            invoice_ref: (p.kind == "bill")
                .then(|| format!("FAC-2026-11-{}", &p.customer_ref[9..])),
            operator_name: CASHIER.into(),
            training: p.training,
            details,
        })
        .await?;
    let provider_ref = format!("DX-TRX-{}", &op.idempotency_key[1..13]);
    let mut current = op;
    for (i, next) in p.path.iter().enumerate() {
        let mut input = EventInput::new(match next {
            Sent => EventSource::Engine,
            Unknown | NeedsReview => EventSource::Reconciler,
            Cancelled if i == 0 => EventSource::Cashier,
            _ => EventSource::Provider,
        });
        if *next != Sent && !(*next == Cancelled && i == 0) {
            input = input.raw(json!({"status": format!("{next:?}").to_uppercase(), "transactionId": provider_ref}));
        }
        if matches!(next, Pending | Processing | Success) && current.provider_ref.is_none() {
            input = input.provider_ref(provider_ref.clone()).fee_minor(100);
        }
        match (*next, p.kind) {
            (Success, "prepaid") => input = input.token("12345678901234567890"),
            (Pending, "payment_link") => {
                input = input.detail(
                    detail_keys::CUSTOMER_URL,
                    json!(format!(
                        "https://pay.example.test/{}",
                        current.idempotency_key
                    )),
                );
            }
            (Failed, _) => {
                input = input.detail(
                    detail_keys::ERROR,
                    json!({"code": "provider_refused", "fr": "Refusé par le fournisseur.", "en": "Refused by the provider."}),
                );
            }
            (NeedsReview, _) => {
                input = input.detail(detail_keys::REVIEW_REASON, json!("unknown_after_retries"));
            }
            (Cancelled, _) if i == 0 => {
                input = input.actor(CASHIER).note("cancelled before sending")
            }
            _ => {}
        }
        current = ledger.transition(current.id, *next, input).await?;
    }
    Ok(current)
}

/// Originals and reprints (DUPLICATA) of some receipts; a review settled by the manager.
async fn prints_and_reviews(
    desk: &Desk,
    ids: &[uuid::Uuid],
) -> Result<(), Box<dyn std::error::Error>> {
    for (i, id) in ids.iter().enumerate() {
        let times = [1, 2, 0, 3][i % 4];
        for _ in 0..times {
            desk.print_receipt(*id, CopyKind::Customer).await?;
        }
    }
    // A training operation under review, settled by the manager with a note.
    let request = OperationRequest {
        service_code: "ORANGE_SN_AIRTIME".into(),
        kind: Kind::Airtime,
        amount: Money::new(3_000, Currency::Xof),
        phone: Some("77 987 65 43".into()),
        otp: None,
        extras: Default::default(),
    };
    let op = desk.submit(SubmitRequest::new(request)).await?;
    let op = desk.wait_settled(op.id, Duration::from_secs(30)).await?;
    // The sandbox settles it at once: a second training one goes to review by hand.
    let ledger = desk.till().ledger();
    let review = write_planned(
        ledger,
        &Planned {
            training: true,
            ..plan(
                ORANGE,
                "airtime",
                "+221779876543",
                3_000,
                &[Sent, Unknown, NeedsReview],
            )
        },
    )
    .await?;
    desk.settle_review(
        review.id,
        ReviewOutcome::Success,
        "Vu dans le relevé DEXCHANGE du jour",
        MANAGER_PIN,
    )
    .await?;
    desk.print_receipt(op.id, CopyKind::Merchant).await?;
    Ok(())
}

/// Logins, a lockout and its unlock, a PIN reset, key and mode entries, the kiosk's exit.
async fn trail_entries(desk: &Desk) -> Result<(), Box<dyn std::error::Error>> {
    desk.logout(false).await?;
    for _ in 0..guichet_core::operators::MAX_FAILED_ATTEMPTS {
        let _refused = desk.login(CASHIER, "0000").await;
    }
    desk.login(MANAGER, MANAGER_PIN).await?;
    let cashier = desk
        .operators_list()
        .await?
        .into_iter()
        .find(|o| o.name == CASHIER)
        .ok_or("no cashier")?;
    desk.unlock_operator(cashier.id).await?;
    desk.reset_pin(cashier.id, CASHIER_PIN).await?;
    // Keys and modes need a keyring: their entries as the desk writes them (never the key).
    let audit = Audit::new(desk.till().ledger());
    audit
        .append(
            MANAGER,
            AuditAction::KeyChanged,
            json!({"provider": "dexchange", "field": "api_key"}),
        )
        .await?;
    audit
        .append(
            MANAGER,
            AuditAction::ModeSwitched,
            json!({"from": "training", "to": "live"}),
        )
        .await?;
    audit
        .append(
            MANAGER,
            AuditAction::ModeSwitched,
            json!({"from": "live", "to": "training"}),
        )
        .await?;
    audit
        .append(
            MANAGER,
            AuditAction::KeyDeleted,
            json!({"provider": "dexchange", "field": "api_key"}),
        )
        .await?;
    desk.kiosk_exit(MANAGER, MANAGER_PIN).await?;
    desk.logout(false).await?;
    desk.login(CASHIER, CASHIER_PIN).await?;
    desk.change_own_pin(CASHIER_PIN, "8642").await?;
    desk.change_own_pin("8642", CASHIER_PIN).await?;
    desk.logout(false).await?;
    Ok(())
}

/// Every operation's receipts as the next print would be, in one file: a `==== <id> <width>
/// <copy>` line, then the receipt's text.
async fn receipts_text(desk: &Desk, ledger: &Ledger) -> Result<String, Box<dyn std::error::Error>> {
    desk.login(MANAGER, MANAGER_PIN).await?;
    let mut ops = ledger
        .search(&HistoryQuery {
            limit: Some(1000),
            ..HistoryQuery::default()
        })
        .await?;
    ops.sort_by_key(|o| o.id);
    let mut text = String::new();
    for op in &ops {
        for (width, copy) in RECEIPTS {
            let receipt = desk.receipt(op.id, width, copy).await?;
            text.push_str(&format!(
                "==== {} {} {}\n",
                op.id,
                width_name(width),
                copy_name(copy)
            ));
            text.push_str(&receipt.to_text());
        }
    }
    desk.logout(false).await?;
    Ok(text)
}

fn width_name(width: PaperWidth) -> String {
    serde_json::to_value(width)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn copy_name(copy: CopyKind) -> String {
    match serde_json::to_value(copy) {
        Ok(Value::String(s)) => s,
        _ => String::new(),
    }
}
