import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { Operation } from '../lib/operations';
import HomeGrid from './HomeGrid.svelte';

function tiles(): HTMLButtonElement[] {
  return screen.getAllByTestId('tile') as HTMLButtonElement[];
}

describe('HomeGrid', () => {
  it('renders the eight tiles in order, each a named button with its shortcut', () => {
    render(HomeGrid, { onopen: vi.fn() });
    expect(tiles().map((b) => b.dataset.op)).toEqual([
      'bills',
      'woyofal',
      'airtime',
      'paymentLink',
      'collect',
      'payout',
      'history',
      'settings',
    ]);
    expect(screen.getByRole('button', { name: 'Crédit' }).getAttribute('aria-keyshortcuts')).toBe('3');
    expect(screen.getByRole('button', { name: 'Woyofal' })).toHaveProperty(
      'textContent',
      expect.stringContaining('code à 20 chiffres'),
    );
    expect(screen.getByRole('navigation', { name: 'Opérations' })).toBeTruthy();
  });

  it('focuses the first tile, or the one it is told to', () => {
    const first = render(HomeGrid, { onopen: vi.fn() });
    expect(document.activeElement).toBe(tiles()[0]);
    first.unmount();
    render(HomeGrid, { onopen: vi.fn(), focusId: 'history' });
    expect(document.activeElement?.getAttribute('data-op')).toBe('history');
  });

  it('moves focus with the arrows and opens the focused tile on click', async () => {
    const onopen = vi.fn<(op: Operation) => void>();
    render(HomeGrid, { onopen });
    const focused = () => document.activeElement?.getAttribute('data-op');
    await fireEvent.keyDown(document.activeElement as Element, { key: 'ArrowRight' });
    expect(focused()).toBe('woyofal');
    await fireEvent.keyDown(document.activeElement as Element, { key: 'ArrowDown' });
    expect(focused()).toBe('payout');
    await fireEvent.keyDown(document.activeElement as Element, { key: 'End' });
    expect(focused()).toBe('settings');
    await fireEvent.keyDown(document.activeElement as Element, { key: 'ArrowUp' });
    expect(focused()).toBe('paymentLink');
    await fireEvent.click(document.activeElement as Element);
    expect(onopen).toHaveBeenCalledTimes(1);
    expect(onopen.mock.calls[0]?.[0].id).toBe('paymentLink');
  });
});
