import { describe, expect, it } from 'vitest';
import type { Offer } from './bindings';
import {
  amountProblemText,
  amountToTyping,
  checkAmount,
  commission,
  exponent,
  formatMoney,
  groupTyping,
  limitsText,
  parseAmount,
  presetsFor,
  readAmount,
} from './money';

const plain = (s: string) => s.replace(/[\u202f\u00a0]/g, ' ');

function offer(o: Partial<Offer> & { minV?: number; maxV?: number; step?: number } = {}): Offer {
  const xof = (minor: number) => ({ minor, currency: 'XOF' as const });
  return {
    kind: 'collection',
    min: o.minV === undefined ? null : xof(o.minV),
    max: o.maxV === undefined ? null : xof(o.maxV),
    multiple_of: o.step === undefined ? null : xof(o.step),
    otp_required: false,
    confirmation: null,
    extras: [],
    commission_bp: 0,
  };
}

describe('money', () => {
  it('knows which currencies have no minor unit', () => {
    expect(exponent('XOF')).toBe(0);
    expect(exponent('XAF')).toBe(0);
    expect(exponent('GNF')).toBe(0);
    expect(exponent('KES')).toBe(2);
    expect(exponent('USD')).toBe(2);
  });

  it('formats as the core does: FCFA, French grouping with U+202F, English with commas', () => {
    expect(formatMoney(12500, 'XOF', 'fr')).toBe('12\u202f500\u202fFCFA');
    expect(formatMoney(12500, 'XOF', 'en')).toBe('12,500\u202fFCFA');
    expect(plain(formatMoney(1_000_000, 'XAF', 'fr'))).toBe('1 000 000 FCFA');
    expect(plain(formatMoney(0, 'XOF', 'fr'))).toBe('0 FCFA');
    expect(plain(formatMoney(-2500, 'XOF', 'fr'))).toBe('-2 500 FCFA');
    expect(plain(formatMoney(125050, 'KES', 'fr'))).toBe('1 250,50 KES');
    expect(plain(formatMoney(125050, 'KES', 'en'))).toBe('1,250.50 KES');
    expect(plain(formatMoney(5, 'KES', 'fr'))).toBe('0,05 KES');
  });

  it('reads 12 500, 12.500, 12,500 and 12500 as the same amount of francs', () => {
    for (const text of ['12500', '12 500', '12\u202f500', '12.500', '12,500', ' 12 500 FCFA', '12500F', '12500 xof']) {
      expect(parseAmount(text, 'XOF'), text).toEqual({ ok: true, minor: 12500 });
    }
    expect(parseAmount('1.000.000', 'XOF')).toEqual({ ok: true, minor: 1_000_000 });
  });

  it('refuses what the core refuses', () => {
    expect(parseAmount('', 'XOF')).toEqual({ ok: false, error: 'empty' });
    expect(parseAmount('  ', 'XOF')).toEqual({ ok: false, error: 'empty' });
    expect(parseAmount('12,5', 'XOF')).toEqual({ ok: false, error: 'decimals' });
    expect(parseAmount('12.00', 'XOF')).toEqual({ ok: false, error: 'decimals' });
    expect(parseAmount('12a', 'XOF')).toEqual({ ok: false, error: 'invalid' });
    expect(parseAmount('-500', 'XOF')).toEqual({ ok: false, error: 'invalid' });
    expect(parseAmount('500 EUR', 'XOF')).toEqual({ ok: false, error: 'invalid' });
    expect(parseAmount('12..5', 'XOF')).toEqual({ ok: false, error: 'misplaced' });
    expect(parseAmount('1 2', 'XOF')).toEqual({ ok: true, minor: 12 });
    expect(parseAmount('12 ', 'XOF')).toEqual({ ok: true, minor: 12 });
    expect(parseAmount('1.250,50', 'KES')).toEqual({ ok: true, minor: 125050 });
    expect(parseAmount('1,250.5', 'KES')).toEqual({ ok: true, minor: 125050 });
    expect(parseAmount('1,250', 'KES')).toEqual({ ok: true, minor: 125000 });
    expect(parseAmount('1.2.3,45', 'KES')).toEqual({ ok: false, error: 'misplaced' });
    expect(parseAmount('99999999999999999999', 'XOF')).toEqual({ ok: false, error: 'overflow' });
  });

  it('groups the digits as they are typed and keeps the caret after the same digit', () => {
    expect(groupTyping('12500', 5)).toEqual({ text: '12 500', caret: 6 });
    expect(groupTyping('1250', 4)).toEqual({ text: '1 250', caret: 5 });
    expect(groupTyping('1 2500', 3)).toEqual({ text: '12 500', caret: 2 });
    expect(groupTyping('007', 3)).toEqual({ text: '7', caret: 1 });
    expect(groupTyping('12,5', 4)).toEqual({ text: '12,5', caret: 4 });
    expect(groupTyping('', 0)).toEqual({ text: '', caret: 0 });
    expect(amountToTyping(1_000_000, 'XOF')).toBe('1 000 000');
  });

  it('checks the limits and the multiple of an offer', () => {
    const o = offer({ minV: 500, maxV: 500_000, step: 100 });
    expect(checkAmount(5000, o)).toBeNull();
    expect(checkAmount(0, o)).toEqual({ code: 'amount_not_positive' });
    expect(checkAmount(400, o)).toEqual({ code: 'below_minimum', min: 500 });
    expect(checkAmount(500_100, o)).toEqual({ code: 'above_maximum', max: 500_000 });
    expect(checkAmount(5050, o)).toEqual({ code: 'not_a_multiple', multiple: 100, lower: 5000, upper: 5100 });
    expect(checkAmount(123, null)).toBeNull();
    expect(readAmount('5 050', 'XOF', o)).toEqual({ ok: false, problem: { code: 'not_a_multiple', multiple: 100, lower: 5000, upper: 5100 } });
    expect(readAmount('5 000', 'XOF', o)).toEqual({ ok: true, minor: 5000 });
    expect(readAmount('abc', 'XOF', o)).toEqual({ ok: false, problem: { code: 'invalid' } });
  });

  it('says each problem plainly, in both languages', () => {
    const t = (p: Parameters<typeof amountProblemText>[0], lng: 'fr' | 'en' = 'fr') => plain(amountProblemText(p, 'XOF', lng));
    expect(t({ code: 'below_minimum', min: 1000 })).toBe('Trop petit : le minimum est 1 000 FCFA.');
    expect(t({ code: 'above_maximum', max: 1_000_000 })).toBe('Trop grand : le maximum est 1 000 000 FCFA.');
    expect(t({ code: 'not_a_multiple', multiple: 100, lower: 5000, upper: 5100 })).toBe(
      'Le montant doit être un multiple de 100 FCFA : par exemple 5 000 FCFA ou 5 100 FCFA.',
    );
    expect(t({ code: 'not_a_multiple', multiple: 100, lower: 0, upper: 100 })).toBe(
      'Le montant doit être un multiple de 100 FCFA : par exemple 100 FCFA.',
    );
    expect(t({ code: 'decimals' })).toBe('Pas de centimes en francs CFA : tapez un nombre entier.');
    expect(t({ code: 'empty' }, 'en')).toBe('Enter an amount.');
    expect(plain(amountProblemText({ code: 'decimals' }, 'KES', 'en'))).toBe('At most 2 digits after the decimal point.');
  });

  it('states the limits in one line', () => {
    expect(plain(limitsText(offer({ minV: 200, maxV: 1_000_000 }), 'XOF', 'fr'))).toBe('De 200 FCFA à 1 000 000 FCFA');
    expect(plain(limitsText(offer({ minV: 500, maxV: 500_000, step: 100 }), 'XOF', 'fr'))).toBe(
      'De 500 FCFA à 500 000 FCFA, par multiples de 100 FCFA',
    );
    expect(plain(limitsText(offer({ minV: 100 }), 'XOF', 'en'))).toBe('At least 100 FCFA');
    expect(plain(limitsText(offer({ maxV: 100 }), 'XOF', 'fr'))).toBe('Au plus 100 FCFA');
    expect(limitsText(offer(), 'XOF', 'fr')).toBe('');
    expect(limitsText(null, 'XOF', 'fr')).toBe('');
  });

  it('keeps only the presets the offer accepts, and computes the commission', () => {
    expect(presetsFor([200, 500, 1000, 1050, 2_000_000], offer({ minV: 500, maxV: 1_000_000, step: 50 }))).toEqual([500, 1000, 1050]);
    expect(commission(1000, 100)).toBe(10);
    expect(commission(1250, 100)).toBe(12);
    expect(commission(1000, 0)).toBe(0);
  });
});
