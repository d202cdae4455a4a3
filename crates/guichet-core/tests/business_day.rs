//! The business day through the Desk, on a real ledger file and the embedded training sandbox:
//! the cash table on stored operations of every kind × status, shifts by two cashiers summed by
//! the day report, a Z report equal to the ledger's own totals, a shift that stays open over a
//! reopen of the till, two opens at once, and selling refused without a shift when required.

use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;

use guichet_core::catalog::{Kind, OperationRequest};
use guichet_core::day::{cash_effect, Approval, CashCount, CashEffect, Counted, Direction};
use guichet_core::desk::{DaySettings, Desk, FirstRun};
use guichet_core::engine::{kind_name, SubmitRequest};
use guichet_core::ledger::{
    EventInput, EventSource, HistoryQuery, NewOperation, Operation, OperationStatus,
};
use guichet_core::money::{Currency, Money};
use guichet_core::operators::Role;
use guichet_core::providers::{ProviderTarget, StartOptions};
use guichet_core::receipt::PaperWidth;
use guichet_core::till::Till;

const MANAGER: &str = "Awa Ndiaye";
const MANAGER_PIN: &str = "2580";
const CASHIER_PIN: &str = "1357";

async fn training_desk(dir: &std::path::Path) -> Desk {
    let desk = Desk::new(Till::open(dir).await.unwrap());
    desk.start(ProviderTarget::Training, StartOptions::default())
        .await
        .unwrap();
    desk
}

/// A training till with its manager signed in and two cashiers, Moussa and Fatou.
async fn set_up() -> (tempfile::TempDir, Desk) {
    let dir = tempfile::tempdir().unwrap();
    let desk = training_desk(dir.path()).await;
    desk.first_run(FirstRun {
        shop_name: "Boutique Awa".into(),
        shop_address: "Médina, Dakar".into(),
        receipt_header: String::new(),
        manager_name: MANAGER.into(),
        pin: MANAGER_PIN.to_owned().into(),
    })
    .await
    .unwrap();
    // Adding operators is a sensitive change: the manager types the PIN again.
    desk.confirm_pin(MANAGER_PIN).await.unwrap();
    for name in ["Moussa", "Fatou"] {
        desk.create_operator(name, CASHIER_PIN, Role::Cashier)
            .await
            .unwrap();
    }
    (dir, desk)
}

fn request(code: &str, kind: Kind, amount: i64, phone: &str) -> SubmitRequest {
    SubmitRequest::new(OperationRequest {
        service_code: code.into(),
        kind,
        amount: Money::new(amount, Currency::Xof),
        phone: Some(phone.into()),
        otp: None,
        extras: Default::default(),
    })
}

fn airtime(amount: i64) -> SubmitRequest {
    request("ORANGE_SN_AIRTIME", Kind::Airtime, amount, "77 123 45 67")
}

fn cash_in(amount: i64, phone: &str) -> SubmitRequest {
    request("EASYTRANSFERT_20", Kind::Disbursement, amount, phone)
}

/// Sells and waits for the outcome.
async fn sell(desk: &Desk, req: SubmitRequest) -> Operation {
    let op = desk.submit(req).await.unwrap();
    desk.wait_settled(op.id, Duration::from_secs(20))
        .await
        .unwrap()
}

fn total(amount: i64) -> Counted {
    Counted::Total {
        amount_minor: amount,
    }
}

/// What the ledger itself says about `ops`: successful count and amount, and the cash they put
/// in and took out by the documented table (amount + fee in, amount out).
fn ledger_totals(ops: &[Operation]) -> (i64, i64, i64, i64) {
    let ok: Vec<&Operation> = ops
        .iter()
        .filter(|o| o.status == OperationStatus::Success)
        .collect();
    let cash_in = ok
        .iter()
        .filter(|o| o.kind != "collection" && o.kind != "payment_link")
        .map(|o| o.amount_minor + o.fee_minor.unwrap_or(0))
        .sum();
    let cash_out = ok
        .iter()
        .filter(|o| o.kind == "collection")
        .map(|o| o.amount_minor)
        .sum();
    (
        ok.len() as i64,
        ok.iter().map(|o| o.amount_minor).sum(),
        cash_in,
        cash_out,
    )
}

