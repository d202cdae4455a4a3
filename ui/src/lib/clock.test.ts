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

  it('knows how long until the minute turns', () => {
    expect(msUntilNextMinute(new Date(2026, 10, 23, 9, 5, 42, 250))).toBe(17_750);
    expect(msUntilNextMinute(new Date(2026, 10, 23, 9, 5, 0, 0))).toBe(60_000);
  });
});

describe('formatDateShort', () => {
  it('gives the header a short date for a narrow window', () => {
    const monday = new Date('2026-11-23T09:05:00Z');
    expect(formatDateShort(monday, 'fr')).toBe('lun. 23 nov.');
    expect(formatDateShort(monday, 'en')).toMatch(/^Mon,? 23 Nov$/);
  });
});
