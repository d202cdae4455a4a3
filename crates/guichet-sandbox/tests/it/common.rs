//! Shared helpers: a sandbox on an ephemeral loopback port, a reqwest client, an independent
//! implementation of the gateway signature, and a tiny callback receiver.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use guichet_sandbox::{BaseUrls, RunningSandbox, Sandbox, SandboxBuilder, Timings};
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha512;
use tokio::sync::mpsc;

pub const DEX_KEY: &str = "sandbox-dexchange-key";
pub const ET_KEY: &str = "sandbox-easytransfert-key";
pub const GW_PUBLIC: &str = "f54ec96649be11ebb3780242ac130002";
pub const GW_MERCHANT: &str = "e0fecd91fcb24f348048193b3fb34875ba3722b4";
pub const GW_SECRET: &str = "cf11635572c1e8d77297207152dc0791ad91f22b32d23c758ce3ba2637202ad8f7290ba41f2243cccf32edde1dfb8bf0f5dea62525309e293b3adb2c76eed6a5";

pub struct Env {
    pub sb: RunningSandbox,
    pub http: reqwest::Client,
    pub urls: BaseUrls,
}

pub fn client(timeout: Duration) -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(timeout)
        .build()
        .unwrap()
}

pub async fn start() -> Env {
    start_with(Sandbox::builder().timings(Timings::fast())).await
}

pub async fn start_with(b: SandboxBuilder) -> Env {
    let sb = b.start("127.0.0.1:0").await.expect("sandbox starts");
    let urls = sb.base_urls();
    Env {
        sb,
        http: client(Duration::from_secs(10)),
        urls,
    }
}

async fn read(r: reqwest::Response) -> (u16, Value) {
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    let v = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, v)
}

impl Env {
    pub async fn dex_get(&self, path: &str) -> (u16, Value) {
        let r = self
            .http
            .get(format!("{}{path}", self.urls.dexchange))
            .bearer_auth(DEX_KEY)
            .send()
            .await
            .unwrap();
        read(r).await
    }

    pub async fn dex_post(&self, path: &str, body: Value) -> (u16, Value) {
        let r = self
            .http
            .post(format!("{}{path}", self.urls.dexchange))
            .bearer_auth(DEX_KEY)
            .json(&body)
            .send()
            .await
            .unwrap();
        read(r).await
    }

    pub async fn et_post(&self, path: &str, body: Value) -> (u16, Value) {
        let r = self
            .http
            .post(format!("{}{path}", self.urls.easytransfert))
            .json(&body)
            .send()
            .await
            .unwrap();
        read(r).await
    }

    /// Signs `body` (independent implementation below) and posts it to the gateway.
    pub async fn gw(&self, method: &str, mut body: Value) -> (u16, Value) {
        let sig = gw_sign(&body, GW_SECRET);
        body["signature"] = json!(sig);
        self.gw_raw(method, &body.to_string()).await
    }

    pub async fn gw_raw(&self, method: &str, body: &str) -> (u16, Value) {
        let r = self
            .http
            .post(format!("{}/{GW_PUBLIC}/{method}", self.urls.unipesa))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        read(r).await
    }

    pub async fn admin_get(&self, path: &str) -> Value {
        let r = self
            .http
            .get(format!("{}{path}", self.urls.admin))
            .send()
            .await
            .unwrap();
        read(r).await.1
    }

    pub async fn admin_post(&self, path: &str, body: Value) -> (u16, Value) {
        let r = self
            .http
            .post(format!("{}{path}", self.urls.admin))
            .json(&body)
            .send()
            .await
            .unwrap();
        read(r).await
    }

    pub async fn admin_put(&self, path: &str, body: Value) -> (u16, Value) {
        let r = self
            .http
            .put(format!("{}{path}", self.urls.admin))
            .json(&body)
            .send()
            .await
            .unwrap();
        read(r).await
    }

    /// Polls the admin API until the transaction has `status`.
    pub async fn wait_status(&self, id: &str, status: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let t = self.admin_get(&format!("/transactions/{id}")).await;
            if t["status"] == status {
                return t;
            }
            assert!(
                Instant::now() < deadline,
                "{id} never reached {status}: {t}"
            );
            tokio::time::sleep(Duration::from_millis(15)).await;
        }
    }

    pub async fn fixtures(&self) -> Value {
        self.admin_get("/fixtures").await
    }
}

/// The gateway signature, implemented here independently of the sandbox from providers.md:
/// `key + value` for each field in the order sent (nested: `parent.child`), `signature` skipped,
/// lowercase hex HMAC-SHA512 with the secret.
pub fn gw_sign(body: &Value, secret: &str) -> String {
    fn walk(v: &Value, prefix: &str, out: &mut String) {
        if let Value::Object(m) = v {
            for (k, v) in m {
                match v {
                    Value::Object(_) => walk(v, &format!("{prefix}{k}."), out),
                    _ if k == "signature" => {}
                    Value::String(s) => out.push_str(&format!("{prefix}{k}{s}")),
                    other => out.push_str(&format!("{prefix}{k}{other}")),
                }
            }
        }
    }
    let mut s = String::new();
    walk(body, "", &mut s);
    let mut mac = Hmac::<Sha512>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(s.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// A tiny callback receiver on loopback. Answers 500 to the first `fail_first` requests, then 200.
pub struct Receiver {
    pub url: String,
    pub rx: mpsc::UnboundedReceiver<(HeaderMap, String)>,
    pub hits: Arc<AtomicUsize>,
}

impl Receiver {
    pub async fn next(&mut self) -> Value {
        let (_, body) = tokio::time::timeout(Duration::from_secs(10), self.rx.recv())
            .await
            .expect("a callback arrives")
            .expect("receiver open");
        serde_json::from_str(&body).expect("callback body is JSON")
    }

    /// The next callback's raw body text.
    pub async fn next_raw(&mut self) -> String {
        tokio::time::timeout(Duration::from_secs(10), self.rx.recv())
            .await
            .expect("a callback arrives")
            .expect("receiver open")
            .1
    }
}

pub async fn receiver(fail_first: usize) -> Receiver {
    let (tx, rx) = mpsc::unbounded_channel();
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    let app = Router::new().route(
        "/cb",
        post(move |headers: HeaderMap, body: Bytes| {
            let tx = tx.clone();
            let h = h.clone();
            async move {
                let n = h.fetch_add(1, Ordering::SeqCst);
                if n < fail_first {
                    return StatusCode::INTERNAL_SERVER_ERROR;
                }
                let _ = tx.send((headers, String::from_utf8_lossy(&body).into_owned()));
                StatusCode::OK
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Receiver {
        url: format!("http://{addr}/cb"),
        rx,
        hits,
    }
}
