import { describe, expect, it } from 'vitest';
import type { Refusal } from './bindings';
import { refusalText, refusalsOf, withoutField } from './refusals';

const r = (field: Refusal['field'], fr: string, extra: Refusal['extra'] = null): Refusal => ({
  code: 'phone_invalid', field, extra, message: { fr, en: fr.toUpperCase() },
});

describe('refusals', () => {
  const refusals = [r('amount', 'Trop petit.'), r('phone', 'Numéro faux.'), r('extra', 'Nom manquant.', 'customer_name'), r('amount', 'Pas un multiple.')];

  it('reads the refusals of a refused submit only', () => {
    expect(refusalsOf({ code: 'refused', message: { fr: '', en: '' }, refusals })).toHaveLength(4);
    expect(refusalsOf({ code: 'ledger_write', message: { fr: '', en: '' }, refusals })).toEqual([]);
    expect(refusalsOf({ code: 'refused', message: { fr: '', en: '' } })).toEqual([]);
    expect(refusalsOf(null)).toEqual([]);
  });

  it('gives each input its messages', () => {
    expect(refusalText(refusals, 'amount', 'fr')).toBe('Trop petit. Pas un multiple.');
    expect(refusalText(refusals, 'phone', 'en')).toBe('NUMÉRO FAUX.');
    expect(refusalText(refusals, 'extra', 'fr', 'customer_name')).toBe('Nom manquant.');
    expect(refusalText(refusals, 'extra', 'fr', 'bic')).toBeNull();
    expect(refusalText(refusals, 'otp', 'fr')).toBeNull();
    expect(withoutField(refusals, 'amount').map((x) => x.field)).toEqual(['phone', 'extra']);
  });
});
