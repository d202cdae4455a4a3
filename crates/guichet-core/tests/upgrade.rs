//! Upgrades keep everything: every ledger an earlier Guichet wrote (`tests/fixtures/ledger-
//! <version>-schema<N>.sqlite`, made by `scripts/make-upgrade-fixture.sh`) opens with this build
//! — a backup first when the schema moves, then the migrations — with every row of every table
//! still there, the audit chain verifying, the operators signing in with their PINs, and every
//! receipt printing byte for byte as it did (a reprint's DUPLICATA number aside). A ledger from a
//! newer Guichet is refused, plainly, and left as it was.
//!
//! Nothing here names a schema version: the check holds whatever migrations come after.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use guichet_core::audit::Audit;
use guichet_core::catalog::Kind;
use guichet_core::desk::Desk;
use guichet_core::engine::kind_name;
use guichet_core::ledger::{HistoryQuery, OperationStatus};
use guichet_core::receipt::{CopyKind, PaperWidth};
use guichet_core::till::{Till, LEDGER_FILE};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool};
use sqlx::Row;
use uuid::Uuid;

/// The fixture's operators and their PINs (`examples/upgrade_fixture.rs`).
const OPERATORS: [(&str, &str); 2] = [("Awa Ndiaye", "2580"), ("Moussa Diop", "1357")];

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

/// Every committed fixture ledger with its receipts file.
fn fixtures() -> Vec<(PathBuf, PathBuf)> {
    let mut found: Vec<(PathBuf, PathBuf)> = std::fs::read_dir(fixtures_dir())
        .expect("tests/fixtures")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "sqlite"))
        .map(|db| {
            let receipts = db.with_extension("receipts.txt");
            (db, receipts)
        })
        .collect();
    found.sort();
    found
}

/// A read-only pool over a file at rest (nothing written, not even a WAL).
async fn read_only(path: &Path) -> SqlitePool {
    SqlitePool::connect_with(
        SqliteConnectOptions::new()
            .filename(path)
            .read_only(true)
            .immutable(true),
    )
    .await
    .unwrap()
}

/// A read-only pool beside the open ledger (it sees the ledger's WAL).
async fn reader(path: &Path) -> SqlitePool {
    SqlitePool::connect_with(SqliteConnectOptions::new().filename(path).read_only(true))
        .await
        .unwrap()
}

/// Every table of `pool` but SQLite's and sqlx's own, with its columns.
async fn tables(pool: &SqlitePool) -> BTreeMap<String, Vec<String>> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut out = BTreeMap::new();
    for name in names {
        let columns: Vec<String> = sqlx::query_scalar(&format!(
            "SELECT name FROM pragma_table_info('{name}') ORDER BY cid"
        ))
        .fetch_all(pool)
        .await
        .unwrap();
        out.insert(name, columns);
    }
    out
}

/// The rows of `table` as text, only `columns` (SQL `quote()` of each: types and NULLs show).
async fn rows(pool: &SqlitePool, table: &str, columns: &[String]) -> Vec<String> {
    let select = columns
        .iter()
        .map(|c| format!("quote(\"{c}\")"))
        .collect::<Vec<_>>()
        .join(" || '|' || ");
    let mut rows: Vec<String> = sqlx::query(&format!("SELECT {select} FROM \"{table}\""))
        .fetch_all(pool)
        .await
        .unwrap_or_else(|e| panic!("{table}: the columns {columns:?} cannot be read: {e}"))
        .into_iter()
        .map(|r| r.get::<String, _>(0))
        .collect();
    rows.sort();
    rows
}

/// Every table's rows (old columns only), as the file `pool` holds them.
async fn snapshot(
    pool: &SqlitePool,
    schema: &BTreeMap<String, Vec<String>>,
) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for (table, columns) in schema {
        out.insert(table.clone(), rows(pool, table, columns).await);
    }
    out
}

