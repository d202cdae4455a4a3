//! Ledger tests, each on a real SQLite file in a temporary folder.

use std::path::{Path, PathBuf};

use serde_json::json;
use sqlx::migrate::Migrator;
use tempfile::TempDir;

use super::open::{open_with, MIGRATOR};
use super::*;

fn temp() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data").join("guichet.sqlite");
    (dir, path)
}

fn new_op(key: &str, customer: &str, amount: i64) -> NewOperation {
    NewOperation {
        idempotency_key: key.to_owned(),
        provider: "dexchange".into(),
        service_code: "WOYOFAL_SN_BILL".into(),
        kind: "woyofal".into(),
        country: "SN".into(),
        currency: "XOF".into(),
        amount_minor: amount,
        fee_minor: None,
        customer_ref: customer.to_owned(),
        invoice_ref: None,
        operator_name: "Awa".into(),
        training: true,
        details: Details::new(),
    }
}

/// A migrator with the real migration 1 only, and one with an extra migration 2, loaded from
/// files (as a future Guichet would embed them).
async fn migrators(dir: &Path) -> (Migrator, Migrator) {
    let v1 = dir.join("m1");
    let v2 = dir.join("m2");
    for d in [&v1, &v2] {
        std::fs::create_dir_all(d).unwrap();
        std::fs::write(
            d.join("0001_ledger.sql"),
            include_str!("../../migrations/0001_ledger.sql"),
        )
        .unwrap();
    }
    std::fs::write(
        v2.join("0002_future.sql"),
        "ALTER TABLE operations ADD COLUMN future_column TEXT NULL;",
    )
    .unwrap();
    (
        Migrator::new(v1.as_path()).await.unwrap(),
        Migrator::new(v2.as_path()).await.unwrap(),
    )
}

async fn count(ledger: &Ledger, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(ledger.pool())
        .await
        .unwrap()
}

#[test]
fn the_embedded_migrations_are_numbered_from_one() {
    let versions: Vec<i64> = MIGRATOR.iter().map(|m| m.version).collect();
    assert_eq!(versions.first(), Some(&1));
    for (i, v) in versions.iter().enumerate() {
        assert_eq!(*v, i as i64 + 1, "migrations must be numbered 0001, 0002…");
    }
}

#[tokio::test]
async fn open_creates_the_file_in_wal_mode_with_the_schema() {
    let (_dir, path) = temp();
    let ledger = Ledger::open(&path).await.unwrap();
    assert!(path.exists());
    assert_eq!(ledger.path(), path);
    assert!(
        ledger.migration_backup().is_none(),
        "a fresh file needs no backup"
    );

    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(ledger.pool())
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(ledger.pool())
        .await
        .unwrap();
    assert_eq!(fk, 1);
    let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
        .fetch_one(ledger.pool())
        .await
        .unwrap();
    assert_eq!(sync, 2, "synchronous=FULL");

    for table in ["operations", "operation_events", "settings"] {
        let n = count(
            &ledger,
            &format!("SELECT COUNT(*) FROM sqlite_schema WHERE type='table' AND name='{table}'"),
        )
        .await;
        assert_eq!(n, 1, "{table}");
    }
    let latest = MIGRATOR.iter().map(|m| m.version).max().unwrap();
    assert_eq!(ledger.schema_version().await.unwrap(), latest);
    ledger.close().await;
    // No stray backup next to a fresh file.
    let names: Vec<String> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.contains(".bak-")), "{names:?}");
}

#[tokio::test]
async fn reopening_keeps_the_data() {
    let (_dir, path) = temp();
    let ledger = Ledger::open(&path).await.unwrap();
    let op = ledger
        .insert_operation(new_op("K1", "771234567", 5000))
        .await
        .unwrap();
    ledger
        .set_setting("shop_name", "Boutique Ndiaye")
        .await
        .unwrap();
    ledger.close().await;

    let ledger = Ledger::open(&path).await.unwrap();
    assert!(ledger.migration_backup().is_none(), "nothing to migrate");
    assert_eq!(ledger.get(op.id).await.unwrap(), Some(op));
    assert_eq!(
        ledger.setting("shop_name").await.unwrap().as_deref(),
        Some("Boutique Ndiaye")
    );
}

#[tokio::test]
async fn a_garbage_file_is_refused_and_left_untouched() {
    let (_dir, path) = temp();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let garbage: Vec<u8> = (0..10_000u32).map(|i| (i * 7 + 3) as u8).collect();
    std::fs::write(&path, &garbage).unwrap();

    let err = Ledger::open(&path).await.unwrap_err();
    assert!(
        matches!(&err, LedgerError::Corrupt { path: p, .. } if p == &path),
        "{err:?}"
    );
    assert!(err.message().fr.contains("endommagé"));
    assert!(std::fs::read(&path).unwrap() == garbage, "file changed");
}

