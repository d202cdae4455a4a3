// Provider reachability: the header says which provider does not answer (what the core's
// provider_status says, scripted here), and an operation screen warns before the confirm step.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { providerStatus } from './fixtures.mjs';
import { callsOf, launchBrowser, screenshot, serveDist, startApp } from './harness.mjs';

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

const ALL_DOWN = providerStatus({ dexchange: false, easytransfert: false, unipesa: false });
// The widest date the header shows (« mercredi 30 septembre 2026 »), 09:05 in Dakar.
const WIDE_DATE = new Date('2026-09-30T09:05:00Z');

/**
 * What the core answers provider_status from now on.
 * @param {import('playwright-core').Page} page
 * @param {any[]} list
 */
function setProviders(page, list) {
  return page.evaluate((l) => /** @type {any} */ (window).__DESK__.setProviders(l), list);
}

/**
 * The element's box, asserted inside the window's width.
 * @param {import('playwright-core').Page} page
 * @param {string} id
 */
async function boxInside(page, id) {
  const box = await page.getByTestId(id).boundingBox();
  assert.ok(box, `${id} has a box`);
  assert.ok(box.x >= 0 && box.x + box.width <= 1024, `${id} inside 1024 px: ${JSON.stringify(box)}`);
  return box;
}

describe('provider reachability', () => {
  test('every provider down: the header names each one at 1024 px, « Verrouiller » still visible', async () => {
    const { context, page, pageErrors } = await startApp(browser, server.url, { now: WIDE_DATE, desk: { providers: ALL_DOWN } });
    try {
      const chip = page.getByTestId('network');
      await chip.getByText('DEXCHANGE injoignable').waitFor();
      assert.deepEqual(await page.getByTestId('provider-unreachable').allTextContents(), [
        'DEXCHANGE injoignable',
        'EASYTRANSFERT injoignable',
        'Unipesa injoignable',
      ]);
      assert.equal(await chip.getAttribute('data-state'), 'unreachable');
      const lock = await boxInside(page, 'lock-button');
      assert.ok(await page.getByTestId('lock-button').getByText('Verrouiller').isVisible());
      const chipBox = await boxInside(page, 'network');
      const settings = await boxInside(page, 'header-settings');
      assert.ok(chipBox.x + chipBox.width <= settings.x && settings.x + settings.width <= lock.x, 'no overlap');
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(scrollWidth <= 1024, `no horizontal scroll: ${scrollWidth}`);
      await screenshot(page, 'ui-header-providers-down-1024.png');

      await page.getByTestId('lang-en').click();
      await chip.getByText('EASYTRANSFERT unreachable').waitFor();
      await boxInside(page, 'lock-button');
      await screenshot(page, 'ui-header-providers-down-1024-en.png');

      // They answer again: one quiet line.
      await setProviders(page, providerStatus({}));
      await chip.getByText('Providers reachable').waitFor();
      assert.equal(await page.getByTestId('provider-unreachable').count(), 0);
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('not checked yet is neutral; nobody signed in asks nothing', async () => {
    const { context, page } = await startApp(browser, server.url, {
      desk: { providers: providerStatus({ unipesa: null }) },
    });
    try {
      await page.getByTestId('network').getByText('Fournisseurs : vérification').waitFor();
      assert.equal(await page.getByTestId('network').getAttribute('data-state'), 'checking');
      await page.getByTestId('lock-button').click();
      await page.getByTestId('network').waitFor({ state: 'detached' });
      const before = (await callsOf(page, 'provider_status')).length;
      await page.waitForTimeout(3500);
      assert.equal((await callsOf(page, 'provider_status')).length, before, 'no polling while locked');
    } finally {
      await context.close();
    }
  });

  test('Woyofal warns that DEXCHANGE is unreachable before the confirm step, without blocking', async () => {
    const { context, page, pageErrors } = await startApp(browser, server.url, { now: WIDE_DATE });
    try {
      await page.getByTestId('network').getByText('Fournisseurs joignables').waitFor();
      await page.keyboard.press('2');
      await page.getByTestId('meter-input').waitFor();
      assert.equal(await page.getByTestId('provider-warning').count(), 0);

      // Another provider down: not this screen's.
      await setProviders(page, providerStatus({ unipesa: false }));
      await page.getByTestId('network').getByText('Unipesa injoignable').waitFor();
      assert.equal(await page.getByTestId('provider-warning').count(), 0);

      await setProviders(page, providerStatus({ dexchange: false }));
      const warning = page.getByTestId('provider-warning');
      await warning.waitFor();
      assert.equal(await page.getByTestId('provider-warning-names').textContent(), 'DEXCHANGE injoignable');
      assert.match(await warning.innerText(), /n'encaissez l'argent du client qu'après la confirmation/);
      await screenshot(page, 'ui-woyofal-provider-down.png');

      // The cashier can still read and go on; the warning stays up to the confirm step.
      await page.getByTestId('meter-input').focus();
      await page.keyboard.type('14123456789');
      await page.keyboard.press('Enter');
      await page.getByTestId('meter-details').waitFor();
      assert.ok(await warning.isVisible());
      await page.keyboard.type('5000');
      await page.keyboard.press('Enter');
      await page.getByTestId('confirm-summary').waitFor();
      assert.ok(await warning.isVisible());

      await setProviders(page, providerStatus({}));
      await warning.waitFor({ state: 'detached' });
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });
  test("Encaissement names EASYTRANSFERT until a DEXCHANGE service is chosen, then warns no more", async () => {
    const { context, page, pageErrors } = await startApp(browser, server.url, {
      desk: { providers: providerStatus({ easytransfert: false }) },
    });
    try {
      await page.getByTestId('network').getByText('EASYTRANSFERT injoignable').waitFor();
      await page.keyboard.press('5');
      await page.getByTestId('screen-collect').waitFor();
      assert.equal(await page.getByTestId('provider-warning-names').textContent(), 'EASYTRANSFERT injoignable');
      await page.keyboard.press('Enter'); // Sénégal
      await page.getByTestId('services').waitFor();
      await page.keyboard.press('1'); // Orange Money Sénégal, by DEXCHANGE
      await page.getByTestId('phone-input').waitFor();
      assert.equal(await page.getByTestId('provider-warning').count(), 0);
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });
});
