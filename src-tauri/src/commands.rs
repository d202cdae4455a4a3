//! Tauri commands: each one a delegation to the core's `Desk`, which checks who may call it.
//! Which role each command needs is listed in `commands.json` (the window tests read it).

use guichet_core::account_services::AccountServices;
use guichet_core::app_info::{AppInfo, Mode};
use guichet_core::audit::{AuditEntry, AuditQuery};
use guichet_core::catalog::{Provider, Service};
use guichet_core::connector::Bill;
use guichet_core::day::{
    Approval, CashMovement, Counted, Direction, FloatStatus, Shift, ShiftReport,
};
use guichet_core::desk::{
    AuditCheck, AuditExport, ConnectionCheck, CustomerView, DaySettings, FirstRun, LoginName,
    OperationDetail, PrintOutcome, ProviderKey, ProviderStatus, ReportPrint, ReviewItem,
    ReviewOutcome, SavedReport, ShiftClosed,
};
use guichet_core::engine::SubmitRequest;
use guichet_core::ledger::{HistoryQuery, Operation};
use guichet_core::operators::{Operator, Role};
use guichet_core::printer::PrinterConfig;
use guichet_core::receipt::{CopyKind, PaperWidth};
use guichet_core::settings::{Settings, SettingsPatch};
use guichet_core::text::Language;
use secrecy::SecretString;
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, State, Webview};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::CommandError;
use crate::feeds::Feeds;
use crate::state::AppState;
use crate::windows;

/// Shop, operator, mode and language for the home screen; whether first run or login comes first.
#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> Result<AppInfo, CommandError> {
    let info = state.desk().await?.app_info().await?;
    windows::first_screen_answered();
    Ok(info)
}

/// Remembers the till's language and returns the updated info.
#[tauri::command]
pub async fn set_language(
    state: State<'_, AppState>,
    language: Language,
) -> Result<AppInfo, CommandError> {
    Ok(state.desk().await?.set_language(language).await?)
}

/// First run: names the shop, creates the manager and signs them in.
#[tauri::command]
pub async fn first_run(
    state: State<'_, AppState>,
    setup: FirstRun,
) -> Result<AppInfo, CommandError> {
    Ok(state.desk().await?.first_run(setup).await?)
}

/// The operators to pick from on the login screen.
#[tauri::command]
pub async fn login_names(state: State<'_, AppState>) -> Result<Vec<LoginName>, CommandError> {
    Ok(state.desk().await?.login_names().await?)
}

/// Signs an operator in with their PIN.
#[tauri::command]
pub async fn login(
    state: State<'_, AppState>,
    name: String,
    pin: String,
) -> Result<AppInfo, CommandError> {
    Ok(state.desk().await?.login(&name, &pin).await?)
}

/// Signs the operator out (`idle`: the screen locked itself).
#[tauri::command]
pub async fn logout(state: State<'_, AppState>, idle: bool) -> Result<AppInfo, CommandError> {
    Ok(state.desk().await?.logout(idle).await?)
}

/// Counts as activity for the idle lock (the operator is typing or reading).
#[tauri::command]
pub async fn keep_alive(state: State<'_, AppState>) -> Result<(), CommandError> {
    Ok(state.desk().await?.keep_alive().await?)
}

/// The signed-in operator changes their own PIN.
#[tauri::command]
pub async fn change_own_pin(
    state: State<'_, AppState>,
    current: String,
    new: String,
) -> Result<(), CommandError> {
    Ok(state.desk().await?.change_own_pin(&current, &new).await?)
}

/// Closes the kiosk after a manager's name and PIN.
#[tauri::command]
pub async fn kiosk_exit(
    app: AppHandle,
    state: State<'_, AppState>,
    name: String,
    pin: String,
) -> Result<(), CommandError> {
    state.desk().await?.kiosk_exit(&name, &pin).await?;
    windows::quit(&app);
    Ok(())
}

/// The services this till offers, for the operation screens' pickers.
#[tauri::command]
pub async fn services(state: State<'_, AppState>) -> Result<Vec<Service>, CommandError> {
    Ok(state.desk().await?.services().await?)
}

/// A customer's unpaid bills (SenEau, Senelec) or a Woyofal meter's details.
#[tauri::command]
pub async fn bill_inquiry(
    state: State<'_, AppState>,
    service_code: String,
    reference: String,
) -> Result<Vec<Bill>, CommandError> {
    Ok(state
        .desk()
        .await?
        .bill_inquiry(&service_code, &reference)
        .await?)
}

/// Validates, records and sends one operation; status changes follow on `follow_operations`.
#[tauri::command]
pub async fn submit(
    state: State<'_, AppState>,
    request: SubmitRequest,
) -> Result<Operation, CommandError> {
    Ok(state.desk().await?.submit(request).await?)
}

