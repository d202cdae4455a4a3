// Operators at the till: the first-run wizard, sign-in with a PIN (and a locked account), the idle
// lock, a session the core ended, what a cashier may not reach, and the kiosk's guarded close.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { accountLocked, answer, sessionLocked, wrongPin } from './core-answers.mjs';
import { answerNext, callsOf, focusedTestId, launchBrowser, openApp, plain, screenshot, serveDist } from './harness.mjs';

/** @type {import('playwright-core').Browser} */
let browser;
/** @type {{ url: string, close: () => Promise<void> }} */
let server;

before(async () => {
  server = await serveDist();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** @param {import('playwright-core').Page} page */
async function tileIds(page) {
  return page.locator('[data-testid="tile"]').evaluateAll((tiles) => tiles.map((t) => t.getAttribute('data-op')));
}

describe('first run', () => {
  test('shop, then manager (a mismatched PIN is refused), then the summary; Enter finishes and signs the manager in', async () => {
    const { context, page, pageErrors } = await openApp(browser, { desk: { needsSetup: true } });
    try {
      await page.goto(server.url);
      const wizard = page.getByTestId('setup-wizard');
      await wizard.waitFor();
      assert.equal(await wizard.getAttribute('data-step'), 'shop');
      assert.equal(await page.getByTestId('tile').count(), 0);
      assert.equal(await page.getByTestId('login-screen').count(), 0);
      await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'setup-shop-name');

      // Enter with nothing typed says what is missing, next to the field.
      await page.keyboard.press('Enter');
      await page.getByTestId('setup-shop-name-error').getByText('Saisissez le nom de la boutique.').waitFor();
      assert.equal(await wizard.getAttribute('data-step'), 'shop');

      await page.keyboard.type('Boutique Awa');
      await page.getByTestId('setup-shop-address').fill('Rue 10, Médina, Dakar');
      await page.getByTestId('setup-receipt-header').fill('NINEA 0012345 2G3\nTél 33 800 00 00');
      await page.getByTestId('setup-shop-name').click();
      await screenshot(page, 'ui-setup-shop.png');
      await page.keyboard.press('Enter');
      await page.locator('[data-testid="setup-wizard"][data-step="manager"]').waitFor();
      assert.equal(await focusedTestId(page), 'setup-manager-name');

      await page.keyboard.type('Awa Ndiaye');
      await page.getByTestId('setup-pin').fill('2468');
      await page.getByTestId('setup-pin-confirm').fill('2469');
      assert.equal(await page.getByTestId('setup-pin').getAttribute('type'), 'password');
      await page.keyboard.press('Enter');
      const mismatch = page.getByTestId('setup-pin-confirm-error');
      await mismatch.waitFor();
      assert.match(await mismatch.innerText(), /Les deux codes PIN ne sont pas identiques/);
      assert.equal(await wizard.getAttribute('data-step'), 'manager', 'a mismatch stays on the step');
      assert.equal(await page.getByTestId('setup-pin-confirm').inputValue(), '', 'the confirmation is to type again');
      assert.equal(await focusedTestId(page), 'setup-pin-confirm');
      await screenshot(page, 'ui-setup-manager.png');
      assert.equal((await callsOf(page, 'first_run')).length, 0, 'nothing sent while the PINs differ');

      // A PIN with letters is refused too.
      await page.getByTestId('setup-pin').fill('');
      await page.getByTestId('setup-pin').pressSequentially('24a');
      assert.equal(await page.getByTestId('setup-pin').inputValue(), '24', 'only digits are kept');
      await page.getByTestId('setup-pin').pressSequentially('68');
      await page.getByTestId('setup-pin-confirm').fill('2468');
      await page.keyboard.press('Enter');
      await page.locator('[data-testid="setup-wizard"][data-step="summary"]').waitFor();
      assert.equal(await page.getByTestId('setup-summary-shop').innerText(), 'Boutique Awa');
      assert.equal(await page.getByTestId('setup-summary-manager').innerText(), 'Awa Ndiaye');
      assert.doesNotMatch(await page.getByTestId('setup-summary').innerText(), /2468/, 'the PIN is not shown');
      assert.match(await page.getByTestId('setup-training-note').innerText(), /FORMATION/);
      assert.match(await page.getByTestId('setup-training-note').innerText(), /aucun argent réel/);
      assert.equal(await focusedTestId(page), 'setup-finish');
      await screenshot(page, 'ui-setup-summary.png');

      // Esc goes back a step, Enter comes forward again.
      await page.keyboard.press('Escape');
      await page.locator('[data-testid="setup-wizard"][data-step="manager"]').waitFor();
      await page.getByTestId('setup-next').click();
      await page.locator('[data-testid="setup-wizard"][data-step="summary"]').waitFor();
      await page.keyboard.press('Enter');

      await page.getByTestId('tile').first().waitFor();
      assert.deepEqual(await callsOf(page, 'first_run'), [
        {
          setup: {
            shop_name: 'Boutique Awa',
            shop_address: 'Rue 10, Médina, Dakar',
            receipt_header: 'NINEA 0012345 2G3\nTél 33 800 00 00',
            manager_name: 'Awa Ndiaye',
            pin: '2468',
          },
        },
      ]);
      assert.equal(await page.getByTestId('shop-name').innerText(), 'Boutique Awa');
      assert.equal(plain(await page.getByTestId('operator').innerText()), 'Opérateur : Awa Ndiaye');
      assert.equal(await page.getByTestId('operator-role').innerText(), 'Responsable');
      assert.ok(await page.getByTestId('training-badge').isVisible());
      assert.equal(await page.getByTestId('tile').count(), 8, 'the manager has Réglages');
      assert.ok(await page.getByTestId('lock-button').isVisible());
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('the core refusing the shop brings the wizard back to the shop, with its message', async () => {
    const { context, page } = await openApp(browser, {
      desk: { needsSetup: true },
      fail: {
        first_run: { code: 'invalid_setting', message: { fr: "L'en-tête du reçu : 4 lignes de 48 caractères au plus.", en: 'The receipt header: at most 4 lines of 48 characters.' } },
      },
    });
    try {
      await page.goto(server.url);
      await page.getByTestId('setup-shop-name').fill('Boutique Awa');
      await page.keyboard.press('Enter');
      await page.getByTestId('setup-manager-name').fill('Awa');
      await page.getByTestId('setup-pin').fill('1234');
      await page.getByTestId('setup-pin-confirm').fill('1234');
      await page.keyboard.press('Enter');
      await page.getByTestId('setup-finish').click();
      await page.locator('[data-testid="setup-wizard"][data-step="shop"]').waitFor();
      assert.match(await page.getByTestId('setup-error').innerText(), /4 lignes de 48 caractères/);
      assert.equal(await page.getByTestId('setup-shop-name').inputValue(), 'Boutique Awa', 'what was typed stays');
    } finally {
      await context.close();
    }
  });
});

describe('sign-in', () => {
  test('a wrong PIN shows the core\'s message and clears the field; the right PIN opens the home screen', async () => {
    const { context, page, pageErrors } = await openApp(browser, { desk: { signedIn: null } });
    try {
      await page.goto(server.url);
      const login = page.getByTestId('login-screen');
      await login.waitFor();
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Qui êtes-vous ?');
      assert.equal(await page.getByTestId('shop-name').innerText(), 'Boutique Ndiaye & Fils');
      assert.ok(await page.getByTestId('training-badge').isVisible(), 'the mode shows on the login screen');
      assert.equal(await page.getByTestId('tile').count(), 0);
      assert.equal(await page.getByTestId('lock-button').count(), 0);
      const names = page.getByTestId('login-operator');
      await names.first().waitFor();
      assert.deepEqual(await names.evaluateAll((b) => b.map((x) => x.getAttribute('data-name'))), ['Awa Diop', 'Moussa Fall']);
      assert.equal(await page.locator('[data-testid="login-operator"][aria-pressed="true"]').count(), 0, 'two operators: nobody chosen');
      await screenshot(page, 'ui-login.png');

      // No name chosen: Enter says so.
      await page.getByTestId('login-pin').focus();
      await page.keyboard.type('5678');
      await page.keyboard.press('Enter');
      await page.getByTestId('login-pin-error').getByText('Choisissez d\'abord votre nom dans la liste.').waitFor();

      await page.locator('[data-testid="login-operator"][data-name="Moussa Fall"]').click();
      assert.equal(await focusedTestId(page), 'login-pin');
      assert.equal(await page.getByTestId('login-pin').getAttribute('type'), 'password');
      await page.getByTestId('login-pin').fill('');
      await page.keyboard.type('1111');
      await answerNext(page, 'login', wrongPin(4));
      await page.keyboard.press('Enter');
      const failure = page.getByTestId('login-error');
      await failure.waitFor();
      assert.equal(await failure.innerText(), 'Code PIN incorrect. Encore 4 essai(s) avant le verrouillage du compte.');
      assert.equal(await page.getByTestId('login-pin').inputValue(), '');
      assert.equal(await focusedTestId(page), 'login-pin');
      await screenshot(page, 'ui-login-error.png');

      // The on-screen keypad types too.
      for (const d of ['5', '6', '7', '8']) await page.locator(`[data-testid="pinpad"] [data-digit="${d}"]`).click();
      assert.equal(await page.getByTestId('login-pin').inputValue(), '5678');
      await page.getByTestId('login-submit').click();
      await page.getByTestId('tile').first().waitFor();
      assert.deepEqual(await callsOf(page, 'login'), [
        { name: 'Moussa Fall', pin: '1111' },
        { name: 'Moussa Fall', pin: '5678' },
      ]);
      assert.equal(plain(await page.getByTestId('operator').innerText()), 'Opérateur : Moussa Fall');
      assert.equal(await page.getByTestId('operator-role').innerText(), 'Caissier');
      assert.equal(await page.getByTestId('login-screen').count(), 0);
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('a locked account: the core\'s message says until when, the list (read again) shows it', async () => {
    const { context, page } = await openApp(browser, { desk: { signedIn: null } });
    try {
      await page.goto(server.url);
      await page.locator('[data-testid="login-operator"][data-name="Awa Diop"]').click();
      // The core counts the wrong PINs and locks; here it answers that the account is locked.
      const until = new Date(Date.now() + 30_000).toISOString();
      await answerNext(page, 'login', accountLocked(until.slice(11, 19)));
      await answerNext(page, 'login_names', answer([
        { id: 1, name: 'Awa Diop', role: 'manager', locked_until: until },
        { id: 2, name: 'Moussa Fall', role: 'cashier', locked_until: null },
      ]));
      await page.getByTestId('login-pin').fill('0000');
      await page.keyboard.press('Enter');
      const failure = page.getByTestId('login-error');
      await page.locator('[data-testid="login-error"][data-code="operator_locked"]').waitFor();
      assert.match(await failure.innerText(), /Compte verrouillé après trop de codes PIN incorrects\. Réessayez après \d\d:\d\d:\d\d/);
      await page.locator('[data-testid="login-operator"][data-name="Awa Diop"][data-locked="true"]').waitFor();
      assert.match(await page.getByTestId('login-operator-locked').innerText(), /Verrouillé jusqu'à \d\d:\d\d:\d\d/);
      assert.equal(await page.getByTestId('login-pin').inputValue(), '', 'the PIN is cleared');
      assert.equal(await page.getByTestId('tile').count(), 0);
      await screenshot(page, 'ui-login-locked.png');
    } finally {
      await context.close();
    }
  });

  test('switching the language on the login screen translates it', async () => {
    const { context, page } = await openApp(browser, { desk: { signedIn: null } });
    try {
      await page.goto(server.url);
      await page.getByTestId('login-screen').waitFor();
      await page.getByTestId('lang-en').click();
      await page.getByRole('heading', { level: 1, name: 'Who are you?' }).waitFor();
      assert.deepEqual(await callsOf(page, 'set_language'), [{ language: 'en' }]);
      assert.match(await page.getByTestId('login-submit').innerText(), /Sign in/);
    } finally {
      await context.close();
    }
  });
});

describe('lock', () => {
  test('after the idle time the screen locks (logout idle), and the PIN brings back the work as it was', async () => {
    const { context, page, pageErrors } = await openApp(browser, { appInfo: { idle_timeout_secs: 60 } });
    try {
      await page.clock.install({ time: new Date('2026-11-23T09:00:00Z') });
      await page.goto(server.url);
      await page.getByTestId('tile').first().waitFor();
      await page.keyboard.press('3');
      await page.getByTestId('screen-airtime').waitFor();
      await page.keyboard.type('781234567');

      // 50 s later the cashier types again: the lock is 60 s after that, not before.
      await page.clock.fastForward(50_000);
      await page.keyboard.press('Shift');
      await page.clock.fastForward(50_000);
      assert.equal(await page.getByTestId('login-screen').count(), 0, 'activity pushed the lock back');
      assert.deepEqual(await callsOf(page, 'logout'), []);
      // Meanwhile the core heard from the active cashier (a light call), so it kept the session.
      assert.ok((await callsOf(page, 'keep_alive')).length >= 2, 'keep-alive calls while active');

      await page.clock.fastForward(11_000);
      const login = page.getByTestId('login-screen');
      await login.waitFor();
      assert.equal(await login.getAttribute('data-reason'), 'idle');
      assert.deepEqual(await callsOf(page, 'logout'), [{ idle: true }]);
      assert.equal(await page.getByRole('heading', { level: 1, name: 'Écran verrouillé' }).count(), 1);
      assert.match(await page.getByTestId('login-reason').innerText(), /sans activité/);
      assert.equal(await page.getByTestId('screen-airtime').isVisible(), false, 'the work is hidden');
      assert.equal(await page.getByTestId('lock-button').count(), 0);
      // The operator who was signed in is chosen already; the PIN field has the focus.
      await page.locator('[data-testid="login-operator"][data-name="Awa Diop"][aria-pressed="true"]').waitFor();
      assert.equal(await focusedTestId(page), 'login-pin');
      // Escape and digits on the lock screen do not reach the hidden screen.
      await page.keyboard.press('Escape');
      await screenshot(page, 'ui-lock-idle.png');

      await page.keyboard.type('1234');
      await page.keyboard.press('Enter');
      await page.getByTestId('screen-airtime').waitFor({ state: 'visible' });
      assert.equal(await page.getByTestId('phone-input').inputValue(), '78 123 45 67', 'what was typed is still there');
      assert.equal(await page.getByTestId('login-screen').count(), 0);
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('a PIN dialog left open in Réglages closes when the screen locks, so the lock screen takes the PIN', async () => {
    const { context, page, pageErrors } = await openApp(browser, { appInfo: { idle_timeout_secs: 30 } });
    try {
      await page.clock.install({ time: new Date('2026-11-23T09:00:00Z') });
      await page.goto(server.url);
      await page.getByTestId('tile').first().waitFor();
      await page.keyboard.press('8');
      await page.getByTestId('settings-tab-mode').click();
      await page.getByTestId('mode-switch').click();
      await page.getByTestId('mode-pin-dialog').waitFor();
      await page.clock.fastForward(31_000);
      await page.getByTestId('login-screen').waitFor();
      await page.getByTestId('mode-pin-dialog').waitFor({ state: 'detached' });
      await page.getByTestId('login-pin').fill('1234');
      await page.getByTestId('login-submit').click();
      await page.getByTestId('settings-panel-mode').waitFor({ state: 'visible' });
      assert.equal(await page.getByTestId('mode-pin-dialog').count(), 0);
      // The switch asks again, as before.
      await page.getByTestId('mode-switch').click();
      await page.getByTestId('mode-pin-dialog').waitFor();
      assert.deepEqual(await callsOf(page, 'set_mode'), []);
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('the Verrouiller button signs out (logout not idle); another operator starts from the home screen', async () => {
    const { context, page } = await openApp(browser);
    try {
      await page.goto(server.url);
      await page.getByTestId('tile').first().waitFor();
      await page.keyboard.press('7');
      await page.getByTestId('screen-history').waitFor();
      await page.getByTestId('lock-button').click();
      const login = page.getByTestId('login-screen');
      await login.waitFor();
      assert.equal(await login.getAttribute('data-reason'), 'manual');
      assert.deepEqual(await callsOf(page, 'logout'), [{ idle: false }]);
      await page.locator('[data-testid="login-operator"][data-name="Moussa Fall"]').click();
      await page.keyboard.type('5678');
      await page.keyboard.press('Enter');
      await page.getByTestId('tile').first().waitFor();
      assert.equal(await page.getByTestId('screen-history').count(), 0, "Awa's screen is not Moussa's");
      assert.equal(plain(await page.getByTestId('operator').innerText()), 'Opérateur : Moussa Fall');
    } finally {
      await context.close();
    }
  });

  test('a call the core refuses because its idle timer ended the session shows the lock screen, work kept', async () => {
    const { context, page, pageErrors } = await openApp(browser);
    try {
      await page.goto(server.url);
      await page.getByTestId('tile').first().waitFor();
      await page.keyboard.press('7');
      await page.getByTestId('screen-history').waitFor();
      await page.waitForFunction(() => /** @type {any} */ (window).__IPC_CALLS__.some((/** @type {any} */ c) => c.cmd === 'history'));
      await answerNext(page, 'history', sessionLocked);
      await page.getByTestId('history-search').fill('7712');
      const login = page.getByTestId('login-screen');
      await login.waitFor();
      assert.equal(await login.getAttribute('data-reason'), 'ended');
      assert.match(await page.getByTestId('login-reason').innerText(), /La session est terminée/);
      await page.locator('[data-testid="login-operator"][data-name="Awa Diop"][aria-pressed="true"]').waitFor();
      await page.getByTestId('login-pin').fill('1234');
      await page.keyboard.press('Enter');
      await page.getByTestId('screen-history').waitFor({ state: 'visible' });
      assert.equal(await page.getByTestId('history-search').inputValue(), '7712');
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });
});

describe('cashier', () => {
  test('a cashier has no Réglages: no tile, no header entry, "8" opens nothing', async () => {
    const { context, page, pageErrors } = await openApp(browser, { desk: { signedIn: 'Moussa Fall' } });
    try {
      await page.goto(server.url);
      await page.getByTestId('tile').first().waitFor();
      assert.deepEqual(await tileIds(page), ['bills', 'woyofal', 'airtime', 'paymentLink', 'collect', 'payout', 'history']);
      assert.equal(await page.getByTestId('header-settings').count(), 0);
      assert.equal(await page.getByText('Réglages', { exact: true }).count(), 0);
      await page.keyboard.press('8');
      await page.keyboard.press('Numpad8');
      assert.equal(await page.getByTestId('screen-settings').count(), 0);
      assert.equal(await page.getByTestId('tile').count(), 7);
      assert.deepEqual(await callsOf(page, 'settings'), [], 'no settings call from a cashier');
      await screenshot(page, 'ui-home-cashier.png');
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('the home screen shows the core\'s notice', async () => {
    const notice = {
      fr: "Le mode réel est choisi mais aucune clé fournisseur n'est dans le trousseau : la caisse reste en FORMATION.",
      en: 'Live mode is chosen but no provider key is in the keyring: the till stays in TRAINING.',
    };
    const { context, page } = await openApp(browser, { appInfo: { notice } });
    try {
      await page.goto(server.url);
      await page.getByTestId('tile').first().waitFor();
      assert.equal(await page.getByTestId('notice-text').innerText(), notice.fr);
      await page.getByTestId('lang-en').click();
      await page.getByTestId('notice-text').getByText(notice.en).waitFor();
      await screenshot(page, 'ui-home-notice.png');
    } finally {
      await context.close();
    }
  });
});

describe('kiosk', () => {
  test('close-requested asks the manager\'s PIN (the only manager chosen), Esc cancels, the right PIN calls kiosk_exit', async () => {
    const { context, page, pageErrors } = await openApp(browser, { appInfo: { kiosk: true } });
    try {
      await page.goto(server.url);
      await page.getByTestId('tile').first().waitFor();
      await page.keyboard.press('7');
      await page.getByTestId('screen-history').waitFor();
      await page.waitForFunction(() => /** @type {any} */ (window).__LISTENERS__.get('close-requested')?.length > 0);

      await page.evaluate(() => /** @type {any} */ (window).__EMIT__('close-requested', null));
      const dialog = page.getByTestId('kiosk-dialog');
      await dialog.waitFor();
      assert.equal(await page.getByTestId('kiosk-name').inputValue(), 'Awa Diop', 'one manager: chosen already');
      await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'kiosk-pin');
      // Escape closes the dialog only: the screen underneath stays where it was.
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      assert.ok(await page.getByTestId('screen-history').isVisible());
      assert.deepEqual(await callsOf(page, 'kiosk_exit'), []);

      await page.evaluate(() => /** @type {any} */ (window).__EMIT__('close-requested', null));
      await dialog.waitFor();
      await page.getByTestId('kiosk-pin').fill('9999');
      await answerNext(page, 'kiosk_exit', wrongPin(4));
      await page.getByTestId('kiosk-confirm').click();
      await page.getByTestId('kiosk-error').getByText(/Code PIN incorrect/).waitFor();
      await screenshot(page, 'ui-kiosk-close.png');
      await page.getByTestId('kiosk-pin').fill('1234');
      await page.keyboard.press('Enter');
      await page.getByTestId('kiosk-closing').waitFor();
      assert.deepEqual(await callsOf(page, 'kiosk_exit'), [
        { name: 'Awa Diop', pin: '9999' },
        { name: 'Awa Diop', pin: '1234' },
      ]);
      assert.deepEqual(await page.evaluate(() => /** @type {any} */ (window).__DESK__.kioskExits()), ['Awa Diop']);
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('on the lock screen too; with two managers the name is chosen, and a cashier cannot close', async () => {
    const { context, page } = await openApp(browser, {
      appInfo: { kiosk: true },
      desk: {
        signedIn: null,
        operators: [
          { name: 'Awa Diop', role: 'manager' },
          { name: 'Binta Sow', role: 'manager' },
          { name: 'Moussa Fall', role: 'cashier' },
        ],
      },
    });
    try {
      await page.goto(server.url);
      await page.getByTestId('login-screen').waitFor();
      await page.waitForFunction(() => /** @type {any} */ (window).__LISTENERS__.get('close-requested')?.length > 0);
      await page.evaluate(() => /** @type {any} */ (window).__EMIT__('close-requested', null));
      await page.getByTestId('kiosk-dialog').waitFor();
      const options = await page.getByTestId('kiosk-name').locator('option').allInnerTexts();
      assert.deepEqual(options, ['Choisissez…', 'Awa Diop', 'Binta Sow'], 'managers only');
      await page.getByTestId('kiosk-pin').fill('4321');
      await page.getByTestId('kiosk-confirm').click();
      await page.getByTestId('kiosk-name-error').getByText('Choisissez le responsable.').waitFor();
      assert.deepEqual(await callsOf(page, 'kiosk_exit'), []);
      await page.getByTestId('kiosk-name').selectOption('Binta Sow');
      await page.getByTestId('kiosk-pin').fill('4321');
      await page.getByTestId('kiosk-confirm').click();
      await page.getByTestId('kiosk-closing').waitFor();
      assert.deepEqual(await callsOf(page, 'kiosk_exit'), [{ name: 'Binta Sow', pin: '4321' }]);
    } finally {
      await context.close();
    }
  });
});

describe('context menu', () => {
  test('a right click opens no browser menu (the event is cancelled)', async () => {
    const { context, page } = await openApp(browser);
    try {
      await page.goto(server.url);
      await page.getByTestId('tile').first().waitFor();
      const cancelled = await page.evaluate(() => {
        const event = new MouseEvent('contextmenu', { bubbles: true, cancelable: true });
        document.body.dispatchEvent(event);
        return event.defaultPrevented;
      });
      assert.equal(cancelled, true);
    } finally {
      await context.close();
    }
  });
});
