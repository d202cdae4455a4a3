// Woyofal: meter → details → amount (presets, limits) → pay → token, live through PROCESSING.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TOKEN } from './fixtures.mjs';
import { refused } from './core-answers.mjs';
import { answerNext, focusedTestId, ipcCalls, launchBrowser, plain, screenshot, serveDist, startApp, waitStatus } from './harness.mjs';

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

const GROUPED = '5823 1940 6722 1583 9047';

/**
 * From the home screen to the confirmation, by keyboard.
 * @param {import('playwright-core').Page} page
 * @param {string} amount
 */
async function toConfirm(page, amount) {
  await page.keyboard.press('2');
  await page.getByTestId('meter-input').waitFor();
  await page.keyboard.type('14123456789');
  await page.keyboard.press('Enter');
  await page.getByTestId('meter-details').waitFor();
  await page.keyboard.type(amount);
  await page.keyboard.press('Enter');
  await page.getByTestId('confirm-summary').waitFor();
}

describe('Woyofal', () => {
  test('keyboard only, with the numeric keypad: limits as typed, pay, the token large with copy and print', async () => {
    const { context, page, pageErrors } = await startApp(browser, server.url);
    try {
      await context.grantPermissions(['clipboard-read', 'clipboard-write']);
      await page.keyboard.press('Numpad2');
      await page.getByTestId('meter-input').waitFor();
      assert.equal(await focusedTestId(page), 'meter-input');
      // Keypad digits, Num Lock on (key "1") and off (key "End", code "Numpad1").
      for (const d of '1412345678') await page.keyboard.press(`Numpad${d}`);
      await page.keyboard.press('End'); // not a digit: caret move, types nothing
      await page.evaluate(() => {
        const input = /** @type {HTMLInputElement} */ (document.activeElement);
        input.dispatchEvent(new KeyboardEvent('keydown', { key: 'PageDown', code: 'Numpad3', bubbles: true, cancelable: true }));
      });
      assert.equal(await page.getByTestId('meter-input').inputValue(), '14123456783');
      await page.keyboard.press('Backspace');
      await page.keyboard.press('9');
      await page.keyboard.press('NumpadEnter');

      const meter = page.getByTestId('meter-details');
      await meter.waitFor();
      const details = plain(await meter.innerText());
      assert.match(details, /Moussa Fall/);
      assert.match(details, /Parcelles Assainies/);
      assert.match(details, /ACTIF/);
      assert.equal(await focusedTestId(page), 'amount-input');
      assert.equal(plain(await page.getByTestId('amount-limits').textContent()), 'De 1 000 FCFA à 1 000 000 FCFA');
      const presets = (await page.getByTestId('preset').allTextContents()).map(plain);
      assert.deepEqual(presets, ['1 000 FCFA', '2 000 FCFA', '3 000 FCFA', '5 000 FCFA', '10 000 FCFA', '20 000 FCFA']);

      // Below the minimum: refused on Enter, next to the field, and the screen stays.
      await page.keyboard.type('500');
      await page.keyboard.press('Enter');
      const error = page.getByTestId('amount-error');
      await error.waitFor();
      assert.equal(plain(await error.textContent()), 'Trop petit : le minimum est 1 000 FCFA.');
      await screenshot(page, 'ui-woyofal-amount-refused.png');
      // Over the maximum: said at once, as typed.
      await page.keyboard.press('Control+A');
      await page.keyboard.type('2000000');
      assert.equal(plain(await error.textContent()), 'Trop grand : le maximum est 1 000 000 FCFA.');
      assert.equal(await page.getByTestId('amount-input').inputValue(), '2 000 000');
      await page.keyboard.press('Control+A');
      await page.keyboard.type('7500');
      assert.equal(await error.isHidden(), true);
      assert.equal(plain(await page.getByTestId('amount-ok').textContent()), '7 500 FCFA');
      await screenshot(page, 'ui-woyofal-amount.png');
      await page.keyboard.press('Enter');

      await page.getByTestId('confirm-summary').waitFor();
      assert.equal(plain(await page.getByTestId('confirm-total').textContent()), '7 500 FCFA');
      assert.equal(await focusedTestId(page), 'confirm');
      await page.keyboard.press('Enter');

      await waitStatus(page, 'success');
      const digits = page.getByTestId('token-digits');
      await digits.waitFor();
      assert.equal(plain(await digits.textContent()), GROUPED);
      const size = await digits.evaluate((el) => parseFloat(getComputedStyle(el).fontSize) / parseFloat(getComputedStyle(document.body).fontSize));
      assert.ok(size >= 1.8, `the token is large (${size} × the body text)`);
      const lines = await digits.evaluate((el) => new Set([...el.children].map((c) => c.getBoundingClientRect().top)).size);
      assert.equal(lines, 1, 'the five groups on one line');
      assert.match(await page.getByTestId('status-sentence').textContent() ?? '', /Donnez le code au client/);
      await page.getByTestId('receipt-text').waitFor();
      await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'print');
      await screenshot(page, 'ui-woyofal-token.png');
      await page.getByTestId('copy-token').click();
      await page.getByText('Code copié.').waitFor();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), TOKEN);
      const receipt = page.getByTestId('receipt-text');
      await receipt.waitFor();
      assert.match(await receipt.innerText(), /CODE WOYOFAL/);
      assert.match(await receipt.innerText(), new RegExp(GROUPED));
      await page.getByTestId('print').focus();
      await page.keyboard.press('Enter');
      await page.getByTestId('print-outcome').getByText('Reçu imprimé.').waitFor();

      const submit = (await ipcCalls(page)).find((c) => c.cmd === 'submit');
      assert.deepEqual(submit?.args.request.request, {
        service_code: 'WOYOFAL_SN_BILL',
        kind: 'prepaid',
        amount: { minor: 7500, currency: 'XOF' },
        phone: null,
        otp: null,
        extras: { reference_client: '14123456789' },
      });
      // Esc from the result goes home.
      await page.keyboard.press('Escape');
      await page.getByTestId('tile').first().waitFor();
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('PROCESSING shows a live wait; the late token arrives on screen and on the receipt', async () => {
    const { context, page, pageErrors } = await startApp(browser, server.url);
    try {
      await page.evaluate(() => /** @type {any} */ (window).__ENGINE__.script([{ status: 'processing', patch: { provider_ref: 'DXW-1', fee_minor: 0 } }]));
      await toConfirm(page, '5000');
      await page.keyboard.press('Enter');
      await waitStatus(page, 'processing');
      assert.equal(plain(await page.getByTestId('status-label').textContent()), 'En cours de traitement');
      assert.match(await page.getByTestId('status-sentence').textContent() ?? '', /Le code Woyofal arrive/);
      assert.match(await page.getByTestId('status-sentence').textContent() ?? '', /Ne refaites pas l'opération/);
      assert.equal(await page.getByTestId('token').count(), 0);
      await screenshot(page, 'ui-woyofal-processing.png');

      await page.evaluate((token) => /** @type {any} */ (window).__ENGINE__.advance('last', 'success', { token }), TOKEN);
      await waitStatus(page, 'success');
      assert.equal(plain(await page.getByTestId('token-digits').textContent()), GROUPED);
      await page.getByTestId('receipt-text').getByText(GROUPED).waitFor();
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('a failure after PROCESSING says the amount was refunded; a preset goes straight to the confirmation', async () => {
    const { context, page } = await startApp(browser, server.url);
    try {
      await page.evaluate(() =>
        /** @type {any} */ (window).__ENGINE__.script([{ status: 'processing' }, { status: 'failed', delay: 400 }]),
      );
      await page.keyboard.press('2');
      await page.getByTestId('meter-input').fill('14123456789');
      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: /^2\s*000\sFCFA$/ }).click();
      assert.equal(plain(await page.getByTestId('confirm-total').textContent()), '2 000 FCFA');
      await page.keyboard.press('Enter');
      await waitStatus(page, 'processing');
      await waitStatus(page, 'failed');
      assert.equal(
        await page.getByTestId('status-sentence').textContent(),
        'La recharge n\'a pas abouti. Le montant a été remboursé.',
      );
      assert.equal(await page.getByTestId('receipt').count(), 0, 'no receipt for a failure');
      await screenshot(page, 'ui-woyofal-refunded.png');
    } finally {
      await context.close();
    }
  });

  test('an unknown outcome says not to do it again; a refusal from the core shows next to the amount', async () => {
    const { context, page } = await startApp(browser, server.url);
    try {
      await answerNext(page, 'submit', refused([{ code: 'above_maximum', field: 'amount', fr: 'Plafond du jour atteint pour ce compteur.', en: 'Daily ceiling reached for this meter.' }]));
      await toConfirm(page, '3000');
      await page.keyboard.press('Enter');
      const error = page.getByTestId('amount-error');
      await error.waitFor();
      assert.equal(await error.textContent(), 'Plafond du jour atteint pour ce compteur.');
      // Changing the amount clears the core's message.
      await page.getByTestId('amount-input').press('Backspace');
      assert.equal(await error.isHidden(), true);
      await page.getByTestId('amount-input').fill('3000');

      await page.evaluate(() => /** @type {any} */ (window).__ENGINE__.script([{ status: 'unknown', source: 'engine', note: 'délai dépassé' }]));
      await page.keyboard.press('Enter');
      await page.keyboard.press('Enter');
      await waitStatus(page, 'unknown');
      assert.equal(await page.getByTestId('status-sentence').textContent(), "Ne pas refaire l'opération, vérification en cours.");
      await screenshot(page, 'ui-woyofal-unknown.png');
      // The reconciler settles it: the token arrives.
      await page.evaluate((token) => /** @type {any} */ (window).__ENGINE__.advance('last', 'success', { token }), TOKEN);
      await page.getByTestId('token-digits').waitFor();
    } finally {
      await context.close();
    }
  });
});
