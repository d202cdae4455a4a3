//! The gateway over real HTTP: signature, idempotency, per-provider rules, status, callbacks.

use std::time::Duration;

use guichet_sandbox::{Sandbox, Timings};
use serde_json::{json, Value};

use crate::common::{gw_sign, receiver, start, start_with, GW_MERCHANT, GW_SECRET};

fn c2b(order: &str, provider: u32, customer: &str, amount: &str, country: &str) -> Value {
    json!({
        "merchant_id": GW_MERCHANT,
        "customer_id": customer,
        "order_id": order,
        "amount": amount,
        "currency": "XOF",
        "country": country,
        "provider_id": provider,
    })
}

/// Test vectors computed outside Rust (Python's hmac/hashlib) from the documented algorithm.
#[test]
fn independent_signature_matches_published_algorithm_vectors() {
    // Seed 004's PHP sample data, with its secret.
    let php_sample = json!({
        "merchant_id": "fffed61be9780b97c5e4c65e4e07bb6b", "provider_id": 10,
        "client_id": "254000000000", "country": "KE", "order_id": "order_3444298767545",
        "amount": 1000, "currency": "KES", "callback_url": "https://my.callback.url"
    });
    assert_eq!(
        gw_sign(&php_sample, GW_SECRET),
        "a724c9ebe2b15fca52cf5ad427164db7acef0f7c3f4ea1b3c8a3d07706ac4c2e6d0125a452d86e220f5c21686f6239434a490279e61641d33de5fb213e4ef8f2"
    );
    // Nested extra and a signature field in the middle (seed 004's CI example order).
    let nested = json!({
        "merchant_id": GW_MERCHANT, "customer_id": "2250705145655", "order_id": "test_161225_01_1",
        "amount": "1100.00", "currency": "XOF", "country": "CI", "provider_id": "9197",
        "signature": "ignored", "extra": {"otp": "5647"}
    });
    assert_eq!(
        gw_sign(&nested, GW_SECRET),
        "ce29092ac1debbe9fdfac31b914f79e4cc5070c5878bc1a4c8201da8482aeebd3d4d90a9b83aa6d559e6c49a49400619ed25d9af2e5685dc68d55371d3f4b384"
    );
    // And the sandbox's own implementation agrees.
    let m = nested.as_object().unwrap();
    assert_eq!(
        guichet_sandbox::unipesa::signature::sign(m, GW_SECRET).unwrap(),
        gw_sign(&nested, GW_SECRET)
    );
}

#[tokio::test]
async fn signed_c2b_is_accepted_in_the_order_sent() {
    let env = start().await;
    // The seed's CI example, signature sent before extra (order matters, signature skipped).
    let mut body = json!({
        "merchant_id": GW_MERCHANT, "customer_id": "2250705145655", "order_id": "test_161225_01_1",
        "amount": "1100.00", "currency": "XOF", "country": "CI", "callback_url": "",
        "provider_id": "9197", "signature": "", "extra": {"otp": "5647"}
    });
    body["signature"] = json!(gw_sign(&body, GW_SECRET));
    let (s, v) = env.gw_raw("payment_c2b", &body.to_string()).await;
    assert_eq!(s, 200);
    assert_eq!(v["result"]["code"], 0, "{v}");
    assert_eq!(v["status"], 1);
    assert_eq!(v["order_id"], "test_161225_01_1");
    assert!(!v["transaction_id"].as_str().unwrap().is_empty());
    for k in [
        "order_id",
        "transaction_id",
        "transaction_ref",
        "status",
        "result",
        "provider_result",
        "service_id",
        "service_version",
        "service_date_time",
        "confirm_type",
    ] {
        assert!(v.get(k).is_some(), "{k} missing");
    }
    assert_eq!(v["confirm_type"], 0);
    // Same fields, another order: the signature no longer matches → 10201.
    let reordered = json!({
        "customer_id": "2250705145655", "merchant_id": GW_MERCHANT, "order_id": "o-2",
        "amount": "1100.00", "currency": "XOF", "country": "CI", "provider_id": "9197",
        "extra": {"otp": "5647"}
    });
    let mut sent = reordered.clone();
    let mut canonical = json!({
        "merchant_id": GW_MERCHANT, "customer_id": "2250705145655", "order_id": "o-2",
        "amount": "1100.00", "currency": "XOF", "country": "CI", "provider_id": "9197",
        "extra": {"otp": "5647"}
    });
    sent["signature"] = json!(gw_sign(&canonical, GW_SECRET));
    let (_, v) = env.gw_raw("payment_c2b", &sent.to_string()).await;
    assert_eq!(v["result"]["code"], 10201);
    canonical["signature"] = json!(gw_sign(&canonical, GW_SECRET));
    let (_, v) = env.gw_raw("payment_c2b", &canonical.to_string()).await;
    assert_eq!(v["result"]["code"], 0);
}

