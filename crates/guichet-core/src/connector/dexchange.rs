//! DEXCHANGE (providers.md §1, seeds 000–002): bills and Woyofal (`/billing/*`), airtime,
//! cash-in and cash-out (`/transaction/init`), the Wizall OTP confirmation, payment links, and
//! the balance. `Authorization: Bearer <api_key>` on every call; 100 requests a minute.
//!
//! The wire structs and the one status and error mappings are in [`transformers`]. Every choice
//! this connector makes where the documentation is silent is a `// [gap]` constant or comment
//! in this file.

pub(crate) mod transformers;

use std::fmt;
use std::num::NonZeroU32;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use governor::clock::Clock;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use reqwest::header::HeaderMap;
use reqwest::Method;
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;

use self::transformers::{
    AnswerContext, BillPayRequest, CallKind, ConfirmWizallRequest, InitRequest, InquiryRequest,
    LinkRequest,
};
use super::http::{join, path_segment, secret_header, Call, Http, Reply};
use super::{Answer, Balance, Bill, Connector, ConnectorError, Endpoint, Intent, Probe};
use crate::catalog::{ExtraField, Kind, Provider};

/// DEXCHANGE's documented limit on the standard tier [doc].
pub const RATE_LIMIT_PER_MINUTE: u32 = 100;

/// [gap] How many requests may go at once. The docs say "100 requests a minute" without saying
/// how the minute is counted: we assume the strictest reading, a rolling minute. A burst of 10,
/// then one request every 60 s / (100 − 10) ≈ 667 ms, never puts more than 100 requests in any
/// 60-second window, and lets a cashier's submit + first status go without waiting.
pub const RATE_LIMIT_BURST: u32 = 10;

/// [gap] How long a call may wait for our own rate limiter before giving up with
/// [`ConnectorError::Unavailable`] (nothing sent). The docs give the limit, not what to do at it:
/// waiting a few seconds is invisible at the counter; longer, the cashier should know.
pub const RATE_LIMIT_MAX_WAIT: Duration = Duration::from_secs(5);

/// [gap] Payment links REQUIRE `callBackURL`, `successUrl` and `failureUrl` (seed 002), but a till
/// behind NAT has no web page and cannot receive webhooks (status polling is the primary path).
/// When the intent has no callback URL we send these. `.invalid` is reserved (RFC 2606): it never
/// resolves, so DEXCHANGE's webhook fails harmlessly and no third party ever receives it. The
/// customer, after paying on DEXCHANGE's page, lands on an unreachable page; the payment itself
/// is confirmed on the till by polling (and by the customer's own wallet SMS). A shop with a
/// website sets real pages with [`DexchangeConnector::with_redirect_urls`].
pub const NO_CALLBACK_URL: &str = "https://guichet.invalid/dexchange/callback";
/// [gap] See [`NO_CALLBACK_URL`]: where the customer lands after a successful payment.
pub const CUSTOMER_SUCCESS_URL: &str = "https://guichet.invalid/paiement/reussi";
/// [gap] See [`NO_CALLBACK_URL`]: where the customer lands after a failed payment.
pub const CUSTOMER_FAILURE_URL: &str = "https://guichet.invalid/paiement/echoue";

/// [gap] The one service whose cash-out waits, after init, for an OTP confirmed through
/// `/transaction/confirm/wizall` (providers.md names only Wizall).
const OTP_AFTER_INIT_SERVICE: &str = "WIZALL_SN_CASHOUT";

/// DEXCHANGE's API key.
#[derive(Debug, Clone)]
pub struct DexchangeCredentials {
    /// `Authorization: Bearer <api_key>`.
    pub api_key: SecretString,
}

impl DexchangeCredentials {
    /// Credentials from the API key.
    pub fn new(api_key: impl Into<String>) -> Self {
        Self {
            api_key: SecretString::from(api_key.into()),
        }
    }
}

/// The URLs DEXCHANGE needs for customer-facing pages and webhooks when the till has none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectUrls {
    /// `callBackURL` of payment links when the intent has none.
    pub callback: String,
    /// `successUrl` (payment links, collections).
    pub success: String,
    /// `failureUrl` (payment links, collections).
    pub failure: String,
}

impl Default for RedirectUrls {
    fn default() -> Self {
        Self {
            callback: NO_CALLBACK_URL.into(),
            success: CUSTOMER_SUCCESS_URL.into(),
            failure: CUSTOMER_FAILURE_URL.into(),
        }
    }
}

/// The DEXCHANGE connector.
pub struct DexchangeConnector {
    http: Http,
    base_url: String,
    credentials: DexchangeCredentials,
    limiter: DefaultDirectRateLimiter,
    max_wait: Duration,
    urls: RedirectUrls,
}

