//! Delivery of callbacks (gateway), webhooks (DEXCHANGE) and IPNs (EASYTRANSFERT): POSTed in a
//! background task, retried with a doubling backoff when the receiver does not answer as the
//! provider expects, and logged for `GET /__sandbox/callbacks`.

use std::sync::Mutex;

use serde_json::{json, Value};

use crate::state::SandboxState;
use crate::world::{Outgoing, Provider};

#[derive(Debug, Clone)]
struct Record {
    id: usize,
    provider: Provider,
    transaction: String,
    url: String,
    body: String,
    attempts: u32,
    delivered: bool,
    finished: bool,
    last_status: Option<u16>,
    last_error: Option<String>,
}

/// The log of every callback the sandbox sent or is sending.
#[derive(Debug, Default)]
pub struct CallbackLog {
    records: Mutex<Vec<Record>>,
}

impl CallbackLog {
    fn with<R>(&self, f: impl FnOnce(&mut Vec<Record>) -> R) -> R {
        let mut g = self.records.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut g)
    }

    /// Every record as JSON, oldest first.
    pub fn list(&self) -> Vec<Value> {
        self.with(|r| {
            r.iter()
                .map(|c| {
                    json!({
                        "id": c.id,
                        "provider": c.provider,
                        "transaction": c.transaction,
                        "url": c.url,
                        "body": serde_json::from_str::<Value>(&c.body).unwrap_or(Value::Null),
                        "attempts": c.attempts,
                        "delivered": c.delivered,
                        "finished": c.finished,
                        "last_status": c.last_status,
                        "last_error": c.last_error,
                    })
                })
                .collect()
        })
    }

    /// Forgets every record.
    pub fn clear(&self) {
        self.with(|r| r.clear());
    }
}

/// Whether the receiver's answer counts as delivered for this provider: the gateway and
/// EASYTRANSFERT document "HTTP 200"; for DEXCHANGE [gap] any 2xx.
fn accepted(provider: Provider, status: u16) -> bool {
    match provider {
        Provider::Dexchange => (200..300).contains(&status),
        Provider::Easytransfert | Provider::Unipesa => status == 200,
    }
}

/// Starts delivering `out` in the background.
pub(crate) fn spawn_delivery(state: SandboxState, out: Outgoing) {
    let log = &state.0.callbacks;
    let id = log.with(|r| {
        let id = r.len();
        r.push(Record {
            id,
            provider: out.provider,
            transaction: out.transaction.clone(),
            url: out.url.clone(),
            body: out.body.clone(),
            attempts: 0,
            delivered: false,
            finished: false,
            last_status: None,
            last_error: None,
        });
        id
    });
    let timings = state.0.config.timings.clone();
    let mut stop = state.shutdown_signal();
    tokio::spawn(async move {
        let mut backoff = timings.callback_backoff;
        for attempt in 0..=timings.callback_retries {
            if attempt > 0 {
                tokio::select! {
                    _ = tokio::time::sleep(backoff) => {}
                    _ = crate::state::stopped(&mut stop) => return,
                }
                backoff *= 2;
            }
            let result = state
                .http()
                .post(&out.url)
                .header("content-type", "application/json")
                .body(out.body.clone())
                .send()
                .await;
            let (status, error) = match result {
                Ok(resp) => (Some(resp.status().as_u16()), None),
                Err(e) => (None, Some(e.to_string())),
            };
            let ok = status.is_some_and(|s| accepted(out.provider, s));
            let last = attempt == timings.callback_retries;
            state.0.callbacks.with(|r| {
                if let Some(rec) = r.get_mut(id) {
                    rec.attempts = attempt + 1;
                    rec.last_status = status;
                    rec.last_error = error.clone();
                    rec.delivered = ok;
                    rec.finished = ok || last;
                }
            });
            if ok {
                tracing::debug!(url = %out.url, "callback delivered");
                return;
            }
            tracing::debug!(url = %out.url, ?status, ?error, attempt, "callback not accepted");
        }
    });
}
