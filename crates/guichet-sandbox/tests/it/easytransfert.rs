//! EASYTRANSFERT over real HTTP.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use guichet_sandbox::{Sandbox, Timings};
use serde_json::{json, Value};

use crate::common::{receiver, start, start_with, Env, ET_KEY};

/// `ipn_url` is required; "" stands for a loopback port where nobody listens.
fn airtime(amount: i64, service: i64, destination: &str, ipn: &str) -> Value {
    let ipn = if ipn.is_empty() {
        "http://127.0.0.1:9/ipn"
    } else {
        ipn
    };
    json!({
        "amount": amount, "api_key": ET_KEY, "destination": destination, "service_id": service,
        "ipn_url": ipn, "custom_data": "order_789"
    })
}

async fn wallet(env: &Env) -> i64 {
    let r = env
        .http
        .post(&env.urls.easytransfert_wallet)
        .header("x-api-key", ET_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["data"]["currency"], "XOF");
    assert!(v["data"]["last_updated"].is_string());
    v["data"]["wallet_amount"].as_i64().unwrap()
}

async fn status(env: &Env, id: &str) -> Value {
    let (s, v) = env
        .et_post("/status", json!({"api_key": ET_KEY, "transaction_id": id}))
        .await;
    assert_eq!(s, 200);
    v
}

