//! The simulated world: every transaction the sandbox recorded, the merchant balances, the
//! customer book and the seeded randomness. Kept behind one `Mutex` in [`crate::SandboxState`];
//! nothing here awaits.

pub mod book;

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use serde_json::{json, Value};

use crate::config::Config;
use book::Book;

/// Which provider a transaction belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    /// DEXCHANGE.
    Dexchange,
    /// EASYTRANSFERT.
    Easytransfert,
    /// The Unipesa-engine gateway.
    Unipesa,
}

impl Provider {
    /// The lowercase name used in the admin API.
    pub fn name(self) -> &'static str {
        match self {
            Provider::Dexchange => "dexchange",
            Provider::Easytransfert => "easytransfert",
            Provider::Unipesa => "unipesa",
        }
    }
}

/// Normalised status of a transaction, as the admin API reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Accepted, waiting (customer, settlement, payment).
    Pending,
    /// Accepted and being processed (DEXCHANGE `PROCESSING`).
    Processing,
    /// Final: money moved.
    Success,
    /// Final: no money moved (or refunded).
    Failed,
    /// Final: cancelled.
    Cancelled,
    /// Final: payment link expired.
    Expired,
}

impl Status {
    /// Whether no further change can happen.
    pub fn is_final(self) -> bool {
        !matches!(self, Status::Pending | Status::Processing)
    }
}

/// What kind of money movement a transaction is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Merchant → customer wallet (DEXCHANGE CASHIN, EASYTRANSFERT cash-in, gateway b2c): debit.
    CashIn,
    /// Customer wallet → merchant (DEXCHANGE CASHOUT, EASYTRANSFERT cash-out, gateway c2b): credit.
    CashOut,
    /// Phone credit (DEXCHANGE AIRTIME): debit.
    Airtime,
    /// SenEau / Senelec bill: debit, synchronous.
    Bill,
    /// Woyofal prepaid top-up: debit, maybe asynchronous.
    Woyofal,
    /// DEXCHANGE payment link: credit when paid.
    Link,
}

impl Kind {
    /// Whether the merchant is credited (rather than debited) on success.
    pub fn is_credit(self) -> bool {
        matches!(self, Kind::CashOut | Kind::Link)
    }
}

/// What a non-final transaction is waiting for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Waiting {
    /// The customer's approval (automatic after the approve delay, or the admin API).
    Customer,
    /// An OTP through `/transaction/confirm/wizall`.
    Otp,
    /// The provider's settlement (automatic after the settle delay).
    Settlement,
    /// Someone to pay the link (admin API) before the TTL.
    Payment,
    /// Nothing automatic will happen (simulator provider 14, silent wallets).
    Forever,
    /// Final.
    Nothing,
}

/// Gateway-specific data of a transaction.
#[derive(Debug, Clone)]
pub struct GatewayInfo {
    /// 16 payment_b2c, 17 payment_c2b.
    pub operation_type: u8,
    /// The provider id as sent (number or string).
    pub provider_id: Value,
    /// The provider id as a number.
    pub provider: u32,
    /// `transaction_ref`, empty until success.
    pub transaction_ref: String,
    /// `provider_result` code and message.
    pub provider_result: (i64, String),
    /// Whether this is the simulator (provider 14).
    pub simulator: bool,
    /// `service_id` of the answers (1 c2b, 11 b2c, as in seed 004's examples).
    pub service_id: u32,
}