/// A closed ledger of 200 operations whose last pages were scribbled over; its bytes.
async fn damaged_ledger(path: &Path) -> Vec<u8> {
    let ledger = Ledger::open(path).await.unwrap();
    for i in 0..200 {
        ledger
            .insert_operation(new_op(&format!("K{i}"), "771234567", 1000 + i))
            .await
            .unwrap();
    }
    test_files::close_into_file(ledger, path).await;
    test_files::scribble_last_pages(path)
}

/// Fails naming the bytes of `path` that differ from `before`.
fn assert_unchanged(path: &Path, before: &[u8]) {
    let after = std::fs::read(path).unwrap();
    let changed: Vec<usize> = (0..after.len().max(before.len()))
        .filter(|i| after.get(*i) != before.get(*i))
        .collect();
    assert!(
        changed.is_empty(),
        "file changed: {} bytes, first at {:?}, len {} -> {}",
        changed.len(),
        changed.first(),
        before.len(),
        after.len()
    );
}

#[tokio::test]
async fn a_damaged_database_is_found_by_its_check_and_takes_no_new_operation() {
    let (_dir, path) = temp();
    let bytes = damaged_ledger(&path).await;

    // Opening does not read every page (seconds at a million operations): the check does.
    let ledger = Ledger::open(&path).await.unwrap();
    assert!(ledger.damage().is_none(), "not checked yet");
    let err = ledger.check_integrity().await.unwrap_err();
    assert!(matches!(err, LedgerError::Corrupt { .. }), "{err:?}");
    assert_eq!(err.code(), "ledger_corrupt");
    assert!(err.message().fr.contains("endommagé"));
    assert!(matches!(ledger.damage(), Some(LedgerError::Corrupt { .. })));

    // No new operation goes into a damaged file; nothing was written to it.
    refuses_and_closes_untouched(ledger, "K-after", &path, &bytes).await;

    // A restart does not forget it: the marker beside the file is read at every open.
    let marker = integrity::marker_path(&path);
    let recorded = std::fs::read_to_string(&marker).unwrap();
    assert!(!recorded.trim().is_empty(), "the marker names the damage");
    let reopened = Ledger::open(&path).await.unwrap();
    assert!(matches!(
        reopened.damage(),
        Some(LedgerError::Corrupt { .. })
    ));
    refuses_and_closes_untouched(reopened, "K-restart", &path, &bytes).await;
}

/// `ledger` refuses a new operation under `key` (`ledger_corrupt`); closed, the file at `path` is
/// still `bytes`.
async fn refuses_and_closes_untouched(ledger: Ledger, key: &str, path: &Path, bytes: &[u8]) {
    let refused = ledger
        .insert_operation(new_op(key, "771234567", 5000))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "ledger_corrupt");
    ledger.close().await;
    assert_unchanged(path, bytes);
}

#[tokio::test]
async fn a_sound_database_passes_its_check_and_takes_operations() {
    let (_dir, path) = temp();
    let ledger = Ledger::open(&path).await.unwrap();
    ledger
        .insert_operation(new_op("K1", "771234567", 1000))
        .await
        .unwrap();
    ledger.check_integrity().await.unwrap();
    assert!(ledger.damage().is_none());
    assert!(!integrity::marker_path(&path).exists());
    ledger
        .insert_operation(new_op("K2", "771234567", 2000))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_damaged_database_is_refused_before_an_upgrade_and_left_untouched() {
    let (dir, path) = temp();
    let (v1, v2) = migrators(dir.path()).await;
    let ledger = open_with(&path, &v1).await.unwrap();
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) \
         INSERT INTO settings (key, value, updated_at) \
         SELECT 'filler.' || i, hex(randomblob(100)), '2026-01-01T00:00:00Z' FROM n",
    )
    .execute(ledger.pool())
    .await
    .unwrap();
    test_files::close_into_file(ledger, &path).await;
    // Its last pages hold the filler: opening alone would not read them.
    let bytes = test_files::scribble_last_pages(&path);

    // Migration 2 is pending: every page is read first, and a damaged file is not migrated.
    let err = open_with(&path, &v2).await.unwrap_err();
    assert!(matches!(err, LedgerError::Corrupt { .. }), "{err:?}");
    assert_unchanged(&path, &bytes);
    assert!(
        std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .all(|e| !e.unwrap().file_name().to_string_lossy().contains(".bak-")),
        "no backup copy either: nothing was upgraded"
    );
}

#[tokio::test]
async fn a_foreign_database_is_refused() {
    let (_dir, path) = temp();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let pool = sqlx::SqlitePool::connect_with(
        sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true),
    )
    .await
    .unwrap();
    sqlx::query("CREATE TABLE photos (id INTEGER)")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;

    let err = Ledger::open(&path).await.unwrap_err();
    assert!(matches!(err, LedgerError::Corrupt { .. }), "{err:?}");
}

