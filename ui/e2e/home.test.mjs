// The cashier UI, built (ui/dist), in Debian's Chromium with the Tauri IPC mocked.
// Run with `npm run test:e2e` (which builds first).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ipcCalls,
  launchBrowser,
  openApp,
  screenshot,
  serveDist,
} from './harness.mjs';

const FR_TITLES = [
  'Factures',
  'Woyofal',
  'Crédit',
  'Lien de paiement',
  'Encaissement',
  'Paiement',
  'Historique',
  'Réglages',
];
const EN_TITLES = [
  'Bills',
  'Woyofal',
  'Airtime',
  'Payment link',
  'Collect',
  'Pay out',
  'History',
  'Settings',
];
// Monday 23 November 2026, 09:05 in Dakar (UTC+0).
const FIXED_NOW = new Date('2026-11-23T09:05:00Z');

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

/**
 * Open the app and wait for the home grid.
 * @param {Parameters<typeof openApp>[1]} [options]
 */
async function home(options) {
  const opened = await openApp(browser, options);
  await opened.page.clock.setFixedTime(FIXED_NOW);
  await opened.page.goto(server.url);
  return opened;
}

/** @param {import('playwright-core').Page} page */
async function tileTitles(page) {
  return page.locator('[data-testid="tile"] .title').allTextContents();
}