/// One transaction the sandbox recorded.
#[derive(Debug, Clone)]
pub struct Txn {
    /// Index in the world's list.
    pub seq: usize,
    /// Provider.
    pub provider: Provider,
    /// Kind of movement.
    pub kind: Kind,
    /// serviceCode (DEXCHANGE), service_id (EASYTRANSFERT) or provider_id (gateway), as text.
    pub service: String,
    /// Human name of the service.
    pub service_name: String,
    /// Our idempotency key: externalTransactionId, order_id, or EASYTRANSFERT custom_data.
    pub external_id: Option<String>,
    /// The provider's id (transactionId, transaction_id).
    pub provider_id: String,
    /// Amount in whole currency units (gateway: hundredths, see [`Txn::amount_value`]).
    pub amount: i64,
    /// Fee, same unit as `amount` (negative for a commission).
    pub fee: i64,
    /// Currency code.
    pub currency: String,
    /// Customer number / reference / meter.
    pub customer: String,
    /// Normalised status.
    pub status: Status,
    /// The provider's own status value.
    pub native_status: String,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Time it became final.
    pub completed_at: Option<DateTime<Utc>>,
    /// Where to POST the callback / webhook / IPN.
    pub callback_url: Option<String>,
    /// What it waits for.
    pub waiting: Waiting,
    /// Planned final outcome: `None` = success, `Some(reason)` = failure.
    pub planned_failure: Option<String>,
    /// Whether amount + fee was debited at acceptance (so a failure refunds it).
    pub debited: bool,
    /// Balance before the movement.
    pub previous_balance: Option<i64>,
    /// Balance after the movement.
    pub current_balance: Option<i64>,
    /// customData / custom_data.
    pub custom_data: Option<String>,
    /// Woyofal token.
    pub token: Option<String>,
    /// Bill number.
    pub reference_facture: Option<String>,
    /// Payment link item name.
    pub item_name: Option<String>,
    /// Why it failed.
    pub failure_reason: Option<String>,
    /// EASYTRANSFERT spelling of success for this transaction (`SUCCESSFUL` or `SUCCESS`).
    pub et_success: &'static str,
    /// Gateway data.
    pub gateway: Option<GatewayInfo>,
}

impl Txn {
    /// A new pending transaction with the given essentials; callers fill in the rest.
    pub fn new(provider: Provider, kind: Kind, service: &str, provider_id: String) -> Self {
        Self {
            seq: 0,
            provider,
            kind,
            service: service.into(),
            service_name: String::new(),
            external_id: None,
            provider_id,
            amount: 0,
            fee: 0,
            currency: "XOF".into(),
            customer: String::new(),
            status: Status::Pending,
            native_status: "PENDING".into(),
            created_at: Utc::now(),
            completed_at: None,
            callback_url: None,
            waiting: Waiting::Nothing,
            planned_failure: None,
            debited: false,
            previous_balance: None,
            current_balance: None,
            custom_data: None,
            token: None,
            reference_facture: None,
            item_name: None,
            failure_reason: None,
            et_success: "SUCCESSFUL",
            gateway: None,
        }
    }

    /// The amount as a JSON number in whole units (gateway amounts are kept in hundredths).
    pub fn amount_value(&self) -> Value {
        money_value(self.provider, self.amount)
    }

    /// The fee as a JSON number in whole units.
    pub fn fee_value(&self) -> Value {
        money_value(self.provider, self.fee)
    }

    /// The admin view of this transaction.
    pub fn view(&self) -> Value {
        json!({
            "provider": self.provider,
            "service": self.service,
            "external_id": self.external_id,
            "provider_id": self.provider_id,
            "amount": self.amount_value(),
            "fee": self.fee_value(),
            "currency": self.currency,
            "status": self.status,
            "native_status": self.native_status,
            "created_at": iso(self.created_at),
            "completed_at": self.completed_at.map(iso),
            "kind": self.kind,
            "customer": self.customer,
            "waiting": self.waiting,
            "token": self.token,
            "failure_reason": self.failure_reason,
            "callback_url": self.callback_url,
        })
    }
}

/// A money amount as JSON: whole units, hundredths for the gateway.
pub fn money_value(provider: Provider, amount: i64) -> Value {
    if provider == Provider::Unipesa {
        if amount % 100 == 0 {
            json!(amount / 100)
        } else {
            json!(amount as f64 / 100.0)
        }
    } else {
        json!(amount)
    }
}

/// RFC 3339 UTC with seconds, e.g. `2024-03-20T10:35:00Z`.
pub fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A callback, webhook or IPN to deliver.
#[derive(Debug, Clone)]
pub struct Outgoing {
    /// Provider that sends it.
    pub provider: Provider,
    /// Provider id of the transaction it is about.
    pub transaction: String,
    /// Target URL.
    pub url: String,
    /// Exact JSON body.
    pub body: String,
}

