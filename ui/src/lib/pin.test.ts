import { describe, expect, it } from 'vitest';
import { translate } from './i18n';
import { newPinProblem, pinDigits, pinProblem, pinProblemKey } from './pin';

describe('pin', () => {
  it('accepts 4 to 8 digits and nothing else', () => {
    expect(pinProblem('1234')).toBeNull();
    expect(pinProblem('12345678')).toBeNull();
    expect(pinProblem('')).toBe('empty');
    expect(pinProblem('123')).toBe('tooShort');
    expect(pinProblem('123456789')).toBe('tooLong');
    expect(pinProblem('12a4')).toBe('notDigits');
    expect(pinProblem('12 34')).toBe('notDigits');
    expect(pinProblem('١٢٣٤')).toBe('notDigits'); // Arabic-Indic digits are not 0–9
  });

  it('refuses a confirmation that differs, after the PIN itself', () => {
    expect(newPinProblem('1234', '1234')).toBeNull();
    expect(newPinProblem('1234', '1243')).toBe('mismatch');
    expect(newPinProblem('12', '12')).toBe('tooShort');
    expect(newPinProblem('', '1234')).toBe('empty');
  });

  it('keeps the digits of what was typed or pasted, 8 at most', () => {
    expect(pinDigits('12 34')).toBe('1234');
    expect(pinDigits('a1b2c3d4')).toBe('1234');
    expect(pinDigits('1234567890')).toBe('12345678');
    expect(pinDigits('')).toBe('');
  });

  it('has a message for every problem, in both languages', () => {
    for (const p of ['empty', 'notDigits', 'tooShort', 'tooLong', 'mismatch'] as const) {
      expect(translate(pinProblemKey(p), undefined, 'fr')).not.toBe(pinProblemKey(p));
      expect(translate(pinProblemKey(p), undefined, 'en')).not.toBe(pinProblemKey(p));
    }
    expect(translate(pinProblemKey('mismatch'), undefined, 'fr')).toMatch(/pas identiques/);
  });
});
