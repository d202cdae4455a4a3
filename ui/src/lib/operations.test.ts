import { describe, expect, it } from 'vitest';
import type { Kind, Service } from './bindings';
import { translate } from './i18n';
import {
  GRID_COLUMNS,
  nextIndex,
  OPERATIONS,
  operationById,
  operationForKey,
  operationsFor,
  sellable,
} from './operations';

function service(code: string, kind: Kind, enabled = true): Service {
  return {
    code, provider: 'dexchange', native_id: code, name: { fr: code, en: code }, country: 'SN', operator: 'orange', currency: 'XOF',
    phone_format: 'national', phone_required: true, enabled, note: null,
    offers: [{ kind, min: null, max: null, multiple_of: null, otp_required: false, confirmation: null, extras: [], commission_bp: 0 }],
  };
}

describe('sellable', () => {
  const cashier = operationsFor('cashier');

  it('keeps every entry while the services are not known', () => {
    expect(sellable(cashier, null)).toEqual(cashier);
  });

  it('drops a sale entry with no offered service of its kind, never History or Réglages', () => {
    const offered = [service('ORANGE_SN_AIRTIME', 'airtime'), service('OM_SN_CASHOUT', 'collection'), service('SENELEC_SN_BILL', 'bill', false)];
    expect(sellable(operationsFor('manager'), offered).map((o) => o.id)).toEqual(['airtime', 'collect', 'history', 'settings']);
    expect(sellable(cashier, []).map((o) => o.id)).toEqual(['history']);
  });
});

describe('operations', () => {
  it('lists the eight entries in the cashier order with shortcuts 1 to 8', () => {
    expect(OPERATIONS.map((o) => [o.shortcut, o.id])).toEqual([
      [1, 'bills'],
      [2, 'woyofal'],
      [3, 'airtime'],
      [4, 'paymentLink'],
      [5, 'collect'],
      [6, 'payout'],
      [7, 'history'],
      [8, 'settings'],
    ]);
  });

  it('has French and English titles for every entry', () => {
    expect(OPERATIONS.map((o) => translate(o.titleKey, undefined, 'fr'))).toEqual([
      'Factures',
      'Woyofal',
      'Crédit',
      'Lien de paiement',
      'Encaissement',
      'Paiement',
      'Historique',
      'Réglages',
    ]);
    expect(OPERATIONS.map((o) => translate(o.titleKey, undefined, 'en'))).toEqual([
      'Bills',
      'Woyofal',
      'Airtime',
      'Payment link',
      'Collect',
      'Pay out',
      'History',
      'Settings',
    ]);
    for (const op of OPERATIONS) {
      for (const lng of ['fr', 'en'] as const) {
        const description = translate(op.descriptionKey, undefined, lng);
        expect(description).not.toBe(op.descriptionKey);
        expect(description.length).toBeGreaterThan(3);
      }
    }
  });

  it('mentions what each French description promises', () => {
    const fr = (id: Parameters<typeof operationById>[0]) =>
      translate(operationById(id).descriptionKey, undefined, 'fr');
    expect(fr('bills')).toMatch(/SenEau/);
    expect(fr('bills')).toMatch(/Senelec/);
    expect(fr('woyofal')).toMatch(/20 chiffres/);
    expect(fr('paymentLink')).toMatch(/QR code/);
    expect(fr('collect')).toMatch(/portefeuille mobile/);
    expect(fr('payout')).toMatch(/portefeuille mobile/);
  });

  it('maps digit keys and the numeric keypad to entries', () => {
    expect(operationForKey('1')?.id).toBe('bills');
    expect(operationForKey('3')?.id).toBe('airtime');
    expect(operationForKey('8')?.id).toBe('settings');
    // Numeric keypad with Num Lock on: key is the digit.
    expect(operationForKey('5', 'Numpad5')?.id).toBe('collect');
    // Num Lock off: key is a navigation key, code still says which pad key.
    expect(operationForKey('End', 'Numpad1')?.id).toBe('bills');
    expect(operationForKey('PageDown', 'Numpad3')?.id).toBe('airtime');
    expect(operationForKey('9')).toBeUndefined();
    expect(operationForKey('0')).toBeUndefined();
    expect(operationForKey('a', 'KeyA')).toBeUndefined();
    expect(operationForKey('Enter', 'NumpadEnter')).toBeUndefined();
  });

  it('moves focus across a 4 × 2 grid with the arrow keys, stopping at the edges', () => {
    expect(GRID_COLUMNS).toBe(4);
    expect(nextIndex(0, 'ArrowRight')).toBe(1);
    expect(nextIndex(3, 'ArrowRight')).toBe(4);
    expect(nextIndex(7, 'ArrowRight')).toBe(7);
    expect(nextIndex(0, 'ArrowLeft')).toBe(0);
    expect(nextIndex(5, 'ArrowLeft')).toBe(4);
    expect(nextIndex(1, 'ArrowDown')).toBe(5);
    expect(nextIndex(5, 'ArrowDown')).toBe(5);
    expect(nextIndex(6, 'ArrowUp')).toBe(2);
    expect(nextIndex(2, 'ArrowUp')).toBe(2);
    expect(nextIndex(5, 'Home')).toBe(0);
    expect(nextIndex(1, 'End')).toBe(7);
    expect(nextIndex(1, 'Enter')).toBeUndefined();
  });

  it('keeps Réglages for managers: a cashier sees seven entries and "8" opens nothing', () => {
    expect(OPERATIONS.filter((o) => o.managerOnly).map((o) => o.id)).toEqual(['settings']);
    expect(operationsFor('manager').map((o) => o.id)).toEqual(OPERATIONS.map((o) => o.id));
    const cashier = operationsFor('cashier');
    expect(cashier.map((o) => o.shortcut)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(operationForKey('8', 'Digit8', cashier)).toBeUndefined();
    expect(operationForKey('7', 'Digit7', cashier)?.id).toBe('history');
    expect(operationForKey('8', 'Digit8', operationsFor('manager'))?.id).toBe('settings');
  });
});
