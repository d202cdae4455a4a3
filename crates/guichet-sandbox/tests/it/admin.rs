//! The admin API, determinism, and the library API.

use guichet_sandbox::{Sandbox, Timings};
use serde_json::{json, Value};

use crate::common::{start, start_with};

#[tokio::test]
async fn fixtures_describe_the_customer_book() {
    let env = start().await;
    let fx = env.fixtures().await;
    for biller in ["senelec", "seneau"] {
        let accounts = fx[biller].as_array().unwrap();
        assert!(accounts.len() >= 3);
        assert!(
            accounts.iter().any(|a| a["fully_paid"] == true),
            "{biller}: one fully paid"
        );
        for a in accounts {
            assert!(a["reference_client"].is_string());
            let unpaid = a["unpaid_bills"].as_u64().unwrap();
            assert!(unpaid <= 3);
            if a["fully_paid"] == false {
                assert!(unpaid >= 1);
            }
            for b in a["bills"].as_array().unwrap() {
                assert_eq!(
                    b["total"].as_i64().unwrap(),
                    b["montant"].as_i64().unwrap() + b["frais"].as_i64().unwrap()
                );
            }
        }
        assert!(fx["unknown_references"][biller].is_string());
    }
    assert_eq!(fx["senelec"][0]["reference_client"], "210278816");
    let meters = fx["woyofal"].as_array().unwrap();
    assert!(meters
        .iter()
        .any(|m| m["reference_client"] == "07061270877"));
    for b in [
        "instant",
        "processing_then_token",
        "processing_then_failure",
    ] {
        assert!(meters.iter().any(|m| m["behaviour"] == b), "{b}");
    }
    assert_eq!(fx["otp"]["wrong"], "0000");
    assert_eq!(fx["wallets"]["declines_suffix"], "9999");
    assert!(fx["unipesa_providers"].as_array().unwrap().len() > 40);
    assert_eq!(fx["credentials"]["dexchange_key"], "sandbox-dexchange-key");
}

#[tokio::test]
async fn transactions_have_the_documented_fields() {
    // Slow world: the states below are read before anything settles.
    let env = start_with(Sandbox::builder().timings(Timings {
        settle_after: std::time::Duration::from_secs(30),
        approve_after: std::time::Duration::from_secs(30),
        ..Timings::fast()
    }))
    .await;
    env.dex_post(
        "/transaction/init",
        json!({"externalTransactionId": "X1", "serviceCode": "OM_SN_CASHIN", "amount": 1000, "number": "771234567"}),
    )
    .await;
    env.et_post(
        "/airtime",
        json!({"amount": 1000, "api_key": crate::common::ET_KEY, "destination": "0701234567",
               "service_id": 26, "ipn_url": "http://127.0.0.1:9/", "custom_data": "X2"}),
    )
    .await;
    env.gw(
        "payment_c2b",
        json!({"merchant_id": crate::common::GW_MERCHANT, "customer_id": "221771234567", "order_id": "X3",
               "amount": "1000.00", "currency": "XOF", "country": "SN", "provider_id": 9203}),
    )
    .await;
    let list = env.admin_get("/transactions").await;
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 3);
    for (t, provider, ext) in [
        (&list[0], "dexchange", "X1"),
        (&list[1], "easytransfert", "X2"),
        (&list[2], "unipesa", "X3"),
    ] {
        assert_eq!(t["provider"], provider);
        assert_eq!(t["external_id"], ext);
        for k in [
            "provider",
            "service",
            "external_id",
            "provider_id",
            "amount",
            "fee",
            "status",
            "native_status",
            "created_at",
        ] {
            assert!(t.get(k).is_some(), "{k} missing in {t}");
        }
        assert_eq!(t["amount"], 1000);
        let status = t["status"].as_str().unwrap();
        assert!([
            "pending",
            "processing",
            "success",
            "failed",
            "cancelled",
            "expired"
        ]
        .contains(&status));
    }
    assert_eq!(list[1]["native_status"], "PENDING1");
    assert_eq!(list[2]["native_status"], "1");
    let only = env.admin_get("/transactions?provider=unipesa").await;
    assert_eq!(only.as_array().unwrap().len(), 1);
    let one = env.admin_get("/transactions/X2").await;
    assert_eq!(one["provider"], "easytransfert");
    let r = env
        .http
        .get(format!("{}/transactions/none", env.urls.admin))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
}

