// The business day in the real window: a shift opened by denomination, one sale of each kind in
// training (guichetctl, against the same guichet-sandbox, while the window is closed: the shift
// stays open over the restart), a cash movement and the X report in the window, a close with a
// difference a manager approves; the Z report's totals equal the ledger's (`guichetctl export`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { byId, fill, launch, MANAGER, screenshot, setUp, signIn, startSandbox } from './driver.mjs';

/** guichetctl on `dataDir`; the whole spawnSync result (any exit code). */
function run(dataDir, args, input = '') {
  return spawnSync(process.env.GUICHETCTL, ['--data-dir', dataDir, ...args], { encoding: 'utf8', input });
}

/** guichetctl's JSON output, exit 0 required. */
function json(dataDir, args) {
  const out = run(dataDir, args);
  assert.equal(out.status, 0, `${args.join(' ')}: ${out.stdout}\n${out.stderr}`);
  return JSON.parse(out.stdout);
}

test('a shift: opened by denomination, one sale of each kind, a cash movement, X report, closed with a difference; Z = ledger', async () => {
  const sandbox = await startSandbox();
  const dataDir = setUp();
  let session;
  try {
    session = await launch({ dataDir, env: { GUICHET_SANDBOX_URL: sandbox.url } });
    let { browser } = session;
    await browser.setWindowSize(1024, 768);
    await signIn(browser, MANAGER);
    await browser.$('[data-testid="header-shift"][data-shift=""]').waitForDisplayed({ timeout: 15000 });
    await byId(browser, 'header-shift').click();
    await byId(browser, 'shift-open-form').waitForDisplayed({ timeout: 10000 });
    await byId(browser, 'float-by-notes').click();
    await fill(browser, 'notes-10000', '2');
    await fill(browser, 'notes-1000', '3');
    await fill(browser, 'coins', '500');
    await byId(browser, 'shift-open').click();
    await byId(browser, 'shift-summary').waitForDisplayed({ timeout: 15000 });
    await browser.$('[data-testid="header-shift"][data-shift="1"]').waitForDisplayed({ timeout: 15000 });
    await screenshot(browser, 'window-shift-open.png');
    await session.stop();
    session = null;

    // The shift is in the ledger: guichetctl sells into it, one operation of each kind.
    const status = json(dataDir, ['shift', 'status', '--json']);
    assert.equal(status.shift.opening_float_minor, 23500);
    const sales = [
      ['airtime', '--to', '77 123 45 67', '--amount', '1000'],
      ['woyofal', '--meter', '07061270877', '--amount', '2000'],
      ['bill', 'pay', '--service', 'SENELEC_SN_BILL', '--ref', '210278816'],
      ['payout', '--service', 'EASYTRANSFERT_20', '--to', '77 123 45 68', '--amount', '3000'],
      ['collect', '--service', 'EASYTRANSFERT_27', '--from', '0701234567', '--amount', '1000', '--otp', '123456'],
      ['link', '--item', 'Tissu wax', '--price', '5000'],
    ];
    for (const sale of sales) {
      const out = run(dataDir, ['--sandbox', sandbox.url, ...sale]);
      assert.ok([0, 4].includes(out.status), `${sale.join(' ')}: ${out.status}\n${out.stdout}\n${out.stderr}`);
    }

    // Back in the window, after a restart: the same shift, with the sales in it.
    session = await launch({ dataDir, env: { GUICHET_SANDBOX_URL: sandbox.url } });
    browser = session.browser;
    await browser.setWindowSize(1024, 768);
    await signIn(browser, MANAGER);
    await browser.$('[data-testid="header-shift"][data-shift="1"]').waitForDisplayed({ timeout: 15000 });
    await byId(browser, 'header-shift').click();
    await byId(browser, 'shift-summary').waitForDisplayed({ timeout: 15000 });

    await browser.$('[data-testid="movement-direction"]').selectByAttribute('value', 'out');
    await fill(browser, 'movement-amount', '1500');
    await fill(browser, 'movement-reason', 'Achat de sachets');
    await byId(browser, 'movement-save').click();
    await browser.waitUntil(async () => /1\s500/.test(await byId(browser, 'shift-status').getText()), { timeout: 10000 });

    await byId(browser, 'report-x').click();
    await byId(browser, 'report-text').waitForDisplayed({ timeout: 10000 });
    const xText = await byId(browser, 'report-text').getText();
    assert.match(xText, /RAPPORT X/);
    assert.match(xText, /Achat de sachets/);
    await screenshot(browser, 'window-shift-x.png');

    // Close 100 F short: the manager approves with a note and the PIN.
    const x = json(dataDir, ['report', 'x', '--format', 'json']);
    const counted = String(x.cash.expected_minor - 100);
    await fill(browser, 'close-counted', counted);
    await byId(browser, 'shift-close').click();
    await byId(browser, 'approval').waitForDisplayed({ timeout: 10000 });
    await fill(browser, 'approval-manager', MANAGER.name);
    await fill(browser, 'approval-pin', MANAGER.pin);
    await fill(browser, 'approval-note', 'Erreur de rendu');
    await byId(browser, 'shift-close').click();
    await browser.waitUntil(async () => /RAPPORT Z n° 1/.test(await byId(browser, 'report-text').getText()), { timeout: 15000 });
    await browser.$('[data-testid="header-shift"][data-shift=""]').waitForDisplayed({ timeout: 15000 });
    await screenshot(browser, 'window-shift-z.png');
    await session.stop();
    session = null;

    // The Z, as stored, against the ledger's own export.
    const z = json(dataDir, ['report', 'z', '--format', 'json']);
    assert.equal(z.cash.difference_minor, -100);
    assert.equal(z.shifts[0].approved_by, MANAGER.name);
    const ops = json(dataDir, ['export', '--format', 'json']);
    assert.equal(ops.length, sales.length);
    const ok = ops.filter((o) => o.status === 'success');
    assert.equal(z.totals.count, ok.length);
    assert.equal(z.totals.amount_minor, ok.reduce((s, o) => s + o.amount, 0));
    const cashIn = ok.filter((o) => !['collection', 'payment_link'].includes(o.kind)).reduce((s, o) => s + o.amount + (o.fee ?? 0), 0);
    const cashOut = ok.filter((o) => o.kind === 'collection').reduce((s, o) => s + o.amount, 0);
    assert.equal(z.cash.sales_in_minor, cashIn);
    assert.equal(z.cash.sales_out_minor, cashOut);
    assert.equal(z.cash.expected_minor, 23500 + cashIn - cashOut - 1500);
    const unsettled = ops.filter((o) => !['success', 'failed', 'cancelled', 'expired'].includes(o.status));
    assert.equal(z.pending.length + z.to_review.length, unsettled.length);
  } finally {
    await session?.stop();
    await sandbox.stop();
  }
});
