// Cashier operations in the real Guichet window, against real providers' stand-in over HTTP:
// the embedded training sandbox, or a guichet-sandbox process the test can stop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchSignedIn as launch, screenshot, byId, type, startSandbox } from './driver.mjs';

/** Waits for the status panel to show `status` (the engine's events drive it). */
async function waitStatus(browser, status, timeout = 30000) {
  await browser.$(`[data-testid="status-panel"][data-status="${status}"]`).waitForDisplayed({
    timeout,
    timeoutMsg: `status never became ${status}`,
  });
}

async function home(browser) {
  await byId(browser, 'tile').waitForDisplayed({ timeout: 20000 });
}

test('Woyofal by keyboard: meter, amount, pay, the 20-digit token shown large', async () => {
  const { browser, stop } = await launch();
  try {
    await home(browser);
    await browser.keys(['2']);
    await byId(browser, 'meter-input').waitForDisplayed({ timeout: 5000 });
    await type(browser, '07061270877');
    await browser.keys(['Enter']);
    const meter = await byId(browser, 'meter-details');
    await meter.waitForDisplayed({ timeout: 15000 });
    assert.match(await meter.getText(), /Cheikh/);
    await type(browser, '2000');
    await browser.keys(['Enter']);
    await byId(browser, 'confirm-summary').waitForDisplayed({ timeout: 5000 });
    assert.match(await byId(browser, 'confirm-total').getText(), /2\s?000\sFCFA/);
    await browser.keys(['Enter']);
    await waitStatus(browser, 'success');
    const token = await byId(browser, 'token-digits');
    await token.waitForDisplayed({ timeout: 5000 });
    assert.match((await token.getText()).replace(/\s+/g, ' ').trim(), /^\d{4}( \d{4}){4}$/);
    const receipt = await byId(browser, 'receipt-text');
    await receipt.waitForDisplayed({ timeout: 10000 });
    assert.match(await receipt.getText(), /FORMATION/);
    await screenshot(browser, 'window-woyofal-token');
  } finally {
    await stop();
  }
});

test('Woyofal PROCESSING: a live wait, then the late token arrives on screen', async () => {
  const { browser, stop } = await launch();
  try {
    await home(browser);
    await browser.keys(['2']);
    await byId(browser, 'meter-input').waitForDisplayed({ timeout: 5000 });
    await type(browser, '09607748954');
    await browser.keys(['Enter']);
    await byId(browser, 'meter-details').waitForDisplayed({ timeout: 15000 });
    await type(browser, '5000');
    await browser.keys(['Enter']);
    await byId(browser, 'confirm-summary').waitForDisplayed({ timeout: 5000 });
    await browser.keys(['Enter']);
    await waitStatus(browser, 'processing', 15000);
    await screenshot(browser, 'window-woyofal-processing');
    await waitStatus(browser, 'success', 60000);
    await byId(browser, 'token-digits').waitForDisplayed({ timeout: 5000 });
  } finally {
    await stop();
  }
});

test('Senelec bill: reference, the customer and unpaid bill, confirm the total, paid', async () => {
  const { browser, stop } = await launch();
  try {
    await home(browser);
    await browser.keys(['1']);
    await byId(browser, 'bill-services').waitForDisplayed({ timeout: 5000 });
    const services = await byId(browser, 'bill-services').getText();
    const senelec = services.indexOf('Senelec') < services.indexOf('SenEau') ? '1' : '2';
    await browser.keys([senelec]);
    await byId(browser, 'reference-input').waitForDisplayed({ timeout: 5000 });
    await type(browser, '210278816');
    await browser.keys(['Enter']);
    await byId(browser, 'bills-list').waitForDisplayed({ timeout: 15000 });
    assert.match(await byId(browser, 'customer').getText(), /Mamadou Sow|Sow Mamadou/);
    await screenshot(browser, 'window-bills-list');
    await browser.keys(['Enter']);
    await byId(browser, 'confirm-summary').waitForDisplayed({ timeout: 5000 });
    // 104 500 FCFA + 1 045 FCFA fee, as the biller says.
    assert.match(await byId(browser, 'confirm-total').getText(), /105\s?545\sFCFA/);
    await browser.keys(['Enter']);
    await waitStatus(browser, 'success');
    await byId(browser, 'receipt-text').waitForDisplayed({ timeout: 10000 });
    assert.match(await byId(browser, 'receipt-text').getText(), /Senelec/);
    await screenshot(browser, 'window-bills-paid');
  } finally {
    await stop();
  }
});

test('airtime by keyboard: the operator from the prefix, pending then sent', async () => {
  const { browser, stop } = await launch();
  try {
    await home(browser);
    await browser.keys(['3']);
    await byId(browser, 'phone-input').waitForDisplayed({ timeout: 5000 });
    await type(browser, '771234567');
    assert.match(await byId(browser, 'screen-airtime').getText(), /Orange/);
    await browser.keys(['Enter']);
    await byId(browser, 'amount-input').waitForDisplayed({ timeout: 5000 });
    await type(browser, '1000');
    await browser.keys(['Enter']);
    await byId(browser, 'confirm-summary').waitForDisplayed({ timeout: 5000 });
    await browser.keys(['Enter']);
    await waitStatus(browser, 'success', 30000);
    await screenshot(browser, 'window-airtime-sent');
  } finally {
    await stop();
  }
});