#[tokio::test]
async fn wrong_signature_is_10201_with_http_200_and_records_nothing() {
    let env = start().await;
    let body = c2b("bad-sig", 9203, "221771234567", "1000.00", "SN");
    let mut wrong = body.clone();
    wrong["signature"] = json!(gw_sign(&body, "not-the-secret"));
    let (s, v) = env.gw_raw("payment_c2b", &wrong.to_string()).await;
    assert_eq!(s, 200);
    assert_eq!(v["result"]["code"], 10201);
    assert_eq!(v["transaction_id"], "");
    // Uppercase hex, missing signature, tampered field, wrong merchant, wrong public id.
    let mut upper = body.clone();
    upper["signature"] = json!(gw_sign(&body, GW_SECRET).to_uppercase());
    let (_, v) = env.gw_raw("payment_c2b", &upper.to_string()).await;
    assert_eq!(v["result"]["code"], 10201);
    let (_, v) = env.gw_raw("payment_c2b", &body.to_string()).await;
    assert_eq!(v["result"]["code"], 10201);
    let mut tampered = body.clone();
    tampered["signature"] = json!(gw_sign(&body, GW_SECRET));
    tampered["amount"] = json!("9000.00");
    let (_, v) = env.gw_raw("payment_c2b", &tampered.to_string()).await;
    assert_eq!(v["result"]["code"], 10201);
    let mut other = body.clone();
    other["merchant_id"] = json!("someone-else");
    let (_, v) = env.gw("payment_c2b", other).await;
    assert_eq!(v["result"]["code"], 10201);
    let mut ok = body.clone();
    ok["signature"] = json!(gw_sign(&body, GW_SECRET));
    let r = env
        .http
        .post(format!("{}/wrong-public-id/payment_c2b", env.urls.unipesa))
        .body(ok.to_string())
        .send()
        .await
        .unwrap();
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["result"]["code"], 10201);
    assert!(env
        .admin_get("/transactions")
        .await
        .as_array()
        .unwrap()
        .is_empty());
    // A wrong signature is not remembered: the correctly signed request then goes through.
    let (_, v) = env.gw("payment_c2b", body).await;
    assert_eq!(v["result"]["code"], 0);
}

#[tokio::test]
async fn same_order_id_returns_the_identical_answer() {
    let env = start().await;
    let body = c2b("idem-1", 2354, "221771234567", "2500.00", "SN");
    let mut signed = body.clone();
    signed["signature"] = json!(gw_sign(&body, GW_SECRET));
    let url = format!(
        "{}/{}/payment_c2b",
        env.urls.unipesa,
        crate::common::GW_PUBLIC
    );
    let first = env
        .http
        .post(&url)
        .body(signed.to_string())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(20)).await;
    let second = env
        .http
        .post(&url)
        .body(signed.to_string())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(first, second, "byte-identical, service_date_time included");
    // Even with another amount: the first answer, one transaction.
    let (_, v) = env
        .gw(
            "payment_c2b",
            c2b("idem-1", 2354, "221771234567", "9000.00", "SN"),
        )
        .await;
    assert_eq!(
        v.to_string(),
        serde_json::from_str::<Value>(&first).unwrap().to_string()
    );
    assert_eq!(
        env.admin_get("/transactions")
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // A refused order is remembered too.
    let (_, a) = env
        .gw(
            "payment_c2b",
            c2b("idem-2", 2354, "221771234567", "1.00", "SN"),
        )
        .await;
    assert_ne!(a["result"]["code"], 0);
    let (_, b) = env
        .gw(
            "payment_c2b",
            c2b("idem-2", 2354, "221771234567", "1000.00", "SN"),
        )
        .await;
    assert_eq!(a, b);
}

