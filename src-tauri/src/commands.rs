//! Tauri commands: each one a delegation to the core `Till`.

use guichet_core::app_info::AppInfo;
use guichet_core::catalog::Service;
use guichet_core::connector::Bill;
use guichet_core::engine::SubmitRequest;
use guichet_core::ledger::{HistoryQuery, Operation};
use guichet_core::receipt::{CopyKind, PaperWidth};
use guichet_core::text::Language;
use guichet_core::till::{OperationDetail, PrintOutcome};
use serde::Serialize;
use tauri::{AppHandle, State};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::CommandError;
use crate::state::AppState;
use crate::windows;

/// Shop, operator, mode and language for the home screen.
#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> Result<AppInfo, CommandError> {
    Ok(state.till()?.app_info().await?)
}

/// Remembers the cashier's language and returns the updated info.
#[tauri::command]
pub async fn set_language(
    state: State<'_, AppState>,
    language: Language,
) -> Result<AppInfo, CommandError> {
    Ok(state.till()?.set_language(language).await?)
}

/// The services this till offers, for the operation screens' pickers.
#[tauri::command]
pub fn services(state: State<'_, AppState>) -> Result<Vec<Service>, CommandError> {
    Ok(state.till()?.services())
}

/// A customer's unpaid bills (SenEau, Senelec) or a Woyofal meter's details.
#[tauri::command]
pub async fn bill_inquiry(
    state: State<'_, AppState>,
    service_code: String,
    reference: String,
) -> Result<Vec<Bill>, CommandError> {
    Ok(state
        .till()?
        .engine()
        .bill_inquiry(&service_code, &reference)
        .await?)
}

/// Validates, records and sends one operation; status changes follow as `operation-updated`.
#[tauri::command]
pub async fn submit(
    state: State<'_, AppState>,
    request: SubmitRequest,
) -> Result<Operation, CommandError> {
    Ok(state.till()?.engine().submit(request).await?)
}

/// Sends the OTP the customer read out (Wizall cash-out).
#[tauri::command]
pub async fn confirm_otp(
    state: State<'_, AppState>,
    id: Uuid,
    otp: String,
) -> Result<Operation, CommandError> {
    Ok(state.till()?.engine().confirm_otp(id, &otp).await?)
}

/// One operation with its timeline.
#[tauri::command]
pub async fn operation(
    state: State<'_, AppState>,
    id: Uuid,
) -> Result<OperationDetail, CommandError> {
    Ok(state.till()?.operation_detail(id).await?)
}

/// History search, newest first.
#[tauri::command]
pub async fn history(
    state: State<'_, AppState>,
    query: HistoryQuery,
) -> Result<Vec<Operation>, CommandError> {
    Ok(state.till()?.engine().history(&query).await?)
}

/// A receipt preview as plain text.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ReceiptText {
    /// The receipt, one printed line per text line.
    pub text: String,
}

/// Renders a receipt from the ledger (no network), as the next print would be.
#[tauri::command]
pub async fn receipt(
    state: State<'_, AppState>,
    id: Uuid,
    width: u16,
    copy: CopyKind,
) -> Result<ReceiptText, CommandError> {
    let width = PaperWidth::from_columns(width.into()).unwrap_or(PaperWidth::Mm80);
    let receipt = state.till()?.receipt(id, width, copy).await?;
    Ok(ReceiptText {
        text: receipt.to_text(),
    })
}

/// Prints (or reprints, marked DUPLICATA) a receipt; without a printer the UI opens the
/// system print dialog with the returned text.
#[tauri::command]
pub async fn print_receipt(
    state: State<'_, AppState>,
    id: Uuid,
    copy: CopyKind,
) -> Result<PrintOutcome, CommandError> {
    Ok(state.till()?.print_receipt(id, copy).await?)
}

/// A QR code as SVG markup (payment links, Wave cash-out URLs).
#[tauri::command]
pub fn qr_svg(text: String) -> Result<String, CommandError> {
    guichet_core::qr::svg(&text).map_err(CommandError::from)
}

/// Opens (or focuses) the customer display window for a second monitor.
#[tauri::command]
pub fn open_customer_display(app: AppHandle) -> Result<(), CommandError> {
    windows::open_customer_display(&app)
}
