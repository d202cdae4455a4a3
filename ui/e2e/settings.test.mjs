// Réglages (manager): shop and idle lock and kiosk, printer, provider keys (never shown again),
// services on/off, operators, the mode switch with the PIN, and the audit trail.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { answer, keysMissing, liveWithoutKeys, nameTaken, operationsPending, trailEdited,
  trailKeyLost, trailIntact, urlRefused, wrongPin } from './core-answers.mjs';
import { auditTrail } from './fixtures.mjs';
import { answerNext, callsOf, focusedTestId, launchBrowser, plain, screenshot, serveDist, startApp } from './harness.mjs';

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

/**
 * Open Réglages on one tab.
 * @param {import('playwright-core').Page} page
 * @param {string} tab
 */
async function openTab(page, tab) {
  if ((await page.getByTestId('screen-settings').count()) === 0) {
    await page.keyboard.press('8');
    await page.getByTestId('screen-settings').waitFor();
  }
  await page.getByTestId(`settings-tab-${tab}`).click();
  await page.getByTestId(`settings-panel-${tab}`).waitFor({ state: 'visible' });
}

/** @param {import('playwright-core').Page} page */
const deskState = (page) => page.evaluate(() => /** @type {any} */ (window).__DESK__.state());

describe('Réglages', () => {
  test('the tabs: arrows move and open the sections, Esc from a section goes to its tab, then home', async () => {
    const { context, page, pageErrors } = await startApp(browser, server.url);
    try {
      await page.keyboard.press('8');
      await page.getByTestId('screen-settings').waitFor();
      await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'settings-tab-shop');
      assert.equal(await page.getByTestId('settings-shop-name').inputValue(), 'Boutique Ndiaye & Fils');
      await page.keyboard.press('ArrowDown');
      assert.equal(await focusedTestId(page), 'settings-tab-printer');
      await page.getByTestId('settings-panel-printer').waitFor({ state: 'visible' });
      assert.equal(await page.getByTestId('settings-panel-shop').isVisible(), false);
      await page.keyboard.press('End');
      assert.equal(await focusedTestId(page), 'settings-tab-audit');
      await page.getByTestId('audit-table').waitFor();
      await page.keyboard.press('Home');
      await page.keyboard.press('Tab');
      assert.equal(await focusedTestId(page), 'settings-shop-name', 'Tab goes into the section');
      await page.keyboard.press('Escape');
      assert.equal(await focusedTestId(page), 'settings-tab-shop');
      await page.keyboard.press('Escape');
      await page.getByTestId('tile').first().waitFor();
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('Boutique saves only what changed: idle lock, kiosk, shop name; the header and the trail follow', async () => {
    const { context, page, pageErrors } = await startApp(browser, server.url);
    try {
      await openTab(page, 'shop');
      const idle = page.getByTestId('settings-idle');
      assert.equal(await idle.inputValue(), '300');
      assert.deepEqual(await idle.locator('option').allInnerTexts(), [
        'Jamais',
        'Après 1 min',
        'Après 2 min',
        'Après 5 min',
        'Après 10 min',
        'Après 15 min',
        'Après 30 min',
        'Après 60 min',
      ]);
      assert.match(await page.getByTestId('settings-panel-shop').innerText(), /Plein écran, toujours au premier plan ; fermer Guichet demande le nom et le code PIN d'un responsable/);
      assert.equal(await page.getByTestId('settings-kiosk').isChecked(), false);
      await screenshot(page, 'ui-settings-shop.png');

      // Nothing changed: nothing sent.
      await page.getByTestId('settings-shop-save').click();
      await page.getByTestId('settings-shop-status').getByText('Rien à enregistrer : aucun changement.').waitFor();
      assert.deepEqual(await callsOf(page, 'save_settings'), []);

      await idle.selectOption('120');
      await page.getByTestId('settings-kiosk').check();
      await page.getByTestId('settings-shop-name').fill('Boutique Ndiaye & Fils — Médina');
      await page.getByTestId('settings-shop-save').click();
      await page.getByTestId('settings-shop-status').getByText('Enregistré.').waitFor();
      assert.deepEqual(await callsOf(page, 'save_settings'), [
        { patch: { shop_name: 'Boutique Ndiaye & Fils — Médina', idle_timeout_secs: 120, kiosk: true } },
      ]);
      const state = await deskState(page);
      assert.equal(state.idle_timeout_secs, 120);
      assert.equal(state.kiosk, true);
      await page.getByTestId('shop-name').getByText('Boutique Ndiaye & Fils — Médina').waitFor();

      // An empty name is refused on the spot.
      await page.getByTestId('settings-shop-name').fill('  ');
      await page.getByTestId('settings-shop-save').click();
      await page.getByTestId('settings-shop-name-error').getByText('Saisissez le nom de la boutique.').waitFor();
      assert.equal((await callsOf(page, 'save_settings')).length, 1);

      // The trail the core answers now has the changes; the tab shows them newest first.
      const at = '2026-11-23T09:05:00.000Z';
      /** @param {number} seq @param {Record<string, unknown>} details */
      const change = (seq, details) => ({ seq, at, actor: 'Awa Diop', action: 'setting_changed', details, prev_hash: '0'.repeat(64), hash: '0'.repeat(64) });
      await answerNext(page, 'audit_log', answer([
        ...auditTrail(),
        change(4, { setting: 'shop_name', old: 'Boutique Ndiaye & Fils', new: 'Boutique Ndiaye & Fils — Médina' }),
        change(5, { setting: 'idle_timeout_secs', old: '300', new: '120' }),
        change(6, { setting: 'kiosk', old: 'false', new: 'true' }),
      ]));
      await openTab(page, 'audit');
      await page.getByTestId('audit-table').waitFor();
      const rows = page.getByTestId('audit-row');
      const first = plain(await rows.first().innerText());
      assert.match(first, /Awa Diop/);
      assert.match(first, /Réglage modifié/);
      const changes = await page.locator('[data-testid="audit-row"][data-action="setting_changed"]').allInnerTexts();
      assert.equal(changes.length, 3);
      assert.ok(changes.some((t) => /setting: idle_timeout_secs · old: 300 · new: 120/.test(plain(t))), changes.join('\n'));
      assert.ok(changes.some((t) => /setting: kiosk · old: false · new: true/.test(plain(t))), changes.join('\n'));
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('Services: an unticked service is saved as disabled and no longer offered on the screens', async () => {
    const { context, page, pageErrors } = await startApp(browser, server.url);
    try {
      await openTab(page, 'services');
      const orange = page.locator('[data-testid="service-toggle"][data-code="ORANGE_SN_AIRTIME"]');
      await orange.waitFor();
      assert.equal(await page.getByTestId('service-toggle').count(), 19);
      assert.equal(await orange.isChecked(), true);
      assert.equal(await page.getByTestId('services-count').innerText(), '19 services proposés sur 19');
      await orange.uncheck();
      await page.getByTestId('services-filter').fill('wave');
      assert.equal(await page.getByTestId('service-toggle').count(), 2);
      await page.getByTestId('services-filter').press('Enter');
      assert.deepEqual(await callsOf(page, 'save_settings'), [], 'Enter in the filter does not save');
      await page.getByTestId('services-all-off').click();
      await page.getByTestId('services-filter').fill('');
      assert.equal(await page.getByTestId('services-count').innerText(), '16 services proposés sur 19');
      await screenshot(page, 'ui-settings-services.png');
      await page.getByTestId('services-save').click();
      await page.getByTestId('services-status').getByText('Enregistré.').waitFor();
      assert.deepEqual(await callsOf(page, 'save_settings'), [
        { patch: { disabled_services: ['WAVE_SN_CASHIN', 'WAVE_SN_CASHOUT', 'ORANGE_SN_AIRTIME'] } },
      ]);

      // Home, Crédit: Orange is not offered any more.
      await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');
      await page.getByTestId('tile').first().waitFor();
      await page.keyboard.press('3');
      await page.getByTestId('screen-airtime').waitFor();
      await page.locator('[data-testid="operators"] [data-operator="orange"]').waitFor();
      assert.equal(await page.locator('[data-testid="operators"] [data-operator="orange"]').isDisabled(), true);
      assert.equal(await page.locator('[data-testid="operators"] [data-operator="free"]').isDisabled(), false);
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('Clés fournisseurs: a saved key is never shown again; check connection shows the balance or the error', async () => {
    const SECRET = 'sk_live_9f8e7d6c5b4a3210ABCD';
    // How the core shows the stored key (its last four characters).
    const { context, page, pageErrors } = await startApp(browser, server.url, { desk: { masks: { 'dexchange.api_key': '••••ABCD' } } });
    try {
      await openTab(page, 'keys');
      const status = page.getByTestId('key-status-dexchange-api_key');
      await status.waitFor();
      assert.equal(plain(await status.innerText()), 'Non enregistrée');
      assert.equal(await status.getAttribute('data-present'), 'false');
      const input = page.getByTestId('key-input-dexchange-api_key');
      assert.equal(await input.getAttribute('type'), 'password');

      // Check before any key: the core's message.
      await answerNext(page, 'check_connection', keysMissing('DEXCHANGE'));
      await page.getByTestId('key-check-dexchange').click();
      const dexResult = page.getByTestId('key-check-result-dexchange');
      await dexResult.waitFor();
      assert.equal(await dexResult.getAttribute('data-ok'), 'false');
      assert.match(await dexResult.innerText(), /Aucune clé DEXCHANGE dans le trousseau/);

      await input.fill(SECRET);
      await page.getByTestId('key-save-dexchange-api_key').click();
      await page.getByTestId('key-result-dexchange-api_key').getByText('Clé enregistrée.').waitFor();
      assert.equal(plain(await status.innerText()), 'Enregistrée : ••••ABCD');
      assert.equal(await input.inputValue(), '', 'the field is emptied');
      assert.deepEqual(await callsOf(page, 'set_provider_key'), [{ provider: 'dexchange', field: 'api_key', value: SECRET }]);
      /** Nothing on the page holds the value: text, fields, attributes. */
      const leaks = () =>
        page.evaluate((secret) => {
          const found = [];
          if (document.body.innerText.includes(secret)) found.push('innerText');
          if (document.documentElement.outerHTML.includes(secret)) found.push('html');
          for (const el of document.querySelectorAll('input, textarea')) {
            if (/** @type {HTMLInputElement} */ (el).value.includes(secret)) found.push(el.getAttribute('data-testid') ?? el.id);
          }
          return found;
        }, SECRET);
      assert.deepEqual(await leaks(), []);

      await answerNext(page, 'check_connection', answer({ provider: 'dexchange', balance: { amount_minor: 125000, currency: 'XOF' } }));
      await page.getByTestId('key-check-dexchange').click();
      await page.locator('[data-testid="key-check-result-dexchange"][data-ok="true"]').waitFor();
      assert.equal(plain(await dexResult.innerText()), 'Connexion réussie. Solde : 125 000 FCFA');

      // Unipesa: three keys, Enter saves each; the gateway has no balance.
      for (const [field, value] of [['public_id', 'pub_123456789'], ['merchant_id', 'merch42'], ['secret', 'unisecret_77778888']]) {
        await page.getByTestId(`key-input-unipesa-${field}`).fill(value);
        await page.getByTestId(`key-input-unipesa-${field}`).press('Enter');
        await page.locator(`[data-testid="key-status-unipesa-${field}"][data-present="true"]`).waitFor();
      }
      await answerNext(page, 'check_connection', answer({ provider: 'unipesa', balance: null }));
      await page.getByTestId('key-check-unipesa').click();
      await page.locator('[data-testid="key-check-result-unipesa"][data-ok="true"]').waitFor();
      assert.equal(await page.getByTestId('key-check-result-unipesa').innerText(), 'Connexion réussie : clés acceptées.');
      assert.equal(plain(await page.getByTestId('key-status-unipesa-merchant_id').innerText()), 'Enregistrée : ••••', 'a short key shows no character');
      for (const value of ['pub_123456789', 'merch42', 'unisecret_77778888']) {
        assert.ok(!(await page.evaluate(() => document.body.innerText)).includes(value));
      }
      assert.deepEqual(await leaks(), []);
      await screenshot(page, 'ui-settings-keys.png');

      // Delete: not stored any more.
      await page.getByTestId('key-delete-dexchange-api_key').click();
      await page.locator('[data-testid="key-status-dexchange-api_key"][data-present="false"]').waitFor();
      assert.deepEqual(await callsOf(page, 'delete_provider_key'), [{ provider: 'dexchange', field: 'api_key' }]);

      // The providers' addresses (advanced).
      await page.getByTestId('provider-urls-toggle').click();
      assert.equal(await page.getByTestId('url-dexchange').inputValue(), 'https://api-m.dexchange.sn/api/v1');
      assert.match(await page.getByTestId('provider-urls').innerText(), /adresses documentées par les fournisseurs/);
      await page.getByTestId('url-unipesa').fill('api.unipesa.tech');
      await answerNext(page, 'save_settings', urlRefused('api.unipesa.tech'));
      await page.getByTestId('urls-save').click();
      await page.getByTestId('urls-status').getByText(/Adresse refusée : api\.unipesa\.tech/).waitFor();
      await page.getByTestId('url-unipesa').fill('https://sandbox.unipesa.tech');
      await page.getByTestId('urls-save').click();
      await page.getByTestId('urls-status').getByText('Enregistré.').waitFor();
      assert.equal((await deskState(page)).provider_urls.unipesa, 'https://sandbox.unipesa.tech');
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('Imprimante: network printer with port 9100 by default, 58 mm; none goes back to the system dialog', async () => {
    const { context, page } = await startApp(browser, server.url);
    try {
      await openTab(page, 'printer');
      assert.equal(await page.getByTestId('printer-kind-none').isChecked(), true);
      await page.getByTestId('printer-kind-network').check();
      assert.equal(await page.getByTestId('printer-port').inputValue(), '9100');
      await page.getByTestId('printer-save').click();
      await page.getByTestId('printer-host-error').getByText(/Saisissez l'adresse IP/).waitFor();
      assert.deepEqual(await callsOf(page, 'save_printer'), []);
      await page.getByTestId('printer-host').fill('192.168.1.50');
      await page.getByTestId('printer-width-58mm').check();
      await screenshot(page, 'ui-settings-printer.png');
      await page.getByTestId('printer-save').click();
      await page.getByTestId('printer-status').getByText('Enregistré.').waitFor();
      await page.getByTestId('printer-kind-none').check();
      await page.getByTestId('printer-save').click();
      await page.waitForFunction(() => /** @type {any} */ (window).__IPC_CALLS__.filter((/** @type {any} */ c) => c.cmd === 'save_printer').length === 2);
      assert.deepEqual(await callsOf(page, 'save_printer'), [
        { printer: { connection: { type: 'network', host: '192.168.1.50', port: 9100 }, width: '58mm' } },
        { printer: null },
      ]);
    } finally {
      await context.close();
    }
  });

  test('Opérateurs: add a cashier (PINs must match), unlock a locked one, give a new PIN', async () => {
    const future = new Date(Date.now() + 10 * 60_000).toISOString();
    const { context, page, pageErrors } = await startApp(browser, server.url, {
      desk: {
        operators: [
          { name: 'Awa Diop', role: 'manager' },
          { name: 'Moussa Fall', role: 'cashier', failed_attempts: 5, locked_until: future },
        ],
      },
    });
    try {
      await openTab(page, 'operators');
      const moussa = page.locator('[data-testid="operator-row"][data-name="Moussa Fall"]');
      await moussa.waitFor();
      assert.equal(await moussa.getAttribute('data-locked'), 'true');
      assert.match(await moussa.getByTestId('operator-state').innerText(), /Verrouillé jusqu'à \d\d:\d\d:\d\d/);
      assert.equal(await page.locator('[data-testid="operator-row"][data-name="Awa Diop"]').getByTestId('operator-reset').count(), 0, 'her own PIN is changed below');
      await screenshot(page, 'ui-settings-operators.png');

      await moussa.getByTestId('operator-unlock').click();
      await page.locator('[data-testid="operator-row"][data-name="Moussa Fall"][data-locked="false"]').waitFor();
      assert.equal(await moussa.getByTestId('operator-state').innerText(), 'Actif');
      assert.equal(await moussa.getByTestId('operator-unlock').count(), 0);

      await moussa.getByTestId('operator-reset').click();
      await page.getByTestId('reset-pin').fill('8642');
      await page.getByTestId('reset-pin-confirm').fill('8642');
      await page.getByTestId('reset-save').click();
      await page.getByTestId('operators-status').getByText('Nouveau code PIN enregistré pour Moussa Fall.').waitFor();
      assert.deepEqual(await callsOf(page, 'reset_pin'), [{ id: 2, pin: '8642' }]);

      await page.getByTestId('operator-add-name').fill('Binta Sow');
      await page.getByTestId('operator-add-pin').fill('1357');
      await page.getByTestId('operator-add-pin-confirm').fill('1358');
      await page.getByTestId('operator-add-save').click();
      await page.getByTestId('operator-add-pin-confirm-error').getByText(/pas identiques/).waitFor();
      assert.deepEqual(await callsOf(page, 'create_operator'), []);
      await page.getByTestId('operator-add-pin-confirm').fill('1357');
      await page.getByTestId('operator-add-save').click();
      await page.getByTestId('operator-add-status').getByText('Binta Sow est ajouté.').waitFor();
      assert.deepEqual(await callsOf(page, 'create_operator'), [{ name: 'Binta Sow', pin: '1357', role: 'cashier' }]);
      await page.locator('[data-testid="operator-row"][data-name="Binta Sow"]').waitFor();

      // The same name again: the core's message.
      await page.getByTestId('operator-add-name').fill('binta sow');
      await page.getByTestId('operator-add-pin').fill('2468');
      await page.getByTestId('operator-add-pin-confirm').fill('2468');
      await answerNext(page, 'create_operator', nameTaken('binta sow'));
      await page.getByTestId('operator-add-save').click();
      await page.getByTestId('operator-add-status').getByText(/existe déjà/).waitFor();

      // Her own PIN, the current one first.
      await page.getByTestId('own-current').fill('1234');
      await page.getByTestId('own-pin').fill('4321');
      await page.getByTestId('own-pin-confirm').fill('4321');
      await page.getByTestId('own-save').click();
      await page.getByTestId('own-status').getByText('Votre code PIN est changé.').waitFor();
      assert.deepEqual(await callsOf(page, 'change_own_pin'), [{ current: '1234', new: '4321' }]);
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('Mode: the switch asks the PIN; a wrong PIN stays in the dialog, no keys refuses live, with keys it goes live', async () => {
    const { context, page, pageErrors } = await startApp(browser, server.url);
    try {
      await openTab(page, 'mode');
      assert.equal(await page.getByTestId('mode-current').getAttribute('data-mode'), 'training');
      assert.match(await page.getByTestId('mode-training').innerText(), /Aucun argent réel ne circule/);
      assert.match(await page.getByTestId('mode-live').innerText(), /l'argent est réel/);
      await screenshot(page, 'ui-settings-mode.png');
      const button = page.getByTestId('mode-switch');
      assert.equal(await button.innerText(), 'Passer en mode RÉEL');
      await button.click();
      await page.getByTestId('mode-pin-dialog').waitFor();
      assert.equal(await focusedTestId(page), 'mode-pin');
      await page.keyboard.type('0000');
      await answerNext(page, 'set_mode', wrongPin(4), liveWithoutKeys);
      await page.keyboard.press('Enter');
      await page.getByTestId('mode-pin-message').getByText(/Code PIN incorrect\. Encore 4 essai\(s\)/).waitFor();
      await screenshot(page, 'ui-settings-mode-pin.png');
      await page.getByTestId('mode-pin').fill('1234');
      await page.getByTestId('mode-pin-confirm').click();
      await page.getByTestId('mode-pin-dialog').waitFor({ state: 'detached' });
      const status = page.getByTestId('mode-status');
      await status.waitFor();
      assert.equal(await status.getAttribute('data-code'), 'live_without_keys');
      assert.match(await status.innerText(), /Le mode réel demande les clés/);
      assert.ok(await page.getByTestId('training-badge').isVisible());

      // Esc in the dialog cancels it, not Réglages.
      await button.click();
      await page.getByTestId('mode-pin-dialog').waitFor();
      await page.keyboard.press('Escape');
      await page.getByTestId('mode-pin-dialog').waitFor({ state: 'detached' });
      assert.ok(await page.getByTestId('screen-settings').isVisible());

      // With DEXCHANGE's key, live is allowed.
      await openTab(page, 'keys');
      await page.getByTestId('key-input-dexchange-api_key').fill('sk_live_abcdefgh1234');
      await page.getByTestId('key-save-dexchange-api_key').click();
      await page.locator('[data-testid="key-status-dexchange-api_key"][data-present="true"]').waitFor();
      await openTab(page, 'mode');
      await button.click();
      await page.getByTestId('mode-pin').fill('1234');
      await page.keyboard.press('Enter');
      await page.locator('[data-testid="mode-current"][data-mode="live"]').waitFor();
      assert.equal(await status.innerText(), 'La caisse est en mode RÉEL.');
      await page.getByTestId('training-badge').waitFor({ state: 'detached' });
      assert.equal(await button.innerText(), 'Revenir en mode FORMATION');
      assert.deepEqual(await callsOf(page, 'set_mode'), [
        { mode: 'live', pin: '0000' },
        { mode: 'live', pin: '1234' },
        { mode: 'live', pin: '1234' },
      ]);

      // An unfinished operation: the core refuses the switch back.
      await answerNext(page, 'set_mode', operationsPending(1));
      await button.click();
      await page.getByTestId('mode-pin').fill('1234');
      await page.keyboard.press('Enter');
      await page.locator('[data-testid="mode-status"][data-code="operations_pending"]').waitFor();
      assert.equal(await page.getByTestId('mode-current').getAttribute('data-mode'), 'live');
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('Journal: entries with translated actions, the integrity check (ok, then broken at an entry), the export path', async () => {
    const { context, page, pageErrors } = await startApp(browser, server.url);
    try {
      await openTab(page, 'audit');
      await page.getByTestId('audit-table').waitFor();
      const rows = page.getByTestId('audit-row');
      // Seeded: two operators created, then Awa's login; newest first.
      assert.deepEqual(await rows.evaluateAll((r) => r.map((x) => x.getAttribute('data-action'))), ['login', 'operator_created', 'operator_created']);
      assert.match(plain(await rows.first().innerText()), /^3 \d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d Awa Diop Connexion operator_id: 1 · role: manager$/);
      assert.match(plain(await rows.nth(1).innerText()), /system Opérateur ajouté operator_id: 2 · name: Moussa Fall · role: cashier/);

      await answerNext(page, 'audit_verify', trailIntact(3));
      await page.getByTestId('audit-verify').click();
      const result = page.getByTestId('audit-verify-result');
      await result.waitFor();
      assert.equal(await result.getAttribute('data-ok'), 'true');
      assert.match(await result.innerText(), /Journal intact : 3 entrées vérifiées\./);

      await page.getByTestId('audit-export').click();
      await page.getByTestId('audit-export-path').waitFor();
      assert.match(await page.getByTestId('audit-export-path').innerText(), /\/exports\/audit-\d{8}-\d{6}\.json$/);
      assert.match(await page.getByTestId('audit-export-result').innerText(), /3 entrées exportées/);
      await page.getByTestId('audit-table').scrollIntoViewIfNeeded();
      await screenshot(page, 'ui-settings-audit.png');

      // Filter by action: the core answers the one sign-in.
      await answerNext(page, 'audit_log', answer(auditTrail().filter((e) => e.action === 'login')));
      await page.getByTestId('audit-action-filter').selectOption('login');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="audit-row"]').length === 1);
      assert.deepEqual(await callsOf(page, 'audit_log').then((c) => c.at(-1)), {
        query: { from: null, to: null, after_seq: null, actor: null, action: 'login', limit: null },
      });
      await page.getByTestId('audit-action-filter').selectOption('');

      // Someone changed entry 2 behind the chain's back: the core finds it.
      await answerNext(page, 'audit_verify', trailEdited(3, 2));
      await page.getByTestId('audit-verify').click();
      await page.locator('[data-testid="audit-verify-result"][data-ok="false"]').waitFor();
      assert.match(await result.innerText(), /Le journal d'audit a été altéré : l'entrée n° 2 a été modifiée\./);
      assert.equal(await result.getAttribute('data-broken-at'), '2');
      assert.equal(await page.locator('[data-testid="audit-row"][data-seq="2"].broken').count(), 1, 'its row is marked');
      await screenshot(page, 'ui-settings-audit-broken.png');

      // The keyring lost the key of entries 1–2: said plainly, neither tampered nor intact.
      await answerNext(page, 'audit_verify', trailKeyLost(3, 1, 2));
      await page.getByTestId('audit-verify').click();
      await page.locator('[data-testid="audit-verify-result"][data-status="unverifiable"]').waitFor();
      assert.equal(await result.getAttribute('data-ok'), 'false');
      assert.equal(await result.getAttribute('data-key'), 'renewed');
      assert.match(await result.innerText(), /Clé du journal perdue par le trousseau : entrées 1 à 2 \(segment 1\) invérifiables sans leur clé/);
      assert.deepEqual(
        await page.locator('[data-testid="audit-row"].unverifiable').evaluateAll((r) => r.map((x) => x.getAttribute('data-seq'))),
        ['2', '1'],
        'the rows without their key are marked',
      );
      assert.equal(await page.locator('[data-testid="audit-row"].broken').count(), 0, 'nothing is called tampered');
      await screenshot(page, 'ui-settings-audit-key-lost.png');
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('English: the tabs and the audit actions are translated', async () => {
    const { context, page } = await startApp(browser, server.url, { appInfo: { language: 'en' } });
    try {
      await page.keyboard.press('8');
      await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
      assert.deepEqual(await page.getByRole('tab').allInnerTexts(), ['Shop', 'Printer', 'Provider keys', 'Services', 'Operators', 'Mode', 'Audit trail']);
      await openTab(page, 'audit');
      await page.getByTestId('audit-row').first().getByText('Sign-in').waitFor();
    } finally {
      await context.close();
    }
  });
});
