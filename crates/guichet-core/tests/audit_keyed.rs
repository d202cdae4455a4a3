//! The keyed audit chain on a real ledger file and the real kernel keyutils keyring (a service
//! name of each test's own): someone who holds the file, drops the guard triggers and rewrites
//! the trail from an entry on (recomputing every unkeyed hash) is caught by `verify`; a keyring
//! that lost the key is reported and a new keyed segment starts; a schema-2 trail migrates.
//!
//! Like `secrets_keyring.rs`, each test runs itself again under `keyctl session -` (a fresh
//! session keyring: the inherited one may refuse access); an unreachable store FAILS the test.

use chrono::{SecondsFormat, Utc};
use guichet_core::audit::{
    canonical_json, entry_hash, Audit, AuditAction, AuditError, AuditQuery, BreakKind, KeyState,
    GENESIS_HASH, SEGMENT_STARTED,
};
use guichet_core::desk::{AuditStatus, Desk, FirstRun};
use guichet_core::ledger::{Details, Ledger};
use guichet_core::secrets::{Backend, SecretStore};
use guichet_core::till::Till;
use serde_json::{json, Value};
use sqlx::sqlite::SqlitePoolOptions;
use sqlx::{Row, SqlitePool};

const INSIDE: &str = "GUICHET_TEST_AUDIT_KEYRING";