/// The shortest legal path of statuses from `prepared` to `target`.
fn path_to(target: OperationStatus) -> Vec<OperationStatus> {
    let mut queue = VecDeque::from([vec![OperationStatus::Prepared]]);
    while let Some(path) = queue.pop_front() {
        let last = *path.last().unwrap();
        if last == target {
            return path[1..].to_vec();
        }
        for next in last.allowed_next() {
            let mut p = path.clone();
            p.push(*next);
            queue.push_back(p);
        }
    }
    panic!("no path to {target}");
}

#[tokio::test]
async fn the_x_report_applies_the_cash_table_to_stored_operations_of_every_kind_and_status() {
    let (_dir, desk) = set_up().await;
    let opened = desk
        .open_shift(Counted::Denominations(CashCount {
            notes_10000: 2,
            notes_1000: 3,
            coins_minor: 250,
            ..CashCount::default()
        }))
        .await
        .unwrap();
    assert_eq!(opened.opening_float_minor, 23_250);
    let ledger = desk.till().ledger();
    let (mut cash_in, mut cash_out, mut pending, mut counted_ok) = (0, 0, 0, 0);
    let mut n = 0;
    for kind in Kind::ALL {
        for status in OperationStatus::ALL {
            n += 1;
            // A different amount for each pair, so a misplaced one shows in the sums.
            let amount = 1_000 * n;
            let op = ledger
                .insert_operation(NewOperation {
                    idempotency_key: format!("table-{n}"),
                    provider: "dexchange".into(),
                    service_code: "TEST".into(),
                    kind: kind_name(kind),
                    country: "SN".into(),
                    currency: "XOF".into(),
                    amount_minor: amount,
                    fee_minor: Some(n),
                    customer_ref: "771234567".into(),
                    invoice_ref: None,
                    operator_name: "Moussa".into(),
                    training: true,
                    details: Default::default(),
                })
                .await
                .unwrap();
            for step in path_to(status) {
                ledger
                    .transition(op.id, step, EventInput::new(EventSource::System))
                    .await
                    .unwrap();
            }
            match cash_effect(kind, status) {
                CashEffect::In => cash_in += amount + n,
                CashEffect::Out => cash_out += amount,
                CashEffect::Pending => pending += 1,
                CashEffect::None => {}
            }
            if status == OperationStatus::Success {
                counted_ok += 1;
            }
        }
    }
    let x = desk.x_report(None).await.unwrap();
    assert_eq!(x.cash.sales_in_minor, cash_in);
    assert_eq!(x.cash.sales_out_minor, cash_out);
    assert_eq!(x.cash.expected_minor, 23_250 + cash_in - cash_out);
    // En attente: every unsettled status of every kind but the payment link (never cash).
    assert_eq!(pending, 6 * (Kind::ALL.len() - 1));
    let listed_apart = x.pending.len() + x.to_review.len();
    assert_eq!(
        listed_apart,
        6 * Kind::ALL.len(),
        "every unsettled operation is listed"
    );
    assert_eq!(x.totals.count, counted_ok);
    assert_eq!(x.by_kind.len(), Kind::ALL.len());
    // Failed, cancelled and expired of every kind.
    assert_eq!(x.failed.count, 3 * Kind::ALL.len() as i64);
}

