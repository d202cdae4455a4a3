//! The admin API under `/__sandbox/` (no auth; refused with 403 unless the peer is on loopback):
//!
//! | method | path | does |
//! |---|---|---|
//! | GET | /__sandbox/fixtures | customer book, special numbers, OTPs, credentials, gateway providers |
//! | GET | /__sandbox/transactions[?provider=&status=] | every recorded transaction |
//! | GET | /__sandbox/transactions/{id} | one, by provider id or external id |
//! | POST | /__sandbox/transactions/{id}/approve | customer approves / link paid / settles now → success |
//! | POST | /__sandbox/transactions/{id}/decline | customer declines / operator fails → failed (refund) |
//! | POST | /__sandbox/transactions/{id}/expire | a payment link expires now |
//! | POST | /__sandbox/links/{id}/pay | pays a payment link (`{"phone":"77…"}` optional) |
//! | GET, PUT, DELETE | /__sandbox/faults | fault settings (`{}` or DELETE clears) |
//! | GET, PUT | /__sandbox/balances | merchant balances |
//! | GET | /__sandbox/callbacks | callbacks/webhooks/IPNs sent, with attempts |
//! | POST | /__sandbox/reset | back to the seed's initial world |
//! | GET | /__sandbox/customer/{id} | the "customer's phone": an HTML page to approve or decline |

use axum::body::Bytes;
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::faults::Faults;
use crate::http::json;
use crate::server::ConnMeta;
use crate::state::{AdminError, SandboxState};

/// The admin routes, relative to `/__sandbox`.
pub fn routes() -> Router<SandboxState> {
    Router::new()
        .route("/", get(index))
        .route("/fixtures", get(fixtures))
        .route("/transactions", get(transactions))
        .route("/transactions/{id}", get(transaction))
        .route("/transactions/{id}/approve", post(approve))
        .route("/transactions/{id}/decline", post(decline))
        .route("/transactions/{id}/expire", post(expire))
        .route("/links/{id}/pay", post(pay_link))
        .route(
            "/faults",
            get(get_faults).put(put_faults).delete(delete_faults),
        )
        .route("/balances", get(get_balances).put(put_balances))
        .route("/callbacks", get(callbacks))
        .route("/reset", post(reset))
        .route("/customer/{id}", get(customer_page))
        .route("/customer/{id}/approve", post(customer_approve))
        .route("/customer/{id}/decline", post(customer_decline))
        .layer(middleware::from_fn(loopback_only))
}

async fn loopback_only(req: Request, next: Next) -> Response {
    if let Some(meta) = req.extensions().get::<ConnMeta>() {
        if !meta.peer.ip().is_loopback() {
            return json(
                StatusCode::FORBIDDEN,
                json!({"error": "the admin API answers loopback clients only"}),
            );
        }
    }
    next.run(req).await
}

fn admin_error(e: AdminError) -> Response {
    let status = match e {
        AdminError::NotFound => StatusCode::NOT_FOUND,
        AdminError::AlreadyFinal(_) => StatusCode::CONFLICT,
        AdminError::Invalid(_) => StatusCode::BAD_REQUEST,
    };
    json(status, json!({"error": e.to_string()}))
}

fn result(r: Result<Value, AdminError>) -> Response {
    match r {
        Ok(v) => json(StatusCode::OK, v),
        Err(e) => admin_error(e),
    }
}

async fn index(State(state): State<SandboxState>) -> Response {
    let base = state.base_url();
    json(
        StatusCode::OK,
        json!({
            "providers": {
                "dexchange": format!("{base}/dexchange/api/v1"),
                "easytransfert": format!("{base}/easytransfert/api_v1/transaction"),
                "easytransfert_wallet": format!("{base}/easytransfert/api_v1/admin/partner/wallet/single"),
                "unipesa": format!("{base}/unipesa"),
            },
            "admin": [
                "GET /__sandbox/fixtures",
                "GET /__sandbox/transactions[?provider=&status=]",
                "GET /__sandbox/transactions/{id}",
                "POST /__sandbox/transactions/{id}/approve",
                "POST /__sandbox/transactions/{id}/decline",
                "POST /__sandbox/transactions/{id}/expire",
                "POST /__sandbox/links/{id}/pay",
                "GET|PUT|DELETE /__sandbox/faults",
                "GET|PUT /__sandbox/balances",
                "GET /__sandbox/callbacks",
                "POST /__sandbox/reset",
                "GET /__sandbox/customer/{id}",
            ],
        }),
    )
}

async fn fixtures(State(state): State<SandboxState>) -> Response {
    json(StatusCode::OK, state.fixtures())
}

#[derive(Debug, Deserialize)]
struct TxFilter {
    provider: Option<String>,
    status: Option<String>,
}

async fn transactions(State(state): State<SandboxState>, Query(f): Query<TxFilter>) -> Response {
    let list: Vec<Value> = state
        .transactions()
        .into_iter()
        .filter(|t| f.provider.as_deref().is_none_or(|p| t["provider"] == p))
        .filter(|t| f.status.as_deref().is_none_or(|s| t["status"] == s))
        .collect();
    json(StatusCode::OK, Value::Array(list))
}

