//! Tests' hands on a closed ledger file: its WAL emptied, pages of it scribbled over.

use std::path::Path;

use super::Ledger;

/// Closes `ledger`, its WAL checkpointed into the file at `path` (a desk's close leaves its
/// ledger to be dropped, and the last connection's own checkpoint may come seconds later).
pub(crate) async fn close_into_file(ledger: Ledger, path: &Path) {
    // Close checkpoints everything into the main file (`wal_checkpoint(TRUNCATE)`); an empty WAL
    // left a moment longer holds nothing either.
    ledger.close().await;
    let left = wal_left(path).await;
    assert_eq!(left, 0, "close checkpoints the WAL into the ledger file");
}

/// Waits until the WAL beside the ledger at `path` is gone (sqlx removes the checkpointed WAL
/// only when its last connection closes on a worker thread, which a loaded 2-core machine may
/// delay); what it still holds, in bytes (0: everything is in the file).
pub(crate) async fn wal_left(path: &Path) -> u64 {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    let wal = std::path::PathBuf::from(wal);
    for _ in 0..500 {
        if !wal.exists() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    std::fs::metadata(&wal).map_or(0, |m| m.len())
}

/// Scribbles over the last 8 KiB of the file at `path` (the rows written last; opening reads
/// only the schema and the migrations' table); its bytes after.
pub(crate) fn scribble_last_pages(path: &Path) -> Vec<u8> {
    let len = std::fs::metadata(path).unwrap().len();
    assert!(len > 32 * 1024, "{len} bytes");
    scribble(path, len - 8192..len)
}

/// Scribbles over the root page of `table` in the closed ledger at `path` (a small table's rows
/// live there): only what reads that table meets the damage; the file's other tables are sound.
pub(crate) async fn scribble_table_root(path: &Path, table: &str) {
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(super::open::base_options(path).read_only(true))
        .await
        .unwrap();
    let root: u64 =
        sqlx::query_scalar("SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = ?")
            .bind(table)
            .fetch_one(&pool)
            .await
            .unwrap();
    let page_size: u64 = sqlx::query_scalar("PRAGMA page_size")
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    let start = (root - 1) * page_size;
    scribble(path, start..start + page_size);
}

/// Writes 0xA5 over the bytes `range` of the file at `path`; its bytes after.
fn scribble(path: &Path, range: std::ops::Range<u64>) -> Vec<u8> {
    let mut bytes = std::fs::read(path).unwrap();
    let range = usize::try_from(range.start).unwrap()..usize::try_from(range.end).unwrap();
    bytes[range].fill(0xA5);
    std::fs::write(path, &bytes).unwrap();
    bytes
}