#[tokio::test]
async fn two_cashiers_two_shifts_the_day_report_is_the_sum_of_both_z_reports_and_of_the_ledger() {
    let (_dir, desk) = set_up().await;

    // Moussa's shift: two airtime sales, a float top-up, an expense; closes exact.
    desk.login("Moussa", CASHIER_PIN).await.unwrap();
    let first = desk.open_shift(total(20_000)).await.unwrap();
    let a = sell(&desk, airtime(1_000)).await;
    let b = sell(&desk, airtime(2_500)).await;
    assert_eq!(a.status, OperationStatus::Success);
    assert_eq!(b.status, OperationStatus::Success);
    desk.cash_movement(Direction::In, 5_000, "Approvisionnement")
        .await
        .unwrap();
    desk.cash_movement(Direction::Out, 1_500, "Achat de sachets")
        .await
        .unwrap();
    let x = desk.x_report(None).await.unwrap();
    let expected_first = 20_000
        + a.amount_minor
        + a.fee_minor.unwrap_or(0)
        + b.amount_minor
        + b.fee_minor.unwrap_or(0)
        + 5_000
        - 1_500;
    assert_eq!(x.cash.expected_minor, expected_first);
    let z1 = desk
        .close_shift(first.id, total(expected_first), None)
        .await
        .unwrap();
    assert_eq!(z1.report.z_number, Some(1));
    assert_eq!(z1.shift.difference_minor(), Some(0));

    // Fatou's shift: a cash-in that succeeds, one that fails; she counts 300 F short.
    desk.login("Fatou", CASHIER_PIN).await.unwrap();
    let second = desk.open_shift(total(10_000)).await.unwrap();
    let ok = sell(&desk, cash_in(3_000, "77 123 45 68")).await;
    let failed = sell(&desk, cash_in(4_000, "77 123 99 99")).await;
    assert_eq!(ok.status, OperationStatus::Success, "{ok:?}");
    assert_eq!(failed.status, OperationStatus::Failed, "{failed:?}");
    let expected_second = 10_000 + ok.amount_minor + ok.fee_minor.unwrap_or(0);
    let short = expected_second - 300;
    let refused = desk
        .close_shift(second.id, total(short), None)
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "shift_difference_needs_approval");
    assert!(
        refused.message().fr.contains("-300\u{202F}FCFA"),
        "{}",
        refused.message().fr
    );
    assert!(desk.current_shift().await.unwrap().is_some(), "still open");
    let wrong_pin = Approval {
        manager: MANAGER.into(),
        pin: "9999".to_owned().into(),
        note: "Erreur de rendu".into(),
    };
    assert_eq!(
        desk.close_shift(second.id, total(short), Some(wrong_pin))
            .await
            .unwrap_err()
            .code(),
        "operator_wrong_pin"
    );
    let approval = Approval {
        manager: MANAGER.into(),
        pin: MANAGER_PIN.to_owned().into(),
        note: "Erreur de rendu".into(),
    };
    let z2 = desk
        .close_shift(second.id, total(short), Some(approval))
        .await
        .unwrap();
    assert_eq!(z2.report.z_number, Some(2));
    assert_eq!(z2.report.cash.difference_minor, Some(-300));
    assert_eq!(z2.shift.approved_by.as_deref(), Some(MANAGER));
    assert_eq!(z2.report.failed.count, 1);

    // The day, read by the manager.
    desk.login(MANAGER, MANAGER_PIN).await.unwrap();
    let today = first.opened_at.date_naive();
    let day = desk.day_report(today).await.unwrap();
    let (r1, r2) = (&z1.report, &z2.report);
    assert_eq!(day.shifts.len(), 2);
    assert_eq!(day.totals.count, r1.totals.count + r2.totals.count);
    assert_eq!(
        day.totals.amount_minor,
        r1.totals.amount_minor + r2.totals.amount_minor
    );
    assert_eq!(
        day.totals.fee_minor,
        r1.totals.fee_minor + r2.totals.fee_minor
    );
    assert_eq!(
        day.cash.expected_minor,
        r1.cash.expected_minor + r2.cash.expected_minor
    );
    assert_eq!(day.cash.counted_minor, Some(expected_first + short));
    assert_eq!(day.cash.difference_minor, Some(-300));
    assert_eq!(day.failed.count, 1);
    assert_eq!(day.movements.len(), 2);
    let kinds: BTreeMap<&str, i64> = day
        .by_kind
        .iter()
        .map(|l| (l.key.as_str(), l.count))
        .collect();
    assert_eq!(kinds, BTreeMap::from([("airtime", 2), ("disbursement", 1)]));

    // And the ledger's own totals for the day agree with the day report.
    let ops = desk.history(&HistoryQuery::default()).await.unwrap();
    let (count, amount, cash_in_total, cash_out_total) = ledger_totals(&ops);
    assert_eq!(day.totals.count, count);
    assert_eq!(day.totals.amount_minor, amount);
    assert_eq!(day.cash.sales_in_minor, cash_in_total);
    assert_eq!(day.cash.sales_out_minor, cash_out_total);

    // The stored Z reads back exactly as written at close.
    assert_eq!(desk.z_report(Some(1)).await.unwrap(), z1.report);
    assert_eq!(desk.z_report(None).await.unwrap(), z2.report);

    // Printed at both widths, and as CSV.
    for width in [PaperWidth::Mm58, PaperWidth::Mm80] {
        let text = desk.report_receipt(&day, width).await.unwrap().to_text();
        assert!(
            text.lines().all(|l| l.chars().count() <= width.columns()),
            "{text}"
        );
        assert!(text.contains("RAPPORT DU JOUR"), "{text}");
        assert!(text.contains("Erreur de rendu"), "{text}");
    }
    let csv = guichet_core::day::render::to_csv(&day);
    assert!(
        csv.lines()
            .any(|l| l == "cash,difference_minor,,,-300,,,,,,"),
        "{csv}"
    );
    desk.close().await;
}

