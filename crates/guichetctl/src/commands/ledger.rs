//! Ledger commands: `status`, `reconcile`, `history`, `receipt`, `export`.

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use guichet_core::engine::{detail_keys, settled};
use guichet_core::ledger::{HistoryQuery, Operation};
use guichet_core::receipt::{CopyKind, PaperWidth};

use super::parse_id;
use crate::cli::{ExportFormat, Global};
use crate::context::{Ctx, Needs};
use crate::output::{self, ExportRow, Failure, EXIT_ERROR, EXIT_OK, EXIT_PENDING};

/// `status ID`: the operation, its timeline; the exit code follows its status.
pub async fn status(g: &Global, id: &str, json: bool) -> Result<u8, Failure> {
    let id = parse_id(id)?;
    let ctx = Ctx::open(g, Needs::Ledger).await?;
    let result = async {
        let detail = ctx.desk.operation(id).await?;
        let op = &detail.operation;
        if json {
            output::print_json(&detail)?;
        } else {
            println!("Opération / Operation: {}", op.id);
            println!(
                "Service: {} ({}, {})",
                op.service_code, op.provider, op.kind
            );
            println!(
                "Montant / Amount: {}",
                output::amount(op.amount_minor, &op.currency)
            );
            if let Some(fee) = op.fee_minor {
                println!("Frais / Fee: {}", output::amount(fee, &op.currency));
            }
            println!("Client / Customer: {}", op.customer_ref);
            println!("Notre réf. / Our ref: {}", op.idempotency_key);
            println!(
                "Réf. fournisseur / Provider ref: {}",
                op.provider_ref.as_deref().unwrap_or("-")
            );
            println!("Statut / Status: {}", output::status_words(op.status));
            if let Some(token) = &op.token {
                println!("Code Woyofal / Token: {}", output::grouped_token(token));
            }
            if let Some(reason) = op.details.get(detail_keys::REVIEW_REASON) {
                println!("Motif de vérification / Review reason: {reason}");
            }
            println!("Historique / Timeline:");
            output::print_timeline(&detail.events, 2, false);
        }
        Ok(output::exit_for(op.status))
    }
    .await;
    ctx.close().await;
    result
}

/// `reconcile [--wait SECS]`: recovery, then the reconciler until nothing is pending or the
/// wait is over. Exit 0 when every operation is final, 4 otherwise (pending, unknown or
/// needs review, listed).
pub async fn reconcile(g: &Global, wait: u64) -> Result<u8, Failure> {
    let ctx = Ctx::open(g, Needs::Reconciler).await?;
    let result = async {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(wait);
        let mut remaining;
        loop {
            remaining = ctx
                .desk
                .till()
                .ledger()
                .list_non_final()
                .await
                .map_err(|e| Failure::from(guichet_core::engine::EngineError::from(e)))?;
            let moving = remaining.iter().filter(|o| !settled(o.status)).count();
            if moving == 0 || tokio::time::Instant::now() >= deadline {
                break;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for op in &remaining {
            *counts.entry(op.status.to_string()).or_default() += 1;
        }
        if remaining.is_empty() {
            println!("Tout est réglé / Everything is settled.");
            return Ok(EXIT_OK);
        }
        println!("Restent / Remaining: {counts:?}");
        for op in &remaining {
            let reason = op
                .details
                .get(detail_keys::REVIEW_REASON)
                .map(|r| r.to_string())
                .unwrap_or_default();
            println!(
                "{} {} {} {} {}",
                op.id, op.status, op.service_code, op.idempotency_key, reason
            );
        }
        Ok(EXIT_PENDING)
    }
    .await;
    ctx.close().await;
    result
}

/// `history [--json]`.
pub async fn history(
    g: &Global,
    json: bool,
    limit: u32,
    search: Option<String>,
) -> Result<u8, Failure> {
    let ctx = Ctx::open(g, Needs::Ledger).await?;
    let query = HistoryQuery {
        text: search,
        limit: Some(limit),
        ..HistoryQuery::default()
    };
    let result = async {
        let ops = ctx.desk.history(&query).await?;
        if json {
            let rows: Vec<ExportRow> = ops.iter().map(ExportRow::from).collect();
            output::print_json(&rows)?;
        } else {
            println!(
                "{:<19} {:<36} {:<24} {:>14} {:<12} CLIENT",
                "DATE", "ID", "SERVICE", "MONTANT", "STATUT"
            );
            for op in &ops {
                println!(
                    "{:<19} {:<36} {:<24} {:>14} {:<12} {}",
                    op.created_at.format("%Y-%m-%d %H:%M:%S"),
                    op.id,
                    op.service_code,
                    output::amount(op.amount_minor, &op.currency),
                    op.status.to_string(),
                    op.customer_ref
                );
            }
        }
        Ok(EXIT_OK)
    }
    .await;
    ctx.close().await;
    result
}

/// `receipt ID [--width 32|48]`: from the ledger alone.
pub async fn receipt(g: &Global, id: &str, width: usize) -> Result<u8, Failure> {
    let id = parse_id(id)?;
    let Some(width) = PaperWidth::from_columns(width) else {
        return Err(Failure::refused(
            format!("Largeur {width} : 32 ou 48 colonnes."),
            format!("Width {width}: 32 or 48 columns."),
        ));
    };
    let ctx = Ctx::open(g, Needs::Ledger).await?;
    let result = async {
        let r = ctx.desk.receipt(id, width, CopyKind::Customer).await?;
        print!("{}", r.to_text());
        Ok(EXIT_OK)
    }
    .await;
    ctx.close().await;
    result
}

/// Every operation in the ledger, newest first (the history search, page by page).
async fn all_operations(ctx: &Ctx) -> Result<Vec<Operation>, Failure> {
    const PAGE: u32 = 1000;
    let mut out: Vec<Operation> = Vec::new();
    let mut seen: HashSet<uuid::Uuid> = HashSet::new();
    let mut to = None;
    loop {
        let query = HistoryQuery {
            to,
            limit: Some(PAGE),
            ..HistoryQuery::default()
        };
        let page = ctx.desk.history(&query).await?;
        let full = page.len() == PAGE as usize;
        let mut new = 0;
        for op in page {
            if seen.insert(op.id) {
                // `to` is exclusive: the next page starts just after the oldest one seen, and
                // rows sharing its timestamp are de-duplicated by id.
                to = Some(op.created_at + chrono::Duration::microseconds(1));
                out.push(op);
                new += 1;
            }
        }
        if !full || new == 0 {
            return Ok(out);
        }
    }
}

/// `export --format json|csv`.
pub async fn export(g: &Global, format: ExportFormat) -> Result<u8, Failure> {
    let ctx = Ctx::open(g, Needs::Ledger).await?;
    let result = async {
        let ops = all_operations(&ctx).await?;
        let rows: Vec<ExportRow> = ops.iter().map(ExportRow::from).collect();
        match format {
            ExportFormat::Json => output::print_json(&rows)?,
            ExportFormat::Csv => {
                let mut w = csv::Writer::from_writer(std::io::stdout());
                for row in &rows {
                    w.serialize(row).map_err(csv_failure)?;
                }
                w.flush().map_err(|e| csv_failure(e.into()))?;
            }
        }
        Ok(EXIT_OK)
    }
    .await;
    ctx.close().await;
    result
}

fn csv_failure(e: csv::Error) -> Failure {
    Failure::new(EXIT_ERROR, format!("CSV : {e}"), format!("CSV: {e}"))
}
