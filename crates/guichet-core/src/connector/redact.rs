//! Removing secrets from anything that is logged or stored.

use serde_json::Value;

/// Keys whose values never leave the connector: credentials, signatures, OTPs.
const SECRET_KEYS: &[&str] = &[
    "api_key",
    "apikey",
    "x-api-key",
    "authorization",
    "secret",
    "signature",
    "om_otp",
    "otp",
    "password",
    "pin",
];

/// What replaces a secret value.
pub const REDACTED: &str = "***";

/// A copy of `value` with every secret-named key's value replaced, at any depth.
pub fn redact(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let secret = SECRET_KEYS.iter().any(|s| k.eq_ignore_ascii_case(s));
                    let v = if secret {
                        Value::String(REDACTED.to_owned())
                    } else {
                        redact(v)
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(redact).collect()),
        other => other.clone(),
    }
}

/// A copy of a text that is not JSON (an HTML error page, a form-encoded echo, a log line) with
/// the value after every secret-named key (`api_key=…`, `"otp": "…"`, `signature: …`) and after
/// `Bearer ` replaced by [`REDACTED`]. Key names are matched whole and case-insensitively; a
/// value runs to the next quote, separator or space.
pub fn redact_text(text: &str) -> String {
    // ASCII lowercasing keeps every byte where it is, so positions found here hold in `text`.
    let lower = text.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    let is_end = |b: u8| {
        b.is_ascii_whitespace()
            || matches!(
                b,
                b'"' | b'\'' | b',' | b';' | b'&' | b'<' | b'>' | b'}' | b']' | b')'
            )
    };
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let keys = SECRET_KEYS
        .iter()
        .map(|k| (*k, false))
        .chain([("bearer", true)]);
    for (key, bearer) in keys {
        let mut from = 0;
        while let Some(at) = lower[from..].find(key).map(|i| i + from) {
            from = at + key.len();
            let whole = (at == 0 || !is_word(bytes[at - 1]))
                && bytes.get(from).is_none_or(|b| !is_word(*b));
            if !whole {
                continue;
            }
            let mut i = from;
            if bearer {
                if bytes.get(i) != Some(&b' ') {
                    continue;
                }
            } else {
                while bytes
                    .get(i)
                    .is_some_and(|b| matches!(b, b'"' | b'\'' | b' ' | b'\t'))
                {
                    i += 1;
                }
                if !bytes.get(i).is_some_and(|b| matches!(b, b'=' | b':')) {
                    continue;
                }
                i += 1;
            }
            while bytes
                .get(i)
                .is_some_and(|b| matches!(b, b'"' | b'\'' | b' ' | b'\t'))
            {
                i += 1;
            }
            let start = i;
            while bytes.get(i).is_some_and(|b| !is_end(*b)) {
                i += 1;
            }
            if i > start {
                cuts.push((start, i));
            }
        }
    }
    cuts.sort_unstable();
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for (start, end) in cuts {
        if start < pos {
            continue;
        }
        out.push_str(&text[pos..start]);
        out.push_str(REDACTED);
        pos = end;
    }
    out.push_str(&text[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secrets_are_replaced_at_any_depth_and_the_rest_kept() {
        let raw = json!({
            "api_key": "k-123", "amount": 500,
            "extra": {"otp": "5647", "customer_name": "Awa"},
            "list": [{"Signature": "abcd"}]
        });
        let red = redact(&raw);
        assert_eq!(red["api_key"], REDACTED);
        assert_eq!(red["extra"]["otp"], REDACTED);
        assert_eq!(red["extra"]["customer_name"], "Awa");
        assert_eq!(red["list"][0]["Signature"], REDACTED);
        assert_eq!(red["amount"], 500);
        assert!(!red.to_string().contains("k-123"));
    }

    #[test]
    fn secrets_in_plain_text_are_replaced_and_the_rest_kept() {
        let text = r#"<h1>Bad request</h1> api_key=k-123&amount=500; {"OTP": "5647", "pin":"0000"} Authorization: Bearer tok.9 signature:abcd shipping=7 pinned=1"#;
        let red = redact_text(text);
        for secret in ["k-123", "5647", "0000", "tok.9", "abcd"] {
            assert!(!red.contains(secret), "{secret} in {red}");
        }
        for kept in [
            "<h1>Bad request</h1>",
            "amount=500",
            "shipping=7",
            "pinned=1",
        ] {
            assert!(red.contains(kept), "{kept} lost in {red}");
        }
        // Multi-byte text around a secret stays intact.
        assert_eq!(redact_text("clé api_key=é1 reçu"), "clé api_key=*** reçu");
    }
}
