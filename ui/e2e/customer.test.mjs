// The customer display (second window, route #/customer): only what the customer should see, in
// large type, following `operation-updated`.
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
 * An operation as the shell emits it.
 * @param {Record<string, unknown>} fields
 */
function op(fields) {
  n++;
  const at = new Date(Date.UTC(2026, 10, 23, 9, 0, n)).toISOString();
  return {
    id: `0190cccc-0000-7000-8000-${String(n).padStart(12, '0')}`, idempotency_key: `GCH-C${n}`, provider: 'dexchange',
    service_code: 'DEXCHANGE_PAYMENT_LINK', kind: 'payment_link', country: 'SN', currency: 'XOF', amount_minor: 15000,
    fee_minor: null, customer_ref: '', invoice_ref: null, status: 'pending', provider_ref: 'DX-9', token: null,
    operator_name: 'Awa Diop', training: true, details: {}, created_at: at, updated_at: at, ...fields,
  };
}

/**
 * @param {import('playwright-core').Page} page
 * @param {Record<string, unknown>} operation
 */
async function emit(page, operation) {
  await page.evaluate((o) => /** @type {any} */ (window).__EMIT__('operation-updated', o), operation);
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

      const link = op({ details: { customer_url: 'https://pay.dexchange.sn/l/DX-9', item_name: 'Sac de riz 25 kg' } });
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
      const text = await page.innerText('body');
      assert.doesNotMatch(text, /DX-9|Awa Diop|Commission|GCH-/, 'nothing for the cashier only');
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
      const top = op({ service_code: 'WOYOFAL_SN_BILL', kind: 'prepaid', amount_minor: 5000, customer_ref: '14123456789', status: 'processing' });
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
      const other = op({ service_code: 'WOYOFAL_SN_BILL', kind: 'prepaid', amount_minor: 2000, customer_ref: '14123456789', status: 'processing', created_at: later, updated_at: later });
      await emit(page, other);
      await page.getByText('Votre code Woyofal arrive, veuillez patienter…').waitFor();
      await emit(page, { ...other, status: 'failed', updated_at: new Date(Date.UTC(2026, 10, 23, 9, 20)).toISOString() });
      await page.getByText("L'opération n'a pas abouti. Le montant a été remboursé.").waitFor();
    } finally {
      await context.close();
    }
  });

  test('opened while a collection is pending: shows it at once, in the saved language', async () => {
    const pending = op({ service_code: 'OM_SN_CASHOUT', kind: 'collection', amount_minor: 7000, customer_ref: '771234567' });
    // The core lists it among the operations under way (the display reads nothing else).
    const { context, page } = await display({
      ledger: [{ operation: pending, events: [] }],
      appInfo: { language: 'en' },
      answers: { in_progress: [answer([pending])] },
    });
    try {
      await page.getByTestId('customer-operation').waitFor();
      const called = new Set((await ipcCalls(page)).map((c) => c.cmd).filter((c) => !c.startsWith('plugin:')));
      assert.deepEqual([...called].sort(), ['app_info', 'in_progress'], 'only what the customer window may call');
      assert.equal(plain(await page.getByTestId('customer-amount').textContent()), '7,000 FCFA');
      assert.equal(await page.getByTestId('customer-message').textContent(), 'Approve the payment on your phone.');
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Payment from your wallet');
    } finally {
      await context.close();
    }
  });
});
