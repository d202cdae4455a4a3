import { afterEach, describe, expect, it } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { get } from 'svelte/store';
import type { Kind, Provider, ProviderStatus, Service } from './bindings';
import { headerState, providerStatus, providersFor, refreshProviderStatus, setProviderStatus, unreachable } from './reachability';

function status(provider: Provider, reachable: boolean | null): ProviderStatus {
  const name = provider.toUpperCase();
  return {
    provider, reachable, checked_at: reachable === null ? null : '2026-11-23T09:05:00Z',
    message: { fr: `${name} ${reachable ? 'joignable' : 'injoignable'}`, en: `${name} ${reachable ? 'reachable' : 'unreachable'}` },
  };
}

function service(code: string, provider: Provider, kind: Kind, enabled = true): Service {
  return {
    code, provider, native_id: code, name: { fr: code, en: code }, country: 'SN', operator: 'orange', currency: 'XOF',
    phone_format: 'national', phone_required: true, enabled, note: null,
    offers: [{ kind, min: null, max: null, multiple_of: null, otp_required: false, confirmation: null, extras: [], commission_bp: 0 }],
  };
}

const SERVICES = [
  service('OM_SN_CASHOUT', 'dexchange', 'collection'),
  service('EASYTRANSFERT_1', 'easytransfert', 'collection'),
  service('UNIPESA_1', 'unipesa', 'collection', false),
  service('SENELEC_SN_BILL', 'dexchange', 'bill'),
];

describe('provider reachability', () => {
  afterEach(() => {
    clearMocks();
    setProviderStatus([]);
  });

  it('the header says offline first, then any unreachable provider, then all fine', () => {
    const up = [status('dexchange', true), status('unipesa', true)];
    expect(headerState(up, false)).toBe('offline');
    expect(headerState([], true)).toBe('none');
    expect(headerState(up, true)).toBe('reachable');
    expect(headerState([status('dexchange', true), status('unipesa', null)], true)).toBe('checking');
    const down = [status('dexchange', false), status('unipesa', null)];
    expect(headerState(down, true)).toBe('unreachable');
    expect(unreachable(down).map((s) => s.provider)).toEqual(['dexchange']);
  });

  it("a screen depends on its chosen service's provider, else on its enabled services' providers", () => {
    expect(providersFor('collect', SERVICES)).toEqual(['dexchange', 'easytransfert']);
    expect(providersFor('collect', SERVICES, 'EASYTRANSFERT_1')).toEqual(['easytransfert']);
    expect(providersFor('bills', SERVICES, null)).toEqual(['dexchange']);
    expect(providersFor('history', SERVICES)).toEqual([]);
  });

  it("keeps what the core answers and forgets it when refused", async () => {
    mockIPC((cmd) => {
      if (cmd === 'provider_status') return [status('dexchange', false)];
    });
    await refreshProviderStatus();
    expect(get(providerStatus).map((s) => s.reachable)).toEqual([false]);
    clearMocks();
    mockIPC(() => {
      throw { code: 'not_signed_in', message: { fr: 'x', en: 'x' } };
    });
    await refreshProviderStatus();
    expect(get(providerStatus)).toEqual([]);
  });
});
