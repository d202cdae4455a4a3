//! The one HTTP transport the three connectors share: sends a request, reads the whole answer,
//! logs the call, and sorts transport failures by what may have happened to the money.
//!
//! - **Not sent** ([`ConnectorError::NotSent`]): the client could not be built, the URL is
//!   invalid, or the connection (DNS, TCP, TLS) was never established. No byte of the request
//!   left the till.
//! - **Ambiguous** ([`ConnectorError::Ambiguous`]): anything after the connection was up — a
//!   timeout, a connection cut before or during the answer, an unreadable body. The provider may
//!   have processed the request.
//!
//! HTTP statuses are NOT interpreted here: each provider's `transformers` module has the one
//! mapping from its statuses and bodies to ours.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE, RETRY_AFTER};
use reqwest::{Client, Method};
use serde_json::{json, Value};
use tokio::sync::OnceCell;

use super::reachability::Reachability;
use super::redact::{redact, redact_text};
use super::{clamp_delay, Balance, ConnectorError, Endpoint};
use crate::catalog::Provider;
use crate::money::Currency;

/// Longest excerpt of a non-JSON body kept as evidence.
const UNPARSED_EXCERPT: usize = 500;

/// The most of a provider's body the till reads: 1 MiB. The providers' answers are a few
/// kilobytes; a body larger than this is cut there (never held whole in memory) and kept as an
/// unparsed, redacted excerpt, which makes a 2xx answer `Ambiguous`.
pub(crate) const MAX_BODY_BYTES: usize = 1 << 20;

/// What kind of call an answer belongs to: a "not found" means "no such transaction" only on
/// a status lookup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CallKind {
    /// Moves money (init, bill pay, get-link, `/airtime`).
    Submit,
    /// Asks about an existing transaction (status, Wizall confirmation).
    Lookup,
    /// Anything else (inquiry, balance, wallet).
    Other,
}

/// What came back from the provider: status, headers that matter, and the body as JSON.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    /// The HTTP status code.
    pub status: u16,
    /// The body as JSON: the parsed body, `Null` when empty, or `{"unparsed_body": "…"}` when it
    /// is not JSON (see [`Reply::is_json`]).
    pub body: Value,
    /// Whether the body was JSON (or empty).
    pub is_json: bool,
    /// `Retry-After` in seconds, when given, clamped to [`super::MAX_PROVIDER_DELAY`].
    pub retry_after: Option<Duration>,
}

impl Reply {
    /// The body with secrets redacted, for `Answer.raw` and error evidence.
    pub fn raw(&self) -> Value {
        redact(&self.body)
    }
}

/// One outgoing request.
pub(crate) struct Call<'a> {
    /// GET or POST.
    pub method: Method,
    /// The full URL.
    pub url: String,
    /// What the logs show instead of the URL (never a secret): `/transaction/init`.
    pub label: &'a str,
    /// Our idempotency key (or provider id) for the logs; empty when none.
    pub key: &'a str,
    /// Extra headers; mark secret ones sensitive.
    pub headers: HeaderMap,
    /// A JSON body, already serialised (the gateway signs the exact field order).
    pub body: Option<String>,
}

/// One client per timeout, each built at most once per process and shared by the connectors.
type Clients = Mutex<HashMap<Duration, Arc<OnceCell<Client>>>>;

/// The client for `timeout`, built on its first call and shared from then on. Building one reads
/// the system's CA certificates (~65 ms of CPU): on a worker thread, and not before a call needs
/// it (a training till's start and first screen do not wait for it). A build that fails is not
/// kept: the next call tries again.
async fn client_for(timeout: Duration) -> Result<Client, String> {
    static CLIENTS: OnceLock<Clients> = OnceLock::new();
    let cell = CLIENTS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .entry(timeout)
        .or_default()
        .clone();
    cell.get_or_try_init(|| async move {
        tokio::task::spawn_blocking(move || build_client(timeout))
            .await
            .unwrap_or_else(|e| Err(format!("cannot build the HTTP client: {e}")))
    })
    .await
    .cloned()
}