#[tokio::test]
async fn per_provider_rules_of_seed_004() {
    let env = start().await;
    let code = |v: &Value| v["result"]["code"].as_i64().unwrap();
    let mut n = 0;
    let mut order = || {
        n += 1;
        format!("rule-{n}")
    };
    // Amount format: a string with two decimals.
    let mut b = c2b(&order(), 2354, "221771234567", "1000", "SN");
    let (_, v) = env.gw("payment_c2b", b.clone()).await;
    assert_eq!(code(&v), 10101);
    b["order_id"] = json!(order());
    b["amount"] = json!(1000);
    let (_, v) = env.gw("payment_c2b", b).await;
    assert_eq!(code(&v), 10101);
    // SN limits: 2354 is 100..500,000; 9203 is 200..1,000,000 in multiples of 5.
    let (_, v) = env
        .gw(
            "payment_c2b",
            c2b(&order(), 2354, "221771234567", "500001.00", "SN"),
        )
        .await;
    assert_eq!(code(&v), 10103);
    let (_, v) = env
        .gw(
            "payment_c2b",
            c2b(&order(), 2354, "221771234567", "100.00", "SN"),
        )
        .await;
    assert_eq!(code(&v), 0);
    let (_, v) = env
        .gw(
            "payment_c2b",
            c2b(&order(), 9203, "221771234567", "199.00", "SN"),
        )
        .await;
    assert_eq!(code(&v), 10103);
    let (_, v) = env
        .gw(
            "payment_c2b",
            c2b(&order(), 9203, "221771234567", "1002.00", "SN"),
        )
        .await;
    assert_eq!(code(&v), 10104, "multiple of 5");
    let (_, v) = env
        .gw(
            "payment_c2b",
            c2b(&order(), 9203, "221771234567", "1005.00", "SN"),
        )
        .await;
    assert_eq!(code(&v), 0);
    // Phone formats.
    let (_, v) = env
        .gw(
            "payment_c2b",
            c2b(&order(), 9203, "771234567", "1000.00", "SN"),
        )
        .await;
    assert_eq!(code(&v), 10101);
    let (_, v) = env
        .gw(
            "payment_c2b",
            c2b(&order(), 2354, "2250701234567", "1000.00", "SN"),
        )
        .await;
    assert_eq!(code(&v), 10101);
    // Unknown provider, wrong currency, wrong country.
    let (_, v) = env
        .gw(
            "payment_c2b",
            c2b(&order(), 1, "221771234567", "1000.00", "SN"),
        )
        .await;
    assert_eq!(code(&v), 10102);
    let mut b = c2b(&order(), 9203, "221771234567", "1000.00", "SN");
    b["currency"] = json!("XAF");
    let (_, v) = env.gw("payment_c2b", b).await;
    assert_eq!(code(&v), 10102);
    let (_, v) = env
        .gw(
            "payment_c2b",
            c2b(&order(), 9203, "221771234567", "1000.00", "CI"),
        )
        .await;
    assert_eq!(code(&v), 10102);
    // CI Orange c2b needs extra.otp; CI b2c needs extra.customer_name.
    let (_, v) = env
        .gw(
            "payment_c2b",
            c2b(&order(), 9197, "2250701234567", "1000.00", "CI"),
        )
        .await;
    assert_eq!(code(&v), 10105);
    let mut b = c2b(&order(), 9197, "2250701234567", "1000.00", "CI");
    b["extra"] = json!({"otp": "5647"});
    let (_, v) = env.gw("payment_c2b", b).await;
    assert_eq!(code(&v), 0);
    let (_, v) = env
        .gw(
            "payment_b2c",
            c2b(&order(), 2303, "2250501234567", "1000.00", "CI"),
        )
        .await;
    assert_eq!(code(&v), 10105);
    let mut b = c2b(&order(), 2303, "2250501234567", "1000.00", "CI");
    b["extra"] = json!({"customer_name": "Awa Diop"});
    let (_, v) = env.gw("payment_b2c", b).await;
    assert_eq!(code(&v), 0);
    // BF 9209: OTP for c2b.
    let (_, v) = env
        .gw(
            "payment_c2b",
            c2b(&order(), 9209, "22670123456", "1000.00", "BF"),
        )
        .await;
    assert_eq!(code(&v), 10105);
    // BJ 9210: 100..1,000,000.
    let (_, v) = env
        .gw(
            "payment_c2b",
            c2b(&order(), 9210, "2290161234567", "100.00", "BJ"),
        )
        .await;
    assert_eq!(code(&v), 0);
    // CM: XAF 500..500,000.
    let mut b = c2b(&order(), 802, "237671234567", "499.00", "CM");
    b["currency"] = json!("XAF");
    let (_, v) = env.gw("payment_c2b", b).await;
    assert_eq!(code(&v), 10103);
    let mut b = c2b(&order(), 9063, "237671234567", "500.00", "CM");
    b["currency"] = json!("XAF");
    let (_, v) = env.gw("payment_c2b", b).await;
    assert_eq!(code(&v), 0);
    // CD phone formats per provider.
    for (p, phone, ok) in [
        (2197, "0800000001", true),
        (2197, "800000001", false),
        (2198, "999000001", true),
        (2198, "0999000001", false),
        (2196, "243810000001", true),
        (2199, "0900000001", true),
    ] {
        let mut b = c2b(&order(), p, phone, "1000.00", "CD");
        b["currency"] = json!("CDF");
        let (_, v) = env.gw("payment_c2b", b).await;
        assert_eq!(code(&v) == 0, ok, "{p} {phone}: {v}");
    }
    // TG 2358: c2b needs customer_name and customer_email.
    let mut b = c2b(&order(), 2358, "22890123456", "1000.00", "TG");
    b["extra"] = json!({"customer_name": "Kossi"});
    let (_, v) = env.gw("payment_c2b", b).await;
    assert_eq!(code(&v), 10105);
    let mut b = c2b(&order(), 2358, "22890123456", "1000.00", "TG");
    b["extra"] = json!({"customer_name": "Kossi", "customer_email": "k@example.invalid"});
    let (_, v) = env.gw("payment_c2b", b).await;
    assert_eq!(code(&v), 0);
    // TG 2359: b2c maximum 500,000.
    let (_, v) = env
        .gw(
            "payment_b2c",
            c2b(&order(), 2359, "22890123456", "500005.00", "TG"),
        )
        .await;
    assert_eq!(code(&v), 10103);
    // Missing fields, bad order_id.
    let (_, v) = env
        .gw(
            "payment_c2b",
            json!({"merchant_id": GW_MERCHANT, "order_id": order()}),
        )
        .await;
    assert_eq!(code(&v), 10101);
    let (_, v) = env
        .gw(
            "payment_c2b",
            c2b("bad order id!", 2354, "221771234567", "100.00", "SN"),
        )
        .await;
    assert_eq!(code(&v), 10101);
    // Not JSON.
    let (s, v) = env.gw_raw("payment_c2b", "{nope").await;
    assert_eq!(s, 200);
    assert_ne!(code(&v), 0);
}

