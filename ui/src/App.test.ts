import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import App from './App.svelte';
import type { AppInfo, CommandError, Kind, LoginName, Service, Settings } from './lib/bindings';
import { DEFAULT_LANGUAGE, setLocale } from './lib/i18n';
import { screens } from './screens/lazy';

const INFO: AppInfo = {
  shop_name: 'Quincaillerie Sow',
  operator_name: 'Fatou',
  mode: 'training',
  language: 'fr',
  version: '0.1.0',
  needs_setup: false,
  session: { operator_id: 1, name: 'Fatou', role: 'manager' },
  idle_timeout_secs: 0,
  kiosk: false,
  notice: null,
};

const SETTINGS: Settings = {
  shop_name: 'Quincaillerie Sow',
  shop_address: '',
  receipt_header: '',
  printer: null,
  idle_timeout_secs: 0,
  kiosk: false,
  language: 'fr',
  provider_urls: { dexchange: 'https://d', easytransfert: 'http://e', easytransfert_wallet: 'http://w', unipesa: 'https://u' },
  disabled_services: [],
};

const NAMES: LoginName[] = [
  { id: 1, name: 'Fatou', role: 'manager', locked_until: null },
  { id: 2, name: 'Ibou', role: 'cashier', locked_until: null },
];

/** One offered service per kind: every sale entry of the home grid has something to sell. */
const SERVICES: Service[] = (['bill', 'prepaid', 'airtime', 'payment_link', 'collection', 'disbursement'] as Kind[]).map((kind) => ({
  code: `TEST_${kind.toUpperCase()}`, provider: 'dexchange', native_id: kind, name: { fr: kind, en: kind }, country: 'SN', operator: 'orange',
  currency: 'XOF', phone_format: 'national', phone_required: true, enabled: true, note: null,
  offers: [{ kind, min: null, max: null, multiple_of: null, otp_required: false, confirmation: null, extras: [], commission_bp: 0 }],
}));

const NOT_SIGNED_IN: CommandError = { code: 'not_signed_in', message: { fr: 'Connectez-vous.', en: 'Sign in.' } };

function mockShell(overrides: Partial<AppInfo> = {}, fail: Record<string, CommandError> = {}) {
  const state = { ...INFO, ...overrides };
  const calls: [string, unknown][] = [];
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    const failure = fail[cmd];
    if (failure) throw failure;
    const a = args as Record<string, unknown>;
    switch (cmd) {
      case 'app_info':
        return { ...state };
      case 'set_language':
        state.language = a.language as AppInfo['language'];
        return { ...state };
      case 'login_names':
        return NAMES;
      case 'login': {
        const who = NAMES.find((n) => n.name === a.name);
        if (!who || a.pin !== '1234') {
          throw { code: 'operator_wrong_pin', message: { fr: 'Code PIN incorrect. Encore 4 essai(s).', en: 'Wrong PIN. 4 attempt(s) left.' } };
        }
        state.session = { operator_id: who.id, name: who.name, role: who.role };
        state.operator_name = who.name;
        return { ...state };
      }
      case 'logout':
        state.session = null;
        state.operator_name = '';
        return { ...state };
      case 'services':
        if (!state.session) throw NOT_SIGNED_IN;
        return SERVICES;
      case 'history':
        if (!state.session) throw NOT_SIGNED_IN;
        return [];
      case 'settings':
        return SETTINGS;
      default:
        throw { code: 'unknown_command', message: { fr: cmd, en: cmd } };
    }
  });
  return { calls, state };
}

