//! Benchmark (a table, no asserts), each measure beside its floor taken in the same run so the
//! ratios hold on a noisy machine:
//! - the engine's own cost per operation beyond the provider call (validation, three durable
//!   commits by design: `prepared`, `sent`, the answer) against three bare SQLite durable commits
//!   on the same disk;
//! - the ledger's durable insert rate (`Ledger::insert_operation`) against bare SQLite's;
//! - the history's search, a day's totals and pages at 20,000 and 1,000,000 operations.
//!
//! `make bench` (or `cargo bench -p guichet-core --bench engine`). `GUICHET_BENCH_OPS` (default
//! 300 engine operations), `GUICHET_BENCH_ROWS` (default `20000,1000000`: one table per size).
//!
//! Fast path (documented): a ledger of N rows is filled by one SQL statement in one transaction
//! (a recursive CTE) through the real schema: every trigger runs, the search index included;
//! dates spread over the last 1,000 days (a busy till's three years, ~1,000 a day at 1M). The
//! real write path's rate is measured on its own (`insert_operation`, one durable transaction
//! each).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use guichet_core::catalog::{Catalog, Kind, OperationRequest, Provider};
use guichet_core::connector::{Answer, Balance, Bill, Connector, ConnectorError, Intent, Probe};
use guichet_core::engine::{Engine, EngineConfig, SubmitRequest};
use guichet_core::ledger::{HistoryQuery, Ledger, NewOperation};
use guichet_core::money::{Currency, Money};
use guichet_core::setup::{build_connectors, ProviderCredentials, ProviderUrls};
use guichet_sandbox::{Sandbox, Timings};
use sqlx::Connection;

/// Delegates to a real connector and adds up the time spent inside it (the HTTP round trip,
/// signing and parsing included): what remains of an engine call is the engine's own cost.
struct Timed {
    inner: Arc<dyn Connector>,
    spent: Arc<Mutex<Duration>>,
}

impl Timed {
    fn add(&self, d: Duration) {
        *self.spent.lock().unwrap() += d;
    }
}

#[async_trait]
impl Connector for Timed {
    fn provider(&self) -> Provider {
        self.inner.provider()
    }
    async fn submit(&self, intent: &Intent) -> Result<Answer, ConnectorError> {
        let t = Instant::now();
        let r = self.inner.submit(intent).await;
        self.add(t.elapsed());
        r
    }
    async fn status(&self, probe: &Probe) -> Result<Answer, ConnectorError> {
        let t = Instant::now();
        let r = self.inner.status(probe).await;
        self.add(t.elapsed());
        r
    }
    async fn confirm_otp(&self, probe: &Probe, otp: &str) -> Result<Answer, ConnectorError> {
        self.inner.confirm_otp(probe, otp).await
    }
    async fn bill_inquiry(&self, s: &str, r: &str) -> Result<Vec<Bill>, ConnectorError> {
        self.inner.bill_inquiry(s, r).await
    }
    async fn balance(&self) -> Result<Balance, ConnectorError> {
        self.inner.balance().await
    }
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

fn pct(mut v: Vec<Duration>, p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

/// "p50 … / p95 … / p99 …" of `v`.
fn spread(v: &[Duration]) -> String {
    format!(
        "p50 {} / p95 {} / p99 {}",
        ms(pct(v.to_vec(), 0.5)),
        ms(pct(v.to_vec(), 0.95)),
        ms(pct(v.to_vec(), 0.99))
    )
}

/// Times `f` `n` times.
async fn time_n<F, Fut>(n: usize, mut f: F) -> Vec<Duration>
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut v = Vec::with_capacity(n);
    for i in 0..n {
        let t = Instant::now();
        f(i).await;
        v.push(t.elapsed());
    }
    v
}

/// A bare SQLite file with the ledger's durability (WAL, `synchronous=FULL`): the floor.
async fn bare_sqlite(path: &std::path::Path) -> sqlx::SqliteConnection {
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
        .synchronous(sqlx::sqlite::SqliteSynchronous::Full);
    let mut conn = sqlx::SqliteConnection::connect_with(&options)
        .await
        .unwrap();
    sqlx::query("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)")
        .execute(&mut conn)
        .await
        .unwrap();
    conn
}

/// `n` bare durable commits of one small row each: their durations.
async fn bare_commits(conn: &mut sqlx::SqliteConnection, n: usize) -> Vec<Duration> {
    let mut v = Vec::with_capacity(n);
    for i in 0..n {
        let t = Instant::now();
        sqlx::query("INSERT INTO t (v) VALUES (?)")
            .bind(format!("row {i}"))
            .execute(&mut *conn)
            .await
            .unwrap();
        v.push(t.elapsed());
    }
    v
}

type Table = Vec<(String, String)>;

/// The search text of the i-th query of a measure.
type TextOf<'a> = Box<dyn Fn(usize) -> String + 'a>;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let ops = env_usize("GUICHET_BENCH_OPS", 300);
    let sizes: Vec<usize> = std::env::var("GUICHET_BENCH_ROWS")
        .unwrap_or_else(|_| "20000,1000000".into())
        .split(',')
        .filter_map(|v| v.trim().replace('_', "").parse().ok())
        .collect();
    let dir = tempfile::tempdir().unwrap();

