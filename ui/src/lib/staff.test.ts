import { describe, expect, it } from 'vitest';
import type { Operator } from './bindings';
import { byRoleThenName, canUnlock, lockedUntil, preselected } from './staff';

const NOW = new Date('2026-11-23T09:05:00Z');
const op = (fields: Partial<Operator>): Operator => ({
  id: 1,
  name: 'Awa',
  role: 'manager',
  failed_attempts: 0,
  locked_until: null,
  created_at: '2026-11-01T08:00:00Z',
  ...fields,
});

describe('staff', () => {
  it('says a lock runs only until its end', () => {
    expect(lockedUntil(op({}), NOW)).toBeNull();
    expect(lockedUntil(op({ locked_until: '2026-11-23T09:05:30Z' }), NOW)?.toISOString()).toBe('2026-11-23T09:05:30.000Z');
    expect(lockedUntil(op({ locked_until: '2026-11-23T09:04:00Z' }), NOW)).toBeNull();
    expect(lockedUntil(op({ locked_until: 'not a date' }), NOW)).toBeNull();
  });

  it('offers an unlock for a running lock or counted wrong PINs', () => {
    expect(canUnlock(op({}), NOW)).toBe(false);
    expect(canUnlock(op({ failed_attempts: 2 }), NOW)).toBe(true);
    expect(canUnlock(op({ locked_until: '2026-11-23T10:00:00Z', failed_attempts: 5 }), NOW)).toBe(true);
  });

  it('lists managers first, then by name', () => {
    const list = [op({ name: 'Moussa', role: 'cashier' }), op({ name: 'Binta', role: 'cashier' }), op({ name: 'Awa' })];
    expect(byRoleThenName(list).map((o) => o.name)).toEqual(['Awa', 'Binta', 'Moussa']);
  });

  it('selects who was signed in before, else the only operator', () => {
    const two = [op({ name: 'Awa' }), op({ name: 'Moussa' })];
    expect(preselected(two, 'Moussa')?.name).toBe('Moussa');
    expect(preselected(two, null)).toBeNull();
    expect(preselected(two, 'Gone')).toBeNull();
    expect(preselected([op({ name: 'Awa' })], null)?.name).toBe('Awa');
  });
});