/// Not enough money on the merchant balance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Insufficient;

/// The whole simulated world.
#[derive(Debug)]
pub struct World {
    /// The configuration it was built from.
    pub config: Config,
    /// The customer book.
    pub book: Book,
    /// Every transaction, in creation order.
    pub txns: Vec<Txn>,
    /// DEXCHANGE balance (XOF).
    pub dexchange_balance: i64,
    /// EASYTRANSFERT wallet (XOF).
    pub easytransfert_balance: i64,
    /// Gateway balances per currency, in hundredths.
    pub unipesa_balances: HashMap<String, i64>,
    /// Last time each balance changed.
    pub balance_updated: HashMap<Provider, DateTime<Utc>>,
    /// DEXCHANGE externalTransactionId → transaction (init and billing share one namespace).
    pub dex_external: HashMap<String, usize>,
    /// DEXCHANGE payment-link externalTransactionId → transaction.
    pub dex_link_external: HashMap<String, usize>,
    /// Gateway order_id → the first answer given for it (exact body) and its transaction.
    pub gw_answers: HashMap<String, (String, Option<usize>)>,
    /// (provider, provider id) → transaction.
    by_provider_id: HashMap<(Provider, String), usize>,
    counters: HashMap<&'static str, u64>,
    bases: HashMap<&'static str, u64>,
    /// RNG for faults (order-dependent by nature).
    pub fault_rng: ChaCha8Rng,
}

/// FNV-1a, to derive per-key seeds that do not depend on request order.
fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

impl World {
    /// A fresh world from a configuration.
    pub fn new(config: Config) -> Self {
        let seed = config.seed;
        let mut book_rng = ChaCha8Rng::seed_from_u64(seed ^ fnv1a("book"));
        let book = Book::generate(&mut book_rng);
        let mut bases = HashMap::new();
        for (name, lo, hi) in [
            ("TID", 100_000_000u64, 800_000_000u64),
            ("MID", 100_000_000, 800_000_000),
            ("EFB", 100_000, 800_000),
            ("GW", 100_000_000_000, 800_000_000_000),
        ] {
            let mut r = ChaCha8Rng::seed_from_u64(seed ^ fnv1a(name));
            bases.insert(name, r.gen_range(lo..hi));
        }
        let unipesa_balances = crate::unipesa::providers::currencies()
            .into_iter()
            .map(|c| (c.to_string(), config.balances.unipesa * 100))
            .collect();
        Self {
            book,
            txns: Vec::new(),
            dexchange_balance: config.balances.dexchange,
            easytransfert_balance: config.balances.easytransfert,
            unipesa_balances,
            balance_updated: HashMap::new(),
            dex_external: HashMap::new(),
            dex_link_external: HashMap::new(),
            gw_answers: HashMap::new(),
            by_provider_id: HashMap::new(),
            counters: HashMap::new(),
            bases,
            fault_rng: ChaCha8Rng::seed_from_u64(seed ^ fnv1a("faults")),
            config,
        }
    }

    /// An RNG that depends only on the seed and `key` (not on request order).
    pub fn rng_for(&self, key: &str) -> ChaCha8Rng {
        ChaCha8Rng::seed_from_u64(self.config.seed ^ fnv1a(key))
    }

    /// A seeded delay between `base` and 1.5 × `base`, fixed for `key`.
    pub fn delay_for(&self, base: Duration, key: &str) -> Duration {
        let mut r = self.rng_for(key);
        let extra = r.gen_range(0.0..0.5);
        base + base.mul_f64(extra)
    }

    fn next(&mut self, name: &'static str) -> u64 {
        let c = self.counters.entry(name).or_insert(0);
        *c += 1;
        self.bases[name] + *c
    }

    /// Next DEXCHANGE transaction id (`TID…`).
    pub fn next_dexchange_id(&mut self) -> String {
        format!("TID{}", self.next("TID"))
    }

    /// Next DEXCHANGE payment-link id (`MID…`).
    pub fn next_link_id(&mut self) -> String {
        format!("MID{}", self.next("MID"))
    }

