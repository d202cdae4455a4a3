import { describe, expect, it } from 'vitest';
import type { ProviderKey } from './bindings';
import { balanceText, keyStatus, PROVIDER_KEYS, providerComplete } from './providerKeys';

const key = (provider: string, field: string, present: boolean): ProviderKey => ({
  provider,
  field,
  present,
  masked: present ? '••••1234' : null,
});

describe('provider keys', () => {
  it('lists the keys the core knows, per provider', () => {
    expect(PROVIDER_KEYS.flatMap((p) => p.fields.map((f) => `${p.provider}.${f}`))).toEqual([
      'dexchange.api_key',
      'easytransfert.api_key',
      'unipesa.public_id',
      'unipesa.merchant_id',
      'unipesa.secret',
    ]);
  });

  it('finds a key and says whether a provider has all of its keys', () => {
    const keys = [key('dexchange', 'api_key', true), key('unipesa', 'public_id', true), key('unipesa', 'secret', false)];
    expect(keyStatus(keys, 'dexchange', 'api_key')?.masked).toBe('••••1234');
    expect(keyStatus(keys, 'easytransfert', 'api_key')).toBeUndefined();
    const [dexchange, , unipesa] = PROVIDER_KEYS;
    expect(dexchange && providerComplete(keys, dexchange)).toBe(true);
    expect(unipesa && providerComplete(keys, unipesa)).toBe(false);
  });

  it('formats a balance in FCFA, or nothing for the gateway', () => {
    expect(balanceText({ provider: 'dexchange', balance: { amount_minor: 125000, currency: 'XOF' } }, 'fr')).toBe('125\u202f000\u202fFCFA');
    expect(balanceText({ provider: 'dexchange', balance: { amount_minor: 125000, currency: 'XOF' } }, 'en')).toBe('125,000\u202fFCFA');
    expect(balanceText({ provider: 'unipesa', balance: null }, 'fr')).toBeNull();
  });
});