async fn wait_final(env: &Env, id: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let v = status(env, id).await;
        let st = v["data"]["state"].as_str().unwrap().to_string();
        if !st.starts_with("PENDING") {
            return v;
        }
        assert!(Instant::now() < deadline, "{id} never final");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn cash_in_is_202_pending1_then_final_with_an_ipn() {
    let env = start().await;
    let mut rx = receiver(0).await;
    let before = wallet(&env).await;
    let (s, v) = env
        .et_post("/airtime", airtime(5000, 26, "0701234567", &rx.url))
        .await;
    assert_eq!(s, 202, "{v}");
    let d = &v["data"];
    assert_eq!(d["state"], "PENDING1");
    assert!(d["transaction_id"].as_str().unwrap().starts_with("EFB."));
    assert_eq!(d["amount"], 5000);
    assert_eq!(d["fee"], 50);
    assert_eq!(d["commission"], 0);
    assert_eq!(d["service_id"], 26);
    assert_eq!(d["custom_data"], "order_789");
    assert!(d["message"].is_string());
    assert_eq!(wallet(&env).await, before - 5050);
    let id = d["transaction_id"].as_str().unwrap().to_string();
    let ipn = rx.next().await;
    assert_eq!(ipn["transaction_id"], id.as_str());
    let state = ipn["state"].as_str().unwrap();
    assert!(state == "SUCCESSFUL" || state == "SUCCESS", "{ipn}");
    assert_eq!(ipn["ipn_state"], state);
    assert!(ipn["hash"].as_str().unwrap().len() == 64);
    assert!(ipn.get("error").is_some());
    assert_eq!(ipn["custom_data"], "order_789");
    let st = status(&env, &id).await;
    assert_eq!(st["data"]["state"], state);
    assert_eq!(st["statut_code"], 200);
    assert!(st["message"].is_string());
    assert!(st["data"]["hash"].is_string());
    // The other spelling of the field name.
    let (_, st) = env
        .et_post("/status", json!({"api_key": ET_KEY, "transaction_ids": id}))
        .await;
    assert_eq!(st["data"]["transaction_id"], id.as_str());
}

#[tokio::test]
async fn pending1_then_pending_then_final() {
    let env = start_with(Sandbox::builder().timings(Timings {
        settle_after: Duration::from_secs(1),
        ..Timings::fast()
    }))
    .await;
    let (_, v) = env
        .et_post("/airtime", airtime(1000, 20, "771234567", ""))
        .await;
    let id = v["data"]["transaction_id"].as_str().unwrap().to_string();
    let mut seen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        let st = status(&env, &id).await["data"]["state"]
            .as_str()
            .unwrap()
            .to_string();
        if seen.last() != Some(&st) {
            seen.push(st.clone());
        }
        if !st.starts_with("PENDING") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(seen[0], "PENDING1");
    assert_eq!(seen[1], "PENDING");
    assert!(seen[2] == "SUCCESS" || seen[2] == "SUCCESSFUL", "{seen:?}");
}

#[tokio::test]
async fn both_success_spellings_occur() {
    let env = start().await;
    let mut ids = Vec::new();
    for i in 0..12 {
        let (_, v) = env
            .et_post("/airtime", airtime(1000 + 100 * i, 22, "771234567", ""))
            .await;
        ids.push(v["data"]["transaction_id"].as_str().unwrap().to_string());
    }
    let mut states = HashSet::new();
    for id in &ids {
        states.insert(
            wait_final(&env, id).await["data"]["state"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    assert_eq!(
        states,
        HashSet::from(["SUCCESS".to_string(), "SUCCESSFUL".to_string()])
    );
}

#[tokio::test]
async fn api_key_in_the_body_and_x_api_key_for_the_wallet() {
    let env = start().await;
    let mut b = airtime(1000, 26, "0701234567", "");
    b["api_key"] = json!("wrong");
    let (s, v) = env.et_post("/airtime", b.clone()).await;
    assert_eq!(s, 401);
    assert!(v["error"].is_string());
    b.as_object_mut().unwrap().remove("api_key");
    let (s, _) = env.et_post("/airtime", b).await;
    assert_eq!(s, 401);
    // A bearer header does not help.
    let r = env
        .http
        .post(format!("{}/airtime", env.urls.easytransfert))
        .bearer_auth(ET_KEY)
        .json(&json!({"amount": 1000, "service_id": 26, "destination": "0701234567", "ipn_url": "http://127.0.0.1:9/"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let (s, _) = env
        .et_post(
            "/status",
            json!({"api_key": "x", "transaction_id": "EFB.1"}),
        )
        .await;
    assert_eq!(s, 401);
    let r = env
        .http
        .post(&env.urls.easytransfert_wallet)
        .header("x-api-key", "wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
}

#[tokio::test]
async fn business_errors_are_http_200_with_error() {
    let env = start().await;
    let cases = [
        (airtime(1050, 26, "0701234567", ""), "multiple of 100"),
        (airtime(400, 26, "0701234567", ""), "between"),
        (airtime(500_100, 26, "0701234567", ""), "between"),
        (airtime(1000, 99, "0701234567", ""), "service_id"),
        (airtime(1000, 27, "0701234567", ""), "om_otp"),
        (airtime(1000, 23, "771234567", ""), "om_otp"),
        (airtime(1000, 29, "71234567", ""), "om_otp"),
        (airtime(1000, 26, "+2250701234567", ""), "destination"),
        (airtime(1000, 26, "701234567", ""), "destination"),
    ];
    for (body, needle) in cases {
        let (s, v) = env.et_post("/airtime", body.clone()).await;
        assert_eq!(s, 200, "{body}: {v}");
        let e = v["error"].as_str().unwrap_or_else(|| panic!("{v}"));
        assert!(e.contains(needle), "{e} should mention {needle}");
        assert!(v.get("data").is_none());
    }
    for amount in [500, 500_000] {
        let (s, v) = env
            .et_post("/airtime", airtime(amount, 26, "0701234567", ""))
            .await;
        assert_eq!(s, 202, "{amount}: {v}");
    }
    // Insufficient wallet.
    env.admin_put("/balances", json!({"easytransfert": 1000}))
        .await;
    let (s, v) = env
        .et_post("/airtime", airtime(1000, 26, "0701234567", ""))
        .await;
    assert_eq!(s, 200);
    assert!(v["error"].as_str().unwrap().contains("Insufficient"));
}

#[tokio::test]
async fn malformed_requests_are_400() {
    let env = start().await;
    let mut b = airtime(1000, 26, "0701234567", "");
    b.as_object_mut().unwrap().remove("destination");
    let (s, _) = env.et_post("/airtime", b).await;
    assert_eq!(s, 400);
    let mut b = airtime(1000, 26, "0701234567", "");
    b.as_object_mut().unwrap().remove("ipn_url");
    let (s, _) = env.et_post("/airtime", b).await;
    assert_eq!(s, 400);
    let mut b = airtime(1000, 26, "0701234567", "");
    b["amount"] = json!("1000");
    let (s, _) = env.et_post("/airtime", b).await;
    assert_eq!(s, 400);
    let r = env
        .http
        .post(format!("{}/airtime", env.urls.easytransfert))
        .body("nope")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let (s, _) = env.et_post("/status", json!({"api_key": ET_KEY})).await;
    assert_eq!(s, 400);
    let (s, v) = env
        .et_post(
            "/status",
            json!({"api_key": ET_KEY, "transaction_id": "EFB.0"}),
        )
        .await;
    assert_eq!(s, 200);
    assert!(v["error"].is_string());
}

#[tokio::test]
async fn cash_out_with_otp_settles_and_the_wrong_otp_fails() {
    let env = start().await;
    let before = wallet(&env).await;
    let mut b = airtime(5000, 27, "0701234567", "");
    b["om_otp"] = json!("1234");
    let (s, v) = env.et_post("/airtime", b).await;
    assert_eq!(s, 202);
    let id = v["data"]["transaction_id"].as_str().unwrap().to_string();
    let st = wait_final(&env, &id).await;
    assert!(st["data"]["state"].as_str().unwrap().starts_with("SUCCESS"));
    assert_eq!(
        wallet(&env).await,
        before + 5000 - 50,
        "credited amount - fee"
    );
    let mut b = airtime(5000, 23, "771234567", "");
    b["om_otp"] = json!("0000");
    let (s, v) = env.et_post("/airtime", b).await;
    assert_eq!(s, 202, "the immediate answer never confirms anything");
    let id = v["data"]["transaction_id"].as_str().unwrap().to_string();
    let st = wait_final(&env, &id).await;
    assert_eq!(st["data"]["state"], "FAILED");
    assert!(st["data"]["error"].is_string());
}

#[tokio::test]
async fn cash_out_without_otp_waits_for_the_customer() {
    let env = start_with(Sandbox::builder().timings(Timings {
        auto_approve: false,
        ..Timings::fast()
    }))
    .await;
    let (_, v) = env
        .et_post("/airtime", airtime(2000, 25, "0501234567", ""))
        .await;
    let id = v["data"]["transaction_id"].as_str().unwrap().to_string();
    tokio::time::sleep(Duration::from_millis(120)).await;
    assert_eq!(status(&env, &id).await["data"]["state"], "PENDING1");
    let (s, _) = env
        .admin_post(&format!("/transactions/{id}/approve"), json!({}))
        .await;
    assert_eq!(s, 200);
    assert!(status(&env, &id).await["data"]["state"]
        .as_str()
        .unwrap()
        .starts_with("SUCCESS"));
    // By custom_data (our reference) too.
    let mut b = airtime(2000, 25, "0501234567", "");
    b["custom_data"] = json!("ref-2");
    let (_, v) = env.et_post("/airtime", b).await;
    let id2 = v["data"]["transaction_id"].as_str().unwrap().to_string();
    env.admin_post("/transactions/ref-2/decline", json!({}))
        .await;
    assert_eq!(status(&env, &id2).await["data"]["state"], "FAILED");
}
