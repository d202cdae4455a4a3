//! `review list` and `review settle`: the operations waiting for a manager (needs_review).

use guichet_core::desk::{ReviewItem, ReviewOutcome};
use guichet_core::engine::EngineError;
use guichet_core::ledger::LedgerError;
use guichet_core::till::TillError;

use super::{parse_id, read_pin};
use crate::cli::{Global, ReviewAction, ReviewOutcomeArg};
use crate::context::{Ctx, Needs};
use crate::output::{self, Failure, EXIT_OK};

/// Runs a `review` subcommand.
pub async fn run(g: &Global, action: ReviewAction) -> Result<u8, Failure> {
    match action {
        ReviewAction::List { json } => list(g, json).await,
        ReviewAction::Settle {
            id,
            outcome,
            note,
            manager,
        } => settle(g, &id, outcome, &note, &manager).await,
    }
}

/// `review list [--json]`: reads the ledger only.
async fn list(g: &Global, json: bool) -> Result<u8, Failure> {
    let ctx = Ctx::open(g, Needs::Ledger).await?;
    let result = async {
        let items = ctx.desk.review_list().await?;
        if json {
            output::print_json(&items)?;
        } else if items.is_empty() {
            println!("Aucune opération à vérifier / Nothing to review.");
        } else {
            for item in &items {
                print_item(item);
            }
        }
        Ok(EXIT_OK)
    }
    .await;
    ctx.close().await;
    result
}

/// One operation under review, its reason and its timeline.
fn print_item(item: &ReviewItem) {
    let op = &item.operation;
    println!("Opération / Operation: {}", op.id);
    println!(
        "  Service: {} ({}, {}){}",
        op.service_code,
        op.provider,
        op.kind,
        if op.training { " FORMATION" } else { "" }
    );
    println!(
        "  Montant / Amount: {}",
        output::amount(op.amount_minor, &op.currency)
    );
    if let Some(fee) = op.fee_minor {
        println!("  Frais / Fee: {}", output::amount(fee, &op.currency));
    }
    println!("  Client / Customer: {}", op.customer_ref);
    println!("  Caissier / Cashier: {}", op.operator_name);
    println!("  Notre réf. / Our ref: {}", op.idempotency_key);
    println!(
        "  Réf. fournisseur / Provider ref: {}",
        op.provider_ref.as_deref().unwrap_or("-")
    );
    println!(
        "  Motif / Reason: {} ({})",
        item.reason.fr,
        item.reason_code.as_deref().unwrap_or("-")
    );
    println!("  Historique / Timeline:");
    output::print_timeline(&item.events, 4, true);
    println!();
}

/// `review settle ID --outcome success|failed --note TEXT --manager NAME`, the PIN on stdin.
/// Only the ledger's owner settles (exit 5 while the app has it open).
async fn settle(
    g: &Global,
    id: &str,
    outcome: ReviewOutcomeArg,
    note: &str,
    manager: &str,
) -> Result<u8, Failure> {
    let id = parse_id(id)?;
    let outcome = match outcome {
        ReviewOutcomeArg::Success => ReviewOutcome::Success,
        ReviewOutcomeArg::Failed => ReviewOutcome::Failed,
    };
    let pin = read_pin(
        &format!("Code PIN de {manager} sur l'entrée standard"),
        &format!("{manager}'s PIN on stdin"),
    )?;
    let ctx = Ctx::open(g, Needs::Reconciler).await?;
    let result = ctx
        .desk
        .settle_review_as(manager, id, outcome, note, &pin)
        .await;
    ctx.close().await;
    let op = result.map_err(|e| match e {
        // Not (or no longer) under review: nothing was changed.
        e @ TillError::Engine(EngineError::Ledger(LedgerError::IllegalTransition { .. })) => {
            let message = e.message();
            Failure::refused(message.fr, message.en)
        }
        e => Failure::from(e),
    })?;
    println!("Opération / Operation: {}", op.id);
    println!("Statut / Status: {}", output::status_words(op.status));
    Ok(EXIT_OK)
}
