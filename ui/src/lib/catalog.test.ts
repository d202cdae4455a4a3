import { afterEach, describe, expect, it } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { get } from 'svelte/store';
import type { Kind, Service } from './bindings';
import { airtimeService, catalog, countriesFor, fillUssd, loadCatalog, offerOf, resetCatalog, serviceByCode, servicesFor } from './catalog';

function service(code: string, country: Service['country'], operator: string, kinds: Kind[], enabled = true): Service {
  return {
    code, provider: 'dexchange', native_id: code, name: { fr: code, en: code }, country, operator, currency: 'XOF',
    phone_format: 'national', phone_required: true, enabled, note: null,
    offers: kinds.map((kind) => ({ kind, min: null, max: null, multiple_of: null, otp_required: false, confirmation: null, extras: [], commission_bp: 0 })),
  };
}

const SERVICES = [
  service('OM_CI_CASHOUT', 'CI', 'orange', ['collection']),
  service('OM_SN_CASHOUT', 'SN', 'orange', ['collection']),
  service('OM_SN_CASHIN', 'SN', 'orange', ['disbursement']),
  service('OLD_ML_CASHOUT', 'ML', 'orange', ['collection'], false),
  service('ORANGE_SN_AIRTIME', 'SN', 'orange', ['airtime']),
  service('FREE_SN_AIRTIME', 'SN', 'free', ['airtime']),
  service('UNIPESA_1', 'BF', 'orange', ['collection', 'disbursement']),
];

describe('catalog', () => {
  afterEach(() => {
    clearMocks();
    resetCatalog();
  });

  it('finds the enabled services of a kind, and their countries with Senegal first', () => {
    expect(servicesFor(SERVICES, 'collection').map((s) => s.code)).toEqual(['OM_CI_CASHOUT', 'OM_SN_CASHOUT', 'UNIPESA_1']);
    expect(servicesFor(SERVICES, 'collection', 'SN').map((s) => s.code)).toEqual(['OM_SN_CASHOUT']);
    expect(countriesFor(SERVICES, 'collection')).toEqual(['SN', 'CI', 'BF']);
    expect(countriesFor(SERVICES, 'disbursement')).toEqual(['SN', 'BF']);
    expect(airtimeService(SERVICES, 'free')?.code).toBe('FREE_SN_AIRTIME');
    expect(airtimeService(SERVICES, 'expresso')).toBeUndefined();
    expect(offerOf(serviceByCode(SERVICES, 'UNIPESA_1'), 'disbursement')?.kind).toBe('disbursement');
    expect(offerOf(undefined, 'airtime')).toBeNull();
  });

  it('fills « montant » in a USSD code', () => {
    expect(fillUssd('*144*4*6*montant#', '2500')).toBe('*144*4*6*2500#');
    expect(fillUssd('#144#391#', '2500')).toBe('#144#391#');
    expect(fillUssd('*144*4*6*montant#', null)).toBe('*144*4*6*montant#');
  });

  it('loads the catalog once, and again on retry after a failure', async () => {
    let calls = 0;
    let fail = true;
    mockIPC((cmd) => {
      if (cmd !== 'services') throw new Error(cmd);
      calls++;
      if (fail) throw { code: 'catalog_broken', message: { fr: 'Catalogue illisible.', en: 'Unreadable catalog.' } };
      return SERVICES;
    });
    await loadCatalog();
    expect(get(catalog)).toMatchObject({ state: 'error', error: { code: 'catalog_broken' } });
    fail = false;
    await loadCatalog(true);
    expect(get(catalog)).toMatchObject({ state: 'ready' });
    await loadCatalog();
    expect(calls).toBe(2);
  });
});