#[tokio::test]
async fn a_newer_schema_is_refused_before_any_migration() {
    let (dir, path) = temp();
    let (v1, _v2) = migrators(dir.path()).await;
    // A file at schema 1 to which a newer Guichet added migration 99.
    let ledger = open_with(&path, &v1).await.unwrap();
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (99, 'from the future', 1, x'00', 0)",
    )
    .execute(ledger.pool())
    .await
    .unwrap();
    ledger.close().await;

    let err = Ledger::open(&path).await.unwrap_err();
    assert!(
        matches!(
            err,
            LedgerError::NewerSchema {
                found: 99,
                supported
            } if supported == MIGRATOR.iter().map(|m| m.version).max().unwrap()
        ),
        "{err:?}"
    );
    assert!(err.message().fr.contains("plus récente"));
    // Nothing was backed up or migrated.
    let names: Vec<String> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.contains(".bak-")), "{names:?}");
}

#[tokio::test]
async fn migrating_an_existing_file_backs_it_up_first() {
    let (dir, path) = temp();
    let (v1, v2) = migrators(dir.path()).await;
    let ledger = open_with(&path, &v1).await.unwrap();
    let op = ledger
        .insert_operation(new_op("K1", "771234567", 5000))
        .await
        .unwrap();
    ledger.close().await;

    let ledger = open_with(&path, &v2).await.unwrap();
    let backup = ledger.migration_backup().expect("a backup").to_owned();
    let name = backup.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("guichet.sqlite.bak-v1-"), "{name}");
    assert_eq!(backup.parent(), path.parent());
    // The new schema is in place and the data survived.
    assert_eq!(ledger.schema_version().await.unwrap(), 2);
    assert_eq!(
        count(
            &ledger,
            "SELECT COUNT(*) FROM pragma_table_info('operations') WHERE name='future_column'"
        )
        .await,
        1
    );
    assert_eq!(ledger.get(op.id).await.unwrap().unwrap().id, op.id);
    ledger.close().await;

    // The backup is the old file: schema 1, same operation, opens with this version's ledger.
    let old = open_with(&backup, &v1).await.unwrap();
    assert_eq!(old.schema_version().await.unwrap(), 1);
    assert_eq!(old.get(op.id).await.unwrap(), Some(op));
    assert!(old.migration_backup().is_none());
    old.close().await;

    // And a fresh file migrated straight to v2 needs no backup.
    let fresh = open_with(&dir.path().join("fresh.sqlite"), &v2)
        .await
        .unwrap();
    assert!(fresh.migration_backup().is_none());
}

#[tokio::test]
async fn a_half_done_migration_is_refused() {
    let (dir, path) = temp();
    let (v1, v2) = migrators(dir.path()).await;
    let ledger = open_with(&path, &v1).await.unwrap();
    let checksum: Vec<u8> = v2
        .iter()
        .find(|m| m.version == 2)
        .unwrap()
        .checksum
        .to_vec();
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (2, 'future', 0, ?, 0)",
    )
    .bind(checksum)
    .execute(ledger.pool())
    .await
    .unwrap();
    ledger.close().await;
    let err = open_with(&path, &v2).await.unwrap_err();
    assert!(matches!(err, LedgerError::Migration { .. }), "{err:?}");
}

#[tokio::test]
async fn backup_to_makes_a_consistent_copy_and_never_overwrites() {
    let (dir, path) = temp();
    let ledger = Ledger::open(&path).await.unwrap();
    let op = ledger
        .insert_operation(new_op("K1", "771234567", 5000))
        .await
        .unwrap();
    let dest = dir.path().join("copy.sqlite");
    ledger.backup_to(&dest).await.unwrap();
    let err = ledger.backup_to(&dest).await.unwrap_err();
    assert!(matches!(err, LedgerError::Backup { .. }), "{err:?}");

    let copy = Ledger::open(&dest).await.unwrap();
    assert_eq!(copy.get(op.id).await.unwrap(), Some(op));
}

