//! `guichetctl shift …`, `report …` and `float`: the real binary on a real data dir, selling
//! against an in-process sandbox over loopback.

mod common;

use std::io::Write;
use std::process::Stdio;

use common::*;
use serde_json::Value;

fn with_stdin(mut cmd: std::process::Command, stdin: &str) -> std::process::Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{stdin}").unwrap();
    child.wait_with_output().unwrap()
}

fn json(o: &std::process::Output) -> Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", stdout(o), stderr(o)))
}

#[test]
fn a_shift_from_open_to_z_report_and_the_day_equal_the_ledger_export() {
    let sb = Sb::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut setup = bin();
    setup.arg("--data-dir").arg(d).args([
        "setup",
        "--shop",
        "Boutique Awa",
        "--manager",
        "Awa Ndiaye",
    ]);
    expect_code(&with_stdin(setup, "2580"), 0);

    let none = at(d, &["shift", "status"]);
    expect_code(&none, 4);
    assert!(stdout(&none).contains("Aucune caisse ouverte"));

    let open = at(
        d,
        &[
            "shift",
            "open",
            "--notes-10000",
            "1",
            "--notes-2000",
            "2",
            "--coins",
            "150",
            "--json",
        ],
    );
    expect_code(&open, 0);
    assert_eq!(json(&open)["opening_float_minor"], 14_150);
    assert_eq!(json(&open)["opening_count"]["notes_2000"], 2);
    let again = at(d, &["shift", "open", "--amount", "100"]);
    expect_code(&again, 2);
    assert!(
        stderr(&again).contains("déjà ouverte"),
        "{}",
        stderr(&again)
    );

    for amount in ["1000", "2500"] {
        let sale = ctl(
            &sb,
            d,
            &["airtime", "--to", "77 123 45 67", "--amount", amount],
        );
        expect_code(&sale, 0);
    }
    let failed = ctl(
        &sb,
        d,
        &[
            "payout",
            "--service",
            "EASYTRANSFERT_20",
            "--to",
            "77 123 99 99",
            "--amount",
            "3000",
        ],
    );
    expect_code(&failed, 3);
    expect_code(
        &at(
            d,
            &[
                "shift",
                "cash",
                "in",
                "--amount",
                "5000",
                "--reason",
                "Approvisionnement",
            ],
        ),
        0,
    );
    let no_reason = at(
        d,
        &["shift", "cash", "out", "--amount", "500", "--reason", " "],
    );
    expect_code(&no_reason, 2);
    assert!(
        stderr(&no_reason).contains("motif"),
        "{}",
        stderr(&no_reason)
    );

    // The X report, in the printer's layout at 32 columns and as JSON.
    let x_text = at(d, &["report", "x", "--width", "32"]);
    expect_code(&x_text, 0);
    let text = stdout(&x_text);
    assert!(text.contains("RAPPORT X"), "{text}");
    assert!(text.lines().all(|l| l.chars().count() <= 32), "{text}");
    let x = json(&at(d, &["report", "x", "--format", "json"]));
    let expected = x["cash"]["expected_minor"].as_i64().unwrap();
    assert_eq!(x["totals"]["count"], 2);
    assert_eq!(x["failed"]["count"], 1);

    // A count 200 F short: refused without a manager, closed with one.
    let short = (expected - 200).to_string();
    let refused = at(d, &["shift", "close", "--amount", &short]);
    expect_code(&refused, 2);
    assert!(
        stderr(&refused).contains("Écart de caisse"),
        "{}",
        stderr(&refused)
    );
    let mut close = bin();
    close.arg("--data-dir").arg(d).args([
        "shift",
        "close",
        "--amount",
        &short,
        "--manager",
        "Awa Ndiaye",
        "--note",
        "Monnaie rendue",
        "--json",
    ]);
    let closed = with_stdin(close, "2580");
    expect_code(&closed, 0);
    let closed = json(&closed);
    assert_eq!(closed["shift"]["z_number"], 1);
    assert_eq!(closed["report"]["cash"]["difference_minor"], -200);
    assert_eq!(closed["shift"]["approved_by"], "Awa Ndiaye");

    // The stored Z, in each format.
    let z = json(&at(d, &["report", "z", "--format", "json"]));
    assert_eq!(z, closed["report"]);
    let csv = at(d, &["report", "z", "--number", "1", "--format", "csv"]);
    expect_code(&csv, 0);
    let csv = stdout(&csv);
    assert!(
        csv.starts_with("section,key,label,count,amount_minor"),
        "{csv}"
    );
    assert!(csv.contains("cash,difference_minor,,,-200"), "{csv}");
    assert!(csv.contains("movement,1,Approvisionnement,1,5000"), "{csv}");
    let z_text = stdout(&at(d, &["report", "z", "--width", "48"]));
    assert!(z_text.contains("RAPPORT Z n° 1"), "{z_text}");
    assert!(z_text.contains("Monnaie rendue"), "{z_text}");
    // No provider was read from this terminal: the float says so, it invents nothing.
    assert!(z_text.contains("FLOAT DES FOURNISSEURS"), "{z_text}");
    assert!(z_text.contains("non relevé"), "{z_text}");
    assert!(z_text.contains("non communiqué"), "{z_text}");

    // As PDF: to a file, or down a pipe; never onto a terminal.
    let file = d.join("z1.pdf");
    let saved = at(
        d,
        &[
            "report",
            "z",
            "--format",
            "pdf",
            "--output",
            file.to_str().unwrap(),
        ],
    );
    expect_code(&saved, 0);
    assert!(stderr(&saved).contains("z1.pdf"), "{}", stderr(&saved));
    let bytes = std::fs::read(&file).unwrap();
    let piped = at(d, &["report", "z", "--format", "pdf"]);
    expect_code(&piped, 0);
    assert_eq!(piped.stdout, bytes, "the same PDF down a pipe");
    let doc = lopdf::Document::load_mem(&bytes).expect("a PDF that parses");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc.extract_text(&pages).unwrap();
    assert!(text.contains("RAPPORT Z n° 1"), "{text}");
    assert!(
        text.contains(&format!("page {0}/{0}", pages.len())),
        "{text}"
    );
    let expected = z["cash"]["expected_minor"].as_i64().unwrap();
    let grouped = format!("{} {:03}", expected / 1000, expected % 1000);
    assert!(text.contains(&grouped), "{grouped} in {text}");
    // A terminal (a pseudo-terminal from `script`) is refused with a clear message.
    let tty = std::process::Command::new("script")
        .args(["-qec"])
        .arg(format!(
            "{} --data-dir {} report z --format pdf",
            env!("CARGO_BIN_EXE_guichetctl"),
            d.display()
        ))
        .arg("/dev/null")
        .env_remove("GUICHET_DATA_DIR")
        .output()
        .unwrap();
    expect_code(&tty, 2);
    assert!(stdout(&tty).contains("--output"), "{}", stdout(&tty));
    assert!(!stdout(&tty).contains("%PDF"), "{}", stdout(&tty));

    // The Z's totals are the ledger's, as `guichetctl export` gives them.
    let export = json(&at(d, &["export", "--format", "json"]));
    let ok: Vec<&Value> = export
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "success")
        .collect();
    let amount: i64 = ok.iter().map(|r| r["amount"].as_i64().unwrap()).sum();
    let fees: i64 = ok.iter().map(|r| r["fee"].as_i64().unwrap_or(0)).sum();
    assert_eq!(z["totals"]["count"], ok.len());
    assert_eq!(z["totals"]["amount_minor"], amount);
    // Airtime only: every success put its amount + fee in the drawer.
    assert!(ok.iter().all(|r| r["kind"] == "airtime"));
    assert_eq!(z["cash"]["sales_in_minor"], amount + fees);
    assert_eq!(z["cash"]["expected_minor"], 14_150 + amount + fees + 5_000);

    // The day is that one shift.
    let day = json(&at(d, &["report", "day", "--format", "json"]));
    assert_eq!(day["totals"], z["totals"]);
    assert_eq!(day["cash"], z["cash"]);
    expect_code(&at(d, &["shift", "status"]), 4);
}

#[test]
fn float_reads_the_documented_balances_and_says_the_gateway_has_none() {
    let sb = Sb::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let never = at(d, &["float"]);
    expect_code(&never, 0);
    assert!(
        stdout(&never).contains("DEXCHANGE: jamais lu"),
        "{}",
        stdout(&never)
    );
    let read = ctl(&sb, d, &["float", "--read", "--json"]);
    expect_code(&read, 0);
    let list = json(&read);
    let dex = list
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["provider"] == "dexchange")
        .unwrap();
    assert!(dex["last"]["amount_minor"].is_i64(), "{dex}");
    let text = stdout(&at(d, &["float"]));
    assert!(text.contains("Unipesa: pas d'API de solde"), "{text}");
    assert!(text.contains("EASYTRANSFERT: "), "{text}");
    assert!(!text.contains("EASYTRANSFERT: jamais lu"), "{text}");
}
