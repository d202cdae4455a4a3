// SenEau / Senelec bills as the inquiry returns them: which are unpaid, which is the oldest.
import type { Bill, Language } from './bindings';
import { intlLocale } from './i18n';

/** Read a due date as billers write it: `2026-10-15`, `15/10/2026`, `15-10-2026`. */
export function parseDueDate(text: string | null): Date | null {
  if (!text) return null;
  const s = text.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  if (m) return makeDate(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  if (m) return makeDate(Number(m[3]), Number(m[2]), Number(m[1]));
  return null;
}

function makeDate(year: number, month: number, day: number): Date | null {
  const d = new Date(year, month - 1, day);
  return d.getFullYear() === year && d.getMonth() === month - 1 && d.getDate() === day ? d : null;
}

/** The due date for people (« 15 oct. 2026 »), or the biller's text when it cannot be read. */
export function formatDueDate(text: string | null, lang: Language): string {
  const date = parseDueDate(text);
  if (!date) return text ?? '';
  return new Intl.DateTimeFormat(intlLocale(lang), {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  }).format(date);
}

/** Unpaid bills, oldest due date first (bills without a readable date keep their order, last). */
export function unpaidOldestFirst(bills: readonly Bill[]): Bill[] {
  return bills
    .map((bill, index) => ({ bill, index, due: parseDueDate(bill.due_date)?.getTime() }))
    .filter(({ bill }) => !bill.paid)
    .sort((a, b) => {
      if (a.due !== undefined && b.due !== undefined && a.due !== b.due) return a.due - b.due;
      if (a.due === undefined && b.due !== undefined) return 1;
      if (a.due !== undefined && b.due === undefined) return -1;
      return a.index - b.index;
    })
    .map(({ bill }) => bill);
}

/** Whether a due date is past (the bill is late) on `today`. */
export function isOverdue(text: string | null, today: Date = new Date()): boolean {
  const due = parseDueDate(text);
  if (!due) return false;
  const start = new Date(today.getFullYear(), today.getMonth(), today.getDate());
  return due.getTime() < start.getTime();
}
