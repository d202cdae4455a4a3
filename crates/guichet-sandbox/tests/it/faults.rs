//! Each fault mode over real HTTP, and a bounded soak with faults on.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::common::{client, gw_sign, start, DEX_KEY, ET_KEY, GW_MERCHANT, GW_PUBLIC, GW_SECRET};

fn cashin(ext: &str) -> Value {
    json!({"externalTransactionId": ext, "serviceCode": "OM_SN_CASHIN", "amount": 1000, "number": "771234567"})
}

#[tokio::test]
async fn error_500_records_nothing_and_spares_the_admin_api() {
    let env = start().await;
    env.admin_put("/faults", json!({"error_500": 1.0})).await;
    let (s, v) = env.dex_post("/transaction/init", cashin("E500")).await;
    assert_eq!(s, 500);
    assert_eq!(v["success"], false);
    let (s, _) = env
        .et_post("/status", json!({"api_key": ET_KEY, "transaction_id": "x"}))
        .await;
    assert_eq!(s, 500);
    assert!(env
        .admin_get("/transactions")
        .await
        .as_array()
        .unwrap()
        .is_empty());
    env.admin_put("/faults", json!({})).await;
    let (s, _) = env.dex_post("/transaction/init", cashin("E500")).await;
    assert_eq!(s, 200, "nothing was committed, the same id goes through");
}

#[tokio::test]
async fn rate_limit_is_429_and_faults_can_target_one_provider() {
    let env = start().await;
    env.admin_put(
        "/faults",
        json!({"rate_limit": 1.0, "providers": ["easytransfert"]}),
    )
    .await;
    let r = env
        .http
        .post(format!("{}/status", env.urls.easytransfert))
        .json(&json!({"api_key": ET_KEY, "transaction_id": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 429);
    assert_eq!(r.headers()["retry-after"], "1");
    let (s, _) = env.dex_get("/api-services/balance").await;
    assert_eq!(s, 200, "DEXCHANGE is not targeted");
}

#[tokio::test]
async fn rate_limit_retry_after_can_be_any_u64() {
    let env = start().await;
    env.admin_put(
        "/faults",
        json!({"rate_limit": 1.0, "retry_after_secs": u64::MAX}),
    )
    .await;
    let r = env
        .http
        .get(format!("{}/api-services/balance", env.urls.dexchange))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 429);
    assert_eq!(r.headers()["retry-after"], "18446744073709551615");
    let v = env.admin_get("/faults").await;
    assert_eq!(v["retry_after_secs"], u64::MAX);
}

#[tokio::test]
async fn maintenance_is_dexchange_403() {
    let env = start().await;
    env.admin_put("/faults", json!({"maintenance": 1.0})).await;
    let (s, v) = env.dex_get("/api-services/balance").await;
    assert_eq!(s, 403);
    assert_eq!(v["success"], false);
    let (s, _) = env
        .et_post("/status", json!({"api_key": ET_KEY, "transaction_id": "x"}))
        .await;
    assert_eq!(s, 200, "maintenance is DEXCHANGE's 403 only");
}

#[tokio::test]
async fn dexchange_documented_rate_limit_when_enabled() {
    let mut config = guichet_sandbox::Config::with_seed(1);
    config.timings = guichet_sandbox::Timings::fast();
    config.dexchange_rate_limit = Some(3);
    let env = crate::common::start_with(guichet_sandbox::Sandbox::builder().config(config)).await;
    for _ in 0..3 {
        assert_eq!(env.dex_get("/api-services/balance").await.0, 200);
    }
    let (s, v) = env.dex_get("/api-services/balance").await;
    assert_eq!(s, 429);
    assert_eq!(v["success"], false);
    assert_eq!(
        env.admin_get("/faults").await["rate_limit"],
        0.0,
        "admin is not limited"
    );
}

#[tokio::test]
async fn latency_delays_the_answer() {
    let env = start().await;
    env.admin_put("/faults", json!({"latency_ms": [150, 150]}))
        .await;
    let t0 = Instant::now();
    let (s, _) = env.dex_get("/api-services/balance").await;
    assert_eq!(s, 200);
    assert!(t0.elapsed() >= Duration::from_millis(150));
    let t0 = Instant::now();
    env.admin_get("/faults").await;
    assert!(
        t0.elapsed() < Duration::from_millis(150),
        "admin API has no faults"
    );
}

#[tokio::test]
async fn hang_after_commit_records_then_never_answers() {
    let env = start().await;
    env.admin_put("/faults", json!({"hang_after_commit": 1.0}))
        .await;
    let http = client(Duration::from_millis(300));
    let err = http
        .post(format!("{}/transaction/init", env.urls.dexchange))
        .bearer_auth(DEX_KEY)
        .json(&cashin("HANG-1"))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err}");
    let t = env.admin_get("/transactions/HANG-1").await;
    assert_eq!(
        t["provider"], "dexchange",
        "the transaction was committed: {t}"
    );
    env.admin_put("/faults", json!({})).await;
    // Resolving the ambiguity: resending the same externalTransactionId answers 409.
    let (s, _) = env.dex_post("/transaction/init", cashin("HANG-1")).await;
    assert_eq!(s, 409);
    // For the gateway, the same order_id answers the first (committed) answer.
    env.admin_put("/faults", json!({"hang_after_commit": 1.0}))
        .await;
    let mut body = json!({"merchant_id": GW_MERCHANT, "customer_id": "221771234567", "order_id": "HANG-2",
        "amount": "1000.00", "currency": "XOF", "country": "SN", "provider_id": 9203});
    body["signature"] = json!(gw_sign(&body, GW_SECRET));
    let url = format!("{}/{GW_PUBLIC}/payment_c2b", env.urls.unipesa);
    let err = http
        .post(&url)
        .body(body.to_string())
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout());
    env.admin_put("/faults", json!({})).await;
    let (_, v) = env.gw_raw("payment_c2b", &body.to_string()).await;
    assert_eq!(v["result"]["code"], 0);
    let t = env.admin_get("/transactions/HANG-2").await;
    assert_eq!(v["transaction_id"], t["provider_id"]);
}