    /// Next EASYTRANSFERT id (`EFB.…`).
    pub fn next_easytransfert_id(&mut self) -> String {
        format!("EFB.{:06}", self.next("EFB"))
    }

    /// Next gateway transaction id (12 digits).
    pub fn next_gateway_id(&mut self) -> String {
        format!("{}", self.next("GW"))
    }

    /// Records a transaction; returns its index.
    pub fn insert(&mut self, mut txn: Txn) -> usize {
        let idx = self.txns.len();
        txn.seq = idx;
        self.by_provider_id
            .insert((txn.provider, txn.provider_id.clone()), idx);
        self.txns.push(txn);
        idx
    }

    /// The transaction with this provider id.
    pub fn by_provider_id(&self, provider: Provider, id: &str) -> Option<usize> {
        self.by_provider_id
            .get(&(provider, id.to_string()))
            .copied()
    }

    /// Finds a transaction for the admin API, by provider id first, then by external id
    /// (the most recent one if several share it).
    pub fn find(&self, id: &str) -> Option<usize> {
        for p in [
            Provider::Dexchange,
            Provider::Easytransfert,
            Provider::Unipesa,
        ] {
            if let Some(i) = self.by_provider_id(p, id) {
                return Some(i);
            }
        }
        self.txns
            .iter()
            .rev()
            .find(|t| t.external_id.as_deref() == Some(id))
            .map(|t| t.seq)
    }

    fn balance_mut(&mut self, provider: Provider, currency: &str) -> &mut i64 {
        match provider {
            Provider::Dexchange => &mut self.dexchange_balance,
            Provider::Easytransfert => &mut self.easytransfert_balance,
            Provider::Unipesa => self
                .unipesa_balances
                .entry(currency.to_string())
                .or_insert(0),
        }
    }

    /// The current balance of a provider account (gateway: hundredths of `currency`).
    pub fn balance(&self, provider: Provider, currency: &str) -> i64 {
        match provider {
            Provider::Dexchange => self.dexchange_balance,
            Provider::Easytransfert => self.easytransfert_balance,
            Provider::Unipesa => self.unipesa_balances.get(currency).copied().unwrap_or(0),
        }
    }

    /// Debits `amount` (already including the fee); returns (previous, current).
    pub fn debit(
        &mut self,
        provider: Provider,
        currency: &str,
        amount: i64,
    ) -> Result<(i64, i64), Insufficient> {
        let b = self.balance_mut(provider, currency);
        if *b < amount {
            return Err(Insufficient);
        }
        let prev = *b;
        *b -= amount;
        let cur = *b;
        self.balance_updated.insert(provider, Utc::now());
        Ok((prev, cur))
    }

    /// Credits `amount`; returns (previous, current).
    pub fn credit(&mut self, provider: Provider, currency: &str, amount: i64) -> (i64, i64) {
        let b = self.balance_mut(provider, currency);
        let prev = *b;
        *b += amount;
        let cur = *b;
        self.balance_updated.insert(provider, Utc::now());
        (prev, cur)
    }

    /// Last time a balance changed (or now if never).
    pub fn balance_updated_at(&self, provider: Provider) -> DateTime<Utc> {
        self.balance_updated
            .get(&provider)
            .copied()
            .unwrap_or_else(Utc::now)
    }

    /// Sets a balance from the admin API.
    pub fn set_balance(&mut self, provider: Provider, currency: &str, amount: i64) {
        *self.balance_mut(provider, currency) = amount;
        self.balance_updated.insert(provider, Utc::now());
    }

    /// Balances as served by the admin API.
    pub fn balances_view(&self) -> Value {
        let mut gw = serde_json::Map::new();
        let mut currencies: Vec<_> = self.unipesa_balances.keys().cloned().collect();
        currencies.sort();
        for c in currencies {
            gw.insert(
                c.clone(),
                money_value(Provider::Unipesa, self.unipesa_balances[&c]),
            );
        }
        json!({
            "dexchange": self.dexchange_balance,
            "easytransfert": self.easytransfert_balance,
            "unipesa": gw,
        })
    }