#[tokio::test]
async fn a_z_report_is_frozen_even_when_a_pending_operation_settles_after_the_close() {
    let (dir, desk) = set_up().await;
    let opened = desk.open_shift(total(0)).await.unwrap();
    let sold = sell(&desk, airtime(1_000)).await;
    // A cash-in to a number that never answers stays pending through the close.
    let pending = desk.submit(cash_in(2_000, "77 123 88 88")).await.unwrap();
    let x = desk.x_report(None).await.unwrap();
    assert_eq!(x.pending.len(), 1, "{:?}", x.pending);
    assert_eq!(x.pending[0].id, pending.id);
    let expected = sold.amount_minor + sold.fee_minor.unwrap_or(0);
    let z = desk
        .close_shift(opened.id, total(expected), None)
        .await
        .unwrap();
    assert_eq!(z.report.pending.len(), 1);
    // Settle it afterwards (the manager's review path writes straight to the ledger here).
    let ledger = desk.till().ledger();
    let now = ledger.get(pending.id).await.unwrap().unwrap();
    if now.status != OperationStatus::Success {
        let path = match now.status {
            OperationStatus::Sent | OperationStatus::Pending | OperationStatus::Processing => {
                vec![OperationStatus::Success]
            }
            other => panic!("unexpected {other}"),
        };
        for s in path {
            ledger
                .transition(pending.id, s, EventInput::new(EventSource::System))
                .await
                .unwrap();
        }
    }
    assert_eq!(desk.z_report(Some(1)).await.unwrap(), z.report, "frozen");

    // The next shift's reports list it « réglées depuis le dernier Z », with its cash.
    let second = desk.open_shift(total(1_000)).await.unwrap();
    let settled = ledger.get(pending.id).await.unwrap().unwrap();
    let settled_cash = settled.amount_minor + settled.fee_minor.unwrap_or(0);
    let x2 = desk.x_report(None).await.unwrap();
    assert_eq!(x2.settled_since.len(), 1, "{:?}", x2.settled_since);
    let line = &x2.settled_since[0];
    assert_eq!(line.operation.id, pending.id);
    assert_eq!(line.operation.status, OperationStatus::Success);
    assert_eq!(line.shift_id, opened.id);
    assert_eq!(line.cash_minor, settled_cash);
    assert_eq!(x2.cash.settled_since_minor, settled_cash);
    assert_eq!(x2.cash.expected_minor, 1_000 + settled_cash);
    assert_eq!(x2.totals.count, 1, "counted where it settled");
    let text = desk
        .report_receipt(&x2, PaperWidth::Mm80)
        .await
        .unwrap()
        .to_text();
    assert!(text.contains("RÉGLÉES DEPUIS LE DERNIER Z (1)"), "{text}");
    let more = sell(&desk, airtime(500)).await;
    let expected2 = 1_000 + settled_cash + more.amount_minor + more.fee_minor.unwrap_or(0);
    let z2 = desk
        .close_shift(second.id, total(expected2), None)
        .await
        .unwrap();
    assert_eq!(z2.report.settled_since, x2.settled_since);
    assert_eq!(z2.report.cash.difference_minor, Some(0));
    // Once in a Z, it is not « réglée depuis » again.
    desk.open_shift(total(0)).await.unwrap();
    assert!(desk.x_report(None).await.unwrap().settled_since.is_empty());

    // The day: still the sum of the Z reports (and the open X), equal to the ledger, and the
    // operation is no longer pending.
    desk.login(MANAGER, MANAGER_PIN).await.unwrap();
    let day = desk
        .day_report(opened.opened_at.date_naive())
        .await
        .unwrap();
    assert!(day.pending.is_empty(), "{:?}", day.pending);
    assert_eq!(
        day.totals.count,
        z.report.totals.count + z2.report.totals.count
    );
    assert_eq!(
        day.cash.expected_minor,
        z.report.cash.expected_minor + z2.report.cash.expected_minor
    );
    let ops = desk.history(&HistoryQuery::default()).await.unwrap();
    let (count, amount, cash_in_total, _) = ledger_totals(&ops);
    assert_eq!(day.totals.count, count);
    assert_eq!(day.totals.amount_minor, amount);
    assert_eq!(
        day.cash.sales_in_minor + day.cash.settled_since_minor,
        cash_in_total
    );
    let csv = guichet_core::day::render::to_csv(&day);
    assert!(
        csv.lines()
            .any(|l| l.starts_with(&format!("settled_since,{}", pending.id))),
        "{csv}"
    );

    // The database refuses to change a stored Z or a closed shift.
    let pool_err = sqlx_update(dir.path(), "UPDATE z_reports SET body = '{}'").await;
    assert!(pool_err.contains("frozen"), "{pool_err}");
    let pool_err = sqlx_update(dir.path(), "UPDATE shifts SET counted_minor = 1").await;
    assert!(pool_err.contains("never change"), "{pool_err}");
    desk.close().await;
}