/// A client with `timeout`: the connect timeout a little shorter, redirects never followed.
fn build_client(timeout: Duration) -> Result<Client, String> {
    Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout.mul_f64(0.8))
        // A redirected POST would be replayed as a GET, or not at all: never follow.
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(format!("guichet/{}", crate::VERSION))
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))
}

/// The shared client of one connector.
#[derive(Debug)]
pub(crate) struct Http {
    /// The timeout of its client (see [`client_for`]).
    timeout: Duration,
    provider: Provider,
    /// Where each call's outcome goes (answered or not), when someone watches.
    reach: Option<Reachability>,
}

impl Http {
    /// A client with the endpoint's timeout. The connect timeout is a little shorter, so that a
    /// connection that cannot be established is reported as such (`NotSent`), not as a timeout
    /// of a possibly sent request.
    pub fn new(provider: Provider, endpoint: &Endpoint) -> Http {
        Http {
            timeout: endpoint.timeout.max(Duration::from_millis(1)),
            provider,
            reach: None,
        }
    }

    /// Reports every call's outcome to `reach` (see `reachability`).
    pub fn report_to(&mut self, reach: Reachability) {
        self.reach = Some(reach);
    }

    /// Sends the call and reads the whole answer (any HTTP status is `Ok`).
    pub async fn send(&self, call: Call<'_>) -> Result<Reply, ConnectorError> {
        let provider = self.provider.slug();
        // A client that cannot be built sends nothing: every call is then `NotSent`.
        let client = match client_for(self.timeout).await {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(provider, path = call.label, key = call.key, error = %e, "provider call not sent");
                return Err(ConnectorError::NotSent { detail: e });
            }
        };
        let mut req = client.request(call.method, &call.url).headers(call.headers);
        if let Some(body) = call.body {
            req = req
                .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                .body(body);
        }
        let started = Instant::now();
        let mut answered = false;
        let result = async {
            let mut resp = req.send().await?;
            answered = true;
            let status = resp.status().as_u16();
            let retry_after = resp
                .headers()
                .get(RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(retry_after_secs);
            let mut bytes = Vec::new();
            let mut cut = false;
            while let Some(chunk) = resp.chunk().await? {
                let room = MAX_BODY_BYTES - bytes.len();
                if chunk.len() > room {
                    bytes.extend_from_slice(&chunk[..room]);
                    cut = true;
                    break;
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok::<_, reqwest::Error>((status, retry_after, bytes, cut))
        }
        .await;
        let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        if let Some(reach) = &self.reach {
            // An HTTP answer, whatever its status, is a provider that answers; a request never
            // formed says nothing about it.
            match &result {
                Err(e) if e.is_builder() => {}
                _ => reach.record(self.provider, answered),
            }
        }
        match result {
            Ok((status, retry_after, bytes, cut)) => {
                if cut {
                    tracing::warn!(
                        provider,
                        path = call.label,
                        key = call.key,
                        http_status = status,
                        max_bytes = MAX_BODY_BYTES,
                        "provider body larger than the cap: cut, kept as unparsed evidence"
                    );
                }
                let (body, is_json) = if cut {
                    (unparsed(&bytes, true), false)
                } else {
                    parse_body(&bytes)
                };
                tracing::info!(
                    provider,
                    path = call.label,
                    key = call.key,
                    http_status = status,
                    elapsed_ms,
                    "provider call"
                );
                Ok(Reply {
                    status,
                    body,
                    is_json,
                    retry_after,
                })
            }
            Err(e) => {
                let err = transport_error(&e, call.label);
                tracing::warn!(
                    provider,
                    path = call.label,
                    key = call.key,
                    elapsed_ms,
                    error = %err,
                    "provider call failed"
                );
                Err(err)
            }
        }
    }
}

/// Sorts a reqwest failure by what may have happened to the request.
fn transport_error(e: &reqwest::Error, label: &str) -> ConnectorError {
    let text = format!("{label}: {}", error_chain(e));
    if e.is_builder() || e.is_connect() {
        // Builder: the request was never formed. Connect (DNS, refused, TCP/TLS handshake or
        // connect timeout): no byte of the request left.
        ConnectorError::NotSent { detail: text }
    } else {
        // Timeout after connecting, connection cut before/while answering, body read error.
        let detail = if e.is_timeout() {
            format!("{label}: no answer within the timeout")
        } else {
            text
        };
        ConnectorError::ambiguous(detail, Value::Null)
    }
}

/// The error and its causes on one line (reqwest's own Display is terse). The URL it prints
/// holds nothing secret: keys travel in headers or bodies.
fn error_chain(e: &reqwest::Error) -> String {
    let mut out = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

/// `Retry-After` as delta-seconds, clamped to [`super::MAX_PROVIDER_DELAY`]. Any number of
/// digits is read (`18446744073709551615` and beyond become the maximum); an HTTP-date or
/// anything else is ignored (the engine's own backoff applies).
fn retry_after_secs(value: &str) -> Option<Duration> {
    let v = value.trim();
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let secs = v.parse::<u64>().unwrap_or(u64::MAX);
    Some(clamp_delay(Duration::from_secs(secs)))
}

/// The body as JSON; empty → `Null`; not JSON → a redacted excerpt under `unparsed_body`.
fn parse_body(bytes: &[u8]) -> (Value, bool) {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return (Value::Null, true);
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(v) => (v, true),
        Err(_) => (unparsed(bytes, false), false),
    }
}

/// A body kept as evidence without being parsed: its first [`UNPARSED_EXCERPT`] characters,
/// secrets redacted ([`redact_text`]); `cut` when it was larger than [`MAX_BODY_BYTES`].
fn unparsed(bytes: &[u8], cut: bool) -> Value {
    let text = String::from_utf8_lossy(bytes);
    let excerpt: String = text.chars().take(UNPARSED_EXCERPT).collect();
    let mut v = json!({ "unparsed_body": redact_text(&excerpt) });
    if cut {
        v["cut_at_bytes"] = json!(MAX_BODY_BYTES);
    }
    v
}

/// A header whose value is a secret: marked sensitive so that it is never printed.
pub(crate) fn secret_header(
    name: &'static str,
    value: &str,
) -> Result<(HeaderName, HeaderValue), ConnectorError> {
    let mut v = HeaderValue::from_str(value).map_err(|_| ConnectorError::NotSent {
        detail: format!("the credential for header {name} has characters a header cannot carry"),
    })?;
    v.set_sensitive(true);
    Ok((HeaderName::from_static(name), v))
}

/// Joins a base URL and a path (`base` without trailing slash, `path` with a leading one).
pub(crate) fn join(base: &str, path: &str) -> String {
    format!("{}{}", base.trim_end_matches('/'), path)
}

/// A path segment with everything but unreserved characters percent-encoded (provider ids go
/// into paths: `/transaction/{id}`).
pub(crate) fn path_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A provider's balance answer (an amount in major units and an optional currency, XOF when
/// absent) as a [`Balance`]; no amount is an unusable answer.
pub(crate) fn balance_of(
    amount: Option<&Value>,
    currency: Option<String>,
    raw: Value,
    what: &str,
) -> Result<Balance, ConnectorError> {
    let currency = currency.unwrap_or_else(|| "XOF".into());
    let per = Currency::from_code(&currency)
        .map(Currency::minor_per_major)
        .unwrap_or(1);
    let amount_minor = amount.and_then(|v| major_to_minor(v, per)).ok_or_else(|| {
        ConnectorError::ambiguous(format!("{what} answer without an amount"), raw)
    })?;
    Ok(Balance {
        amount_minor,
        currency,
    })
}

/// Reads an amount the providers write as a JSON number (integer or integral float) or a
/// numeric string, in whole major units, into minor units of a currency with `minor_per_major`.
pub(crate) fn major_to_minor(v: &Value, minor_per_major: i64) -> Option<i64> {
    let scaled = |f: f64| -> Option<i64> {
        let m = (f * minor_per_major as f64).round();
        (m.is_finite() && m.abs() < 9.0e15).then_some(m as i64)
    };
    match v {
        Value::Number(n) => match n.as_i64() {
            Some(i) => i.checked_mul(minor_per_major),
            None => n.as_f64().and_then(scaled),
        },
        Value::String(s) => {
            let s = s.trim();
            match s.parse::<i64>() {
                Ok(i) => i.checked_mul(minor_per_major),
                Err(_) => s.parse::<f64>().ok().and_then(scaled),
            }
        }
        _ => None,
    }
}

/// A provider's amount (whole major units) in minor units, `None` when absent. An amount that is
/// there but cannot be read or does not fit an `i64` of minor units (`1e400`,
/// `"9223372036854775807"` of a currency with cents, `"12abc"`) is never a panic and never
/// silently zero: `None`, with its raw value kept in `details` under `<name>_unreadable`, which
/// the engine writes into the operation's event as evidence.
pub(crate) fn minor_amount(
    v: Option<&Value>,
    minor_per_major: i64,
    name: &str,
    details: &mut serde_json::Map<String, Value>,
) -> Option<i64> {
    let v = v.filter(|v| !v.is_null())?;
    let minor = major_to_minor(v, minor_per_major);
    if minor.is_none() {
        tracing::warn!(amount = name, raw = %v, "provider amount unreadable or out of range: kept as evidence");
        details.insert(format!("{name}_unreadable"), v.clone());
    }
    minor
}

/// A JSON value as text: strings as they are, numbers written out, anything else `None`.
pub(crate) fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Lenient field readers for the providers' answers, which mix numbers and strings.
pub(crate) mod de {
    use serde::{Deserialize, Deserializer};
    use serde_json::Value;

    /// A string, or a number written out; `null` or absent → `None`; anything else → `None`.
    pub fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        Ok(Option::<Value>::deserialize(d)?
            .as_ref()
            .and_then(super::text)
            .filter(|s| !s.trim().is_empty()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_parse_as_json_or_an_excerpt() {
        assert_eq!(parse_body(b""), (Value::Null, true));
        assert_eq!(parse_body(b"{\"a\":1}"), (json!({"a": 1}), true));
        let (v, ok) = parse_body(b"<html>Bad Gateway</html>");
        assert!(!ok);
        assert_eq!(v["unparsed_body"], "<html>Bad Gateway</html>");
    }

    #[test]
    fn non_json_excerpts_are_redacted() {
        let (v, _) = parse_body(b"<p>api_key=k-123&amount=500 Authorization: Bearer tok-9</p>");
        let text = v["unparsed_body"].as_str().unwrap();
        assert!(!text.contains("k-123") && !text.contains("tok-9"), "{text}");
        assert!(text.contains("amount=500"), "{text}");
    }

    #[test]
    fn retry_after_is_read_and_clamped() {
        let max = crate::connector::MAX_PROVIDER_DELAY;
        assert_eq!(retry_after_secs("1"), Some(Duration::from_secs(1)));
        assert_eq!(retry_after_secs(" 120 "), Some(Duration::from_secs(120)));
        assert_eq!(retry_after_secs("18446744073709551615"), Some(max));
        assert_eq!(retry_after_secs("99999999999999999999999"), Some(max));
        assert_eq!(retry_after_secs("Wed, 21 Oct 2015 07:28:00 GMT"), None);
        assert_eq!(retry_after_secs("-1"), None);
    }

    /// A one-shot HTTP server on 127.0.0.1 answering every connection with `head` and `body`.
    async fn serve_once(head: String, body: Vec<u8>) -> String {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let (mut sock, _) = listener.accept().await.unwrap();
            let mut buf = [0u8; 4096];
            let _ = sock.read(&mut buf).await;
            let _ = sock.write_all(head.as_bytes()).await;
            let _ = sock.write_all(&body).await;
            let _ = sock.shutdown().await;
        });
        url
    }

    fn http() -> Http {
        Http::new(
            Provider::Dexchange,
            &Endpoint {
                base_url: "http://127.0.0.1".into(),
                timeout: Duration::from_secs(5),
            },
        )
    }

    fn get(url: String) -> Call<'static> {
        Call {
            method: Method::GET,
            url,
            label: "/x",
            key: "K",
            headers: HeaderMap::new(),
            body: None,
        }
    }

    #[tokio::test]
    async fn a_body_larger_than_the_cap_is_cut_and_unparsed() {
        // 3 MiB of a JSON string that never ends before the cap, with a key inside it.
        let mut body = b"{\"api_key\": \"k-123\", \"pad\": \"".to_vec();
        body.resize(3 * MAX_BODY_BYTES, b'a');
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        );
        let url = serve_once(head, body).await;
        let reply = http().send(get(url)).await.unwrap();
        assert_eq!(reply.status, 200);
        assert!(!reply.is_json);
        assert_eq!(reply.body["cut_at_bytes"], MAX_BODY_BYTES);
        let excerpt = reply.body["unparsed_body"].as_str().unwrap();
        assert!(excerpt.len() <= UNPARSED_EXCERPT + 8, "{}", excerpt.len());
        assert!(!excerpt.contains("k-123"), "{excerpt}");
        // A 2xx we cannot read is ambiguous, never a success nor a failure.
        assert_eq!(
            crate::connector::errors::unreadable(&reply).code(),
            "provider_no_answer"
        );
    }