    let mut table: Table = Vec::new();
    engine_and_writes(dir.path(), ops, &mut table).await;
    print_table("Engine and writes", &table);
    for rows in sizes {
        let mut table: Table = Vec::new();
        reads_at(dir.path(), rows, &mut table).await;
        print_table(&format!("Reads at {rows} operations"), &table);
    }
}

fn print_table(title: &str, table: &Table) {
    println!("### {title}\n");
    println!("| measure | result |");
    println!("|---|---|");
    for (k, v) in table {
        println!("| {k} | {v} |");
    }
    println!();
}

/// The engine's overhead and the ledger's write rate, each against bare SQLite on the same disk.
async fn engine_and_writes(dir: &std::path::Path, ops: usize, table: &mut Table) {
    let sandbox = Sandbox::builder()
        .timings(Timings::fast())
        .start("127.0.0.1:0")
        .await
        .unwrap();
    let urls = ProviderUrls::sandbox(sandbox.url().as_ref());
    let spent = Arc::new(Mutex::new(Duration::ZERO));
    let connectors = build_connectors(
        &urls,
        ProviderCredentials::sandbox_defaults(),
        Duration::from_secs(10),
    )
    .into_iter()
    .map(|(p, c)| {
        let timed: Arc<dyn Connector> = Arc::new(Timed {
            inner: c,
            spent: spent.clone(),
        });
        (p, timed)
    })
    .collect();
    let ledger = Ledger::open(dir.join("engine.db")).await.unwrap();
    let engine = Engine::with_config(
        ledger,
        Catalog::embedded(),
        connectors,
        EngineConfig::new(true),
    );
    let request = |i: usize| OperationRequest {
        service_code: "UNIPESA_9210".into(),
        kind: Kind::Disbursement,
        amount: Money::new(1000 + (i as i64 % 50) * 10, Currency::Xof),
        phone: Some(format!("01{:08}", 61_000_000 + i)),
        otp: None,
        extras: Default::default(),
    };
    // Warm-up (connections, statement cache).
    for i in 0..20 {
        engine
            .submit(SubmitRequest::new(request(1_000_000 + i)), "bench")
            .await
            .unwrap();
    }
    let mut bare = bare_sqlite(&dir.join("bare.db")).await;
    bare_commits(&mut bare, 20).await;
    // Engine operations and bare commits interleaved, so both see the same disk and load.
    *spent.lock().unwrap() = Duration::ZERO;
    let mut totals = Vec::with_capacity(ops);
    let mut inside = Vec::with_capacity(ops);
    let mut floor = Vec::with_capacity(ops);
    let mut settled = 0;
    for i in 0..ops {
        let before = *spent.lock().unwrap();
        let t = Instant::now();
        let op = engine
            .submit(SubmitRequest::new(request(i)), "bench")
            .await
            .unwrap();
        totals.push(t.elapsed());
        inside.push(*spent.lock().unwrap() - before);
        settled += usize::from(op.provider_ref.is_some());
        floor.push(bare_commits(&mut bare, 3).await.into_iter().sum());
    }
    let overhead: Vec<Duration> = totals
        .iter()
        .zip(&inside)
        .map(|(t, i)| t.saturating_sub(*i))
        .collect();
    table.push((
        format!("Engine::submit, gateway b2c ({ops} ops, {settled} accepted with a provider id)"),
        spread(&totals),
    ));
    table.push((
        "  of which the provider call (HTTP round trip to the sandbox, signing, parsing)".into(),
        spread(&inside),
    ));
    table.push((
        "  engine's own overhead (validation, 3 durable ledger commits, events)".into(),
        spread(&overhead),
    ));
    table.push((
        "floor: 3 bare SQLite durable commits (WAL, synchronous=FULL, same disk)".into(),
        spread(&floor),
    ));
    let ratio = pct(overhead.clone(), 0.5).as_secs_f64() / pct(floor.clone(), 0.5).as_secs_f64();
    table.push((
        "**engine overhead / 3 bare commits (p50; goal ≤ 1.2×)**".into(),
        format!("**{ratio:.2}×**"),
    ));
    sandbox.shutdown().await;

    // Durable insert rate: the real write path against bare SQLite, same count, same disk.
    let n = ops.max(500);
    let ledger = Ledger::open(dir.join("rate.db")).await.unwrap();
    // Interleaved, one of each in turn, so both see the same disk and load.
    let (mut ledger_time, mut bare_time) = (Duration::ZERO, Duration::ZERO);
    for i in 0..n {
        let t = Instant::now();
        ledger.insert_operation(new_op(i)).await.unwrap();
        ledger_time += t.elapsed();
        bare_time += bare_commits(&mut bare, 1).await[0];
    }
    let ledger_rate = n as f64 / ledger_time.as_secs_f64();
    let bare_rate = n as f64 / bare_time.as_secs_f64();
    table.push((
        format!("durable inserts, Ledger::insert_operation ({n}, one transaction each)"),
        format!("{ledger_rate:.0} ops/s"),
    ));
    table.push((
        format!("floor: bare SQLite durable inserts ({n}, one transaction each)"),
        format!("{bare_rate:.0} rows/s"),
    ));
    table.push((
        "**ledger insert rate / bare insert rate (goal ≥ 50%)**".into(),
        format!("**{:.0}%**", 100.0 * ledger_rate / bare_rate),
    ));
    ledger.close().await;
}