/// Sends the OTP the customer read out (Wizall cash-out).
#[tauri::command]
pub async fn confirm_otp(
    state: State<'_, AppState>,
    id: Uuid,
    otp: String,
) -> Result<Operation, CommandError> {
    Ok(state.desk().await?.confirm_otp(id, &otp).await?)
}

/// One operation with its timeline.
#[tauri::command]
pub async fn operation(
    state: State<'_, AppState>,
    id: Uuid,
) -> Result<OperationDetail, CommandError> {
    Ok(state.desk().await?.operation(id).await?)
}

/// The last day's operations whose outcome is not settled yet, newest first (home screen).
#[tauri::command]
pub async fn in_progress(state: State<'_, AppState>) -> Result<Vec<Operation>, CommandError> {
    Ok(state.desk().await?.in_progress().await?)
}

/// Sends every change of every operation to the till's window over `on_update`.
#[tauri::command]
pub async fn follow_operations(
    webview: Webview,
    state: State<'_, AppState>,
    feeds: State<'_, Feeds>,
    on_update: Channel<Operation>,
) -> Result<(), CommandError> {
    let ticket = feeds.ticket();
    let feed = state.desk().await?.operation_feed().await?;
    feeds.start(webview.label(), ticket, feed, on_update);
    Ok(())
}

/// The customer display: the operation under way now, then each change over `on_update`, all
/// cut to what the customer sees.
#[tauri::command]
pub async fn follow_customer_view(
    webview: Webview,
    state: State<'_, AppState>,
    feeds: State<'_, Feeds>,
    on_update: Channel<CustomerView>,
) -> Result<Option<CustomerView>, CommandError> {
    let ticket = feeds.ticket();
    let feed = state.desk().await?.customer_feed().await?;
    let current = feed.current.clone();
    feeds.start(webview.label(), ticket, feed, on_update);
    Ok(current)
}

/// History search, newest first.
#[tauri::command]
pub async fn history(
    state: State<'_, AppState>,
    query: HistoryQuery,
) -> Result<Vec<Operation>, CommandError> {
    Ok(state.desk().await?.history(&query).await?)
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
    let receipt = state.desk().await?.receipt(id, width, copy).await?;
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
    Ok(state.desk().await?.print_receipt(id, copy).await?)
}

/// A QR code as SVG markup (payment links, Wave cash-out URLs).
#[tauri::command]
pub async fn qr_svg(state: State<'_, AppState>, text: String) -> Result<String, CommandError> {
    Ok(state.desk().await?.qr_svg(&text).await?)
}

