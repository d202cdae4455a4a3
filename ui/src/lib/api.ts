// The one place the UI talks to the Rust shell. Every command goes through `call`, which never
// throws: it resolves to `{ ok: true, value }` or `{ ok: false, error }`, where `error` is always a
// well-formed CommandError whose message can be shown to the cashier as it is.
import { invoke } from '@tauri-apps/api/core';
import type { AppInfo, CommandError, Language, Localized } from './bindings';
import fr from './locales/fr.json';
import en from './locales/en.json';

export type Result<T> = { ok: true; value: T } | { ok: false; error: CommandError };

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

/**
 * Turn whatever a command rejected with into a CommandError. A CommandError passes through
 * unchanged; anything else becomes a generic message the cashier can act on, with the raw
 * detail appended for support.
 */
export function toCommandError(reason: unknown): CommandError {
  if (isCommandError(reason)) {
    return { code: reason.code, message: { fr: reason.message.fr, en: reason.message.en } };
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
};
