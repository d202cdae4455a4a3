//! `guichetctl` end to end: the real binary against an in-process guichet-sandbox on
//! 127.0.0.1:0 (fast timings), each test in a fresh data dir.

mod common;

use std::process::Stdio;

use common::{at, bin, ctl, expect_code, op_id, stderr, stdout, Sb};

#[test]
fn services_lists_woyofal() {
    let sb = Sb::start();
    let dir = tempfile::tempdir().unwrap();
    let out = ctl(&sb, dir.path(), &["services"]);
    expect_code(&out, 0);
    assert!(stdout(&out).contains("WOYOFAL_SN_BILL"), "{}", stdout(&out));
    let out = ctl(&sb, dir.path(), &["services", "--json"]);
    expect_code(&out, 0);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["code"] == "WOYOFAL_SN_BILL"));
}

#[test]
fn bill_lookup_and_pay_senelec() {
    let sb = Sb::start();
    let dir = tempfile::tempdir().unwrap();
    let fixtures = sb.admin("fixtures");
    let account = fixtures["senelec"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| {
            a["bills"]
                .as_array()
                .unwrap()
                .iter()
                .any(|b| b["paid"] == false)
        })
        .unwrap();
    let reference = account["reference_client"].as_str().unwrap();
    let unpaid = account["bills"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["paid"] == false)
        .unwrap();
    let invoice = unpaid["referenceFacture"].as_str().unwrap();

    let out = ctl(
        &sb,
        dir.path(),
        &[
            "bill",
            "lookup",
            "--service",
            "SENELEC_SN_BILL",
            "--ref",
            reference,
        ],
    );
    expect_code(&out, 0);
    assert!(stdout(&out).contains(invoice), "{}", stdout(&out));

    let out = ctl(
        &sb,
        dir.path(),
        &[
            "bill",
            "pay",
            "--service",
            "SENELEC_SN_BILL",
            "--ref",
            reference,
            "--invoice",
            invoice,
        ],
    );
    expect_code(&out, 0);
    assert!(stdout(&out).contains("réussie / success"));
    // The sandbox now has the bill paid.
    let fixtures = sb.admin("fixtures");
    let paid = fixtures["senelec"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["bills"].as_array().unwrap().iter())
        .find(|b| b["referenceFacture"] == invoice)
        .unwrap();
    assert_eq!(paid["paid"], true);
}

#[test]
fn woyofal_prints_a_token_grouped_by_four() {
    let sb = Sb::start();
    let dir = tempfile::tempdir().unwrap();
    let fixtures = sb.admin("fixtures");
    let meter = fixtures["woyofal"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["behaviour"] == "instant")
        .unwrap()["reference_client"]
        .as_str()
        .unwrap()
        .to_owned();
    let out = ctl(
        &sb,
        dir.path(),
        &["woyofal", "--meter", &meter, "--amount", "5000"],
    );
    expect_code(&out, 0);
    let text = stdout(&out);
    let token = text
        .lines()
        .find_map(|l| l.strip_prefix("Code Woyofal / Token: "))
        .unwrap_or_else(|| panic!("no token:\n{text}"));
    let groups: Vec<&str> = token.split(' ').collect();
    assert_eq!(groups.len(), 5, "{token}");
    assert!(groups
        .iter()
        .all(|g| g.len() == 4 && g.chars().all(|c| c.is_ascii_digit())));
}

#[test]
fn airtime_detects_the_operator() {
    let sb = Sb::start();
    let dir = tempfile::tempdir().unwrap();
    let out = ctl(
        &sb,
        dir.path(),
        &["airtime", "--to", "76 123 45 67", "--amount", "1000"],
    );
    expect_code(&out, 0);
    let text = stdout(&out);
    assert!(text.contains("FREE_SN_AIRTIME"), "{text}");
    assert!(text.contains("réussie / success"), "{text}");
    // The receipt (after the first blank line) is 48 columns by default.
    let receipt = text.split_once("\n\n").unwrap().1;
    assert!(receipt.contains("FORMATION"), "{text}");
    assert!(receipt.lines().all(|l| l.chars().count() <= 48), "{text}");
}