async fn transaction(State(state): State<SandboxState>, Path(id): Path<String>) -> Response {
    match state.transaction(&id) {
        Some(v) => json(StatusCode::OK, v),
        None => admin_error(AdminError::NotFound),
    }
}

fn payer(body: &[u8]) -> Option<String> {
    let v: Value = serde_json::from_slice(body).ok()?;
    v.get("phone")
        .or_else(|| v.get("payer"))
        .and_then(Value::as_str)
        .map(str::to_string)
}

async fn approve(
    State(state): State<SandboxState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    result(state.approve(&id, payer(&body)))
}

async fn decline(State(state): State<SandboxState>, Path(id): Path<String>) -> Response {
    result(state.decline(&id))
}

async fn expire(State(state): State<SandboxState>, Path(id): Path<String>) -> Response {
    result(state.expire(&id))
}

async fn pay_link(
    State(state): State<SandboxState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let is_link = state
        .transaction(&id)
        .map(|t| t["kind"] == "link")
        .unwrap_or(true);
    if !is_link {
        return admin_error(AdminError::Invalid(format!("{id} is not a payment link")));
    }
    result(state.approve(&id, payer(&body)))
}

async fn get_faults(State(state): State<SandboxState>) -> Response {
    json(StatusCode::OK, json!(state.faults()))
}

async fn put_faults(State(state): State<SandboxState>, body: Bytes) -> Response {
    let faults: Faults = if body.iter().all(u8::is_ascii_whitespace) {
        Faults::default()
    } else {
        match serde_json::from_slice(&body) {
            Ok(f) => f,
            Err(e) => return admin_error(AdminError::Invalid(format!("bad faults: {e}"))),
        }
    };
    match state.set_faults(faults) {
        Ok(()) => json(StatusCode::OK, json!(state.faults())),
        Err(e) => admin_error(e),
    }
}

async fn delete_faults(State(state): State<SandboxState>) -> Response {
    let _ = state.set_faults(Faults::default());
    json(StatusCode::OK, json!(state.faults()))
}

async fn get_balances(State(state): State<SandboxState>) -> Response {
    json(StatusCode::OK, state.balances())
}

async fn put_balances(State(state): State<SandboxState>, body: Bytes) -> Response {
    match serde_json::from_slice::<Value>(&body) {
        Ok(v) => result(state.set_balances(&v)),
        Err(e) => admin_error(AdminError::Invalid(format!("bad balances: {e}"))),
    }
}

async fn callbacks(State(state): State<SandboxState>) -> Response {
    json(StatusCode::OK, Value::Array(state.callbacks()))
}

async fn reset(State(state): State<SandboxState>) -> Response {
    state.reset();
    json(StatusCode::OK, json!({"reset": true}))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

async fn customer_page(State(state): State<SandboxState>, Path(id): Path<String>) -> Response {
    let Some(t) = state.transaction(&id) else {
        return (StatusCode::NOT_FOUND, Html("<h1>Unknown transaction</h1>")).into_response();
    };
    let field = |k: &str| escape(t[k].to_string().trim_matches('"'));
    let pending = t["status"] == "pending" || t["status"] == "processing";
    let actions = if pending {
        format!(
            r#"<form method="post" action="/__sandbox/customer/{id}/approve"><button>Approve / pay</button></form>
<form method="post" action="/__sandbox/customer/{id}/decline"><button>Decline</button></form>"#,
            id = escape(&id)
        )
    } else {
        "<p>This operation is final.</p>".into()
    };
    Html(format!(
        r#"<!doctype html><html><head><meta charset="utf-8"><title>Guichet sandbox — customer</title></head>
<body style="font-family:sans-serif;max-width:30em;margin:2em auto">
<h1>Sandbox customer phone</h1>
<p>{provider} · {service}</p>
<p><b>{amount} {currency}</b> · {kind} · {customer}</p>
<p>Status: <b>{status}</b> ({native})</p>
{actions}
<p><small>Training mode: no real money moves.</small></p>
</body></html>"#,
        provider = field("provider"),
        service = field("service"),
        amount = field("amount"),
        currency = field("currency"),
        kind = field("kind"),
        customer = field("customer"),
        status = field("status"),
        native = field("native_status"),
    ))
    .into_response()
}

fn back_to(id: &str) -> Response {
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, format!("/__sandbox/customer/{id}"))],
    )
        .into_response()
}

async fn customer_approve(State(state): State<SandboxState>, Path(id): Path<String>) -> Response {
    match state.approve(&id, None) {
        Ok(_) | Err(AdminError::AlreadyFinal(_)) => back_to(&id),
        Err(e) => admin_error(e),
    }
}

async fn customer_decline(State(state): State<SandboxState>, Path(id): Path<String>) -> Response {
    match state.decline(&id) {
        Ok(_) | Err(AdminError::AlreadyFinal(_)) => back_to(&id),
        Err(e) => admin_error(e),
    }
}