/// Opens (or focuses) the customer display window for a second monitor.
#[tauri::command]
pub async fn open_customer_display(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<(), CommandError> {
    state.desk().await?.customer_display().await?;
    windows::open_customer_display(&app)
}

/// Every setting (manager).
#[tauri::command]
pub async fn settings(state: State<'_, AppState>) -> Result<Settings, CommandError> {
    Ok(state.desk().await?.settings().await?)
}

/// Changes settings (manager); kiosk mode takes effect on the window at once.
#[tauri::command]
pub async fn save_settings(
    app: AppHandle,
    state: State<'_, AppState>,
    patch: SettingsPatch,
) -> Result<Settings, CommandError> {
    let settings = state.desk().await?.save_settings(patch).await?;
    windows::apply_kiosk(&app, settings.kiosk);
    Ok(settings)
}

/// Sets the receipt printer, or none for the system print dialog (manager).
#[tauri::command]
pub async fn save_printer(
    state: State<'_, AppState>,
    printer: Option<PrinterConfig>,
) -> Result<Settings, CommandError> {
    Ok(state.desk().await?.save_printer(printer).await?)
}

/// Every service of the catalog, offered or not (manager).
#[tauri::command]
pub async fn all_services(state: State<'_, AppState>) -> Result<Vec<Service>, CommandError> {
    Ok(state.desk().await?.all_services().await?)
}

/// What each provider's account offers, as last read: the catalog services it lacks (manager).
#[tauri::command]
pub async fn account_services(state: State<'_, AppState>) -> Result<AccountServices, CommandError> {
    Ok(state.desk().await?.account_services().await?)
}

/// Reads each provider's services list again now (manager's "refresh").
#[tauri::command]
pub async fn refresh_account_services(
    state: State<'_, AppState>,
) -> Result<AccountServices, CommandError> {
    Ok(state.desk().await?.refresh_account_services().await?)
}

/// Provider keys, masked (manager).
#[tauri::command]
pub async fn provider_keys(state: State<'_, AppState>) -> Result<Vec<ProviderKey>, CommandError> {
    Ok(state.desk().await?.provider_keys().await?)
}

/// Stores one provider key in the OS keyring (manager).
#[tauri::command]
pub async fn set_provider_key(
    state: State<'_, AppState>,
    provider: String,
    field: String,
    value: SecretString,
) -> Result<Vec<ProviderKey>, CommandError> {
    Ok(state
        .desk()
        .await?
        .set_provider_key(&provider, &field, value)
        .await?)
}

/// Removes one provider key from the OS keyring (manager).
#[tauri::command]
pub async fn delete_provider_key(
    state: State<'_, AppState>,
    provider: String,
    field: String,
) -> Result<Vec<ProviderKey>, CommandError> {
    Ok(state
        .desk()
        .await?
        .delete_provider_key(&provider, &field)
        .await?)
}

/// Calls a provider with the stored keys ("check connection"; manager).
#[tauri::command]
pub async fn check_connection(
    state: State<'_, AppState>,
    provider: Provider,
) -> Result<ConnectionCheck, CommandError> {
    Ok(state.desk().await?.check_connection(provider).await?)
}

/// Whether each configured provider answers (operator; polled by the header).
#[tauri::command]
pub async fn provider_status(
    state: State<'_, AppState>,
) -> Result<Vec<ProviderStatus>, CommandError> {
    Ok(state.desk().await?.provider_status().await?)
}

/// Every operator (manager).
#[tauri::command]
pub async fn operators(state: State<'_, AppState>) -> Result<Vec<Operator>, CommandError> {
    Ok(state.desk().await?.operators_list().await?)
}

/// Adds an operator (manager).
#[tauri::command]
pub async fn create_operator(
    state: State<'_, AppState>,
    name: String,
    pin: String,
    role: Role,
) -> Result<Vec<Operator>, CommandError> {
    Ok(state
        .desk()
        .await?
        .create_operator(&name, &pin, role)
        .await?)
}

/// Sets another operator's PIN (manager).
#[tauri::command]
pub async fn reset_pin(
    state: State<'_, AppState>,
    id: i64,
    pin: String,
) -> Result<Vec<Operator>, CommandError> {
    Ok(state.desk().await?.reset_pin(id, &pin).await?)
}

/// Ends an operator's lock (manager).
#[tauri::command]
pub async fn unlock_operator(
    state: State<'_, AppState>,
    id: i64,
) -> Result<Vec<Operator>, CommandError> {
    Ok(state.desk().await?.unlock_operator(id).await?)
}

/// The signed-in manager types their PIN again: keys, addresses, operators and kiosk off are
/// accepted for the next two minutes.
#[tauri::command]
pub async fn confirm_pin(state: State<'_, AppState>, pin: String) -> Result<(), CommandError> {
    Ok(state.desk().await?.confirm_pin(&pin).await?)
}

/// Training ↔ live with the manager's PIN.
#[tauri::command]
pub async fn set_mode(
    state: State<'_, AppState>,
    mode: Mode,
    pin: String,
) -> Result<AppInfo, CommandError> {
    Ok(state.desk().await?.set_mode(mode, &pin).await?)
}

/// Audit trail entries (manager).
#[tauri::command]
pub async fn audit_log(
    state: State<'_, AppState>,
    query: AuditQuery,
) -> Result<Vec<AuditEntry>, CommandError> {
    Ok(state.desk().await?.audit_log(&query).await?)
}

/// Checks the audit trail's hash chain (manager).
#[tauri::command]
pub async fn audit_verify(state: State<'_, AppState>) -> Result<AuditCheck, CommandError> {
    Ok(state.desk().await?.audit_verify().await?)
}

/// Exports the audit trail to a JSON file in the data dir (manager).
#[tauri::command]
pub async fn audit_export(state: State<'_, AppState>) -> Result<AuditExport, CommandError> {
    Ok(state.desk().await?.audit_export().await?)
}

/// Every operation waiting for a manager's review, with its evidence (manager).
#[tauri::command]
pub async fn review_list(state: State<'_, AppState>) -> Result<Vec<ReviewItem>, CommandError> {
    Ok(state.desk().await?.review_list().await?)
}

/// How many operations wait for a manager's review (the header's badge).
#[tauri::command]
pub async fn review_count(state: State<'_, AppState>) -> Result<u32, CommandError> {
    Ok(state.desk().await?.review_count().await?)
}

/// Settles an operation under review with a note and the manager's PIN again (manager).
#[tauri::command]
pub async fn settle_review(
    state: State<'_, AppState>,
    id: Uuid,
    outcome: ReviewOutcome,
    note: String,
    pin: String,
) -> Result<Operation, CommandError> {
    Ok(state
        .desk()
        .await?
        .settle_review(id, outcome, &note, &pin)
        .await?)
}

/// The open shift, if any (the header polls it).
#[tauri::command]
pub async fn current_shift(state: State<'_, AppState>) -> Result<Option<Shift>, CommandError> {
    Ok(state.desk().await?.current_shift().await?)
}

/// Opens a shift with the counted float.
#[tauri::command]
pub async fn open_shift(state: State<'_, AppState>, float: Counted) -> Result<Shift, CommandError> {
    Ok(state.desk().await?.open_shift(float).await?)
}

/// Cash paid in or out of the drawer, with its reason.
#[tauri::command]
pub async fn cash_movement(
    state: State<'_, AppState>,
    direction: Direction,
    amount_minor: i64,
    reason: String,
) -> Result<CashMovement, CommandError> {
    Ok(state
        .desk()
        .await?
        .cash_movement(direction, amount_minor, &reason)
        .await?)
}

/// Closes the open shift with the counted cash; a difference needs a manager's approval.
#[tauri::command]
pub async fn close_shift(
    state: State<'_, AppState>,
    shift_id: i64,
    counted: Counted,
    approval: Option<Approval>,
) -> Result<ShiftClosed, CommandError> {
    Ok(state
        .desk()
        .await?
        .close_shift(shift_id, counted, approval)
        .await?)
}

/// The X report of the open shift (or of shift `id`).
#[tauri::command]
pub async fn x_report(
    state: State<'_, AppState>,
    id: Option<i64>,
) -> Result<ShiftReport, CommandError> {
    Ok(state.desk().await?.x_report(id).await?)
}

/// A stored Z report (the last one without a number).
#[tauri::command]
pub async fn z_report(
    state: State<'_, AppState>,
    number: Option<i64>,
) -> Result<ShiftReport, CommandError> {
    Ok(state.desk().await?.z_report(number).await?)
}

/// The day report (manager): `day` as YYYY-MM-DD.
#[tauri::command]
pub async fn day_report(
    state: State<'_, AppState>,
    day: String,
) -> Result<ShiftReport, CommandError> {
    let desk = state.desk().await?;
    let day = chrono::NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").map_err(|_| {
        guichet_core::till::TillError::Invalid {
            field: "day".into(),
            message: guichet_core::text::Localized::new(
                "Date invalide (AAAA-MM-JJ).",
                "Invalid date (YYYY-MM-DD).",
            ),
        }
    });
    Ok(desk.day_report(day?).await?)
}

