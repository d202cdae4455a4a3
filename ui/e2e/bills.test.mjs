// Factures: SenEau / Senelec → reference → customer and unpaid bills → pay → receipt.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ipcCalls, launchBrowser, plain, screenshot, serveDist, startApp, waitStatus } from './harness.mjs';

/** @type {import('playwright-core').Browser} */
let browser;
/** @type {{ url: string, close: () => Promise<void> }} */
let server;
const NOW = new Date('2026-11-23T09:05:00Z');

before(async () => {
  server = await serveDist();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

describe('Factures', () => {
  test('keyboard only: SenEau, reference, the oldest unpaid bill, confirm the total, receipt', async () => {
    const { context, page, pageErrors } = await startApp(browser, server.url, { now: NOW });
    try {
      await page.keyboard.press('1');
      await page.getByTestId('screen-bills').waitFor();
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Factures');
      await page.getByTestId('bill-services').waitFor();
      await screenshot(page, 'ui-bills-service.png');
      // 1 = SenEau (digit shortcut on the choice list).
      await page.keyboard.press('1');
      await page.getByTestId('reference-input').waitFor();
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'bill-reference');

      // Unknown reference: the inquiry's message next to the field.
      await page.keyboard.type('999');
      await page.keyboard.press('Enter');
      await page.getByTestId('reference-input-error').getByText('Aucun client trouvé').waitFor();
      await screenshot(page, 'ui-bills-reference-unknown.png');
      await page.getByTestId('reference-input').fill('');
      await page.keyboard.type('1234567');
      await page.keyboard.press('Enter');

      const list = page.getByTestId('bills-list');
      await list.waitFor();
      const customer = plain(await page.getByTestId('customer').innerText());
      assert.match(customer, /Awa Ndiaye/);
      assert.match(customer, /Cité Keur Gorgui/);
      // Two unpaid bills (the paid one is not offered), oldest first, the oldest has focus.
      const choices = page.locator('[data-testid="bills-list"] [data-choice]');
      assert.equal(await choices.count(), 2);
      const first = plain(await choices.nth(0).innerText());
      assert.match(first, /8 600 FCFA/);
      assert.match(first, /30 sept\. 2026/);
      assert.match(first, /la plus ancienne/);
      assert.match(first, /en retard/);
      assert.match(plain(await choices.nth(1).innerText()), /12 750 FCFA/);
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-choice')), 'SE-2026-09-1187');
      await screenshot(page, 'ui-bills-list.png');

      await page.keyboard.press('Enter');
      const summary = page.getByTestId('confirm-summary');
      await summary.waitFor();
      assert.equal(plain(await page.getByTestId('confirm-total').textContent()), '8 600 FCFA');
      assert.match(plain(await summary.innerText()), /SE-2026-09-1187/);
      assert.match(plain(await page.getByTestId('confirm').textContent()), /Payer 8 600 FCFA/);
      await screenshot(page, 'ui-bills-confirm.png');

      // Esc goes back one step, Enter comes forward again.
      await page.keyboard.press('Escape');
      await list.waitFor();
      await page.keyboard.press('Enter');
      await summary.waitFor();
      await page.keyboard.press('Enter');
      await waitStatus(page, 'success');
      assert.match(await page.getByTestId('status-sentence').textContent() ?? '', /Facture payée/);
      const receipt = page.getByTestId('receipt-text');
      await receipt.waitFor();
      assert.match(await receipt.innerText(), /Facture SenEau/);
      assert.match(await receipt.innerText(), /TOTAL\s+8 600 FCFA/);

      const submit = (await ipcCalls(page)).find((c) => c.cmd === 'submit');
      assert.deepEqual(submit?.args, {
        request: {
          request: {
            service_code: 'SENEAU_SN_BILL',
            kind: 'bill',
            amount: { minor: 8450, currency: 'XOF' },
            phone: null,
            otp: null,
            extras: { reference_client: '1234567' },
          },
          invoice_ref: 'SE-2026-09-1187',
          item_name: null,
        },
      });
      // Enter prints: focus is on « Imprimer le reçu ».
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'print');
      await page.keyboard.press('Enter');
      await page.getByTestId('print-outcome').getByText('Reçu imprimé.').waitFor();
      await screenshot(page, 'ui-bills-receipt.png');

      // The system print dialog gets the receipt alone.
      await page.evaluate(() => {
        const w = /** @type {any} */ (window);
        w.__PRINTED__ = 0;
        w.print = () => w.__PRINTED__++;
      });
      await page.getByTestId('system-print').click();
      assert.equal(await page.evaluate(() => /** @type {any} */ (window).__PRINTED__), 1);
      await page.emulateMedia({ media: 'print' });
      const visible = await page.evaluate(() => {
        const shown = (/** @type {Element | null} */ el) => !!el && getComputedStyle(el).visibility === 'visible' && getComputedStyle(el).display !== 'none';
        return {
          receipt: shown(document.querySelector('pre.print-only')),
          header: shown(document.querySelector('[data-testid="shop-name"]')),
          status: shown(document.querySelector('[data-testid="status-panel"]')),
        };
      });
      assert.deepEqual(visible, { receipt: true, header: false, status: false });
      await screenshot(page, 'ui-receipt-print.png');
      await page.emulateMedia({ media: 'screen' });
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('a chosen bill (not the oldest), with the mouse; a customer with nothing to pay', async () => {
    const { context, page } = await startApp(browser, server.url, { now: NOW });
    try {
      await page.getByRole('button', { name: 'Factures', exact: true }).click();
      await page.getByRole('button', { name: /Facture SenEau/ }).click();
      await page.getByTestId('reference-input').fill('1234567');
      await page.getByTestId('search').click();
      await page.locator('[data-choice="SE-2026-10-1187"]').click();
      assert.equal(plain(await page.getByTestId('confirm-total').textContent()), '12 750 FCFA');
      await page.getByTestId('confirm').click();
      await waitStatus(page, 'success');
      const submit = (await ipcCalls(page)).find((c) => c.cmd === 'submit');
      assert.equal(submit?.args.request.invoice_ref, 'SE-2026-10-1187');
      assert.equal(submit?.args.request.request.amount.minor, 12500);

      // Another bill: Senelec, already paid.
      await page.getByTestId('new-operation').click();
      await page.keyboard.press('Escape');
      await page.getByTestId('bill-services').waitFor();
      await page.keyboard.press('2');
      await page.getByTestId('reference-input').fill('20100000000');
      await page.keyboard.press('Enter');
      await page.getByTestId('no-unpaid').waitFor();
      assert.match(await page.getByTestId('no-unpaid').innerText(), /Aucune facture impayée/);
    } finally {
      await context.close();
    }
  });
});
