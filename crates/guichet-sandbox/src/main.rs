//! `guichet-sandbox`: serve the local stand-in for DEXCHANGE, EASYTRANSFERT and the gateway.

use std::time::Duration;

use clap::Parser;
use guichet_sandbox::config::{
    DEFAULT_DEXCHANGE_KEY, DEFAULT_EASYTRANSFERT_KEY, DEFAULT_SEED, DEFAULT_UNIPESA_MERCHANT_ID,
    DEFAULT_UNIPESA_PUBLIC_ID, DEFAULT_UNIPESA_SECRET,
};
use guichet_sandbox::{Balances, Config, Credentials, Faults, Sandbox, Timings};

const AFTER_HELP: &str = "\
PROVIDERS (one server, one prefix each; the base URLs are printed at start)
  DEXCHANGE      {root}/dexchange/api/v1       Authorization: Bearer <--dexchange-key>
                 GET  /api-services/services, /api-services/balance
                 POST /transaction/init (CASHIN, CASHOUT, AIRTIME), GET /transaction/{id}
                 POST /transaction/confirm/wizall, /billing/inquiry, /billing/pay
                 POST /transaction/merchant/get-link, GET /transaction/merchant/{id}
  EASYTRANSFERT  {root}/easytransfert/api_v1/transaction   api_key in the JSON body
                 POST /airtime, POST /status
                 POST {root}/easytransfert/api_v1/admin/partner/wallet/single  (header x-api-key)
  Gateway        {root}/unipesa/{public_id}/{payment_c2b|payment_b2c|status}
                 HMAC-SHA512 signature with --unipesa-secret (providers.md §3)

THE WORLD (same --seed, same behaviour)
  Cash-outs wait for the customer: approved after --approve-after-ms (seeded, up to 1.5x),
  or through the admin API. Cash-ins, airtime, b2c, PROCESSING Woyofal top-ups and
  EASYTRANSFERT operations finish after --settle-after-ms. Payment links expire after
  --link-ttl-secs. Wallet numbers ending 9999 decline/fail, ending 8888 never answer.
  OTP 0000 is wrong, any other 4-6 digits is right. Bills, meters and unknown references:
  GET /__sandbox/fixtures.

