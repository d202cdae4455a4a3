//! DEXCHANGE routes over real HTTP: success and error paths.

use std::time::Duration;

use guichet_sandbox::{Sandbox, Timings};
use serde_json::{json, Value};

use crate::common::{receiver, start, start_with, DEX_KEY};

async fn balance(env: &crate::common::Env) -> i64 {
    let (s, v) = env.dex_get("/api-services/balance").await;
    assert_eq!(s, 200);
    v["balance"]["balance"].as_i64().unwrap()
}

fn init_body(ext: &str, code: &str, amount: i64, number: &str) -> Value {
    json!({
        "externalTransactionId": ext, "serviceCode": code, "amount": amount, "number": number,
        "callBackURL": "", "successUrl": "https://example.invalid/ok", "failureUrl": "https://example.invalid/ko"
    })
}

#[tokio::test]
async fn auth_is_bearer_and_401_otherwise() {
    let env = start().await;
    let url = format!("{}/api-services/services", env.urls.dexchange);
    let r = env.http.get(&url).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["success"], false);
    assert!(v["message"].is_string());
    let r = env
        .http
        .get(&url)
        .bearer_auth("wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let r = env
        .http
        .get(&url)
        .header("Authorization", DEX_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401, "the Bearer prefix is required");
}

#[tokio::test]
async fn an_account_without_a_service_does_not_list_it_and_refuses_it() {
    let env = start_with(
        Sandbox::builder()
            .timings(Timings::fast())
            .dexchange_lacks(["WAVE_SN_CASHOUT", "SENELEC_SN_BILL"]),
    )
    .await;
    let (s, v) = env.dex_get("/api-services/services").await;
    assert_eq!(s, 200);
    let codes: Vec<&str> = v["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["serviceCode"].as_str().unwrap())
        .collect();
    assert!(!codes.contains(&"WAVE_SN_CASHOUT"), "{codes:?}");
    assert!(!codes.contains(&"SENELEC_SN_BILL"), "{codes:?}");
    assert!(codes.contains(&"OM_SN_CASHOUT"), "{codes:?}");
    assert!(codes.contains(&"SENEAU_SN_BILL"), "{codes:?}");
    let (s, v) = env
        .dex_post(
            "/transaction/init",
            init_body("lacks-1", "WAVE_SN_CASHOUT", 5000, "771234567"),
        )
        .await;
    assert_eq!(s, 400, "{v}");
    assert!(
        v["message"][0]
            .as_str()
            .unwrap()
            .contains("WAVE_SN_CASHOUT"),
        "{v}"
    );
    let (s, v) = env
        .dex_post(
            "/billing/inquiry",
            json!({"serviceCode": "SENELEC_SN_BILL", "reference_client": "123456789"}),
        )
        .await;
    assert_eq!(s, 400, "{v}");
    // A service the account has still works.
    let (s, v) = env
        .dex_post(
            "/transaction/init",
            init_body("lacks-2", "OM_SN_CASHOUT", 5000, "771234567"),
        )
        .await;
    assert!(s == 200 || s == 201, "{s} {v}");
}

#[tokio::test]
async fn services_list_every_code_of_seed_000_and_the_billers() {
    let env = start().await;
    let (s, v) = env.dex_get("/api-services/services").await;
    assert_eq!(s, 200);
    let list = v["services"].as_array().unwrap();
    let codes: Vec<&str> = list
        .iter()
        .map(|s| s["serviceCode"].as_str().unwrap())
        .collect();
    for c in [
        "OM_SN_CASHIN",
        "OM_SN_CASHOUT",
        "WAVE_SN_CASHIN",
        "WAVE_SN_CASHOUT",
        "FM_SN_CASHIN",
        "FM_SN_CASHOUT",
        "WIZALL_SN_CASHIN",
        "WIZALL_SN_CASHOUT",
        "ORANGE_SN_AIRTIME",
        "FREE_SN_AIRTIME",
        "EXPRESSO_SN_AIRTIME",
        "PROMOBILE_SN_AIRTIME",
        "OM_ML_CASHOUT",
        "MOOV_ML_CASHOUT",
        "WAVE_ML_CASHOUT",
        "OM_CI_CASHIN",
        "OM_CI_CASHOUT",
        "WAVE_CI_CASHIN",
        "WAVE_CI_CASHOUT",
        "MTN_CI_CASHIN",
        "MTN_CI_CASHOUT",
        "MOOV_CI_CASHIN",
        "MOOV_CI_CASHOUT",
        "DIGICASH_CI_CASHOUT",
        "OM_CM_CASHOUT",
        "MTN_CM_CASHOUT",
        "SENEAU_SN_BILL",
        "SENELEC_SN_BILL",
        "WOYOFAL_SN_BILL",
    ] {
        assert!(codes.contains(&c), "{c} missing");
    }
    for s in list {
        for k in ["serviceName", "serviceCode", "serviceType", "country"] {
            assert!(s[k].is_string(), "{k} in {s}");
        }
    }
    let airtime = list
        .iter()
        .find(|s| s["serviceCode"] == "ORANGE_SN_AIRTIME")
        .unwrap();
    assert_eq!(airtime["serviceType"], "AIRTIME");
    let om = list
        .iter()
        .find(|s| s["serviceCode"] == "OM_SN_CASHIN")
        .unwrap();
    assert_eq!(om["serviceType"], "MOBILEMONEY");
    assert_eq!(om["country"], "SN");
}

#[tokio::test]
async fn balance_shape() {
    let env = start().await;
    let (s, v) = env.dex_get("/api-services/balance").await;
    assert_eq!(s, 200);
    let b = &v["balance"];
    assert_eq!(b["success"], true);
    assert_eq!(b["balance"], 5_000_000);
    assert_eq!(b["currency"], "XOF");
    assert!(b["lastUpdate"].is_string());
}

#[tokio::test]
async fn cashin_debits_amount_plus_fee_then_succeeds() {
    let env = start().await;
    let before = balance(&env).await;
    let (s, v) = env
        .dex_post(
            "/transaction/init",
            init_body("CI-1", "OM_SN_CASHIN", 10_000, "771234567"),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    let t = &v["transaction"];
    assert_eq!(t["success"], true);
    assert_eq!(t["Status"], "PENDING");
    assert_eq!(t["transactionType"], "CASHIN");
    assert_eq!(t["externalTransactionId"], "CI-1");
    assert_eq!(t["amount"], 10_000);
    assert_eq!(t["number"], "771234567");
    let fee = t["transactionFee"].as_i64().unwrap();
    assert_eq!(fee, 100);
    assert!(t["transactionId"].as_str().unwrap().starts_with("TID"));
    assert!(t.get("cashout_url").is_none());
    assert_eq!(balance(&env).await, before - 10_000 - fee);
    let id = t["transactionId"].as_str().unwrap();
    env.wait_status(id, "success").await;
    let (s, g) = env.dex_get(&format!("/transaction/{id}")).await;
    assert_eq!(s, 200);
    let g = &g["transaction"];
    assert_eq!(g["Status"], "SUCCESS");
    assert_eq!(g["ServiceCode"], "OM_SN_CASHIN");
    assert_eq!(g["ServiceName"], "Transfer to Orange Money");
    assert_eq!(g["Type"], "CASHIN");
    assert_eq!(g["Amount"], 10_000);
    assert_eq!(g["Number"], "771234567");
    assert!(g["Initiated_at"].is_string());
    assert!(g["Completed_at"].is_string());
}

#[tokio::test]
async fn cashin_to_a_failing_wallet_is_refunded() {
    let env = start_with(Sandbox::builder().timings(Timings {
        settle_after: Duration::from_secs(1),
        ..Timings::fast()
    }))
    .await;
    let before = balance(&env).await;
    let (_, v) = env
        .dex_post(
            "/transaction/init",
            init_body("CI-F", "WAVE_SN_CASHIN", 5_000, "770009999"),
        )
        .await;
    let id = v["transaction"]["transactionId"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(balance(&env).await, before - 5_050);
    env.wait_status(&id, "failed").await;
    assert_eq!(balance(&env).await, before);
    let (_, g) = env.dex_get(&format!("/transaction/{id}")).await;
    assert_eq!(g["transaction"]["Status"], "FAILED");
}

#[tokio::test]
async fn init_validation_errors() {
    let env = start().await;
    // Missing fields: message is a list.
    let (s, v) = env
        .dex_post("/transaction/init", json!({"serviceCode": "OM_SN_CASHIN"}))
        .await;
    assert_eq!(s, 400);
    assert_eq!(v["success"], false);
    let msgs = v["message"].as_array().unwrap();
    assert!(msgs
        .iter()
        .any(|m| m.as_str().unwrap().contains("externalTransactionId")));
    assert!(msgs.iter().any(|m| m.as_str().unwrap().contains("amount")));
    assert!(msgs.iter().any(|m| m.as_str().unwrap().contains("number")));
    // Limits.
    for amount in [199, 1_000_001, 0] {
        let (s, v) = env
            .dex_post(
                "/transaction/init",
                init_body("L", "OM_SN_CASHIN", amount, "771234567"),
            )
            .await;
        assert_eq!(s, 400, "{amount}: {v}");
        assert!(v["message"].is_array());
    }
    for amount in [200, 1_000_000] {
        let (s, v) = env
            .dex_post(
                "/transaction/init",
                init_body(&format!("OK{amount}"), "OM_SN_CASHOUT", amount, "771234567"),
            )
            .await;
        assert_eq!(s, 200, "{amount}: {v}");
    }
    // Numbers: ^[0-9]{9}$ for SN.
    for number in ["77123456", "7712345678", "+221771234567", "77123456a"] {
        let (s, v) = env
            .dex_post(
                "/transaction/init",
                init_body("N", "OM_SN_CASHIN", 1000, number),
            )
            .await;
        assert_eq!(s, 400, "{number}: {v}");
        assert!(v["message"][0].as_str().unwrap().contains("^[0-9]{9}$"));
    }
    // CI numbers have 10 digits [gap].
    let (s, _) = env
        .dex_post(
            "/transaction/init",
            init_body("CI10", "MTN_CI_CASHOUT", 1000, "0701234567"),
        )
        .await;
    assert_eq!(s, 200);
    // Unknown or non-init service codes.
    for code in ["NOPE", "SENELEC_SN_BILL"] {
        let (s, _) = env
            .dex_post("/transaction/init", init_body("S", code, 1000, "771234567"))
            .await;
        assert_eq!(s, 400);
    }
    // Amount as a string.
    let mut b = init_body("T", "OM_SN_CASHIN", 1000, "771234567");
    b["amount"] = json!("1000");
    let (s, _) = env.dex_post("/transaction/init", b).await;
    assert_eq!(s, 400);
    // Not JSON.
    let r = env
        .http
        .post(format!("{}/transaction/init", env.urls.dexchange))
        .bearer_auth(DEX_KEY)
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    // Nothing was recorded by the failures.
    let txs = env.admin_get("/transactions").await;
    assert_eq!(txs.as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn reused_external_id_is_409_and_nothing_moves() {
    let env = start().await;
    let (s, _) = env
        .dex_post(
            "/transaction/init",
            init_body("DUP", "OM_SN_CASHIN", 1000, "771234567"),
        )
        .await;
    assert_eq!(s, 200);
    let after_first = balance(&env).await;
    let (s, v) = env
        .dex_post(
            "/transaction/init",
            init_body("DUP", "OM_SN_CASHIN", 1000, "771234567"),
        )
        .await;
    assert_eq!(s, 409);
    assert_eq!(v["success"], false);
    assert!(v["message"].is_string());
    assert_eq!(balance(&env).await, after_first);
    // The billing endpoint shares the namespace.
    let (s, _) = env
        .dex_post(
            "/billing/pay",
            json!({"serviceCode": "WOYOFAL_SN_BILL", "reference_client": "07061270877", "amount": 1000, "externalTransactionId": "DUP"}),
        )
        .await;
    assert_eq!(s, 409);
}

#[tokio::test]
async fn insufficient_balance_is_400() {
    let env = start().await;
    let (s, _) = env.admin_put("/balances", json!({"dexchange": 1000})).await;
    assert_eq!(s, 200);
    let (s, v) = env
        .dex_post(
            "/transaction/init",
            init_body("IB", "OM_SN_CASHIN", 1000, "771234567"),
        )
        .await;
    assert_eq!(s, 400, "1000 + 10 fee > 1000");
    assert_eq!(v["message"], "Insufficient balance");
    assert_eq!(balance(&env).await, 1000);
    // A collection does not need balance.
    let (s, _) = env
        .dex_post(
            "/transaction/init",
            init_body("IB2", "OM_SN_CASHOUT", 1000, "771234567"),
        )
        .await;
    assert_eq!(s, 200);
}

#[tokio::test]
async fn airtime_commission_is_a_negative_fee() {
    let env = start().await;
    let before = balance(&env).await;
    let (s, v) = env
        .dex_post(
            "/transaction/init",
            init_body("AIR", "ORANGE_SN_AIRTIME", 1000, "771234567"),
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(v["transaction"]["transactionType"], "AIRTIME");
    assert_eq!(v["transaction"]["transactionFee"], -10);
    assert_eq!(balance(&env).await, before - 990);
}

#[tokio::test]
async fn cashout_waits_for_the_customer_then_credits_amount_minus_fee() {
    let env = start_with(Sandbox::builder().timings(Timings {
        auto_approve: false,
        ..Timings::fast()
    }))
    .await;
    let before = balance(&env).await;
    let (s, v) = env
        .dex_post(
            "/transaction/init",
            init_body("CO-1", "OM_SN_CASHOUT", 2000, "771234567"),
        )
        .await;
    assert_eq!(s, 200);
    let id = v["transaction"]["transactionId"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(v["transaction"]["Status"], "PENDING");
    tokio::time::sleep(Duration::from_millis(150)).await;
    let (_, g) = env.dex_get(&format!("/transaction/{id}")).await;
    assert_eq!(g["transaction"]["Status"], "PENDING", "no auto approval");
    assert_eq!(balance(&env).await, before);
    // Approve by our externalTransactionId.
    let (s, t) = env
        .admin_post("/transactions/CO-1/approve", json!({}))
        .await;
    assert_eq!(s, 200);
    assert_eq!(t["status"], "success");
    assert_eq!(balance(&env).await, before + 2000 - 20);
    // Approving again: 409.
    let (s, _) = env
        .admin_post(&format!("/transactions/{id}/approve"), json!({}))
        .await;
    assert_eq!(s, 409);
    // Decline another one.
    let (_, v) = env
        .dex_post(
            "/transaction/init",
            init_body("CO-2", "FM_SN_CASHOUT", 2000, "761234567"),
        )
        .await;
    let id2 = v["transaction"]["transactionId"]
        .as_str()
        .unwrap()
        .to_string();
    let (s, t) = env
        .admin_post(&format!("/transactions/{id2}/decline"), json!({}))
        .await;
    assert_eq!(s, 200);
    assert_eq!(t["status"], "failed");
    let (_, g) = env.dex_get(&format!("/transaction/{id2}")).await;
    assert_eq!(g["transaction"]["Status"], "FAILED");
    let (s, _) = env
        .admin_post("/transactions/nope/approve", json!({}))
        .await;
    assert_eq!(s, 404);
}

#[tokio::test]
async fn cashout_is_approved_automatically_and_wallet_suffixes_decide() {
    let env = start().await;
    let (_, ok) = env
        .dex_post(
            "/transaction/init",
            init_body("A1", "OM_SN_CASHOUT", 1000, "771234567"),
        )
        .await;
    let (_, ko) = env
        .dex_post(
            "/transaction/init",
            init_body("A2", "OM_SN_CASHOUT", 1000, "770009999"),
        )
        .await;
    let (_, silent) = env
        .dex_post(
            "/transaction/init",
            init_body("A3", "OM_SN_CASHOUT", 1000, "770008888"),
        )
        .await;
    env.wait_status(
        ok["transaction"]["transactionId"].as_str().unwrap(),
        "success",
    )
    .await;
    env.wait_status(
        ko["transaction"]["transactionId"].as_str().unwrap(),
        "failed",
    )
    .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let sid = silent["transaction"]["transactionId"].as_str().unwrap();
    let t = env.admin_get(&format!("/transactions/{sid}")).await;
    assert_eq!(t["status"], "pending", "8888 never answers");
}

#[tokio::test]
async fn wave_cashout_gives_a_cashout_url_that_the_customer_opens() {
    let env = start_with(Sandbox::builder().timings(Timings {
        auto_approve: false,
        ..Timings::fast()
    }))
    .await;
    let (_, v) = env
        .dex_post(
            "/transaction/init",
            init_body("W1", "WAVE_SN_CASHOUT", 1500, "781234567"),
        )
        .await;
    let url = v["transaction"]["cashout_url"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(url.starts_with(&env.urls.root));
    let page = env
        .http
        .get(&url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Approve"));
    // The customer taps "Approve" (form post → redirect back to the page).
    let id = v["transaction"]["transactionId"].as_str().unwrap();
    let r = env
        .http
        .post(format!("{}/customer/{id}/approve", env.urls.admin))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200, "redirect followed to the page");
    let (_, g) = env.dex_get(&format!("/transaction/{id}")).await;
    assert_eq!(g["transaction"]["Status"], "SUCCESS");
}

#[tokio::test]
async fn wizall_cashout_needs_the_otp_confirmation() {
    let env = start().await;
    let (_, v) = env
        .dex_post(
            "/transaction/init",
            init_body("WZ", "WIZALL_SN_CASHOUT", 3000, "771234567"),
        )
        .await;
    let id = v["transaction"]["transactionId"]
        .as_str()
        .unwrap()
        .to_string();
    tokio::time::sleep(Duration::from_millis(150)).await;
    let t = env.admin_get(&format!("/transactions/{id}")).await;
    assert_eq!(
        t["status"], "pending",
        "Wizall waits for the OTP, not the timer"
    );
    let (s, v) = env
        .dex_post(
            "/transaction/confirm/wizall",
            json!({"transactionId": id, "otp": "0000"}),
        )
        .await;
    assert_eq!(s, 400);
    assert_eq!(v["message"], "Invalid OTP");
    let (s, _) = env
        .dex_post("/transaction/confirm/wizall", json!({"transactionId": id}))
        .await;
    assert_eq!(s, 400);
    let (s, _) = env
        .dex_post(
            "/transaction/confirm/wizall",
            json!({"transactionId": "TID0", "otp": "1234"}),
        )
        .await;
    assert_eq!(s, 404);
    let (s, v) = env
        .dex_post(
            "/transaction/confirm/wizall",
            json!({"transactionId": id, "otp": "482913"}),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["transaction"]["Status"], "SUCCESS");
    assert_eq!(v["transaction"]["transactionId"], id.as_str());
    let (s, _) = env
        .dex_post(
            "/transaction/confirm/wizall",
            json!({"transactionId": id, "otp": "482913"}),
        )
        .await;
    assert_eq!(s, 400, "already confirmed");
    // Not a Wizall transaction.
    let (_, v) = env
        .dex_post(
            "/transaction/init",
            init_body("NW", "OM_SN_CASHOUT", 3000, "771234567"),
        )
        .await;
    let other = v["transaction"]["transactionId"].as_str().unwrap();
    let (s, _) = env
        .dex_post(
            "/transaction/confirm/wizall",
            json!({"transactionId": other, "otp": "1234"}),
        )
        .await;
    assert_eq!(s, 400);
}

#[tokio::test]
async fn unknown_transaction_is_404_with_a_list_message() {
    let env = start().await;
    let (s, v) = env.dex_get("/transaction/TID000").await;
    assert_eq!(s, 404);
    assert_eq!(
        v,
        json!({"message": ["No transaction found"], "success": false})
    );
    let (s, _) = env.dex_get("/transaction/merchant/MID000").await;
    assert_eq!(s, 404);
}

#[tokio::test]
async fn billing_inquiry() {
    let env = start().await;
    let fx = env.fixtures().await;
    let (s, v) = env
        .dex_post(
            "/billing/inquiry",
            json!({"serviceCode": "SENELEC_SN_BILL", "reference_client": "210278816"}),
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(v["success"], true);
    assert_eq!(v["referenceClient"], "210278816");
    let b = &v["bills"][0];
    for k in [
        "paymentTransactionNumber",
        "referenceClient",
        "referenceFacture",
        "nom",
        "prenom",
        "montant",
        "frais",
        "total",
        "dateEcheance",
        "paid",
        "address",
        "meterStatus",
    ] {
        assert!(b.get(k).is_some(), "{k} missing in {b}");
    }
    assert_eq!(b["referenceFacture"], "8000000680");
    assert_eq!(b["montant"], 104_500);
    assert_eq!(b["frais"], 1045);
    assert_eq!(b["total"], 105_545);
    assert_eq!(b["paid"], false);
    // Every SenEau account of the fixtures answers with its bills, 1..3 unpaid except the paid one.
    for a in fx["seneau"].as_array().unwrap() {
        let r = a["reference_client"].as_str().unwrap();
        let (s, v) = env
            .dex_post(
                "/billing/inquiry",
                json!({"serviceCode": "SENEAU_SN_BILL", "reference_client": r}),
            )
            .await;
        assert_eq!(s, 200);
        let unpaid = v["bills"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|b| b["paid"] == false)
            .count();
        assert_eq!(unpaid as u64, a["unpaid_bills"].as_u64().unwrap());
        assert!(unpaid <= 3);
    }
    // Woyofal: bills[0] describes the meter, montant 0.
    let (s, v) = env
        .dex_post(
            "/billing/inquiry",
            json!({"serviceCode": "WOYOFAL_SN_BILL", "reference_client": "07061270877"}),
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(v["bills"][0]["montant"], 0);
    assert_eq!(v["bills"][0]["meterStatus"], "ACTIVE");
    // Unknown reference, missing field, bad code.
    let unknown = fx["unknown_references"]["senelec"].as_str().unwrap();
    let (s, v) = env
        .dex_post(
            "/billing/inquiry",
            json!({"serviceCode": "SENELEC_SN_BILL", "reference_client": unknown}),
        )
        .await;
    assert_eq!(s, 400);
    assert_eq!(v["success"], false);
    let (s, _) = env
        .dex_post(
            "/billing/inquiry",
            json!({"serviceCode": "SENELEC_SN_BILL"}),
        )
        .await;
    assert_eq!(s, 400);
    let (s, _) = env
        .dex_post(
            "/billing/inquiry",
            json!({"serviceCode": "OM_SN_CASHIN", "reference_client": "1"}),
        )
        .await;
    assert_eq!(s, 400);
}

#[tokio::test]
async fn senelec_bill_is_paid_at_the_imposed_amount_then_already_paid() {
    let env = start().await;
    let rx = receiver(0).await;
    let mut rx = rx;
    let before = balance(&env).await;
    let (s, v) = env
        .dex_post(
            "/billing/pay",
            json!({"serviceCode": "SENELEC_SN_BILL", "reference_client": "210278816", "amount": 5,
                   "externalTransactionId": "INV-001", "callBackURL": rx.url, "customData": "c1"}),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["message"], "Bill paid successfully");
    let t = &v["transaction"];
    assert_eq!(t["Status"], "SUCCESS");
    assert_eq!(
        t["amount"], 104_500,
        "amount imposed by the bill, not the 5 sent"
    );
    assert_eq!(t["transactionFee"], 1045);
    assert_eq!(t["referenceFacture"], "8000000680");
    assert_eq!(t["transactionType"], "BILL");
    assert_eq!(t["previousBalance"], before);
    assert_eq!(t["currentBalance"], before - 105_545);
    assert_eq!(balance(&env).await, before - 105_545);
    let hook = rx.next().await;
    assert_eq!(hook["id"], t["transactionId"]);
    assert_eq!(hook["externalTransactionId"], "INV-001");
    assert_eq!(hook["STATUS"], "SUCCESS");
    assert_eq!(hook["AMOUNT"], 104_500);
    assert_eq!(hook["FEE"], 1045);
    assert_eq!(hook["CUSTOM_DATA"], "c1");
    assert_eq!(hook["CURRENT_BALANCE"], before - 105_545);
    // Paid now: the next attempt is "Bill already paid".
    let (s, v) = env
        .dex_post(
            "/billing/pay",
            json!({"serviceCode": "SENELEC_SN_BILL", "reference_client": "210278816"}),
        )
        .await;
    assert_eq!(s, 400);
    assert_eq!(v["message"], "Failed to pay bill");
    assert_eq!(v["transaction"]["Status"], "FAILED");
    assert_eq!(v["transaction"]["message"], "Bill already paid");
}

#[tokio::test]
async fn bills_of_the_fixtures_pay_oldest_first_and_by_reference_facture() {
    let env = start().await;
    let fx = env.fixtures().await;
    let account = fx["senelec"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["unpaid_bills"] == 3)
        .unwrap()
        .clone();
    let r = account["reference_client"].as_str().unwrap();
    let bills = account["bills"].as_array().unwrap();
    // Target the last bill explicitly.
    let last = bills.last().unwrap();
    let (s, v) = env
        .dex_post(
            "/billing/pay",
            json!({"serviceCode": "SENELEC_SN_BILL", "reference_client": r, "reference_facture": last["referenceFacture"]}),
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(v["transaction"]["amount"], last["montant"]);
    // Without reference_facture: the first unpaid.
    let (_, v) = env
        .dex_post(
            "/billing/pay",
            json!({"serviceCode": "SENELEC_SN_BILL", "reference_client": r}),
        )
        .await;
    assert_eq!(
        v["transaction"]["referenceFacture"],
        bills[0]["referenceFacture"]
    );
    // The fully paid account.
    let paid = fx["senelec"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["fully_paid"] == true)
        .unwrap();
    let (s, v) = env
        .dex_post(
            "/billing/pay",
            json!({"serviceCode": "SENELEC_SN_BILL", "reference_client": paid["reference_client"]}),
        )
        .await;
    assert_eq!(s, 400);
    assert_eq!(v["transaction"]["message"], "Bill already paid");
    // Unknown reference and unknown bill number.
    let unknown = fx["unknown_references"]["seneau"].as_str().unwrap();
    let (s, _) = env
        .dex_post(
            "/billing/pay",
            json!({"serviceCode": "SENEAU_SN_BILL", "reference_client": unknown}),
        )
        .await;
    assert_eq!(s, 400);
    let (s, _) = env
        .dex_post(
            "/billing/pay",
            json!({"serviceCode": "SENELEC_SN_BILL", "reference_client": r, "reference_facture": "0"}),
        )
        .await;
    assert_eq!(s, 400);
    // Fixtures reflect the payments.
    let fx = env.fixtures().await;
    let a = fx["senelec"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["reference_client"] == r)
        .unwrap();
    assert_eq!(a["unpaid_bills"], 1);
}

#[tokio::test]
async fn bill_with_insufficient_balance_is_refused() {
    let env = start().await;
    env.admin_put("/balances", json!({"dexchange": 100_000}))
        .await;
    let (s, v) = env
        .dex_post(
            "/billing/pay",
            json!({"serviceCode": "SENELEC_SN_BILL", "reference_client": "210278816"}),
        )
        .await;
    assert_eq!(s, 400);
    assert_eq!(v["transaction"]["message"], "Insufficient balance");
    assert_eq!(v["transaction"]["success"], false);
    let fx = env.fixtures().await;
    assert_eq!(fx["senelec"][0]["bills"][0]["paid"], false);
}

#[tokio::test]
async fn woyofal_instant_processing_and_refunded_failure() {
    // Settlement slow enough to observe PROCESSING and the debit before the outcome.
    let env = start_with(Sandbox::builder().timings(Timings {
        settle_after: Duration::from_millis(800),
        ..Timings::fast()
    }))
    .await;
    let mut rx = receiver(0).await;
    let fx = env.fixtures().await;
    let meters = fx["woyofal"].as_array().unwrap();
    let by = |b: &str| {
        meters.iter().find(|m| m["behaviour"] == b).unwrap()["reference_client"]
            .as_str()
            .unwrap()
            .to_string()
    };
    // Amount is required.
    let (s, _) = env
        .dex_post(
            "/billing/pay",
            json!({"serviceCode": "WOYOFAL_SN_BILL", "reference_client": by("instant")}),
        )
        .await;
    assert_eq!(s, 400);
    let (s, _) = env
        .dex_post(
            "/billing/pay",
            json!({"serviceCode": "WOYOFAL_SN_BILL", "reference_client": fx["unknown_references"]["woyofal"], "amount": 1000}),
        )
        .await;
    assert_eq!(s, 400);
    let before = balance(&env).await;
    // Instant token.
    let (s, v) = env
        .dex_post(
            "/billing/pay",
            json!({"serviceCode": "WOYOFAL_SN_BILL", "reference_client": by("instant"), "amount": 1000, "externalTransactionId": "RCH-001"}),
        )
        .await;
    assert_eq!(s, 200);
    let t = &v["transaction"];
    assert_eq!(t["Status"], "SUCCESS");
    let token = t["token"].as_str().unwrap();
    assert_eq!(token.len(), 20);
    assert!(token.bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(t["transactionFee"], 10);
    assert_eq!(t["currentBalance"], before - 1010);
    // PROCESSING then token (via webhook and GET /transaction/{id}).
    let (_, v) = env
        .dex_post(
            "/billing/pay",
            json!({"serviceCode": "WOYOFAL_SN_BILL", "reference_client": by("processing_then_token"), "amount": 2000, "callBackURL": rx.url}),
        )
        .await;
    assert_eq!(v["transaction"]["Status"], "PROCESSING");
    assert!(v["transaction"].get("token").is_none());
    let id = v["transaction"]["transactionId"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, g) = env.dex_get(&format!("/transaction/{id}")).await;
    assert_eq!(g["transaction"]["Status"], "PROCESSING");
    let hook = rx.next().await;
    assert_eq!(hook["STATUS"], "SUCCESS");
    assert_eq!(hook["TOKEN"].as_str().unwrap().len(), 20);
    let (_, g) = env.dex_get(&format!("/transaction/{id}")).await;
    assert_eq!(g["transaction"]["Status"], "SUCCESS");
    assert_eq!(g["transaction"]["Token"], hook["TOKEN"]);
    assert_eq!(balance(&env).await, before - 1010 - 2020);
    // PROCESSING then failure: refunded.
    let (_, v) = env
        .dex_post(
            "/billing/pay",
            json!({"serviceCode": "WOYOFAL_SN_BILL", "reference_client": by("processing_then_failure"), "amount": 3000, "callBackURL": rx.url}),
        )
        .await;
    assert_eq!(v["transaction"]["Status"], "PROCESSING");
    assert_eq!(balance(&env).await, before - 1010 - 2020 - 3030);
    let hook = rx.next().await;
    assert_eq!(hook["STATUS"], "FAILED");
    assert_eq!(balance(&env).await, before - 1010 - 2020);
    assert_eq!(hook["CURRENT_BALANCE"], before - 1010 - 2020);
    // Limits.
    let (s, _) = env
        .dex_post(
            "/billing/pay",
            json!({"serviceCode": "WOYOFAL_SN_BILL", "reference_client": by("instant"), "amount": 100}),
        )
        .await;
    assert_eq!(s, 400);
}

#[tokio::test]
async fn payment_link_paid_through_the_admin_api() {
    let env = start().await;
    let mut rx = receiver(0).await;
    let body = json!({
        "externalTransactionId": "ORDER-001", "ItemName": "Premium T-shirt", "ItemPrice": 5000,
        "customData": "{}", "callBackURL": rx.url, "successUrl": "https://x.invalid/s",
        "failureUrl": "https://x.invalid/f"
    });
    let (s, v) = env
        .dex_post("/transaction/merchant/get-link", body.clone())
        .await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["success"], true);
    assert_eq!(v["Status"], "PENDING");
    assert_eq!(v["externalTransactionId"], "ORDER-001");
    let id = v["transactionId"].as_str().unwrap().to_string();
    assert!(id.starts_with("MID"));
    assert!(v["PaymentUrl"].as_str().unwrap().ends_with(&id));
    let (s, v) = env
        .dex_post("/transaction/merchant/get-link", body.clone())
        .await;
    assert_eq!(s, 409);
    assert_eq!(v["success"], false);
    let (s, g) = env.dex_get(&format!("/transaction/merchant/{id}")).await;
    assert_eq!(s, 200);
    assert_eq!(g["transaction"]["Status"], "PENDING");
    assert_eq!(g["transaction"]["ItemName"], "Premium T-shirt");
    assert_eq!(g["transaction"]["Amount"], 5000);
    // A link is not a /transaction/{id}.
    let (s, _) = env.dex_get(&format!("/transaction/{id}")).await;
    assert_eq!(s, 404);
    let (s, t) = env
        .admin_post(&format!("/links/{id}/pay"), json!({"phone": "771234567"}))
        .await;
    assert_eq!(s, 200);
    assert_eq!(t["status"], "success");
    let hook = rx.next().await;
    assert_eq!(hook["id"], id.as_str());
    assert_eq!(hook["transactionType"], "PAYMENT");
    assert_eq!(hook["STATUS"], "SUCCESS");
    assert_eq!(hook["AMOUNT"], 5000);
    assert_eq!(hook["FEE"], 0);
    assert_eq!(hook["PHONE_NUMBER"], "771234567");
    assert_eq!(hook["CUSTOM_DATA"], "{}");
    let (_, g) = env.dex_get(&format!("/transaction/merchant/{id}")).await;
    assert_eq!(g["transaction"]["Status"], "SUCCESS");
    assert_eq!(g["transaction"]["Number"], "771234567");
    assert!(g["transaction"]["Completed_at"].is_string());
    // Paying a non-link through /links is refused.
    let (_, v) = env
        .dex_post(
            "/transaction/init",
            init_body("NL", "OM_SN_CASHOUT", 1000, "771234567"),
        )
        .await;
    let tid = v["transaction"]["transactionId"].as_str().unwrap();
    let (s, _) = env
        .admin_post(&format!("/links/{tid}/pay"), json!({}))
        .await;
    assert_eq!(s, 400);
}

#[tokio::test]
async fn payment_link_validation_and_expiry() {
    let env = start_with(Sandbox::builder().timings(Timings {
        link_ttl: Duration::from_millis(150),
        ..Timings::fast()
    }))
    .await;
    let base = json!({
        "externalTransactionId": "L1", "ItemName": "Item", "ItemPrice": 100,
        "callBackURL": "http://127.0.0.1:9/cb", "successUrl": "s", "failureUrl": "f"
    });
    let mut low = base.clone();
    low["ItemPrice"] = json!(99);
    let (s, v) = env.dex_post("/transaction/merchant/get-link", low).await;
    assert_eq!(s, 400);
    assert_eq!(v["message"][0], "Minimum amount 100 FCFA");
    let (s, v) = env
        .dex_post("/transaction/merchant/get-link", json!({"ItemName": "x"}))
        .await;
    assert_eq!(s, 400);
    assert!(v["message"].as_array().unwrap().len() >= 4);
    let (s, v) = env.dex_post("/transaction/merchant/get-link", base).await;
    assert_eq!(s, 201);
    let id = v["transactionId"].as_str().unwrap().to_string();
    env.wait_status(&id, "expired").await;
    let (_, g) = env.dex_get(&format!("/transaction/merchant/{id}")).await;
    assert_eq!(g["transaction"]["Status"], "EXPIRED");
    let (s, _) = env.admin_post(&format!("/links/{id}/pay"), json!({})).await;
    assert_eq!(s, 409, "an expired link cannot be paid");
}

#[tokio::test]
async fn cashin_webhook_carries_the_documented_fields() {
    let env = start().await;
    let mut rx = receiver(0).await;
    let mut b = init_body("HOOK", "OM_SN_CASHIN", 1000, "771234567");
    b["callBackURL"] = json!(rx.url);
    let (_, v) = env.dex_post("/transaction/init", b).await;
    let hook = rx.next().await;
    for k in [
        "id",
        "externalTransactionId",
        "transactionType",
        "AMOUNT",
        "FEE",
        "PHONE_NUMBER",
        "STATUS",
        "CUSTOM_DATA",
        "COMPLETED_AT",
        "PREVIOUS_BALANCE",
        "CURRENT_BALANCE",
    ] {
        assert!(hook.get(k).is_some(), "{k} missing in {hook}");
    }
    assert_eq!(hook["id"], v["transaction"]["transactionId"]);
    assert_eq!(hook["transactionType"], "CASHIN");
    assert_eq!(hook["STATUS"], "SUCCESS");
    assert_eq!(hook["PHONE_NUMBER"], "771234567");
}
