// Kiosk mode in the real window: the manager turns it on in Réglages; a close request (what a
// window manager's close button or Alt+F4 sends) is refused and asks a manager's PIN (the dialog
// lists managers only; a cashier's PIN is refused by the core, see desk/tests.rs); a wrong PIN does
// not close it; the manager's does, and the trail says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { launch, setUp, signIn, byId, fill, ctl, screenshot, addOperator, MANAGER } from './driver.mjs';

const CASHIER = { name: 'Moussa', pin: '1357' };

/** Sends the window titled "Guichet" a WM_DELETE_WINDOW close request. */
function requestClose() {
  execFileSync('/usr/bin/python3', [join(import.meta.dirname, 'wm_close.py'), 'Guichet'], { stdio: 'pipe' });
}

/** True while a process runs the app binary under test. */
function appRunning() {
  try {
    execFileSync('pgrep', ['-f', process.env.GUICHET_APP], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

test('kiosk: a cashier cannot close the till; a manager closes it with their PIN', async () => {
  const dataDir = setUp();
  const { browser, stop } = await launch({ dataDir });
  try {
    await signIn(browser, MANAGER);
    await addOperator(browser, CASHIER);

    await byId(browser, 'settings-tab-shop').click();
    const kiosk = await byId(browser, 'settings-kiosk');
    await kiosk.scrollIntoView();
    if (!(await kiosk.isSelected())) await kiosk.click();
    await byId(browser, 'settings-shop-save').click();
    await browser.waitUntil(async () => (await byId(browser, 'settings-shop-status').getAttribute('data-ok')) === 'true', {
      timeout: 10000,
      timeoutMsg: 'kiosk mode was not saved',
    });
    await screenshot(browser, 'window-kiosk-on');
    await browser.keys(['Escape']);
    await byId(browser, 'lock-button').click();
    await signIn(browser, CASHIER);

    // The cashier (or anyone) asks the window to close: refused, a manager's PIN is asked.
    requestClose();
    const dialog = await byId(browser, 'kiosk-dialog');
    await dialog.waitForDisplayed({ timeout: 10000, timeoutMsg: 'no PIN dialog after a close request' });
    await browser.pause(1000);
    assert.ok(appRunning(), 'the app is still running after the close request');
    assert.equal(await browser.getTitle(), 'Guichet');
    await screenshot(browser, 'window-kiosk-close-dialog');

    // Escape cancels: the till goes on.
    await browser.keys(['Escape']);
    await dialog.waitForDisplayed({ reverse: true, timeout: 5000 });
    assert.ok(await byId(browser, 'tile').isDisplayed());

    // A wrong PIN (here the cashier's own) does not close it.
    requestClose();
    await dialog.waitForDisplayed({ timeout: 10000 });
    await fill(browser, 'kiosk-pin', CASHIER.pin);
    await byId(browser, 'kiosk-confirm').click();
    const error = await byId(browser, 'kiosk-error');
    await error.waitForDisplayed({ timeout: 10000 });
    assert.equal(await error.getAttribute('data-code'), 'operator_wrong_pin');
    assert.ok(appRunning());
    await screenshot(browser, 'window-kiosk-wrong-pin');

    // The manager's PIN closes it.
    await fill(browser, 'kiosk-pin', MANAGER.pin);
    await byId(browser, 'kiosk-confirm').click();
    const end = Date.now() + 15000;
    while (appRunning() && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
    assert.equal(appRunning(), false, 'the app quit after the manager PIN');
  } finally {
    await stop();
  }
  const trail = ctl(dataDir, ['audit', 'export']);
  assert.match(trail, /"action": "kiosk_exit"/);
  assert.match(trail, /"action": "login_failed"/);
  assert.match(ctl(dataDir, ['audit', 'verify']), /intact/);
});
