//! A scripted connector: answers from queues, counts calls, remembers the keys it saw and the
//! status the ledger held for the operation when each call arrived.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use serde_json::{json, Value};

use crate::catalog::Provider;
use crate::connector::{Answer, Balance, Bill, Connector, ConnectorError, Intent, Probe};
use crate::ledger::{Details, Ledger, OperationStatus};

/// One scripted result.
pub type Scripted = Result<Answer, ConnectorError>;

/// What the fake saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// `submit`, `status`, `confirm_otp`.
    pub what: &'static str,
    /// The idempotency key.
    pub key: String,
    /// The provider ref in the probe.
    pub provider_ref: Option<String>,
    /// The OTP the intent carried (first sends only should).
    pub otp: Option<String>,
    /// The ledger's status of the operation when the call arrived.
    pub ledger_status: Option<OperationStatus>,
}

#[derive(Default)]
struct Queues {
    submit: VecDeque<Scripted>,
    status: VecDeque<Scripted>,
    confirm: VecDeque<Scripted>,
}

/// The fake.
pub struct Fake {
    provider: Provider,
    queues: Mutex<Queues>,
    calls: Mutex<Vec<Call>>,
    ledger: Mutex<Option<Ledger>>,
    delay: Mutex<Duration>,
}

impl Fake {
    /// A fake for a provider with empty scripts (every call: not sent).
    pub fn new(provider: Provider) -> Fake {
        Fake {
            provider,
            queues: Mutex::default(),
            calls: Mutex::default(),
            ledger: Mutex::default(),
            delay: Mutex::new(Duration::ZERO),
        }
    }

    /// Lets the fake note the ledger's status at each call.
    pub fn observe(&self, ledger: &Ledger) {
        *self.ledger.lock().unwrap() = Some(ledger.clone());
    }

    /// Each call waits this long before answering.
    pub fn set_delay(&self, d: Duration) {
        *self.delay.lock().unwrap() = d;
    }

    /// Queues submit results (the last one repeats).
    pub fn on_submit(&self, r: impl IntoIterator<Item = Scripted>) -> &Self {
        self.queues.lock().unwrap().submit.extend(r);
        self
    }

    /// Queues status results (the last one repeats).
    pub fn on_status(&self, r: impl IntoIterator<Item = Scripted>) -> &Self {
        self.queues.lock().unwrap().status.extend(r);
        self
    }

    /// Queues OTP confirmation results (the last one repeats).
    pub fn on_confirm(&self, r: impl IntoIterator<Item = Scripted>) -> &Self {
        self.queues.lock().unwrap().confirm.extend(r);
        self
    }

    /// Every call so far.
    pub fn calls(&self) -> Vec<Call> {
        self.calls.lock().unwrap().clone()
    }

    /// Calls of one kind.
    pub fn calls_of(&self, what: &str) -> Vec<Call> {
        self.calls()
            .into_iter()
            .filter(|c| c.what == what)
            .collect()
    }

    /// How many calls of one kind.
    pub fn count(&self, what: &str) -> usize {
        self.calls_of(what).len()
    }

    async fn record(
        &self,
        what: &'static str,
        key: &str,
        provider_ref: Option<String>,
        otp: Option<String>,
    ) {
        let ledger = self.ledger.lock().unwrap().clone();
        let ledger_status = match ledger {
            Some(l) => l
                .get_by_idempotency_key(key)
                .await
                .ok()
                .flatten()
                .map(|op| op.status),
            None => None,
        };
        self.calls.lock().unwrap().push(Call {
            what,
            key: key.to_owned(),
            provider_ref,
            otp,
            ledger_status,
        });
        let delay = *self.delay.lock().unwrap();
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
    }

    fn next(&self, pick: impl FnOnce(&mut Queues) -> &mut VecDeque<Scripted>) -> Scripted {
        let mut q = self.queues.lock().unwrap();
        let queue = pick(&mut q);
        match queue.len() {
            0 => Err(ConnectorError::NotSent {
                detail: "nothing scripted".into(),
            }),
            1 => dup(queue.front().unwrap()),
            _ => queue.pop_front().unwrap(),
        }
    }
}