#[tokio::test]
async fn insert_then_transitions_write_events_in_order() {
    let (_dir, path) = temp();
    let ledger = Ledger::open(&path).await.unwrap();
    let op = ledger
        .insert_operation(new_op("K1", "771234567", 5000))
        .await
        .unwrap();
    assert_eq!(op.status, OperationStatus::Prepared);
    assert_eq!(op.id.get_version_num(), 7);
    assert_eq!(op.amount_minor, 5000);
    assert!(op.provider_ref.is_none() && op.token.is_none());

    let op = ledger
        .transition(
            op.id,
            OperationStatus::Sent,
            EventInput::new(EventSource::Engine),
        )
        .await
        .unwrap();
    assert_eq!(op.status, OperationStatus::Sent);
    let op = ledger
        .transition(
            op.id,
            OperationStatus::Processing,
            EventInput::new(EventSource::Engine)
                .provider_ref("TXN-42")
                .fee_minor(150)
                .raw(json!({"Status": "PROCESSING", "transactionId": "TXN-42"}))
                .detail("meter_status", json!("ok")),
        )
        .await
        .unwrap();
    assert_eq!(op.provider_ref.as_deref(), Some("TXN-42"));
    assert_eq!(op.fee_minor, Some(150));
    assert_eq!(op.details["meter_status"], json!("ok"));

    // The token arrives without a status change, then success.
    let op = ledger
        .record_event(
            op.id,
            EventInput::new(EventSource::Reconciler)
                .token("1234-5678-9012-3456-7890")
                .note("token received"),
        )
        .await
        .unwrap();
    assert_eq!(op.status, OperationStatus::Processing);
    let op = ledger
        .transition(
            op.id,
            OperationStatus::Success,
            EventInput::new(EventSource::Reconciler).provider_ref("TXN-42"),
        )
        .await
        .unwrap();
    assert_eq!(op.status, OperationStatus::Success);
    assert_eq!(op.token.as_deref(), Some("1234-5678-9012-3456-7890"));
    assert!(op.updated_at >= op.created_at);

    let events = ledger.events(op.id).await.unwrap();
    let seqs: Vec<i64> = events.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, [1, 2, 3, 4, 5]);
    use OperationStatus::*;
    let moves: Vec<(Option<OperationStatus>, OperationStatus)> = events
        .iter()
        .map(|e| (e.from_status, e.to_status))
        .collect();
    assert_eq!(
        moves,
        [
            (None, Prepared),
            (Some(Prepared), Sent),
            (Some(Sent), Processing),
            (Some(Processing), Processing),
            (Some(Processing), Success),
        ]
    );
    assert!(events[0].changes_status() && !events[3].changes_status());
    assert_eq!(events[2].raw.as_ref().unwrap()["transactionId"], "TXN-42");
    assert_eq!(events[2].fee_minor, Some(150));
    assert_eq!(events[3].source, EventSource::Reconciler);
    assert_eq!(events[3].note.as_deref(), Some("token received"));
    assert!(events.windows(2).all(|w| w[0].at <= w[1].at));
    assert!(ledger.list_non_final().await.unwrap().is_empty());
}

