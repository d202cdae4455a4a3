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

  it('shows HH:MM on a 24-hour clock in both languages', () => {
    expect(formatTime(monday, 'fr')).toBe('09:05');
    expect(formatTime(monday, 'en')).toBe('09:05');
    expect(formatTime(new Date(2026, 10, 23, 0, 0), 'fr')).toBe('00:00');
    expect(formatTime(new Date(2026, 10, 23, 23, 59), 'en')).toBe('23:59');
  });

  it('names days and months as Intl does (fr-FR, en-GB), every day of two years', () => {
    const long = { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' } as const;
    const short = { weekday: 'short', day: 'numeric', month: 'short' } as const;
    for (const [lng, locale] of [
      ['fr', 'fr-FR'],
      ['en', 'en-GB'],
    ] as const) {
      for (let day = 0; day < 730; day++) {
        const date = new Date(2026, 0, 1 + day, 12);
        expect(formatDate(date, lng)).toBe(new Intl.DateTimeFormat(locale, long).format(date));
        expect(formatDateShort(date, lng)).toBe(new Intl.DateTimeFormat(locale, short).format(date));
      }
    }
  });

  it('writes every minute of the day as a 24-hour Intl clock does', () => {
    const options = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
    for (let minute = 0; minute < 24 * 60; minute++) {
      const date = new Date(2026, 10, 23, 0, minute);
      expect(formatTime(date, 'fr')).toBe(new Intl.DateTimeFormat('fr-FR', options).format(date));
    }
  });

  it('knows how long until the minute turns', () => {
    expect(msUntilNextMinute(new Date(2026, 10, 23, 9, 5, 42, 250))).toBe(17_750);
    expect(msUntilNextMinute(new Date(2026, 10, 23, 9, 5, 0, 0))).toBe(60_000);
  });
});

describe('formatDateShort', () => {
  it('gives the header a short date for a narrow window', () => {
    const monday = new Date('2026-11-23T09:05:00Z');
    expect(formatDateShort(monday, 'fr')).toBe('lun. 23 nov.');
    expect(formatDateShort(monday, 'en')).toBe('Mon 23 Nov');
  });
});
