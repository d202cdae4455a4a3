//! Benchmark (a table, no asserts): the engine's own cost per operation beyond the HTTP round
//! trip to the sandbox (one `submit`: validation, the write-ahead commits, the call, the answer's
//! commit; settling later is the provider's time and the reconciler's pace, not measured), and the ledger with 1,000,000 operations in the file.
//!
//! `cargo bench -p guichet-core --bench engine` — `GUICHET_BENCH_OPS` (default 300 engine
//! operations) and `GUICHET_BENCH_ROWS` (default 1,000,000 ledger rows) change the sizes.
//!
//! Ledger fast path (documented): rows go in through `Ledger::insert_operation` (the real
//! write path: one transaction, the operation row and its first event), then one SQL UPDATE
//! spreads their `created_at` over the last 1,000 days so that "a day" holds ~1,000 of them, as
//! a busy till's three years would. `created_at` is write-once (a trigger): in the bench's
//! throwaway file only, that trigger is dropped for the UPDATE and re-created from its own SQL.

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

/// Times `f` `n` times; (median, p95).
async fn time_n<F, Fut>(n: usize, mut f: F) -> (Duration, Duration)
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
    (pct(v.clone(), 0.5), pct(v, 0.95))
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let ops = env_usize("GUICHET_BENCH_OPS", 300);
    let rows = env_usize("GUICHET_BENCH_ROWS", 1_000_000);
    let dir = tempfile::tempdir().unwrap();
    let mut table: Vec<(String, String)> = Vec::new();

    // ---- engine overhead against the sandbox (gateway b2c: settles in its first answer) ----
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
    let ledger = Ledger::open(dir.path().join("engine.db")).await.unwrap();
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
    *spent.lock().unwrap() = Duration::ZERO;
    let mut totals = Vec::with_capacity(ops);
    let mut inside = Vec::with_capacity(ops);
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
    }
    let overhead: Vec<Duration> = totals
        .iter()
        .zip(&inside)
        .map(|(t, i)| t.saturating_sub(*i))
        .collect();
    table.push((
        format!("Engine::submit, gateway b2c ({ops} ops, {settled} accepted with a provider id)"),
        format!(
            "p50 {} / p95 {}",
            ms(pct(totals.clone(), 0.5)),
            ms(pct(totals, 0.95))
        ),
    ));
    table.push((
        "  of which the provider call (HTTP round trip to the sandbox, signing, parsing)".into(),
        format!(
            "p50 {} / p95 {}",
            ms(pct(inside.clone(), 0.5)),
            ms(pct(inside, 0.95))
        ),
    ));
    table.push((
        "  engine's own overhead (validation, 3 committed ledger writes, events)".into(),
        format!(
            "p50 {} / p95 {}",
            ms(pct(overhead.clone(), 0.5)),
            ms(pct(overhead, 0.95))
        ),
    ));
    // A bare HTTP call of the same kind of endpoint, without the connector (unsigned status
    // request: the sandbox answers 200 with an error code, the round trip is the same).
    let client = reqwest::Client::new();
    let status_url = format!(
        "{}/{}/status",
        urls.unipesa,
        guichet_sandbox::Credentials::default().unipesa_public_id
    );
    let (p50, p95) = time_n(ops, |_| {
        let (client, url) = (client.clone(), status_url.clone());
        async move {
            let r = client
                .post(url)
                .json(&serde_json::json!({"order_id": "bench"}))
                .send()
                .await
                .unwrap();
            let _ = r.bytes().await.unwrap();
        }
    })
    .await;
    table.push((
        "bare HTTP POST to the sandbox gateway (reqwest, keep-alive)".into(),
        format!("p50 {} / p95 {}", ms(p50), ms(p95)),
    ));
    sandbox.shutdown().await;

    // ---- the ledger with `rows` operations ----
    let path = dir.path().join("big.db");
    let ledger = Ledger::open(&path).await.unwrap();
    let new_op = |i: usize| NewOperation {
        idempotency_key: format!("G{i:031}"),
        provider: "dexchange".into(),
        service_code: "ORANGE_SN_AIRTIME".into(),
        kind: "airtime".into(),
        country: "SN".into(),
        currency: "XOF".into(),
        amount_minor: 200 + (i as i64 % 100) * 100,
        fee_minor: None,
        customer_ref: format!("+22177{:07}", i % 10_000_000),
        invoice_ref: None,
        operator_name: "bench".into(),
        training: true,
        details: Default::default(),
    };
    let t = Instant::now();
    let mut last = Instant::now();
    for i in 0..rows {
        ledger.insert_operation(new_op(i)).await.unwrap();
        if last.elapsed() > Duration::from_secs(20) {
            eprintln!("  {i} rows, {:.0}/s", i as f64 / t.elapsed().as_secs_f64());
            last = Instant::now();
        }
    }
    let build = t.elapsed();
    table.push((
        format!("bulk insert {rows} operations via Ledger::insert_operation"),
        format!(
            "{:.1} s ({:.0} ops/s)",
            build.as_secs_f64(),
            rows as f64 / build.as_secs_f64()
        ),
    ));
    // Spread the dates over 1,000 days (the documented fast path).
    {
        let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        // `created_at` is write-once (a trigger): in this throwaway file only, the trigger is
        // lifted for the one UPDATE and put back exactly as it was.
        let (name, sql): (String, String) = sqlx::query_as(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%write-once%'",
        )
        .fetch_one(&mut conn)
        .await
        .unwrap();
        sqlx::query(&format!("DROP TRIGGER {name}"))
            .execute(&mut conn)
            .await
            .unwrap();
        sqlx::query(
            "UPDATE operations SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || (rowid % 1000) || ' days', '-' || (rowid % 36000) || ' seconds')",
        )
        .execute(&mut conn)
        .await
        .unwrap();
        sqlx::query(&sql).execute(&mut conn).await.unwrap();
        conn.close().await.unwrap();
    }
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    table.push((
        "ledger file size".into(),
        format!("{:.0} MiB", size as f64 / 1_048_576.0),
    ));
    let n = 200;
    let (p50, p95) = time_n(n, |i| {
        let ledger = ledger.clone();
        async move {
            ledger.insert_operation(new_op(rows + i)).await.unwrap();
        }
    })
    .await;
    table.push((
        format!("insert one operation at {rows} rows"),
        format!("p50 {} / p95 {}", ms(p50), ms(p95)),
    ));
    let (p50, p95) = time_n(n, |i| {
        let ledger = ledger.clone();
        async move {
            let key = format!("G{:031}", (i * 4_999) % rows);
            ledger.get_by_idempotency_key(&key).await.unwrap().unwrap();
        }
    })
    .await;
    table.push((
        "read one operation by our reference (idempotency key)".into(),
        format!("p50 {} / p95 {}", ms(p50), ms(p95)),
    ));
    let n = 20;
    let (p50, p95) = time_n(n, |i| {
        let ledger = ledger.clone();
        async move {
            let q = HistoryQuery {
                text: Some(format!("77{:07}", (i * 7_919) % rows)),
                limit: Some(50),
                ..HistoryQuery::default()
            };
            ledger.search(&q).await.unwrap();
        }
    })
    .await;
    table.push((
        "history search by phone (text, limit 50)".into(),
        format!("p50 {} / p95 {}", ms(p50), ms(p95)),
    ));
    let (p50, p95) = time_n(n, |i| {
        let ledger = ledger.clone();
        async move {
            let q = HistoryQuery {
                text: Some(format!("G{:031}", (i * 7_919) % rows)),
                limit: Some(50),
                ..HistoryQuery::default()
            };
            ledger.search(&q).await.unwrap();
        }
    })
    .await;
    table.push((
        "history search by reference (text, limit 50)".into(),
        format!("p50 {} / p95 {}", ms(p50), ms(p95)),
    ));
    let (p50, p95) = time_n(n, |i| {
        let ledger = ledger.clone();
        async move {
            let day = chrono::Utc::now().date_naive() - chrono::Days::new(1 + i as u64 * 13);
            let from = day.and_hms_opt(0, 0, 0).unwrap().and_utc();
            let q = HistoryQuery {
                from: Some(from),
                to: Some(from + chrono::Duration::days(1)),
                limit: Some(1000),
                ..HistoryQuery::default()
            };
            let ops = ledger.search(&q).await.unwrap();
            let total: i64 = ops.iter().map(|o| o.amount_minor).sum();
            std::hint::black_box(total);
        }
    })
    .await;
    table.push((
        "a day's operations and totals (history from/to, rows/1000 a day, summed)".into(),
        format!("p50 {} / p95 {}", ms(p50), ms(p95)),
    ));
    let (p50, p95) = time_n(n, |_| {
        let ledger = ledger.clone();
        async move {
            ledger.search(&HistoryQuery::default()).await.unwrap();
        }
    })
    .await;
    table.push((
        "history first page (newest 100)".into(),
        format!("p50 {} / p95 {}", ms(p50), ms(p95)),
    ));

    println!("| measure | result |");
    println!("|---|---|");
    for (k, v) in table {
        println!("| {k} | {v} |");
    }
}