    /// A seeded 20-digit Woyofal token for a transaction.
    pub fn token_for(&self, provider_id: &str) -> String {
        let mut r = self.rng_for(&format!("token:{provider_id}"));
        let mut s = String::with_capacity(20);
        for _ in 0..20 {
            s.push(char::from(b'0' + r.gen_range(0..10u8)));
        }
        s
    }

    /// Makes a transaction final. `failure` = `None` means success. Moves the balance (credit on
    /// a successful collection, refund of amount + fee on a failed debit), then builds the
    /// callback to send if the transaction has a URL.
    pub fn finalize(&mut self, idx: usize, failure: Option<String>) -> Option<Outgoing> {
        if self.txns[idx].status.is_final() {
            return None;
        }
        let (provider, kind, currency, amount, fee, debited) = {
            let t = &self.txns[idx];
            (
                t.provider,
                t.kind,
                t.currency.clone(),
                t.amount,
                t.fee,
                t.debited,
            )
        };
        let mut balances = None;
        match &failure {
            None if kind.is_credit() => {
                balances = Some(self.credit(provider, &currency, amount - fee));
            }
            Some(_) if debited => {
                balances = Some(self.credit(provider, &currency, amount + fee));
            }
            _ => {}
        }
        let token = if failure.is_none() && kind == Kind::Woyofal {
            Some(self.token_for(&self.txns[idx].provider_id))
        } else {
            None
        };
        let transaction_ref = {
            let mut r = self.rng_for(&format!("ref:{}", self.txns[idx].provider_id));
            format!(
                "MP.{:05}.{:03}.CP{:02}",
                r.gen_range(0..100_000),
                r.gen_range(0..1000),
                r.gen_range(0..100)
            )
        };
        let t = &mut self.txns[idx];
        if let Some((prev, cur)) = balances {
            t.previous_balance = Some(prev);
            t.current_balance = Some(cur);
        }
        t.completed_at = Some(Utc::now());
        t.waiting = Waiting::Nothing;
        match failure {
            None => {
                t.status = Status::Success;
                if token.is_some() && t.token.is_none() {
                    t.token = token;
                }
                t.native_status = match provider {
                    Provider::Dexchange => "SUCCESS".into(),
                    Provider::Easytransfert => t.et_success.into(),
                    Provider::Unipesa => "2".into(),
                };
                if let Some(g) = t.gateway.as_mut() {
                    g.transaction_ref = transaction_ref;
                    g.provider_result = (0, "OK".into());
                }
            }
            Some(reason) => {
                t.status = Status::Failed;
                t.native_status = match provider {
                    Provider::Unipesa => "3".into(),
                    _ => "FAILED".into(),
                };
                if let Some(g) = t.gateway.as_mut() {
                    g.provider_result = (1, reason.clone());
                }
                t.failure_reason = Some(reason);
            }
        }
        self.outgoing(idx)
    }

    /// Turns an unpaid payment link EXPIRED.
    pub fn expire(&mut self, idx: usize) -> Option<Outgoing> {
        let t = &mut self.txns[idx];
        if t.status.is_final() {
            return None;
        }
        t.status = Status::Expired;
        t.native_status = "EXPIRED".into();
        t.waiting = Waiting::Nothing;
        t.completed_at = Some(Utc::now());
        self.outgoing(idx)
    }

    /// The callback for the current state of a transaction, if it has a URL.
    pub fn outgoing(&self, idx: usize) -> Option<Outgoing> {
        let t = &self.txns[idx];
        let url = t.callback_url.clone().filter(|u| !u.is_empty())?;
        let body = match t.provider {
            Provider::Dexchange => crate::dexchange::webhook(t).to_string(),
            Provider::Easytransfert => {
                crate::easytransfert::ipn(t, &self.config.credentials.easytransfert_key).to_string()
            }
            Provider::Unipesa => {
                let g = t.gateway.as_ref()?;
                if g.simulator {
                    // Provider 14: "the callback is not returned" (seed 004).
                    return None;
                }
                crate::unipesa::callback_body(t, &self.config.credentials)
            }
        };
        Some(Outgoing {
            provider: t.provider,
            transaction: t.provider_id.clone(),
            url,
            body,
        })
    }
}
