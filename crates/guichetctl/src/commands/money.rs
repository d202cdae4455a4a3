//! Money commands: `woyofal`, `airtime`, `collect`, `payout`, `link`.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use guichet_core::catalog::{ExtraField, Kind, OperationRequest};
use guichet_core::engine::{detail_keys, SubmitRequest};
use guichet_core::money::{Currency, Money};
use guichet_core::phone::{Country, Phone};

use super::{print_outcome, submit_and_report};
use crate::cli::Global;
use crate::context::{Ctx, Needs};
use crate::output::{self, Failure, EXIT_ERROR, EXIT_OK};

/// The Woyofal service code.
const WOYOFAL: &str = "WOYOFAL_SN_BILL";
/// DEXCHANGE's payment link.
const PAYMENT_LINK: &str = "DEXCHANGE_PAYMENT_LINK";

/// The currency of a service (XOF when the code is unknown: the engine refuses it anyway).
fn currency_of(ctx: &Ctx, service: &str) -> Currency {
    ctx.desk
        .till()
        .catalog()
        .get(service.trim())
        .map_or(Currency::Xof, |s| s.currency)
}

/// An amount as typed, or a refusal.
fn parse_amount(input: &str, currency: Currency) -> Result<Money, Failure> {
    Money::parse(input, currency).map_err(|e| {
        let m = e.message();
        Failure::refused(
            format!("Montant « {input} » : {}", m.fr),
            format!("Amount \"{input}\": {}", m.en),
        )
    })
}

/// Opens the till with the reconciler, runs `f`, closes.
async fn with_ctx<F>(g: &Global, f: F) -> Result<u8, Failure>
where
    F: AsyncFnOnce(&Ctx) -> Result<u8, Failure>,
{
    let ctx = Ctx::open(g, Needs::Reconciler).await?;
    let result = f(&ctx).await;
    ctx.close().await;
    result
}

/// One submission of a request built from the command line.
struct Spec<'a> {
    service: &'a str,
    kind: Kind,
    amount: &'a str,
    phone: Option<&'a str>,
    otp: Option<String>,
    extras: BTreeMap<ExtraField, String>,
}

async fn submit(ctx: &Ctx, spec: Spec<'_>, wait: u64) -> Result<u8, Failure> {
    let amount = parse_amount(spec.amount, currency_of(ctx, spec.service))?;
    let request = OperationRequest {
        service_code: spec.service.trim().to_owned(),
        kind: spec.kind,
        amount,
        phone: spec.phone.map(str::to_owned),
        otp: spec.otp,
        extras: spec.extras,
    };
    submit_and_report(ctx, SubmitRequest::new(request), wait).await
}

/// `woyofal --meter M --amount A`.
pub async fn woyofal(g: &Global, meter: &str, amount: &str, wait: u64) -> Result<u8, Failure> {
    with_ctx(g, async |ctx: &Ctx| {
        let spec = Spec {
            service: WOYOFAL,
            kind: Kind::Prepaid,
            amount,
            phone: None,
            otp: None,
            extras: [(ExtraField::ReferenceClient, meter.trim().to_owned())].into(),
        };
        submit(ctx, spec, wait).await
    })
    .await
}

/// `airtime --to PHONE --amount A [--service S]`.
pub async fn airtime(
    g: &Global,
    to: &str,
    amount: &str,
    service: Option<&str>,
    wait: u64,
) -> Result<u8, Failure> {
    with_ctx(g, async |ctx: &Ctx| {
        let code = match service {
            Some(s) => s.to_owned(),
            None => detect_airtime_service(ctx, to)?,
        };
        let spec = Spec {
            service: &code,
            kind: Kind::Airtime,
            amount,
            phone: Some(to),
            otp: None,
            extras: BTreeMap::new(),
        };
        submit(ctx, spec, wait).await
    })
    .await
}

