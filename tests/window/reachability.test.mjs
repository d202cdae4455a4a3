// The real window against a guichet-sandbox process the test stops: the header says which
// provider does not answer (the core's engine calls and idle probe), at 1024 px wide.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byId, launchSignedIn, screenshot, startSandbox } from './driver.mjs';

/** The header's chip text, or '' while it is not shown. */
async function chip(browser) {
  const el = await byId(browser, 'network');
  return (await el.isExisting()) ? el.getText() : '';
}

test('With the providers stopped, the header shows them unreachable within seconds', async () => {
  const sandbox = await startSandbox();
  const { browser, stop } = await launchSignedIn({ env: { GUICHET_SANDBOX_URL: sandbox.url } });
  let sandboxStopped = false;
  try {
    await browser.setWindowSize(1024, 768);
    await browser.waitUntil(async () => /Fournisseurs joignables/.test(await chip(browser)), {
      timeout: 20000,
      timeoutMsg: 'the header never said the providers answer',
    });

    await sandbox.stop();
    sandboxStopped = true;
    const stoppedAt = Date.now();
    await browser.waitUntil(async () => /DEXCHANGE injoignable/.test(await chip(browser)), {
      timeout: 15000,
      interval: 250,
      timeoutMsg: 'the header did not say DEXCHANGE is unreachable within 15 s',
    });
    const seconds = (Date.now() - stoppedAt) / 1000;
    await browser.waitUntil(async () => {
      const text = await chip(browser);
      return /EASYTRANSFERT\s+injoignable/.test(text) && /Unipesa injoignable/.test(text);
    }, { timeout: 5000, timeoutMsg: 'not every provider shown unreachable' });
    console.log(`# providers shown unreachable ${seconds.toFixed(1)} s after the sandbox stopped`);

    // At 1024 px « Verrouiller » stays in the window, right of the chip.
    const width = await browser.execute(() => window.innerWidth);
    assert.ok(width <= 1024, `window inner width ${width}`);
    const lock = await byId(browser, 'lock-button');
    assert.ok(await lock.isDisplayed());
    assert.match(await lock.getText(), /Verrouiller/);
    const lockAt = await lock.getLocation();
    const lockSize = await lock.getSize();
    assert.ok(lockAt.x + lockSize.width <= width, `lock button inside: ${lockAt.x}+${lockSize.width} > ${width}`);
    const chipAt = await byId(browser, 'network').getLocation();
    const chipSize = await byId(browser, 'network').getSize();
    assert.ok(chipAt.x + chipSize.width <= lockAt.x, 'the chip does not cover the lock button');
    await screenshot(browser, 'window-providers-unreachable-1024');

    // The Woyofal screen says so before anything is confirmed.
    await browser.keys(['2']);
    await byId(browser, 'meter-input').waitForDisplayed({ timeout: 5000 });
    const warning = await byId(browser, 'provider-warning');
    await warning.waitForDisplayed({ timeout: 5000 });
    assert.match(await warning.getText(), /DEXCHANGE injoignable/);
    await screenshot(browser, 'window-woyofal-provider-unreachable-1024');
  } finally {
    await stop();
    if (!sandboxStopped) await sandbox.stop();
  }
});