/// The text of a PDF, every page, read back by an independent PDF reader.
fn pdf_text(bytes: &[u8]) -> (usize, String) {
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    let doc = lopdf::Document::load_mem(bytes).expect("a PDF that parses");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc.extract_text(&pages).expect("its text");
    (pages.len(), text)
}

#[tokio::test]
async fn the_z_report_as_pdf_has_its_number_and_totals_and_is_saved_where_the_shop_finds_it() {
    let (dir, desk) = set_up().await;
    let opened = desk.open_shift(total(10_000)).await.unwrap();
    let a = sell(&desk, airtime(1_500)).await;
    let expected = 10_000 + a.amount_minor + a.fee_minor.unwrap_or(0);
    let z = desk
        .close_shift(opened.id, total(expected), None)
        .await
        .unwrap();
    let bytes = desk.report_pdf(&z.report).await.unwrap();
    let (pages, text) = pdf_text(&bytes);
    // Every line of the report, then one footer per page: as many pages as the lines need.
    let lines = text.lines().filter(|l| !l.trim().is_empty()).count() - pages;
    assert_eq!(
        pages,
        lines.div_ceil(guichet_core::day::pdf::LINES_PER_PAGE),
        "{text}"
    );
    assert!(text.contains("RAPPORT Z n° 1"), "{text}");
    assert!(text.contains("Boutique Awa"), "{text}");
    // The amount and the expected cash, as the printed report writes them.
    let money = |m: i64| {
        guichet_core::money::Money::new(m, Currency::Xof)
            .localized()
            .fr
            .replace('\u{202F}', " ")
    };
    assert!(text.contains(&money(a.amount_minor)), "{text}");
    assert!(text.contains(&money(expected)), "{text}");
    assert!(text.contains(&format!("page {pages}/{pages}")), "{text}");

    let saved = desk.save_report_pdf(&z.report).await.unwrap();
    let path = dir.path().join("rapports").join("rapport-z-0001.pdf");
    assert_eq!(saved.path, path.display().to_string());
    assert_eq!(std::fs::read(&path).unwrap(), bytes);

    // A long report runs over several pages, each numbered.
    desk.open_shift(total(0)).await.unwrap();
    let ledger = desk.till().ledger();
    for n in 0..40 {
        ledger
            .insert_operation(NewOperation {
                idempotency_key: format!("long-{n}"),
                provider: "dexchange".into(),
                service_code: "ORANGE_SN_AIRTIME".into(),
                kind: "airtime".into(),
                country: "SN".into(),
                currency: "XOF".into(),
                amount_minor: 100 + n,
                fee_minor: None,
                customer_ref: "771234567".into(),
                invoice_ref: None,
                operator_name: "Moussa".into(),
                training: true,
                details: Default::default(),
            })
            .await
            .unwrap();
    }
    let x = desk.x_report(None).await.unwrap();
    assert_eq!(x.pending.len(), 40);
    let (pages, text) = pdf_text(&desk.report_pdf(&x).await.unwrap());
    assert!(pages >= 2, "{pages} pages");
    for i in 1..=pages {
        assert!(text.contains(&format!("page {i}/{pages}")), "{text}");
    }
    assert!(text.contains("RAPPORT X"), "{text}");
    desk.close().await;
}