impl fmt::Debug for DexchangeConnector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DexchangeConnector")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("max_wait", &self.max_wait)
            .finish_non_exhaustive()
    }
}

impl DexchangeConnector {
    /// A connector for `endpoint` (`https://api-m.dexchange.sn/api/v1` or the sandbox's
    /// `…/dexchange/api/v1`), limited to [`RATE_LIMIT_PER_MINUTE`].
    pub fn new(endpoint: Endpoint, credentials: DexchangeCredentials) -> Self {
        Self {
            http: Http::new(Provider::Dexchange, &endpoint),
            base_url: endpoint.base_url.trim_end_matches('/').to_owned(),
            credentials,
            limiter: limiter(RATE_LIMIT_PER_MINUTE, RATE_LIMIT_BURST),
            max_wait: RATE_LIMIT_MAX_WAIT,
            urls: RedirectUrls::default(),
        }
    }

    /// Reports each call's outcome (answered or not) to `reach`.
    pub fn reporting_to(mut self, reach: super::reachability::Reachability) -> Self {
        self.http.report_to(reach);
        self
    }

    /// Another rate limit: at most `per_minute` requests in any 60-second window, `burst` of
    /// them at once, and the longest a call waits for its turn (past it: `Unavailable`).
    pub fn with_rate_limit(mut self, per_minute: u32, burst: u32, max_wait: Duration) -> Self {
        self.limiter = limiter(per_minute, burst);
        self.max_wait = max_wait;
        self
    }

    /// Real pages instead of the [gap] placeholders ([`NO_CALLBACK_URL`]…).
    pub fn with_redirect_urls(mut self, urls: RedirectUrls) -> Self {
        self.urls = urls;
        self
    }