#[tokio::test]
async fn an_illegal_transition_is_refused_and_writes_nothing() {
    let (_dir, path) = temp();
    let ledger = Ledger::open(&path).await.unwrap();
    let op = ledger
        .insert_operation(new_op("K1", "771234567", 5000))
        .await
        .unwrap();

    // prepared → success skips sending.
    let err = ledger
        .transition(
            op.id,
            OperationStatus::Success,
            EventInput::new(EventSource::Engine).token("999"),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            LedgerError::IllegalTransition {
                from: OperationStatus::Prepared,
                to: OperationStatus::Success,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(ledger.get(op.id).await.unwrap(), Some(op.clone()));
    assert_eq!(ledger.events(op.id).await.unwrap().len(), 1);

    // A final never moves again.
    for s in [OperationStatus::Sent, OperationStatus::Failed] {
        ledger
            .transition(op.id, s, EventInput::new(EventSource::Engine))
            .await
            .unwrap();
    }
    let before = ledger.get(op.id).await.unwrap().unwrap();
    let err = ledger
        .transition(op.id, OperationStatus::Success, EventInput::default())
        .await
        .unwrap_err();
    assert!(matches!(err, LedgerError::IllegalTransition { .. }));
    assert_eq!(ledger.get(op.id).await.unwrap(), Some(before));
    assert_eq!(ledger.events(op.id).await.unwrap().len(), 3);

    // Unknown operation.
    let missing = Uuid::now_v7();
    let err = ledger
        .transition(missing, OperationStatus::Sent, EventInput::default())
        .await
        .unwrap_err();
    assert!(matches!(err, LedgerError::NotFound { id } if id == missing));
}

#[tokio::test]
async fn provider_ref_and_token_are_write_once() {
    let (_dir, path) = temp();
    let ledger = Ledger::open(&path).await.unwrap();
    let op = ledger
        .insert_operation(new_op("K1", "771234567", 5000))
        .await
        .unwrap();
    ledger
        .transition(
            op.id,
            OperationStatus::Sent,
            EventInput::default().provider_ref("A"),
        )
        .await
        .unwrap();
    let err = ledger
        .transition(
            op.id,
            OperationStatus::Pending,
            EventInput::default().provider_ref("B"),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, LedgerError::AlreadySet { field: "provider_ref", existing, new, .. } if existing == "A" && new == "B"),
        "{err:?}"
    );
    let op = ledger.get(op.id).await.unwrap().unwrap();
    assert_eq!(op.status, OperationStatus::Sent);
    assert_eq!(op.provider_ref.as_deref(), Some("A"));
    assert_eq!(ledger.events(op.id).await.unwrap().len(), 2);

    // The database refuses it too, even behind the API's back.
    let raw = sqlx::query("UPDATE operations SET provider_ref = 'C' WHERE id = ?")
        .bind(op.id.to_string())
        .execute(ledger.pool())
        .await;
    assert!(raw.is_err());
    let raw = sqlx::query("UPDATE operations SET amount_minor = 1 WHERE id = ?")
        .bind(op.id.to_string())
        .execute(ledger.pool())
        .await;
    assert!(raw.is_err(), "the intent is immutable");
    let raw = sqlx::query("UPDATE operations SET status = 'success' WHERE id = ?")
        .bind(op.id.to_string())
        .execute(ledger.pool())
        .await;
    assert!(raw.is_err(), "no status change without its event");
}

#[tokio::test]
async fn the_database_keeps_events_append_only() {
    let (_dir, path) = temp();
    let ledger = Ledger::open(&path).await.unwrap();
    let op = ledger
        .insert_operation(new_op("K1", "771234567", 5000))
        .await
        .unwrap();
    ledger
        .transition(op.id, OperationStatus::Sent, EventInput::default())
        .await
        .unwrap();
    let id = op.id.to_string();

    for sql in [
        "UPDATE operation_events SET note = 'edited' WHERE operation_id = ?",
        "UPDATE operation_events SET to_status = 'success' WHERE operation_id = ?",
        "DELETE FROM operation_events WHERE operation_id = ?",
        "DELETE FROM operations WHERE id = ?",
    ] {
        let res = sqlx::query(sql).bind(&id).execute(ledger.pool()).await;
        let err = res.expect_err(sql);
        assert!(
            err.to_string().contains("append-only") || err.to_string().contains("never deleted"),
            "{sql}: {err}"
        );
    }
    // A gap or a wrong from_status in the chain is refused too.
    let res = sqlx::query(
        "INSERT INTO operation_events (operation_id, seq, at, from_status, to_status, source) \
         VALUES (?, 5, '2025-01-01T00:00:00.000Z', 'sent', 'success', 'engine')",
    )
    .bind(&id)
    .execute(ledger.pool())
    .await;
    assert!(res.is_err());
    let res = sqlx::query(
        "INSERT INTO operation_events (operation_id, seq, at, from_status, to_status, source) \
         VALUES (?, 3, '2025-01-01T00:00:00.000Z', 'pending', 'success', 'engine')",
    )
    .bind(&id)
    .execute(ledger.pool())
    .await;
    assert!(res.is_err());

    assert_eq!(ledger.events(op.id).await.unwrap().len(), 2);
    assert_eq!(
        ledger.get(op.id).await.unwrap().unwrap().status,
        OperationStatus::Sent
    );
}

#[tokio::test]
async fn idempotency_keys_are_unique_and_validated() {
    let (_dir, path) = temp();
    let ledger = Ledger::open(&path).await.unwrap();
    let first = ledger
        .insert_operation(new_op("ORDER-1", "771234567", 5000))
        .await
        .unwrap();
    let err = ledger
        .insert_operation(new_op("ORDER-1", "770000000", 100))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, LedgerError::DuplicateKey { key } if key == "ORDER-1"),
        "{err:?}"
    );
    assert_eq!(count(&ledger, "SELECT COUNT(*) FROM operations").await, 1);
    assert_eq!(
        count(&ledger, "SELECT COUNT(*) FROM operation_events").await,
        1
    );
    assert_eq!(
        ledger.get_by_idempotency_key("ORDER-1").await.unwrap(),
        Some(first)
    );
    assert_eq!(ledger.get_by_idempotency_key("nope").await.unwrap(), None);

    for bad in ["", "has space", "é", &"x".repeat(129)] {
        let err = ledger
            .insert_operation(new_op(bad, "771234567", 5000))
            .await
            .unwrap_err();
        assert!(matches!(err, LedgerError::Invalid { .. }), "{bad:?}");
    }
    let err = ledger
        .insert_operation(new_op("NEG", "771234567", -1))
        .await
        .unwrap_err();
    assert!(matches!(err, LedgerError::Invalid { .. }));

    let key = new_idempotency_key();
    assert_eq!(key.len(), 33);
    ledger
        .insert_operation(new_op(&key, "771234567", 5000))
        .await
        .unwrap();
    assert_ne!(new_idempotency_key(), key);
}

#[tokio::test]
async fn settings_round_trip() {
    let (_dir, path) = temp();
    let ledger = Ledger::open(&path).await.unwrap();
    assert_eq!(ledger.setting("language").await.unwrap(), None);
    ledger.set_setting("language", "fr").await.unwrap();
    ledger.set_setting("shop_name", "Chez Fatou").await.unwrap();
    ledger.set_setting("language", "en").await.unwrap();
    assert_eq!(
        ledger.setting("language").await.unwrap().as_deref(),
        Some("en")
    );
    assert_eq!(
        ledger.settings().await.unwrap(),
        [
            ("language".to_owned(), "en".to_owned()),
            ("shop_name".to_owned(), "Chez Fatou".to_owned())
        ]
    );
    let err = ledger
        .set_setting("dexchange_api_key", "sk_live")
        .await
        .unwrap_err();
    assert!(matches!(err, LedgerError::Invalid { .. }));
    assert_eq!(ledger.setting("dexchange_api_key").await.unwrap(), None);
    for bad in [
        "gateway.secret_key",
        "manager_password",
        "wizall_otp",
        "key",
        "",
    ] {
        assert!(ledger.set_setting(bad, "x").await.is_err(), "{bad:?}");
    }
    for fine in [
        "receipt_footer",
        "footprint",
        "monkey_mode",
        "keyboard_layout",
    ] {
        ledger.set_setting(fine, "x").await.unwrap();
    }
}

