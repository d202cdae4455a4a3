// From training to live in the real window, with the keys entered in Réglages and kept in the OS
// keyring (a throwaway gnome-keyring here): masked on screen, "check connection", the mode switch
// with the PIN, the DEXCHANGE account's services list (the stand-in's account has no Woyofal:
// Réglages names it, the home grid drops its tile), a live sale against a guichet-sandbox standing
// in for the providers. Then the keys
// are looked for everywhere they must not be: the ledger and its WAL, the log files, exports, and
// the text of every screen a screenshot was taken of.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { launch, setUp, signIn, byId, clickTaken, confirmPin, fill, type, screenshot, shownText, startSandbox, MANAGER } from './driver.mjs';

const run = Date.now().toString(36);
const KEYS = {
  dexchange: `dex-window-${run}-Kq7`,
  easytransfert: `et-window-${run}-Wz3`,
  unipesaPublic: `pub${run}`,
  unipesaMerchant: `mer${run}`,
  unipesaSecret: `uni-window-${run}-Hx9`,
};
const SECRETS = [KEYS.dexchange, KEYS.easytransfert, KEYS.unipesaSecret];

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

async function saveKey(browser, id, value) {
  await fill(browser, `key-input-${id}`, value);
  await byId(browser, `key-save-${id}`).click();
  const status = await byId(browser, `key-status-${id}`);
  await browser.waitUntil(async () => (await status.getAttribute('data-present')) === 'true', {
    timeout: 10000,
    timeoutMsg: `${id} was not stored`,
  });
  assert.equal(await byId(browser, `key-input-${id}`).getValue(), '', 'the field is emptied once sent');
}

