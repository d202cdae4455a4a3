//! The Unipesa-engine payment gateway (providers.md §3, seed 004): `payment_c2b` (collection),
//! `payment_b2c` (disbursement) and `status`, at `{base}/{public_id}/{method}`, every body
//! signed with HMAC-SHA512 over its fields in the order sent ([`signature`]).
//!
//! The gateway is idempotent on `order_id` (our key) and answers `status` by `order_id`, so an
//! ambiguous outcome is always resolvable without the provider's id. Every choice this
//! connector makes where the documentation is silent is a `// [gap]` comment in this file or in
//! [`transformers`].

pub mod signature;
pub(crate) mod transformers;

use std::fmt;

use async_trait::async_trait;
use reqwest::header::HeaderMap;
use reqwest::Method;
use secrecy::SecretString;
use serde_json::{Map, Value};

pub use self::signature::verify_callback_signature;
use self::transformers::{CallKind, PaymentRequest, StatusRequest};
use super::http::{join, path_segment, Call, Http};
use super::{Answer, Balance, Connector, ConnectorError, Endpoint, Intent, Probe};
use crate::catalog::{ExtraField, Kind, Provider};

/// [gap] An order id no till ever uses (idempotency keys are UUID-based), asked about by
/// [`UnipesaConnector::check_credentials`]: the gateway documents no balance or "ping" call.
const CREDENTIALS_PROBE_ORDER: &str = "guichet-credentials-check";

/// The gateway merchant's credentials. The ids are identifiers (the public id is in every URL);
/// only the secret is a secret.
#[derive(Debug, Clone)]
pub struct UnipesaCredentials {
    /// The merchant's public id (path segment).
    pub public_id: String,
    /// `merchant_id` of every body.
    pub merchant_id: String,
    /// The HMAC-SHA512 key.
    pub secret: SecretString,
}

impl UnipesaCredentials {
    /// Credentials from their three parts.
    pub fn new(
        public_id: impl Into<String>,
        merchant_id: impl Into<String>,
        secret: impl Into<String>,
    ) -> Self {
        Self {
            public_id: public_id.into(),
            merchant_id: merchant_id.into(),
            secret: SecretString::from(secret.into()),
        }
    }
}

/// The gateway connector.
pub struct UnipesaConnector {
    http: Http,
    base_url: String,
    credentials: UnipesaCredentials,
}

impl fmt::Debug for UnipesaConnector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnipesaConnector")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

impl UnipesaConnector {
    /// A connector for `endpoint` (`https://api.unipesa.tech` or the sandbox's `…/unipesa`).
    pub fn new(endpoint: Endpoint, credentials: UnipesaCredentials) -> Self {
        Self {
            http: Http::new(Provider::Unipesa, &endpoint),
            base_url: endpoint.base_url.trim_end_matches('/').to_owned(),
            credentials,
        }
    }

    /// Reports each call's outcome (answered or not) to `reach`.
    pub fn reporting_to(mut self, reach: super::reachability::Reachability) -> Self {
        self.http.report_to(reach);
        self
    }

    /// Whether a callback body is signed with this merchant's secret (constant time).
    pub fn verify_callback(&self, body: &[u8]) -> bool {
        verify_callback_signature(body, &self.credentials.secret)
    }

    /// Checks the credentials without moving money ("check connection" in Settings): a signed
    /// `status` for an order that does not exist. `Ok` when the gateway authenticates us
    /// (whatever it says about the order), [`ConnectorError::Unauthorized`] when it does not.
    pub async fn check_credentials(&self) -> Result<(), ConnectorError> {
        // Not a lookup of an operation: any result code but 10201 says the keys were accepted.
        match self
            .status_of(CREDENTIALS_PROBE_ORDER, CallKind::Other)
            .await
        {
            Ok(_) | Err(ConnectorError::NotFound { .. } | ConnectorError::Refused { .. }) => Ok(()),
            Err(e) => Err(e),
        }
    }

    async fn send(
        &self,
        method_name: &'static str,
        label: &'static str,
        key: &str,
        body: String,
    ) -> Result<super::http::Reply, ConnectorError> {
        let url = join(
            &self.base_url,
            &format!(
                "/{}/{method_name}",
                path_segment(&self.credentials.public_id)
            ),
        );
        self.http
            .send(Call {
                method: Method::POST,
                url,
                label,
                key,
                headers: HeaderMap::new(),
                body: Some(body),
            })
            .await
    }

