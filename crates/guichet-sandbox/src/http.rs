//! Small helpers shared by the provider modules: JSON answers and body field extraction.
//!
//! Bodies are parsed by hand (not with axum's `Json` extractor) so that every error has the
//! provider's own shape instead of axum's plain-text rejection.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

/// A JSON answer with a status code.
pub fn json(status: StatusCode, body: Value) -> Response {
    raw_json(status, body.to_string())
}

/// A JSON answer from an already serialised body (byte-exact replays).
pub fn raw_json(status: StatusCode, body: String) -> Response {
    let mut r = (status, body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

/// Parses a body that must be a JSON object (key order preserved).
pub fn parse_object(body: &[u8]) -> Result<Map<String, Value>, String> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err("body must be a JSON object".into()),
        Err(e) => Err(format!("invalid JSON body: {e}")),
    }
}

/// A non-empty string field; records a message in `errors` when missing or not a string.
pub fn req_str(obj: &Map<String, Value>, key: &str, errors: &mut Vec<String>) -> Option<String> {
    match obj.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        Some(Value::String(_)) | None | Some(Value::Null) => {
            errors.push(format!("{key} should not be empty"));
            None
        }
        Some(_) => {
            errors.push(format!("{key} must be a string"));
            None
        }
    }
}

/// An optional string field (absent or null → `None`); records an error if of another type.
pub fn opt_str(obj: &Map<String, Value>, key: &str, errors: &mut Vec<String>) -> Option<String> {
    match obj.get(key) {
        Some(Value::String(s)) => Some(s.clone()),
        None | Some(Value::Null) => None,
        Some(_) => {
            errors.push(format!("{key} must be a string"));
            None
        }
    }
}

/// An integer field given as a JSON number (not a string); records errors.
pub fn req_int(obj: &Map<String, Value>, key: &str, errors: &mut Vec<String>) -> Option<i64> {
    match obj.get(key) {
        None | Some(Value::Null) => {
            errors.push(format!("{key} should not be empty"));
            None
        }
        Some(v) => int_value(v, key, errors),
    }
}

/// An optional integer field given as a JSON number.
pub fn opt_int(obj: &Map<String, Value>, key: &str, errors: &mut Vec<String>) -> Option<i64> {
    match obj.get(key) {
        None | Some(Value::Null) => None,
        Some(v) => int_value(v, key, errors),
    }
}

fn int_value(v: &Value, key: &str, errors: &mut Vec<String>) -> Option<i64> {
    match v {
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Some(i)
            } else if let Some(f) = n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 1e15) {
                Some(f as i64)
            } else {
                errors.push(format!("{key} must be an integer number"));
                None
            }
        }
        _ => {
            errors.push(format!("{key} must be a number"));
            None
        }
    }
}

/// Whether `s` is exactly `n` ASCII digits.
pub fn is_digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}
