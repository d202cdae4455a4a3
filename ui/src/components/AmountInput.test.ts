import { fireEvent, render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Offer } from '../lib/bindings';
import AmountInput from './AmountInput.svelte';

const OFFER: Offer = {
  kind: 'collection',
  min: { minor: 500, currency: 'XOF' },
  max: { minor: 500_000, currency: 'XOF' },
  multiple_of: { minor: 100, currency: 'XOF' },
  otp_required: false,
  confirmation: null,
  extras: [],
  commission_bp: 0,
};

const plain = (s: string | null | undefined) => (s ?? '').replace(/[\u202f\u00a0]/g, ' ');

describe('AmountInput', () => {
  it('groups digits as typed, shows the limits, and says at once when the amount is too large', async () => {
    const user = userEvent.setup();
    render(AmountInput, { currency: 'XOF', offer: OFFER });
    const input = screen.getByTestId('amount-input') as HTMLInputElement;
    expect(plain(screen.getByTestId('amount-limits').textContent)).toBe(
      'De 500 FCFA à 500 000 FCFA, par multiples de 100 FCFA',
    );
    await user.type(input, '12500');
    expect(input.value).toBe('12 500');
    expect(plain(screen.getByTestId('amount-ok').textContent)).toBe('12 500 FCFA');
    expect(screen.getByTestId('amount-error').hidden).toBe(true);
    await user.type(input, '00');
    expect(plain(screen.getByTestId('amount-error').textContent)).toBe('Trop grand : le maximum est 500 000 FCFA.');
    expect(input.getAttribute('aria-invalid')).toBe('true');
  });

  it('waits for Enter (validate) or leaving the field to say an amount is too small or not a multiple', async () => {
    const user = userEvent.setup();
    const { component } = render(AmountInput, { currency: 'XOF', offer: OFFER });
    const input = screen.getByTestId('amount-input');
    await user.type(input, '50');
    expect(screen.getByTestId('amount-error').hidden).toBe(true);
    expect(component.validate()).toBeNull();
    await screen.findByText('Trop petit : le minimum est 500 FCFA.', { normalizer: plain });
    await user.clear(input);
    await user.type(input, '1050');
    await fireEvent.blur(input);
    expect(plain(screen.getByTestId('amount-error').textContent)).toMatch(/multiple de 100 FCFA : par exemple 1 000 FCFA ou 1 100 FCFA/);
    await user.clear(input);
    await user.type(input, '1100');
    expect(component.validate()).toBe(1100);
  });

  it('offers the presets the offer accepts; a preset fills the field and tells the screen', async () => {
    const onpreset = vi.fn();
    render(AmountInput, { currency: 'XOF', offer: OFFER, presets: [200, 1000, 1050, 600_000], onpreset });
    const presets = screen.getAllByTestId('preset');
    expect(presets.map((p) => plain(p.textContent).trim())).toEqual(['1 000 FCFA']);
    await fireEvent.click(presets[0] as HTMLElement);
    expect((screen.getByTestId('amount-input') as HTMLInputElement).value).toBe('1 000');
    expect(onpreset).toHaveBeenCalledWith(1000);
  });

  it("shows the core's refusal until the amount changes", async () => {
    const user = userEvent.setup();
    const onedit = vi.fn();
    render(AmountInput, { currency: 'XOF', offer: OFFER, value: '5 000', serverError: 'Plafond atteint.', onedit });
    expect(screen.getByTestId('amount-error').textContent).toBe('Plafond atteint.');
    await user.type(screen.getByTestId('amount-input'), '0');
    expect(onedit).toHaveBeenCalled();
  });

  it('shows the amount refusal of the refusals it is given, and forgets it once the cashier types', async () => {
    const user = userEvent.setup();
    const refusals = [
      { code: 'above_maximum' as const, field: 'amount' as const, extra: null, message: { fr: 'Plafond du jour atteint.', en: 'Daily ceiling reached.' } },
      { code: 'phone_invalid' as const, field: 'phone' as const, extra: null, message: { fr: 'Numéro faux.', en: 'Wrong number.' } },
    ];
    render(AmountInput, { currency: 'XOF', offer: OFFER, value: '5 000', refusals });
    expect(screen.getByTestId('amount-error').textContent).toBe('Plafond du jour atteint.');
    await user.type(screen.getByTestId('amount-input'), '0');
    expect(screen.queryByTestId('amount-error')?.textContent ?? '').not.toBe('Plafond du jour atteint.');
  });
});