/// A report as the printer lays it out, at 32 or 48 columns.
#[tauri::command]
pub async fn report_text(
    state: State<'_, AppState>,
    report: ShiftReport,
    width: u16,
) -> Result<ReceiptText, CommandError> {
    let width = PaperWidth::from_columns(width.into()).unwrap_or(PaperWidth::Mm80);
    let receipt = state.desk().await?.report_receipt(&report, width).await?;
    Ok(ReceiptText {
        text: receipt.to_text(),
    })
}

/// Prints a report (or hands its text to the system dialog).
#[tauri::command]
pub async fn print_report(
    state: State<'_, AppState>,
    report: ShiftReport,
) -> Result<ReportPrint, CommandError> {
    Ok(state.desk().await?.print_report(&report).await?)
}

/// Saves a report as a PDF in the till's data folder (`rapports/`); answers its full path.
#[tauri::command]
pub async fn save_report_pdf(
    state: State<'_, AppState>,
    report: ShiftReport,
) -> Result<SavedReport, CommandError> {
    Ok(state.desk().await?.save_report_pdf(&report).await?)
}

/// Each provider's float from the last readings.
#[tauri::command]
pub async fn float_status(state: State<'_, AppState>) -> Result<Vec<FloatStatus>, CommandError> {
    Ok(state.desk().await?.float_status().await?)
}

/// Reads each provider's balance now.
#[tauri::command]
pub async fn read_floats(state: State<'_, AppState>) -> Result<Vec<FloatStatus>, CommandError> {
    Ok(state.desk().await?.read_floats().await?)
}

/// The business day's settings (manager).
#[tauri::command]
pub async fn day_settings(state: State<'_, AppState>) -> Result<DaySettings, CommandError> {
    Ok(state.desk().await?.day_settings().await?)
}

/// Changes the business day's settings (manager).
#[tauri::command]
pub async fn save_day_settings(
    state: State<'_, AppState>,
    settings: DaySettings,
) -> Result<DaySettings, CommandError> {
    Ok(state.desk().await?.save_day_settings(settings).await?)
}
