// The real Guichet window: home screen in training mode, language remembered across restarts,
// and a damaged ledger reported plainly instead of a blank window.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, screenshot, setUp, signIn, byId, fill, ctl, addOperator, MANAGER } from './driver.mjs';

const CASHIER = { name: 'Moussa', pin: '1357' };

const ENTRIES_FR = ['Factures', 'Woyofal', 'Crédit', 'Lien de paiement', 'Encaissement', 'Paiement', 'Historique', 'Réglages'];

/** Visible text of the whole page once the app has rendered its header. */
async function pageText(browser) {
  await browser.waitUntil(async () => (await browser.$('body').getText()).includes('Guichet') || (await browser.$('body').getText()).length > 40, {
    timeout: 20000,
    timeoutMsg: 'the window never rendered the UI',
  });
  return browser.$('body').getText();
}

test('first run: the wizard sets the shop and the manager up, then the home screen in FORMATION', async () => {
  const { browser, stop, dataDir } = await launch();
  try {
    assert.equal(await browser.getTitle(), 'Guichet');
    const wizard = await byId(browser, 'setup-wizard');
    await wizard.waitForDisplayed({ timeout: 20000 });
    await fill(browser, 'setup-shop-name', 'Boutique Ndèye');
    await fill(browser, 'setup-shop-address', 'Marché Tilène, Dakar');
    await screenshot(browser, 'window-setup-shop');
    await byId(browser, 'setup-next').click();
    await fill(browser, 'setup-manager-name', 'Ndèye Sarr');
    await fill(browser, 'setup-pin', '4826');
    await fill(browser, 'setup-pin-confirm', '4827');
    await byId(browser, 'setup-next').click();
    // A mismatch is refused where it is typed.
    await byId(browser, 'setup-pin-confirm-error').waitForDisplayed({ timeout: 5000 });
    await fill(browser, 'setup-pin-confirm', '4826');
    await byId(browser, 'setup-next').click();
    await byId(browser, 'setup-summary').waitForDisplayed({ timeout: 5000 });
    assert.match(await byId(browser, 'setup-training-note').getText(), /FORMATION/);
    await screenshot(browser, 'window-setup-summary');
    await byId(browser, 'setup-finish').click();

    await byId(browser, 'tile').waitForDisplayed({ timeout: 20000 });
    const text = await pageText(browser);
    await screenshot(browser, 'window-home-fr');
    assert.match(await byId(browser, 'training-badge').getText(), /FORMATION/);
    assert.equal(await byId(browser, 'shop-name').getText(), 'Boutique Ndèye');
    assert.match(await byId(browser, 'operator').getText(), /Ndèye Sarr/);
    assert.match(await byId(browser, 'clock-time').getText(), /^\d{2}:\d{2}$/, 'the clock shows HH:MM');
    assert.match(await byId(browser, 'network').getText(), /Fournisseurs|Hors ligne/);
    const tiles = await browser.$$('[data-testid="tile"]');
    assert.equal(tiles.length, 8, 'a manager sees every entry, Réglages included');
    const labels = [];
    for (const t of tiles) labels.push(await t.getText());
    ENTRIES_FR.forEach((e, i) => assert.ok(labels[i].includes(e), `tile ${i + 1} is ${e}, got ${labels[i]}`));
    for (const e of ENTRIES_FR) assert.ok(text.includes(e), `entry ${e} is shown`);

    // Keyboard: 8 opens Réglages for the manager; Escape comes back.
    await browser.keys(['8']);
    await byId(browser, 'screen-settings').waitForDisplayed({ timeout: 5000 });
    await screenshot(browser, 'window-settings');
    await browser.keys(['Escape']);
    await byId(browser, 'tile').waitForDisplayed({ timeout: 5000 });
  } finally {
    await stop();
  }
  // The wizard's work is in the trail, and the chain holds.
  const trail = ctl(dataDir, ['audit', 'export']);
  assert.match(trail, /operator_created/);
  assert.match(ctl(dataDir, ['audit', 'verify']), /intact/);
});

test('a cashier signs in with a PIN, sells but cannot reach Réglages; wrong PINs are refused', async () => {
  const dataDir = setUp();
  const { browser, stop } = await launch({ dataDir });
  try {
    await signIn(browser, MANAGER);
    // The manager adds a cashier in Réglages › Opérateurs.
    await addOperator(browser, CASHIER);
    await screenshot(browser, 'window-settings-operators');
    await browser.keys(['Escape']);
    await byId(browser, 'lock-button').waitForDisplayed({ timeout: 5000 });
    await byId(browser, 'lock-button').click();

    await byId(browser, 'login-screen').waitForDisplayed({ timeout: 10000 });
    await browser.$(`[data-testid="login-operator"][data-name="${CASHIER.name}"]`).click();
    await fill(browser, 'login-pin', '0000');
    await byId(browser, 'login-submit').click();
    const error = await byId(browser, 'login-error');
    await error.waitForDisplayed({ timeout: 10000 });
    assert.equal(await error.getAttribute('data-code'), 'operator_wrong_pin');
    assert.match(await error.getText(), /4/, 'says how many tries are left');
    await screenshot(browser, 'window-login-wrong-pin');
    await fill(browser, 'login-pin', CASHIER.pin);
    await byId(browser, 'login-submit').click();
    await byId(browser, 'tile').waitForDisplayed({ timeout: 15000 });
    assert.match(await byId(browser, 'operator').getText(), new RegExp(CASHIER.name));
    assert.equal((await browser.$$('[data-testid="tile"]')).length, 7, 'no Réglages tile for a cashier');
    assert.equal(await byId(browser, 'header-settings').isExisting(), false);
    await browser.keys(['8']);
    await browser.pause(500);
    assert.equal(await byId(browser, 'screen-settings').isExisting(), false, '8 does not open Réglages');
    await screenshot(browser, 'window-home-cashier');
  } finally {
    await stop();
  }
  const trail = ctl(dataDir, ['audit', 'export']);
  assert.match(trail, /login_failed/);
  assert.match(trail, /"actor": "Moussa"/);
});

test('the English switch is remembered after a restart', async () => {
  const first = await launch({ dataDir: setUp() });
  try {
    await signIn(first.browser);
    await first.browser.$('[data-testid="lang-en"]').click();
    await first.browser.waitUntil(async () => (await first.browser.$('body').getText()).includes('Airtime'), { timeout: 5000 });
  } finally {
    await first.stop();
  }
  const second = await launch({ dataDir: first.dataDir });
  try {
    await signIn(second.browser);
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
