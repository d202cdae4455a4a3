// The customer display (second window, route #/customer): only what the customer should see, in
// large type, following the `CustomerView`s the shell sends over its channel (`follow_customer_view`).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { answer } from './core-answers.mjs';
import { ipcCalls, launchBrowser, openApp, plain, screenshot, serveDist } from './harness.mjs';

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

let n = 0;
/**
 * An operation as the shell sends it to the customer display (a `CustomerView`).
 * @param {Record<string, unknown>} fields
 */
function op(fields) {
  n++;
  const at = new Date(Date.UTC(2026, 10, 23, 9, 0, n)).toISOString();
  return {
    id: `0190cccc-0000-7000-8000-${String(n).padStart(12, '0')}`, kind: 'payment_link', status: 'pending',
    amount_minor: 15000, fee_minor: null, currency: 'XOF', customer_ref: '', token: null, training: true,
    updated_at: at, customer_url: null, item_name: null, refunded: false, ...fields,
  };
}

/**
 * @param {import('playwright-core').Page} page
 * @param {Record<string, unknown>} view
 */
async function emit(page, view) {
  await page.evaluate((v) => /** @type {any} */ (window).__EMIT__('customer-view', v), view);
}

/**
 * @param {Parameters<typeof openApp>[1]} [options]
 */
async function display(options = {}) {
  const opened = await openApp(browser, { viewport: { width: 1280, height: 800 }, ...options });
  await opened.page.goto(`${server.url}#/customer`);
  await opened.page.getByTestId('customer-display').waitFor();
  await opened.page.waitForFunction(() => document.querySelector('[data-testid="customer-display"]')?.getAttribute('data-live') === 'true');
  return opened;
}

describe('customer display', () => {
  test('welcome, then a payment link: amount and QR in large type, live until paid', async () => {
    const { context, page, pageErrors } = await display();
    try {
      await page.getByTestId('customer-idle').getByText('Bienvenue').waitFor();
      assert.match(await page.innerText('body'), /Boutique Ndiaye & Fils/);
      assert.match(await page.innerText('body'), /FORMATION/);
      assert.equal(await page.getByTestId('tile').count(), 0, 'no cashier screen here');
      await screenshot(page, 'ui-customer-idle.png');

      const link = op({ customer_url: 'https://pay.dexchange.sn/l/DX-9', item_name: 'Sac de riz 25 kg' });
      await emit(page, link);
      await page.getByTestId('customer-operation').waitFor();
      assert.equal(plain(await page.getByTestId('customer-amount').textContent()), '15 000 FCFA');
      const amountSize = await page.getByTestId('customer-amount').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
      assert.ok(amountSize >= 60, `amount in large type (${amountSize}px)`);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Sac de riz 25 kg');
      await page.getByTestId('qr').locator('svg').waitFor();
      assert.equal(await page.getByTestId('qr').getAttribute('data-text'), 'https://pay.dexchange.sn/l/DX-9');
      const box = await page.getByTestId('qr').locator('svg').boundingBox();
      assert.ok(box && box.width >= 280, `QR large enough to scan from a distance (${box?.width}px)`);
      assert.equal(await page.getByTestId('customer-message').textContent(), 'Scannez le QR code avec votre téléphone pour payer.');
      await screenshot(page, 'ui-customer-qr.png');

      await emit(page, { ...link, status: 'success', updated_at: new Date(Date.UTC(2026, 10, 23, 9, 5)).toISOString() });
      await page.getByText('Opération réussie. Merci !').waitFor();
      assert.equal(await page.getByTestId('qr').count(), 0);
      // A late event with an older state does not bring the QR back.
      await emit(page, link);
      await page.waitForTimeout(100);
      assert.equal(await page.getByTestId('customer-operation').getAttribute('data-status'), 'success');
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('Woyofal: the wait, then the token large; a failure after PROCESSING says refunded', async () => {
    const { context, page } = await display({ viewport: { width: 1920, height: 1080 } });
    try {
      const top = op({ kind: 'prepaid', amount_minor: 5000, customer_ref: '14123456789', status: 'processing' });
      await emit(page, top);
      await page.getByText('Votre code Woyofal arrive, veuillez patienter…').waitFor();
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Recharge Woyofal');
      assert.match(await page.innerText('body'), /14123456789/);
      await emit(page, { ...top, status: 'success', token: '58231940672215839047', updated_at: new Date(Date.UTC(2026, 10, 23, 9, 10)).toISOString() });
      const digits = page.getByTestId('token-digits');
      await digits.waitFor();
      assert.equal(plain(await digits.textContent()), '5823 1940 6722 1583 9047');
      const size = await digits.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
      assert.ok(size >= 48, `token in large type (${size}px)`);
      assert.equal(await page.getByTestId('copy-token').count(), 0, 'nothing to click for the customer');
      await screenshot(page, 'ui-customer-token.png');

      const later = new Date(Date.UTC(2026, 10, 23, 9, 15)).toISOString();
      const other = op({ kind: 'prepaid', amount_minor: 2000, customer_ref: '14123456789', status: 'processing', updated_at: later });
      await emit(page, other);
      await page.getByText('Votre code Woyofal arrive, veuillez patienter…').waitFor();
      await emit(page, { ...other, status: 'failed', updated_at: new Date(Date.UTC(2026, 10, 23, 9, 20)).toISOString() });
      await page.getByText("L'opération n'a pas abouti. Le montant a été remboursé.").waitFor();
    } finally {
      await context.close();
    }
  });

  test('opened while a collection is pending: shows it at once, in the saved language', async () => {
    const pending = op({ kind: 'collection', amount_minor: 7000, customer_ref: '771234567' });
    // The shell answers the feed with the operation under way (the display reads nothing else).
    const { context, page } = await display({
      appInfo: { language: 'en' },
      answers: { follow_customer_view: [answer(pending)] },
    });
    try {
      await page.getByTestId('customer-operation').waitFor();
      const called = new Set((await ipcCalls(page)).map((c) => c.cmd).filter((c) => !c.startsWith('plugin:')));
      assert.deepEqual([...called].sort(), ['app_info', 'follow_customer_view'], 'only what the customer window may call');
      assert.equal(plain(await page.getByTestId('customer-amount').textContent()), '7,000 FCFA');
      assert.equal(await page.getByTestId('customer-message').textContent(), 'Approve the payment on your phone.');
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Payment from your wallet');
    } finally {
      await context.close();
    }
  });
});
