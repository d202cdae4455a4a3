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

  it('calls the operation commands by their names, with camelCase argument keys', async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return cmd === 'qr_svg' ? '<svg/>' : null;
    });
    const request = {
      request: {
        service_code: 'SENEAU_SN_BILL',
        kind: 'bill' as const,
        amount: { minor: 8450, currency: 'XOF' as const },
        phone: null,
        otp: null,
        extras: { reference_client: '1234567' },
      },
      invoice_ref: 'SE-1',
      item_name: null,
    };
    const query = { text: '771234567', status: null, kind: null, from: null, to: null, training: null, limit: 100 };
    await api.services();
    await api.billInquiry('SENEAU_SN_BILL', '1234567');
    await api.submit(request);
    await api.confirmOtp('op-1', '4321');
    await api.operation('op-1');
    await api.history(query);
    await api.receipt('op-1', 48, 'merchant');
    await api.printReceipt('op-1', 'customer');
    expect(await api.qrSvg('https://pay.example/1')).toEqual({ ok: true, value: '<svg/>' });
    await api.openCustomerDisplay();
    expect(calls).toEqual([
      ['services', {}],
      ['bill_inquiry', { serviceCode: 'SENEAU_SN_BILL', reference: '1234567' }],
      ['submit', { request }],
      ['confirm_otp', { id: 'op-1', otp: '4321' }],
      ['operation', { id: 'op-1' }],
      ['history', { query }],
      ['receipt', { id: 'op-1', width: 48, copy: 'merchant' }],
      ['print_receipt', { id: 'op-1', copy: 'customer' }],
      ['qr_svg', { text: 'https://pay.example/1' }],
      ['open_customer_display', {}],
    ]);
  });

  it('keeps the refusals of a refused submit, and drops malformed ones', async () => {
    const refusal = {
      code: 'below_minimum',
      field: 'amount',
      extra: null,
      message: { fr: 'Trop petit.', en: 'Too small.' },
    };
    mockIPC(() => {
      throw {
        code: 'refused',
        message: { fr: 'Refusé.', en: 'Refused.' },
        refusals: [refusal, { code: 'x' }, { ...refusal, field: 'phone', extra: undefined }],
      };
    });
    const result = await api.submit({
      request: { service_code: 'X', kind: 'airtime', amount: { minor: 1, currency: 'XOF' }, phone: null, otp: null, extras: {} },
      invoice_ref: null,
      item_name: null,
    });
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'refused',
        message: { fr: 'Refusé.', en: 'Refused.' },
        refusals: [refusal, { ...refusal, field: 'phone', extra: null }],
      },
    });
  });
});
