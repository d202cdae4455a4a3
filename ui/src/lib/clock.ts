// Clock text for the header, in the shop's local time zone.
import type { Language } from './bindings';
import { intlLocale } from './i18n';

/**
 * The Intl formatter for `options` in each language, built on first use (building one costs
 * more than using it, and the first one loads ICU: never at start-up).
 */
function perLanguage(options: Intl.DateTimeFormatOptions): (lng: Language) => Intl.DateTimeFormat {
  const made = new Map<Language, Intl.DateTimeFormat>();
  return (lng) => {
    let f = made.get(lng);
    if (!f) {
      f = new Intl.DateTimeFormat(intlLocale(lng), options);
      made.set(lng, f);
    }
    return f;
  };
}

// The header's clock is on the first screen: it names days and months itself, because the first
// Intl formatter of a page loads ICU's calendar data (~11 ms and ~4 MiB at start-up).
// The names are CLDR's for fr-FR and en-GB; a unit test holds them to Intl's output.
const NAMES: Record<
  Language,
  { days: string[]; shortDays: string[]; months: string[]; shortMonths: string[] }
> = {
  fr: {
    days: ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'],
    shortDays: ['dim.', 'lun.', 'mar.', 'mer.', 'jeu.', 'ven.', 'sam.'],
    months: [
      'janvier',
      'février',
      'mars',
      'avril',
      'mai',
      'juin',
      'juillet',
      'août',
      'septembre',
      'octobre',
      'novembre',
      'décembre',
    ],
    shortMonths: [
      'janv.',
      'févr.',
      'mars',
      'avr.',
      'mai',
      'juin',
      'juil.',
      'août',
      'sept.',
      'oct.',
      'nov.',
      'déc.',
    ],
  },
  en: {
    days: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
    shortDays: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
    months: [
      'January',
      'February',
      'March',
      'April',
      'May',
      'June',
      'July',
      'August',
      'September',
      'October',
      'November',
      'December',
    ],
    shortMonths: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec'],
  },
};

const twoDigits = (n: number) => String(n).padStart(2, '0');

/** "09:05" — 24-hour clock in both languages. */
export function formatTime(date: Date): string {
  return `${twoDigits(date.getHours())}:${twoDigits(date.getMinutes())}`;
}

/** "lundi 23 novembre 2026" / "Monday, 23 November 2026". */
export function formatDate(date: Date, lng: Language): string {
  const n = NAMES[lng];
  const day = n.days[date.getDay()];
  const rest = `${date.getDate()} ${n.months[date.getMonth()]} ${date.getFullYear()}`;
  return lng === 'fr' ? `${day} ${rest}` : `${day}, ${rest}`;
}

/** "lun. 23 nov." / "Mon 23 Nov": the header's date when the window is narrow. */
export function formatDateShort(date: Date, lng: Language): string {
  const n = NAMES[lng];
  return `${n.shortDays[date.getDay()]} ${date.getDate()} ${n.shortMonths[date.getMonth()]}`;
}

/** Milliseconds until the next minute starts, so the clock turns over on time. */
export function msUntilNextMinute(date: Date): number {
  return 60_000 - (date.getSeconds() * 1000 + date.getMilliseconds());
}

const stampFormat = perLanguage({
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** "23/11/2026 09:05" — a ledger instant (RFC 3339) in local time; the text itself if unreadable. */
export function formatStamp(iso: string, lng: Language): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return stampFormat(lng).format(date).replace(',', '');
}

const secondFormat = perLanguage({
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** "09:05:30" — when a lock ends (locks last seconds to minutes). */
export function formatTimeSeconds(date: Date, lng: Language): string {
  return secondFormat(lng).format(date);
}

const stampSecondFormat = perLanguage({
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** "23/11/2026 09:05:30" — an audit entry's instant, to the second. */
export function formatStampSeconds(iso: string, lng: Language): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return stampSecondFormat(lng).format(date).replace(',', '');
}
