// The business day in the real window, in one session: a network receipt printer set in
// Réglages (a TCP listener of this test), a shift opened by denomination, one sale of each kind
// through the wizards in training (against a guichet-sandbox process), a cash movement, the
// X report printed, a close with a difference a manager approves; the printed X is the one on
// screen, and the Z report's totals equal the ledger's (`guichetctl export`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byId, fill, launch, MANAGER, screenshot, setUp, signIn, startSandbox } from './driver.mjs';
import {
  createLink,
  escposLines,
  francs,
  home,
  json,
  payBill,
  payLink,
  sellAirtime,
  sellCollection,
  sellPayout,
  sellWoyofal,
  startPrinter,
  waitStatus,
} from './sell.mjs';

/** A report's lines as the cashier reads them: trimmed, runs of spaces as one, no blank line. */
const readable = (lines) => lines.map((l) => l.trim().replace(/\s+/g, ' ')).filter((l) => l !== '');

/** Clicks « Imprimer » under the report on screen; returns its lines and the printed ones. */
async function printShown(browser, printer) {
  const shown = readable((await byId(browser, 'report-text').getText()).split('\n'));
  await byId(browser, 'report-print').click();
  const printed = escposLines(await printer.next());
  assert.ok(printed.cut, 'the paper is cut after the report');
  return { shown, printed: readable(printed.lines) };
}

