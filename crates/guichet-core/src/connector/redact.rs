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
}
