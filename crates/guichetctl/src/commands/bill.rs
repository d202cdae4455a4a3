//! `bill lookup|pay`: SenEau and Senelec bills.

use guichet_core::catalog::{ExtraField, Kind, OperationRequest};
use guichet_core::engine::SubmitRequest;
use guichet_core::money::{Currency, Money};

use super::submit_and_report;
use crate::cli::{BillAction, Global};
use crate::context::{Ctx, Needs};
use crate::output::{self, Failure, EXIT_OK};

/// Runs `bill lookup` or `bill pay`.
pub async fn run(g: &Global, action: BillAction) -> Result<u8, Failure> {
    let needs = match action {
        BillAction::Pay { .. } => Needs::Reconciler,
        BillAction::Lookup(_) => Needs::Providers,
    };
    let ctx = Ctx::open(g, needs).await?;
    let result = match action {
        BillAction::Lookup(args) => lookup(&ctx, &args.service, &args.reference).await,
        BillAction::Pay {
            bill,
            invoice,
            wait,
        } => pay(&ctx, &bill.service, &bill.reference, invoice, wait).await,
    };
    ctx.close().await;
    result
}

async fn lookup(ctx: &Ctx, service: &str, reference: &str) -> Result<u8, Failure> {
    let bills = ctx.desk.bill_inquiry(service, reference).await?;
    if bills.is_empty() {
        println!("Aucune facture / No bill.");
    }
    for b in &bills {
        println!(
            "{} | {} | facture/invoice {} | {} | frais/fee {} | échéance/due {} | {}",
            b.reference_client,
            b.customer_name,
            b.reference_facture.as_deref().unwrap_or("-"),
            output::amount(b.amount_minor, "XOF"),
            output::amount(b.fee_minor, "XOF"),
            b.due_date.as_deref().unwrap_or("-"),
            if b.paid {
                "payée / paid"
            } else {
                "à payer / unpaid"
            }
        );
    }
    Ok(EXIT_OK)
}

async fn pay(
    ctx: &Ctx,
    service_code: &str,
    reference: &str,
    invoice: Option<String>,
    wait: u64,
) -> Result<u8, Failure> {
    let bills = ctx.desk.bill_inquiry(service_code, reference).await?;
    let bill = match &invoice {
        Some(inv) => bills
            .iter()
            .find(|b| b.reference_facture.as_deref() == Some(inv.as_str())),
        None => bills.iter().find(|b| !b.paid),
    };
    let Some(bill) = bill else {
        return Err(Failure::refused(
            format!("Aucune facture à payer pour la référence {reference}."),
            format!("No bill to pay for reference {reference}."),
        ));
    };
    if bill.paid {
        return Err(Failure::refused(
            "Cette facture est déjà payée.",
            "This bill is already paid.",
        ));
    }
    let currency = ctx
        .desk
        .till()
        .catalog()
        .get(service_code.trim())
        .map_or(Currency::Xof, |s| s.currency);
    let request = OperationRequest {
        service_code: service_code.trim().to_owned(),
        kind: Kind::Bill,
        amount: Money::new(bill.amount_minor, currency),
        phone: None,
        otp: None,
        extras: [(ExtraField::ReferenceClient, reference.trim().to_owned())].into(),
    };
    let req = SubmitRequest {
        request,
        invoice_ref: invoice.or_else(|| bill.reference_facture.clone()),
        item_name: None,
    };
    submit_and_report(ctx, req, wait).await
}
