//! The gateway's request and callback signature (seed 004, providers.md §3).
//!
//! Concatenate `key + value` for every field in the order it is sent, skipping `signature`;
//! nested objects contribute `parent.child` keys (`extra.otp5647`); the signature is the
//! lowercase hex HMAC-SHA512 of that string with the secret key. We follow the seed's PHP
//! `calculateSignature` (with its `$StringForSignature` typo read as intended):
//! - objects and arrays recurse (PHP's `is_array`), arrays with their indexes as keys;
//! - a scalar whose own key is `signature` is skipped at any depth;
//! - scalars are written as PHP writes them after `json_decode($body, true)`: strings as they
//!   are, integers in decimal, integral floats without a fraction, `true` → `1`, `false` and
//!   `null` → nothing;
//! - 16 levels of nesting at most (PHP's `$depth`).
//!
//! The body we send is serialised from the very map that was signed (serde_json's
//! `preserve_order` keeps the order), so the order signed is the order sent.

use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Map, Value};
use sha2::Sha512;

/// The nesting limit of the PHP reference.
pub const MAX_DEPTH: usize = 16;

type HmacSha512 = Hmac<Sha512>;

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(true) => "1".into(),
        Value::Bool(false) | Value::Null => String::new(),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.to_string(),
            (None, Some(u), _) => u.to_string(),
            (None, None, Some(f)) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
            (None, None, Some(f)) => format!("{f}"),
            _ => n.to_string(),
        },
        Value::Array(_) | Value::Object(_) => String::new(),
    }
}

fn walk(
    entries: &mut dyn Iterator<Item = (String, &Value)>,
    prefix: &str,
    level: usize,
    out: &mut String,
) -> Option<()> {
    if level >= MAX_DEPTH {
        return None;
    }
    for (key, value) in entries {
        match value {
            Value::Object(m) => walk(
                &mut m.iter().map(|(k, v)| (k.clone(), v)),
                &format!("{prefix}{key}."),
                level + 1,
                out,
            )?,
            Value::Array(a) => walk(
                &mut a.iter().enumerate().map(|(i, v)| (i.to_string(), v)),
                &format!("{prefix}{key}."),
                level + 1,
                out,
            )?,
            _ if key == "signature" => {}
            _ => {
                out.push_str(prefix);
                out.push_str(&key);
                out.push_str(&scalar(value));
            }
        }
    }
    Some(())
}

/// The string that is signed (`merchant_id…customer_id…extra.otp5647`); `None` when the body
/// nests deeper than [`MAX_DEPTH`].
pub fn signing_string(body: &Map<String, Value>) -> Option<String> {
    let mut out = String::new();
    walk(
        &mut body.iter().map(|(k, v)| (k.clone(), v)),
        "",
        0,
        &mut out,
    )?;
    Some(out)
}

