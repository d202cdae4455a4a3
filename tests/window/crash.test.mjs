// The app killed mid-shift: SIGKILL of the real `guichet` process after sales made in its
// window, with a payment link waiting for the customer and a payout whose request the provider
// recorded but never answered (the sandbox's `hang_after_commit`). Started again on the same
// data, the shift is still open in the window with the totals of before, and both operations are
// the same ones, as the provider (a guichet-sandbox process that outlives the app) says: in
// progress, then done once it settles them. No new operation, none failed.
// The payout goes through the gateway (Unipesa), which the engine asks by our key at once; cut
// off so, an EASYTRANSFERT one goes to « À vérifier » and a DEXCHANGE one is resent after two
// minutes, by design (engine/rules.rs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { byId, fill, launch, MANAGER, screenshot, setUp, signIn, startSandbox } from './driver.mjs';
import { createLink, eventually, home, json, payBill, payLink, sandboxLink, sandboxRecords, sellAirtime, sendPayout } from './sell.mjs';

/** The pids of the app binary under test (what WebKitWebDriver started for tauri-driver). */
function appPids() {
  const out = spawnSync('pgrep', ['-f', process.env.GUICHET_APP], { encoding: 'utf8' });
  return out.stdout.split('\n').filter(Boolean).map(Number);
}

/** True while `pid` is a live process (not gone, not a zombie waiting for its parent). */
function alive(pid) {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return false;
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(stat, 'utf8'));
  } catch {
    return false;
  }
}

/** Launches the app on `dataDir`, at the minimum width, signed in as the manager. */
async function start(dataDir, env) {
  const session = await launch({ dataDir, env });
  await session.browser.setWindowSize(1024, 768);
  await signIn(session.browser, MANAGER);
  return session;
}

/** « Caisse » from the home screen: the open shift's summary. */
async function openShiftScreen(browser) {
  await byId(browser, 'header-shift').click();
  await browser.$('[data-testid="shift-summary"][data-shift="1"]').waitForDisplayed({ timeout: 15000 });
}

/** The ledger's operations, by id: [kind, status]. */
function ledger(dataDir) {
  return Object.fromEntries(json(dataDir, ['export', '--format', 'json']).map((o) => [o.id, [o.kind, o.status]]));
}

/** Sets (or with `null` clears) the sandbox's faults. */
async function faults(sandbox, spec) {
  const res = spec
    ? await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(spec) })
    : await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'DELETE' });
  assert.ok(res.ok, `faults: ${res.status}`);
}

