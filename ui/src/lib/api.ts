// The one place the UI talks to the Rust shell. Every command goes through `call`, which never
// throws: it resolves to `{ ok: true, value }` or `{ ok: false, error }`, where `error` is always a
// well-formed CommandError whose message can be shown to the cashier as it is.
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type {
  AppInfo,
  Bill,
  CommandError,
  HistoryQuery,
  Language,
  Localized,
  Operation,
  Refusal,
  Service,
} from './bindings';
import {
  OPERATION_UPDATED,
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

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<Result<T>> {
  try {
    const value = await invoke<T>(cmd, args);
    return { ok: true, value };
  } catch (reason: unknown) {
    return { ok: false, error: toCommandError(reason) };
  }
}

export const api = {
  /** Shop, operator, mode, saved language and version. */
  appInfo: (): Promise<Result<AppInfo>> => call<AppInfo>('app_info'),
  /** Save the cashier's language choice in the ledger; answers the updated AppInfo. */
  setLanguage: (language: Language): Promise<Result<AppInfo>> =>
    call<AppInfo>('set_language', { language }),
  /** The catalog: every service with its offers, limits, multiples and OTP syntax. */
  services: (): Promise<Result<Service[]>> => call<Service[]>('services'),
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
  /** Open (or bring forward) the customer display window, for a second monitor. */
  openCustomerDisplay: (): Promise<Result<null>> => call<null>('open_customer_display'),
  /**
   * Follow `operation-updated`, emitted by the shell on every change of an operation. Resolves
   * to the function that stops listening.
   */
  onOperationUpdated: async (
    handler: (operation: Operation) => void,
  ): Promise<Result<() => void>> => {
    try {
      const stop = await listen<Operation>(OPERATION_UPDATED, (event) => handler(event.payload));
      return { ok: true, value: stop };
    } catch (reason: unknown) {
      return { ok: false, error: toCommandError(reason) };
    }
  },
};
