// Security in the real window: a manager's session left open cannot send the keys to a new host
// without the PIN again and a warning naming the host; the customer display's IPC is refused for
// every command outside its list, it cannot listen to the till's events and is sent only the
// customer's view of a sale; in kiosk mode the context menu, reload and navigation away are
// blocked, and the customer display is undecorated and cannot be closed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { ARGS } from './command-args.mjs';
import { byId, clickTaken, confirmPin, fill, invoke, launchSignedIn, screenshot, signIn, MANAGER } from './driver.mjs';

const root = join(import.meta.dirname, '..', '..');
const { _doc, ...PERMISSIONS } = JSON.parse(readFileSync(join(root, 'src-tauri', 'commands.json'), 'utf8'));
/** What the customer display may call (src-tauri/src/window_access.rs). */
const CUSTOMER_ALLOWED = ['app_info', 'follow_customer_view', 'qr_svg'];
const CUSTOMER_TITLE = 'Guichet — écran client';

const pause = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs tests/window/wm_window.py; returns its stdout. */
function wm(command, title) {
  return execFileSync('/usr/bin/python3', [join(import.meta.dirname, 'wm_window.py'), command, title], { encoding: 'utf8' });
}

/** A TCP listener on another loopback address standing for a foreign host; counts connections. */
async function foreignHost() {
  let connections = 0;
  const server = net.createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.2', resolve));
  return {
    url: `https://127.0.0.2:${server.address().port}/api/v1`,
    connections: () => connections,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** Opens the customer display from the cashier's window; returns [main, customer] handles. */
async function openCustomerDisplay(browser) {
  const main = await browser.getWindowHandle();
  const opened = await invoke(browser, 'open_customer_display');
  assert.ok(opened.ok, JSON.stringify(opened.error));
  await browser.waitUntil(async () => (await browser.getWindowHandles()).length === 2, {
    timeout: 15000,
    timeoutMsg: 'the customer display did not open',
  });
  const customer = (await browser.getWindowHandles()).find((h) => h !== main);
  return [main, customer];
}

test("a manager's session left open cannot send the keys to a new host without the PIN and the warning", async () => {
  const foreign = await foreignHost();
  const { browser, stop } = await launchSignedIn();
  try {
    // Someone at the open session: straight over IPC, refused without the PIN again.
    for (const [cmd, args] of [
      ['save_settings', { patch: { provider_urls: { ...(await invoke(browser, 'settings')).value.provider_urls, dexchange: foreign.url } } }],
      ['set_provider_key', { provider: 'dexchange', field: 'api_key', value: 'planted-key-123456' }],
      ['create_operator', { name: 'Intrus', pin: '4321', role: 'manager' }],
    ]) {
      const r = await invoke(browser, cmd, args);
      assert.equal(r.ok ? null : r.error.code, 'pin_required', `${cmd} without the PIN again`);
    }

    // Never a real provider: the addresses point at a closed port of this machine (with the
    // PIN; a new session then starts without a fresh PIN).
    assert.ok((await invoke(browser, 'confirm_pin', { pin: MANAGER.pin })).ok);
    const dead = 'http://127.0.0.1:9';
    const local = { dexchange: `${dead}/api/v1`, easytransfert: `${dead}/t`, easytransfert_wallet: `${dead}/w`, unipesa: dead };
    const saved = await invoke(browser, 'save_settings', { patch: { provider_urls: local } });
    assert.ok(saved.ok, JSON.stringify(saved.error));
    await byId(browser, 'lock-button').click();
    await signIn(browser, MANAGER);

    // Through Réglages: the PIN is asked; cancelled, nothing is saved.
    await byId(browser, 'header-settings').click();
    await byId(browser, 'settings-tab-keys').click();
    await byId(browser, 'key-input-dexchange-api_key').waitForDisplayed({ timeout: 10000 });
    const urlField = await byId(browser, 'url-dexchange');
    await browser.waitUntil(async () => {
      if (!(await urlField.isDisplayed())) await byId(browser, 'provider-urls-toggle').click();
      return urlField.isDisplayed();
    }, { timeout: 10000, interval: 1000, timeoutMsg: 'the addresses did not open' });
    assert.match(await byId(browser, 'easytransfert-http-note').getText(), /non chiffrée/);
    await fill(browser, 'url-dexchange', foreign.url);
    await byId(browser, 'urls-save').click();
    await byId(browser, 'reauth-pin-dialog').waitForDisplayed({ timeout: 10000 });
    await screenshot(browser, 'window-security-pin-again');
    await byId(browser, 'reauth-pin-cancel').click();
    const status = await byId(browser, 'urls-status');
    await browser.waitUntil(async () => (await status.getAttribute('data-code')) === 'pin_required', { timeout: 10000 });

    // With the PIN: the warning names the host; cancelled, still not saved.
    await byId(browser, 'urls-save').click();
    await confirmPin(browser);
    const warning = await byId(browser, 'host-warning');
    await warning.waitForDisplayed({ timeout: 10000 });
    assert.equal(await byId(browser, 'host-warning-host').getText(), '127.0.0.2');
    await screenshot(browser, 'window-security-host-warning');
    await byId(browser, 'host-warning-cancel').click();
    await warning.waitForDisplayed({ reverse: true, timeout: 5000 });
    assert.equal((await invoke(browser, 'settings')).value.provider_urls.dexchange, local.dexchange);

    // A key is stored (the PIN is still fresh): "check connection" goes to the saved address
    // only, never to the new host.
    await fill(browser, 'key-input-dexchange-api_key', 'sk-window-test-123456');
    await byId(browser, 'key-save-dexchange-api_key').click();
    await browser.waitUntil(async () => (await byId(browser, 'key-status-dexchange-api_key').getAttribute('data-present')) === 'true', { timeout: 10000 });
    const checked = await byId(browser, 'key-check-result-dexchange');
    await clickTaken(browser, 'key-check-dexchange', () => checked.isExisting());
    await browser.waitUntil(async () => (await checked.getAttribute('data-ok')) === 'false', { timeout: 20000 });
    assert.equal(foreign.connections(), 0, 'nothing reached the new host');

    // Confirmed: saved, and only now does the check go there.
    await byId(browser, 'urls-save').click();
    await warning.waitForDisplayed({ timeout: 10000 });
    await byId(browser, 'host-warning-confirm').click();
    await browser.waitUntil(async () => (await status.getAttribute('data-ok')) === 'true', { timeout: 10000, timeoutMsg: 'not saved after the confirmation' });
    assert.equal((await invoke(browser, 'settings')).value.provider_urls.dexchange, foreign.url);
    await clickTaken(browser, 'key-check-dexchange', () => foreign.connections() > 0);
    await browser.waitUntil(async () => foreign.connections() > 0, { timeout: 20000, timeoutMsg: 'the confirmed host was not called' });
  } finally {
    await stop();
    await foreign.close();
  }
});

test("the customer display is sent only the customer's view of a sale and cannot listen to the till", async () => {
  const { browser, stop } = await launchSignedIn();
  try {
    const [main, customer] = await openCustomerDisplay(browser);
    await browser.switchToWindow(customer);
    await browser.$('[data-testid="customer-display"][data-live="true"]').waitForDisplayed({ timeout: 20000 });
    // A script in this window cannot listen to events, whatever their name.
    const listen = await browser.execute(() =>
      window.__TAURI_INTERNALS__
        .invoke('plugin:event|listen', { event: 'operation-updated', target: { kind: 'Any' }, handler: window.__TAURI_INTERNALS__.transformCallback(() => {}) })
        .then(() => 'ok', (e) => encodeURIComponent(String(e))),
    );
    assert.notEqual(listen, 'ok', 'the customer display may not listen to events');
    assert.match(decodeURIComponent(listen), /not allowed|denied|permission/i);

    // A sale at the till: the display shows it, in its own words.
    await browser.switchToWindow(main);
    const airtime = (phone) => ({
      request: {
        request: { service_code: 'ORANGE_SN_AIRTIME', kind: 'airtime', amount: { minor: 1000, currency: 'XOF' }, phone, otp: null, extras: {} },
        invoice_ref: null,
        item_name: null,
      },
    });
    const first = await invoke(browser, 'submit', airtime('77 123 45 67'));
    assert.ok(first.ok, JSON.stringify(first.error));
    await browser.switchToWindow(customer);
    await browser.waitUntil(async () => (await byId(browser, 'customer-operation').isExisting()) && /1\s?000/.test(await byId(browser, 'customer-amount').getText()), {
      timeout: 20000,
      timeoutMsg: 'the customer display did not show the sale',
    });
    assert.match(await byId(browser, 'customer-display').getText(), /77 ?123 ?45 ?67|771234567/);
    await screenshot(browser, 'window-customer-sale');

    // What the shell sends this window, caught on a channel of its own: the customer's view only.
    await browser.execute(() => {
      window.__SEEN__ = [];
      const id = window.__TAURI_INTERNALS__.transformCallback((data) => window.__SEEN__.push(JSON.stringify(data)));
      window.__SPY__ = window.__TAURI_INTERNALS__.invoke('follow_customer_view', { onUpdate: `__CHANNEL__:${id}` });
    });
    await browser.switchToWindow(main);
    const second = await invoke(browser, 'submit', airtime('77 765 43 21'));
    assert.ok(second.ok, JSON.stringify(second.error));
    const op = second.value;
    await browser.switchToWindow(customer);
    await browser.waitUntil(async () => (await browser.execute(() => window.__SEEN__.length)) > 0, { timeout: 20000, timeoutMsg: 'no update reached the customer display' });
    const seen = (await browser.execute(() => window.__SEEN__.map(encodeURIComponent))).map((m) => JSON.parse(decodeURIComponent(m)));
    const KEYS = ['amount_minor', 'currency', 'customer_ref', 'customer_url', 'fee_minor', 'id', 'item_name', 'kind', 'refunded', 'status', 'token', 'training', 'updated_at'];
    for (const { message } of seen) {
      assert.deepEqual(Object.keys(message).sort(), KEYS, JSON.stringify(message));
      assert.equal(message.id, op.id);
    }
    const raw = JSON.stringify(seen);
    for (const secret of [op.idempotency_key, op.operator_name, op.service_code]) {
      assert.ok(!raw.includes(secret), `${secret} reached the customer display`);
    }
  } finally {
    await stop();
  }
});

test('the customer display may call what it shows and nothing else', async () => {
  const { browser, stop } = await launchSignedIn();
  try {
    const [main, customer] = await openCustomerDisplay(browser);
    await browser.switchToWindow(customer);
    await browser.waitUntil(async () => browser.execute(() => Boolean(window.__TAURI_INTERNALS__)), { timeout: 20000 });
    await byId(browser, 'customer-display').waitForDisplayed({ timeout: 15000 });
    assert.deepEqual(Object.keys(ARGS).sort(), Object.keys(PERMISSIONS).sort(), 'ARGS covers commands.json');
    const answered = {};
    for (const cmd of Object.keys(PERMISSIONS)) {
      const r = await invoke(browser, cmd, ARGS[cmd]);
      answered[cmd] = r.ok ? 'ok' : r.error?.code;
      if (CUSTOMER_ALLOWED.includes(cmd)) {
        assert.ok(r.ok, `${cmd} from the customer display: ${JSON.stringify(r.error)}`);
      } else {
        assert.equal(r.error?.code, 'window_forbidden', `${cmd} from the customer display answered ${answered[cmd]}`);
        assert.ok(r.error.message.fr.length > 10 && r.error.message.en.length > 10);
      }
    }
    await screenshot(browser, 'window-security-customer');
    // Nothing happened to the till: the manager is still signed in, nobody was added.
    await browser.switchToWindow(main);
    const info = await invoke(browser, 'app_info');
    assert.equal(info.value.session?.name, MANAGER.name);
    const operators = await invoke(browser, 'operators');
    assert.deepEqual(operators.value.map((o) => o.name), [MANAGER.name]);
  } finally {
    await stop();
  }
});

test('kiosk: no context menu, no reload, no navigation away; the customer display cannot be closed', async () => {
  const { browser, stop } = await launchSignedIn();
  const mark = () => browser.execute(() => { window.__mark = 'still here'; });
  const marked = () => browser.execute(() => window.__mark ?? null);
  try {
    // Outside kiosk mode a reload does reload (what the kiosk must stop).
    await mark();
    await browser.execute(() => { setTimeout(() => location.reload(), 50); });
    await browser.waitUntil(async () => (await marked().catch(() => 'reloading')) === null, { timeout: 15000, timeoutMsg: 'no reload outside kiosk mode' });
    await byId(browser, 'tile').waitForDisplayed({ timeout: 20000 });

    // The manager turns kiosk mode on in Réglages (no PIN again: only turning it off needs it).
    await byId(browser, 'header-settings').click();
    await byId(browser, 'settings-tab-shop').click();
    const kiosk = await byId(browser, 'settings-kiosk');
    await kiosk.scrollIntoView();
    if (!(await kiosk.isSelected())) await kiosk.click();
    await byId(browser, 'settings-shop-save').click();
    await browser.waitUntil(async () => (await byId(browser, 'settings-shop-status').getAttribute('data-ok')) === 'true', {
      timeout: 10000,
      timeoutMsg: 'kiosk mode was not saved',
    });
    await browser.keys(['Escape']);
    await browser.keys(['Escape']);
    await byId(browser, 'tile').waitForDisplayed({ timeout: 5000 });
    const [main, customer] = await openCustomerDisplay(browser);
    await mark();

    // What the page did with a real right click and the reload keys.
    await browser.execute(() => {
      window.__seen = [];
      const note = (e) => window.__seen.push(`${e.type}:${e.key ?? ''}:${e.defaultPrevented}`);
      // Last in line (the window, bubbling, after the app's own listeners): what the page did.
      window.addEventListener('contextmenu', note);
      window.addEventListener('keydown', note);
    });
    await browser.$('main').click({ button: 'right', x: 0, y: 200 });
    await browser.keys(['F5']);
    await browser.keys(['Control', 'r']);
    await browser.keys(['Control', 'Shift', 'R']);
    await pause(1000);
    const seen = await browser.execute(() => window.__seen);
    assert.ok(seen.includes('contextmenu::true'), `the context menu is blocked: ${seen}`);
    assert.ok(seen.includes('keydown:F5:true'), `F5 is blocked: ${seen}`);
    assert.ok(seen.some((s) => /^keydown:r:true$/i.test(s)), `Ctrl+R is blocked: ${seen}`);
    assert.equal(seen.filter((s) => /^keydown:r:/i.test(s)).length, 2, `Ctrl+R and Ctrl+Shift+R were typed: ${seen}`);
    assert.ok(seen.filter((s) => /^keydown:r:/i.test(s)).every((s) => s.endsWith(':true')), `Ctrl+Shift+R is blocked: ${seen}`);

    // A reload and a navigation asked by a script are refused by the shell.
    await browser.execute(() => { setTimeout(() => location.reload(), 50); });
    await pause(2000);
    assert.equal(await marked(), 'still here', 'the page was not reloaded');
    await browser.execute(() => { setTimeout(() => { location.href = 'https://example.org/'; }, 50); });
    await pause(2000);
    assert.equal(await marked(), 'still here', 'the page did not leave the app');
    assert.match(await browser.getUrl(), /^(tauri:\/\/localhost|https?:\/\/tauri\.localhost)/);
    await screenshot(browser, 'window-security-kiosk');
    assert.ok(await byId(browser, 'lock-button').isExisting(), 'still the till');

    // The customer display: undecorated, and a close request leaves it open.
    assert.deepEqual(JSON.parse(wm('hints', CUSTOMER_TITLE)), { decorated: false });
    wm('close', CUSTOMER_TITLE);
    await pause(1500);
    assert.deepEqual((await browser.getWindowHandles()).sort(), [main, customer].sort(), 'the customer display is still open');
  } finally {
    await stop();
  }
});
