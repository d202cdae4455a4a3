// Historique: search by phone, reference, token, amount or date; filters; detail with the
// timeline; reprint marked DUPLICATA with its count, with no network.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pastOperations } from './fixtures.mjs';
import { focusedTestId, ipcCalls, launchBrowser, plain, screenshot, serveDist, startApp, waitStatus } from './harness.mjs';

/** @type {import('playwright-core').Browser} */
let browser;
/** @type {{ url: string, close: () => Promise<void> }} */
let server;
const NOW = new Date('2026-11-23T09:05:00Z');
const WOYOFAL = '0190a1b2-0001-7000-8000-00000000a001';

before(async () => {
  server = await serveDist();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** @param {import('playwright-core').Page} page */
async function rows(page) {
  await page.waitForFunction(() => !document.querySelector('[data-testid="screen-history"] .count')?.textContent?.includes('Recherche'));
  return page.locator('[data-testid="history-row"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
}

/**
 * Change a filter and wait for the answer to the search it starts.
 * @param {import('playwright-core').Page} page @param {() => Promise<unknown>} change
 */
async function refilter(page, change) {
  const before = (await ipcCalls(page)).filter((c) => c.cmd === 'history').length;
  await change();
  await page.waitForFunction((n) => /** @type {any} */ (window).__IPC_CALLS__.filter((/** @type {any} */ c) => c.cmd === 'history').length > n, before);
  await page.waitForTimeout(50); // the answer is rendered
  return rows(page);
}

/**
 * Type a search and wait for the answer to it.
 * @param {import('playwright-core').Page} page @param {string} text
 */
function search(page, text) {
  return refilter(page, () => page.getByTestId('history-search').fill(text));
}

describe('Historique', () => {
  test('lists the ledger newest first and finds by phone, token, amount, reference, date, status and operation', async () => {
    const { context, page, pageErrors } = await startApp(browser, server.url, { now: NOW, ledger: pastOperations() });
    try {
      await page.keyboard.press('7');
      await page.getByTestId('history-results').waitFor();
      assert.equal(await focusedTestId(page), 'history-search');
      const all = await rows(page);
      assert.equal(all.length, 5);
      assert.equal(all[0], '0190a1b2-0005-7000-8000-00000000a005', 'newest first');
      const first = plain(await page.getByTestId('history-row').first().innerText());
      assert.match(first, /23\/11\/2026 08:50/);
      assert.match(first, /Paiement/);
      assert.match(first, /30 000 FCFA/);
      assert.match(first, /Résultat pas encore connu/);
      await screenshot(page, 'ui-history-list.png');

      assert.deepEqual(await search(page, '77 123 45 67'), ['0190a1b2-0002-7000-8000-00000000a002']);
      assert.equal((await ipcCalls(page)).filter((c) => c.cmd === 'history').at(-1)?.args.query.text, '771234567');
      assert.deepEqual(await search(page, '1111 2222 3333'), [WOYOFAL]);
      assert.deepEqual(await search(page, '12 500'), ['0190a1b2-0004-7000-8000-00000000a004']);
      assert.deepEqual(await search(page, 'SE-2026-10'), ['0190a1b2-0004-7000-8000-00000000a004']);
      assert.deepEqual(await search(page, 'nothing-like-this'), []);
      await page.getByTestId('history-empty').waitFor();
      await search(page, '');

      assert.equal((await refilter(page, () => page.getByTestId('history-date').fill('2026-11-22'))).length, 3);
      const query = (await ipcCalls(page)).filter((c) => c.cmd === 'history').at(-1)?.args.query;
      assert.equal(query.from, '2026-11-22T00:00:00.000Z');
      assert.equal(query.to, '2026-11-23T00:00:00.000Z');
      assert.deepEqual(await refilter(page, () => page.getByTestId('history-status').selectOption('failed')), [
        '0190a1b2-0003-7000-8000-00000000a003',
      ]);
      assert.equal((await refilter(page, () => page.getByTestId('history-clear').click())).length, 5);
      assert.deepEqual(await refilter(page, () => page.getByTestId('history-kind').selectOption('prepaid')), [WOYOFAL]);
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('a long day comes a hundred at a time: « Voir les plus anciennes » asks for the next page and focuses its first row', async () => {
    const base = pastOperations()[1];
    const many = Array.from({ length: 130 }, (_, i) => {
      const id = `0190a1b2-0100-7000-8000-${String(i).padStart(12, '0')}`;
      const at = new Date(Date.UTC(2026, 10, 22, 6, 0, 0) + i * 60_000).toISOString();
      return {
        operation: { ...base.operation, id, idempotency_key: `GCH-P${i}`, created_at: at, updated_at: at },
        events: base.events.map((e) => ({ ...e, operation_id: id, at })),
      };
    });
    const { context, page, pageErrors } = await startApp(browser, server.url, { now: NOW, ledger: many });
    try {
      await page.keyboard.press('7');
      await page.getByTestId('history-results').waitFor();
      const first = await rows(page);
      assert.equal(first.length, 100);
      assert.equal(first[0], many[129]?.operation.id, 'newest first');
      await page.getByTestId('history-more').click();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="history-row"]').length === 130);
      const all = await rows(page);
      assert.equal(new Set(all).size, 130, 'no repeat across pages');
      assert.equal(all[129], many[0]?.operation.id, 'the oldest last');
      const query = (await ipcCalls(page)).filter((c) => c.cmd === 'history').at(-1)?.args.query;
      assert.equal(query.before, first[99], 'the next page starts after the last row shown');
      await page.waitForFunction((id) => document.activeElement?.getAttribute('data-id') === id, all[100]);
      assert.equal(await page.getByTestId('history-more').count(), 0, 'a short page means there is nothing older');
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('keyboard: open an operation, its timeline, reprint offline marked DUPLICATA with its count, Esc back', async () => {
    const { context, page, pageErrors } = await startApp(browser, server.url, {
      now: NOW,
      ledger: pastOperations(),
      prints: { [WOYOFAL]: 1 },
    });
    try {
      await context.setOffline(true);
      await page.getByTestId('network').getByText('Hors ligne').waitFor();
      await page.keyboard.press('7');
      await page.getByTestId('history-results').waitFor();
      await page.keyboard.type('14123456789');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="history-row"]').length === 1);
      await page.keyboard.press('ArrowDown');
      assert.equal(await focusedTestId(page), 'history-row');
      await page.keyboard.press('Enter');

      const detail = page.getByTestId('history-detail');
      await detail.waitFor();
      assert.equal(plain(await page.getByTestId('history-token').textContent()), '1111 2222 3333 4444 5555');
      const facts = plain(await page.getByTestId('history-facts').innerText());
      assert.match(facts, /Woyofal — Recharge Woyofal/);
      assert.match(facts, /Moussa Fall/);
      assert.match(facts, /DXW-88120/);
      const timeline = await page.locator('[data-testid="timeline"] li').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
      assert.deepEqual(timeline, ['prepared', 'sent', 'processing', 'success']);
      assert.match(await page.getByTestId('timeline').innerText(), /Code reçu après 2 minutes/);
      assert.match(await page.getByTestId('timeline').innerText(), /Vérification automatique/);
      await waitStatus(page, 'success');

      const receipt = page.getByTestId('receipt-text');
      await receipt.waitFor();
      assert.match(await receipt.innerText(), /DUPLICATA n° 1/);
      assert.equal(plain(await page.getByTestId('print').textContent()), 'Réimprimer le reçu');
      await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'print');
      await page.keyboard.press('Enter');
      await page.getByTestId('print-outcome').getByText('Reçu imprimé : DUPLICATA n° 1.').waitFor();
      await receipt.getByText('DUPLICATA n° 2').waitFor();
      await screenshot(page, 'ui-history-reprint.png');
      await page.keyboard.press('Enter');
      await page.getByTestId('print-outcome').getByText('Reçu imprimé : DUPLICATA n° 2.').waitFor();
      assert.deepEqual(
        (await ipcCalls(page)).filter((c) => c.cmd === 'print_receipt').map((c) => c.args),
        [{ id: WOYOFAL, copy: 'customer' }, { id: WOYOFAL, copy: 'customer' }],
      );
      // 80 mm paper: the preview is rendered again at 48 columns.
      await page.getByTestId('width-48').click();
      await page.waitForFunction(() => /** @type {any} */ (window).__IPC_CALLS__.some((/** @type {any} */ c) => c.cmd === 'receipt' && c.args.width === 48));

      await page.keyboard.press('Escape');
      await page.getByTestId('history-results').waitFor();
      // Focus returns once the list is back in the page (a task later): wait for it, do not sample.
      await page
        .waitForFunction((id) => document.activeElement?.getAttribute('data-id') === id, WOYOFAL, { timeout: 5000 })
        .catch(() => undefined);
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-id')), WOYOFAL, 'focus back on the row');
      await page.keyboard.press('Escape');
      await page.getByTestId('tile').first().waitFor();
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('an unknown operation says not to do it again; a sale made now is found at once', async () => {
    const { context, page } = await startApp(browser, server.url, { ledger: pastOperations() });
    try {
      await page.keyboard.press('7');
      await page.getByTestId('history-results').waitFor();
      await page.locator('[data-id="0190a1b2-0005-7000-8000-00000000a005"]').click();
      await waitStatus(page, 'unknown');
      assert.equal(await page.getByTestId('status-sentence').textContent(), "Ne pas refaire l'opération, vérification en cours.");
      assert.match(await page.getByTestId('timeline').innerText(), /Pas de réponse du fournisseur/);
      await screenshot(page, 'ui-history-detail-unknown.png');
      // The reconciler resolves it while the cashier looks: live.
      await page.evaluate(() => /** @type {any} */ (window).__ENGINE__.advance('0190a1b2-0005-7000-8000-00000000a005', 'success', {}, 'reconciler'));
      await waitStatus(page, 'success');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="timeline"] li').length === 4);
      await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');

      await page.keyboard.press('3');
      await page.keyboard.type('701234567');
      await page.keyboard.press('Enter');
      await page.getByTestId('preset').first().click();
      await page.keyboard.press('Enter');
      await waitStatus(page, 'success');
      await page.keyboard.press('Escape');
      await page.keyboard.press('7');
      await page.getByTestId('history-results').waitFor();
      const first = plain(await page.getByTestId('history-row').first().innerText());
      assert.match(first, /Crédit/);
      assert.match(first, /701234567/);
      assert.match(first, /Réussie/);
    } finally {
      await context.close();
    }
  });
});
