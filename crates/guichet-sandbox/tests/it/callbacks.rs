//! Callback delivery: retried until accepted, never blocking the API answer.

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use serde_json::json;

use crate::common::{receiver, start};

#[tokio::test]
async fn a_refused_callback_is_retried_until_accepted() {
    let env = start().await;
    let mut rx = receiver(2).await;
    let (s, _) = env
        .dex_post(
            "/billing/pay",
            json!({"serviceCode": "SENELEC_SN_BILL", "reference_client": "210278816", "callBackURL": rx.url}),
        )
        .await;
    assert_eq!(s, 200);
    let hook = rx.next().await;
    assert_eq!(hook["STATUS"], "SUCCESS");
    assert_eq!(rx.hits.load(std::sync::atomic::Ordering::SeqCst), 3);
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let log = env.admin_get("/callbacks").await;
        let c = &log[0];
        if c["delivered"] == true {
            assert_eq!(c["attempts"], 3);
            assert_eq!(c["provider"], "dexchange");
            assert_eq!(c["last_status"], 200);
            break;
        }
        assert!(Instant::now() < deadline, "{log}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn an_unreachable_callback_gives_up_after_the_retries() {
    let env = start().await;
    env.dex_post(
        "/billing/pay",
        json!({"serviceCode": "SENELEC_SN_BILL", "reference_client": "210278816", "callBackURL": "http://127.0.0.1:9/cb"}),
    )
    .await;
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let log = env.admin_get("/callbacks").await;
        if log[0]["finished"] == true {
            assert_eq!(log[0]["delivered"], false);
            assert_eq!(log[0]["attempts"], 4, "1 attempt + 3 retries");
            assert!(log[0]["last_error"].is_string());
            break;
        }
        assert!(Instant::now() < deadline, "{log}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn a_slow_receiver_never_blocks_the_answer() {
    let env = start().await;
    let app = Router::new().route(
        "/slow",
        post(|| async {
            tokio::time::sleep(Duration::from_secs(3)).await;
            StatusCode::OK
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/slow", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    let t0 = Instant::now();
    let (s, _) = env
        .dex_post(
            "/billing/pay",
            json!({"serviceCode": "SENELEC_SN_BILL", "reference_client": "210278816", "callBackURL": url}),
        )
        .await;
    assert_eq!(s, 200);
    assert!(t0.elapsed() < Duration::from_secs(1), "{:?}", t0.elapsed());
}