test('keys in the keyring, masked; check connection; live mode with the PIN; what the account lacks; a live sale; no key anywhere else', async () => {
  const sandbox = await startSandbox([
    '--dexchange-key', KEYS.dexchange, '--easytransfert-key', KEYS.easytransfert,
    '--unipesa-public-id', KEYS.unipesaPublic, '--unipesa-merchant-id', KEYS.unipesaMerchant,
    '--unipesa-secret', KEYS.unipesaSecret, '--dexchange-lacks', 'WOYOFAL_SN_BILL',
  ]);
  const dataDir = setUp();
  const shown = [];
  const snap = async (browser, name) => {
    await screenshot(browser, name);
    shown.push([name, await shownText(browser)]);
  };
  let session;
  try {
    session = await launch({ dataDir, env: { GUICHET_SANDBOX_URL: sandbox.url } });
    const { browser } = session;
    await signIn(browser, MANAGER);
    await byId(browser, 'header-settings').click();
    await byId(browser, 'settings-tab-mode').click();
    // Live without keys is refused, and says what to do.
    await byId(browser, 'mode-switch').click();
    await fill(browser, 'mode-pin', MANAGER.pin);
    await byId(browser, 'mode-pin-confirm').click();
    const status = await byId(browser, 'mode-status');
    await browser.waitUntil(async () => (await status.getAttribute('data-code')) === 'live_without_keys', {
      timeout: 10000,
      timeoutMsg: 'live mode was not refused without keys',
    });
    await snap(browser, 'window-live-refused');

    await byId(browser, 'settings-tab-keys').click();
    // The providers' addresses point at the stand-in: tests never reach a real provider.
    await byId(browser, 'provider-urls-toggle').click();
    await fill(browser, 'url-dexchange', `${sandbox.url}/dexchange/api/v1`);
    await fill(browser, 'url-easytransfert', `${sandbox.url}/easytransfert/api_v1/transaction`);
    await fill(browser, 'url-easytransfert_wallet', `${sandbox.url}/easytransfert/api_v1/admin/partner/wallet/single`);
    await fill(browser, 'url-unipesa', `${sandbox.url}/unipesa`);
    await byId(browser, 'urls-save').click();
    // New addresses: the manager's PIN again (the stand-in is on this machine: no host warning).
    await confirmPin(browser);
    await browser.waitUntil(async () => (await byId(browser, 'urls-status').getAttribute('data-ok')) === 'true', {
      timeout: 10000,
      timeoutMsg: 'the provider URLs were not saved',
    });

    await saveKey(browser, 'dexchange-api_key', KEYS.dexchange);
    await saveKey(browser, 'easytransfert-api_key', KEYS.easytransfert);
    await saveKey(browser, 'unipesa-public_id', KEYS.unipesaPublic);
    await saveKey(browser, 'unipesa-merchant_id', KEYS.unipesaMerchant);
    await saveKey(browser, 'unipesa-secret', KEYS.unipesaSecret);
    assert.match(await byId(browser, 'key-status-dexchange-api_key').getText(), /••••-Kq7/, 'masked: the last four characters only');

    for (const provider of ['dexchange', 'easytransfert', 'unipesa']) {
      const result = await byId(browser, `key-check-result-${provider}`);
      await clickTaken(browser, `key-check-${provider}`, () => result.isExisting());
      await browser.waitUntil(async () => (await result.getAttribute('data-ok')) === 'true', {
        timeout: 20000,
        timeoutMsg: `check connection failed for ${provider}: ${await result.getText().catch(() => '')}`,
      });
    }
    assert.match(await byId(browser, 'key-check-result-dexchange').getText(), /FCFA/);
    await snap(browser, 'window-keys-checked');

    await byId(browser, 'settings-tab-mode').click();
    await byId(browser, 'mode-switch').click();
    await fill(browser, 'mode-pin', MANAGER.pin);
    await byId(browser, 'mode-pin-confirm').click();
    await browser.waitUntil(async () => (await byId(browser, 'mode-current').getAttribute('data-mode')) === 'live', {
      timeout: 15000,
      timeoutMsg: 'the till did not go live',
    });
    await snap(browser, 'window-live-mode');

    // Réglages › Services: the account's list, read again on demand, names what it lacks.
    await byId(browser, 'settings-tab-services').click();
    await byId(browser, 'account-services-refresh').click();
    const dexList = await browser.$('[data-testid="account-provider"][data-provider="dexchange"]');
    await browser.waitUntil(async () => (await dexList.getAttribute('data-state')) === 'listed', {
      timeout: 20000,
      timeoutMsg: `the DEXCHANGE services list was not read: ${await dexList.getText().catch(() => '')}`,
    });
    const missing = await browser.$$('[data-testid="account-missing"]').map((e) => e.getAttribute('data-code'));
    assert.deepEqual(missing, ['WOYOFAL_SN_BILL']);
    await snap(browser, 'window-account-services');

    // A live airtime sale, by keyboard, against the stand-in.
    // Escape steps back: out of the panel to its tab, then home.
    await browser.keys(['Escape']);
    await browser.keys(['Escape']);
    await byId(browser, 'tile').waitForDisplayed({ timeout: 5000 });
    assert.equal(await byId(browser, 'training-badge').isExisting(), false, 'no FORMATION badge in live mode');
    // Woyofal has nothing left to sell: no tile.
    await browser.waitUntil(async () => !(await browser.$('[data-testid="tile"][data-op="woyofal"]').isExisting()), {
      timeout: 10000,
      timeoutMsg: 'the Woyofal tile is still shown',
    });
    assert.ok(await browser.$('[data-testid="tile"][data-op="airtime"]').isExisting());
    await browser.keys(['3']);
    await byId(browser, 'phone-input').waitForDisplayed({ timeout: 5000 });
    await type(browser, '771234567');
    await browser.keys(['Enter']);
    await byId(browser, 'amount-input').waitForDisplayed({ timeout: 5000 });
    await type(browser, '1000');
    await browser.keys(['Enter']);
    await byId(browser, 'confirm-summary').waitForDisplayed({ timeout: 5000 });
    await browser.keys(['Enter']);
    await browser.$('[data-testid="status-panel"][data-status="success"]').waitForDisplayed({ timeout: 30000 });
    const receipt = await byId(browser, 'receipt-text');
    await receipt.waitForDisplayed({ timeout: 10000 });
    assert.doesNotMatch(await receipt.getText(), /FORMATION/, 'a live receipt');
    await snap(browser, 'window-live-sale');
  } finally {
    await session?.stop();
    await sandbox.stop();
  }

  const checked = files(dataDir);
  assert.ok(checked.some((f) => f.includes(`${join('logs', 'guichet.log')}`)), `a log file is written: ${checked}`);
  assert.ok(checked.some((f) => f.endsWith('guichet.db')));
  for (const file of checked) {
    const text = readFileSync(file).toString('latin1');
    for (const secret of SECRETS) assert.ok(!text.includes(secret), `a provider key is in ${file}`);
  }
  assert.equal(shown.length, 5);
  for (const [name, text] of shown) {
    for (const secret of SECRETS) {
      assert.ok(!text.includes(secret), `a provider key is shown on ${name}`);
      assert.ok(!text.includes(secret.slice(0, -3)), `most of a provider key is shown on ${name}`);
    }
  }
});
