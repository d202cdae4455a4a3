// Sensitive changes (provider keys and addresses, operators, kiosk off) need the manager's PIN
// typed again: the core refuses them with `pin_required` until `confirm_pin` succeeded in the
// last minutes. `withFreshPin` runs a call, and on that refusal asks the PIN (the one dialog,
// <PinGate/>), confirms it with the core and runs the call once more.
import { writable, type Readable } from 'svelte/store';
import type { Result } from './api';

/** The code the core answers a sensitive change with when the PIN was not typed again. */
export const PIN_REQUIRED = 'pin_required';

/** A pending question: settle it with whether the PIN was confirmed. */
export interface PinQuestion {
  settle: (confirmed: boolean) => void;
}

const question = writable<PinQuestion | null>(null);

/** The question the PIN dialog shows, when one is pending. */
export const pinQuestion: Readable<PinQuestion | null> = { subscribe: question.subscribe };

/** Ask the PIN (resolves to whether the core accepted it). */
export function askPin(): Promise<boolean> {
  return new Promise((resolve) => {
    question.set({
      settle: (confirmed) => {
        question.set(null);
        resolve(confirmed);
      },
    });
  });
}

/** Run `call`; when the core wants the PIN again, ask it and run `call` once more. */
export async function withFreshPin<T>(call: () => Promise<Result<T>>): Promise<Result<T>> {
  const first = await call();
  if (first.ok || first.error.code !== PIN_REQUIRED) return first;
  if (!(await askPin())) return first;
  return call();
}
