import { describe, expect, it } from 'vitest';
import { formatDate, formatDateShort, formatTime, msUntilNextMinute } from './clock';

// Local time, as the clock shows it (the shop's time zone is the machine's).
const monday = new Date(2026, 10, 23, 9, 5, 42);

describe('clock', () => {
  it('writes the date in French: « lundi 23 novembre 2026 »', () => {
    expect(formatDate(monday, 'fr')).toBe('lundi 23 novembre 2026');
    expect(formatDate(new Date(2027, 0, 1, 12), 'fr')).toBe('vendredi 1 janvier 2027');
    expect(formatDate(new Date(2026, 7, 15, 12), 'fr')).toBe('samedi 15 août 2026');
  });

  it('writes the date in English', () => {
    expect(formatDate(monday, 'en')).toBe('Monday, 23 November 2026');
  });

  it('shows HH:MM on a 24-hour clock (the same in both languages)', () => {
    expect(formatTime(monday)).toBe('09:05');
    expect(formatTime(new Date(2026, 10, 23, 0, 0))).toBe('00:00');
    expect(formatTime(new Date(2026, 10, 23, 23, 59))).toBe('23:59');
  });

  it('names days and months as Intl does (fr-FR, en-GB), every day of two years', () => {
    const long = { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' } as const;
    const short = { weekday: 'short', day: 'numeric', month: 'short' } as const;
    for (const [lng, locale] of [
      ['fr', 'fr-FR'],
      ['en', 'en-GB'],
    ] as const) {
      const longIntl = new Intl.DateTimeFormat(locale, long);
      const shortIntl = new Intl.DateTimeFormat(locale, short);
      for (let day = 0; day < 730; day++) {
        const date = new Date(2026, 0, 1 + day, 12);
        expect(formatDate(date, lng)).toBe(longIntl.format(date));
        expect(formatDateShort(date, lng)).toBe(shortIntl.format(date));
      }
    }
  });

  it('writes every minute of the day as a 24-hour Intl clock does', () => {
    const intl = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    for (let minute = 0; minute < 24 * 60; minute++) {
      const date = new Date(2026, 10, 23, 0, minute);
      expect(formatTime(date)).toBe(intl.format(date));
    }
  });

  it('knows how long until the minute turns', () => {
    expect(msUntilNextMinute(new Date(2026, 10, 23, 9, 5, 42, 250))).toBe(17_750);
    expect(msUntilNextMinute(new Date(2026, 10, 23, 9, 5, 0, 0))).toBe(60_000);
  });
});

describe('formatDateShort', () => {
  it('gives the header a short date for a narrow window', () => {
    const monday = new Date(2026, 10, 23, 9, 5);
    expect(formatDateShort(monday, 'fr')).toBe('lun. 23 nov.');
    expect(formatDateShort(monday, 'en')).toBe('Mon 23 Nov');
  });
});
