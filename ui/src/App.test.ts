import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import App from './App.svelte';
import type { AppInfo, CommandError } from './lib/bindings';
import { DEFAULT_LANGUAGE, setLocale } from './lib/i18n';

const INFO: AppInfo = {
  shop_name: 'Quincaillerie Sow',
  operator_name: 'Fatou',
  mode: 'training',
  language: 'fr',
  version: '0.1.0',
};

function mockShell(overrides: Partial<AppInfo> = {}, fail: Record<string, CommandError> = {}) {
  const state = { ...INFO, ...overrides };
  const calls: [string, unknown][] = [];
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    const failure = fail[cmd];
    if (failure) throw failure;
    if (cmd === 'app_info') return { ...state };
    if (cmd === 'set_language') {
      state.language = (args as { language: AppInfo['language'] }).language;
      return { ...state };
    }
    throw { code: 'unknown_command', message: { fr: cmd, en: cmd } };
  });
  return calls;
}

describe('App', () => {
  afterEach(() => {
    clearMocks();
    setLocale(DEFAULT_LANGUAGE);
  });

  it('pressing "8" opens Réglages\' not-available screen, Esc returns home', async () => {
    mockShell();
    render(App);
    await screen.findByText('Quincaillerie Sow');
    expect(screen.getByText('FORMATION')).toBeTruthy();

    await fireEvent.keyDown(window, { key: '8', code: 'Digit8' });
    expect(screen.getByRole('heading', { level: 1, name: 'Réglages' })).toBeTruthy();
    expect(
      screen.getByText("Cet écran n'est pas encore disponible dans cette version."),
    ).toBeTruthy();
    expect(screen.queryAllByTestId('tile')).toHaveLength(0);
    const back = screen.getByRole('button', { name: 'Retour (Échap)' });
    expect(document.activeElement).toBe(back);
    expect(screen.getByTestId('announcer').textContent).toBe('Écran Réglages ouvert');

    // Other digits do nothing while a screen is open.
    await fireEvent.keyDown(window, { key: '5', code: 'Digit5' });
    expect(screen.getByRole('heading', { level: 1, name: 'Réglages' })).toBeTruthy();

    await fireEvent.keyDown(window, { key: 'Escape', code: 'Escape' });
    expect(screen.getAllByTestId('tile')).toHaveLength(8);
    expect(screen.queryByTestId('not-available')).toBeNull();
    expect(document.activeElement?.getAttribute('data-op')).toBe('settings');
  });

  it('pressing "3" opens the Crédit screen; Esc on its first step returns home', async () => {
    mockShell();
    render(App);
    await screen.findByText('Quincaillerie Sow');
    await fireEvent.keyDown(window, { key: '3', code: 'Digit3' });
    expect(screen.getByRole('heading', { level: 1, name: 'Crédit' })).toBeTruthy();
    expect(screen.getByTestId('screen-airtime')).toBeTruthy();
    expect(screen.queryByTestId('not-available')).toBeNull();
    await fireEvent.keyDown(window, { key: 'Escape', code: 'Escape' });
    expect(screen.getAllByTestId('tile')).toHaveLength(8);
    expect(document.activeElement?.getAttribute('data-op')).toBe('airtime');
  });

  it('opens entries from the numeric keypad with Num Lock off, even with focus on a tile', async () => {
    mockShell();
    render(App);
    await screen.findByText('Quincaillerie Sow');
    const focused = document.activeElement as HTMLElement;
    expect(focused.dataset.op).toBe('bills');
    // Keypad 7 with Num Lock off sends key "Home": it must open Historique, not move focus.
    await fireEvent.keyDown(focused, { key: 'Home', code: 'Numpad7' });
    expect(screen.getByRole('heading', { level: 1, name: 'Historique' })).toBeTruthy();
    await fireEvent.keyDown(window, { key: 'Escape', code: 'Escape' });
    await fireEvent.keyDown(document.activeElement as Element, { key: 'End', code: 'Numpad1' });
    expect(screen.getByRole('heading', { level: 1, name: 'Factures' })).toBeTruthy();
  });

  it('ignores digits typed with a modifier', async () => {
    mockShell();
    render(App);
    await screen.findByText('Quincaillerie Sow');
    await fireEvent.keyDown(window, { key: '3', code: 'Digit3', ctrlKey: true });
    expect(screen.queryByTestId('not-available')).toBeNull();
  });

  it('opens the saved language and saves a new choice with set_language', async () => {
    const calls = mockShell({ language: 'en', mode: 'live' });
    render(App);
    await screen.findByText('Airtime');
    expect(document.documentElement.lang).toBe('en');
    expect(screen.queryByTestId('training-badge')).toBeNull();

    await fireEvent.click(screen.getByTestId('lang-fr'));
    await screen.findByText('Crédit');
    expect(document.documentElement.lang).toBe('fr');
    expect(calls).toContainEqual(['set_language', { language: 'fr' }]);
  });

  it('shows the app_info error in a banner instead of a blank screen', async () => {
    mockShell(
      {},
      {
        app_info: {
          code: 'ledger_unavailable',
          message: { fr: 'Registre indisponible.', en: 'Ledger unavailable.' },
        },
      },
    );
    render(App);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Registre indisponible.');
    expect(alert.textContent).toContain('ledger_unavailable');
    expect(screen.queryAllByTestId('tile')).toHaveLength(0);
    // Digits do nothing without the home grid.
    await fireEvent.keyDown(window, { key: '3', code: 'Digit3' });
    expect(screen.queryByTestId('not-available')).toBeNull();

    await fireEvent.click(screen.getByTestId('lang-en'));
    expect((await screen.findByRole('alert')).textContent).toContain('Ledger unavailable.');
  });
});
