// The history screen's filters, turned into the ledger query the core answers (offline).
import type { HistoryQuery, Kind, OperationStatus } from './bindings';

export interface HistoryFilters {
  /** Phone, meter or bill reference, token, provider reference, or an amount. */
  text: string;
  /** `yyyy-mm-dd` (the date input's value), the shop's local day; '' for any day. */
  date: string;
  status: OperationStatus | '';
  kind: Kind | '';
}

export const EMPTY_FILTERS: HistoryFilters = { text: '', date: '', status: '', kind: '' };

/** How many operations one search shows. */
export const HISTORY_LIMIT = 100;

/**
 * The search text as the core wants it. Numbers typed with spaces, dots or dashes — a phone
 * (`77 123 45 67`), a token (`1234 5678 …`), an amount (`12 500`, `12.500`) — lose them;
 * references with letters are kept as typed.
 */
export function searchText(text: string): string | null {
  const trimmed = text.trim().replace(/\s+/g, ' ');
  if (trimmed === '') return null;
  if (/^\+?[0-9][0-9 .\-\u00a0\u202f]*$/.test(trimmed)) return trimmed.replace(/[ .\-\u00a0\u202f]/g, '');
  return trimmed;
}

/** The local day `yyyy-mm-dd` as the instants [from, to). */
export function dayRange(date: string): { from: string; to: string } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const start = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (Number.isNaN(start.getTime()) || start.getDate() !== Number(m[3])) return null;
  const end = new Date(start.getFullYear(), start.getMonth(), start.getDate() + 1);
  return { from: start.toISOString(), to: end.toISOString() };
}

/** The ledger query for the filters. */
export function toHistoryQuery(filters: HistoryFilters, limit = HISTORY_LIMIT): HistoryQuery {
  const range = dayRange(filters.date);
  return {
    text: searchText(filters.text),
    status: filters.status === '' ? null : filters.status,
    kind: filters.kind === '' ? null : filters.kind,
    from: range?.from ?? null,
    to: range?.to ?? null,
    training: null,
    limit,
  };
}

/** `yyyy-mm-dd` of a date in local time (for the date input). */
export function localDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Whether any filter is set. */
export function hasFilters(filters: HistoryFilters): boolean {
  return filters.text.trim() !== '' || filters.date !== '' || filters.status !== '' || filters.kind !== '';
}
