//! What an HTTP answer means when a provider's own error cases do not say: written once for
//! the three connectors.
//!
//! Each provider's `transformers::map_error` reads its error body once, handles its own
//! documented cases (DEXCHANGE 409 → `Duplicate`, EASYTRANSFERT's HTTP-200 `{error}`, the
//! gateway's `result.code`…) and hands everything else to [`fallback`]:
//!
//! | HTTP | ours | why |
//! |---|---|---|
//! | 429 | `Unavailable` with `retry_after` | turned away before processing: nothing moved |
//! | other 4xx | `Refused` | the provider refused the request: nothing moved |
//! | 5xx, 1xx, 3xx, anything else | `Ambiguous` | we cannot tell whether it was processed |

use super::http::Reply;
use super::ConnectorError;

/// The shared HTTP-status fallback (see the module documentation). `message` is the
/// provider's readable message, as its own transformer parsed it from the body.
pub(crate) fn fallback(reply: &Reply, message: Option<String>) -> ConnectorError {
    match reply.status {
        429 => ConnectorError::Unavailable {
            detail: message.unwrap_or_else(|| "rate limited (429)".into()),
            retry_after: reply.retry_after,
        },
        s @ 400..=499 => ConnectorError::Refused {
            native_code: s.to_string(),
            message: message.unwrap_or_else(|| format!("HTTP {s}")),
            raw: reply.raw(),
        },
        s => ConnectorError::ambiguous(
            match message {
                Some(m) => format!("HTTP {s}: {m}"),
                None => format!("HTTP {s}"),
            },
            reply.raw(),
        ),
    }
}

/// A 2xx answer whose body we cannot read (not JSON, cut at the size cap, empty where a body
/// was due): we cannot tell what happened, so it is `Ambiguous`, the excerpt kept as evidence.
pub(crate) fn unreadable(reply: &Reply) -> ConnectorError {
    ConnectorError::ambiguous(
        format!("HTTP {} with an unreadable body", reply.status),
        reply.raw(),
    )
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::json;

    use super::*;

    fn reply(status: u16) -> Reply {
        Reply {
            status,
            body: json!({"message": "x", "api_key": "k-1"}),
            is_json: true,
            retry_after: Some(Duration::from_secs(2)),
        }
    }

    #[test]
    fn statuses_map_to_what_may_have_happened_to_the_money() {
        let code = |s| fallback(&reply(s), None).code();
        assert_eq!(code(429), "provider_unavailable");
        for s in [400, 402, 404, 418, 499] {
            assert_eq!(code(s), "provider_refused", "{s}");
        }
        for s in [500, 502, 503, 504, 599, 302, 101, 200, 600] {
            assert_eq!(code(s), "provider_no_answer", "{s}");
        }
    }

    #[test]
    fn the_message_and_retry_after_are_kept_and_secrets_are_not() {
        match fallback(&reply(429), Some("slow down".into())) {
            ConnectorError::Unavailable {
                detail,
                retry_after,
            } => {
                assert_eq!(detail, "slow down");
                assert_eq!(retry_after, Some(Duration::from_secs(2)));
            }
            other => panic!("{other:?}"),
        }
        match fallback(&reply(400), None) {
            ConnectorError::Refused {
                native_code,
                message,
                raw,
            } => {
                assert_eq!(native_code, "400");
                assert_eq!(message, "HTTP 400");
                assert_eq!(raw["api_key"], "***");
            }
            other => panic!("{other:?}"),
        }
        match fallback(&reply(503), Some("down".into())) {
            ConnectorError::Ambiguous { detail, raw, .. } => {
                assert_eq!(detail, "HTTP 503: down");
                assert_eq!(raw["message"], "x");
            }
            other => panic!("{other:?}"),
        }
    }
}
