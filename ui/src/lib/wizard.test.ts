import { describe, expect, it } from 'vitest';
import type { Refusal } from './bindings';
import { previousStep, stepForRefusals } from './wizard';

const steps = [{ id: 'phone' }, { id: 'amount' }, { id: 'confirm' }, { id: 'result' }];

const refusal = (field: Refusal['field']): Refusal => ({
  code: 'phone_invalid',
  field,
  extra: null,
  message: { fr: 'non', en: 'no' },
});

describe('previousStep', () => {
  it('goes back one step, and leaves the screen from the first step or the outcome', () => {
    expect(previousStep(steps, 'confirm')).toBe('amount');
    expect(previousStep(steps, 'amount')).toBe('phone');
    expect(previousStep(steps, 'phone')).toBeNull();
    expect(previousStep(steps, 'result')).toBeNull();
    expect(previousStep(steps, 'nowhere')).toBeNull();
  });
});

describe('stepForRefusals', () => {
  const routes = [
    ['phone', 'phone'],
    ['amount', 'amount'],
    ['otp', 'otp'],
  ] as const;

  it('sends the cashier to the step of the first refused field, in the routes\' order', () => {
    expect(stepForRefusals([refusal('amount'), refusal('phone')], routes, steps)).toBe('phone');
    expect(stepForRefusals([refusal('amount')], routes, steps)).toBe('amount');
  });

  it('stays put for a field without a route, or whose step the screen does not have now', () => {
    expect(stepForRefusals([refusal('kind')], routes, steps)).toBeNull();
    expect(stepForRefusals([refusal('otp')], routes, steps)).toBeNull();
    expect(stepForRefusals([], routes, steps)).toBeNull();
  });
});