/// A copy of a scripted result (ConnectorError is not Clone).
pub fn dup(r: &Scripted) -> Scripted {
    match r {
        Ok(a) => Ok(a.clone()),
        Err(e) => Err(match e {
            ConnectorError::NotSent { detail } => ConnectorError::NotSent {
                detail: detail.clone(),
            },
            ConnectorError::Ambiguous {
                detail,
                raw,
                provider_ref,
            } => ConnectorError::Ambiguous {
                detail: detail.clone(),
                raw: raw.clone(),
                provider_ref: provider_ref.clone(),
            },
            ConnectorError::Refused {
                native_code,
                message,
                raw,
            } => ConnectorError::Refused {
                native_code: native_code.clone(),
                message: message.clone(),
                raw: raw.clone(),
            },
            ConnectorError::Duplicate { raw } => ConnectorError::Duplicate { raw: raw.clone() },
            ConnectorError::Unauthorized { raw } => {
                ConnectorError::Unauthorized { raw: raw.clone() }
            }
            ConnectorError::Unavailable {
                detail,
                retry_after,
            } => ConnectorError::Unavailable {
                detail: detail.clone(),
                retry_after: *retry_after,
            },
            ConnectorError::NotFound { raw } => ConnectorError::NotFound { raw: raw.clone() },
            ConnectorError::Unsupported { provider, what } => ConnectorError::Unsupported {
                provider: *provider,
                what,
            },
        }),
    }
}

#[async_trait]
impl Connector for Fake {
    fn provider(&self) -> Provider {
        self.provider
    }

    async fn submit(&self, intent: &Intent) -> Result<Answer, ConnectorError> {
        self.record(
            "submit",
            &intent.idempotency_key,
            None,
            intent.request.otp.clone(),
        )
        .await;
        self.next(|q| &mut q.submit)
    }

    async fn status(&self, probe: &Probe) -> Result<Answer, ConnectorError> {
        self.record(
            "status",
            &probe.idempotency_key,
            probe.provider_ref.clone(),
            probe.intent.request.otp.clone(),
        )
        .await;
        self.next(|q| &mut q.status)
    }

    async fn confirm_otp(&self, probe: &Probe, otp: &str) -> Result<Answer, ConnectorError> {
        self.record(
            "confirm_otp",
            &probe.idempotency_key,
            probe.provider_ref.clone(),
            Some(otp.to_owned()),
        )
        .await;
        self.next(|q| &mut q.confirm)
    }

    async fn bill_inquiry(
        &self,
        service_native_id: &str,
        reference_client: &str,
    ) -> Result<Vec<Bill>, ConnectorError> {
        Ok(vec![Bill {
            reference_client: reference_client.to_owned(),
            reference_facture: Some(format!("{service_native_id}-F1")),
            payment_transaction_number: None,
            customer_name: "Awa Diop".into(),
            address: None,
            amount_minor: 104_500,
            fee_minor: 1_045,
            total_minor: 105_545,
            due_date: None,
            paid: false,
            meter_status: None,
        }])
    }

    async fn balance(&self) -> Result<Balance, ConnectorError> {
        Ok(Balance {
            amount_minor: 5_000_000,
            currency: "XOF".into(),
        })
    }
}

/// An answer with a status, a native word and maybe a provider ref.
pub fn answer(status: OperationStatus, native: &str, provider_ref: Option<&str>) -> Answer {
    Answer {
        status,
        native_status: native.to_owned(),
        provider_ref: provider_ref.map(str::to_owned),
        fee_minor: None,
        token: None,
        customer_url: None,
        awaits_otp: false,
        message: None,
        details: Details::new(),
        raw: json!({"Status": native, "transactionId": provider_ref, "api_key": "leak-me-not"}),
    }
}

/// An `Ambiguous` error (timeout).
pub fn timeout() -> ConnectorError {
    ConnectorError::ambiguous("timed out after 30 s", Value::Null)
}
