//! The gateway signature (seed 004, providers.md §3): concatenate `key + value` for every field in
//! the order it was sent, skipping `signature`; nested objects contribute `parent.child` keys;
//! lowercase hex HMAC-SHA512 of that string with the secret key.
//!
//! Follows the seed's PHP `calculateSignature` (with its `$StringForSignature` typo fixed):
//! - the walk runs over the decoded body in its original key order (serde_json `preserve_order`);
//! - objects *and* arrays recurse (PHP's `is_array`), arrays with their indexes as keys
//!   (`items.0.name`); an empty object or array contributes nothing;
//! - a scalar whose own key is `signature` is skipped at any depth (the PHP compares the
//!   un-prefixed key);
//! - scalars are written as PHP would after `json_decode($body, true)`: strings as is, integers in
//!   decimal, integral floats without a fraction (`100.0` → `100`), other floats in their shortest
//!   form, `true` → `1`, `false` and `null` → empty;
//! - more than 16 levels of nesting is refused (PHP's `$depth = 16`).

use hmac::{Hmac, Mac};
use serde_json::{Map, Value};
use sha2::Sha512;

/// Nesting limit of the PHP reference.
pub const MAX_DEPTH: usize = 16;

type HmacSha512 = Hmac<Sha512>;

/// The body nests deeper than [`MAX_DEPTH`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep;

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(true) => "1".into(),
        Value::Bool(false) | Value::Null => String::new(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.to_string()
            } else if let Some(u) = n.as_u64() {
                u.to_string()
            } else {
                let f = n.as_f64().unwrap_or(0.0);
                if f.fract() == 0.0 && f.abs() < 1e15 {
                    format!("{}", f as i64)
                } else {
                    format!("{f}")
                }
            }
        }
        Value::Array(_) | Value::Object(_) => String::new(),
    }
}

fn walk(
    entries: &mut dyn Iterator<Item = (String, &Value)>,
    prefix: &str,
    level: usize,
    out: &mut String,
) -> Result<(), TooDeep> {
    if level >= MAX_DEPTH {
        return Err(TooDeep);
    }
    for (key, value) in entries {
        match value {
            Value::Object(m) => {
                let p = format!("{prefix}{key}.");
                walk(
                    &mut m.iter().map(|(k, v)| (k.clone(), v)),
                    &p,
                    level + 1,
                    out,
                )?;
            }
            Value::Array(a) => {
                let p = format!("{prefix}{key}.");
                walk(
                    &mut a.iter().enumerate().map(|(i, v)| (i.to_string(), v)),
                    &p,
                    level + 1,
                    out,
                )?;
            }
            _ if key == "signature" => {}
            _ => {
                out.push_str(prefix);
                out.push_str(&key);
                out.push_str(&scalar(value));
            }
        }
    }
    Ok(())
}

/// The string that is signed, e.g. `merchant_id…order_id…extra.otp5647`.
pub fn signing_string(body: &Map<String, Value>) -> Result<String, TooDeep> {
    let mut out = String::new();
    walk(
        &mut body.iter().map(|(k, v)| (k.clone(), v)),
        "",
        0,
        &mut out,
    )?;
    Ok(out)
}

fn mac(secret: &str, text: &str) -> HmacSha512 {
    let mut m = HmacSha512::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    m.update(text.as_bytes());
    m
}

/// The lowercase hex signature of a body (its `signature` field, if any, is ignored).
pub fn sign(body: &Map<String, Value>, secret: &str) -> Result<String, TooDeep> {
    let text = signing_string(body)?;
    Ok(hex::encode(mac(secret, &text).finalize().into_bytes()))
}

/// Whether `given` is the right signature of `body`, compared in constant time. `given` must be
/// lowercase hex, as documented.
pub fn verify(body: &Map<String, Value>, secret: &str, given: &str) -> bool {
    if given.bytes().any(|b| b.is_ascii_uppercase()) {
        return false;
    }
    let Ok(bytes) = hex::decode(given) else {
        return false;
    };
    let Ok(text) = signing_string(body) else {
        return false;
    };
    mac(secret, &text).verify_slice(&bytes).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => unreachable!(),
        }
    }

    #[test]
    fn string_follows_the_order_sent_and_nests() {
        let b = obj(json!({
            "merchant_id": "m", "provider_id": 9209, "amount": "1100.00",
            "signature": "x", "extra": {"otp": "5647", "signature": "y"}, "flag": true, "none": null
        }));
        assert_eq!(
            signing_string(&b).unwrap(),
            "merchant_idmprovider_id9209amount1100.00extra.otp5647flag1none"
        );
        let reordered = obj(json!({"provider_id": 9209, "merchant_id": "m"}));
        assert_eq!(
            signing_string(&reordered).unwrap(),
            "provider_id9209merchant_idm"
        );
    }

    #[test]
    fn arrays_and_floats() {
        let b = obj(json!({"a": [1, {"b": 2}], "f": 100.0, "g": 10.5}));
        assert_eq!(signing_string(&b).unwrap(), "a.01a.1.b2f100g10.5");
    }

    #[test]
    fn sign_then_verify() {
        let b = obj(json!({"merchant_id": "m", "order_id": "o"}));
        let s = sign(&b, "secret").unwrap();
        assert_eq!(s.len(), 128);
        assert!(verify(&b, "secret", &s));
        assert!(!verify(&b, "other", &s));
        assert!(!verify(&b, "secret", &s.to_uppercase()));
        assert!(!verify(&b, "secret", "zz"));
    }

    #[test]
    fn too_deep_is_refused() {
        let mut v = json!("x");
        for _ in 0..20 {
            v = json!({ "k": v });
        }
        assert_eq!(signing_string(&obj(v)), Err(TooDeep));
    }
}