#[tokio::test]
async fn drop_after_commit_cuts_the_connection() {
    let env = start().await;
    env.admin_put("/faults", json!({"drop_after_commit": 1.0}))
        .await;
    let http = client(Duration::from_secs(5));
    let t0 = Instant::now();
    let err = http
        .post(format!("{}/transaction/init", env.urls.dexchange))
        .bearer_auth(DEX_KEY)
        .json(&cashin("DROP-1"))
        .send()
        .await
        .unwrap_err();
    assert!(!err.is_timeout(), "cut, not timed out: {err}");
    assert!(t0.elapsed() < Duration::from_secs(2));
    assert_eq!(
        env.admin_get("/transactions/DROP-1").await["external_id"],
        "DROP-1"
    );
    // EASYTRANSFERT too: the operation exists although the client never saw its id.
    let err = http
        .post(format!("{}/airtime", env.urls.easytransfert))
        .json(
            &json!({"amount": 1000, "api_key": ET_KEY, "destination": "0701234567",
                      "service_id": 26, "ipn_url": "http://127.0.0.1:9/", "custom_data": "DROP-2"}),
        )
        .send()
        .await
        .unwrap_err();
    assert!(!err.is_timeout());
    assert_eq!(
        env.admin_get("/transactions/DROP-2").await["provider"],
        "easytransfert"
    );
    env.admin_put("/faults", json!({})).await;
    let (s, _) = env.dex_get("/api-services/balance").await;
    assert_eq!(s, 200);
}

/// A few thousand requests across the three providers with every fault on, bounded in count and
/// time, on loopback only. The sandbox must keep answering and keep a consistent record.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn survives_thousands_of_requests_with_faults_on() {
    let env = start().await;
    env.admin_put(
        "/faults",
        json!({"latency_ms": [0, 2], "error_500": 0.05, "rate_limit": 0.05,
               "drop_after_commit": 0.03, "hang_after_commit": 0.005}),
    )
    .await;
    const TOTAL: usize = 3000;
    const WORKERS: usize = 24;
    let next = Arc::new(AtomicUsize::new(0));
    let ok = Arc::new(AtomicUsize::new(0));
    let failed = Arc::new(AtomicUsize::new(0));
    let inits_ok = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs(40);
    let mut tasks = Vec::new();
    for _ in 0..WORKERS {
        let (next, ok, failed, inits_ok) =
            (next.clone(), ok.clone(), failed.clone(), inits_ok.clone());
        let urls = env.urls.clone();
        tasks.push(tokio::spawn(async move {
            let http = client(Duration::from_millis(400));
            loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= TOTAL || Instant::now() > deadline {
                    break;
                }
                let req = match i % 5 {
                    0 => http
                        .post(format!("{}/transaction/init", urls.dexchange))
                        .bearer_auth(DEX_KEY)
                        .json(&cashin(&format!("SOAK-{i}"))),
                    1 => http
                        .get(format!("{}/api-services/balance", urls.dexchange))
                        .bearer_auth(DEX_KEY),
                    2 => http.post(format!("{}/airtime", urls.easytransfert)).json(&json!({
                        "amount": 500, "api_key": ET_KEY, "destination": "0701234567",
                        "service_id": 26, "ipn_url": "http://127.0.0.1:9/", "custom_data": format!("SOAK-{i}")})),
                    3 => {
                        let mut b = json!({"merchant_id": GW_MERCHANT, "customer_id": "221771234567",
                            "order_id": format!("SOAK-{i}"), "amount": "1000.00", "currency": "XOF",
                            "country": "SN", "provider_id": 9203});
                        b["signature"] = json!(gw_sign(&b, GW_SECRET));
                        http.post(format!("{}/{GW_PUBLIC}/payment_c2b", urls.unipesa))
                            .body(b.to_string())
                    }
                    _ => http
                        .post(format!("{}/billing/inquiry", urls.dexchange))
                        .bearer_auth(DEX_KEY)
                        .json(&json!({"serviceCode": "SENELEC_SN_BILL", "reference_client": "210278816"})),
                };
                let answered = match req.send().await {
                    Ok(r) if r.status().is_success() => r.text().await.is_ok(),
                    _ => false,
                };
                if answered {
                    ok.fetch_add(1, Ordering::SeqCst);
                    if i % 5 == 0 {
                        inits_ok.fetch_add(1, Ordering::SeqCst);
                    }
                } else {
                    failed.fetch_add(1, Ordering::SeqCst);
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let (ok, failed) = (ok.load(Ordering::SeqCst), failed.load(Ordering::SeqCst));
    assert_eq!(
        ok + failed,
        TOTAL,
        "every request was sent within the time bound"
    );
    assert!(failed > TOTAL / 20, "faults happened: {failed}");
    assert!(ok > TOTAL * 3 / 4, "most succeeded: {ok}");
    // Still healthy, and every DEXCHANGE init the client saw succeed is recorded.
    env.admin_put("/faults", json!({})).await;
    let (s, _) = env.dex_get("/api-services/balance").await;
    assert_eq!(s, 200);
    let txs = env.admin_get("/transactions?provider=dexchange").await;
    let recorded = txs.as_array().unwrap().len();
    assert!(
        recorded >= inits_ok.load(Ordering::SeqCst),
        "{recorded} recorded"
    );
}
