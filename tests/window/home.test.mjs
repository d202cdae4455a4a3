// The real Guichet window: home screen in training mode, language remembered across restarts,
// and a damaged ledger reported plainly instead of a blank window.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, screenshot } from './driver.mjs';

const ENTRIES_FR = ['Factures', 'Woyofal', 'Crédit', 'Lien de paiement', 'Encaissement', 'Paiement', 'Historique', 'Réglages'];

/** Visible text of the whole page once the app has rendered its header. */
async function pageText(browser) {
  await browser.waitUntil(async () => (await browser.$('body').getText()).includes('Guichet') || (await browser.$('body').getText()).length > 40, {
    timeout: 20000,
    timeoutMsg: 'the window never rendered the UI',
  });
  return browser.$('body').getText();
}

test('home screen: title, FORMATION badge, shop, operator, clock, network and every entry in order', async () => {
  const { browser, stop } = await launch();
  try {
    assert.equal(await browser.getTitle(), 'Guichet');
    await browser.$('[data-testid="tile"]').waitForDisplayed({ timeout: 20000 });
    const text = await pageText(browser);
    await screenshot(browser, 'window-home-fr');
    const byId = (id) => browser.$(`[data-testid="${id}"]`).getText();
    assert.match(await byId('training-badge'), /FORMATION/);
    assert.equal(await byId('shop-name'), 'Boutique de démonstration');
    assert.match(await byId('operator'), /Caissier formation/);
    assert.match(await byId('clock-time'), /^\d{2}:\d{2}$/, 'the clock shows HH:MM');
    assert.match(await byId('network'), /En ligne|Hors ligne/);
    const positions = ENTRIES_FR.map((e) => text.indexOf(e));
    for (const [i, p] of positions.entries()) assert.ok(p >= 0, `entry ${ENTRIES_FR[i]} is shown`);
    const tiles = await browser.$$('[data-testid="tile"]');
    assert.equal(tiles.length, 8);
    const labels = [];
    for (const t of tiles) labels.push(await t.getText());
    ENTRIES_FR.forEach((e, i) => assert.ok(labels[i].includes(e), `tile ${i + 1} is ${e}, got ${labels[i]}`));
    await screenshot(browser, 'window-home-fr');

    // Keyboard: 8 opens Réglages, which says plainly it is not built yet; Escape comes back.
    await browser.keys(['8']);
    await browser.waitUntil(async () => (await browser.$('body').getText()).includes("pas encore disponible"), { timeout: 5000 });
    await screenshot(browser, 'window-not-available');
    await browser.keys(['Escape']);
    await browser.$('[data-testid="tile"]').waitForDisplayed({ timeout: 5000 });
  } finally {
    await stop();
  }
});

test('the English switch is remembered after a restart', async () => {
  const first = await launch();
  try {
    await first.browser.$('[data-testid="tile"]').waitForDisplayed({ timeout: 20000 });
    await first.browser.$('[data-testid="lang-en"]').click();
    await first.browser.waitUntil(async () => (await first.browser.$('body').getText()).includes('Airtime'), { timeout: 5000 });
  } finally {
    await first.stop();
  }
  const second = await launch({ dataDir: first.dataDir });
  try {
    await second.browser.$('[data-testid="tile"]').waitForDisplayed({ timeout: 20000 });
    const text = await pageText(second.browser);
    assert.match(text, /TRAINING/);
    for (const e of ['Bills', 'Airtime', 'Payment link', 'Collect', 'Pay out', 'History', 'Settings']) assert.match(text, new RegExp(e));
    await screenshot(second.browser, 'window-home-en');
  } finally {
    await second.stop();
  }
});

test('a damaged ledger file is reported in French and left untouched', async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dataDir = mkdtempSync(join(tmpdir(), 'guichet-window-bad-'));
  const garbage = 'not a database: a roll of receipt paper';
  writeFileSync(join(dataDir, 'guichet.db'), garbage);
  const { browser, stop } = await launch({ dataDir });
  try {
    const banner = await browser.$('[data-testid="error-banner"]');
    await banner.waitForDisplayed({ timeout: 20000, timeoutMsg: 'no error banner for a damaged ledger' });
    assert.equal(await banner.getAttribute('data-code'), 'ledger_corrupt');
    assert.match(await browser.$('[data-testid="error-message"]').getText(), /endommagé/);
    // No tiles: nobody sells on a till whose ledger cannot be written.
    assert.equal((await browser.$$('[data-testid="tile"]')).length, 0);
    await screenshot(browser, 'window-ledger-damaged');
  } finally {
    await stop();
  }
  assert.equal(readFileSync(join(dataDir, 'guichet.db'), 'utf8'), garbage);
});
