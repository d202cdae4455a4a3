// Clock text for the header, in the shop's local time zone.
import type { Language } from './bindings';
import { intlLocale } from './i18n';

const timeFormats = new Map<Language, Intl.DateTimeFormat>();
const dateFormats = new Map<Language, Intl.DateTimeFormat>();

function cached(
  cache: Map<Language, Intl.DateTimeFormat>,
  lng: Language,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  let f = cache.get(lng);
  if (!f) {
    f = new Intl.DateTimeFormat(intlLocale(lng), options);
    cache.set(lng, f);
  }
  return f;
}

/** "09:05" — 24-hour clock in both languages. */
export function formatTime(date: Date, lng: Language): string {
  return cached(timeFormats, lng, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    date,
  );
}

/** "lundi 23 novembre 2026" / "Monday, 23 November 2026". */
export function formatDate(date: Date, lng: Language): string {
  return cached(dateFormats, lng, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(date);
}

const shortDateFormats = new Map<Language, Intl.DateTimeFormat>();

/** "lun. 23 nov." / "Mon 23 Nov": the header's date when the window is narrow. */
export function formatDateShort(date: Date, lng: Language): string {
  return cached(shortDateFormats, lng, { weekday: 'short', day: 'numeric', month: 'short' }).format(
    date,
  );
}

/** Milliseconds until the next minute starts, so the clock turns over on time. */
export function msUntilNextMinute(date: Date): number {
  return 60_000 - (date.getSeconds() * 1000 + date.getMilliseconds());
}

const stampFormats = new Map<Language, Intl.DateTimeFormat>();

/** "23/11/2026 09:05" — a ledger instant (RFC 3339) in local time; the text itself if unreadable. */
export function formatStamp(iso: string, lng: Language): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return cached(stampFormats, lng, {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
    .format(date)
    .replace(',', '');
}

const secondFormats = new Map<Language, Intl.DateTimeFormat>();

/** "09:05:30" — when a lock ends (locks last seconds to minutes). */
export function formatTimeSeconds(date: Date, lng: Language): string {
  return cached(secondFormats, lng, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(date);
}

const stampSecondFormats = new Map<Language, Intl.DateTimeFormat>();

/** "23/11/2026 09:05:30" — an audit entry's instant, to the second. */
export function formatStampSeconds(iso: string, lng: Language): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return cached(stampSecondFormats, lng, {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  })
    .format(date)
    .replace(',', '');
}
