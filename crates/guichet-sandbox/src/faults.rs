//! Fault injection on the provider routes (never on `/__sandbox/`).
//!
//! Per request, in this order: `rate_limit` (or DEXCHANGE's real limit when configured) → HTTP
//! 429 with `Retry-After: 1` (or `retry_after_secs`), nothing recorded; `maintenance` → DEXCHANGE's HTTP 403; `error_500` → HTTP 500
//! (nothing recorded); `latency_ms` → a delay before handling; then the request is handled and
//! committed; then `hang_after_commit` → the answer never comes (the connection is held until
//! `hang_max`, then cut) or `drop_after_commit` → the connection is cut without an answer.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use rand::Rng;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::http::json as json_response;
use crate::server::ConnMeta;
use crate::state::SandboxState;
use crate::world::Provider;

/// Fault settings, as `PUT /__sandbox/faults` takes them (`{}` clears everything).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Faults {
    /// `[min, max]` added delay in milliseconds, uniform.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<[u64; 2]>,
    /// Probability of an HTTP 500 before anything is recorded.
    #[serde(default)]
    pub error_500: f64,
    /// Probability that the request is handled and recorded, then the answer never arrives.
    #[serde(default)]
    pub hang_after_commit: f64,
    /// Probability that the request is handled and recorded, then the connection is cut.
    #[serde(default)]
    pub drop_after_commit: f64,
    /// Probability of an HTTP 429 before anything is recorded.
    #[serde(default)]
    pub rate_limit: f64,
    /// The `Retry-After` (seconds) of the `rate_limit` 429; 1 if absent. Any `u64`, so that a
    /// client can be shown `Retry-After: 18446744073709551615`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_secs: Option<u64>,
    /// Probability of DEXCHANGE's documented HTTP 403 "API under maintenance" (DEXCHANGE routes
    /// only), before anything is recorded.
    #[serde(default)]
    pub maintenance: f64,
    /// Limit the faults to these providers (`dexchange`, `easytransfert`, `unipesa`); all if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub providers: Option<Vec<String>>,
}

impl Faults {
    /// Checks probabilities are within 0..=1 and latency bounds are sane.
    pub fn validate(&self) -> Result<(), String> {
        for (name, p) in [
            ("error_500", self.error_500),
            ("hang_after_commit", self.hang_after_commit),
            ("drop_after_commit", self.drop_after_commit),
            ("rate_limit", self.rate_limit),
            ("maintenance", self.maintenance),
        ] {
            if !(0.0..=1.0).contains(&p) {
                return Err(format!("{name} must be a probability between 0 and 1"));
            }
        }
        if let Some([lo, hi]) = self.latency_ms {
            if lo > hi || hi > 600_000 {
                return Err("latency_ms must be [min, max] with min <= max <= 600000".into());
            }
        }
        if let Some(list) = &self.providers {
            for p in list {
                if !matches!(p.as_str(), "dexchange" | "easytransfert" | "unipesa") {
                    return Err(format!("unknown provider {p}"));
                }
            }
        }
        Ok(())
    }

    fn applies_to(&self, provider: Provider) -> bool {
        self.providers
            .as_ref()
            .is_none_or(|l| l.iter().any(|p| p == provider.name()))
    }
}

/// The provider a path belongs to.
pub fn provider_of(path: &str) -> Option<Provider> {
    if path.starts_with("/dexchange/") {
        Some(Provider::Dexchange)
    } else if path.starts_with("/easytransfert/") {
        Some(Provider::Easytransfert)
    } else if path.starts_with("/unipesa/") {
        Some(Provider::Unipesa)
    } else {
        None
    }
}

#[derive(Debug, Default)]
struct Plan {
    rate_limit: bool,
    maintenance: bool,
    error_500: bool,
    latency: Option<Duration>,
    hang: bool,
    drop: bool,
}

fn plan(state: &SandboxState, provider: Provider) -> Plan {
    let f = state.faults();
    if !f.applies_to(provider) || f == Faults::default() {
        return Plan::default();
    }
    let mut w = state.world();
    let r = &mut w.fault_rng;
    let mut p = Plan {
        rate_limit: r.gen_bool(f.rate_limit),
        maintenance: provider == Provider::Dexchange && r.gen_bool(f.maintenance),
        error_500: r.gen_bool(f.error_500),
        ..Plan::default()
    };
    if let Some([lo, hi]) = f.latency_ms {
        p.latency = Some(Duration::from_millis(r.gen_range(lo..=hi)));
    }
    p.hang = r.gen_bool(f.hang_after_commit);
    p.drop = !p.hang && r.gen_bool(f.drop_after_commit);
    p
}

fn error_body(provider: Provider, status: StatusCode, message: &str) -> Response {
    let body = match provider {
        Provider::Dexchange => json!({"message": message, "success": false}),
        Provider::Easytransfert => json!({"error": message, "message": message}),
        Provider::Unipesa => json!({"message": message}),
    };
    json_response(status, body)
}

/// The fault middleware (see the module documentation).
pub async fn inject(State(state): State<SandboxState>, req: Request, next: Next) -> Response {
    let Some(provider) = provider_of(req.uri().path()) else {
        return next.run(req).await;
    };
    let plan = plan(&state, provider);
    if plan.rate_limit || (provider == Provider::Dexchange && state.dexchange_throttled()) {
        let mut r = error_body(provider, StatusCode::TOO_MANY_REQUESTS, "Too Many Requests");
        let secs = if plan.rate_limit {
            state.faults().retry_after_secs.unwrap_or(1)
        } else {
            1
        };
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        return r;
    }
    if plan.maintenance {
        return error_body(provider, StatusCode::FORBIDDEN, "API under maintenance");
    }
    if plan.error_500 {
        return error_body(
            provider,
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal Server Error",
        );
    }
    if let Some(d) = plan.latency {
        tokio::time::sleep(d).await;
    }
    let conn = req.extensions().get::<ConnMeta>().cloned();
    let response = next.run(req).await;
    if plan.drop {
        if let Some(c) = &conn {
            c.kill.notify_one();
            // The connection task drops this future with the connection: nothing is written.
            std::future::pending::<()>().await;
        }
        // In-process use (no connection to cut): behave like a hang.
    }
    if plan.hang || plan.drop {
        let mut stop = state.shutdown_signal();
        tokio::select! {
            _ = tokio::time::sleep(state.config().timings.hang_max) => {}
            _ = crate::state::stopped(&mut stop) => {}
        }
        if let Some(c) = &conn {
            c.kill.notify_one();
            std::future::pending::<()>().await;
        }
        return error_body(provider, StatusCode::GATEWAY_TIMEOUT, "Gateway Timeout");
    }
    response
}