#[tokio::test]
async fn the_reports_show_each_providers_float_and_what_the_operations_do_not_explain() {
    let (_dir, desk) = set_up().await;
    let opened = desk.open_shift(total(0)).await.unwrap();
    let a = sell(&desk, airtime(1_000)).await;
    let c = sell(&desk, cash_in(3_000, "77 123 45 68")).await;
    assert_eq!(a.status, OperationStatus::Success);
    assert_eq!(c.status, OperationStatus::Success, "{c:?}");

    // The X: opening balances read, nothing read since, so no closing and no difference.
    let x = desk.x_report(None).await.unwrap();
    let find = |r: &guichet_core::day::ShiftReport, p: &str| {
        r.floats.iter().find(|f| f.provider == p).cloned().unwrap()
    };
    let dex = find(&x, "dexchange");
    assert!(dex.opening_minor.is_some(), "{dex:?}");
    assert_eq!(dex.closing_minor, None);
    assert_eq!(dex.difference_minor, None);
    let text = desk
        .report_receipt(&x, PaperWidth::Mm80)
        .await
        .unwrap()
        .to_text();
    assert!(text.contains("non relevé"), "{text}");
    assert!(text.contains("non communiqué"), "{text}");

    let expected =
        a.amount_minor + a.fee_minor.unwrap_or(0) + c.amount_minor + c.fee_minor.unwrap_or(0);
    let z = desk
        .close_shift(opened.id, total(expected), None)
        .await
        .unwrap()
        .report;
    // The commissions summed by SQL are the operations' own.
    let detail = |o: &Operation, k: &str| o.details.get(k).and_then(|v| v.as_i64()).unwrap_or(0);
    assert_eq!(
        z.totals.commission_minor,
        detail(&a, "commission_minor") + detail(&c, "commission_minor")
    );
    assert!(detail(&a, "provider_fee_minor") < 0, "{a:?}");
    assert_eq!(
        z.totals.provider_commission_minor,
        -detail(&a, "provider_fee_minor")
    );
    // DEXCHANGE debited the airtime (less its commission), EASYTRANSFERT the cash-in and its
    // fee: the sandbox's balances moved by exactly that.
    let dex = find(&z, "dexchange");
    let (open, close) = (dex.opening_minor.unwrap(), dex.closing_minor.unwrap());
    assert!(
        dex.moved_minor < 0 && dex.moved_minor > -a.amount_minor - 1,
        "{dex:?}"
    );
    assert_eq!(close - open, dex.moved_minor, "{dex:?}");
    assert_eq!(dex.difference_minor, Some(0));
    let et = find(&z, "easytransfert");
    assert_eq!(et.moved_minor, -(c.amount_minor + c.fee_minor.unwrap_or(0)));
    assert_eq!(et.difference_minor, Some(0), "{et:?}");
    // The gateway documents no balance: nothing made up.
    let gw = find(&z, "unipesa");
    assert!(!gw.balance_api);
    assert_eq!(
        (gw.opening_minor, gw.closing_minor, gw.difference_minor),
        (None, None, None)
    );
    // The same figures on paper, as CSV and as PDF.
    let text = desk
        .report_receipt(&z, PaperWidth::Mm58)
        .await
        .unwrap()
        .to_text();
    assert!(text.contains("FLOAT DES FOURNISSEURS"), "{text}");
    assert!(text.contains("Solde non communiqué"), "{text}");
    let csv = guichet_core::day::render::to_csv(&z);
    assert!(
        csv.lines().any(|l| l
            == format!(
                "float,dexchange.moved_minor,DEXCHANGE,0,{},,,,,,",
                dex.moved_minor
            )),
        "{csv}"
    );
    assert!(
        csv.lines().any(|l| l.starts_with("float,unipesa.opening_minor,") && l.ends_with(",not_provided,")),
        "{csv}"
    );
    let (_, pdf) = pdf_text(&desk.report_pdf(&z).await.unwrap());
    assert!(pdf.contains("Écart inexpliqué"), "{pdf}");
    // The day report carries the same float (one shift).
    desk.login(MANAGER, MANAGER_PIN).await.unwrap();
    let day = desk
        .day_report(opened.opened_at.date_naive())
        .await
        .unwrap();
    assert_eq!(find(&day, "dexchange"), dex);
    desk.close().await;
}