    async fn status_of(&self, order_id: &str, kind: CallKind) -> Result<Answer, ConnectorError> {
        // The seed's status example also carries extra.otp "for some providers": we never resend
        // an OTP just to ask (it would only spread it); no provider of the catalog needs it.
        let request = StatusRequest {
            merchant_id: &self.credentials.merchant_id,
            order_id,
        };
        let body = transformers::signed_body(&request, &self.credentials.secret)?;
        let reply = self
            .send("status", "/{public_id}/status", order_id, body)
            .await?;
        transformers::answer(kind, &reply)
    }
}

/// The `extra` object: `otp` first, then the extra fields in the catalog's order, only those
/// given (the meter reference is not a gateway field).
fn extra_of(intent: &Intent) -> Map<String, Value> {
    let req = &intent.request;
    let mut extra = Map::new();
    if let Some(otp) = req.otp.as_deref().filter(|o| !o.is_empty()) {
        extra.insert("otp".into(), Value::from(otp));
    }
    for (field, value) in &req.extras {
        if *field != ExtraField::ReferenceClient && !value.is_empty() {
            extra.insert(field.key().into(), Value::from(value.as_str()));
        }
    }
    extra
}

#[async_trait]
impl Connector for UnipesaConnector {
    fn provider(&self) -> Provider {
        Provider::Unipesa
    }

    /// `payment_c2b` for a collection, `payment_b2c` for a disbursement. Resending the same
    /// intent is safe: the gateway answers the same `order_id` with the identical answer.
    async fn submit(&self, intent: &Intent) -> Result<Answer, ConnectorError> {
        let req = &intent.request;
        let (method_name, label) = match req.kind {
            Kind::Collection => ("payment_c2b", "/{public_id}/payment_c2b"),
            Kind::Disbursement => ("payment_b2c", "/{public_id}/payment_b2c"),
            _ => {
                return Err(ConnectorError::Unsupported {
                    provider: Provider::Unipesa,
                    what: "this kind of operation",
                })
            }
        };
        let phone = req.phone.as_ref().ok_or_else(|| ConnectorError::NotSent {
            detail: "cannot build the gateway request: no customer phone".into(),
        })?;
        let request = PaymentRequest {
            merchant_id: &self.credentials.merchant_id,
            customer_id: &phone.wire,
            order_id: &intent.idempotency_key,
            amount: req.amount.to_wire(),
            currency: req.amount.currency.code(),
            country: Some(phone.country.code()),
            callback_url: intent.callback_url.as_deref(),
            provider_id: &req.native_id,
            extra: extra_of(intent),
        };
        let body = transformers::signed_body(&request, &self.credentials.secret)?;
        let reply = self
            .send(method_name, label, &intent.idempotency_key, body)
            .await?;
        transformers::answer(CallKind::Submit, &reply)
    }

    /// `status` by our `order_id`: works with or without the provider's id, never moves money.
    async fn status(&self, probe: &Probe) -> Result<Answer, ConnectorError> {
        let mut answer = self
            .status_of(&probe.idempotency_key, CallKind::Lookup)
            .await?;
        if answer.provider_ref.is_none() {
            answer.provider_ref = probe.provider_ref.clone();
        }
        Ok(answer)
    }

    /// [gap] The gateway documents no balance endpoint: [`ConnectorError::Unsupported`]. Use
    /// [`UnipesaConnector::check_credentials`] to test the keys.
    async fn balance(&self) -> Result<Balance, ConnectorError> {
        Err(ConnectorError::Unsupported {
            provider: Provider::Unipesa,
            what: "balance (not documented by the gateway)",
        })
    }

    /// No balance call: a signed status probe ([`UnipesaConnector::check_credentials`]).
    async fn check_connection(&self) -> Result<Option<Balance>, ConnectorError> {
        self.check_credentials().await.map(|()| None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn debug_never_prints_the_secret() {
        let c = UnipesaConnector::new(
            Endpoint {
                base_url: "http://127.0.0.1:9/unipesa".into(),
                timeout: Duration::from_secs(1),
            },
            UnipesaCredentials::new("pub", "merchant", "very-secret-key"),
        );
        let text = format!("{c:?}");
        assert!(!text.contains("very-secret-key"), "{text}");
        assert!(text.contains("merchant"), "{text}");
    }
}
