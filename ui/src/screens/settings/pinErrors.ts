// The two messages under a new PIN and its confirmation.
import { translate } from '../../lib/i18n';
import { newPinProblem, pinProblemKey } from '../../lib/pin';

export interface PinErrors {
  pinError: string | null;
  confirmError: string | null;
}

/** What to show under each field (both null: the PIN can go to the core). */
export function pinErrors(pin: string, confirm: string): PinErrors {
  const problem = newPinProblem(pin, confirm);
  if (problem === null) return { pinError: null, confirmError: null };
  if (problem === 'mismatch') return { pinError: null, confirmError: translate(pinProblemKey(problem)) };
  return { pinError: translate(pinProblemKey(problem)), confirmError: null };
}