    #[tokio::test]
    async fn a_huge_retry_after_header_is_clamped() {
        let head = "HTTP/1.1 429 Too Many Requests\r\nretry-after: 18446744073709551615\r\ncontent-length: 2\r\nconnection: close\r\n\r\n".to_owned();
        let url = serve_once(head, b"{}".to_vec()).await;
        let reply = http().send(get(url)).await.unwrap();
        assert_eq!(reply.status, 429);
        assert_eq!(
            reply.retry_after,
            Some(crate::connector::MAX_PROVIDER_DELAY)
        );
    }

    #[test]
    fn amounts_read_from_numbers_and_strings() {
        assert_eq!(major_to_minor(&json!(104500), 1), Some(104_500));
        assert_eq!(major_to_minor(&json!(1045.0), 1), Some(1045));
        assert_eq!(major_to_minor(&json!("1100.00"), 1), Some(1100));
        assert_eq!(major_to_minor(&json!("10.50"), 100), Some(1050));
        assert_eq!(major_to_minor(&json!(-12), 1), Some(-12));
        assert_eq!(major_to_minor(&json!(null), 1), None);
        assert_eq!(major_to_minor(&json!("abc"), 1), None);
    }

    #[test]
    fn unreadable_amounts_are_evidence_not_panics() {
        let mut details = serde_json::Map::new();
        assert_eq!(
            minor_amount(Some(&json!(50)), 1, "fee", &mut details),
            Some(50)
        );
        assert_eq!(minor_amount(None, 1, "fee", &mut details), None);
        assert_eq!(
            minor_amount(Some(&json!(null)), 1, "fee", &mut details),
            None
        );
        assert!(details.is_empty());
        for (v, per) in [
            (json!(i64::MAX), 100),
            (json!(u64::MAX), 1),
            (json!("1e400"), 1),
            (json!(-9.3e18), 1),
            (json!("12abc"), 1),
        ] {
            let mut details = serde_json::Map::new();
            assert_eq!(
                minor_amount(Some(&v), per, "fee", &mut details),
                None,
                "{v}"
            );
            assert_eq!(details["fee_unreadable"], v);
        }
    }

    #[test]
    fn path_segments_are_encoded() {
        assert_eq!(path_segment("TID-1.a_b~"), "TID-1.a_b~");
        assert_eq!(path_segment("a/b c"), "a%2Fb%20c");
        assert_eq!(join("http://h/api/v1/", "/x"), "http://h/api/v1/x");
    }
}
