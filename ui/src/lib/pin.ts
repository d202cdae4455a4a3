// PINs as the core accepts them: 4 to 8 digits, nothing else. Checked here for instant feedback;
// the core checks again and its message wins.
import type { MessageKey } from './i18n';

export const PIN_MIN = 4;
export const PIN_MAX = 8;

export type PinProblem = 'empty' | 'notDigits' | 'tooShort' | 'tooLong';

/** What is wrong with a PIN as typed, or null when the core will accept it. */
export function pinProblem(pin: string): PinProblem | null {
  if (pin === '') return 'empty';
  if (!/^[0-9]+$/.test(pin)) return 'notDigits';
  if (pin.length < PIN_MIN) return 'tooShort';
  if (pin.length > PIN_MAX) return 'tooLong';
  return null;
}

/** A new PIN and its confirmation: the PIN's own problem first, then a mismatch. */
export function newPinProblem(pin: string, confirm: string): PinProblem | 'mismatch' | null {
  return pinProblem(pin) ?? (pin === confirm ? null : 'mismatch');
}

/** The message key of a problem. */
export function pinProblemKey(problem: PinProblem | 'mismatch'): MessageKey {
  return `pin.${problem}`;
}

/** Keep the digits of what was typed or pasted (at most PIN_MAX), e.g. « 12 34 » → « 1234 ». */
export function pinDigits(text: string): string {
  return text.replace(/[^0-9]/g, '').slice(0, PIN_MAX);
}
