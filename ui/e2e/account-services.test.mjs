// The providers' services lists: Réglages › Services names the catalog services a provider's
// account does not offer (what the core's account_services says, scripted here), with when the
// list was read and a refresh; an unreachable provider says so and hides nothing. The home grid
// and the operation screens offer only what the core's `services` answers (scripted without the
// services the account lacks), and a submit the core refuses shows its words.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  answer,
  dexchangeListed,
  dexchangeUnreachable,
  listNotDocumented,
  missingService,
  serviceNotOnAccount,
} from './core-answers.mjs';
import { CATALOG } from './fixtures.mjs';
import { answerNext, callsOf, launchBrowser, screenshot, serveDist, startApp } from './harness.mjs';

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

const WAVE_OUT = missingService('WAVE_SN_CASHOUT', { fr: 'Wave Sénégal : retrait', en: 'Wave Senegal: cash-out' });
const SENELEC = missingService('SENELEC_SN_BILL', { fr: 'Facture Senelec', en: 'Senelec bill' });
const LISTED = {
  live: true,
  providers: [dexchangeListed('2026-09-30T09:05:00Z', [WAVE_OUT, SENELEC]), listNotDocumented('easytransfert'), listNotDocumented('unipesa')],
};

/**
 * Open Réglages › Services.
 * @param {import('playwright-core').Page} page
 */
async function openServices(page) {
  await page.keyboard.press('8');
  await page.getByTestId('screen-settings').waitFor();
  await page.getByTestId('settings-tab-services').click();
  await page.getByTestId('settings-panel-services').waitFor({ state: 'visible' });
  await page.getByTestId('account-services').waitFor();
}

/** @param {import('playwright-core').Page} page @param {string} id */
const provider = (page, id) => page.locator(`[data-testid="account-provider"][data-provider="${id}"]`);

describe('Services du compte fournisseur', () => {
  test('Réglages lists what the DEXCHANGE account lacks and when it was read; a refresh that gets no answer says so and hides nothing', async () => {
    const { context, page, pageErrors } = await startApp(browser, server.url, {
      appInfo: { mode: 'live' },
      desk: { account_services: LISTED },
    });
    try {
      await openServices(page);
      const dex = provider(page, 'dexchange');
      await dex.waitFor();
      assert.equal(await dex.getAttribute('data-state'), 'listed');
      const missing = await dex.locator('[data-testid="account-missing"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-code')));
      assert.deepEqual(missing, ['WAVE_SN_CASHOUT', 'SENELEC_SN_BILL']);
      const text = await dex.innerText();
      assert.match(text, /Wave Sénégal : retrait/);
      assert.match(text, /Facture Senelec/);
      assert.match(text, /2 service\(s\) du catalogue ne sont pas ouverts sur le compte/);
      // 09:05 UTC is 09:05 in Dakar.
      assert.match(await dex.getByTestId('account-read-at').innerText(), /Lue le 30\/09\/2026 09:05/);
      assert.match(await provider(page, 'easytransfert').innerText(), /ne publie pas de liste des services : le catalogue fait foi/);
      // The services list marks them too.
      const marked = await page
        .locator('li:has([data-testid="service-not-on-account"]) [data-testid="service-toggle"]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-code')));
      assert.deepEqual(marked.sort(), ['SENELEC_SN_BILL', 'WAVE_SN_CASHOUT']);
      await screenshot(page, 'ui-settings-account-services.png');

      // Refresh: DEXCHANGE does not answer this time.
      const servicesBefore = (await callsOf(page, 'services')).length;
      await answerNext(page, 'refresh_account_services', answer({
        live: true,
        providers: [dexchangeUnreachable('2026-09-30T09:20:00Z'), listNotDocumented('easytransfert'), listNotDocumented('unipesa')],
      }));
      await page.getByTestId('account-services-refresh').click();
      await page.locator('[data-testid="account-provider"][data-provider="dexchange"][data-state="unreachable"]').waitFor();
      assert.equal((await callsOf(page, 'refresh_account_services')).length, 1);
      assert.match(await dex.innerText(), /DEXCHANGE injoignable : liste des services non lue, aucun service n'est masqué/);
      assert.match(await dex.getByTestId('account-read-at').innerText(), /Lue le 30\/09\/2026 09:20/);
      assert.equal(await dex.locator('[data-testid="account-missing"]').count(), 0);
      assert.equal(await page.getByTestId('service-not-on-account').count(), 0);
      // The screens read the services again (what the cashiers are offered may have changed).
      await page.waitForFunction(
        (n) => /** @type {any} */ (window).__IPC_CALLS__.filter((/** @type {any} */ c) => c.cmd === 'services').length > n,
        servicesBefore,
      );
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('English, and in training: no list is read, every service is offered', async () => {
    const { context, page, pageErrors } = await startApp(browser, server.url, { appInfo: { language: 'en' } });
    try {
      await openServices(page);
      await page.getByTestId('account-services-training').waitFor();
      assert.match(await page.getByTestId('account-services').innerText(), /In TRAINING mode every service of the catalog is offered/);
      assert.equal(await page.getByTestId('account-services-refresh').count(), 0);
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('a cashier is offered only what the account has: no bills tile when no bill service is left, no Wave on Encaissement; a refused submit shows why', async () => {
    const lacking = ['SENEAU_SN_BILL', 'SENELEC_SN_BILL', 'WAVE_SN_CASHOUT'];
    const offered = CATALOG.filter((s) => !lacking.includes(s.code));
    const { context, page, pageErrors } = await startApp(browser, server.url, {
      appInfo: { mode: 'live', operator_name: 'Moussa Fall' },
      answers: { services: [answer(offered), answer(offered), answer(offered)] },
    });
    try {
      const tiles = await page.locator('[data-testid="tile"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-op')));
      assert.deepEqual(tiles, ['woyofal', 'airtime', 'paymentLink', 'collect', 'payout', 'history']);
      // The bills shortcut opens nothing.
      await page.keyboard.press('1');
      assert.equal(await page.getByTestId('screen-bills').count(), 0);
      await screenshot(page, 'ui-home-account-lacks-bills.png');

      await page.keyboard.press('5');
      await page.getByTestId('screen-collect').waitFor();
      await page.keyboard.press('Enter'); // Sénégal
      await page.getByTestId('services').waitFor();
      const choices = await page.locator('[data-testid="services"] [data-choice]').evaluateAll((els) => els.map((e) => e.getAttribute('data-choice')));
      assert.ok(!choices.includes('WAVE_SN_CASHOUT'), `${choices}`);
      assert.ok(choices.includes('OM_SN_CASHOUT'), `${choices}`);

      // The list changed since the screen read it: the core refuses the submit, in its words.
      await answerNext(page, 'submit', serviceNotOnAccount('Orange Money Sénégal : retrait', 'DEXCHANGE'));
      await page.locator('[data-choice="OM_SN_CASHOUT"]').click();
      await page.getByTestId('phone-input').waitFor();
      await page.keyboard.type('77 123 45 67');
      await page.keyboard.press('Enter');
      await page.getByTestId('amount-input').waitFor();
      await page.keyboard.type('5000');
      await page.keyboard.press('Enter');
      await page.getByTestId('confirm-summary').waitFor();
      await page.keyboard.press('Enter');
      await page.getByText("Orange Money Sénégal : retrait n'est pas ouvert sur le compte DEXCHANGE de la boutique").waitFor();
      assert.equal((await callsOf(page, 'submit')).length, 1);
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });
});
