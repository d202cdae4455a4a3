// Sensitive changes in Réglages ask the manager's PIN again when the core wants it
// (`pin_required`): the PIN goes to confirm_pin, then the change is sent again. An address on a
// host the provider does not document is saved only after a warning naming that host.
// EASYTRANSFERT's documented address is said to be unencrypted.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hostUnconfirmed, pinRequired, wrongPin } from './core-answers.mjs';
import { answerNext, callsOf, ipcCalls, launchBrowser, screenshot, serveDist, startApp } from './harness.mjs';

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

/** @param {import('playwright-core').Page} page @param {string} tab */
async function openTab(page, tab) {
  if ((await page.getByTestId('screen-settings').count()) === 0) {
    await page.keyboard.press('8');
    await page.getByTestId('screen-settings').waitFor();
  }
  await page.getByTestId(`settings-tab-${tab}`).click();
  await page.getByTestId(`settings-panel-${tab}`).waitFor({ state: 'visible' });
}

/** The commands called, in order, from the n-th call on. @param {import('playwright-core').Page} page @param {number} from */
const commandsSince = async (page, from) => (await ipcCalls(page)).slice(from).map((c) => c.cmd);

/** @param {import('playwright-core').Page} page */
const deskState = (page) => page.evaluate(() => /** @type {any} */ (window).__DESK__.state());