/// Runs a write on the ledger file from outside the till (as a tool or a tamperer would) and
/// returns the database's refusal.
async fn sqlx_update(dir: &std::path::Path, sql: &str) -> String {
    let out = std::process::Command::new("sqlite3")
        .arg(dir.join("guichet.db"))
        .arg(sql)
        .output();
    match out {
        Ok(o) => String::from_utf8_lossy(&o.stderr).into_owned(),
        Err(e) => panic!("sqlite3: {e}"),
    }
}

#[tokio::test]
async fn a_shift_left_open_stays_open_with_its_totals_after_the_till_reopens() {
    let (dir, desk) = set_up().await;
    let opened = desk.open_shift(total(5_000)).await.unwrap();
    sell(&desk, airtime(1_000)).await;
    desk.cash_movement(Direction::Out, 500, "Versement banque")
        .await
        .unwrap();
    let before = desk.x_report(None).await.unwrap();
    let shift_id = opened.id;
    // The till goes away (its providers stopped, its ledger dropped) and opens again.
    desk.close().await;
    let desk = training_desk(dir.path()).await;
    desk.login("Moussa", CASHIER_PIN).await.unwrap();
    let open = desk.current_shift().await.unwrap().expect("still open");
    assert_eq!(open.id, shift_id);
    let after = desk.x_report(None).await.unwrap();
    assert_eq!(after.cash, before.cash);
    assert_eq!(after.totals, before.totals);
    assert_eq!(after.movements, before.movements);
    // Selling again lands in the same shift.
    sell(&desk, airtime(2_000)).await;
    assert_eq!(desk.x_report(None).await.unwrap().totals.count, 2);
    desk.close().await;
}