#[tokio::test]
async fn search_by_phone_reference_token_amount_and_filters() {
    let (_dir, path) = temp();
    let ledger = Ledger::open(&path).await.unwrap();
    let a = ledger
        .insert_operation(new_op("KA", "771234567", 5000))
        .await
        .unwrap();
    let mut bill = new_op("KB", "SEN-00042", 12_500);
    bill.kind = "bill".into();
    bill.invoice_ref = Some("F2025-01".into());
    let b = ledger.insert_operation(bill).await.unwrap();
    let mut live = new_op("KC", "781112233", 2000);
    live.training = false;
    let c = ledger.insert_operation(live).await.unwrap();

    ledger
        .transition(a.id, OperationStatus::Sent, EventInput::default())
        .await
        .unwrap();
    ledger
        .transition(
            a.id,
            OperationStatus::Success,
            EventInput::default()
                .provider_ref("DEX-777")
                .token("1234 5678 9012"),
        )
        .await
        .unwrap();

    let ids = |ops: Vec<Operation>| ops.into_iter().map(|o| o.id).collect::<Vec<_>>();
    let q = |text: &str| HistoryQuery {
        text: Some(text.into()),
        ..HistoryQuery::default()
    };

    assert_eq!(ids(ledger.search(&q("1234567")).await.unwrap()), [a.id]);
    assert_eq!(
        ids(ledger.search(&q("77 123 45 67")).await.unwrap()),
        [a.id]
    );
    assert_eq!(ids(ledger.search(&q("dex-777")).await.unwrap()), [a.id]);
    assert_eq!(
        ids(ledger.search(&q("123456789012")).await.unwrap()),
        [a.id]
    );
    assert_eq!(ids(ledger.search(&q("SEN-00042")).await.unwrap()), [b.id]);
    assert_eq!(ids(ledger.search(&q("F2025")).await.unwrap()), [b.id]);
    assert_eq!(ids(ledger.search(&q("12500")).await.unwrap()), [b.id]);
    assert_eq!(ids(ledger.search(&q("KC")).await.unwrap()), [c.id]);
    assert!(ledger.search(&q("%")).await.unwrap().is_empty());
    assert!(ledger.search(&q("nothing")).await.unwrap().is_empty());

    // No text: everything, newest first.
    let all = ids(ledger.search(&HistoryQuery::default()).await.unwrap());
    assert_eq!(all, [c.id, b.id, a.id]);

    let by_status = HistoryQuery {
        status: Some(OperationStatus::Prepared),
        ..HistoryQuery::default()
    };
    assert_eq!(ids(ledger.search(&by_status).await.unwrap()), [c.id, b.id]);
    let by_kind = HistoryQuery {
        kind: Some("bill".into()),
        ..HistoryQuery::default()
    };
    assert_eq!(ids(ledger.search(&by_kind).await.unwrap()), [b.id]);
    let live_only = HistoryQuery {
        training: Some(false),
        ..HistoryQuery::default()
    };
    assert_eq!(ids(ledger.search(&live_only).await.unwrap()), [c.id]);
    let limited = HistoryQuery {
        limit: Some(1),
        ..HistoryQuery::default()
    };
    assert_eq!(ids(ledger.search(&limited).await.unwrap()), [c.id]);
    let window = HistoryQuery {
        from: Some(b.created_at),
        to: Some(c.created_at + chrono::Duration::milliseconds(1)),
        ..HistoryQuery::default()
    };
    let got = ids(ledger.search(&window).await.unwrap());
    assert!(got.contains(&b.id) && got.contains(&c.id), "{got:?}");
    let future = HistoryQuery {
        from: Some(Utc::now() + chrono::Duration::days(1)),
        ..HistoryQuery::default()
    };
    assert!(ledger.search(&future).await.unwrap().is_empty());

    assert_eq!(
        ledger
            .get_by_provider_ref("dexchange", "DEX-777")
            .await
            .unwrap()
            .map(|o| o.id),
        Some(a.id)
    );
    let non_final = ids(ledger.list_non_final().await.unwrap());
    assert_eq!(non_final, [b.id, c.id]);
}

