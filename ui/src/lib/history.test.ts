import { describe, expect, it } from 'vitest';
import { dayRange, EMPTY_FILTERS, hasFilters, localDay, searchText, toHistoryQuery } from './history';

describe('history filters', () => {
  it('strips the spaces, dots and dashes of numbers, and keeps references as typed', () => {
    expect(searchText('77 123 45 67')).toBe('771234567');
    expect(searchText('+221 77-123-45-67')).toBe('+221771234567');
    expect(searchText('1234 5678 9012')).toBe('123456789012');
    expect(searchText('12 500')).toBe('12500');
    expect(searchText('12.500')).toBe('12500');
    expect(searchText('12\u202f500')).toBe('12500');
    expect(searchText('  SE-2026-10  ')).toBe('SE-2026-10');
    expect(searchText('Awa   Ndiaye')).toBe('Awa Ndiaye');
    expect(searchText('   ')).toBeNull();
  });

  it('turns a local day into [from, to)', () => {
    const range = dayRange('2026-11-22');
    expect(range).not.toBeNull();
    const from = new Date(range?.from ?? '');
    const to = new Date(range?.to ?? '');
    expect(localDay(from)).toBe('2026-11-22');
    expect(from.getHours()).toBe(0);
    expect(localDay(to)).toBe('2026-11-23');
    expect(to.getTime() - from.getTime()).toBeGreaterThanOrEqual(23 * 3600_000);
    expect(dayRange('')).toBeNull();
    expect(dayRange('2026-02-30')).toBeNull();
    expect(dayRange('22/11/2026')).toBeNull();
  });

  it('builds the ledger query', () => {
    expect(toHistoryQuery(EMPTY_FILTERS)).toEqual({
      text: null, status: null, kind: null, from: null, to: null, training: null, limit: 100,
    });
    const q = toHistoryQuery({ text: '77 123', date: '2026-11-22', status: 'failed', kind: 'collection' }, 20);
    expect(q.text).toBe('77123');
    expect(q.status).toBe('failed');
    expect(q.kind).toBe('collection');
    expect(q.from).toBe(dayRange('2026-11-22')?.from);
    expect(q.limit).toBe(20);
    expect(hasFilters(EMPTY_FILTERS)).toBe(false);
    expect(hasFilters({ ...EMPTY_FILTERS, status: 'success' })).toBe(true);
    expect(hasFilters({ ...EMPTY_FILTERS, text: '  ' })).toBe(false);
  });
});