/// Asserts every row of `before` is in `after` (a migration may add rows, never lose one).
fn assert_kept(
    before: &BTreeMap<String, Vec<String>>,
    after: &BTreeMap<String, Vec<String>>,
    what: &str,
) {
    for (table, rows) in before {
        let now: BTreeSet<&String> = after[table].iter().collect();
        let lost: Vec<&String> = rows.iter().filter(|r| !now.contains(r)).collect();
        assert!(
            lost.is_empty(),
            "{what}: {} rows of {table} lost or changed: {lost:#?}",
            lost.len()
        );
        assert!(
            after[table].len() >= rows.len(),
            "{what}: {table} has fewer rows"
        );
    }
}

async fn schema_of(pool: &SqlitePool) -> i64 {
    sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success = 1")
        .fetch_one(pool)
        .await
        .unwrap()
}

/// The receipts file: `(id, width, copy) → text`, in file order.
fn expected_receipts(path: &Path) -> Vec<((Uuid, PaperWidth, CopyKind), String)> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e} (the fixture's receipts)", path.display()));
    let mut out: Vec<((Uuid, PaperWidth, CopyKind), String)> = Vec::new();
    for line in text.split_inclusive('\n') {
        if let Some(head) = line.strip_prefix("==== ") {
            let mut parts = head.split_whitespace();
            let id = parts.next().unwrap().parse().unwrap();
            let width = serde_json::from_value(parts.next().unwrap().into()).unwrap();
            let copy = serde_json::from_value(parts.next().unwrap().into()).unwrap();
            out.push(((id, width, copy), String::new()));
        } else {
            out.last_mut()
                .expect("a receipt header first")
                .1
                .push_str(line);
        }
    }
    out
}

/// A receipt without its « DUPLICATA n° N » line.
fn without_duplicata(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim_start().starts_with("DUPLICATA n°"))
        .map(|l| format!("{l}\n"))
        .collect()
}

#[tokio::test]
async fn every_earlier_ledger_opens_with_every_row_its_audit_chain_and_its_receipts() {
    let fixtures = fixtures();
    assert!(
        !fixtures.is_empty(),
        "no fixture ledger in {}",
        fixtures_dir().display()
    );
    for (db, receipts) in fixtures {
        check_fixture(&db, &receipts).await;
    }
}

