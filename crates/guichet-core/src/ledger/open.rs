//! Opening the ledger file safely: never a silent reset.
//!
//! In order: create the folder; refuse a file that does not start with the SQLite header
//! (before SQLite touches it); for an existing file, through a read-only connection, refuse a
//! schema newer than this build or a file that is not a Guichet ledger, and run
//! `PRAGMA quick_check` when an upgrade is pending (otherwise the till runs it once open:
//! `integrity.rs`); then connect read-write (WAL, foreign keys, `synchronous=FULL`, busy
//! timeout); back the file up if it has a schema and a migration is pending; migrate.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::Utc;
use sqlx::migrate::Migrator;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use super::{Ledger, LedgerError, Result};

/// The schema migrations embedded in the binary (`crates/guichet-core/migrations`).
pub(super) static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// How long a writer waits for another one before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections in the pool (readers run in parallel in WAL mode; writers queue).
const MAX_CONNECTIONS: u32 = 4;
/// How much of the ledger file SQLite reads through a memory map (SQLite caps it at 2 GiB).
const MMAP_SIZE: u64 = 2 << 30;
/// The first 16 bytes of every SQLite 3 database file.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

pub(super) async fn open_with(path: &Path, migrator: &Migrator) -> Result<Ledger> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| LedgerError::Unavailable {
            path: path.to_owned(),
            detail: e.to_string(),
        })?;
    }
    // Two processes opening one file at once (the app and `guichetctl` on a new till) would both
    // create it and run the migrations: they open it one at a time (a lock on its folder, held
    // until migrated).
    let opening = open_lock(path).await?;
    let existing = check_header(path)?;

    // An existing file is first inspected through a read-only connection, so that a damaged
    // file, a foreign one or one from a newer Guichet is never written to (not even by the WAL
    // checkpoint a read-write connection does when it closes).
    if existing {
        let read_only = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(base_options(path).read_only(true))
            .await
            .map_err(|e| LedgerError::from_sqlx(path, e))?;
        // The file's every page is read only before an upgrade (a damaged file is never
        // migrated); otherwise once the till is open (`integrity.rs`).
        let inspected = match inspect(&read_only, path, migrator).await {
            Ok(found) if pending(migrator, &found.applied) => {
                super::integrity::quick_check(&read_only, path).await
            }
            other => other.map(drop),
        };
        // No waiting for the connection to be gone (as `close_pool` does): a read-only one has
        // no WAL to checkpoint, and in the app's start-up its drop can lag by seconds.
        read_only.close().await;
        inspected?;
    }

    let options = base_options(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal);
    let pool = SqlitePoolOptions::new()
        .max_connections(MAX_CONNECTIONS)
        .connect_with(options)
        .await
        .map_err(|e| LedgerError::from_sqlx(path, e))?;
    let migrated = migrate(&pool, path, migrator).await;
    drop(opening);
    match migrated {
        Ok(backup) => Ok(Ledger {
            pool,
            path: path.to_owned(),
            migration_backup: backup,
            audit_seal: Default::default(),
            integrity: super::integrity::recorded_damage(path),
        }),
        Err(e) => {
            close_pool(&pool).await;
            Err(e)
        }
    }
}

/// Whether `migrator` has an upgrade the file (with migrations `applied`) has not had.
fn pending(migrator: &Migrator, applied: &[i64]) -> bool {
    migrator
        .iter()
        .any(|m| m.migration_type.is_up_migration() && !applied.contains(&m.version))
}

/// Options shared by the read-only inspection, the integrity check and the read-write pool.
pub(super) fn base_options(path: &Path) -> SqliteConnectOptions {
    SqliteConnectOptions::new()
        .filename(path)
        .foreign_keys(true)
        .busy_timeout(BUSY_TIMEOUT)
        .synchronous(SqliteSynchronous::Full)
        // Reads straight from the OS page cache, not copied into each connection's own cache:
        // the history search's index reads stay fast at a million operations.
        .pragma("mmap_size", MMAP_SIZE.to_string())
}

/// Closes every connection of `pool` and waits until they are really gone (sqlx may still be
/// returning one to the pool when `close` resolves), so the last one checkpoints the WAL.
pub(super) async fn close_pool(pool: &SqlitePool) {
    pool.close().await;
    for _ in 0..500 {
        if pool.size() == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tracing::warn!("ledger: a connection was still open 5 s after closing");
}

/// What the file holds, once it is known to be a sound Guichet ledger this build can open.
struct Inspection {
    /// Applied migration versions, ascending.
    applied: Vec<i64>,
}

/// Refuses a foreign file, a newer schema or an unknown migration. Writes nothing.
async fn inspect(pool: &SqlitePool, path: &Path, migrator: &Migrator) -> Result<Inspection> {
    let sqlx_err = |e| LedgerError::from_sqlx(path, e);
    let corrupt = |detail: String| LedgerError::Corrupt {
        path: path.to_owned(),
        detail,
    };

    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .fetch_all(pool)
    .await
    .map_err(sqlx_err)?;
    let rows: Vec<(i64, bool)> = if tables.iter().any(|t| t == "_sqlx_migrations") {
        sqlx::query_as("SELECT version, success FROM _sqlx_migrations ORDER BY version")
            .fetch_all(pool)
            .await
            .map_err(sqlx_err)?
    } else {
        Vec::new()
    };
    let applied: Vec<i64> = rows.iter().map(|(v, _)| *v).collect();
    let supported = supported_version(migrator);
    let found = applied.iter().copied().max().unwrap_or(0);

    if found > supported {
        return Err(LedgerError::NewerSchema { found, supported });
    }
    if let Some(v) = applied.iter().find(|v| !migrator.version_exists(**v)) {
        return Err(LedgerError::Migration {
            detail: format!("the file has schema migration {v}, which this version does not know"),
        });
    }
    if let Some((v, _)) = rows.iter().find(|(_, success)| !success) {
        return Err(LedgerError::Migration {
            detail: format!("schema migration {v} was left half done"),
        });
    }
    // Tables but no migration history: some other program's database.
    if applied.is_empty() && tables.iter().any(|t| t != "_sqlx_migrations") {
        return Err(corrupt(format!(
            "not a Guichet ledger (tables: {})",
            tables.join(", ")
        )));
    }
    Ok(Inspection { applied })
}

fn supported_version(migrator: &Migrator) -> i64 {
    migrator.iter().map(|m| m.version).max().unwrap_or(0)
}

/// Holds an exclusive OS lock on the ledger's folder (released when dropped or when the process
/// dies; nothing is written there): the second of two processes opening one ledger waits, then
/// finds it created and its schema up to date.
async fn open_lock(path: &Path) -> Result<std::fs::File> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_owned();
    let unavailable = |detail: String| LedgerError::Unavailable {
        path: dir.clone(),
        detail,
    };
    let folder = std::fs::File::open(&dir).map_err(|e| unavailable(e.to_string()))?;
    tokio::task::spawn_blocking(move || folder.lock().map(|()| folder))
        .await
        .map_err(|e| unavailable(e.to_string()))?
        .map_err(|e| unavailable(e.to_string()))
}