/// The operation the ledger benches write (an airtime sale).
fn new_op(i: usize) -> NewOperation {
    NewOperation {
        idempotency_key: format!("W{i:031}"),
        provider: "dexchange".into(),
        service_code: "ORANGE_SN_AIRTIME".into(),
        kind: "airtime".into(),
        country: "SN".into(),
        currency: "XOF".into(),
        amount_minor: 200 + (i as i64 % 100) * 100,
        fee_minor: None,
        customer_ref: format!("+22176{:07}", i % 10_000_000),
        invoice_ref: None,
        operator_name: "bench".into(),
        training: true,
        details: Default::default(),
    }
}

/// Fills a ledger of `rows` operations through the real schema (every trigger runs, the search
/// index included) in one transaction: four kinds, a token on a quarter, dates over 1,000 days.
async fn fill(path: &std::path::Path, rows: usize) {
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let mut tx = conn.begin().await.unwrap();
    // Ids and keys as the engine makes them (UUIDv7: a millisecond time prefix, a random rest).
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?1), \
         dated AS (SELECT i, strftime('%Y-%m-%dT%H:%M:%fZ', 'now', \
             '-' || ((?1 - 1 - i) * 1000 / ?1) || ' days', '-' || (36000 - i % 36000) || ' seconds') \
             AS at FROM n), \
         r AS (SELECT i, at, printf('%012x', CAST((julianday(at) - 2440587.5) * 86400000 AS INTEGER)) \
             AS ms FROM dated), \
         h AS (SELECT i, at, ms || '7' || lower(hex(randomblob(10))) AS id_hex, \
             'G' || ms || '7' || lower(hex(randomblob(10))) AS key FROM r) \
         INSERT INTO operations (id, idempotency_key, provider, service_code, kind, country, \
           currency, amount_minor, fee_minor, customer_ref, invoice_ref, status, provider_ref, \
           token, operator_name, training, details, created_at, updated_at) \
         SELECT substr(id_hex, 1, 8) || '-' || substr(id_hex, 9, 4) || '-' || \
             substr(id_hex, 13, 4) || '-' || substr(id_hex, 17, 4) || '-' || substr(id_hex, 21, 12), \
           substr(key, 1, 33), 'dexchange', \
           'ORANGE_SN_AIRTIME', CASE i % 4 WHEN 0 THEN 'airtime' WHEN 1 THEN 'bill' \
             WHEN 2 THEN 'woyofal' ELSE 'cashin' END, 'SN', 'XOF', 200 + (i % 100) * 100, \
           NULL, printf('+22177%07d', i % 10000000), NULL, \
           CASE i % 10 WHEN 9 THEN 'failed' ELSE 'success' END, printf('DX-%d', i), \
           CASE i % 4 WHEN 2 THEN printf('%04d %04d %04d %04d %04d', i % 10000, (i * 7) % 10000, \
             (i * 13) % 10000, (i * 17) % 10000, (i * 31) % 10000) END, \
           'bench', 1, '{}', at, at \
         FROM h",
    )
    .bind(rows as i64)
    .execute(&mut *tx)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO operation_events (operation_id, seq, at, from_status, to_status, source) \
         SELECT id, 1, created_at, NULL, status, 'engine' FROM operations",
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    conn.close().await.unwrap();
}