describe('the PIN again', () => {
  test('a provider key: the PIN dialog, a wrong PIN keeps it open, the right one saves the key', async () => {
    const { context, page, pageErrors } = await startApp(browser, server.url);
    try {
      await openTab(page, 'keys');
      await page.getByTestId('key-input-dexchange-api_key').fill('sk_live_abcdef1234');
      const start = (await ipcCalls(page)).length;
      await answerNext(page, 'set_provider_key', pinRequired);
      await answerNext(page, 'confirm_pin', wrongPin(4));
      await page.getByTestId('key-save-dexchange-api_key').click();
      const dialog = page.getByTestId('reauth-pin-dialog');
      await dialog.waitFor();
      assert.match(await dialog.innerText(), /saisissez à nouveau votre code PIN/);
      await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'reauth-pin');
      await page.keyboard.type('1111');
      await page.keyboard.press('Enter');
      await page.getByTestId('reauth-pin-message').getByText(/Code PIN incorrect/).waitFor();
      await screenshot(page, 'settings-reauth-wrong-pin.png');
      await page.keyboard.type('2580');
      await page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'detached' });
      await page.getByTestId('key-status-dexchange-api_key').and(page.locator('[data-present="true"]')).waitFor();
      const order = (await commandsSince(page, start)).filter((c) => c === 'set_provider_key' || c === 'confirm_pin');
      assert.deepEqual(order, ['set_provider_key', 'confirm_pin', 'confirm_pin', 'set_provider_key']);
      assert.deepEqual((await callsOf(page, 'confirm_pin')).map((a) => a.pin), ['1111', '2580']);
      assert.equal((await callsOf(page, 'set_provider_key')).length, 2, 'sent again once, after the PIN');
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('cancelling the PIN leaves the change refused and says why', async () => {
    const { context, page } = await startApp(browser, server.url);
    try {
      await openTab(page, 'operators');
      await page.getByTestId('operator-add-name').fill('Binta');
      await page.getByTestId('operator-add-pin').fill('4321');
      await page.getByTestId('operator-add-pin-confirm').fill('4321');
      await answerNext(page, 'create_operator', pinRequired);
      await page.getByTestId('operator-add-save').click();
      await page.getByTestId('reauth-pin-dialog').waitFor();
      await page.keyboard.press('Escape');
      await page.getByTestId('reauth-pin-dialog').waitFor({ state: 'detached' });
      await page.getByText('Ce changement demande à nouveau votre code PIN de responsable.').waitFor();
      assert.equal((await callsOf(page, 'create_operator')).length, 1, 'not sent again');
      assert.equal((await callsOf(page, 'confirm_pin')).length, 0);
      assert.ok(!(await deskState(page)).operators.some((/** @type {any} */ o) => o.name === 'Binta'));
    } finally {
      await context.close();
    }
  });

  test('an undocumented host: the warning names it, and only a confirmation saves it', async () => {
    const { context, page, pageErrors } = await startApp(browser, server.url);
    try {
      await openTab(page, 'keys');
      await page.getByTestId('provider-urls-toggle').click();
      const note = page.getByTestId('easytransfert-http-note');
      assert.match(await note.innerText(), /EASYTRANSFERT.*http, non chiffrée/);
      await page.getByTestId('url-dexchange').fill('https://api.dexchange.example.net/api/v1');

      // Cancelled: nothing saved.
      await answerNext(page, 'save_settings', pinRequired, hostUnconfirmed('api.dexchange.example.net'));
      await page.getByTestId('urls-save').click();
      await page.getByTestId('reauth-pin-dialog').waitFor();
      await page.keyboard.type('2580');
      await page.keyboard.press('Enter');
      const warning = page.getByTestId('host-warning');
      await warning.waitFor();
      assert.equal(await page.getByTestId('host-warning-host').innerText(), 'api.dexchange.example.net');
      assert.match(await warning.innerText(), /n'est pas l'adresse documentée par ce fournisseur/);
      await screenshot(page, 'settings-host-warning.png');
      await page.getByTestId('host-warning-cancel').click();
      await warning.waitFor({ state: 'detached' });
      assert.equal((await deskState(page)).provider_urls.dexchange, 'https://api-m.dexchange.sn/api/v1');

      // Confirmed: sent again with the host named.
      await answerNext(page, 'save_settings', hostUnconfirmed('api.dexchange.example.net'));
      await page.getByTestId('urls-save').click();
      await warning.waitFor();
      await page.getByTestId('host-warning-confirm').click();
      await page.getByTestId('urls-status').getByText('Enregistré.').waitFor();
      const saves = await callsOf(page, 'save_settings');
      assert.equal(saves.at(-2).patch.confirmed_hosts, undefined);
      assert.deepEqual(saves.at(-1).patch.confirmed_hosts, ['api.dexchange.example.net']);
      assert.equal((await deskState(page)).provider_urls.dexchange, 'https://api.dexchange.example.net/api/v1');
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('kiosk off: the PIN again, then saved; reload keys are stopped while kiosk is on', async () => {
    const { context, page, pageErrors } = await startApp(browser, server.url, { appInfo: { kiosk: true } });
    try {
      // Kiosk on: F5 and Ctrl+R do not reach the webview.
      const prevented = await page.evaluate(() =>
        ['F5', 'r'].map((key) => {
          const event = new KeyboardEvent('keydown', { key, ctrlKey: key === 'r', cancelable: true, bubbles: true });
          document.body.dispatchEvent(event);
          return event.defaultPrevented;
        }),
      );
      assert.deepEqual(prevented, [true, true]);
      await openTab(page, 'shop');
      const kiosk = page.getByTestId('settings-kiosk');
      assert.equal(await kiosk.isChecked(), true);
      await kiosk.uncheck();
      await answerNext(page, 'save_settings', pinRequired);
      await page.getByTestId('settings-shop-save').click();
      await page.getByTestId('reauth-pin-dialog').waitFor();
      await page.keyboard.type('2580');
      await page.keyboard.press('Enter');
      await page.getByTestId('settings-shop-status').and(page.locator('[data-ok="true"]')).waitFor();
      assert.equal((await deskState(page)).kiosk, false);
      assert.deepEqual((await callsOf(page, 'confirm_pin')).map((a) => a.pin), ['2580']);
      const saves = await callsOf(page, 'save_settings');
      assert.equal(saves.length, 2);
      assert.equal(saves[1].patch.kiosk, false);
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });
});