test('a shift in the window: float by denomination, one sale of each kind, a cash movement, X printed, closed with a difference; Z = ledger', async () => {
  const sandbox = await startSandbox();
  const printer = await startPrinter();
  const dataDir = setUp();
  let session;
  try {
    session = await launch({ dataDir, env: { GUICHET_SANDBOX_URL: sandbox.url } });
    const { browser } = session;
    await browser.setWindowSize(1024, 768);
    await signIn(browser, MANAGER);

    // The till's receipt printer: a network printer on 80 mm paper, this test's listener.
    await byId(browser, 'header-settings').click();
    await byId(browser, 'settings-tab-printer').click();
    await byId(browser, 'printer-kind-network').click();
    await fill(browser, 'printer-host', '127.0.0.1');
    await fill(browser, 'printer-port', String(printer.port));
    await byId(browser, 'printer-width-80mm').click();
    await byId(browser, 'printer-save').click();
    await browser.$('[data-testid="printer-status"][data-ok="true"]').waitForDisplayed({ timeout: 10000 });
    await byId(browser, 'back').click();
    await byId(browser, 'tile').waitForDisplayed({ timeout: 10000 });

    // The shift, opened with the float counted note by note: 2 × 10 000, 3 × 1 000, 500 in coins.
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
    assert.equal(json(dataDir, ['shift', 'status', '--json']).shift.opening_float_minor, 23500);
    await byId(browser, 'back').click();
    await byId(browser, 'tile').waitForDisplayed({ timeout: 10000 });

    // One sale of each kind, through the wizards.
    const sold = {};
    sold.airtime = await sellAirtime(browser);
    await home(browser);
    sold.woyofal = await sellWoyofal(browser);
    await home(browser);
    sold.bill = await payBill(browser);
    await home(browser);
    sold.payout = await sellPayout(browser);
    await home(browser);
    sold.collection = await sellCollection(browser);
    await home(browser);
    sold.link = await createLink(browser, 'Tissu wax', 5000);
    await payLink(sandbox, 5000);
    await waitStatus(browser, 'success', 60000);
    await home(browser);

    // « Caisse »: 1 500 F paid out for bags.
    await byId(browser, 'header-shift').click();
    await byId(browser, 'shift-summary').waitForDisplayed({ timeout: 15000 });
    await browser.$('[data-testid="movement-direction"]').selectByAttribute('value', 'out');
    await fill(browser, 'movement-amount', '1500');
    await fill(browser, 'movement-reason', 'Achat de sachets');
    await byId(browser, 'movement-save').click();
    await browser.waitUntil(async () => /1\s500/.test(await byId(browser, 'shift-status').getText()), { timeout: 10000 });

    // The X report on screen, then on the printer: the same lines, the shift's figures.
    const x = json(dataDir, ['report', 'x', '--format', 'json']);
    assert.equal(x.totals.count, 6, 'the six sales are in the shift');
    assert.equal(x.movements.length, 1);
    await byId(browser, 'report-x').click();
    await byId(browser, 'report-text').waitForDisplayed({ timeout: 10000 });
    await screenshot(browser, 'window-shift-x');
    const xPrint = await printShown(browser, printer);
    await browser.$('[data-testid="shift-status"][data-ok="true"]').waitForDisplayed({ timeout: 10000 });
    assert.deepEqual(xPrint.printed, xPrint.shown, 'the printer got the report shown on screen');
    const xLines = xPrint.printed;
    assert.ok(xLines.includes('RAPPORT X'), xLines.join('\n'));
    assert.ok(xLines.includes('Boutique Awa'));
    assert.ok(xLines.includes(`Opérations réussies ${x.totals.count}`), xLines.join('\n'));
    assert.ok(xLines.includes(`Montant ${francs(x.totals.amount_minor)}`), xLines.join('\n'));
    assert.ok(xLines.includes(`Frais ${francs(x.totals.fee_minor)}`));
    assert.ok(xLines.includes(`Fond de caisse ${francs(23500)}`));
    assert.ok(xLines.includes(`Sorties ${francs(-1500)}`), xLines.join('\n'));
    assert.ok(xLines.includes(`Attendu ${francs(x.cash.expected_minor)}`));
    assert.ok(xLines.some((l) => / Achat de sachets -1 500 FCFA$/.test(l)), 'the cash movement is printed');

    // Close 100 F short: the manager approves with a note and the PIN.
    await fill(browser, 'close-counted', String(x.cash.expected_minor - 100));
    await byId(browser, 'shift-close').click();
    await byId(browser, 'approval').waitForDisplayed({ timeout: 10000 });
    await fill(browser, 'approval-manager', MANAGER.name);
    await fill(browser, 'approval-pin', MANAGER.pin);
    await fill(browser, 'approval-note', 'Erreur de rendu');
    await byId(browser, 'shift-close').click();
    await browser.waitUntil(async () => /RAPPORT Z n° 1/.test(await byId(browser, 'report-text').getText()), { timeout: 15000 });
    await browser.$('[data-testid="header-shift"][data-shift=""]').waitForDisplayed({ timeout: 15000 });
    await screenshot(browser, 'window-shift-z');
    const zPrint = await printShown(browser, printer);
    assert.deepEqual(zPrint.printed, zPrint.shown);
    assert.ok(zPrint.printed.includes('Écart -100 FCFA'), zPrint.printed.join('\n'));
    await session.stop();
    session = null;

    // The Z, as stored, against the ledger's own export.
    const z = json(dataDir, ['report', 'z', '--format', 'json']);
    assert.equal(z.cash.difference_minor, -100);
    assert.equal(z.shifts[0].approved_by, MANAGER.name);
    const ops = json(dataDir, ['export', '--format', 'json']);
    assert.deepEqual(ops.map((o) => o.id).sort(), Object.values(sold).sort(), 'the ledger holds the six sales of the window, no other');
    assert.ok(ops.every((o) => o.status === 'success'), JSON.stringify(ops.map((o) => [o.kind, o.status])));
    assert.deepEqual(ops.map((o) => o.kind).sort(), ['airtime', 'bill', 'collection', 'disbursement', 'payment_link', 'prepaid'].sort());
    assert.equal(z.totals.count, ops.length);
    assert.equal(z.totals.amount_minor, ops.reduce((s, o) => s + o.amount, 0));
    assert.equal(z.totals.fee_minor, ops.reduce((s, o) => s + (o.fee ?? 0), 0));
    const cashIn = ops.filter((o) => !['collection', 'payment_link'].includes(o.kind)).reduce((s, o) => s + o.amount + (o.fee ?? 0), 0);
    const cashOut = ops.filter((o) => o.kind === 'collection').reduce((s, o) => s + o.amount, 0);
    assert.equal(z.cash.sales_in_minor, cashIn);
    assert.equal(z.cash.sales_out_minor, cashOut);
    assert.equal(z.cash.expected_minor, 23500 + cashIn - cashOut - 1500);
    assert.equal(z.cash.counted_minor, z.cash.expected_minor - 100);
    assert.equal(z.pending.length + z.to_review.length, 0);
    for (const kind of new Set(ops.map((o) => o.kind))) {
      const line = z.by_kind.find((l) => l.key === kind);
      const mine = ops.filter((o) => o.kind === kind);
      assert.equal(line?.count, mine.length, `Z by kind: ${kind}`);
      assert.equal(line.amount_minor, mine.reduce((s, o) => s + o.amount, 0), `Z by kind: ${kind}`);
    }
  } finally {
    await session?.stop();
    await printer.stop();
    await sandbox.stop();
  }
});
