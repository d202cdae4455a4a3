// Encaissement and Paiement: country → operator/provider → phone → amount (limits and multiples
// as typed) → OTP with the USSD syntax when the offer needs one → live status.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
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

/** @param {import('playwright-core').Page} page */
const lastSubmit = async (page) => (await ipcCalls(page)).filter((c) => c.cmd === 'submit').at(-1)?.args.request;

/**
 * Pick a choice on the current list by its id.
 * @param {import('playwright-core').Page} page @param {string} id
 */
const choose = (page, id) => page.locator(`[data-choice="${id}"]`).click();

describe('Encaissement', () => {
  test('keyboard only: Sénégal, Orange Money, number, amount; pending until the customer approves, then success', async () => {
    const { context, page, pageErrors } = await startApp(browser, server.url);
    try {
      await page.keyboard.press('5');
      await page.getByTestId('screen-collect').waitFor();
      const countries = await page.locator('[data-testid="countries"] [data-choice]').evaluateAll((els) => els.map((e) => e.getAttribute('data-choice')));
      assert.deepEqual(countries, ['SN', 'CI', 'BF'], 'Senegal first');
      await screenshot(page, 'ui-collect-country.png');
      await page.keyboard.press('Enter'); // Sénégal has focus
      await page.getByTestId('services').waitFor();
      const services = plain(await page.getByTestId('services').innerText());
      assert.match(services, /Orange Money Sénégal : retrait\s+DEXCHANGE · De 200 FCFA à 1 000 000 FCFA/);
      assert.match(services, /EasyTransfert · De 500 FCFA à 500 000 FCFA, par multiples de 100 FCFA/);
      await screenshot(page, 'ui-collect-service.png');
      await page.keyboard.press('1');
      await page.getByTestId('phone-input').waitFor();
      assert.equal(await focusedTestId(page), 'phone-input');
      await page.keyboard.type('+221 77 123 45 67');
      await page.keyboard.press('Enter');
      await page.getByTestId('amount-input').waitFor();
      await page.keyboard.type('5000');
      await page.keyboard.press('Enter');
      await page.getByTestId('confirm-summary').waitFor();
      assert.match(plain(await page.getByTestId('confirm-summary').innerText()), /\+221 77 123 45 67/);
      assert.match(plain(await page.getByTestId('confirm').textContent()), /Demander 5 000 FCFA/);
      await page.keyboard.press('Enter');

      await waitStatus(page, 'pending');
      assert.equal(await page.getByTestId('status-sentence').textContent(), 'Le client doit valider sur son téléphone.');
      assert.match(await page.getByTestId('confirmation-help').innerText(), /#144#391#/);
      assert.equal(await page.getByTestId('receipt').count(), 0);
      await screenshot(page, 'ui-collect-pending.png');
      assert.deepEqual(await lastSubmit(page), {
        request: { service_code: 'OM_SN_CASHOUT', kind: 'collection', amount: { minor: 5000, currency: 'XOF' }, phone: '771234567', otp: null, extras: {} },
        invoice_ref: null,
        item_name: null,
      });

      await page.evaluate(() => /** @type {any} */ (window).__ENGINE__.advance('last', 'success', { fee_minor: 0 }, 'provider'));
      await waitStatus(page, 'success');
      assert.match(await page.getByTestId('status-sentence').textContent() ?? '', /Paiement reçu du client/);
      await page.getByTestId('receipt-text').waitFor();
      await screenshot(page, 'ui-collect-success.png');
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('an offer that needs the OTP: multiples as typed, the USSD to dial, a missing OTP, then sent with it', async () => {
    const { context, page } = await startApp(browser, server.url);
    try {
      await page.keyboard.press('5');
      await page.keyboard.press('Enter');
      await choose(page, 'EASYTRANSFERT_23');
      await page.keyboard.type('771234567');
      await page.keyboard.press('Enter');
      await page.getByTestId('amount-input').waitFor();
      assert.match(plain(await page.getByTestId('amount-limits').textContent()), /par multiples de 100 FCFA/);
      await page.keyboard.type('5050');
      await page.keyboard.press('Enter');
      assert.equal(
        plain(await page.getByTestId('amount-error').textContent()),
        'Le montant doit être un multiple de 100 FCFA : par exemple 5 000 FCFA ou 5 100 FCFA.',
      );
      await screenshot(page, 'ui-collect-not-multiple.png');
      await page.keyboard.press('Backspace');
      await page.keyboard.press('Backspace');
      await page.keyboard.type('00');
      await page.keyboard.press('Enter');

      await page.getByTestId('otp-instructions').waitFor();
      assert.equal(await page.getByTestId('ussd').textContent(), '#144#391#');
      assert.match(await page.getByTestId('otp-instructions').innerText(), /le client compose ce code sur son téléphone/);
      assert.equal(await focusedTestId(page), 'otp-input');
      await page.keyboard.press('Enter');
      assert.equal(await page.getByTestId('otp-input-error').textContent(), 'Entrez le code que le client a reçu.');
      await screenshot(page, 'ui-collect-otp.png');
      await page.keyboard.type('482913');
      await page.keyboard.press('Enter');
      await page.getByTestId('confirm-summary').waitFor();
      assert.match(await page.getByTestId('confirm-summary').innerText(), /••••••/);
      await page.keyboard.press('Enter');
      await waitStatus(page, 'pending');
      const sent = await lastSubmit(page);
      assert.equal(sent.request.otp, '482913');
      assert.equal(sent.request.amount.minor, 5000);
    } finally {
      await context.close();
    }
  });

  test('Burkina Orange: « montant » is filled in the USSD; the core refuses a wrong OTP next to it', async () => {
    const { context, page } = await startApp(browser, server.url);
    try {
      await page.keyboard.press('5');
      await choose(page, 'BF');
      await choose(page, 'UNIPESA_9209');
      await page.keyboard.type('70123456');
      await page.keyboard.press('Enter');
      await page.keyboard.type('2500');
      await page.keyboard.press('Enter');
      assert.equal(await page.getByTestId('ussd').textContent(), '*144*4*6*2500#');
      await page.keyboard.type('12');
      await page.keyboard.press('Enter');
      const tooShort = 'Le code OTP doit contenir de 4 à 8 chiffres.';
      await answerNext(page, 'submit', refused([{ code: 'otp_invalid', field: 'otp', fr: tooShort, en: 'The OTP must have 4 to 8 digits.' }]));
      await page.keyboard.press('Enter');
      // The core refuses the code: back on the code step with its message.
      const error = page.getByTestId('otp-input-error');
      await error.waitFor();
      assert.equal(await error.textContent(), tooShort);
      await page.getByTestId('otp-input').fill('1234');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Enter');
      await waitStatus(page, 'pending');
    } finally {
      await context.close();
    }
  });

  test('Wizall asks for the code after the request; Wave shows its QR code', async () => {
    const { context, page, pageErrors } = await startApp(browser, server.url);
    try {
      await page.keyboard.press('5');
      await page.keyboard.press('Enter');
      await choose(page, 'WIZALL_SN_CASHOUT');
      await page.keyboard.type('771234567');
      await page.keyboard.press('Enter');
      await page.keyboard.type('3000');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Enter');
      await waitStatus(page, 'pending');
      assert.equal(await page.getByTestId('status-sentence').textContent(), 'Demandez au client le code qu\'il a reçu et tapez-le ci-dessous.');
      await page.getByTestId('late-otp-input').waitFor();
      assert.equal(await focusedTestId(page), 'late-otp-input');
      await page.keyboard.type('0000');
      await answerNext(page, 'confirm_otp', refused([{ code: 'otp_invalid', field: 'otp', fr: 'Code incorrect : redemandez-le au client.', en: 'Wrong code: ask the customer again.' }]));
      await page.keyboard.press('Enter');
      await page.getByTestId('late-otp-input-error').getByText('Code incorrect').waitFor();
      await screenshot(page, 'ui-collect-wizall-otp.png');
      await page.getByTestId('late-otp-input').fill('4321');
      await page.keyboard.press('Enter');
      await waitStatus(page, 'success');
      assert.deepEqual((await ipcCalls(page)).filter((c) => c.cmd === 'confirm_otp').at(-1)?.args, {
        id: await page.evaluate(() => /** @type {any} */ (window).__ENGINE__.last().id),
        otp: '4321',
      });

      await page.getByTestId('new-operation').click();
      await page.keyboard.press('Escape');
      await choose(page, 'WAVE_SN_CASHOUT');
      await page.keyboard.type('761234567');
      await page.keyboard.press('Enter');
      await page.keyboard.type('10000');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Enter');
      await waitStatus(page, 'pending');
      const qr = page.getByTestId('qr');
      await qr.waitFor();
      assert.match((await qr.getAttribute('data-text')) ?? '', /^https:\/\/pay\.wave\.com\//);
      await screenshot(page, 'ui-collect-wave-qr.png');
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });
});

describe('Paiement', () => {
  test('keyboard only: Orange Money cash-in goes pending then success live', async () => {
    const { context, page } = await startApp(browser, server.url);
    try {
      await page.keyboard.press('6');
      await page.getByTestId('screen-payout').waitFor();
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Paiement');
      await page.keyboard.press('Enter');
      await page.keyboard.press('1');
      await page.getByText('Numéro du portefeuille à créditer').waitFor();
      await page.keyboard.type('781234567');
      await page.keyboard.press('Enter');
      await page.keyboard.type('20000');
      await page.keyboard.press('Enter');
      assert.match(plain(await page.getByTestId('confirm').textContent()), /Envoyer 20 000 FCFA/);
      await page.keyboard.press('Enter');
      await waitStatus(page, 'pending');
      await waitStatus(page, 'success');
      assert.equal(await page.getByTestId('status-sentence').textContent(), "L'argent est sur le compte du client. Remettez-lui le reçu.");
      const sent = await lastSubmit(page);
      assert.equal(sent.request.kind, 'disbursement');
      assert.equal(sent.request.service_code, 'OM_SN_CASHIN');
    } finally {
      await context.close();
    }
  });

  test('an extra field the provider needs; a phone the core refuses; an unknown outcome', async () => {
    const { context, page } = await startApp(browser, server.url);
    try {
      await page.keyboard.press('6');
      await choose(page, 'CI');
      await choose(page, 'UNIPESA_2303');
      await page.getByTestId('extra-customer_name').waitFor();
      // An 11-digit Ivorian number: a warning only, the core has the final word.
      await page.keyboard.type('07123456789');
      await page.getByTestId('phone-warning').waitFor();
      assert.match(await page.getByTestId('phone-warning').textContent() ?? '', /D'habitude 10 chiffres/);
      await page.keyboard.press('Enter'); // to the empty name field
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'extra-customer_name');
      await page.keyboard.press('Enter');
      assert.equal(await page.getByTestId('extra-customer_name-error').textContent(), 'Ce champ est obligatoire pour cet opérateur.');
      await page.keyboard.type('Kouassi Yao');
      await page.keyboard.press('Enter');
      await page.keyboard.type('1002');
      await page.keyboard.press('Enter');
      assert.match(plain(await page.getByTestId('amount-error').textContent()), /multiple de 5 FCFA : par exemple 1 000 FCFA ou 1 005 FCFA/);
      await page.getByTestId('amount-input').fill('1000');
      await page.keyboard.press('Enter');
      await answerNext(page, 'submit', refused([{ code: 'phone_invalid', field: 'phone', fr: "Ce numéro n'est pas valide pour ce pays (10 chiffres attendus).", en: 'This number is not valid for this country (10 digits expected).' }]));
      await page.keyboard.press('Enter');
      // Refused by the core: back to the number, its message next to it.
      const error = page.getByTestId('phone-error');
      await error.waitFor();
      assert.equal(await error.textContent(), "Ce numéro n'est pas valide pour ce pays (10 chiffres attendus).");
      await screenshot(page, 'ui-payout-phone-refused.png');
      await page.getByTestId('phone-input').fill('0712345678');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Enter');
      await page.evaluate(() => /** @type {any} */ (window).__ENGINE__.script([{ status: 'unknown', source: 'engine' }]));
      await page.keyboard.press('Enter');
      await waitStatus(page, 'unknown');
      assert.equal(await page.getByTestId('status-sentence').textContent(), "Ne pas refaire l'opération, vérification en cours.");
      assert.deepEqual((await lastSubmit(page)).request.extras, { customer_name: 'Kouassi Yao' });
      await screenshot(page, 'ui-payout-unknown.png');
    } finally {
      await context.close();
    }
  });
});