test('the app killed mid-shift: after a restart the shift is open, its totals right, the operations in flight the same and settled by the provider', async () => {
  // A held request is cut after 20 s, before the app's own 30 s timeout: the kill comes first.
  const sandbox = await startSandbox(['--hang-max-secs', '20']);
  const dataDir = setUp();
  const env = { GUICHET_SANDBOX_URL: sandbox.url };
  let session;
  try {
    session = await start(dataDir, env);
    let { browser } = session;
    await byId(browser, 'header-shift').click();
    await fill(browser, 'float-total', '10000');
    await byId(browser, 'shift-open').click();
    await browser.$('[data-testid="header-shift"][data-shift="1"]').waitForDisplayed({ timeout: 15000 });
    await byId(browser, 'back').click();
    await byId(browser, 'tile').waitForDisplayed({ timeout: 10000 });

    // Two sales done, a payment link waiting for the customer.
    const airtime = await sellAirtime(browser);
    await home(browser);
    const bill = await payBill(browser);
    await home(browser);
    const link = await createLink(browser, 'Pagne', 7000);
    await home(browser);

    // A payout the provider records but does not answer: the app waits on it, `sent`.
    await faults(sandbox, { hang_after_commit: 1, providers: ['unipesa'] });
    await sendPayout(browser, { service: 'UNIPESA_14', amount: 500 });
    const payout = await eventually(
      () => Object.entries(ledger(dataDir)).find(([, [kind, status]]) => kind === 'disbursement' && status === 'sent')?.[0],
      15000,
      'the payout is sent',
    );
    await eventually(async () => (await sandboxRecords(sandbox, 'unipesa', 500)).length === 1, 15000, 'the provider recorded the payout');
    const before = json(dataDir, ['report', 'x', '--format', 'json']);
    assert.equal(before.totals.count, 2);
    assert.equal(before.totals.amount_minor, 1000 + 104500);
    assert.deepEqual(before.pending.map((o) => o.id).sort(), [link, payout].sort());
    assert.equal(ledger(dataDir)[payout][1], 'sent', 'still waiting on the provider when killed');

    // SIGKILL: no shutdown, no last write.
    const pids = appPids();
    assert.equal(pids.length, 1, `one app process: ${pids}`);
    process.kill(pids[0], 'SIGKILL');
    await eventually(() => !alive(pids[0]), 10000, 'the app is gone');
    await session.stop();
    session = null;
    await faults(sandbox, null);
    assert.deepEqual(ledger(dataDir), {
      [airtime]: ['airtime', 'success'],
      [bill]: ['bill', 'success'],
      [link]: ['payment_link', 'pending'],
      [payout]: ['disbursement', 'sent'],
    });
    assert.equal((await sandboxLink(sandbox, 7000)).native_status, 'PENDING', 'the customer has not paid');

    // Started again on the same data: the same shift, open. The payout is asked about by its
    // key at once and is what the gateway says: processing (its simulator holds it so).
    session = await start(dataDir, env);
    browser = session.browser;
    await browser.$('[data-testid="header-shift"][data-shift="1"]').waitForDisplayed({ timeout: 15000 });
    await eventually(() => ledger(dataDir)[payout][1] === 'processing', 30000, 'the payout found in progress at the provider');
    await openShiftScreen(browser);
    assert.match(await byId(browser, 'shift-sales').getText(), /^2 · 105\s500\sFCFA$/);
    assert.equal(await byId(browser, 'shift-pending').getText(), '2');
    await screenshot(browser, 'window-crash-restarted');
    const after = json(dataDir, ['report', 'x', '--format', 'json']);
    assert.deepEqual(after.totals, before.totals);
    assert.deepEqual(after.cash, before.cash);
    assert.deepEqual(
      after.pending.map((o) => [o.id, o.status]).sort(),
      [[link, 'pending'], [payout, 'processing']].sort(),
    );
    assert.equal(after.to_review.length, 0);
    assert.equal(json(dataDir, ['shift', 'status', '--json']).shift.id, 1);

    // The history: the four operations of before the kill, no other; two still waiting.
    await byId(browser, 'back').click();
    await byId(browser, 'tile').waitForDisplayed({ timeout: 10000 });
    await browser.keys(['7']);
    await browser.waitUntil(async () => (await browser.$$('[data-testid="history-row"]')).length === 4, {
      timeout: 10000,
      timeoutMsg: 'the history does not list the four operations',
    });
    const rows = {};
    for (const row of await browser.$$('[data-testid="history-row"]')) {
      rows[await row.getAttribute('data-id')] = await row.getAttribute('data-status');
    }
    assert.deepEqual(rows, { [airtime]: 'success', [bill]: 'success', [link]: 'pending', [payout]: 'processing' });

    // The provider settles the payout and the customer pays the link: the restarted app
    // settles those same two operations from the provider's word.
    const [record] = await sandboxRecords(sandbox, 'unipesa', 500);
    const settledAt = await fetch(`${sandbox.url}/__sandbox/transactions/${record.provider_id}/approve`, { method: 'POST' });
    assert.ok(settledAt.ok, `approve payout: ${settledAt.status}`);
    await payLink(sandbox, 7000);
    await eventually(
      () => ['success', 'success'].join() === [ledger(dataDir)[link][1], ledger(dataDir)[payout][1]].join(),
      90000,
      'the link and the payout settled',
    );
    assert.deepEqual(ledger(dataDir), {
      [airtime]: ['airtime', 'success'],
      [bill]: ['bill', 'success'],
      [link]: ['payment_link', 'success'],
      [payout]: ['disbursement', 'success'],
    });
    const paid = json(dataDir, ['export', '--format', 'json']).find((o) => o.id === payout);
    await browser.keys(['Escape']);
    await byId(browser, 'tile').waitForDisplayed({ timeout: 10000 });
    await openShiftScreen(browser);
    assert.match(await byId(browser, 'shift-sales').getText(), /^4 · 113\s000\sFCFA$/);
    assert.equal(await byId(browser, 'shift-pending').getText(), '0');
    const settled = json(dataDir, ['report', 'x', '--format', 'json']);
    assert.equal(settled.totals.count, 4);
    assert.equal(settled.totals.amount_minor, 1000 + 104500 + 7000 + 500);
    // The payout is cash in; the payment link moves no cash.
    assert.equal(settled.cash.sales_in_minor, before.cash.sales_in_minor + paid.amount + (paid.fee ?? 0));
    assert.equal(settled.cash.expected_minor, before.cash.expected_minor + paid.amount + (paid.fee ?? 0));
  } finally {
    await session?.stop();
    await sandbox.stop();
  }
});