#[test]
fn collect_with_otp_and_payout() {
    let sb = Sb::start();
    let dir = tempfile::tempdir().unwrap();
    // Orange CI cash-out through EASYTRANSFERT needs the customer's OTP.
    let args = [
        "collect",
        "--service",
        "EASYTRANSFERT_27",
        "--from",
        "0701234567",
        "--amount",
        "1000",
    ];
    let out = ctl(&sb, dir.path(), &args);
    expect_code(&out, 2);
    assert!(stderr(&out).contains("OTP"), "{}", stderr(&out));
    let mut with_otp = args.to_vec();
    with_otp.extend(["--otp", "123456"]);
    let out = ctl(&sb, dir.path(), &with_otp);
    expect_code(&out, 0);

    let out = ctl(
        &sb,
        dir.path(),
        &[
            "payout",
            "--service",
            "UNIPESA_9210",
            "--to",
            "0161234567",
            "--amount",
            "1500",
        ],
    );
    expect_code(&out, 0);
    let out = ctl(
        &sb,
        dir.path(),
        &[
            "payout",
            "--service",
            "OM_SN_CASHIN",
            "--to",
            "770009999",
            "--amount",
            "1000",
        ],
    );
    // The sandbox fails transfers to numbers ending 9999: a provider failure.
    expect_code(&out, 3);
}

#[test]
fn link_writes_a_qr_svg() {
    let sb = Sb::start();
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("link.svg");
    let out = ctl(
        &sb,
        dir.path(),
        &[
            "link",
            "--item",
            "Sac de riz",
            "--price",
            "2500",
            "--qr",
            svg.to_str().unwrap(),
        ],
    );
    expect_code(&out, 0);
    assert!(
        stdout(&out).contains("/__sandbox/customer/"),
        "{}",
        stdout(&out)
    );
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.contains("<svg"), "{text}");
}

#[test]
fn refused_input_exits_2_in_french() {
    let sb = Sb::start();
    let dir = tempfile::tempdir().unwrap();
    let out = ctl(
        &sb,
        dir.path(),
        &["airtime", "--to", "771234567", "--amount", "12"],
    );
    expect_code(&out, 2);
    let err = stderr(&out);
    assert!(err.contains("montant minimum"), "{err}");
    assert!(err.contains("minimum amount"), "{err}");
    let out = ctl(
        &sb,
        dir.path(),
        &["airtime", "--to", "77123", "--amount", "1000"],
    );
    expect_code(&out, 2);
    let out = ctl(
        &sb,
        dir.path(),
        &[
            "payout",
            "--service",
            "NOPE",
            "--to",
            "771234567",
            "--amount",
            "1000",
        ],
    );
    expect_code(&out, 2);
    // Nothing was written.
    let out = ctl(&sb, dir.path(), &["history", "--json"]);
    expect_code(&out, 0);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 0);
}

#[test]
fn history_export_status_and_receipt() {
    let sb = Sb::start();
    let dir = tempfile::tempdir().unwrap();
    let a = ctl(
        &sb,
        dir.path(),
        &["airtime", "--to", "771234567", "--amount", "1000"],
    );
    expect_code(&a, 0);
    let b = ctl(
        &sb,
        dir.path(),
        &[
            "payout",
            "--service",
            "WAVE_SN_CASHIN",
            "--to",
            "781234567",
            "--amount",
            "2000",
        ],
    );
    expect_code(&b, 0);
    let ids = [op_id(&a), op_id(&b)];

    let out = ctl(&sb, dir.path(), &["history", "--json"]);
    expect_code(&out, 0);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for id in &ids {
        assert!(v.as_array().unwrap().iter().any(|o| o["id"] == id.as_str()));
    }
    let out = ctl(&sb, dir.path(), &["history"]);
    expect_code(&out, 0);
    assert!(stdout(&out).contains(&ids[0]));

    let out = ctl(&sb, dir.path(), &["export", "--format", "json"]);
    expect_code(&out, 0);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    for row in rows {
        for key in [
            "id",
            "provider",
            "service",
            "amount",
            "fee",
            "status",
            "our_ref",
            "provider_ref",
            "created_at",
            "updated_at",
        ] {
            assert!(row.get(key).is_some(), "{key} missing in {row}");
        }
        assert_eq!(row["status"], "success");
    }
    let out = ctl(&sb, dir.path(), &["export", "--format", "csv"]);
    expect_code(&out, 0);
    let text = stdout(&out);
    let header = text.lines().next().unwrap();
    assert!(
        header.starts_with(
            "id,provider,service,kind,amount,fee,currency,status,our_ref,provider_ref"
        ),
        "{header}"
    );
    for id in &ids {
        assert!(text.contains(id.as_str()));
    }
    assert_eq!(text.lines().count(), 3);

    let out = ctl(&sb, dir.path(), &["status", &ids[1]]);
    expect_code(&out, 0);
    assert!(stdout(&out).contains("WAVE_SN_CASHIN"));
    assert!(stdout(&out).contains("réussie / success"));
    let out = ctl(&sb, dir.path(), &["status", "not-a-uuid"]);
    expect_code(&out, 2);

    let out = ctl(&sb, dir.path(), &["receipt", &ids[0], "--width", "32"]);
    expect_code(&out, 0);
    let text = stdout(&out);
    assert!(text.lines().count() > 10, "{text}");
    assert!(text.lines().all(|l| l.chars().count() <= 32), "{text}");
    let out = ctl(&sb, dir.path(), &["receipt", &ids[0], "--width", "40"]);
    expect_code(&out, 2);

    let out = ctl(&sb, dir.path(), &["reconcile", "--wait", "5"]);
    expect_code(&out, 0);
}

