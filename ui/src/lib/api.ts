// The one place the UI talks to the Rust shell. Every command goes through `call`, which never
// throws: it resolves to `{ ok: true, value }` or `{ ok: false, error }`, where `error` is always a
// well-formed CommandError whose message can be shown to the cashier as it is.
import { Channel, invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type {
  AccountServices,
  AppInfo,
  Approval,
  AuditCheck,
  AuditEntry,
  AuditExport,
  AuditQuery,
  Bill,
  CommandError,
  CashMovement,
  ConnectionCheck,
  Counted,
  CustomerView,
  DaySettings,
  Direction,
  FirstRun,
  FloatStatus,
  HistoryQuery,
  Language,
  Localized,
  LoginName,
  Mode,
  Operation,
  Operator,
  PrinterConfig,
  Provider,
  ProviderKey,
  ProviderStatus,
  Refusal,
  ReviewItem,
  ReportPrint,
  SavedReport,
  ReviewOutcome,
  Role,
  Service,
  Settings,
  SettingsPatch,
  Shift,
  ShiftClosed,
  ShiftReport,
} from './bindings';
import {
  type ApiError,
  type OperationDetail,
  type PrintOutcome,
  type ReceiptCopy,
  type ReceiptText,
  type ReceiptWidth,
  type SubmitRequest,
} from './contract';
import fr from './locales/fr.json';
import en from './locales/en.json';

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** Codes the UI itself produces when the shell did not answer with a CommandError. */
export const UI_ERROR_CODES = {
  /** No Tauri IPC in this window (opened in a plain browser, or the shell is broken). */
  noBackend: 'ui.no_backend',
  /** The shell rejected with something that is not a CommandError. */
  unexpected: 'ui.unexpected',
} as const;

function isLocalized(value: unknown): value is Localized {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.fr === 'string' && typeof v.en === 'string';
}

export function isCommandError(value: unknown): value is CommandError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === 'string' && isLocalized(v.message);
}

function detailOf(reason: unknown): string {
  if (reason instanceof Error) return reason.message;
  if (typeof reason === 'string') return reason;
  try {
    return JSON.stringify(reason) ?? String(reason);
  } catch {
    return String(reason);
  }
}

function noIpc(): boolean {
  return (
    typeof window === 'undefined' ||
    typeof (window as { __TAURI_INTERNALS__?: { invoke?: unknown } }).__TAURI_INTERNALS__
      ?.invoke !== 'function'
  );
}

function isRefusal(value: unknown): value is Refusal {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === 'string' && typeof v.field === 'string' && isLocalized(v.message);
}

/**
 * Turn whatever a command rejected with into a CommandError. A CommandError passes through
 * unchanged (with its refusals, for a refused submit); anything else becomes a generic message
 * the cashier can act on, with the raw detail appended for support.
 */
export function toCommandError(reason: unknown): ApiError {
  if (isCommandError(reason)) {
    const error: ApiError = {
      code: reason.code,
      message: { fr: reason.message.fr, en: reason.message.en },
    };
    const refusals = (reason as { refusals?: unknown }).refusals;
    if (Array.isArray(refusals)) {
      error.refusals = refusals.filter(isRefusal).map((r) => ({
        code: r.code,
        field: r.field,
        extra: r.extra ?? null,
        message: { fr: r.message.fr, en: r.message.en },
      }));
    }
    const operationId = (reason as { operation_id?: unknown }).operation_id;
    if (typeof operationId === 'string') error.operation_id = operationId;
    const host = (reason as { host?: unknown }).host;
    if (typeof host === 'string') error.host = host;
    return error;
  }
  if (noIpc()) {
    return {
      code: UI_ERROR_CODES.noBackend,
      message: { fr: fr.error.noBackend, en: en.error.noBackend },
    };
  }
  const detail = detailOf(reason).trim();
  const suffix = detail ? ` (${detail})` : '';
  return {
    code: UI_ERROR_CODES.unexpected,
    message: { fr: fr.error.unexpected + suffix, en: en.error.unexpected + suffix },
  };
}

/** The text to show for an error in the given language. */
export function errorText(error: CommandError, lng: Language): string {
  return error.message[lng];
}

/**
 * Codes with which the core refuses an operator's call because nobody is signed in any more:
 * `not_signed_in`, or `session_locked` when its own idle timer ended the session. The UI then
 * shows the lock screen (see `onSessionEnded`).
 */