#[tokio::test]
async fn two_opens_at_once_give_exactly_one_shift() {
    let (dir, desk) = set_up().await;
    // A second process on the same ledger file (its own pool), e.g. guichetctl.
    let other = Desk::console(Till::open(dir.path()).await.unwrap(), "Console");
    let (a, b) = tokio::join!(
        desk.open_shift(total(1_000)),
        other.open_shift(total(2_000))
    );
    let oks = [a.is_ok(), b.is_ok()].iter().filter(|ok| **ok).count();
    assert_eq!(oks, 1, "{a:?} {b:?}");
    let err = a.err().or(b.err()).unwrap();
    assert_eq!(err.code(), "shift_already_open");
    let today = chrono::Utc::now().date_naive();
    assert_eq!(desk.shifts_on(today).await.unwrap().len(), 1);
    desk.close().await;
}

#[tokio::test]
async fn when_the_manager_requires_a_shift_selling_without_one_is_refused_and_nothing_is_written() {
    let (_dir, desk) = set_up().await;
    // Off by default: a sale without a shift belongs to none.
    let loose = sell(&desk, airtime(1_000)).await;
    assert_eq!(loose.status, OperationStatus::Success);
    desk.save_day_settings(DaySettings {
        shift_required: true,
        float_thresholds: BTreeMap::from([("dexchange".into(), 1_000_000_000)]),
    })
    .await
    .unwrap();
    desk.login("Moussa", CASHIER_PIN).await.unwrap();
    assert_eq!(
        desk.save_day_settings(DaySettings {
            shift_required: false,
            float_thresholds: BTreeMap::new()
        })
        .await
        .unwrap_err()
        .code(),
        "operator_forbidden"
    );
    let before = desk.history(&HistoryQuery::default()).await.unwrap().len();
    let refused = desk.submit(airtime(1_000)).await.unwrap_err();
    assert_eq!(refused.code(), "shift_required");
    assert!(refused.message().fr.contains("ouvrez votre caisse"));
    assert_eq!(
        desk.history(&HistoryQuery::default()).await.unwrap().len(),
        before,
        "nothing written"
    );
    // The database refuses it too, whoever writes the intent.
    let direct = desk
        .till()
        .ledger()
        .insert_operation(NewOperation {
            idempotency_key: "no-shift".into(),
            provider: "dexchange".into(),
            service_code: "ORANGE_SN_AIRTIME".into(),
            kind: "airtime".into(),
            country: "SN".into(),
            currency: "XOF".into(),
            amount_minor: 100,
            fee_minor: None,
            customer_ref: "771234567".into(),
            invoice_ref: None,
            operator_name: "Moussa".into(),
            training: true,
            details: Default::default(),
        })
        .await;
    assert!(direct.is_err(), "{direct:?}");

    desk.open_shift(total(0)).await.unwrap();
    let sold = sell(&desk, airtime(1_000)).await;
    let x = desk.x_report(None).await.unwrap();
    assert_eq!(x.totals.count, 1, "only the sale made in the shift");
    assert_eq!(x.by_service[0].key, sold.service_code);

    // The float was read at the opening: DEXCHANGE and EASYTRANSFERT have a balance, under the
    // manager's (huge) DEXCHANGE threshold; the gateway documents none.
    let floats = desk.float_status().await.unwrap();
    let dex = floats.iter().find(|f| f.provider == "dexchange").unwrap();
    assert!(dex.last.as_ref().unwrap().amount_minor.is_some(), "{dex:?}");
    assert!(dex.low);
    let et = floats
        .iter()
        .find(|f| f.provider == "easytransfert")
        .unwrap();
    assert!(et.last.is_some() && !et.low);
    let gw = floats.iter().find(|f| f.provider == "unipesa").unwrap();
    assert!(!gw.balance_api && gw.last.is_none());
    desk.close().await;
}
