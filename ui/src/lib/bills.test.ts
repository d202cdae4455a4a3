import { describe, expect, it } from 'vitest';
import type { Bill } from './bindings';
import { formatDueDate, isOverdue, parseDueDate, unpaidOldestFirst } from './bills';

function bill(ref: string, due: string | null, paid = false): Bill {
  return {
    reference_client: '1', reference_facture: ref, payment_transaction_number: null, customer_name: 'A',
    address: null, amount_minor: 100, fee_minor: 10, total_minor: 110, due_date: due, paid, meter_status: null,
  };
}

describe('bills', () => {
  it('reads the due dates billers write', () => {
    expect(parseDueDate('2026-10-15')?.getDate()).toBe(15);
    expect(parseDueDate('2026-10-15T00:00:00')?.getMonth()).toBe(9);
    expect(parseDueDate('15/10/2026')?.getMonth()).toBe(9);
    expect(parseDueDate('5-1-2026')?.getFullYear()).toBe(2026);
    expect(parseDueDate('31/02/2026')).toBeNull();
    expect(parseDueDate('octobre')).toBeNull();
    expect(parseDueDate(null)).toBeNull();
  });

  it('lists the unpaid bills oldest first; unreadable dates last, in their order', () => {
    const bills = [bill('b', '2026-10-31'), bill('paid', '2026-01-01', true), bill('x', null), bill('a', '30/09/2026'), bill('y', 'soon')];
    expect(unpaidOldestFirst(bills).map((b) => b.reference_facture)).toEqual(['a', 'b', 'x', 'y']);
  });

  it('formats due dates and tells when they are past', () => {
    expect(formatDueDate('2026-09-30', 'fr')).toBe('30 sept. 2026');
    expect(formatDueDate('2026-09-30', 'en')).toMatch(/^30 Sept? 2026$/);
    expect(formatDueDate('fin du mois', 'fr')).toBe('fin du mois');
    const today = new Date(2026, 10, 23, 18, 0);
    expect(isOverdue('2026-11-22', today)).toBe(true);
    expect(isOverdue('2026-11-23', today)).toBe(false);
    expect(isOverdue(null, today)).toBe(false);
  });
});
