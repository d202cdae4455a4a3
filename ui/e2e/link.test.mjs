// Lien de paiement: item and price → QR code (core SVG) → live status until paid, failed or expired.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { focusedTestId, ipcCalls, launchBrowser, plain, screenshot, serveDist, startApp, waitStatus } from './harness.mjs';

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

describe('Lien de paiement', () => {
  test('keyboard: item, price (minimum checked), QR on screen, customer display, paid live, receipt', async () => {
    const { context, page, pageErrors } = await startApp(browser, server.url);
    try {
      await page.keyboard.press('4');
      await page.getByTestId('screen-link').waitFor();
      assert.equal(await focusedTestId(page), 'item-input');
      // Enter on an empty item says so.
      await page.keyboard.press('Enter');
      assert.equal(await page.getByTestId('item-input-error').textContent(), 'Écrivez ce que le client achète.');
      await page.keyboard.type('Sac de riz 25 kg');
      // Enter goes on to the price rather than sending a half-filled form.
      await page.keyboard.press('Enter');
      assert.equal(await focusedTestId(page), 'amount-input');
      assert.equal(plain(await page.getByTestId('amount-limits').textContent()), 'Au moins 100 FCFA');
      await page.keyboard.type('50');
      await page.keyboard.press('Enter');
      assert.equal(plain(await page.getByTestId('amount-error').textContent()), 'Trop petit : le minimum est 100 FCFA.');
      assert.equal((await ipcCalls(page)).filter((c) => c.cmd === 'submit').length, 0, 'nothing sent');
      await page.keyboard.press('Control+A');
      await page.keyboard.type('15000');
      await screenshot(page, 'ui-link-form.png');
      await page.keyboard.press('Enter');

      await waitStatus(page, 'pending');
      const qr = page.getByTestId('qr');
      await qr.waitFor();
      const url = await qr.getAttribute('data-text');
      assert.match(url ?? '', /^https:\/\/pay\.dexchange\.sn\/l\//);
      // The SVG is the core's, inserted as markup.
      assert.equal(await qr.locator('svg').getAttribute('data-qr'), url);
      assert.equal(plain(await page.getByTestId('link-price').textContent()), '15 000 FCFA');
      assert.equal(await page.getByTestId('status-sentence').textContent(), 'Le client doit scanner le QR code et payer sur son téléphone.');
      const calls = await ipcCalls(page);
      assert.deepEqual(calls.find((c) => c.cmd === 'qr_svg')?.args, { text: url });
      assert.deepEqual(calls.find((c) => c.cmd === 'submit')?.args.request, {
        request: {
          service_code: 'DEXCHANGE_PAYMENT_LINK',
          kind: 'payment_link',
          amount: { minor: 15000, currency: 'XOF' },
          phone: null,
          otp: null,
          extras: {},
        },
        invoice_ref: null,
        item_name: 'Sac de riz 25 kg',
      });
      await page.getByTestId('customer-display').click();
      await page.getByText("Le QR code est aussi sur l'écran client.").waitFor();
      assert.ok((await ipcCalls(page)).some((c) => c.cmd === 'open_customer_display'));
      await screenshot(page, 'ui-link-qr.png');

      await page.evaluate(() => /** @type {any} */ (window).__ENGINE__.advance('last', 'success', { fee_minor: 0 }, 'provider'));
      await waitStatus(page, 'success');
      assert.equal(await qr.count(), 0, 'the QR goes once paid');
      assert.equal(await page.getByTestId('status-sentence').textContent(), 'Le client a payé. Remettez-lui le reçu.');
      await page.getByTestId('receipt-text').waitFor();
      await screenshot(page, 'ui-link-paid.png');
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('an expired link and a failed one say what to do; a bad optional phone is refused', async () => {
    const { context, page } = await startApp(browser, server.url);
    try {
      await page.keyboard.press('4');
      await page.getByTestId('item-input').fill('Pagne wax');
      await page.getByTestId('amount-input').fill('8000');
      await page.getByTestId('phone-input').fill('77 12');
      await page.getByTestId('create-link').click();
      assert.equal(plain(await page.getByTestId('phone-error').textContent()), 'Numéro incomplet : 4 chiffres sur 9.');
      await page.getByTestId('phone-input').fill('');
      await page.getByTestId('create-link').click();
      await waitStatus(page, 'pending');
      await page.evaluate(() => /** @type {any} */ (window).__ENGINE__.advance('last', 'expired', {}, 'reconciler'));
      await waitStatus(page, 'expired');
      assert.equal(
        await page.getByTestId('status-sentence').textContent(),
        'Le lien a expiré sans paiement. Créez-en un nouveau si le client veut toujours payer.',
      );
      await screenshot(page, 'ui-link-expired.png');

      await page.getByTestId('new-operation').click();
      await page.getByTestId('item-input').fill('Pagne wax');
      await page.getByTestId('amount-input').fill('8000');
      await page.getByTestId('create-link').click();
      await waitStatus(page, 'pending');
      await page.evaluate(() => /** @type {any} */ (window).__ENGINE__.advance('last', 'failed', {}, 'provider'));
      await waitStatus(page, 'failed');
      assert.equal(await page.getByTestId('status-sentence').textContent(), "Le paiement n'a pas été validé. Ne remettez rien au client.");
    } finally {
      await context.close();
    }
  });
});