#[tokio::test]
async fn faults_balances_callbacks_and_reset() {
    let env = start().await;
    let (s, v) = env
        .admin_put(
            "/faults",
            json!({"latency_ms": [1, 2], "error_500": 0.5, "providers": ["dexchange"]}),
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(v["error_500"], 0.5);
    assert_eq!(env.admin_get("/faults").await["latency_ms"], json!([1, 2]));
    for bad in [
        json!({"error_500": 1.5}),
        json!({"nonsense": 1}),
        json!({"latency_ms": [5, 1]}),
        json!({"providers": ["paypal"]}),
    ] {
        let (s, _) = env.admin_put("/faults", bad.clone()).await;
        assert_eq!(s, 400, "{bad}");
    }
    let (s, v) = env.admin_put("/faults", json!({})).await;
    assert_eq!(s, 200);
    assert_eq!(
        v,
        json!({"error_500": 0.0, "hang_after_commit": 0.0, "drop_after_commit": 0.0, "rate_limit": 0.0, "maintenance": 0.0})
    );
    let (s, b) = env
        .admin_put(
            "/balances",
            json!({"dexchange": 42, "easytransfert": 43, "unipesa": {"XAF": 44}}),
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(b["dexchange"], 42);
    assert_eq!(b["unipesa"]["XAF"], 44);
    assert!(env
        .admin_get("/callbacks")
        .await
        .as_array()
        .unwrap()
        .is_empty());
    env.dex_post(
        "/transaction/merchant/get-link",
        json!({"externalTransactionId": "R", "ItemName": "i", "ItemPrice": 100, "callBackURL": "c", "successUrl": "s", "failureUrl": "f"}),
    )
    .await;
    let (s, _) = env.admin_post("/reset", json!({})).await;
    assert_eq!(s, 200);
    assert!(env
        .admin_get("/transactions")
        .await
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(env.admin_get("/balances").await["dexchange"], 5_000_000);
    let idx = env.admin_get("").await;
    assert!(idx["admin"].is_array());
}

#[tokio::test]
async fn same_seed_same_world_different_seed_different_book() {
    async fn run(seed: u64) -> (Value, Vec<Value>) {
        let env = start_with(Sandbox::builder().seed(seed).timings(Timings::fast())).await;
        let fx = env.fixtures().await;
        let seeded_meter = fx["woyofal"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["behaviour"] == "seeded")
            .unwrap()["reference_client"]
            .clone();
        let mut answers = Vec::new();
        for i in 0..6 {
            let (_, v) = env
                .dex_post(
                    "/billing/pay",
                    json!({"serviceCode": "WOYOFAL_SN_BILL", "reference_client": seeded_meter, "amount": 1000 + i}),
                )
                .await;
            let t = &v["transaction"];
            answers.push(json!([t["transactionId"], t["Status"], t["token"]]));
            let (_, v) = env
                .et_post(
                    "/airtime",
                    json!({"amount": 1000, "api_key": crate::common::ET_KEY, "destination": "0701234567",
                           "service_id": 26, "ipn_url": "http://127.0.0.1:9/"}),
                )
                .await;
            answers.push(v["data"]["transaction_id"].clone());
        }
        (fx, answers)
    }
    let (fa, aa) = run(7).await;
    let (fb, ab) = run(7).await;
    let (fc, ac) = run(8).await;
    let strip = |mut f: Value| {
        f.as_object_mut().unwrap().remove("credentials");
        f
    };
    assert_eq!(strip(fa.clone()), strip(fb));
    assert_eq!(aa, ab);
    assert_ne!(fa["seneau"], fc["seneau"]);
    assert_ne!(aa, ac);
}

#[tokio::test]
async fn in_process_state_api_mirrors_the_admin_api() {
    let env = start().await;
    let state = env.sb.state();
    assert_eq!(env.sb.credentials().dexchange_key, "sandbox-dexchange-key");
    assert!(env.sb.url().starts_with("http://127.0.0.1:"));
    env.dex_post(
        "/transaction/merchant/get-link",
        json!({"externalTransactionId": "IP", "ItemName": "i", "ItemPrice": 100, "callBackURL": "c", "successUrl": "s", "failureUrl": "f"}),
    )
    .await;
    assert_eq!(state.transactions().len(), 1);
    let v = state.approve("IP", Some("781234567".into())).unwrap();
    assert_eq!(v["status"], "success");
    assert_eq!(
        state.approve("IP", None),
        Err(guichet_sandbox::AdminError::AlreadyFinal("SUCCESS".into()))
    );
    assert_eq!(
        state.decline("nope"),
        Err(guichet_sandbox::AdminError::NotFound)
    );
    // The pure router, without a socket.
    let router = guichet_sandbox::router(Sandbox::builder().build());
    use tower::ServiceExt;
    let resp = router
        .oneshot(
            axum::http::Request::get("/__sandbox/fixtures")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
}

#[tokio::test]
async fn admin_api_refuses_non_loopback_peers() {
    use std::sync::Arc;
    use tower::ServiceExt;
    let router = guichet_sandbox::router(Sandbox::builder().build());
    let request = |peer: &str| {
        let mut r = axum::http::Request::get("/__sandbox/transactions")
            .body(axum::body::Body::empty())
            .unwrap();
        r.extensions_mut()
            .insert(guichet_sandbox::server::ConnMeta {
                peer: peer.parse().unwrap(),
                kill: Arc::new(tokio::sync::Notify::new()),
            });
        r
    };
    // No packet leaves the process: the peer address is only what the router is told.
    let resp = router
        .clone()
        .oneshot(request("192.0.2.7:40000"))
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 403);
    let resp = router.oneshot(request("127.0.0.1:40000")).await.unwrap();
    assert_eq!(resp.status().as_u16(), 200);
}