test('collection with OTP: the USSD the customer dials, the code, then paid live', async () => {
  const { browser, stop } = await launch();
  try {
    await home(browser);
    await browser.keys(['5']);
    await byId(browser, 'screen-collect').waitForDisplayed({ timeout: 5000 });
    await browser.keys(['Enter']); // Sénégal comes first and has the focus
    await browser.$('[data-choice="EASYTRANSFERT_23"]').waitForDisplayed({ timeout: 5000 });
    await browser.$('[data-choice="EASYTRANSFERT_23"]').click();
    await byId(browser, 'phone-input').waitForDisplayed({ timeout: 5000 });
    await type(browser, '771234567');
    await browser.keys(['Enter']);
    await byId(browser, 'amount-input').waitForDisplayed({ timeout: 5000 });
    await type(browser, '5000');
    await browser.keys(['Enter']);
    await byId(browser, 'otp-instructions').waitForDisplayed({ timeout: 5000 });
    assert.equal(await byId(browser, 'ussd').getText(), '#144#391#');
    await screenshot(browser, 'window-collect-otp');
    await type(browser, '482913');
    await browser.keys(['Enter']);
    await byId(browser, 'confirm-summary').waitForDisplayed({ timeout: 5000 });
    assert.doesNotMatch(await byId(browser, 'confirm-summary').getText(), /482913/, 'the OTP is masked');
    await browser.keys(['Enter']);
    await waitStatus(browser, 'pending', 15000);
    // EASYTRANSFERT is polled gently (15 s between status calls): the final state comes later.
    await waitStatus(browser, 'success', 90000);
    await byId(browser, 'receipt-text').waitForDisplayed({ timeout: 10000 });
    await screenshot(browser, 'window-collect-paid');
  } finally {
    await stop();
  }
});

test('payment link on the customer display, paid live; then a reprint with the providers stopped', async () => {
  const sandbox = await startSandbox();
  const { browser, stop } = await launch({ env: { GUICHET_SANDBOX_URL: sandbox.url } });
  let sandboxStopped = false;
  try {
    await home(browser);
    await browser.keys(['4']);
    await byId(browser, 'item-input').waitForDisplayed({ timeout: 5000 });
    await type(browser, 'Sac de riz 25 kg');
    await browser.keys(['Enter']);
    await byId(browser, 'amount-input').waitForDisplayed({ timeout: 5000 });
    await type(browser, '15000');
    await browser.keys(['Enter']);
    await browser.$('[data-testid="qr"] svg').waitForExist({ timeout: 15000, timeoutMsg: 'no QR drawn' });
    await waitStatus(browser, 'pending');

    // The customer display: a second real window showing the same QR.
    const cashier = await browser.getWindowHandle();
    await byId(browser, 'customer-display').click();
    await browser.waitUntil(async () => (await browser.getWindowHandles()).length === 2, { timeout: 10000 });
    const customer = (await browser.getWindowHandles()).find((h) => h !== cashier);
    await browser.switchToWindow(customer);
    await browser.$('[data-testid="qr"] svg').waitForExist({
      timeout: 15000,
      timeoutMsg: 'no QR drawn on the customer display',
    });
    assert.match(await browser.$('body').getText(), /15\s?000\sFCFA/);
    await screenshot(browser, 'window-customer-display-qr');
    await browser.switchToWindow(cashier);

    // The customer pays (the sandbox's admin API plays the customer).
    const txs = await (await fetch(`${sandbox.url}/__sandbox/transactions?provider=dexchange`)).json();
    const link = (Array.isArray(txs) ? txs : txs.transactions).find((t) => t.native_status === 'PENDING' && t.amount === 15000);
    assert.ok(link, 'the sandbox recorded the link');
    const paid = await fetch(`${sandbox.url}/__sandbox/links/${link.provider_id}/pay`, { method: 'POST' });
    assert.ok(paid.ok, `pay link: ${paid.status}`);
    await waitStatus(browser, 'success', 60000);
    await byId(browser, 'receipt-text').waitForDisplayed({ timeout: 10000 });

    // Providers gone: the history and the reprint read the ledger alone.
    await sandbox.stop();
    sandboxStopped = true;
    await browser.keys(['Escape']);
    await home(browser);
    await browser.keys(['7']);
    await byId(browser, 'history-search').waitForDisplayed({ timeout: 5000 });
    await type(browser, '15000');
    await byId(browser, 'history-row').waitForDisplayed({ timeout: 10000 });
    await byId(browser, 'history-row').click();
    await byId(browser, 'history-detail').waitForDisplayed({ timeout: 10000 });
    const receipt = await byId(browser, 'receipt-text');
    await receipt.waitForDisplayed({ timeout: 10000 });
    // No printer configured: the system dialog would open; count its calls instead.
    await browser.execute(() => {
      window.__printed = 0;
      window.print = () => { window.__printed += 1; };
    });
    await byId(browser, 'print').click();
    await byId(browser, 'print-outcome').waitForDisplayed({ timeout: 10000 });
    await browser.waitUntil(async () => /DUPLICATA n° 1/.test(await byId(browser, 'receipt-text').getText()), {
      timeout: 10000,
      timeoutMsg: 'the next copy is not marked DUPLICATA n° 1',
    });
    await byId(browser, 'print').click();
    await browser.waitUntil(async () => /DUPLICATA n° 2/.test(await byId(browser, 'receipt-text').getText()), {
      timeout: 10000,
      timeoutMsg: 'the reprint count did not move to 2',
    });
    assert.equal(await browser.execute(() => window.__printed), 2, 'the system print dialog opened for each print');
    await screenshot(browser, 'window-history-reprint-offline');
  } finally {
    await stop();
    if (!sandboxStopped) await sandbox.stop();
  }
});
