import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import ChoiceList from './ChoiceList.svelte';

const CHOICES = [
  { id: 'SN', label: 'Sénégal' },
  { id: 'CI', label: "Côte d'Ivoire", detail: 'EasyTransfert' },
  { id: 'BF', label: 'Burkina Faso', disabled: true },
];

describe('ChoiceList', () => {
  it('focuses the chosen entry, picks by digit (keypad too) and moves with the arrows', async () => {
    const onselect = vi.fn();
    render(ChoiceList, { choices: CHOICES, label: 'Pays', selected: 'CI', onselect, columns: 1 });
    const focused = () => document.activeElement?.getAttribute('data-choice');
    expect(focused()).toBe('CI');
    await fireEvent.keyDown(document.activeElement as Element, { key: 'ArrowUp' });
    expect(focused()).toBe('SN');
    await fireEvent.keyDown(window, { key: 'End', code: 'Numpad2' });
    expect(onselect).toHaveBeenLastCalledWith('CI');
    // A disabled entry cannot be picked by its digit.
    await fireEvent.keyDown(window, { key: '3', code: 'Digit3' });
    expect(onselect).toHaveBeenCalledTimes(1);
    await fireEvent.click(screen.getByRole('button', { name: /Sénégal/ }));
    expect(onselect).toHaveBeenLastCalledWith('SN');
    expect(screen.getByText('EasyTransfert')).toBeTruthy();
  });

  it('leaves digits alone while the cashier types in a field', async () => {
    const onselect = vi.fn();
    render(ChoiceList, { choices: CHOICES, label: 'Pays', onselect, autofocus: false });
    const input = document.createElement('input');
    document.body.appendChild(input);
    await fireEvent.keyDown(input, { key: '1', code: 'Digit1' });
    expect(onselect).not.toHaveBeenCalled();
    input.remove();
  });
});