ADMIN API (no auth, loopback clients only)
  GET  /__sandbox/fixtures                 customer book, special numbers, credentials
  GET  /__sandbox/transactions             every transaction (?provider=&status=)
  POST /__sandbox/transactions/{id}/approve | decline | expire   (provider id or our id)
  POST /__sandbox/links/{id}/pay           pay a DEXCHANGE payment link
  PUT  /__sandbox/faults                   {\"latency_ms\":[min,max], \"error_500\":p,
                                            \"hang_after_commit\":p, \"drop_after_commit\":p,
                                            \"rate_limit\":p, \"maintenance\":p,
                                            \"providers\":[...]}  ({} clears)
  GET|PUT /__sandbox/balances   GET /__sandbox/callbacks   POST /__sandbox/reset
  GET  /__sandbox/customer/{id}            the customer's phone (approve/decline page)

EXAMPLE
  guichet-sandbox --listen 127.0.0.1:8787 --seed 7 --approve-after-ms 2000
  curl -H 'Authorization: Bearer sandbox-dexchange-key' \\
       http://127.0.0.1:8787/dexchange/api/v1/api-services/balance

See crates/guichet-sandbox/README.md for every route, fixture and documented-gap choice.";

/// A local, faithful stand-in for the DEXCHANGE, EASYTRANSFERT and Unipesa-engine gateway APIs,
/// with a moving world, callbacks and fault injection. For training mode and tests; no real
/// money, no network beyond the callbacks you ask for.
#[derive(Debug, Parser)]
#[command(name = "guichet-sandbox", version, after_help = AFTER_HELP)]
struct Cli {
    /// Address to listen on; port 0 picks a free port (printed on the first line).
    #[arg(long, default_value = "127.0.0.1:0", value_name = "ADDR")]
    listen: String,

    /// Seed of every random choice: customer book, ids, delays, outcomes, faults.
    #[arg(long, default_value_t = DEFAULT_SEED, value_name = "N")]
    seed: u64,

    /// DEXCHANGE API key accepted as `Authorization: Bearer <KEY>`.
    #[arg(long, default_value = DEFAULT_DEXCHANGE_KEY, value_name = "K")]
    dexchange_key: String,

    /// EASYTRANSFERT api_key (JSON body; `x-api-key` header for the wallet).
    #[arg(long, default_value = DEFAULT_EASYTRANSFERT_KEY, value_name = "K")]
    easytransfert_key: String,

    /// Gateway merchant public id (the path segment).
    #[arg(long, default_value = DEFAULT_UNIPESA_PUBLIC_ID, value_name = "P")]
    unipesa_public_id: String,

    /// Gateway merchant id (the `merchant_id` field).
    #[arg(long, default_value = DEFAULT_UNIPESA_MERCHANT_ID, value_name = "M")]
    unipesa_merchant_id: String,

    /// Gateway secret key for the HMAC-SHA512 signatures [default: the example secret of seed
    /// 004, printed at start].
    #[arg(long, default_value = DEFAULT_UNIPESA_SECRET, value_name = "S", hide_default_value = true)]
    unipesa_secret: String,

    /// Base delay before a customer approves a pending cash-out (seeded: up to 1.5x).
    #[arg(long, default_value_t = 5000, value_name = "MS")]
    approve_after_ms: u64,

    /// Never approve automatically: cash-outs wait for the admin API or the customer page.
    #[arg(long)]
    no_auto_approve: bool,

    /// Base delay before an accepted asynchronous operation becomes final (seeded: up to 1.5x).
    #[arg(long, default_value_t = 2000, value_name = "MS")]
    settle_after_ms: u64,

    /// Time after which an unpaid DEXCHANGE payment link is EXPIRED.
    #[arg(long, default_value_t = 900, value_name = "SECS")]
    link_ttl_secs: u64,

    /// Retries of a callback/webhook/IPN the receiver did not accept.
    #[arg(long, default_value_t = 3, value_name = "N")]
    callback_retries: u32,

    /// Delay before the first callback retry (doubles each time).
    #[arg(long, default_value_t = 500, value_name = "MS")]
    callback_retry_ms: u64,

    /// How long a `hang_after_commit` fault holds a request before cutting the connection.
    #[arg(long, default_value_t = 300, value_name = "SECS")]
    hang_max_secs: u64,

    /// Starting DEXCHANGE balance (XOF).
    #[arg(long, default_value_t = 5_000_000, value_name = "XOF")]
    dexchange_balance: i64,

    /// Starting EASYTRANSFERT wallet (XOF).
    #[arg(long, default_value_t = 5_000_000, value_name = "XOF")]
    easytransfert_balance: i64,

    /// Starting gateway balance, in each currency of its providers.
    #[arg(long, default_value_t = 5_000_000, value_name = "AMOUNT")]
    unipesa_balance: i64,

    /// Enforce DEXCHANGE's documented rate limit (requests per minute; the standard tier is 100)
    /// with HTTP 429. 0 = off.
    #[arg(long, default_value_t = 0, value_name = "N")]
    dexchange_rate_limit: u32,

    /// DEXCHANGE serviceCodes the merchant account does not offer (comma-separated): left out
    /// of `/api-services/services` and refused by init and billing.
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    dexchange_lacks: Vec<String>,

    /// Faults active from the start, as the JSON of `PUT /__sandbox/faults`.
    #[arg(long, value_name = "JSON")]
    faults: Option<String>,
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let faults: Faults = match cli.faults.as_deref().map(serde_json::from_str).transpose() {
        Ok(f) => f.unwrap_or_default(),
        Err(e) => {
            eprintln!("guichet-sandbox: --faults: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let config = Config {
        seed: cli.seed,
        credentials: Credentials {
            dexchange_key: cli.dexchange_key,
            easytransfert_key: cli.easytransfert_key,
            unipesa_public_id: cli.unipesa_public_id,
            unipesa_merchant_id: cli.unipesa_merchant_id,
            unipesa_secret: cli.unipesa_secret,
        },
        timings: Timings {
            approve_after: Duration::from_millis(cli.approve_after_ms),
            settle_after: Duration::from_millis(cli.settle_after_ms),
            auto_approve: !cli.no_auto_approve,
            link_ttl: Duration::from_secs(cli.link_ttl_secs),
            callback_retries: cli.callback_retries,
            callback_backoff: Duration::from_millis(cli.callback_retry_ms),
            callback_timeout: Duration::from_secs(5),
            hang_max: Duration::from_secs(cli.hang_max_secs),
        },
        balances: Balances {
            dexchange: cli.dexchange_balance,
            easytransfert: cli.easytransfert_balance,
            unipesa: cli.unipesa_balance,
        },
        dexchange_rate_limit: (cli.dexchange_rate_limit > 0).then_some(cli.dexchange_rate_limit),
        dexchange_lacks: cli.dexchange_lacks,
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("guichet-sandbox: cannot start the runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let sandbox = match Sandbox::builder()
            .config(config)
            .faults(faults)
            .start(cli.listen.as_str())
            .await
        {
            Ok(s) => s,
            Err(e) => {
                eprintln!("guichet-sandbox: cannot listen on {}: {e}", cli.listen);
                return std::process::ExitCode::FAILURE;
            }
        };
        let urls = sandbox.base_urls();
        let c = sandbox.credentials().clone();
        println!("guichet-sandbox listening on {}", urls.root);
        println!("dexchange: {}", urls.dexchange);
        println!("easytransfert: {}", urls.easytransfert);
        println!("unipesa: {}", urls.unipesa);
        println!("admin: {}", urls.admin);
        println!("easytransfert wallet: {}", urls.easytransfert_wallet);
        println!("dexchange key: {}", c.dexchange_key);
        println!("easytransfert key: {}", c.easytransfert_key);
        println!("unipesa public id: {}", c.unipesa_public_id);
        println!("unipesa merchant id: {}", c.unipesa_merchant_id);
        println!("unipesa secret: {}", c.unipesa_secret);
        println!("seed: {}", sandbox.state().config().seed);
        let _ = tokio::signal::ctrl_c().await;
        sandbox.shutdown().await;
        std::process::ExitCode::SUCCESS
    })
}
