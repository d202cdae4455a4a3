// The app installed from the .deb (tests/package/run.sh unpacks it): its window opens on a till
// set up by the installed guichetctl, and the footer and the audit trail name the package's
// version.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, setUp, signIn, byId, ctl, screenshot } from '../window/driver.mjs';

const version = process.env.GUICHET_VERSION;

test('the installed app opens its window and names the version of the package', async () => {
  assert.ok(version, 'GUICHET_VERSION is set by tests/package/run.sh');
  const dataDir = setUp();
  const { browser, stop } = await launch({ dataDir });
  try {
    assert.equal(await browser.getTitle(), 'Guichet');
    await signIn(browser);
    assert.equal(await byId(browser, 'version').getText(), `Guichet ${version}`);
    await screenshot(browser, 'package-home');
  } finally {
    await stop();
  }
  const trail = JSON.parse(ctl(dataDir, ['audit', 'export']));
  const started = trail.entries.filter((e) => e.action === 'app_started');
  assert.equal(started.length, 1, 'one start, one entry');
  assert.equal(started[0].details.version, version);
});