export const SESSION_ENDED_CODES: readonly string[] = ['not_signed_in', 'session_locked'];

/** Whether an error means the session is over (the lock screen must come back). */
export function isSessionEnded(error: CommandError): boolean {
  return SESSION_ENDED_CODES.includes(error.code);
}

const sessionEndedHandlers = new Set<(error: ApiError) => void>();

/**
 * Be told whenever any command is refused because the session ended, whoever made the call:
 * the App locks the screen in one place. Returns the function that stops listening.
 */
export function onSessionEnded(handler: (error: ApiError) => void): () => void {
  sessionEndedHandlers.add(handler);
  return () => sessionEndedHandlers.delete(handler);
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<Result<T>> {
  try {
    const value = await invoke<T>(cmd, args);
    return { ok: true, value };
  } catch (reason: unknown) {
    const error = toCommandError(reason);
    if (isSessionEnded(error)) for (const handler of [...sessionEndedHandlers]) handler(error);
    return { ok: false, error };
  }
}

/** The Tauri event the shell sends the cashier's window when a close is refused in kiosk mode. */
export const CLOSE_REQUESTED = 'close-requested';

export const api = {
  /** Shop, operator, mode, saved language and version. */
  appInfo: (): Promise<Result<AppInfo>> => call<AppInfo>('app_info'),
  /** Save the cashier's language choice in the ledger; answers the updated AppInfo. */
  setLanguage: (language: Language): Promise<Result<AppInfo>> =>
    call<AppInfo>('set_language', { language }),
  /** The catalog: every service with its offers, limits, multiples and OTP syntax. */
  services: (): Promise<Result<Service[]>> => call<Service[]>('services'),
  /** Counts as activity for the core's idle lock while the operator types or reads. */
  keepAlive: (): Promise<Result<null>> => call<null>('keep_alive'),
  /**
   * A biller's customer and unpaid bills (SenEau, Senelec); for Woyofal the first Bill
   * describes the meter (amount 0).
   */
  billInquiry: (serviceCode: string, reference: string): Promise<Result<Bill[]>> =>
    call<Bill[]>('bill_inquiry', { serviceCode, reference }),
  /**
   * Start an operation. A refusal by the catalog checks rejects with `code: "refused"` and
   * one Refusal per input to fix.
   */
  submit: (request: SubmitRequest): Promise<Result<Operation>> =>
    call<Operation>('submit', { request }),
  /** The OTP the customer read out, for an operation waiting for it (Wizall cash-out). */
  confirmOtp: (id: string, otp: string): Promise<Result<Operation>> =>
    call<Operation>('confirm_otp', { id, otp }),
  /** One operation and its events, from the ledger. */
  operation: (id: string): Promise<Result<OperationDetail>> =>
    call<OperationDetail>('operation', { id }),
  /** The last day's operations whose outcome is not settled yet, newest first. */
  inProgress: (): Promise<Result<Operation[]>> => call<Operation[]>('in_progress'),
  /** Past operations, newest first, from the ledger (works offline). */
  history: (query: HistoryQuery): Promise<Result<Operation[]>> =>
    call<Operation[]>('history', { query }),
  /** The receipt as plain text, rendered by the core from the ledger. */
  receipt: (id: string, width: ReceiptWidth, copy: ReceiptCopy): Promise<Result<ReceiptText>> =>
    call<ReceiptText>('receipt', { id, width, copy }),
  /** Print on the till's printer; reprints come back with their DUPLICATA number. */
  printReceipt: (id: string, copy: ReceiptCopy): Promise<Result<PrintOutcome>> =>
    call<PrintOutcome>('print_receipt', { id, copy }),
  /** An SVG QR code of `text`, rendered by the core. */
  qrSvg: (text: string): Promise<Result<string>> => call<string>('qr_svg', { text }),
  /** Whether each configured provider answers (polled; not activity for the idle lock). */
  providerStatus: (): Promise<Result<ProviderStatus[]>> => call<ProviderStatus[]>('provider_status'),
  /** Open (or bring forward) the customer display window, for a second monitor. */
  openCustomerDisplay: (): Promise<Result<null>> => call<null>('open_customer_display'),

  // ── Operators and sessions (anyone) ──────────────────────────────────────────────────────
  /** First run: names the shop, creates the manager and signs them in. */
  firstRun: (setup: FirstRun): Promise<Result<AppInfo>> => call<AppInfo>('first_run', { setup }),
  /** The operators to pick from on the login screen. */
  loginNames: (): Promise<Result<LoginName[]>> => call<LoginName[]>('login_names'),
  /** Sign an operator in with their PIN. */
  login: (name: string, pin: string): Promise<Result<AppInfo>> =>
    call<AppInfo>('login', { name, pin }),
  /** Sign out (`idle`: the UI's idle timer locked the screen). */
  logout: (idle: boolean): Promise<Result<AppInfo>> => call<AppInfo>('logout', { idle }),
  /** Close the kiosk with a manager's name and PIN; the app quits when it succeeds. */
  kioskExit: (name: string, pin: string): Promise<Result<null>> =>
    call<null>('kiosk_exit', { name, pin }),
  /** The signed-in operator changes their own PIN. */
  changeOwnPin: (current: string, next: string): Promise<Result<null>> =>
    call<null>('change_own_pin', { current, new: next }),

  // ── Réglages (manager) ──────────────────────────────────────────────────────────────────
  /** Every setting. */
  settings: (): Promise<Result<Settings>> => call<Settings>('settings'),
  /** Change the given settings; answers them all. */
  saveSettings: (patch: SettingsPatch): Promise<Result<Settings>> =>
    call<Settings>('save_settings', { patch }),
  /** Set the receipt printer, or none (the system print dialog). */
  savePrinter: (printer: PrinterConfig | null): Promise<Result<Settings>> =>
    call<Settings>('save_printer', { printer }),
  /** The whole catalog, offered or not (the services on/off list). */
  allServices: (): Promise<Result<Service[]>> => call<Service[]>('all_services'),
  /** What each provider's account offers, as last read (the catalog services it lacks). */
  accountServices: (): Promise<Result<AccountServices>> => call<AccountServices>('account_services'),
  /** Read each provider's services list again now. */
  refreshAccountServices: (): Promise<Result<AccountServices>> =>
    call<AccountServices>('refresh_account_services'),
  /** Every provider key's status, masked (never a value). */
  providerKeys: (): Promise<Result<ProviderKey[]>> => call<ProviderKey[]>('provider_keys'),
  /** Store one provider key in the OS keyring. */
  setProviderKey: (provider: string, field: string, value: string): Promise<Result<ProviderKey[]>> =>
    call<ProviderKey[]>('set_provider_key', { provider, field, value }),
  /** Remove one provider key from the keyring. */
  deleteProviderKey: (provider: string, field: string): Promise<Result<ProviderKey[]>> =>
    call<ProviderKey[]>('delete_provider_key', { provider, field }),
  /** Call a provider with the stored keys (its balance, when it has one). Moves no money. */
  checkConnection: (provider: Provider): Promise<Result<ConnectionCheck>> =>
    call<ConnectionCheck>('check_connection', { provider }),
  /** Every operator, with their lock state. */
  operators: (): Promise<Result<Operator[]>> => call<Operator[]>('operators'),
  /** Add an operator. */
  createOperator: (name: string, pin: string, role: Role): Promise<Result<Operator[]>> =>
    call<Operator[]>('create_operator', { name, pin, role }),
  /** Give an operator a new PIN (ends their lock). */
  resetPin: (id: number, pin: string): Promise<Result<Operator[]>> =>
    call<Operator[]>('reset_pin', { id, pin }),
  /** End an operator's lock. */
  unlockOperator: (id: number): Promise<Result<Operator[]>> =>
    call<Operator[]>('unlock_operator', { id }),
  /** The signed-in manager types their PIN again before a sensitive change (lib/pinGate.ts). */
  confirmPin: (pin: string): Promise<Result<null>> => call<null>('confirm_pin', { pin }),
  /** Training ↔ live, with the manager's PIN again. */
  setMode: (mode: Mode, pin: string): Promise<Result<AppInfo>> =>
    call<AppInfo>('set_mode', { mode, pin }),
  /** Audit trail entries, oldest first. */
  auditLog: (query: AuditQuery): Promise<Result<AuditEntry[]>> =>
    call<AuditEntry[]>('audit_log', { query }),
  /** Check the audit trail's hash chain. */
  auditVerify: (): Promise<Result<AuditCheck>> => call<AuditCheck>('audit_verify'),
  /** Write the audit trail to a JSON file in the data folder. */
  auditExport: (): Promise<Result<AuditExport>> => call<AuditExport>('audit_export'),

  // ── À vérifier (the review queue) ───────────────────────────────────────────────────────
  /** How many operations wait for a manager's review (any operator: the header's badge). */
  reviewCount: (): Promise<Result<number>> => call<number>('review_count'),
  /** Every operation waiting for review, oldest first, with its evidence (manager). */
  reviewList: (): Promise<Result<ReviewItem[]>> => call<ReviewItem[]>('review_list'),
  /** Settle one as read at the provider, with a note and the manager's PIN again (manager). */
  settleReview: (
    id: string,
    outcome: ReviewOutcome,
    note: string,
    pin: string,
  ): Promise<Result<Operation>> => call<Operation>('settle_review', { id, outcome, note, pin }),

  // ── La caisse (shifts, cash drawer, reports, float) ─────────────────────────────────────
  /** The open shift, or null (the header polls it). */
  currentShift: (): Promise<Result<Shift | null>> => call<Shift | null>('current_shift'),
  /** Open a shift with the counted float. */
  openShift: (float: Counted): Promise<Result<Shift>> => call<Shift>('open_shift', { float }),
  /** Cash paid in or out of the drawer, with its reason. */
  cashMovement: (direction: Direction, amountMinor: number, reason: string): Promise<Result<CashMovement>> =>
    call<CashMovement>('cash_movement', { direction, amountMinor, reason }),
  /** Close the open shift with the counted cash; a difference needs a manager's approval. */
  closeShift: (shiftId: number, counted: Counted, approval: Approval | null): Promise<Result<ShiftClosed>> =>
    call<ShiftClosed>('close_shift', { shiftId, counted, approval }),
  /** The X report of the open shift. */
  xReport: (): Promise<Result<ShiftReport>> => call<ShiftReport>('x_report', { id: null }),
  /** A stored Z report (the last one without a number). */
  zReport: (number: number | null): Promise<Result<ShiftReport>> => call<ShiftReport>('z_report', { number }),
  /** The day report (manager), day as YYYY-MM-DD. */
  dayReport: (day: string): Promise<Result<ShiftReport>> => call<ShiftReport>('day_report', { day }),
  /** A report as the printer lays it out (32 or 48 columns). */
  reportText: (report: ShiftReport, width: ReceiptWidth): Promise<Result<ReceiptText>> =>
    call<ReceiptText>('report_text', { report, width }),
  /** Print a report (or get its text for the system dialog). */
  printReport: (report: ShiftReport): Promise<Result<ReportPrint>> => call<ReportPrint>('print_report', { report }),
  /** Save a report as a PDF in the till's data folder (`rapports/`); answers its full path. */
  saveReportPdf: (report: ShiftReport): Promise<Result<SavedReport>> =>
    call<SavedReport>('save_report_pdf', { report }),
  /** Each provider's float from the last readings (the header polls it). */
  floatStatus: (): Promise<Result<FloatStatus[]>> => call<FloatStatus[]>('float_status'),
  /** Read each provider's balance now. */
  readFloats: (): Promise<Result<FloatStatus[]>> => call<FloatStatus[]>('read_floats'),
  /** The business day's settings (manager). */
  daySettings: (): Promise<Result<DaySettings>> => call<DaySettings>('day_settings'),
  /** Change the business day's settings (manager). */
  saveDaySettings: (settings: DaySettings): Promise<Result<DaySettings>> =>
    call<DaySettings>('save_day_settings', { settings }),

  /**
   * Follow `close-requested` (kiosk mode refused to close the window: ask for a manager's PIN).
   * Resolves to the function that stops listening.
   */
  onCloseRequested: async (handler: () => void): Promise<Result<() => void>> => {
    try {
      const stop = await listen<null>(CLOSE_REQUESTED, () => handler());
      return { ok: true, value: stop };
    } catch (reason: unknown) {
      return { ok: false, error: toCommandError(reason) };
    }
  },
  /**
   * Follow every change of every operation (the till's window only): the shell sends each one
   * over a channel of this window. Resolves once the shell has it.
   */
  followOperations: (handler: (operation: Operation) => void): Promise<Result<null>> =>
    call<null>('follow_operations', { onUpdate: new Channel<Operation>(handler) }),
  /**
   * The customer display's feed: resolves to the operation under way (or null), then every
   * change comes to `handler`, each cut to what the customer sees.
   */
  followCustomerView: (handler: (view: CustomerView) => void): Promise<Result<CustomerView | null>> =>
    call<CustomerView | null>('follow_customer_view', { onUpdate: new Channel<CustomerView>(handler) }),
};