/// True inside the test's own keyutils session; otherwise runs the test `name` there, requires
/// it to pass, and gives false.
fn inside(name: &str) -> bool {
    if std::env::var_os(INSIDE).is_some() {
        return true;
    }
    let out = std::process::Command::new("keyctl")
        .args(["session", "-"])
        .arg(std::env::current_exe().unwrap())
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env(INSIDE, "1")
        .output()
        .unwrap_or_else(|e| panic!("cannot start keyctl ({e}): install Debian's keyutils"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "{name} in its keyutils session failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    false
}

/// A keyring service of this test's own on the kernel keyutils store.
fn service(name: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("guichet-test-audit-{name}-{}-{nanos}", std::process::id())
}

fn keyring(service: &str) -> SecretStore {
    SecretStore::open_with_service(Backend::Keyutils, service)
        .unwrap_or_else(|e| panic!("the keyutils keyring is unreachable: {e}"))
}

async fn open_sealed(path: &std::path::Path, service: &str) -> (Ledger, Audit, KeyState) {
    let ledger = Ledger::open(path).await.unwrap();
    let audit = Audit::new(&ledger);
    let state = audit.seal(Ok(keyring(service)), Utc::now()).await.unwrap();
    (ledger, audit, state)
}

async fn fill(audit: &Audit, n: usize) {
    for i in 0..n {
        audit
            .append(
                "Awa",
                AuditAction::SettingChanged,
                json!({"setting": "printer_width", "from": 58, "to": 80 + i}),
            )
            .await
            .unwrap();
    }
}

async fn raw(ledger: &Ledger) -> SqlitePool {
    SqlitePoolOptions::new()
        .max_connections(1)
        .connect(&format!("sqlite://{}", ledger.path().display()))
        .await
        .unwrap()
}

async fn drop_guards(db: &SqlitePool) {
    for t in [
        "audit_log_no_update",
        "audit_log_no_delete",
        "audit_log_chain",
    ] {
        sqlx::query(&format!("DROP TRIGGER IF EXISTS {t}"))
            .execute(db)
            .await
            .unwrap();
    }
}

/// What a forger with the file (and without the key) does: from entry `from` on, rewrites each
/// row through `edit` (details, or `None` to drop it), renumbers, recomputes every unkeyed
/// hash, and keeps whatever `mac`/`segment` `seal` gives.
async fn rewrite_from(
    db: &SqlitePool,
    from: i64,
    edit: impl Fn(i64, Details) -> Option<Details>,
    seal: impl Fn(Option<i64>, Option<String>) -> (Option<i64>, Option<String>),
) {
    let rows = sqlx::query(
        "SELECT seq, at, actor, action, details, segment, mac FROM audit_log WHERE seq >= ? \
         ORDER BY seq",
    )
    .bind(from)
    .fetch_all(db)
    .await
    .unwrap();
    let mut prev: String = if from == 1 {
        GENESIS_HASH.to_owned()
    } else {
        sqlx::query_scalar("SELECT hash FROM audit_log WHERE seq = ?")
            .bind(from - 1)
            .fetch_one(db)
            .await
            .unwrap()
    };
    sqlx::query("DELETE FROM audit_log WHERE seq >= ?")
        .bind(from)
        .execute(db)
        .await
        .unwrap();
    let mut seq = from;
    for row in rows {
        let old_seq: i64 = row.get("seq");
        let details: Details = serde_json::from_str(row.get::<&str, _>("details")).unwrap();
        let Some(details) = edit(old_seq, details) else {
            continue;
        };
        let at: String = row.get("at");
        let actor: String = row.get("actor");
        let action: String = row.get("action");
        let hash = entry_hash(&prev, seq, &at, &actor, &action, &details);
        let (segment, mac) = seal(row.get("segment"), row.get("mac"));
        sqlx::query(
            "INSERT INTO audit_log (seq, at, actor, action, details, prev_hash, hash, segment, mac) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(seq)
        .bind(&at)
        .bind(&actor)
        .bind(&action)
        .bind(canonical_json(&Value::Object(details)))
        .bind(&prev)
        .bind(&hash)
        .bind(segment)
        .bind(mac)
        .execute(db)
        .await
        .unwrap();
        prev = hash;
        seq += 1;
    }
}

#[tokio::test]
async fn every_entry_is_sealed_with_the_keyring_key_and_verifies() {
    if !inside("every_entry_is_sealed_with_the_keyring_key_and_verifies") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let svc = service("sealed");
    let (_ledger, audit, state) = open_sealed(&dir.path().join("ledger.sqlite"), &svc).await;
    assert_eq!(state, KeyState::Present);
    fill(&audit, 4).await;
    let entries = audit.list(&AuditQuery::default()).await.unwrap();
    assert_eq!(entries[0].action, SEGMENT_STARTED);
    assert_eq!(entries[0].details["reason"], "first_key");
    let key_id = entries[0].details["seal_id"].as_str().unwrap().to_owned();
    assert!(entries.iter().all(|e| e.segment == Some(1)));
    assert!(entries
        .iter()
        .all(|e| e.mac.as_ref().is_some_and(|m| m.len() == 64)));
    let report = audit.verify().await.unwrap();
    assert_eq!((report.entries, report.sealed, report.legacy), (5, 5, 0));
    assert!(report.complete(), "{report:?}");
    // The key is in the keyring under its id, never in the ledger file.
    let stored = keyring(&svc)
        .get_audit(&format!("audit.key.{key_id}"))
        .unwrap()
        .expect("the key is in the keyring");
    let file = std::fs::read(dir.path().join("ledger.sqlite")).unwrap();
    let secret = secrecy::ExposeSecret::expose_secret(&stored).to_owned();
    assert!(!String::from_utf8_lossy(&file).contains(&secret));

    // The export names the segment, its key's keyring entry and every MAC.
    let export: Value = serde_json::from_str(&audit.export_json().await.unwrap()).unwrap();
    assert_eq!(export["segments"][0]["key_id"], key_id.as_str());
    assert_eq!(
        export["segments"][0]["keyring_entry"],
        format!("audit.key.{key_id}")
    );
    assert_eq!(export["keyring_service"], svc.as_str());
    assert_eq!(export["entries"][4]["mac"], entries[4].mac.clone().unwrap());
}

#[tokio::test]
async fn a_rewrite_from_an_entry_on_with_recomputed_hashes_fails_verify() {
    if !inside("a_rewrite_from_an_entry_on_with_recomputed_hashes_fails_verify") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let svc = service("rewrite");
    let (ledger, audit, _) = open_sealed(&dir.path().join("ledger.sqlite"), &svc).await;
    fill(&audit, 6).await;
    let db = raw(&ledger).await;
    drop_guards(&db).await;
    // Entry 4 edited, every hash from there recomputed, the old MACs kept.
    rewrite_from(
        &db,
        4,
        |seq, mut d| {
            if seq == 4 {
                d.insert("to".into(), json!(58));
            }
            Some(d)
        },
        |s, m| (s, m),
    )
    .await;
    // The unkeyed chain alone is whole again: only the MAC shows the rewrite.
    assert_eq!(
        audit.verify().await.unwrap_err(),
        AuditError::Broken {
            seq: 4,
            kind: BreakKind::Forged
        }
    );
}

#[tokio::test]
async fn deleted_inserted_unsealed_and_rechained_entries_fail_verify() {
    if !inside("deleted_inserted_unsealed_and_rechained_entries_fail_verify") {
        return;
    }
    let svc = service("kinds");
    // Each case on a fresh trail of 1 segment start + 6 entries.
    for case in [
        "deleted",
        "inserted",
        "unsealed",
        "all_plain",
        "foreign_segment",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let (ledger, audit, _) = open_sealed(&dir.path().join("ledger.sqlite"), &svc).await;
        fill(&audit, 6).await;
        let db = raw(&ledger).await;
        drop_guards(&db).await;
        let expected = match case {
            "deleted" => {
                rewrite_from(&db, 3, |seq, d| (seq != 3).then_some(d), |s, m| (s, m)).await;
                AuditError::Broken {
                    seq: 3,
                    kind: BreakKind::Forged,
                }
            }
            "inserted" => {
                sqlx::query(
                    "INSERT INTO audit_log (seq, at, actor, action, details, prev_hash, hash, \
                     segment, mac) SELECT 100, at, actor, action, details, prev_hash, ?, \
                     segment, mac FROM audit_log WHERE seq = 3",
                )
                .bind("f".repeat(64))
                .execute(&db)
                .await
                .unwrap();
                // 3 is duplicated right after itself, then everything renumbered and re-hashed.
                sqlx::query("UPDATE audit_log SET seq = seq + 1000 WHERE seq > 3")
                    .execute(&db)
                    .await
                    .unwrap();
                sqlx::query("UPDATE audit_log SET seq = 4 WHERE seq = 1100")
                    .execute(&db)
                    .await
                    .unwrap();
                sqlx::query("UPDATE audit_log SET seq = seq - 999 WHERE seq > 1000")
                    .execute(&db)
                    .await
                    .unwrap();
                rewrite_from(&db, 4, |_, d| Some(d), |s, m| (s, m)).await;
                AuditError::Broken {
                    seq: 4,
                    kind: BreakKind::Forged,
                }
            }
            "unsealed" => {
                rewrite_from(&db, 5, |_, d| Some(d), |_, _| (Some(1), None)).await;
                AuditError::Broken {
                    seq: 5,
                    kind: BreakKind::Unsealed,
                }
            }
            "all_plain" => {
                // Every keyed entry dropped, the rest rebuilt as a plain (schema 2) chain: the
                // keyring still names this till's segment.
                rewrite_from(
                    &db,
                    1,
                    |seq, d| (seq != 1).then_some(d),
                    |_, _| (None, None),
                )
                .await;
                AuditError::Broken {
                    seq: 7,
                    kind: BreakKind::Truncated,
                }
            }
            _ => {
                // A new segment "started" at 4 under a key the forger made up.
                let forged = guichet_core::audit::AuditKey::generate();
                let forged_id = forged.id().to_owned();
                rewrite_from(
                    &db,
                    4,
                    |seq, d| {
                        if seq == 4 {
                            let mut s = Details::new();
                            s.insert("segment".into(), json!(2));
                            s.insert("seal_id".into(), json!(forged_id));
                            s.insert("reason".into(), json!("key_lost"));
                            Some(s)
                        } else {
                            Some(d)
                        }
                    },
                    |_, _| (Some(2), Some("0".repeat(64))),
                )
                .await;
                sqlx::query("UPDATE audit_log SET action = ? WHERE seq = 4")
                    .bind(SEGMENT_STARTED)
                    .execute(&db)
                    .await
                    .unwrap();
                rewrite_from(&db, 4, |_, d| Some(d), |s, m| (s, m)).await;
                AuditError::Broken {
                    seq: 4,
                    kind: BreakKind::ForeignSegment,
                }
            }
        };
        assert_eq!(audit.verify().await.unwrap_err(), expected, "{case}");
        db.close().await;
        ledger.close().await;
    }
}

#[tokio::test]
async fn a_keyring_that_lost_the_key_is_reported_and_a_new_segment_starts() {
    if !inside("a_keyring_that_lost_the_key_is_reported_and_a_new_segment_starts") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let svc = service("lost");
    let path = dir.path().join(guichet_core::till::LEDGER_FILE);
    let (ledger, audit, _) = open_sealed(&path, &svc).await;
    fill(&audit, 3).await;
    let key_id = audit.list(&AuditQuery::default()).await.unwrap()[0].details["seal_id"]
        .as_str()
        .unwrap()
        .to_owned();
    ledger.close().await;
    // The keyring loses the key (keyutils after a reboot, a wiped profile).
    assert!(keyring(&svc)
        .delete_audit(&format!("audit.key.{key_id}"))
        .unwrap());

    let (ledger, audit, state) = open_sealed(&path, &svc).await;
    assert_eq!(state, KeyState::Renewed, "the loss is reported");
    fill(&audit, 2).await;
    let entries = audit.list(&AuditQuery::default()).await.unwrap();
    let start = &entries[4];
    assert_eq!(start.action, SEGMENT_STARTED);
    assert_eq!(start.segment, Some(2));
    assert_eq!(start.details["reason"], "key_lost");
    assert_eq!(start.details["lost_segment"], 1);
    let report = audit.verify().await.unwrap();
    assert_eq!(report.key, KeyState::Renewed);
    assert_eq!(report.entries, 7);
    assert_eq!(report.sealed, 3, "the new segment verifies with its key");
    assert_eq!(report.unverifiable.len(), 1);
    let span = &report.unverifiable[0];
    assert_eq!((span.segment, span.first_seq, span.last_seq), (1, 1, 4));
    assert_eq!(span.key_id, key_id);
    assert!(
        !report.complete(),
        "unverifiable entries are not called intact"
    );
    ledger.close().await;

    // The manager's integrity check (Réglages › Journal, `guichetctl audit verify`) says so.
    let desk = Desk::new(Till::open(dir.path()).await.unwrap());
    desk.set_keyring(Backend::Keyutils, &svc);
    assert_eq!(desk.seal_audit().await.unwrap(), KeyState::Present);
    desk.first_run(FirstRun {
        shop_name: "Boutique Awa".into(),
        shop_address: "Dakar".into(),
        receipt_header: String::new(),
        manager_name: "Awa Ndiaye".into(),
        pin: "2580".to_owned().into(),
    })
    .await
    .unwrap();
    let check = desk.audit_verify().await.unwrap();
    assert!(!check.ok, "{check:?}");
    assert_eq!(check.status, AuditStatus::Unverifiable);
    assert_eq!(check.broken_at, None, "not reported as tampered");
    assert_eq!(check.unverifiable.len(), 1);
    assert!(
        check.message.fr.contains("invérifiables sans leur clé")
            && check.message.fr.contains("entrées 1 à 4"),
        "{}",
        check.message.fr
    );
    desk.close().await;
}

#[tokio::test]
async fn an_unreachable_keyring_is_reported_not_ignored() {
    if !inside("an_unreachable_keyring_is_reported_not_ignored") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let svc = service("unreachable");
    let path = dir.path().join("ledger.sqlite");
    let (ledger, audit, _) = open_sealed(&path, &svc).await;
    fill(&audit, 2).await;
    ledger.close().await;

    let ledger = Ledger::open(&path).await.unwrap();
    let audit = Audit::new(&ledger);
    let state = audit
        .seal(
            Err(guichet_core::secrets::SecretsError::Unavailable {
                backend: "secret-service".into(),
                detail: "no session bus".into(),
            }),
            Utc::now(),
        )
        .await
        .unwrap();
    assert_eq!(state, KeyState::Unavailable);
    let report = audit.verify().await.unwrap();
    assert_eq!(report.key, KeyState::Unavailable);
    assert_eq!(report.unverifiable.len(), 1, "{report:?}");
    assert!(!report.complete());
    // An entry written meanwhile carries no MAC, and a sealed till later calls it unsealed.
    fill(&audit, 1).await;
    ledger.close().await;
    let (_ledger, audit, _) = open_sealed(&path, &svc).await;
    assert_eq!(
        audit.verify().await.unwrap_err(),
        AuditError::Broken {
            seq: 4,
            kind: BreakKind::Unsealed
        }
    );
}

#[tokio::test]
async fn a_schema_2_trail_keeps_its_plain_chain_and_starts_the_keyed_segment() {
    if !inside("a_schema_2_trail_keeps_its_plain_chain_and_starts_the_keyed_segment") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    // A ledger written by the previous version: migrations 0001 and 0002 only, plain entries.
    let old = dir.path().join("v2");
    std::fs::create_dir(&old).unwrap();
    let migrations = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    for f in ["0001_ledger.sql", "0002_operators_audit.sql"] {
        std::fs::copy(migrations.join(f), old.join(f)).unwrap();
    }
    let v2 = sqlx::migrate::Migrator::new(old.as_path()).await.unwrap();
    let db = SqlitePoolOptions::new()
        .connect(&format!("sqlite://{}?mode=rwc", path.display()))
        .await
        .unwrap();
    v2.run(&db).await.unwrap();
    let mut prev = GENESIS_HASH.to_owned();
    for seq in 1..=3i64 {
        let at = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
        let details = json!({"operator_id": seq}).as_object().unwrap().clone();
        let hash = entry_hash(&prev, seq, &at, "Awa", "login", &details);
        sqlx::query(
            "INSERT INTO audit_log (seq, at, actor, action, details, prev_hash, hash) \
             VALUES (?, ?, 'Awa', 'login', ?, ?, ?)",
        )
        .bind(seq)
        .bind(&at)
        .bind(canonical_json(&Value::Object(details)))
        .bind(&prev)
        .bind(&hash)
        .execute(&db)
        .await
        .unwrap();
        prev = hash;
    }
    db.close().await;

    let svc = service("migrated");
    let (ledger, audit, state) = open_sealed(&path, &svc).await;
    assert!(ledger.migration_backup().is_some(), "backed up before 0005");
    assert_eq!(state, KeyState::Present);
    fill(&audit, 2).await;
    let entries = audit.list(&AuditQuery::default()).await.unwrap();
    assert_eq!(entries[3].action, SEGMENT_STARTED);
    assert_eq!(entries[3].details["reason"], "migrated");
    assert_eq!(entries[3].prev_hash, entries[2].hash, "one chain across");
    let report = audit.verify().await.unwrap();
    assert_eq!(
        (report.entries, report.legacy, report.sealed),
        (6, 3, 3),
        "old entries by the old chain, new ones by their key"
    );
    assert!(report.complete());

    // An old entry edited behind the triggers' back is still found by the plain chain.
    let db = raw(&ledger).await;
    drop_guards(&db).await;
    sqlx::query("UPDATE audit_log SET actor = 'Moussa' WHERE seq = 2")
        .execute(&db)
        .await
        .unwrap();
    assert_eq!(
        audit.verify().await.unwrap_err(),
        AuditError::Broken {
            seq: 2,
            kind: BreakKind::Edited
        }
    );
}

/// The app seals its trail before its first entry of a start (`app_started`): opened twice on a
/// keyed ledger, every entry is sealed and the chain verifies whole.
#[tokio::test]
async fn the_app_seals_its_start_entry_and_the_trail_verifies_across_restarts() {
    if !inside("the_app_seals_its_start_entry_and_the_trail_verifies_across_restarts") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let svc = service("app");
    for _ in 0..2 {
        let desk = Desk::open_app(
            dir.path(),
            guichet_core::providers::ProviderTarget::Training,
            Backend::Keyutils,
            &svc,
        )
        .await
        .unwrap();
        desk.close().await;
    }
    let ledger = Ledger::open(dir.path().join("guichet.db")).await.unwrap();
    let audit = Audit::new(&ledger);
    audit.seal(Ok(keyring(&svc)), Utc::now()).await.unwrap();
    let entries = audit.list(&AuditQuery::default()).await.unwrap();
    let started: Vec<_> = entries
        .iter()
        .filter(|e| e.action == "app_started")
        .collect();
    assert_eq!(started.len(), 2, "{entries:?}");
    assert!(
        started.iter().all(|e| e.mac.is_some()),
        "unsealed start entry: {started:?}"
    );
    let report = audit.verify().await.unwrap();
    assert!(report.complete(), "{report:?}");
    assert_eq!(report.sealed, report.entries, "{report:?}");
}