/// A ledger written before the search index (schema 2) gets its operations indexed by the
/// migration: the search finds them, and later writes keep the index in step.
#[tokio::test]
async fn the_search_index_covers_operations_written_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("guichet.sqlite");
    let old = dir.path().join("m2");
    std::fs::create_dir_all(&old).unwrap();
    for (name, sql) in [
        (
            "0001_ledger.sql",
            include_str!("../../migrations/0001_ledger.sql"),
        ),
        (
            "0002_operators_audit.sql",
            include_str!("../../migrations/0002_operators_audit.sql"),
        ),
    ] {
        std::fs::write(old.join(name), sql).unwrap();
    }
    let before = {
        let ledger = open_with(&path, &Migrator::new(old.as_path()).await.unwrap())
            .await
            .unwrap();
        let op = ledger
            .insert_operation(new_op("OLD-1", "77 555 44 33", 7500))
            .await
            .unwrap();
        ledger.close().await;
        op
    };
    let ledger = Ledger::open(&path).await.unwrap();
    let q = |text: &str| HistoryQuery {
        text: Some(text.into()),
        ..HistoryQuery::default()
    };
    let ids = |ops: Vec<Operation>| ops.into_iter().map(|o| o.id).collect::<Vec<_>>();
    assert_eq!(
        ids(ledger.search(&q("5554433")).await.unwrap()),
        [before.id]
    );
    assert_eq!(ids(ledger.search(&q("old-1")).await.unwrap()), [before.id]);
    // A token that arrives later is found by the index too.
    ledger
        .transition(before.id, OperationStatus::Sent, EventInput::default())
        .await
        .unwrap();
    ledger
        .transition(
            before.id,
            OperationStatus::Success,
            EventInput::default().token("9876-5432-1098"),
        )
        .await
        .unwrap();
    assert_eq!(
        ids(ledger.search(&q("98765432")).await.unwrap()),
        [before.id]
    );
    assert_eq!(
        ids(ledger.search(&q("5432-10")).await.unwrap()),
        [before.id]
    );
    // A long reference is matched whole, not by its end alone.
    let twin_a = ledger
        .insert_operation(new_op("AAAA-1234567890123", "770000001", 100))
        .await
        .unwrap();
    ledger
        .insert_operation(new_op("BBBB-1234567890123", "770000002", 100))
        .await
        .unwrap();
    assert_eq!(
        ids(ledger.search(&q("aaaa-1234567890123")).await.unwrap()),
        [twin_a.id]
    );
    assert_eq!(ledger.search(&q("1234567890123")).await.unwrap().len(), 2);
    // Quotes and FTS5 words in the box are text, not syntax.
    assert!(ledger.search(&q("\"OR\" NEAR(")).await.unwrap().is_empty());
    assert!(ledger.search(&q("* AND *")).await.unwrap().is_empty());
}

/// Every phone holds "+221": a number that holds those digits too is found among thousands (the
/// index is asked for the number's rarest trigrams), and every kind of reference still is.
#[tokio::test]
async fn search_finds_a_number_among_thousands_that_share_its_digits() {
    let (_dir, path) = temp();
    let ledger = Ledger::open(&path).await.unwrap();
    // Ten thousand sales to "+22177…" numbers, written in one go through the real schema (the
    // search index by its triggers), so the rarity sample reads several stretches of rowids.
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 9999) \
         INSERT INTO operations (id, idempotency_key, provider, service_code, kind, country, \
           currency, amount_minor, customer_ref, status, provider_ref, operator_name, training, \
           details, created_at, updated_at) \
         SELECT printf('00000000-0000-7000-8000-%012d', i), printf('G%032d', i), 'dexchange', \
           'ORANGE_SN_AIRTIME', 'airtime', 'SN', 'XOF', 1000, printf('+221770%06d', i), \
           'success', printf('DX-%d', i), 'Awa', 1, '{}', '2026-01-01T10:00:00.000Z', \
           '2026-01-01T10:00:00.000Z' FROM n",
    )
    .execute(ledger.pool())
    .await
    .unwrap();
    let wanted = ledger
        .insert_operation(new_op("WANTED", "+221772217300", 700))
        .await
        .unwrap();
    let ids = |ops: Vec<Operation>| ops.into_iter().map(|o| o.id).collect::<Vec<_>>();
    let q = |text: &str| HistoryQuery {
        text: Some(text.into()),
        ..HistoryQuery::default()
    };
    for typed in ["772217300", "77 221 73 00", "+221772217300", "2217300"] {
        assert_eq!(
            ids(ledger.search(&q(typed)).await.unwrap()),
            [wanted.id],
            "{typed}"
        );
    }
    // One of the ten thousand, by its number, its provider's reference and our key.
    let one = ledger.search(&q("770004242")).await.unwrap();
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].provider_ref.as_deref(), Some("DX-4242"));
    assert_eq!(
        ids(ledger.search(&q("DX-4242")).await.unwrap()),
        [one[0].id]
    );
    let key = format!("G{:032}", 4242);
    assert_eq!(ids(ledger.search(&q(&key)).await.unwrap()), [one[0].id]);
    // A text every number holds: the newest page of them.
    assert_eq!(ledger.search(&q("+22177")).await.unwrap().len(), 100);
    assert!(ledger.search(&q("779999999")).await.unwrap().is_empty());
}

/// A reference with a capital accented letter is found as typed (SQLite folds ASCII case only).
#[tokio::test]
async fn search_finds_a_reference_with_an_accented_capital() {
    let (_dir, path) = temp();
    let ledger = Ledger::open(&path).await.unwrap();
    let mut bill = new_op("KE", "SEN-00042", 12_500);
    bill.invoice_ref = Some("FACTURE-É12".into());
    let op = ledger.insert_operation(bill).await.unwrap();
    for typed in ["FACTURE-É12", "É12", "facture-É"] {
        let found = ledger
            .search(&HistoryQuery {
                text: Some(typed.into()),
                ..HistoryQuery::default()
            })
            .await
            .unwrap();
        assert_eq!(
            found.iter().map(|o| o.id).collect::<Vec<_>>(),
            [op.id],
            "{typed}"
        );
    }
}