    /// Waits (at most `max_wait`) for a slot of the rate limit; past it, `Unavailable`.
    async fn throttle(&self) -> Result<(), ConnectorError> {
        let deadline = Instant::now() + self.max_wait;
        loop {
            match self.limiter.check() {
                Ok(()) => return Ok(()),
                Err(not_until) => {
                    let wait = not_until.wait_time_from(self.limiter.clock().now());
                    if Instant::now() + wait > deadline {
                        tracing::warn!(
                            provider = "dexchange",
                            wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                            "rate limit reached: request held back"
                        );
                        return Err(ConnectorError::Unavailable {
                            detail: "DEXCHANGE request rate limit reached (held back by the till)"
                                .into(),
                            retry_after: Some(wait),
                        });
                    }
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }

    async fn call(
        &self,
        method: Method,
        path: &str,
        label: &str,
        key: &str,
        body: Option<&impl Serialize>,
    ) -> Result<Reply, ConnectorError> {
        let body =
            body.map(serde_json::to_string)
                .transpose()
                .map_err(|e| ConnectorError::NotSent {
                    detail: format!("cannot serialise the request: {e}"),
                })?;
        let mut headers = HeaderMap::new();
        let (name, value) = secret_header(
            "authorization",
            &format!("Bearer {}", self.credentials.api_key.expose_secret()),
        )?;
        headers.insert(name, value);
        self.throttle().await?;
        self.http
            .send(Call {
                method,
                url: join(&self.base_url, path),
                label,
                key,
                headers,
                body,
            })
            .await
    }

    async fn post<B: Serialize>(
        &self,
        path: &str,
        key: &str,
        body: &B,
    ) -> Result<Reply, ConnectorError> {
        self.call(Method::POST, path, path, key, Some(body)).await
    }

    fn context(intent: &Intent, provider_ref: Option<String>) -> AnswerContext {
        AnswerContext {
            provider_ref,
            otp_after_init: awaits_otp_after_init(intent),
            minor_per_major: intent.request.amount.currency.minor_per_major(),
        }
    }

    async fn init(&self, intent: &Intent) -> Result<Answer, ConnectorError> {
        let req = &intent.request;
        let phone = req
            .phone
            .as_ref()
            .ok_or_else(|| not_sent("no customer phone"))?;
        let collection = req.kind == Kind::Collection;
        let body = InitRequest {
            external_transaction_id: &intent.idempotency_key,
            service_code: &req.native_id,
            amount: whole_amount(intent)?,
            number: &phone.wire,
            callback_url: intent.callback_url.as_deref(),
            // A collection may send the customer through a provider page (Wave's cashout_url):
            // tell it where to go afterwards. Cash-in and airtime have no customer page.
            success_url: collection.then_some(self.urls.success.as_str()),
            failure_url: collection.then_some(self.urls.failure.as_str()),
        };
        let reply = self
            .post("/transaction/init", &intent.idempotency_key, &body)
            .await?;
        let body = transformers::success_body(CallKind::Submit, &reply)?;
        transformers::transaction_answer(body, &Self::context(intent, None))
    }

    async fn bill_pay(&self, intent: &Intent) -> Result<Answer, ConnectorError> {
        let req = &intent.request;
        let reference = req
            .extras
            .get(&ExtraField::ReferenceClient)
            .ok_or_else(|| not_sent("no reference_client (meter / police number)"))?;
        let body = BillPayRequest {
            service_code: &req.native_id,
            reference_client: reference,
            // Seed 001: required for Woyofal, ignored for SenEau/Senelec (bill-imposed).
            amount: match req.kind {
                Kind::Prepaid => Some(whole_amount(intent)?),
                _ => None,
            },
            reference_facture: intent.invoice_ref.as_deref(),
            external_transaction_id: &intent.idempotency_key,
            callback_url: intent.callback_url.as_deref(),
        };
        let reply = self
            .post("/billing/pay", &intent.idempotency_key, &body)
            .await?;
        let body = transformers::success_body(CallKind::Submit, &reply)?;
        transformers::transaction_answer(body, &Self::context(intent, None))
    }

    async fn link(&self, intent: &Intent) -> Result<Answer, ConnectorError> {
        let req = &intent.request;
        let body = LinkRequest {
            external_transaction_id: &intent.idempotency_key,
            // [gap] ItemName is required; an intent without one gets a neutral label.
            item_name: intent
                .item_name
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .unwrap_or("Paiement"),
            item_price: whole_amount(intent)?,
            callback_url: intent
                .callback_url
                .as_deref()
                .unwrap_or(&self.urls.callback),
            success_url: &self.urls.success,
            failure_url: &self.urls.failure,
            client_phone: req.phone.as_ref().map(|p| p.wire.as_str()),
        };
        let reply = self
            .post(
                "/transaction/merchant/get-link",
                &intent.idempotency_key,
                &body,
            )
            .await?;
        let body = transformers::success_body(CallKind::Submit, &reply)?;
        transformers::transaction_answer(body, &Self::context(intent, None))
    }
}

/// A limiter that never lets more than `per_minute` requests into any 60-second window: a
/// `burst`, then one every 60 s / (`per_minute` − `burst`).
fn limiter(per_minute: u32, burst: u32) -> DefaultDirectRateLimiter {
    let per_minute = per_minute.max(2);
    let burst = burst.clamp(1, per_minute - 1);
    let period = Duration::from_secs(60) / (per_minute - burst);
    let quota = Quota::with_period(period)
        .unwrap_or_else(|| Quota::per_minute(NonZeroU32::MIN))
        .allow_burst(NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN));
    RateLimiter::direct(quota)
}

fn not_sent(what: &str) -> ConnectorError {
    ConnectorError::NotSent {
        detail: format!("cannot build the DEXCHANGE request: {what}"),
    }
}

/// DEXCHANGE takes whole FCFA.
fn whole_amount(intent: &Intent) -> Result<i64, ConnectorError> {
    intent
        .request
        .amount
        .whole_major()
        .ok_or_else(|| not_sent("the amount has a fraction; DEXCHANGE takes whole units"))
}

fn awaits_otp_after_init(intent: &Intent) -> bool {
    intent.request.kind == Kind::Collection && intent.request.native_id == OTP_AFTER_INIT_SERVICE
}

#[async_trait]
impl Connector for DexchangeConnector {
    fn provider(&self) -> Provider {
        Provider::Dexchange
    }

    async fn submit(&self, intent: &Intent) -> Result<Answer, ConnectorError> {
        match intent.request.kind {
            Kind::Bill | Kind::Prepaid => self.bill_pay(intent).await,
            Kind::Airtime | Kind::Collection | Kind::Disbursement => self.init(intent).await,
            Kind::PaymentLink => self.link(intent).await,
        }
    }

    /// With the provider's id: `GET /transaction/{id}` (`/transaction/merchant/{id}` for links).
    ///
    /// [gap] Without it, DEXCHANGE has no lookup by externalTransactionId: the only question we
    /// can ask is to resend the SAME intent with the SAME key. If the first request reached
    /// DEXCHANGE, it answers 409 ([`ConnectorError::Duplicate`]) and moves nothing; if it never
    /// did, this is that one request arriving, still exactly once per cashier intent. The engine
    /// decides what a `Duplicate` means for the operation.
    async fn status(&self, probe: &Probe) -> Result<Answer, ConnectorError> {
        // [gap] DEXCHANGE has no lookup by externalTransactionId. A status call must never move
        // money, so without the provider's id there is nothing to ask; the engine decides
        // whether resending the same intent (a deliberate, recorded `submit`) is safe.
        let Some(id) = probe.provider_ref.as_deref() else {
            return Err(ConnectorError::Unsupported {
                provider: Provider::Dexchange,
                what: "status without the provider's transaction id",
            });
        };
        let (path, label) = if probe.intent.request.kind == Kind::PaymentLink {
            (
                format!("/transaction/merchant/{}", path_segment(id)),
                "/transaction/merchant/{id}",
            )
        } else {
            (
                format!("/transaction/{}", path_segment(id)),
                "/transaction/{id}",
            )
        };
        let reply = self
            .call(
                Method::GET,
                &path,
                label,
                &probe.idempotency_key,
                None::<&()>,
            )
            .await?;
        let body = transformers::success_body(CallKind::Lookup, &reply)?;
        transformers::transaction_answer(body, &Self::context(&probe.intent, Some(id.to_owned())))
    }

    /// `POST /transaction/confirm/wizall`. A refused OTP comes back as
    /// [`ConnectorError::Refused`] ("Invalid OTP"): the operation itself stays pending at
    /// DEXCHANGE and may be confirmed again.
    async fn confirm_otp(&self, probe: &Probe, otp: &str) -> Result<Answer, ConnectorError> {
        if !awaits_otp_after_init(&probe.intent) {
            return Err(ConnectorError::Unsupported {
                provider: Provider::Dexchange,
                what: "OTP confirmation for this service",
            });
        }
        let Some(id) = probe.provider_ref.as_deref() else {
            return Err(ConnectorError::Unsupported {
                provider: Provider::Dexchange,
                what: "OTP confirmation without DEXCHANGE's transaction id",
            });
        };
        let body = ConfirmWizallRequest {
            transaction_id: id,
            otp,
        };
        let reply = self
            .post("/transaction/confirm/wizall", &probe.idempotency_key, &body)
            .await?;
        let body = transformers::success_body(CallKind::Lookup, &reply)?;
        transformers::transaction_answer(body, &Self::context(&probe.intent, Some(id.to_owned())))
    }

    async fn bill_inquiry(
        &self,
        service_native_id: &str,
        reference_client: &str,
    ) -> Result<Vec<Bill>, ConnectorError> {
        let body = InquiryRequest {
            service_code: service_native_id,
            reference_client,
        };
        let reply = self.post("/billing/inquiry", "", &body).await?;
        let body = transformers::success_body(CallKind::Other, &reply)?;
        transformers::bills(body)
    }

    async fn account_services(&self) -> Result<Option<Vec<String>>, ConnectorError> {
        let reply = self
            .call(
                Method::GET,
                "/api-services/services",
                "/api-services/services",
                "",
                None::<&()>,
            )
            .await?;
        let body = transformers::success_body(CallKind::Other, &reply)?;
        transformers::service_codes(body).map(Some)
    }

    async fn balance(&self) -> Result<Balance, ConnectorError> {
        let reply = self
            .call(
                Method::GET,
                "/api-services/balance",
                "/api-services/balance",
                "",
                None::<&()>,
            )
            .await?;
        let body = transformers::success_body(CallKind::Other, &reply)?;
        transformers::balance(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_prints_the_key() {
        let c = DexchangeConnector::new(
            Endpoint {
                base_url: "http://127.0.0.1:9/api/v1/".into(),
                timeout: Duration::from_secs(1),
            },
            DexchangeCredentials::new("very-secret-key"),
        );
        let text = format!("{c:?}");
        assert!(!text.contains("very-secret-key"), "{text}");
        assert!(text.contains("http://127.0.0.1:9/api/v1\""), "{text}");
    }

    #[tokio::test]
    async fn the_limiter_never_allows_more_than_the_limit_in_a_minute() {
        // 100 a minute, 10 at once: the 11th request of a burst waits ~667 ms.
        let c = DexchangeConnector::new(
            Endpoint {
                base_url: "http://127.0.0.1:9".into(),
                timeout: Duration::from_secs(1),
            },
            DexchangeCredentials::new("k"),
        )
        .with_rate_limit(RATE_LIMIT_PER_MINUTE, RATE_LIMIT_BURST, Duration::ZERO);
        for _ in 0..RATE_LIMIT_BURST {
            c.throttle().await.unwrap();
        }
        match c.throttle().await {
            Err(ConnectorError::Unavailable {
                retry_after: Some(d),
                ..
            }) => assert!(d > Duration::from_millis(600) && d <= Duration::from_millis(667)),
            other => panic!("{other:?}"),
        }
    }
}
