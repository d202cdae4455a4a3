import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import { api, errorText, isCommandError, isSessionEnded, onSessionEnded, toCommandError, UI_ERROR_CODES } from './api';
import type { AppInfo, CommandError } from './bindings';

const INFO: AppInfo = {
  shop_name: 'Boutique Test',
  operator_name: 'Moussa',
  mode: 'training',
  language: 'fr',
  version: '0.1.0',
  needs_setup: false,
  session: { operator_id: 2, name: 'Moussa', role: 'cashier' },
  idle_timeout_secs: 300,
  kiosk: false,
  notice: null,
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
    // The host a provider address warning names goes through; a malformed one does not.
    const host = { code: 'provider_host_unconfirmed', message: { fr: 'a', en: 'b' }, host: 'api.example.net' };
    expect(toCommandError(host).host).toBe('api.example.net');
    expect(toCommandError({ ...host, host: 42 }).host).toBeUndefined();
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

  it('calls the operator and Réglages commands by their names, with the keys the shell reads', async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return null;
    });
    const setup = { shop_name: 'B', shop_address: '', receipt_header: '', manager_name: 'Awa', pin: '1234' };
    const query = { from: null, to: null, after_seq: null, actor: null, action: 'login', limit: null };
    const printer = { connection: { type: 'network' as const, host: '10.0.0.9', port: 9100 }, width: '58mm' as const };
    await api.firstRun(setup);
    await api.loginNames();
    await api.login('Awa', '1234');
    await api.logout(true);
    await api.kioskExit('Awa', '1234');
    await api.changeOwnPin('1234', '5678');
    await api.settings();
    await api.saveSettings({ kiosk: true });
    await api.savePrinter(printer);
    await api.savePrinter(null);
    await api.allServices();
    await api.accountServices();
    await api.refreshAccountServices();
    await api.providerKeys();
    await api.setProviderKey('dexchange', 'api_key', 'sk_x');
    await api.deleteProviderKey('unipesa', 'secret');
    await api.checkConnection('easytransfert');
    await api.operators();
    await api.createOperator('Moussa', '5678', 'cashier');
    await api.resetPin(3, '0000');
    await api.unlockOperator(3);
    await api.confirmPin('1234');
    await api.setMode('live', '1234');
    await api.auditLog(query);
    await api.auditVerify();
    await api.auditExport();
    expect(calls).toEqual([
      ['first_run', { setup }],
      ['login_names', {}],
      ['login', { name: 'Awa', pin: '1234' }],
      ['logout', { idle: true }],
      ['kiosk_exit', { name: 'Awa', pin: '1234' }],
      ['change_own_pin', { current: '1234', new: '5678' }],
      ['settings', {}],
      ['save_settings', { patch: { kiosk: true } }],
      ['save_printer', { printer }],
      ['save_printer', { printer: null }],
      ['all_services', {}],
      ['account_services', {}],
      ['refresh_account_services', {}],
      ['provider_keys', {}],
      ['set_provider_key', { provider: 'dexchange', field: 'api_key', value: 'sk_x' }],
      ['delete_provider_key', { provider: 'unipesa', field: 'secret' }],
      ['check_connection', { provider: 'easytransfert' }],
      ['operators', {}],
      ['create_operator', { name: 'Moussa', pin: '5678', role: 'cashier' }],
      ['reset_pin', { id: 3, pin: '0000' }],
      ['unlock_operator', { id: 3 }],
      ['confirm_pin', { pin: '1234' }],
      ['set_mode', { mode: 'live', pin: '1234' }],
      ['audit_log', { query }],
      ['audit_verify', {}],
      ['audit_export', {}],
    ]);
  });

  it('tells its listeners when a call is refused because the session ended, and only then', async () => {
    const ended: string[] = [];
    const stop = onSessionEnded((error) => ended.push(error.code));
    let answer: CommandError = LEDGER_DOWN;
    mockIPC(() => {
      throw answer;
    });
    await api.history({ text: null, status: null, kind: null, from: null, to: null, training: null, limit: 1 });
    expect(ended).toEqual([]);
    answer = { code: 'session_locked', message: { fr: 'Session verrouillée.', en: 'Session locked.' } };
    const result = await api.services();
    expect(result.ok).toBe(false);
    answer = { code: 'not_signed_in', message: { fr: 'Personne.', en: 'Nobody.' } };
    await api.settings();
    expect(ended).toEqual(['session_locked', 'not_signed_in']);
    stop();
    await api.settings();
    expect(ended).toHaveLength(2);
    expect(isSessionEnded(answer)).toBe(true);
    expect(isSessionEnded(LEDGER_DOWN)).toBe(false);
  });
});