fn mac(secret: &SecretString, text: &str) -> HmacSha512 {
    // HMAC takes a key of any length: this cannot fail.
    let mut m = <HmacSha512 as Mac>::new_from_slice(secret.expose_secret().as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    m.update(text.as_bytes());
    m
}

/// The lowercase hex signature of a body (a `signature` field in it is ignored); `None` when the
/// body nests too deep.
pub fn sign(body: &Map<String, Value>, secret: &SecretString) -> Option<String> {
    let text = signing_string(body)?;
    Some(hex::encode(mac(secret, &text).finalize().into_bytes()))
}

/// Whether a signed callback (or any signed gateway body) carries the right `signature`,
/// compared in constant time. The body is read in its own field order; anything unreadable,
/// unsigned, or signed with another key is `false`.
pub fn verify_callback_signature(body: &[u8], secret: &SecretString) -> bool {
    let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) else {
        return false;
    };
    let Some(given) = map.get("signature").and_then(Value::as_str) else {
        return false;
    };
    let Ok(given) = hex::decode(given.trim()) else {
        return false;
    };
    let Some(text) = signing_string(&map) else {
        return false;
    };
    mac(secret, &text).verify_slice(&given).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The sandbox's (and seed 004's) example secret.
    const SECRET: &str = "cf11635572c1e8d77297207152dc0791ad91f22b32d23c758ce3ba2637202ad8f7290ba41f2243cccf32edde1dfb8bf0f5dea62525309e293b3adb2c76eed6a5";

    fn secret() -> SecretString {
        SecretString::from(SECRET)
    }

    /// HMAC-SHA512 computed directly, independently of `sign`.
    fn reference_hmac(text: &str) -> String {
        let mut m = HmacSha512::new_from_slice(SECRET.as_bytes()).expect("any key length");
        m.update(text.as_bytes());
        hex::encode(m.finalize().into_bytes())
    }

    fn object(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => panic!("not an object"),
        }
    }

    #[test]
    fn seed_004_php_example_vector() {
        // $postData of seed 004, in its order; provider_id and amount are PHP integers.
        let body = object(json!({
            "merchant_id": "fffed61be9780b97c5e4c65e4e07bb6b",
            "provider_id": 10,
            "client_id": "254000000000",
            "country": "KE",
            "order_id": "order_3444298767545",
            "amount": 1000,
            "currency": "KES",
            "callback_url": "https://my.callback.url"
        }));
        // Assembled by hand from the PHP: "$currentParamPrefix$key" . $value, in order.
        let expected_text = "merchant_idfffed61be9780b97c5e4c65e4e07bb6b\
            provider_id10\
            client_id254000000000\
            countryKE\
            order_idorder_3444298767545\
            amount1000\
            currencyKES\
            callback_urlhttps://my.callback.url";
        assert_eq!(signing_string(&body).unwrap(), expected_text);
        let expected = reference_hmac(expected_text);
        assert_eq!(expected.len(), 128);
        assert!(expected
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase()));
        assert_eq!(sign(&body, &secret()).unwrap(), expected);
    }

    #[test]
    fn nested_extra_and_signature_skipped_and_order_matters() {
        let body = object(json!({
            "merchant_id": "m",
            "customer_id": "2250705145655",
            "order_id": "test_161225_01_1",
            "amount": "1100.00",
            "currency": "XOF",
            "country": "CI",
            "provider_id": "9197",
            "signature": "whatever",
            "extra": {"otp": "5647", "customer_name": "Awa Diop"}
        }));
        let text = "merchant_idmcustomer_id2250705145655order_idtest_161225_01_1amount1100.00\
            currencyXOFcountryCIprovider_id9197extra.otp5647extra.customer_nameAwa Diop";
        assert_eq!(signing_string(&body).unwrap(), text);
        assert_eq!(sign(&body, &secret()).unwrap(), reference_hmac(text));
        // Same fields, another order: another signature.
        let swapped = object(json!({"customer_id": "2250705145655", "merchant_id": "m"}));
        let straight = object(json!({"merchant_id": "m", "customer_id": "2250705145655"}));
        assert_ne!(sign(&swapped, &secret()), sign(&straight, &secret()));
    }

    #[test]
    fn scalars_are_written_as_php_does() {
        let body = object(json!({
            "t": true, "f": false, "n": null, "i": -3, "fl": 100.0, "fr": 10.5,
            "list": [{"x": 1}, "y"], "empty": {}
        }));
        assert_eq!(
            signing_string(&body).unwrap(),
            "t1fni-3fl100fr10.5list.0.x1list.1y"
        );
    }

    #[test]
    fn too_deep_is_refused() {
        // MAX_DEPTH objects in all (levels 0..15) is the PHP's limit; one more is refused.
        let mut v = json!("leaf");
        for _ in 0..MAX_DEPTH {
            v = json!({ "a": v });
        }
        assert!(signing_string(&object(v.clone())).is_some());
        let deeper = json!({ "a": v });
        assert!(signing_string(&object(deeper)).is_none());
    }

    #[test]
    fn callbacks_verify_in_order_and_reject_tampering() {
        let mut m = object(json!({
            "merchant_id": "m", "operation_type": 17, "customer_id": "221771234567",
            "amount": 1100, "order_id": "K1", "transaction_id": "T1", "transaction_ref": "R",
            "status": 2, "provider_id": 2354, "destination_id": "",
            "result": {"code": 0, "message": "OK"}
        }));
        let sig = sign(&m, &secret()).unwrap();
        m.insert("signature".into(), json!(sig));
        let body = serde_json::to_vec(&Value::Object(m.clone())).unwrap();
        assert!(verify_callback_signature(&body, &secret()));
        // Upper-case hex of the same bytes is the same signature.
        let mut upper = m.clone();
        upper.insert("signature".into(), json!(sig.to_uppercase()));
        assert!(verify_callback_signature(
            &serde_json::to_vec(&Value::Object(upper)).unwrap(),
            &secret()
        ));
        // Another secret, a changed field, a missing or garbled signature: refused.
        assert!(!verify_callback_signature(
            &body,
            &SecretString::from("other")
        ));
        let tampered = String::from_utf8(body.clone())
            .unwrap()
            .replace("\"status\":2", "\"status\":3");
        assert!(!verify_callback_signature(tampered.as_bytes(), &secret()));
        let mut unsigned = m.clone();
        unsigned.remove("signature");
        assert!(!verify_callback_signature(
            &serde_json::to_vec(&Value::Object(unsigned)).unwrap(),
            &secret()
        ));
        let mut garbled = m;
        garbled.insert("signature".into(), json!("zz"));
        assert!(!verify_callback_signature(
            &serde_json::to_vec(&Value::Object(garbled)).unwrap(),
            &secret()
        ));
        assert!(!verify_callback_signature(b"not json", &secret()));
    }
}
