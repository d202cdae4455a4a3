import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import { api, errorText, isCommandError, toCommandError, UI_ERROR_CODES } from './api';
import type { AppInfo, CommandError } from './bindings';

const INFO: AppInfo = {
  shop_name: 'Boutique Test',
  operator_name: 'Moussa',
  mode: 'training',
  language: 'fr',
  version: '0.1.0',
};

const LEDGER_DOWN: CommandError = {
  code: 'ledger_unavailable',
  message: { fr: 'Registre indisponible.', en: 'Ledger unavailable.' },
};

describe('api', () => {
  afterEach(() => clearMocks());

  it('calls app_info and set_language with the right arguments', async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === 'app_info') return INFO;
      if (cmd === 'set_language') return { ...INFO, language: (args as { language: string }).language };
      throw new Error(`unexpected ${cmd}`);
    });
    expect(await api.appInfo()).toEqual({ ok: true, value: INFO });
    expect(await api.setLanguage('en')).toEqual({ ok: true, value: { ...INFO, language: 'en' } });
    expect(calls).toEqual([
      ['app_info', {}],
      ['set_language', { language: 'en' }],
    ]);
  });

  it('passes a CommandError from the shell through unchanged', async () => {
    mockIPC(() => {
      throw LEDGER_DOWN;
    });
    const result = await api.appInfo();
    expect(result).toEqual({ ok: false, error: LEDGER_DOWN });
    if (!result.ok) {
      expect(errorText(result.error, 'fr')).toBe('Registre indisponible.');
      expect(errorText(result.error, 'en')).toBe('Ledger unavailable.');
    }
  });

  it('turns anything else the shell rejects with into a bilingual "unexpected" error', async () => {
    mockIPC(() => {
      throw 'command app_info not found';
    });
    const result = await api.appInfo();
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe(UI_ERROR_CODES.unexpected);
      expect(result.error.message.fr).toMatch(/^Erreur inattendue\./);
      expect(result.error.message.fr).toMatch(/\(command app_info not found\)$/);
      expect(result.error.message.en).toMatch(/^Unexpected error\./);
    }
  });

  it('says the program is not answering when there is no Tauri IPC at all', async () => {
    clearMocks();
    const result = await api.appInfo();
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe(UI_ERROR_CODES.noBackend);
      expect(result.error.message.fr).toMatch(/ne répond pas/);
      expect(result.error.message.en).toMatch(/not answering/);
    }
  });

  it('maps rejection reasons', () => {
    mockIPC(() => null);
    expect(toCommandError(LEDGER_DOWN)).toEqual(LEDGER_DOWN);
    // Extra fields are dropped; a malformed CommandError is not trusted.
    expect(toCommandError({ ...LEDGER_DOWN, stack: 'x' })).toEqual(LEDGER_DOWN);
    expect(toCommandError({ code: 'x', message: 'plain' }).code).toBe(UI_ERROR_CODES.unexpected);
    expect(toCommandError({ code: 'x', message: { fr: 'seulement' } }).code).toBe(
      UI_ERROR_CODES.unexpected,
    );
    expect(toCommandError(new Error('boom')).message.en).toMatch(/\(boom\)$/);
    expect(toCommandError({ some: 'thing' }).message.fr).toMatch(/\(\{"some":"thing"\}\)$/);
    expect(toCommandError(undefined).message.fr).toMatch(/^Erreur inattendue\./);
    expect(toCommandError(null).code).toBe(UI_ERROR_CODES.unexpected);
  });

  it('recognises a CommandError', () => {
    expect(isCommandError(LEDGER_DOWN)).toBe(true);
    expect(isCommandError({ code: 'x' })).toBe(false);
    expect(isCommandError('x')).toBe(false);
    expect(isCommandError(null)).toBe(false);
  });
});