#[tokio::test]
async fn simulator_stays_in_progress_with_minus_8888_and_no_callback() {
    let env = start().await;
    let rx = receiver(0).await;
    let mut b = c2b("sim-1", 14, "254000000001", "100.00", "KE");
    b["currency"] = json!("KES");
    b["callback_url"] = json!(rx.url);
    let (_, v) = env.gw("payment_c2b", b).await;
    assert_eq!(v["status"], 1);
    assert_eq!(v["result"]["code"], 0);
    assert_eq!(v["provider_result"]["code"], -8888);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (_, st) = env
        .gw(
            "status",
            json!({"merchant_id": GW_MERCHANT, "order_id": "sim-1"}),
        )
        .await;
    assert_eq!(st["status"], 1);
    assert_eq!(st["provider_result"]["code"], -8888);
    assert_eq!(rx.hits.load(std::sync::atomic::Ordering::SeqCst), 0);
}

#[tokio::test]
async fn status_follows_the_transaction_and_callbacks_are_signed() {
    let env = start().await;
    let mut rx = receiver(0).await;
    let mut b = c2b("st-1", 2355, "221771234567", "1500.00", "SN");
    b["callback_url"] = json!(rx.url);
    let (_, v) = env.gw("payment_c2b", b).await;
    assert_eq!(v["status"], 1);
    let tid = v["transaction_id"].as_str().unwrap().to_string();
    let raw = rx.next_raw().await;
    let cb: Value = serde_json::from_str(&raw).unwrap();
    // Field order of seed 004's callback, signature last, verified independently.
    let keys: Vec<&str> = cb.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "merchant_id",
            "operation_type",
            "customer_id",
            "amount",
            "order_id",
            "transaction_id",
            "transaction_ref",
            "status",
            "provider_id",
            "destination_id",
            "result",
            "signature"
        ]
    );
    assert_eq!(cb["signature"], gw_sign(&cb, GW_SECRET).as_str());
    assert_eq!(cb["operation_type"], 17);
    assert_eq!(cb["status"], 2);
    assert_eq!(cb["transaction_id"], tid.as_str());
    assert_eq!(cb["order_id"], "st-1");
    assert_eq!(cb["amount"], 1500);
    assert!(!cb["transaction_ref"].as_str().unwrap().is_empty());
    let (_, st) = env
        .gw(
            "status",
            json!({"merchant_id": GW_MERCHANT, "order_id": "st-1"}),
        )
        .await;
    assert_eq!(st["status"], 2);
    assert_eq!(st["transaction_id"], tid.as_str());
    assert_eq!(st["result"]["code"], 0);
    // The status of an unknown order, and with a wrong signature.
    let (_, st) = env
        .gw(
            "status",
            json!({"merchant_id": GW_MERCHANT, "order_id": "never"}),
        )
        .await;
    assert_eq!(st["status"], -1);
    assert_ne!(st["result"]["code"], 0);
    let mut bad = json!({"merchant_id": GW_MERCHANT, "order_id": "st-1"});
    bad["signature"] = json!("00");
    let (_, st) = env.gw_raw("status", &bad.to_string()).await;
    assert_eq!(st["result"]["code"], 10201);
    // extra.otp in a status request is accepted.
    let (_, st) = env
        .gw("status", json!({"merchant_id": GW_MERCHANT, "order_id": "st-1", "customer_id": "221771234567", "extra": {"otp": "7374"}}))
        .await;
    assert_eq!(st["status"], 2);
}

