//! The binary: first output line, base URLs, --help.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_guichet-sandbox");

#[tokio::test]
async fn first_line_then_base_urls_then_it_serves() {
    let mut child = Command::new(BIN)
        .args([
            "--listen",
            "127.0.0.1:0",
            "--seed",
            "3",
            "--dexchange-key",
            "k1",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if tx.send(line.unwrap_or_default()).is_err() {
                break;
            }
        }
    });
    let mut lines = Vec::new();
    for _ in 0..12 {
        lines.push(
            rx.recv_timeout(Duration::from_secs(20))
                .expect("the binary prints"),
        );
    }
    let first = &lines[0];
    let root = first
        .strip_prefix("guichet-sandbox listening on http://127.0.0.1:")
        .unwrap_or_else(|| panic!("first line: {first}"));
    let port: u16 = root.parse().expect("a port");
    assert!(port > 0);
    let base = format!("http://127.0.0.1:{port}");
    assert_eq!(lines[1], format!("dexchange: {base}/dexchange/api/v1"));
    assert_eq!(
        lines[2],
        format!("easytransfert: {base}/easytransfert/api_v1/transaction")
    );
    assert_eq!(lines[3], format!("unipesa: {base}/unipesa"));
    let all = lines.join("\n");
    assert!(all.contains("dexchange key: k1"));
    assert!(all.contains("easytransfert key: sandbox-easytransfert-key"));
    assert!(all.contains("unipesa secret: "));
    assert!(all.contains("seed: 3"));
    let http = crate::common::client(Duration::from_secs(5));
    let r = http
        .get(format!("{base}/dexchange/api/v1/api-services/balance"))
        .bearer_auth("k1")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn help_documents_everything() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for flag in [
        "--listen",
        "--seed",
        "--dexchange-key",
        "--easytransfert-key",
        "--unipesa-public-id",
        "--unipesa-merchant-id",
        "--unipesa-secret",
        "--approve-after-ms",
        "--no-auto-approve",
        "--settle-after-ms",
        "--link-ttl-secs",
        "--callback-retries",
        "--faults",
        "/__sandbox/faults",
        "/__sandbox/transactions",
        "/__sandbox/fixtures",
        "payment_c2b",
        "/billing/pay",
        "x-api-key",
        "9999",
    ] {
        assert!(help.contains(flag), "--help lacks {flag}");
    }
}

#[test]
fn bad_faults_json_exits_with_2() {
    let out = Command::new(BIN)
        .args(["--faults", "{nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