async fn check_fixture(fixture: &Path, receipts: &Path) {
    let name = fixture.file_name().unwrap().to_string_lossy().into_owned();
    // The file as released, read-only.
    let pristine = read_only(fixture).await;
    let old_schema = tables(&pristine).await;
    for table in [
        "operations",
        "operation_events",
        "audit_log",
        "operators",
        "settings",
    ] {
        assert!(old_schema.contains_key(table), "{name}: no {table} table");
    }
    let before = snapshot(&pristine, &old_schema).await;
    let old_version = schema_of(&pristine).await;
    pristine.close().await;
    assert!(!before["operations"].is_empty() && !before["audit_log"].is_empty());

    // A till's data dir holding a copy, opened by this build: backup if needed, then migrate.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture, dir.path().join(LEDGER_FILE)).unwrap();
    let till = Till::open(dir.path())
        .await
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let ledger = till.ledger().clone();
    let new_version = ledger.schema_version().await.unwrap();
    assert!(new_version >= old_version, "{name}: schema went back");
    match ledger.migration_backup() {
        Some(backup) => {
            assert!(
                new_version > old_version,
                "{name}: a backup without a migration"
            );
            let copy = read_only(backup).await;
            assert_eq!(
                schema_of(&copy).await,
                old_version,
                "{name}: the backup is the old file"
            );
            let saved = snapshot(&copy, &old_schema).await;
            copy.close().await;
            assert_eq!(
                saved, before,
                "{name}: the backup holds every row as it was"
            );
        }
        None => assert_eq!(
            new_version, old_version,
            "{name}: migrated without a backup"
        ),
    }

    // Every row of every table, every column it had, unchanged.
    let live = reader(&dir.path().join(LEDGER_FILE)).await;
    let after = snapshot(&live, &old_schema).await;
    live.close().await;
    assert_kept(&before, &after, &name);

    // The code reads them back: every operation with its events, in the history too.
    let history = ledger
        .search(&HistoryQuery {
            limit: Some(1000),
            ..HistoryQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(history.len(), before["operations"].len(), "{name}: history");
    // The fixture holds what a shop's ledger holds: every status, every kind.
    for status in OperationStatus::ALL {
        assert!(
            history.iter().any(|o| o.status == status),
            "{name}: no {status:?} operation"
        );
    }
    for kind in Kind::ALL {
        let stored = kind_name(kind);
        assert!(
            history.iter().any(|o| o.kind == stored),
            "{name}: no {stored} operation"
        );
    }
    let mut events = 0;
    for op in &history {
        let read = ledger.events(op.id).await.unwrap();
        assert_eq!(
            read.last().unwrap().to_status,
            op.status,
            "{name}: {} events",
            op.id
        );
        events += read.len();
    }
    assert_eq!(events, before["operation_events"].len(), "{name}: events");

    // The audit chain verifies over the old entries.
    let audit = Audit::new(&ledger);
    let checked = audit
        .verify()
        .await
        .unwrap_or_else(|e| panic!("{name}: audit chain: {e}"));
    let old = before["audit_log"].len() as i64;
    assert!(checked.entries >= old, "{name}: {checked:?}");
    // Entries written before the trail had a key stay checked by the unkeyed chain.
    assert!(checked.legacy >= old, "{name}: {checked:?}");

    // Receipts: every operation's, byte for byte as this fixture's version printed them.
    let expected = expected_receipts(receipts);
    let covered: BTreeSet<Uuid> = expected.iter().map(|((id, _, _), _)| *id).collect();
    let all: BTreeSet<Uuid> = history.iter().map(|o| o.id).collect();
    assert_eq!(
        covered, all,
        "{name}: the receipts file covers every operation"
    );
    let desk = Desk::console(till, "Support");
    for ((id, width, copy), text) in &expected {
        let now = desk.receipt(*id, *width, *copy).await.unwrap().to_text();
        assert_eq!(&now, text, "{name}: receipt of {id} ({width:?}, {copy:?})");
    }
    // A reprint now: the same receipt, one DUPLICATA further.
    for ((id, width, copy), text) in &expected {
        if *copy != CopyKind::Customer || *width != PaperWidth::Mm58 {
            continue;
        }
        let printed = desk.print_receipt(*id, CopyKind::Customer).await.unwrap();
        assert!(printed.duplicate >= 1 || !text.contains("DUPLICATA"));
        assert_eq!(
            without_duplicata(&printed.text),
            without_duplicata(text),
            "{name}: reprint of {id}"
        );
    }
    Audit::new(desk.till().ledger()).verify().await.unwrap();

    desk.close().await;

    // The operators sign in with the PINs they had.
    for (who, pin) in OPERATORS {
        let desk = Desk::new(Till::open(dir.path()).await.unwrap());
        let signed = desk.login(who, pin).await;
        assert!(signed.is_ok(), "{name}: {who} cannot sign in: {signed:?}");
        desk.close().await;
    }
}

#[tokio::test]
async fn a_ledger_from_a_newer_guichet_is_refused_and_left_untouched() {
    let (fixture, _) = fixtures().pop().expect("a fixture ledger");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(LEDGER_FILE);
    std::fs::copy(&fixture, &path).unwrap();
    // A later Guichet applied a migration this build does not know.
    let pool = SqlitePool::connect_with(SqliteConnectOptions::new().filename(&path))
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (999999, 'from a newer Guichet', 1, x'00', 0)",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let bytes = std::fs::read(&path).unwrap();
    let files = |dir: &Path| -> BTreeSet<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.ends_with("-wal") && !n.ends_with("-shm"))
            .collect()
    };
    let listed = files(dir.path());

    let err = match Till::open(dir.path()).await {
        Ok(_) => panic!("a ledger from a newer Guichet was opened"),
        Err(e) => e,
    };
    assert_eq!(err.code(), "ledger_newer_schema");
    let message = err.message();
    assert!(
        message.fr.contains("version plus récente de Guichet"),
        "{}",
        message.fr
    );
    assert!(
        message.fr.contains("ne supprimez pas le fichier"),
        "{}",
        message.fr
    );
    assert!(
        message.en.contains("newer version of Guichet"),
        "{}",
        message.en
    );
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "the file was changed");
    assert_eq!(files(dir.path()), listed, "no backup, nothing beside it");
}