#[test]
fn keys_status_never_prints_a_secret() {
    // A throwaway kernel session keyring and service name: the real till's keys are untouched.
    let service = format!("guichet-test-{}", std::process::id());
    let secret = "test-dexchange-key-do-not-print-8472";
    let exe = env!("CARGO_BIN_EXE_guichetctl");
    let script =
        format!("printf '%s\\n' '{secret}' | '{exe}' keys set dexchange && '{exe}' keys status");
    let out = std::process::Command::new("keyctl")
        .args(["session", "-", "sh", "-c", &script])
        .env("GUICHET_KEYRING", "keyutils")
        .env("GUICHET_KEYRING_SERVICE", &service)
        .stdin(Stdio::null())
        .output();
    let out = match out {
        Ok(o) => o,
        Err(e) => {
            eprintln!("keyctl unavailable ({e}): checking status alone");
            let o = bin()
                .args(["keys", "status"])
                .env("GUICHET_KEYRING", "keyutils")
                .env("GUICHET_KEYRING_SERVICE", &service)
                .output()
                .unwrap();
            assert!(!stdout(&o).contains(secret));
            return;
        }
    };
    expect_code(&out, 0);
    let (o, e) = (stdout(&out), stderr(&out));
    assert!(o.contains("dexchange.api_key: présente / present"), "{o}");
    assert!(o.contains("unipesa.secret: absente / absent"), "{o}");
    assert!(!o.contains(secret) && !e.contains(secret), "{o}{e}");
    assert!(!o.contains("8472"), "not even the last digits: {o}");
}

#[test]
fn training_mode_embeds_the_sandbox() {
    let dir = tempfile::tempdir().unwrap();
    let out = at(
        dir.path(),
        &["airtime", "--to", "771234567", "--amount", "500"],
    );
    expect_code(&out, 0);
    assert!(stdout(&out).contains("FORMATION"), "{}", stdout(&out));
    // GUICHET_DATA_DIR is honoured too.
    let out = bin()
        .env("GUICHET_DATA_DIR", dir.path())
        .args(["history", "--json"])
        .output()
        .unwrap();
    expect_code(&out, 0);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
}

/// Runs `cmd` with `stdin` written to it (a PIN), and its output.
fn with_stdin(mut cmd: std::process::Command, stdin: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{stdin}").unwrap();
    child.wait_with_output().unwrap()
}

/// `guichetctl setup` with the PIN on stdin.
fn setup(dir: &std::path::Path, pin: &str) -> std::process::Output {
    let mut cmd = bin();
    cmd.arg("--data-dir").arg(dir).args([
        "setup",
        "--shop",
        "Boutique Awa",
        "--header",
        "NINEA 123\\nTél 33 800 00 00",
        "--manager",
        "Awa Ndiaye",
    ]);
    with_stdin(cmd, pin)
}