describe('App', () => {
  // Caisse, Revue and Réglages load on first open (their own chunks); here they are compiled once
  // up front, so each test times the app, not the test server's first compile of a screen. The
  // sale screens and the history are in the start bundle: they show at once, checked as such.
  beforeAll(async () => {
    await Promise.all(Object.values(screens).map((load) => load()));
  }, 60_000);

  afterEach(() => {
    clearMocks();
    setLocale(DEFAULT_LANGUAGE);
  });

  it('pressing "8" opens Réglages for a manager, Esc from the tabs returns home', async () => {
    mockShell();
    render(App);
    await screen.findByText('Quincaillerie Sow');
    expect(screen.getByText('FORMATION')).toBeTruthy();
    expect(screen.getByTestId('operator-role').textContent).toBe('Responsable');

    await fireEvent.keyDown(window, { key: '8', code: 'Digit8' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Réglages' })).toBeTruthy();
    expect(screen.queryAllByTestId('tile')).toHaveLength(0);
    const shopTab = await screen.findByRole('tab', { name: 'Boutique' });
    await waitFor(() => expect(document.activeElement).toBe(shopTab));
    expect(screen.getByTestId('announcer').textContent).toBe('Écran Réglages ouvert');

    // Other digits do nothing while a screen is open.
    await fireEvent.keyDown(window, { key: '5', code: 'Digit5' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Réglages' })).toBeTruthy();

    await fireEvent.keyDown(shopTab, { key: 'Escape', code: 'Escape' });
    expect(screen.getAllByTestId('tile')).toHaveLength(8);
    expect(screen.queryByTestId('screen-settings')).toBeNull();
    expect(document.activeElement?.getAttribute('data-op')).toBe('settings');
  });

  it('shows « Chargement… » alone until the till answers, then the header with the first screen', async () => {
    const pending: { answer?: (info: AppInfo) => void } = {};
    mockIPC((cmd) => {
      if (cmd === 'app_info') return new Promise<AppInfo>((resolve) => (pending.answer = resolve));
      if (cmd === 'login_names') return NAMES;
      throw { code: 'unknown_command', message: { fr: cmd, en: cmd } };
    });
    render(App);
    expect(document.querySelector('main .loading')?.textContent).toBe('Chargement…');
    // No header drawn with a placeholder shop and no mode: it would change a moment later.
    expect(screen.queryByTestId('shop-name')).toBeNull();

    expect(pending.answer).toBeDefined();
    pending.answer?.({ ...INFO, session: null, operator_name: '' });
    expect((await screen.findByTestId('shop-name')).textContent).toBe('Quincaillerie Sow');
    expect(screen.getByTestId('training-badge')).toBeTruthy();
    expect(document.querySelector('main .loading')).toBeNull();
  });

  it('gives a cashier seven tiles, no Réglages, and "8" opens nothing', async () => {
    mockShell({ session: { operator_id: 2, name: 'Ibou', role: 'cashier' }, operator_name: 'Ibou' });
    render(App);
    await screen.findByText('Quincaillerie Sow');
    expect(screen.getAllByTestId('tile').map((b) => b.dataset.op)).not.toContain('settings');
    expect(screen.getAllByTestId('tile')).toHaveLength(7);
    expect(screen.queryByTestId('header-settings')).toBeNull();
    expect(screen.getByTestId('operator-role').textContent).toBe('Caissier');
    await fireEvent.keyDown(window, { key: '8', code: 'Digit8' });
    expect(screen.getAllByTestId('tile')).toHaveLength(7);
    expect(screen.queryByTestId('screen-settings')).toBeNull();
  });

  it('starts on the login screen when nobody is signed in, and signs in with the PIN', async () => {
    const { calls } = mockShell({ session: null, operator_name: '' });
    render(App);
    await screen.findByTestId('login-screen');
    expect(screen.queryAllByTestId('tile')).toHaveLength(0);
    expect(screen.queryByTestId('lock-button')).toBeNull();
    const operators = await screen.findAllByTestId('login-operator');
    expect(operators.map((b) => b.dataset.name)).toEqual(['Fatou', 'Ibou']);
    await fireEvent.click(operators[1] as HTMLElement);
    const pin = screen.getByTestId('login-pin') as HTMLInputElement;
    expect(pin.type).toBe('password');
    await fireEvent.input(pin, { target: { value: '12a34' } });
    expect(pin.value).toBe('1234');
    await fireEvent.submit(pin.form as HTMLFormElement);
    await screen.findAllByTestId('tile');
    expect(screen.getByTestId('operator').textContent).toBe('Opérateur : Ibou');
    expect(calls).toContainEqual(['login', { name: 'Ibou', pin: '1234' }]);
    expect(screen.queryByTestId('login-screen')).toBeNull();
  });

  it('locks when a call answers not_signed_in, keeping the open screen for the same operator', async () => {
    const { state } = mockShell();
    render(App);
    await screen.findByText('Quincaillerie Sow');
    await fireEvent.keyDown(window, { key: '7', code: 'Digit7' });
    const search = screen.getByTestId('history-search') as HTMLInputElement;
    await fireEvent.input(search, { target: { value: '7712' } });
    // The core ends the session by itself (its idle timer): the next call is refused.
    state.session = null;
    state.operator_name = '';
    const lockScreen = await screen.findByTestId('login-screen', {}, { timeout: 3000 });
    expect(lockScreen.dataset.reason).toBe('ended');
    expect(screen.getByTestId('work').hidden).toBe(true);
    // Fatou was signed in: she is selected, her PIN brings her work back.
    await waitFor(() => expect(screen.getAllByTestId('login-operator')[0]?.getAttribute('aria-pressed')).toBe('true'));
    const pin = screen.getByTestId('login-pin') as HTMLInputElement;
    await fireEvent.input(pin, { target: { value: '1234' } });
    await fireEvent.submit(pin.form as HTMLFormElement);
    await waitFor(() => expect(screen.queryByTestId('login-screen')).toBeNull());
    expect((screen.getByTestId('history-search') as HTMLInputElement).value).toBe('7712');
  });

  it('shows the first-run wizard when no manager exists yet', async () => {
    mockShell({ needs_setup: true, session: null, operator_name: '', shop_name: '' });
    render(App);
    const wizard = await screen.findByTestId('setup-wizard');
    expect(wizard.dataset.step).toBe('shop');
    expect(screen.queryByTestId('login-screen')).toBeNull();
    expect(screen.queryAllByTestId('tile')).toHaveLength(0);
  });

  it('pressing "3" opens the Crédit screen; Esc on its first step returns home', async () => {
    mockShell();
    render(App);
    await screen.findByText('Quincaillerie Sow');
    await fireEvent.keyDown(window, { key: '3', code: 'Digit3' });
    expect(screen.getByRole('heading', { level: 1, name: 'Crédit' })).toBeTruthy();
    expect(screen.getByTestId('screen-airtime')).toBeTruthy();
    await fireEvent.keyDown(window, { key: 'Escape', code: 'Escape' });
    expect(screen.getAllByTestId('tile')).toHaveLength(8);
    expect(document.activeElement?.getAttribute('data-op')).toBe('airtime');
  });

  it('shows a notice that appeared while a screen was open on the way home', async () => {
    const { state } = mockShell();
    render(App);
    await screen.findByText('Quincaillerie Sow');
    expect(screen.queryByTestId('notice')).toBeNull();
    await fireEvent.keyDown(window, { key: '3', code: 'Digit3' });
    expect(screen.getByTestId('screen-airtime')).toBeTruthy();
    // The ledger's background check found a damage meanwhile.
    state.notice = { fr: 'Le fichier du registre est endommagé.', en: 'The ledger file is damaged.' };
    await fireEvent.keyDown(window, { key: 'Escape', code: 'Escape' });
    expect((await screen.findByTestId('notice-text')).textContent).toBe('Le fichier du registre est endommagé.');
    expect(screen.getAllByTestId('tile')).toHaveLength(8);
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
    expect(screen.getAllByTestId('tile')).toHaveLength(8);
  });

  it('opens the saved language and saves a new choice with set_language', async () => {
    const { calls } = mockShell({ language: 'en', mode: 'live' });
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
    expect(screen.queryByTestId('screen-airtime')).toBeNull();

    await fireEvent.click(screen.getByTestId('lang-en'));
    expect((await screen.findByRole('alert')).textContent).toContain('Ledger unavailable.');
  });
});