#[tokio::test]
async fn b2c_debits_the_merchant_and_refunds_on_failure() {
    let env = start().await;
    let bal = |v: &Value| v["unipesa"]["XOF"].as_i64().unwrap();
    let before = bal(&env.admin_get("/balances").await);
    let (_, v) = env
        .gw(
            "payment_b2c",
            c2b("b2c-1", 9205, "221771234567", "10000.00", "SN"),
        )
        .await;
    assert_eq!(v["result"]["code"], 0);
    assert_eq!(v["service_id"], 11);
    assert_eq!(bal(&env.admin_get("/balances").await), before - 10_000);
    env.wait_status("b2c-1", "success").await;
    let (_, v) = env
        .gw(
            "payment_b2c",
            c2b("b2c-2", 9205, "221770009999", "5000.00", "SN"),
        )
        .await;
    assert_eq!(v["result"]["code"], 0);
    env.wait_status("b2c-2", "failed").await;
    assert_eq!(bal(&env.admin_get("/balances").await), before - 10_000);
    let (_, st) = env
        .gw(
            "status",
            json!({"merchant_id": GW_MERCHANT, "order_id": "b2c-2"}),
        )
        .await;
    assert_eq!(st["status"], 3);
    assert_ne!(st["provider_result"]["code"], 0);
    // Insufficient balance.
    env.admin_put("/balances", json!({"unipesa": {"XOF": 100}}))
        .await;
    let (_, v) = env
        .gw(
            "payment_b2c",
            c2b("b2c-3", 9205, "221771234567", "1000.00", "SN"),
        )
        .await;
    assert_eq!(v["result"]["code"], 10106);
}

#[tokio::test]
async fn c2b_waits_for_approval_and_a_wrong_otp_fails() {
    let env = start_with(Sandbox::builder().timings(Timings {
        auto_approve: false,
        ..Timings::fast()
    }))
    .await;
    let (_, v) = env
        .gw(
            "payment_c2b",
            c2b("ap-1", 9203, "221771234567", "1000.00", "SN"),
        )
        .await;
    assert_eq!(v["status"], 1);
    tokio::time::sleep(Duration::from_millis(120)).await;
    let (_, st) = env
        .gw(
            "status",
            json!({"merchant_id": GW_MERCHANT, "order_id": "ap-1"}),
        )
        .await;
    assert_eq!(st["status"], 1);
    env.admin_post("/transactions/ap-1/decline", json!({}))
        .await;
    let (_, st) = env
        .gw(
            "status",
            json!({"merchant_id": GW_MERCHANT, "order_id": "ap-1"}),
        )
        .await;
    assert_eq!(st["status"], 3);
    // OTP payments settle on their own; 0000 is the wrong OTP.
    let mut b = c2b("otp-bad", 9209, "22670123456", "1000.00", "BF");
    b["extra"] = json!({"otp": "0000"});
    env.gw("payment_c2b", b).await;
    env.wait_status("otp-bad", "failed").await;
    let mut b = c2b("otp-ok", 9209, "22670123456", "1000.00", "BF");
    b["extra"] = json!({"otp": "5647"});
    env.gw("payment_c2b", b).await;
    env.wait_status("otp-ok", "success").await;
}