#[test]
fn setup_then_audit_verify_and_export() {
    let dir = tempfile::tempdir().unwrap();
    let missing = at(dir.path(), &["audit", "verify"]);
    expect_code(&missing, 1);

    let bad = setup(dir.path(), "12");
    assert_ne!(bad.status.code(), Some(0));
    assert!(stderr(&bad).contains("PIN"), "{}", stderr(&bad));
    let out = setup(dir.path(), "2580");
    expect_code(&out, 0);
    assert!(stdout(&out).contains("Awa Ndiaye"), "{}", stdout(&out));
    let again = setup(dir.path(), "2580");
    assert_ne!(again.status.code(), Some(0), "only once");
    assert!(
        stderr(&again).contains("déjà configurée"),
        "{}",
        stderr(&again)
    );

    let verify = at(dir.path(), &["audit", "verify"]);
    expect_code(&verify, 0);
    assert!(stdout(&verify).contains("intact"), "{}", stdout(&verify));
    let export = at(dir.path(), &["audit", "export"]);
    expect_code(&export, 0);
    let doc: serde_json::Value = serde_json::from_slice(&export.stdout).unwrap();
    let text = doc.to_string();
    assert!(
        text.contains("operator_created") && text.contains("\"hash\""),
        "{text}"
    );
    assert!(
        text.contains("NINEA 123\\nTél"),
        "the header's two lines: {text}"
    );
}

#[test]
fn audit_verify_reports_a_keyring_that_lost_the_key() {
    let dir = tempfile::tempdir().unwrap();
    expect_code(&setup(dir.path(), "2580"), 0);
    let verify = at(dir.path(), &["audit", "verify"]);
    expect_code(&verify, 0);
    assert!(stdout(&verify).contains("intact"), "{}", stdout(&verify));
    let export = at(dir.path(), &["audit", "export"]);
    let doc: serde_json::Value = serde_json::from_slice(&export.stdout).unwrap();
    assert_eq!(doc["format"], "guichet-audit-2");
    let key_id = doc["segments"][0]["key_id"].as_str().unwrap().to_owned();
    assert!(doc["entries"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["mac"].as_str().is_some_and(|m| m.len() == 64)));

    // The keyring loses the key (a kiosk's keyutils store after a reboot).
    common::forget_audit_entry(&format!("audit.key.{key_id}"));
    let n = doc["entries"].as_array().unwrap().len();

    let verify = at(dir.path(), &["audit", "verify"]);
    expect_code(&verify, 1);
    let out = stdout(&verify);
    assert!(
        out.contains("Clé du journal perdue par le trousseau")
            && out.contains(&format!(
                "entrées 1 à {n} (segment 1) invérifiables sans leur clé"
            )),
        "{out}"
    );
    assert!(!out.contains("altéré :"), "not called tampered: {out}");
    // The new segment is in the trail.
    let export = at(dir.path(), &["audit", "export"]);
    let doc: serde_json::Value = serde_json::from_slice(&export.stdout).unwrap();
    assert_eq!(doc["segments"][1]["reason"], "key_lost");
}

/// Runs `guichetctl ARGS…` under strace (every socket the process and its threads open) with
/// the core's start-up logs on; `stdin` is written to it. Returns the output and the trace.
fn traced(dir: &std::path::Path, args: &[&str], stdin: &str) -> (std::process::Output, String) {
    use std::io::Write;
    let trace = dir.join(format!("strace-{}.txt", args[0]));
    let mut child = std::process::Command::new("strace")
        .args(["-f", "-qq", "-e", "trace=socket,bind,connect", "-o"])
        .arg(&trace)
        // The audit chain's key in the run's own session keyring, as `common::bin` does.
        .args(["keyctl", "session", &common::keyring_service()])
        .arg(env!("CARGO_BIN_EXE_guichetctl"))
        .env_remove("GUICHET_DATA_DIR")
        .env("RUST_LOG", "guichet_core=info")
        .env("GUICHET_KEYRING", "keyutils")
        .env("GUICHET_KEYRING_SERVICE", common::keyring_service())
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("strace is installed by scripts/deps.sh test");
    writeln!(child.stdin.take().unwrap(), "{stdin}").unwrap();
    let out = child.wait_with_output().unwrap();
    let text = std::fs::read_to_string(&trace).unwrap();
    (out, text)
}