/// The history's reads on a ledger of `rows` operations.
async fn reads_at(dir: &std::path::Path, rows: usize, table: &mut Table) {
    let path = dir.join(format!("rows-{rows}.db"));
    drop(Ledger::open(&path).await.unwrap());
    let t = Instant::now();
    fill(&path, rows).await;
    table.push((
        format!("fill {rows} operations (one transaction, every trigger and index)"),
        format!("{:.1} s", t.elapsed().as_secs_f64()),
    ));
    let ledger = Ledger::open(&path).await.unwrap();
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    table.push((
        "ledger file size".into(),
        format!("{:.0} MiB", size as f64 / 1_048_576.0),
    ));
    // What a restart waits for before its first screen; the integrity check runs after it.
    // The open alone: closing waits for sqlx's worker threads (up to 5 s, `close_pool`).
    let mut opens = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let opened = Ledger::open(&path).await.unwrap();
        opens.push(t.elapsed());
        drop(opened);
    }
    table.push((
        "open the ledger at start (existing file, median of 5)".into(),
        ms(pct(opens, 0.5)),
    ));
    let t = Instant::now();
    ledger.check_integrity().await.unwrap();
    table.push((
        "its integrity check (`PRAGMA quick_check`, in the background after start)".into(),
        format!("{:.1} s", t.elapsed().as_secs_f64()),
    ));
    let n = 200;
    let search = |text: String| {
        let ledger = ledger.clone();
        async move {
            let q = HistoryQuery {
                text: Some(text),
                limit: Some(100),
                ..HistoryQuery::default()
            };
            std::hint::black_box(ledger.search(&q).await.unwrap());
        }
    };
    let pick = |i: usize| (i * 7_919) % rows;
    let keys: Vec<String> = {
        let mut keys = Vec::new();
        for i in 0..50 {
            let q = HistoryQuery {
                text: Some(format!("DX-{}", pick(i))),
                limit: Some(1),
                ..HistoryQuery::default()
            };
            keys.extend(
                ledger
                    .search(&q)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|o| o.idempotency_key),
            );
        }
        keys
    };
    let measures: [(&str, TextOf); 5] = [
        (
            "history search by phone (9 digits)",
            Box::new(|i| format!("77{:07}", pick(i) % 10_000_000)),
        ),
        (
            "history search by our reference (a whole key)",
            Box::new(|i| keys[i % keys.len()].clone()),
        ),
        (
            "history search by the provider's reference",
            Box::new(|i| format!("DX-{}", pick(i))),
        ),
        (
            "history search by a token's middle (8 digits, spaces ignored)",
            Box::new(|i| {
                let j = pick(i) / 4 * 4 + 2;
                format!("{:04}{:04}", (j * 7) % 10_000, (j * 13) % 10_000)
            }),
        ),
        (
            "history search by an amount (5000: one operation in 100)",
            Box::new(|_| "5000".into()),
        ),
    ];
    for (name, text) in measures {
        let v = time_n(n, |i| search(text(i))).await;
        table.push((format!("{name}, first 100"), spread(&v)));
    }
    let day = |i: usize| {
        let day = chrono::Utc::now().date_naive() - chrono::Days::new(1 + (i as u64 * 13) % 900);
        day.and_hms_opt(0, 0, 0).unwrap().and_utc()
    };
    let v = time_n(n, |i| {
        let ledger = ledger.clone();
        async move {
            let from = day(i);
            let totals = ledger
                .totals(from, from + chrono::Duration::days(1), None)
                .await
                .unwrap();
            std::hint::black_box(totals);
        }
    })
    .await;
    table.push((
        format!(
            "a day's totals per kind and status (Ledger::totals, ~{} a day)",
            rows / 1000
        ),
        spread(&v),
    ));
    let v = time_n(n, |i| {
        let ledger = ledger.clone();
        async move {
            let from = day(i);
            let q = HistoryQuery {
                from: Some(from),
                to: Some(from + chrono::Duration::days(1)),
                limit: Some(100),
                ..HistoryQuery::default()
            };
            std::hint::black_box(ledger.search(&q).await.unwrap());
        }
    })
    .await;
    table.push(("a day's history, first 100".into(), spread(&v)));
    let v = time_n(n, |_| {
        let ledger = ledger.clone();
        async move {
            std::hint::black_box(ledger.search(&HistoryQuery::default()).await.unwrap());
        }
    })
    .await;
    table.push(("history first page (newest 100)".into(), spread(&v)));
    let v = time_n(n, |i| {
        let ledger = ledger.clone();
        let key = keys[i % keys.len()].clone();
        async move {
            ledger.get_by_idempotency_key(&key).await.unwrap().unwrap();
        }
    })
    .await;
    table.push((
        "read one operation by our reference (idempotency key)".into(),
        spread(&v),
    ));
    let v = time_n(n, |i| {
        let ledger = ledger.clone();
        async move {
            ledger.insert_operation(new_op(i)).await.unwrap();
        }
    })
    .await;
    table.push((format!("insert one operation at {rows} rows"), spread(&v)));
    ledger.close().await;
    let _ = std::fs::remove_file(&path);
}
