import { describe, expect, it } from 'vitest';
import type { Service, Settings } from './bindings';
import { disabledServices, isEmptyPatch, servicesPatch, shopFormFrom, shopPatch, urlsPatch } from './settingsPatch';

const SAVED: Settings = {
  shop_name: 'Boutique Awa',
  shop_address: 'Rue 10, Dakar',
  receipt_header: 'NINEA 123\nTél 33 800 00 00',
  printer: null,
  idle_timeout_secs: 300,
  kiosk: false,
  language: 'fr',
  provider_urls: {
    dexchange: 'https://api-m.dexchange.sn/api/v1',
    easytransfert: 'http://proxy-airtime.easytransfert.app/api_v1/transaction',
    easytransfert_wallet: 'http://proxy-airtime.easytransfert.app/api_v1/admin/partner/wallet/single',
    unipesa: 'https://api.unipesa.tech',
  },
  disabled_services: ['B'],
};

const service = (code: string) => ({ code }) as Service;

describe('settings patch', () => {
  it('sends nothing when nothing changed, even with spaces and blank header lines', () => {
    const form = shopFormFrom(SAVED);
    expect(shopPatch(form, SAVED)).toEqual({});
    expect(isEmptyPatch(shopPatch(form, SAVED))).toBe(true);
    const spaced = { ...form, shop_name: '  Boutique Awa ', receipt_header: '\nNINEA 123\n\n  Tél 33 800 00 00 \n' };
    expect(shopPatch(spaced, SAVED)).toEqual({});
  });

  it('sends only the fields that changed, trimmed as the core stores them', () => {
    const form = { ...shopFormFrom(SAVED), shop_name: ' Boutique Awa & Fils ', idle_timeout_secs: 60, kiosk: true };
    expect(shopPatch(form, SAVED)).toEqual({ shop_name: 'Boutique Awa & Fils', idle_timeout_secs: 60, kiosk: true });
    const header = { ...shopFormFrom(SAVED), receipt_header: 'NINEA 123', shop_address: '' };
    expect(shopPatch(header, SAVED)).toEqual({ receipt_header: 'NINEA 123', shop_address: '' });
    expect(shopPatch({ ...shopFormFrom(SAVED), idle_timeout_secs: 0 }, SAVED)).toEqual({ idle_timeout_secs: 0 });
  });

  it('turns the ticked services into the list of those not offered', () => {
    const all = [service('A'), service('B'), service('C')];
    expect(disabledServices(all, new Set(['A', 'B']))).toEqual(['C']);
    expect(servicesPatch(all, new Set(['A', 'C']), SAVED)).toEqual({});
    expect(servicesPatch(all, new Set(['A', 'B', 'C']), SAVED)).toEqual({ disabled_services: [] });
    expect(servicesPatch(all, new Set(['B']), SAVED)).toEqual({ disabled_services: ['A', 'C'] });
  });

  it('sends the four URLs together when one changed', () => {
    expect(urlsPatch({ ...SAVED.provider_urls }, SAVED)).toEqual({});
    const changed = { ...SAVED.provider_urls, unipesa: ' https://sandbox.unipesa.tech ' };
    expect(urlsPatch(changed, SAVED)).toEqual({
      provider_urls: { ...SAVED.provider_urls, unipesa: 'https://sandbox.unipesa.tech' },
    });
  });
});