/// Pages follow each other without a gap or a repeat, newest first, with filters kept.
#[tokio::test]
async fn search_pages_with_before() {
    let (_dir, path) = temp();
    let ledger = Ledger::open(&path).await.unwrap();
    let mut written = Vec::new();
    for i in 0..7 {
        let op = ledger
            .insert_operation(new_op(&format!("P{i}"), "771234567", 1000 + i))
            .await
            .unwrap();
        written.push(op.id);
    }
    ledger
        .insert_operation(new_op("OTHER", "780000000", 1000))
        .await
        .unwrap();
    let mut seen = Vec::new();
    let mut before = None;
    loop {
        let page = ledger
            .search(&HistoryQuery {
                text: Some("771234567".into()),
                limit: Some(3),
                before,
                ..HistoryQuery::default()
            })
            .await
            .unwrap();
        if page.is_empty() {
            break;
        }
        assert!(page.len() <= 3);
        before = page.last().map(|o| o.id);
        seen.extend(page.into_iter().map(|o| o.id));
    }
    written.reverse();
    assert_eq!(seen, written);
}

/// A period's totals per kind, status and currency, live and training apart.
#[tokio::test]
async fn totals_per_kind_status_and_currency() {
    let (_dir, path) = temp();
    let ledger = Ledger::open(&path).await.unwrap();
    let from = Utc::now() - chrono::Duration::seconds(1);
    let a = ledger
        .insert_operation(new_op("T1", "771234567", 5000))
        .await
        .unwrap();
    ledger
        .insert_operation(new_op("T2", "771234568", 2500))
        .await
        .unwrap();
    let mut live = new_op("T3", "771234569", 1000);
    live.training = false;
    ledger.insert_operation(live).await.unwrap();
    let mut kes = new_op("T4", "254700000000", 300);
    kes.currency = "KES".into();
    ledger.insert_operation(kes).await.unwrap();
    ledger
        .transition(a.id, OperationStatus::Sent, EventInput::default())
        .await
        .unwrap();
    ledger
        .transition(
            a.id,
            OperationStatus::Success,
            EventInput::default().fee_minor(100),
        )
        .await
        .unwrap();
    let to = Utc::now() + chrono::Duration::seconds(1);
    let line = |kind: &str, status, currency: &str, count, amount, fee| DayTotal {
        kind: kind.into(),
        status,
        currency: currency.into(),
        count,
        amount_minor: amount,
        fee_minor: fee,
    };
    assert_eq!(
        ledger.totals(from, to, Some(true)).await.unwrap(),
        [
            line("woyofal", OperationStatus::Prepared, "KES", 1, 300, 0),
            line("woyofal", OperationStatus::Prepared, "XOF", 1, 2500, 0),
            line("woyofal", OperationStatus::Success, "XOF", 1, 5000, 100),
        ]
    );
    assert_eq!(
        ledger.totals(from, to, Some(false)).await.unwrap(),
        [line(
            "woyofal",
            OperationStatus::Prepared,
            "XOF",
            1,
            1000,
            0
        )]
    );
    assert_eq!(ledger.totals(from, to, None).await.unwrap().len(), 3);
    assert!(ledger
        .totals(to, to + chrono::Duration::days(1), None)
        .await
        .unwrap()
        .is_empty());
}

/// Processes that open one new ledger at the same moment (the app and `guichetctl`) migrate it
/// one after the other: none fails on a table the other just created.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn opening_one_new_ledger_at_once_migrates_it_once() {
    for _ in 0..5 {
        let (_dir, path) = temp();
        let opens: Vec<_> = (0..4)
            .map(|_| {
                let path = path.clone();
                tokio::spawn(async move { Ledger::open(&path).await })
            })
            .collect();
        for open in opens {
            let ledger = open.await.unwrap().expect("every open succeeds");
            assert_eq!(
                Some(ledger.schema_version().await.unwrap()),
                MIGRATOR.iter().map(|m| m.version).max()
            );
            ledger.close().await;
        }
    }
}

#[tokio::test]
async fn concurrent_writers_all_land() {
    let (_dir, path) = temp();
    let ledger = Ledger::open(&path).await.unwrap();
    let op = ledger
        .insert_operation(new_op("K1", "771234567", 5000))
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for i in 0..20 {
        let l = ledger.clone();
        tasks.push(tokio::spawn(async move {
            l.record_event(
                op.id,
                EventInput::new(EventSource::System).note(format!("n{i}")),
            )
            .await
            .map(|_| ())
        }));
        let l = ledger.clone();
        tasks.push(tokio::spawn(async move {
            l.insert_operation(new_op(&format!("P{i}"), "770000000", 100))
                .await
                .map(|_| ())
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let seqs: Vec<i64> = ledger
        .events(op.id)
        .await
        .unwrap()
        .iter()
        .map(|e| e.seq)
        .collect();
    assert_eq!(seqs, (1..=21).collect::<Vec<_>>());
    assert_eq!(count(&ledger, "SELECT COUNT(*) FROM operations").await, 21);
}
