//! Receipts from the ledger alone: preview, print, reprint marked DUPLICATA with its count.
//! No provider is needed: a reprint works with the network down.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;
use uuid::Uuid;

use super::Desk;
use crate::ledger::{EventInput, EventSource, Operation};
use crate::printer;
use crate::receipt::{self, CopyKind, PaperWidth, Receipt, ReceiptOptions};
use crate::settings;
use crate::till::TillError;

/// Operation detail key counting the receipts printed (0 = none yet; the first is the
/// original, every later one a DUPLICATA).
const PRINT_COUNT: &str = "print_count";

/// What happened when a receipt was printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PrintOutcome {
    /// 0 for the original; N for « DUPLICATA n° N ».
    pub duplicate: u32,
    /// No printer is configured: the UI prints `text` through the system dialog.
    pub system_dialog: bool,
    /// The receipt as plain text (for the system dialog and the screen).
    pub text: String,
}

/// How many receipts of this operation were printed so far.
fn print_count(op: &Operation) -> u32 {
    op.details
        .get(PRINT_COUNT)
        .and_then(Value::as_u64)
        .and_then(|n| u32::try_from(n).ok())
        .unwrap_or(0)
}

impl Desk {
    /// Operation `id` from the ledger (no engine needed: receipts print offline).
    pub(super) async fn stored_operation(&self, id: Uuid) -> Result<Operation, TillError> {
        self.till.ledger().get(id).await?.ok_or(TillError::Engine(
            crate::engine::EngineError::NotFound { id },
        ))
    }

    /// Renders operation `id`'s receipt as the next print would be (preview), from the ledger.
    pub(super) async fn render_receipt(
        &self,
        id: Uuid,
        width: PaperWidth,
        copy: CopyKind,
    ) -> Result<Receipt, TillError> {
        let op = self.stored_operation(id).await?;
        let duplicate = print_count(&op);
        self.render(&op, width, copy, duplicate).await
    }

    /// Prints operation `id`'s receipt (ESC/POS to the configured printer, or hands the text to
    /// the system dialog) and records the print, so the next one is a DUPLICATA. Works with no
    /// network: everything comes from the ledger.
    pub(super) async fn print(&self, id: Uuid, copy: CopyKind) -> Result<PrintOutcome, TillError> {
        let op = self.stored_operation(id).await?;
        let duplicate = print_count(&op);
        let printer = settings::printer(self.till.ledger()).await?;
        let width = printer.as_ref().map_or(PaperWidth::Mm80, |p| p.width);
        let receipt = self.render(&op, width, copy, duplicate).await?;
        let system_dialog = match &printer {
            Some(config) if !config.uses_system_dialog() => {
                let (r, c) = (receipt.clone(), config.clone());
                tokio::task::spawn_blocking(move || printer::print(&r, &c))
                    .await
                    .map_err(|e| TillError::Settings(format!("printer task: {e}")))??;
                false
            }
            _ => true,
        };
        // Recorded after the paper came out: a failed print is not a duplicate.
        self.till
            .ledger()
            .record_event(
                id,
                EventInput::new(EventSource::Cashier)
                    .note(if duplicate == 0 {
                        "receipt printed"
                    } else {
                        "receipt reprinted"
                    })
                    .detail(PRINT_COUNT, Value::from(duplicate + 1)),
            )
            .await?;
        tracing::info!(operation = %id, duplicate, system_dialog, "receipt printed");
        Ok(PrintOutcome {
            duplicate,
            system_dialog,
            text: receipt.to_text(),
        })
    }

    async fn render(
        &self,
        op: &Operation,
        width: PaperWidth,
        copy: CopyKind,
        duplicate: u32,
    ) -> Result<Receipt, TillError> {
        let ledger = self.till.ledger();
        let opts = ReceiptOptions {
            shop: settings::shop_header(ledger).await?,
            language: settings::language(ledger).await?,
            copy,
            duplicate,
            width,
        };
        Ok(receipt::render_with_catalog(op, self.till.catalog(), &opts))
    }
}
