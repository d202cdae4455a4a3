// « Caisse »: the header's shift button at 1024 px, opening a shift note by note, a cash
// movement, the X report on screen and printed, and a close whose difference needs a manager's
// name, PIN and note. Whatever the core computes (the shift, the reports, the difference) each
// test scripts as its answer; the test asserts what the UI sends and shows.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { answer, reportNotSaved, shiftDifference, wrongPin } from './core-answers.mjs';
import { reviewItem, shiftOf, shiftReport } from './fixtures.mjs';
import { answerNext, callsOf, launchBrowser, plain, screenshot, serveDist, startApp } from './harness.mjs';

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

const X_TEXT = '           RAPPORT X\nAttendu              24 000 FCFA\n';
const Z_TEXT = '        RAPPORT Z n° 1\nÉcart                  -500 FCFA\n';

describe('shift', () => {
  test('a cashier opens a shift note by note, records cash out, prints the X report and closes with a difference a manager approves', async () => {
    const { context, page, pageErrors } = await startApp(browser, server.url, {
      desk: { signedIn: 'Moussa Fall' },
      viewport: { width: 1024, height: 768 },
    });
    try {
      // No shift: the header says so, and « Verrouiller » still fits at 1024 px.
      const chip = page.locator('[data-testid="header-shift"][data-shift=""]');
      await chip.waitFor();
      assert.match(plain(await chip.getAttribute('title')), /Caisse fermée/);
      const lock = await page.getByTestId('lock-button').boundingBox();
      assert.ok(lock && lock.x + lock.width <= 1024, `lock button at ${JSON.stringify(lock)}`);
      await chip.click();
      await page.getByTestId('shift-open-form').waitFor();

      // Note by note: 2 × 10 000, 1 × 2 000, 1 000 in coins.
      await page.getByTestId('float-by-notes').check();
      await page.getByTestId('notes-10000').fill('2');
      await page.getByTestId('notes-2000').fill('1');
      await page.getByTestId('coins').fill('1 000');
      await answerNext(page, 'open_shift', answer(shiftOf(7)));
      await page.evaluate((s) => /** @type {any} */ (window).__DESK__.setShift(s), shiftOf(7));
      await answerNext(page, 'x_report', answer(shiftReport('x', 0)));
      await page.getByTestId('shift-open').click();
      await page.getByTestId('shift-summary').waitFor();
      assert.deepEqual(await callsOf(page, 'open_shift'), [
        { float: { by: 'denominations', notes_10000: 2, notes_5000: 0, notes_2000: 1, notes_1000: 0, notes_500: 0, coins_minor: 1000 } },
      ]);
      await page.locator('[data-testid="header-shift"][data-shift="7"]').waitFor();
      assert.match(plain(await page.getByTestId('shift-expected').textContent()), /23 000 FCFA/);

      // Cash out with its reason.
      await page.getByTestId('movement-direction').selectOption('out');
      await page.getByTestId('movement-amount').fill('1500');
      await page.getByTestId('movement-reason').fill('Achat de sachets');
      await answerNext(page, 'cash_movement', answer({ id: 1, shift_id: 7, at: '2026-11-23T09:00:00.000Z', operator: 'Moussa Fall', direction: 'out', amount_minor: 1500, reason: 'Achat de sachets' }));
      await answerNext(page, 'x_report', answer(shiftReport('x', 1)));
      await page.getByTestId('movement-save').click();
      await page.getByTestId('shift-status').getByText('Mouvement de 1 500 FCFA enregistré.').waitFor();
      assert.deepEqual(await callsOf(page, 'cash_movement'), [{ direction: 'out', amountMinor: 1500, reason: 'Achat de sachets' }]);

      // The X report as the printer lays it out, then printed.
      await answerNext(page, 'report_text', answer({ text: X_TEXT }));
      await page.getByTestId('report-x').click();
      await page.getByTestId('report-text').getByText('RAPPORT X').waitFor();
      await answerNext(page, 'print_report', answer({ system_dialog: false, text: X_TEXT }));
      await page.getByTestId('report-print').click();
      await page.getByTestId('shift-status').getByText('Rapport envoyé à l\'imprimante.').waitFor();
      assert.equal((await callsOf(page, 'report_text'))[0].width, 48);
      assert.equal((await callsOf(page, 'print_report'))[0].report.kind, 'x');
      await screenshot(page, 'ui-shift-open.png');

      // Close 500 F short: the core refuses without a manager; the approval is asked.
      await page.getByTestId('close-counted').fill('23500');
      await answerNext(page, 'close_shift', shiftDifference('-500 FCFA', '24 000 FCFA', '23 500 FCFA'));
      await page.getByTestId('shift-close').click();
      await page.getByTestId('approval').waitFor();
      assert.match(plain(await page.getByTestId('shift-status').textContent()), /Écart de caisse de -500 FCFA/);
      await page.getByTestId('approval-manager').fill('Awa Ndiaye');
      await page.getByTestId('approval-pin').fill('0000');
      await page.getByTestId('approval-note').fill('Erreur de rendu');
      await answerNext(page, 'close_shift', wrongPin(4));
      await page.getByTestId('shift-close').click();
      await page.getByTestId('shift-status').getByText('Encore 4 essai(s)').waitFor();
      assert.equal(await page.getByTestId('approval-pin').inputValue(), '', 'the PIN is typed again');

      await page.getByTestId('approval-pin').fill('2468');
      const closed = shiftOf(7, { closed_by: 'Moussa Fall', closed_at: '2026-11-23T18:00:00.000Z', expected_minor: 24000, counted_minor: 23500, approved_by: 'Awa Ndiaye', approval_note: 'Erreur de rendu', z_number: 1 });
      await answerNext(page, 'close_shift', answer({ shift: closed, report: shiftReport('z', 1, { counted_minor: 23500, difference_minor: -500 }) }));
      await page.evaluate(() => /** @type {any} */ (window).__DESK__.setShift(null));
      await answerNext(page, 'report_text', answer({ text: Z_TEXT }));
      await page.getByTestId('shift-close').click();
      await page.getByTestId('report-text').getByText('RAPPORT Z n° 1').waitFor();
      await page.getByTestId('shift-status').getByText('Caisse fermée : rapport Z n° 1.').waitFor();
      const closes = await callsOf(page, 'close_shift');
      assert.equal(closes.length, 3);
      assert.deepEqual(closes[0], { shiftId: 7, counted: { by: 'total', amount_minor: 23500 }, approval: null });
      assert.deepEqual(closes[2].approval, { manager: 'Awa Ndiaye', pin: '2468', note: 'Erreur de rendu' });
      await page.locator('[data-testid="header-shift"][data-shift=""]').waitFor();
      // The Z as a PDF, saved where the shop finds it: the message gives the full path.
      const zPdf = '/home/awa/.local/share/guichet/rapports/rapport-z-0001.pdf';
      await answerNext(page, 'save_report_pdf', answer({ path: zPdf }));
      await page.getByTestId('report-pdf').click();
      await page.getByTestId('shift-status').getByText(`Rapport enregistré en PDF : ${zPdf}`).waitFor();
      const saves = await callsOf(page, 'save_report_pdf');
      assert.equal(saves.length, 1);
      assert.equal(saves[0].report.kind, 'z');
      assert.equal(saves[0].report.z_number, 1);
      await screenshot(page, 'ui-shift-closed.png');
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('a manager\'s fullest header (shift, low float, review, settings) still fits at 1024 px', async () => {
    const low = { provider: 'dexchange', name: 'DEXCHANGE', balance_api: true, last: null, threshold_minor: 50000, low: true };
    const { context, page, pageErrors } = await startApp(browser, server.url, {
      desk: { shift: shiftOf(3), floats: [low], review: [reviewItem('01937a3c-0000-7000-8000-000000000001', 5000, '77 123 45 68')] },
      viewport: { width: 1024, height: 768 },
    });
    try {
      await page.locator('[data-testid="header-shift"][data-shift="3"]').waitFor();
      await page.locator('[data-testid="header-review"][data-count="1"]').waitFor();
      await page.getByTestId('header-settings').waitFor();
      const warning = page.getByTestId('header-float');
      await warning.waitFor();
      assert.match(plain(await warning.textContent()), /Float bas : DEXCHANGE/);
      const lock = await page.getByTestId('lock-button').boundingBox();
      assert.ok(lock && lock.x + lock.width <= 1024, `lock button at ${JSON.stringify(lock)}`);
      await screenshot(page, 'ui-shift-header-1024.png');
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('a manager\'s day: the sum of the shifts, operations per hour and per kind as charts, the float and its thresholds', async () => {
    const low = { provider: 'dexchange', name: 'DEXCHANGE', balance_api: true, last: { provider: 'dexchange', at: '2026-11-23T08:00:00.000Z', shift_id: 3, moment: 'open', amount_minor: 40000, currency: 'XOF', error: null }, threshold_minor: 50000, low: true };
    const gateway = { provider: 'unipesa', name: 'Unipesa', balance_api: false, last: null, threshold_minor: null, low: false };
    const { context, page, pageErrors } = await startApp(browser, server.url, {
      desk: { shift: shiftOf(3), floats: [low, gateway] },
      viewport: { width: 1024, height: 768 },
    });
    try {
      // An operation of the shift before, pending at its Z, settled since: said on the summary.
      const x = shiftReport('x', 2, { settled_since_minor: 2000 });
      x.settled_since = /** @type {any} */ ([{
        operation: { id: '01937a3c-0000-7000-8000-0000000000aa', created_at: '2026-11-22T17:55:00.000Z', kind: 'disbursement', service_code: 'EASYTRANSFERT_20', provider: 'easytransfert', amount_minor: 2000, status: 'success', operator_name: 'Moussa Fall' },
        shift_id: 2, settled_at: '2026-11-23T08:10:00.000Z', cash_minor: 2000,
      }]);
      await answerNext(page, 'x_report', answer(x));
      await page.locator('[data-testid="header-shift"][data-shift="3"]').click();
      await page.getByTestId('shift-summary').waitFor();
      assert.match(plain(await page.getByTestId('shift-settled').textContent()), /1 · 2 000 FCFA/);

      const day = shiftReport('day', 3, { counted_minor: 25500, difference_minor: -500 });
      day.by_hour[9] = 2;
      day.by_hour[14] = 1;
      day.by_kind = [
        { ...day.by_kind[0], count: 2 },
        { key: 'bill', label: { fr: 'Paiement de facture', en: 'Bill payment' }, count: 1, amount_minor: 5000, fee_minor: 100, cash_minor: 5100, commission_minor: 0, provider_commission_minor: 0 },
      ];
      /** @param {string} provider @param {string} name @param {boolean} api @param {number | null} opening @param {number} moved @param {number | null} closing @param {string | null} [error] */
      const floatLine = (provider, name, api, opening, moved, closing, error = null) => ({
        provider, name, balance_api: api, opening_minor: opening, opening_error: null, closing_minor: closing, closing_error: error,
        moved_minor: moved, pending_count: 0, difference_minor: opening !== null && closing !== null ? closing - (opening + moved) : null,
      });
      day.floats = /** @type {any} */ ([
        floatLine('dexchange', 'DEXCHANGE', true, 100000, -3000, 96500),
        floatLine('easytransfert', 'EASYTRANSFERT', true, 50000, 0, null, 'float_read_timeout'),
        floatLine('unipesa', 'Unipesa', false, null, 0, null),
      ]);
      await answerNext(page, 'day_report', answer(day));
      await answerNext(page, 'day_settings', answer({ shift_required: false, float_thresholds: { dexchange: 50000 } }));
      await page.getByTestId('open-day').click();
      await page.getByTestId('screen-day').waitFor();
      await page.getByTestId('chart-hours').waitFor();
      assert.equal((await page.getByTestId('chart-hours').getAttribute('data-values'))?.split(',').map(Number).reduce((a, b) => a + b, 0), 3);
      assert.equal(await page.getByTestId('chart-kinds').getAttribute('data-values'), 'airtime:2,bill:1');
      // Both charts are drawn: their canvases have painted pixels.
      for (const id of ['chart-hours', 'chart-kinds']) {
        await page.waitForFunction((testid) => {
          const canvas = /** @type {HTMLCanvasElement | null} */ (document.querySelector(`[data-testid="${testid}"]`));
          const ctx = canvas?.getContext('2d');
          if (!canvas || !ctx || canvas.width === 0) return false;
          const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
          for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
          return false;
        }, id);
      }
      assert.match(plain(await page.getByTestId('day-difference').textContent()), /-500 FCFA/);
      const rows = page.getByTestId('day-floats');
      assert.match(plain(await rows.locator('tr[data-provider="dexchange"]').textContent()), /40 000 FCFA/);
      assert.match(plain(await rows.locator('tr[data-provider="unipesa"]').textContent()), /pas de solde documenté/);
      assert.equal(await page.getByTestId('threshold-dexchange').inputValue(), '50000');
      // The day's float: what the operations explain, and a missing balance said, not made up.
      const moves = page.getByTestId('day-report-floats');
      assert.match(plain(await moves.locator('tr[data-provider="dexchange"]').textContent()), /100 000 FCFA.*-3 000 FCFA.*96 500 FCFA.*-500 FCFA/);
      assert.match(plain(await moves.locator('tr[data-provider="easytransfert"]').textContent()), /non lu \(float_read_timeout\)/);
      assert.match(plain(await moves.locator('tr[data-provider="unipesa"]').textContent()), /non communiqué.*non communiqué/);
      await screenshot(page, 'ui-day.png');

      // Shift required and a new threshold: sent as typed, the core's settings come back.
      await page.getByTestId('shift-required').check();
      await page.getByTestId('threshold-dexchange').fill('75 000');
      await answerNext(page, 'save_day_settings', answer({ shift_required: true, float_thresholds: { dexchange: 75000 } }));
      await page.getByTestId('day-save').click();
      await page.getByTestId('day-status').getByText('Réglages de la journée enregistrés.').waitFor();
      assert.deepEqual(await callsOf(page, 'save_day_settings'), [{ settings: { shift_required: true, float_thresholds: { dexchange: 75000 } } }]);

      // The day report as a PDF: a full disk is said in the core's words, then it is saved.
      const dayPdf = '/home/awa/.local/share/guichet/rapports/rapport-jour-2026-11-23.pdf';
      await answerNext(page, 'save_report_pdf', reportNotSaved(dayPdf, 'No space left on device (os error 28)'));
      await page.getByTestId('day-pdf').click();
      await page.getByTestId('day-status').getByText(/Le rapport n'a pas pu être enregistré dans .*rapport-jour-2026-11-23\.pdf/).waitFor();
      await answerNext(page, 'save_report_pdf', answer({ path: dayPdf }));
      await page.getByTestId('day-pdf').click();
      await page.getByTestId('day-status').getByText(`Rapport enregistré en PDF : ${dayPdf}`).waitFor();
      const daySaves = await callsOf(page, 'save_report_pdf');
      assert.equal(daySaves.length, 2);
      assert.equal(daySaves[1].report.kind, 'day');
      assert.deepEqual(await callsOf(page, 'day_report'), [{ day: new Date().toISOString().slice(0, 10) }]);
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });
});