#[test]
fn read_only_and_setup_commands_start_no_provider_and_open_no_socket() {
    let fresh = tempfile::tempdir().unwrap();
    let (out, trace) = traced(
        fresh.path(),
        &["setup", "--shop", "Boutique Awa", "--manager", "Awa"],
        "2580",
    );
    expect_code(&out, 0);
    let mut runs = vec![("setup".to_owned(), out, trace)];

    let sb = Sb::start();
    let dir = tempfile::tempdir().unwrap();
    let sale = ctl(
        &sb,
        dir.path(),
        &["airtime", "--to", "77 123 45 67", "--amount", "1000"],
    );
    expect_code(&sale, 0);
    let id = op_id(&sale);
    for args in [
        vec!["history"],
        vec!["status", id.as_str()],
        vec!["receipt", id.as_str()],
        vec!["export", "--format", "csv"],
        vec!["audit", "verify"],
    ] {
        let (out, trace) = traced(dir.path(), &args, "");
        runs.push((args.join(" "), out, trace));
    }
    for (command, out, trace) in runs {
        assert!(
            out.status.success(),
            "{command}: {}\n{}",
            stdout(&out),
            stderr(&out)
        );
        let inet: Vec<&str> = trace.lines().filter(|l| l.contains("AF_INET")).collect();
        assert!(inet.is_empty(), "{command} opened a socket: {inet:?}");
        let logs = stderr(&out);
        for started in [
            "providers started",
            "reconciler: started",
            "training sandbox started",
        ] {
            assert!(!logs.contains(started), "{command}: {started}\n{logs}");
        }
    }
}

#[test]
fn a_second_process_only_reads_while_the_owner_has_an_operation_in_flight() {
    // The provider holds every request 2 s: the owner's sale is in flight meanwhile.
    let sb = Sb::start();
    sb.sandbox()
        .state()
        .set_faults(guichet_sandbox::Faults {
            latency_ms: Some([2000, 2000]),
            ..Default::default()
        })
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    // The till exists before the two processes meet (its ledger, schema and audit key made by
    // one process): two first opens of a brand-new data dir at once are another matter.
    expect_code(&ctl(&sb, dir.path(), &["history", "--json"]), 0);
    let owner = bin()
        .arg("--data-dir")
        .arg(dir.path())
        .args(["--sandbox", &sb.url])
        .args(["airtime", "--to", "77 123 45 67", "--amount", "1000"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait (reading only) until the owner's intent is in the ledger.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let in_flight = loop {
        let out = ctl(&sb, dir.path(), &["history", "--json"]);
        let rows: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap_or(serde_json::json!([]));
        if let Some(row) = rows.as_array().and_then(|r| r.first()) {
            break row.clone();
        }
        assert!(std::time::Instant::now() < deadline, "no intent written");
        std::thread::sleep(std::time::Duration::from_millis(50));
    };

    // The second process: reconcile and a sale are refused with their own exit code.
    let reconcile = ctl(&sb, dir.path(), &["reconcile", "--wait", "1"]);
    expect_code(&reconcile, 5);
    assert!(
        stderr(&reconcile).contains("seule la lecture"),
        "{}",
        stderr(&reconcile)
    );
    let sale = ctl(
        &sb,
        dir.path(),
        &["airtime", "--to", "77 765 43 21", "--amount", "1000"],
    );
    expect_code(&sale, 5);
    let status = ctl(
        &sb,
        dir.path(),
        &["status", in_flight["id"].as_str().unwrap()],
    );
    assert!(
        !stdout(&status).contains("unknown") && !stdout(&status).contains("annul"),
        "the non-owner touched the owner's operation:\n{}",
        stdout(&status)
    );

    let out = owner.wait_with_output().unwrap();
    expect_code(&out, 0);
    // One operation in the ledger, one transaction at the provider, under the same key.
    let rows: serde_json::Value =
        serde_json::from_slice(&ctl(&sb, dir.path(), &["export", "--format", "json"]).stdout)
            .unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["status"], "success");
    let recorded = sb.sandbox().state().transactions();
    assert_eq!(recorded.len(), 1, "{recorded:?}");
    assert_eq!(recorded[0]["external_id"], rows[0]["our_ref"]);
}

/// `guichetctl --data-dir DIR --sandbox URL ARGS…` with `stdin` written to it.
fn ctl_with_stdin(
    sb: &Sb,
    dir: &std::path::Path,
    args: &[&str],
    stdin: &str,
) -> std::process::Output {
    let mut cmd = bin();
    cmd.arg("--data-dir")
        .arg(dir)
        .args(["--sandbox", &sb.url])
        .args(args);
    with_stdin(cmd, stdin)
}

