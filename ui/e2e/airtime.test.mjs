// Crédit: phone → operator from the prefix (changeable) → amount → confirm → receipt; the
// commission is for the cashier only.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { answer, refused, unsettled } from './core-answers.mjs';
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

/** @param {import('playwright-core').Page} page */
const pressed = (page) =>
  page.locator('[data-testid="operators"] [aria-pressed="true"]').getAttribute('data-operator');

describe('Crédit', () => {
  test('keyboard only: the operator comes from the prefix, amount, confirm, receipt; commission for the cashier only', async () => {
    const { context, page, pageErrors } = await startApp(browser, server.url);
    try {
      await page.keyboard.press('3');
      await page.getByTestId('screen-airtime').waitFor();
      assert.equal(await focusedTestId(page), 'phone-input');
      await page.keyboard.type('781234567');
      // Grouped as people read it once complete.
      assert.equal(await page.getByTestId('phone-input').inputValue(), '78 123 45 67');
      assert.equal(await pressed(page), 'orange');
      await page.getByText('Opérateur détecté : Orange').waitFor();
      await screenshot(page, 'ui-airtime-phone.png');
      await page.keyboard.press('Enter');

      await page.getByTestId('amount-input').waitFor();
      assert.match(plain(await page.getByTestId('airtime-who').textContent()), /78 123 45 67 · Orange/);
      assert.deepEqual((await page.getByTestId('preset').allTextContents()).map(plain), [
        '500 FCFA', '1 000 FCFA', '2 000 FCFA', '5 000 FCFA', '10 000 FCFA',
      ]);
      await page.keyboard.type('1000');
      await page.keyboard.press('Enter');

      await page.getByTestId('confirm-summary').waitFor();
      assert.equal(plain(await page.getByTestId('confirm-total').textContent()), '1 000 FCFA');
      assert.match(plain(await page.getByTestId('commission').textContent()), /Votre commission : 10 FCFA \(pour vous seulement/);
      await screenshot(page, 'ui-airtime-confirm.png');
      await page.keyboard.press('Enter');

      await waitStatus(page, 'success');
      assert.equal(await page.getByTestId('status-sentence').textContent(), 'Crédit envoyé. Remettez le reçu au client.');
      assert.equal(plain(await page.getByTestId('outcome-commission').textContent()), '10 FCFA');
      const receipt = page.getByTestId('receipt-text');
      await receipt.waitFor();
      assert.doesNotMatch(await receipt.innerText(), /Commission/, 'not on the customer copy');
      await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'print');
      await screenshot(page, 'ui-airtime-receipt.png');
      await page.keyboard.press('Enter');
      await page.getByText('Reçu imprimé.').waitFor();
      await page.getByTestId('copy-merchant').click();
      await receipt.getByText(/Commission\s+10 FCFA/).waitFor();

      const submit = (await ipcCalls(page)).find((c) => c.cmd === 'submit');
      assert.deepEqual(submit?.args.request.request, {
        service_code: 'ORANGE_SN_AIRTIME',
        kind: 'airtime',
        amount: { minor: 1000, currency: 'XOF' },
        phone: '781234567',
        otp: null,
        extras: {},
      });
      const printed = (await ipcCalls(page)).filter((c) => c.cmd === 'print_receipt').map((c) => c.args);
      assert.deepEqual(printed[0], { id: submit ? (await page.evaluate(() => /** @type {any} */ (window).__ENGINE__.last().id)) : '', copy: 'customer' });
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('a bad phone is refused as typed; the operator can be changed, and the core\'s refusal shows by the number', async () => {
    const { context, page } = await startApp(browser, server.url);
    try {
      await page.keyboard.press('3');
      const error = page.getByTestId('phone-error');
      // A fixed line (33…) is not a mobile: said at once.
      await page.keyboard.type('331234567');
      await error.waitFor();
      assert.match(await error.textContent() ?? '', /Ce n'est pas un numéro de mobile/);
      // Incomplete: said on Enter, and the screen stays.
      await page.getByTestId('phone-input').fill('');
      await page.keyboard.type('7612');
      assert.equal(await error.isHidden(), true, 'no error while typing');
      await page.keyboard.press('Enter');
      assert.equal(plain(await error.textContent()), 'Numéro incomplet : 4 chiffres sur 9.');
      await screenshot(page, 'ui-airtime-phone-refused.png');
      await page.keyboard.type('34567');
      assert.equal(await pressed(page), 'free');

      // The cashier says it is an Expresso customer: a warning, then the core decides.
      await page.locator('[data-operator="expresso"]').click();
      assert.equal(await pressed(page), 'expresso');
      await page.getByTestId('operator-mismatch').waitFor();
      assert.match(plain(await page.getByTestId('operator-mismatch').textContent()), /76 est d'habitude Free, pas Expresso/);
      await page.getByTestId('continue').click();
      await page.getByTestId('preset').nth(0).click(); // 500 FCFA, straight to the confirmation
      const mismatch = "Ce numéro est un numéro Free, pas Expresso : choisissez le crédit Free.";
      await answerNext(page, 'submit', refused([{ code: 'operator_mismatch', field: 'phone', fr: mismatch, en: 'This is a Free number, not Expresso: choose Free airtime.' }]));
      await page.getByTestId('confirm').click();
      // Refused (operator_mismatch): back to the number, the message next to it.
      await error.waitFor();
      assert.equal(await error.textContent(), mismatch);
      await screenshot(page, 'ui-airtime-operator-refused.png');
      // Back to the detected operator: the message goes with the change.
      await page.locator('[data-operator="free"]').click();
      await page.getByTestId('phone-input').press('End');
      await page.getByTestId('phone-input').press('Enter');
      await page.getByTestId('preset').nth(1).click();
      await page.getByTestId('confirm').click();
      await waitStatus(page, 'success');
      const submits = (await ipcCalls(page)).filter((c) => c.cmd === 'submit');
      assert.equal(submits.length, 2);
      assert.equal(submits[1]?.args.request.request.service_code, 'FREE_SN_AIRTIME');
    } finally {
      await context.close();
    }
  });

  test('an answer the core could not record: the screen follows that operation and never offers Send again', async () => {
    const { context, page, pageErrors } = await startApp(browser, server.url);
    try {
      await page.keyboard.press('3');
      await page.getByTestId('screen-airtime').waitFor();
      await page.keyboard.type('781234567');
      await page.keyboard.press('Enter');
      await page.getByTestId('amount-input').waitFor();
      await page.keyboard.type('1000');
      await page.keyboard.press('Enter');
      await page.getByTestId('confirm-summary').waitFor();

      const id = '0190ffff-0042-7000-8000-000000000042';
      const at = new Date().toISOString();
      const written = {
        id, idempotency_key: 'GCH-000042', provider: 'dexchange', service_code: 'ORANGE_SN_AIRTIME',
        kind: 'airtime', country: 'SN', currency: 'XOF', amount_minor: 1000, fee_minor: null,
        customer_ref: '+221781234567', invoice_ref: null, status: 'sent', provider_ref: null,
        token: null, operator_name: 'Awa', training: true, details: {}, created_at: at, updated_at: at,
      };
      await answerNext(page, 'submit', unsettled(id));
      await answerNext(page, 'operation', answer({ operation: written, events: [] }));
      await page.keyboard.press('Enter');

      const outcome = page.getByTestId('outcome');
      await outcome.waitFor();
      assert.equal(await outcome.getAttribute('data-operation'), id, 'the operation the core wrote');
      const banner = page.getByTestId('error-banner');
      assert.equal(await banner.getAttribute('data-code'), 'operation_unsettled');
      assert.match(plain(await banner.textContent()), /ne refaites pas l'opération/);
      assert.equal(await page.getByTestId('confirm').count(), 0, 'no Send for this operation');
      await screenshot(page, 'ui-airtime-unsettled.png');
      const submits = (await ipcCalls(page)).filter((c) => c.cmd === 'submit');
      assert.equal(submits.length, 1);
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('after a reload, the home screen lists the operation still in progress and leads to the History', async () => {
    const id = '0190ffff-0043-7000-8000-000000000043';
    const at = new Date().toISOString();
    const waiting = {
      id, idempotency_key: 'GCH-000043', provider: 'dexchange', service_code: 'ORANGE_SN_AIRTIME',
      kind: 'airtime', country: 'SN', currency: 'XOF', amount_minor: 2000, fee_minor: null,
      customer_ref: '+221781234567', invoice_ref: null, status: 'unknown', provider_ref: null,
      token: null, operator_name: 'Awa', training: true, details: { service_name: 'Crédit Orange' },
      created_at: at, updated_at: at,
    };
    const { context, page, pageErrors } = await startApp(browser, server.url, {
      answers: { in_progress: [answer([waiting])] },
    });
    try {
      const item = page.getByTestId('in-progress-item');
      await item.waitFor();
      assert.equal(await item.getAttribute('data-operation'), id);
      assert.match(plain(await item.textContent()), /Crédit Orange\s*2 000 FCFA.*Résultat pas encore connu/);
      assert.match(plain(await page.getByTestId('in-progress').textContent()), /ne les refaites pas/);
      await screenshot(page, 'ui-home-in-progress.png');
      await page.getByTestId('in-progress-history').click();
      await page.getByTestId('screen-history').waitFor();
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });
});
