//! Configuration of a sandbox: seed, credentials, timings and starting balances.
//!
//! Every value has a default so that `guichet-sandbox` (and `Sandbox::builder()`) works with no
//! argument at all; the defaults are printed by the binary at start.

use std::time::Duration;

use serde::Serialize;

/// Default DEXCHANGE API key (`Authorization: Bearer …`).
pub const DEFAULT_DEXCHANGE_KEY: &str = "sandbox-dexchange-key";
/// Default EASYTRANSFERT API key (`api_key` in the body, `x-api-key` for the wallet).
pub const DEFAULT_EASYTRANSFERT_KEY: &str = "sandbox-easytransfert-key";
/// Default gateway merchant public id (the example of seed 004).
pub const DEFAULT_UNIPESA_PUBLIC_ID: &str = "f54ec96649be11ebb3780242ac130002";
/// Default gateway merchant id (the example of seed 004).
pub const DEFAULT_UNIPESA_MERCHANT_ID: &str = "e0fecd91fcb24f348048193b3fb34875ba3722b4";
/// Default gateway secret key (the example secret of seed 004's PHP sample).
pub const DEFAULT_UNIPESA_SECRET: &str = "cf11635572c1e8d77297207152dc0791ad91f22b32d23c758ce3ba2637202ad8f7290ba41f2243cccf32edde1dfb8bf0f5dea62525309e293b3adb2c76eed6a5";
/// Default seed.
pub const DEFAULT_SEED: u64 = 42;

/// The credentials the sandbox accepts, one set per provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Credentials {
    /// DEXCHANGE bearer API key.
    pub dexchange_key: String,
    /// EASYTRANSFERT api_key.
    pub easytransfert_key: String,
    /// Gateway merchant public id (path segment).
    pub unipesa_public_id: String,
    /// Gateway merchant id (`merchant_id` field).
    pub unipesa_merchant_id: String,
    /// Gateway HMAC-SHA512 secret key.
    pub unipesa_secret: String,
}

impl Default for Credentials {
    fn default() -> Self {
        Self {
            dexchange_key: DEFAULT_DEXCHANGE_KEY.into(),
            easytransfert_key: DEFAULT_EASYTRANSFERT_KEY.into(),
            unipesa_public_id: DEFAULT_UNIPESA_PUBLIC_ID.into(),
            unipesa_merchant_id: DEFAULT_UNIPESA_MERCHANT_ID.into(),
            unipesa_secret: DEFAULT_UNIPESA_SECRET.into(),
        }
    }
}

/// How fast the simulated world moves. Tests set these short.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Timings {
    /// Base delay before a "customer" approves a pending cash-out (collection). The actual delay
    /// of each transaction is seeded: between this value and 1.5 × this value.
    pub approve_after: Duration,
    /// Base delay before an accepted asynchronous operation (cash-in, airtime, b2c, PROCESSING
    /// Woyofal top-up, EASYTRANSFERT operation) reaches its final state; seeded like `approve_after`.
    pub settle_after: Duration,
    /// When false, pending customer actions wait for the admin API (no automatic approval).
    pub auto_approve: bool,
    /// Time after which an unpaid DEXCHANGE payment link turns EXPIRED.
    pub link_ttl: Duration,
    /// How many times a failed callback/webhook/IPN is retried (after the first attempt).
    pub callback_retries: u32,
    /// Delay before the first retry; doubles at each retry.
    pub callback_backoff: Duration,
    /// Timeout of one callback POST.
    pub callback_timeout: Duration,
    /// Longest time a `hang_after_commit` fault holds a request before cutting the connection.
    pub hang_max: Duration,
}

impl Default for Timings {
    fn default() -> Self {
        Self {
            approve_after: Duration::from_millis(5_000),
            settle_after: Duration::from_millis(2_000),
            auto_approve: true,
            link_ttl: Duration::from_secs(900),
            callback_retries: 3,
            callback_backoff: Duration::from_millis(500),
            callback_timeout: Duration::from_secs(5),
            hang_max: Duration::from_secs(300),
        }
    }
}

impl Timings {
    /// Short timings for tests: approvals after 50 ms, settlement after 30 ms, links expire
    /// after 2 s, callbacks retried quickly.
    pub fn fast() -> Self {
        Self {
            approve_after: Duration::from_millis(50),
            settle_after: Duration::from_millis(30),
            auto_approve: true,
            link_ttl: Duration::from_secs(2),
            callback_retries: 3,
            callback_backoff: Duration::from_millis(20),
            callback_timeout: Duration::from_secs(2),
            hang_max: Duration::from_secs(30),
        }
    }
}

/// Merchant balances the sandbox starts with, in whole currency units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Balances {
    /// DEXCHANGE account balance (XOF).
    pub dexchange: i64,
    /// EASYTRANSFERT partner wallet (XOF).
    pub easytransfert: i64,
    /// Gateway merchant balance, the same starting amount in every currency.
    pub unipesa: i64,
}

impl Default for Balances {
    fn default() -> Self {
        Self {
            dexchange: 5_000_000,
            easytransfert: 5_000_000,
            unipesa: 5_000_000,
        }
    }
}

/// Everything a sandbox is made from. Same config (in particular the same seed) → same behaviour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Config {
    /// Seed of every random choice (customer book, ids, delays, outcomes, faults).
    pub seed: u64,
    /// Accepted credentials.
    pub credentials: Credentials,
    /// Speed of the simulated world.
    pub timings: Timings,
    /// Starting balances.
    pub balances: Balances,
    /// DEXCHANGE's documented rate limit (requests per rolling minute, 100 on the standard
    /// tier), enforced with HTTP 429 when set. Off by default so tests and training are not
    /// throttled; the `rate_limit` fault injects 429s at random either way.
    pub dexchange_rate_limit: Option<u32>,
    /// DEXCHANGE serviceCodes this merchant account does not offer ("services may vary
    /// depending on your account", seed 000): left out of `/api-services/services` and refused
    /// by `/transaction/init` and the billing routes. Empty by default: every service.
    pub dexchange_lacks: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            seed: DEFAULT_SEED,
            credentials: Credentials::default(),
            timings: Timings::default(),
            balances: Balances::default(),
            dexchange_rate_limit: None,
            dexchange_lacks: Vec::new(),
        }
    }
}

impl Config {
    /// Whether the DEXCHANGE account offers this serviceCode (see `dexchange_lacks`).
    pub fn dexchange_offers(&self, code: &str) -> bool {
        !self.dexchange_lacks.iter().any(|c| c == code)
    }

    /// The default configuration with the given seed.
    pub fn with_seed(seed: u64) -> Self {
        Self {
            seed,
            ..Self::default()
        }
    }
}