#[test]
fn review_list_and_settle_with_the_managers_pin() {
    let sb = Sb::start();
    let dir = tempfile::tempdir().unwrap();
    expect_code(&setup(dir.path(), "2580"), 0);
    // EASYTRANSFERT records the cash-in and its answer never comes: never resent, so review.
    sb.sandbox()
        .state()
        .set_faults(guichet_sandbox::Faults {
            hang_after_commit: 1.0,
            providers: Some(vec!["easytransfert".into()]),
            ..Default::default()
        })
        .unwrap();
    let sale = bin()
        .env("GUICHET_PROVIDER_TIMEOUT_MS", "800")
        .arg("--data-dir")
        .arg(dir.path())
        .args(["--sandbox", &sb.url])
        .args([
            "payout",
            "--service",
            "EASYTRANSFERT_20",
            "--to",
            "771234568",
        ])
        .args(["--amount", "1000", "--wait", "20"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    expect_code(&sale, 4);
    let id = op_id(&sale);
    sb.sandbox()
        .state()
        .set_faults(guichet_sandbox::Faults::default())
        .unwrap();

    let list = at(dir.path(), &["review", "list"]);
    expect_code(&list, 0);
    let text = stdout(&list);
    assert!(text.contains(&id), "{text}");
    assert!(text.contains("no_lookup_no_resend"), "{text}");
    assert!(text.contains("1 000 FCFA"), "{text}");
    let json = at(dir.path(), &["review", "list", "--json"]);
    expect_code(&json, 0);
    let items: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(items.as_array().unwrap().len(), 1, "{items}");
    assert_eq!(items[0]["operation"]["id"], id.as_str());
    assert_eq!(items[0]["reason_code"], "no_lookup_no_resend");
    assert!(items[0]["events"].as_array().unwrap().len() >= 3, "{items}");

    let settle = |outcome: &str, note: &str, manager: &str, pin: &str| {
        ctl_with_stdin(
            &sb,
            dir.path(),
            &[
                "review",
                "settle",
                &id,
                "--outcome",
                outcome,
                "--note",
                note,
                "--manager",
                manager,
            ],
            pin,
        )
    };
    // Refused input, nothing settled: no note, a wrong PIN, someone who is not a manager.
    let no_note = settle("success", "  ", "Awa Ndiaye", "2580");
    expect_code(&no_note, 2);
    assert!(stderr(&no_note).contains("note"), "{}", stderr(&no_note));
    expect_code(&settle("success", "vu", "Awa Ndiaye", "0000"), 2);
    expect_code(&settle("success", "vu", "Personne", "2580"), 2);
    let bad = ctl_with_stdin(
        &sb,
        dir.path(),
        &[
            "review",
            "settle",
            &id,
            "--outcome",
            "maybe",
            "--note",
            "x",
            "--manager",
            "Awa",
        ],
        "2580",
    );
    expect_code(&bad, 2);
    assert_eq!(
        at(dir.path(), &["review", "list", "--json"]).stdout,
        json.stdout,
        "still under review"
    );

    let done = settle(
        "success",
        "Vu payé dans l'espace EasyTransfert",
        "Awa Ndiaye",
        "2580",
    );
    expect_code(&done, 0);
    assert!(
        stdout(&done).contains("réussie / success"),
        "{}",
        stdout(&done)
    );
    let again = settle("failed", "erreur", "Awa Ndiaye", "2580");
    expect_code(&again, 2);

    let list = at(dir.path(), &["review", "list"]);
    expect_code(&list, 0);
    assert!(
        stdout(&list).contains("Nothing to review"),
        "{}",
        stdout(&list)
    );
    let receipt = at(dir.path(), &["receipt", &id]);
    expect_code(&receipt, 0);
    assert!(stdout(&receipt).contains("RÉUSSI"), "{}", stdout(&receipt));
    let status = at(dir.path(), &["status", &id]);
    expect_code(&status, 0);
    let export = at(dir.path(), &["audit", "export"]);
    expect_code(&export, 0);
    let doc: serde_json::Value = serde_json::from_slice(&export.stdout).unwrap();
    let settled: Vec<&serde_json::Value> = doc
        .as_array()
        .or_else(|| doc["entries"].as_array())
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "review_settled")
        .collect();
    assert_eq!(settled.len(), 1, "{doc}");
    assert_eq!(settled[0]["actor"], "Awa Ndiaye");
    assert_eq!(settled[0]["details"]["operation_id"], id.as_str());
    assert_eq!(settled[0]["details"]["outcome"], "success");
    assert_eq!(
        settled[0]["details"]["note"],
        "Vu payé dans l'espace EasyTransfert"
    );
    expect_code(&at(dir.path(), &["audit", "verify"]), 0);
}

#[test]
fn version_is_the_workspace_version() {
    let out = bin().arg("--version").output().unwrap();
    expect_code(&out, 0);
    assert_eq!(
        stdout(&out).trim(),
        format!("guichetctl {}", guichet_core::VERSION)
    );
}