/// The airtime service of a Senegalese number's operator.
fn detect_airtime_service(ctx: &Ctx, to: &str) -> Result<String, Failure> {
    let phone = Phone::parse(to, Country::Sn).map_err(|e| {
        let m = e.message();
        Failure::refused(
            format!("Numéro « {to} » : {}", m.fr),
            format!("Number \"{to}\": {}", m.en),
        )
    })?;
    let services = ctx.desk.till().catalog().airtime_services_for(&phone);
    match services.first() {
        Some(s) => {
            println!(
                "Opérateur détecté / Detected operator: {} ({})",
                s.operator, s.code
            );
            Ok(s.code.clone())
        }
        None => Err(Failure::refused(
            format!("Opérateur inconnu pour « {to} » : précisez --service."),
            format!("Unknown operator for \"{to}\": give --service."),
        )),
    }
}

/// `collect --service S --from PHONE --amount A [--otp X]`.
pub async fn collect(
    g: &Global,
    service: &str,
    from: &str,
    amount: &str,
    otp: Option<String>,
    wait: u64,
) -> Result<u8, Failure> {
    with_ctx(g, async |ctx: &Ctx| {
        let spec = Spec {
            service,
            kind: Kind::Collection,
            amount,
            phone: Some(from),
            otp,
            extras: BTreeMap::new(),
        };
        submit(ctx, spec, wait).await
    })
    .await
}

/// `payout --service S --to PHONE --amount A [--name N]`.
pub async fn payout(
    g: &Global,
    service: &str,
    to: &str,
    amount: &str,
    name: Option<String>,
    wait: u64,
) -> Result<u8, Failure> {
    with_ctx(g, async |ctx: &Ctx| {
        let extras = name
            .map(|n| [(ExtraField::CustomerName, n)].into())
            .unwrap_or_default();
        let spec = Spec {
            service,
            kind: Kind::Disbursement,
            amount,
            phone: Some(to),
            otp: None,
            extras,
        };
        submit(ctx, spec, wait).await
    })
    .await
}

/// `link --item NAME --price A [--qr FILE.svg]`: done once the link exists (exit 0); the
/// customer pays it later (`status ID`).
pub async fn link(g: &Global, item: &str, price: &str, qr: Option<&Path>) -> Result<u8, Failure> {
    with_ctx(g, async |ctx: &Ctx| {
        let amount = parse_amount(price, currency_of(ctx, PAYMENT_LINK))?;
        let request = OperationRequest {
            service_code: PAYMENT_LINK.into(),
            kind: Kind::PaymentLink,
            amount,
            phone: None,
            otp: None,
            extras: BTreeMap::new(),
        };
        let req = SubmitRequest {
            request,
            invoice_ref: None,
            item_name: Some(item.to_owned()),
        };
        let op = ctx.submit(req).await?;
        println!("Opération / Operation: {}", op.id);
        // An unanswered creation is resolved like any other operation: wait a little for it.
        let op = if op.status.is_final() || url_of(&op).is_some() {
            op
        } else {
            let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
            let mut op = op;
            while url_of(&op).is_none()
                && !op.status.is_final()
                && tokio::time::Instant::now() < deadline
            {
                tokio::time::sleep(Duration::from_millis(200)).await;
                op = ctx.desk.operation(op.id).await?.operation;
            }
            op
        };
        let Some(url) = url_of(&op) else {
            print_outcome(ctx, &op).await?;
            return Ok(output::exit_for(op.status).max(1));
        };
        println!("Lien de paiement / Payment link: {url}");
        if let Some(path) = qr {
            let svg = guichet_core::qr::svg(&url).map_err(|e| Failure {
                exit: EXIT_ERROR,
                message: e.message(),
                refusals: Vec::new(),
            })?;
            std::fs::write(path, svg).map_err(|e| {
                Failure::new(
                    EXIT_ERROR,
                    format!("Écriture de {} : {e}", path.display()),
                    format!("Writing {}: {e}", path.display()),
                )
            })?;
            println!("QR code : {}", path.display());
        }
        print_outcome(ctx, &op).await?;
        Ok(EXIT_OK)
    })
    .await
}

fn url_of(op: &guichet_core::ledger::Operation) -> Option<String> {
    op.details
        .get(detail_keys::CUSTOMER_URL)
        .and_then(|v| v.as_str())
        .map(str::to_owned)
}
