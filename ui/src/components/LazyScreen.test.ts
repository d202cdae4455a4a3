import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import LazyScreen from './LazyScreen.svelte';
import { screens } from '../screens/lazy';

describe('LazyScreen', () => {
  afterEach(() => clearMocks());

  it('shows the screen once its code has loaded, with the props it was given', async () => {
    mockIPC((cmd) => (cmd === 'review_list' ? [] : null));
    const onhome = vi.fn();
    render(LazyScreen, { load: screens.review, onhome });
    expect(await screen.findByTestId('screen-review', {}, { timeout: 10_000 })).toBeTruthy();
    // Its back button is the screen's own, wired to the onhome given to LazyScreen.
    await fireEvent.click(await screen.findByRole('button', { name: /Retour/ }));
    expect(onhome).toHaveBeenCalledOnce();
  });

  it('says so when a screen cannot load, and its button goes back home', async () => {
    const onhome = vi.fn();
    const load = () => Promise.reject(new Error('chunk missing'));
    render(LazyScreen, { load, onhome });
    const alert = await screen.findByTestId('screen-load-failed');
    expect(alert.textContent).toContain("Cet écran n'a pas pu s'ouvrir");
    const back = screen.getByRole('button', { name: 'Retour (Échap)' });
    expect(document.activeElement).toBe(back);
    await fireEvent.click(back);
    expect(onhome).toHaveBeenCalledOnce();
    // Esc goes home too, as on every screen.
    await fireEvent.keyDown(window, { key: 'Escape', code: 'Escape' });
    expect(onhome).toHaveBeenCalledTimes(2);
  });

  it('goes home on Esc while the screen is still loading', async () => {
    const onhome = vi.fn();
    const load = () => new Promise<never>(() => undefined);
    render(LazyScreen, { load, onhome });
    expect((await screen.findByRole('status')).textContent).toBe('Chargement…');
    await fireEvent.keyDown(window, { key: 'Escape', code: 'Escape' });
    expect(onhome).toHaveBeenCalledOnce();
  });
});