describe('home screen', () => {
  test('shows the shop, the FORMATION badge, the operator, the clock and 8 entries in order', async () => {
    const { context, page, pageErrors } = await home();
    try {
      await page.getByTestId('tile').first().waitFor();
      assert.equal(await page.getByTestId('shop-name').textContent(), 'Boutique Ndiaye & Fils');
      const badge = page.getByTestId('training-badge');
      assert.ok(await badge.isVisible());
      assert.match((await badge.textContent()) ?? '', /FORMATION/);
      assert.equal((await page.getByTestId('operator').textContent())?.trim(), 'Opérateur : Awa Diop');
      assert.equal(await page.getByTestId('clock-time').textContent(), '09:05');
      assert.equal(await page.getByTestId('clock-date').textContent(), 'lundi 23 novembre 2026');
      await page.getByTestId('network').getByText('Fournisseurs joignables').waitFor();
      assert.match((await page.getByTestId('network').getAttribute('title')) ?? '', /réseau simulé/);
      assert.deepEqual(await tileTitles(page), FR_TITLES);
      const keys = await page.locator('[data-testid="tile"]').evaluateAll((tiles) =>
        tiles.map((t) => t.getAttribute('aria-keyshortcuts')),
      );
      assert.deepEqual(keys, ['1', '2', '3', '4', '5', '6', '7', '8']);
      // Each tile is a button whose accessible name is its title.
      assert.ok(await page.getByRole('button', { name: 'Lien de paiement', exact: true }).isVisible());
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr');
      assert.ok(await page.getByText('0.1.0').isVisible());
      await screenshot(page, 'ui-home-fr.png');
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('live mode has no training badge and no simulated network', async () => {
    const { context, page } = await home({ appInfo: { mode: 'live' } });
    try {
      await page.getByTestId('tile').first().waitFor();
      assert.equal(await page.getByTestId('training-badge').count(), 0);
      await page.getByTestId('network').getByText('Fournisseurs joignables').waitFor();
      assert.doesNotMatch(await page.getByTestId('network').innerText(), /simulé/);
      assert.doesNotMatch((await page.getByTestId('network').getAttribute('title')) ?? '', /simulé/);
    } finally {
      await context.close();
    }
  });

  test('the header says « Hors ligne » while the machine is offline, then the providers again', async () => {
    const { context, page } = await home();
    try {
      await page.getByTestId('tile').first().waitFor();
      await context.setOffline(true);
      await page.getByTestId('network').getByText('Hors ligne').waitFor();
      await context.setOffline(false);
      await page.getByTestId('network').getByText('Fournisseurs joignables').waitFor();
    } finally {
      await context.close();
    }
  });
});

describe('language', () => {
  test('switching to EN translates the screen, saves it with set_language and survives a reload', async () => {
    const { context, page, pageErrors } = await home();
    try {
      await page.getByTestId('tile').first().waitFor();
      await page.getByTestId('lang-en').click();
      await page.getByText('TRAINING', { exact: true }).waitFor();
      assert.deepEqual(await tileTitles(page), EN_TITLES);
      assert.equal(await page.getByTestId('clock-date').textContent(), 'Monday, 23 November 2026');
      assert.equal((await page.getByTestId('operator').textContent())?.trim(), 'Operator: Awa Diop');
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
      assert.equal(await page.getByTestId('lang-en').getAttribute('aria-pressed'), 'true');
      await page.waitForFunction(() =>
        /** @type {any} */ (window).__IPC_CALLS__.some(
          (/** @type {{ cmd: string }} */ c) => c.cmd === 'set_language',
        ),
      );
      const calls = await ipcCalls(page);
      assert.deepEqual(
        calls.filter((c) => c.cmd === 'set_language'),
        [{ cmd: 'set_language', args: { language: 'en' } }],
      );
      await page.getByTestId('lang-en').blur();
      await screenshot(page, 'ui-home-en.png');

      await page.reload();
      await page.getByTestId('tile').first().waitFor();
      await page.getByText('Bills', { exact: true }).waitFor();
      assert.deepEqual(await tileTitles(page), EN_TITLES);
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
      const afterReload = (await ipcCalls(page)).map((c) => c.cmd);
      assert.equal(afterReload[0], 'app_info', 'after a reload the language comes from app_info');
      assert.ok(!afterReload.includes('set_language'), 'and is not saved again');

      await page.getByTestId('lang-fr').click();
      await page.getByText('Factures', { exact: true }).waitFor();
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr');
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('a failed set_language is shown, in the chosen language', async () => {
    const { context, page } = await home({
      fail: {
        set_language: {
          code: 'ledger_write',
          message: { fr: 'Le registre est plein.', en: 'The ledger is full.' },
        },
      },
    });
    try {
      await page.getByTestId('tile').first().waitFor();
      await page.getByTestId('lang-en').click();
      const banner = page.getByTestId('error-banner');
      await banner.waitFor();
      assert.match(await banner.innerText(), /The language could not be saved/);
      assert.match(await banner.innerText(), /The ledger is full\./);
      await banner.getByRole('button', { name: 'OK' }).click();
      assert.equal(await banner.count(), 0);
    } finally {
      await context.close();
    }
  });
});

describe('keyboard', () => {
  test('"8" opens Réglages for the manager, Esc goes back, arrows and Enter move and open', async () => {
    const { context, page, pageErrors } = await home();
    try {
      await page.getByTestId('tile').first().waitFor();
      await page.keyboard.press('8');
      const screen = page.getByTestId('screen-settings');
      await screen.waitFor();
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Réglages');
      // The first section's tab has the focus: arrows move between sections, Esc goes home.
      await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'settings-tab-shop');
      assert.ok(await page.getByRole('button', { name: 'Retour (Échap)' }).isVisible());
      await page.keyboard.press('Escape');
      await page.getByTestId('tile').first().waitFor();
      assert.equal(await screen.count(), 0);
      /** @returns {Promise<string | null | undefined>} */
      const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-op'));
      assert.equal(await focused(), 'settings', 'focus returns to the tile that was opened');

      await page.keyboard.press('ArrowLeft');
      assert.equal(await focused(), 'history');
      await page.keyboard.press('ArrowUp');
      assert.equal(await focused(), 'airtime');
      await page.keyboard.press('ArrowLeft');
      assert.equal(await focused(), 'woyofal');
      await page.keyboard.press('ArrowDown');
      assert.equal(await focused(), 'payout');
      await page.keyboard.press('Enter');
      await page.getByTestId('screen-payout').waitFor();
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Paiement');

      // The back button works with the mouse too.
      await page.getByTestId('back').click();
      await page.getByTestId('tile').first().waitFor();
      assert.equal(await focused(), 'payout');

      // "5" opens Encaissement; Esc on its first step comes home.
      await page.keyboard.press('5');
      await page.getByTestId('screen-collect').waitFor();
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Encaissement');
      await page.keyboard.press('Escape');
      await page.getByTestId('tile').first().waitFor();
      assert.equal(await focused(), 'collect');

      // Numeric keypad, Num Lock off (the key is "PageDown" but the code is Numpad3).
      await page.keyboard.press('Numpad3');
      await page.getByTestId('screen-airtime').waitFor();
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Crédit');
      // The digit that opened the screen is not typed into its first field.
      assert.equal(await page.getByTestId('phone-input').inputValue(), '');
      await page.keyboard.press('Escape');
      await page.getByTestId('tile').first().waitFor();
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });
});

describe('start-up failure', () => {
  test('a failed app_info shows the error banner, in both languages, and Réessayer recovers', async () => {
    const { context, page } = await home({
      fail: {
        app_info: {
          code: 'ledger_unavailable',
          message: {
            fr: "Le registre des opérations n'a pas pu être ouvert.",
            en: 'The operations ledger could not be opened.',
          },
        },
      },
    });
    try {
      const banner = page.getByTestId('error-banner');
      await banner.waitFor();
      const text = await banner.innerText();
      assert.match(text, /Guichet n'a pas pu démarrer correctement/);
      assert.match(text, /Le registre des opérations n'a pas pu être ouvert\./);
      assert.match(text, /ledger_unavailable/);
      assert.equal(await page.getByTestId('tile').count(), 0, 'no grid without app info');
      assert.equal(await banner.getAttribute('role'), 'alert');
      await screenshot(page, 'ui-error.png');

      await page.getByTestId('lang-en').click();
      await banner.getByText('The operations ledger could not be opened.').waitFor();
      assert.equal(
        (await ipcCalls(page)).filter((c) => c.cmd === 'set_language').length,
        0,
        'no set_language without app info',
      );

      // The shell recovers: "Try again" loads the home screen.
      await page.evaluate(() => {
        /** @type {any} */ (window).__IPC_FAIL__.app_info = undefined;
      });
      await page.getByRole('button', { name: 'Try again' }).click();
      await page.getByTestId('tile').first().waitFor();
      assert.equal(await banner.count(), 0);
    } finally {
      await context.close();
    }
  });
});

describe('layout', () => {
  for (const viewport of [
    { width: 1024, height: 768 },
    { width: 1280, height: 800 },
    { width: 1366, height: 768 },
    { width: 1920, height: 1080 },
  ]) {
    test(`${viewport.width}×${viewport.height}: 8 tiles visible without scrolling, each at least 44 px`, async () => {
      const { context, page } = await home({ viewport });
      try {
        await page.getByTestId('tile').first().waitFor();
        const boxes = await page.locator('[data-testid="tile"]').evaluateAll((tiles) =>
          tiles.map((t) => {
            const r = t.getBoundingClientRect();
            return { top: r.top, left: r.left, bottom: r.bottom, right: r.right, width: r.width, height: r.height };
          }),
        );
        assert.equal(boxes.length, 8);
        for (const b of boxes) {
          assert.ok(b.top >= 0 && b.left >= 0, `tile inside the window: ${JSON.stringify(b)}`);
          assert.ok(b.bottom <= viewport.height && b.right <= viewport.width, `tile inside the window: ${JSON.stringify(b)}`);
          assert.ok(b.width >= 44 && b.height >= 44, `tile at least 44 px: ${JSON.stringify(b)}`);
        }
        // 4 columns × 2 rows.
        assert.equal(new Set(boxes.map((b) => Math.round(b.top))).size, 2);
        assert.equal(new Set(boxes.map((b) => Math.round(b.left))).size, 4);
        const scroll = await page.evaluate(() => ({
          scrollHeight: document.documentElement.scrollHeight,
          scrollWidth: document.documentElement.scrollWidth,
        }));
        assert.ok(scroll.scrollHeight <= viewport.height, `no vertical scroll: ${scroll.scrollHeight}`);
        assert.ok(scroll.scrollWidth <= viewport.width, `no horizontal scroll: ${scroll.scrollWidth}`);
        // Nothing inside a tile is cut off (title and description fit).
        const clipped = await page.locator('[data-testid="tile"]').evaluateAll((tiles) =>
          tiles.filter((t) => t.scrollHeight > t.clientHeight + 1 || t.scrollWidth > t.clientWidth + 1).map((t) => t.getAttribute('data-op')),
        );
        assert.deepEqual(clipped, []);
        // Header controls are touch-sized too.
        for (const id of ['lang-fr', 'lang-en']) {
          const box = await page.getByTestId(id).boundingBox();
          assert.ok(box && box.height >= 44 && box.width >= 44, `${id} at least 44 px: ${JSON.stringify(box)}`);
        }
        // A manager's header holds the most buttons: each one whole inside the window.
        for (const id of ['header-shift', 'header-review', 'header-settings', 'lock-button']) {
          const box = await page.getByTestId(id).boundingBox();
          assert.ok(box && box.x >= 0 && box.x + box.width <= viewport.width, `${id} inside the window: ${JSON.stringify(box)}`);
        }
        if (viewport.width !== 1024) await screenshot(page, `ui-home-fr-${viewport.width}x${viewport.height}.png`);
      } finally {
        await context.close();
      }
    });
  }
});