/// Brings the schema up to date on the read-write pool, after a backup copy when the file
/// already held a schema. Returns the backup's path, if one was made.
async fn migrate(pool: &SqlitePool, path: &Path, migrator: &Migrator) -> Result<Option<PathBuf>> {
    // Even with nothing pending, `run` checks that the applied migrations are the ones this
    // build embeds (checksums).
    // Again on the read-write connection: the file may have been created between the two opens.
    let Inspection { applied } = inspect(pool, path, migrator).await?;
    let found = applied.iter().copied().max().unwrap_or(0);
    let supported = supported_version(migrator);
    let pending = pending(migrator, &applied);

    let mut backup = None;
    if pending && !applied.is_empty() {
        let dest = backup_path(path, found);
        vacuum_into(pool, &dest).await?;
        tracing::warn!(
            backup = %dest.display(),
            from_version = found,
            to_version = supported,
            "ledger: backed up before schema upgrade"
        );
        backup = Some(dest);
    }

    migrator.run(pool).await.map_err(|e| match e {
        sqlx::migrate::MigrateError::Execute(inner)
        | sqlx::migrate::MigrateError::ExecuteMigration(inner, _)
            if matches!(
                super::error::sqlite_primary_code(&inner),
                Some(11 | 26 | 13)
            ) =>
        {
            LedgerError::from_sqlx(path, inner)
        }
        other => LedgerError::Migration {
            detail: other.to_string(),
        },
    })?;
    if pending {
        tracing::info!(path = %path.display(), from_version = found, to_version = supported, "ledger: schema upgraded");
    }
    Ok(backup)
}

/// Refuses a non-empty file that is not an SQLite database, without writing to it. True when
/// the file exists and is not empty.
fn check_header(path: &Path) -> Result<bool> {
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => {
            return Err(LedgerError::Unavailable {
                path: path.to_owned(),
                detail: e.to_string(),
            })
        }
    };
    let mut header = Vec::with_capacity(16);
    file.by_ref()
        .take(16)
        .read_to_end(&mut header)
        .map_err(|e| LedgerError::Unavailable {
            path: path.to_owned(),
            detail: e.to_string(),
        })?;
    // An empty file is what SQLite itself creates first: treat it as a new ledger.
    if header.is_empty() {
        return Ok(false);
    }
    if header == SQLITE_HEADER {
        return Ok(true);
    }
    Err(LedgerError::Corrupt {
        path: path.to_owned(),
        detail: "not an SQLite database (bad header)".into(),
    })
}

/// `<file>.bak-v<version>-<UTC yyyymmddThhmmssZ>` beside the ledger, never an existing name.
pub(super) fn backup_path(path: &Path, version: i64) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "ledger".into());
    let stamp = Utc::now().format("%Y%m%dT%H%M%SZ");
    let base = format!("{name}.bak-v{version}-{stamp}");
    let mut candidate = path.with_file_name(&base);
    let mut n = 1;
    while candidate.exists() {
        n += 1;
        candidate = path.with_file_name(format!("{base}-{n}"));
    }
    candidate
}

/// A consistent copy of the database (safe in WAL mode while in use), synced to disk.
pub(super) async fn vacuum_into(pool: &SqlitePool, dest: &Path) -> Result<()> {
    let fail = |detail: String| LedgerError::Backup {
        path: dest.to_owned(),
        detail,
    };
    if dest.exists() {
        return Err(fail("the destination already exists".into()));
    }
    let dest_str = dest
        .to_str()
        .ok_or_else(|| fail("the path is not valid UTF-8".into()))?;
    sqlx::query("VACUUM INTO ?")
        .bind(dest_str)
        .execute(pool)
        .await
        .map_err(|e| fail(e.to_string()))?;
    // VACUUM INTO does not promise the copy is on the disk: make it so.
    std::fs::File::open(dest)
        .and_then(|f| f.sync_all())
        .map_err(|e| fail(e.to_string()))?;
    if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
        // Best effort: persists the new directory entry (not possible on every platform).
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
    Ok(())
}
