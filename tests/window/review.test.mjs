// « À vérifier » in the real window: two EASYTRANSFERT cash-ins whose answers never came wait for
// a manager (prepared with guichetctl against a guichet-sandbox that holds every EASYTRANSFERT
// answer: never resent, so needs_review). The manager settles one in the window with a note and
// the PIN; guichetctl settles the other; the audit trail has both, the receipts their status.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { byId, launch, MANAGER, screenshot, setUp, signIn, startSandbox, type } from './driver.mjs';

/** guichetctl on `dataDir`; resolves to the whole spawnSync result (any exit code). */
function run(dataDir, args, { env = {}, input = '' } = {}) {
  return spawnSync(process.env.GUICHETCTL, ['--data-dir', dataDir, ...args], {
    encoding: 'utf8',
    input,
    env: { ...process.env, ...env },
  });
}

/** Sets the sandbox's faults (an empty object clears them). */
async function faults(url, body) {
  const res = await fetch(`${url.replace(/\/$/, '')}/__sandbox/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.ok(res.ok, `faults: ${res.status}`);
}

test('a manager settles a review in the window, guichetctl the other; the trail has both', async () => {
  const sandbox = await startSandbox(['--hang-max-secs', '2']);
  const dataDir = setUp();
  let session;
  try {
    await faults(sandbox.url, { hang_after_commit: 1, providers: ['easytransfert'] });
    const ids = [];
    for (const phone of ['771234568', '761234569']) {
      const out = run(
        dataDir,
        ['--sandbox', sandbox.url, 'payout', '--service', 'EASYTRANSFERT_20', '--to', phone, '--amount', '1000', '--wait', '20'],
        { env: { GUICHET_PROVIDER_TIMEOUT_MS: '800' } },
      );
      assert.equal(out.status, 4, `needs review (exit 4): ${out.stdout}\n${out.stderr}`);
      ids.push(/Opération \/ Operation: (\S+)/.exec(out.stdout)[1]);
    }
    await faults(sandbox.url, {});

    session = await launch({ dataDir, env: { GUICHET_SANDBOX_URL: sandbox.url } });
    const { browser } = session;
    await browser.setWindowSize(1024, 768);
    await signIn(browser, MANAGER);
    const badge = await browser.$('[data-testid="header-review"][data-count="2"]');
    await badge.waitForDisplayed({ timeout: 15000 });
    // The header fits at 1024 px: « Verrouiller » is whole and in the window.
    const lock = await byId(browser, 'lock-button');
    assert.equal((await lock.getText()).trim(), 'Verrouiller');
    const right = await browser.execute(() => {
      const r = document.querySelector('[data-testid="lock-button"]').getBoundingClientRect();
      return [r.right, document.documentElement.clientWidth];
    });
    assert.ok(right[0] <= right[1], `lock button ends at ${right[0]} in ${right[1]}`);
    await screenshot(browser, 'window-review-header-1024');

    await badge.click();
    await byId(browser, 'screen-review').waitForDisplayed({ timeout: 10000 });
    const item = await browser.$(`[data-testid="review-item"][data-id="${ids[0]}"]`);
    await item.waitForDisplayed({ timeout: 10000 });
    assert.match(await item.$('[data-testid="review-reason"]').getText(), /deux fois/);
    assert.match((await item.$('[data-testid="review-amount"]').getText()).replace(/\s/g, ' '), /1 000 FCFA/);
    await screenshot(browser, 'window-review-list-1024');

    await item.$('[data-testid="review-success"]').click();
    await byId(browser, 'review-note').waitForDisplayed({ timeout: 5000 });
    await type(browser, 'Vu payé dans l\'espace EasyTransfert');
    await browser.keys(['Enter']);
    await byId(browser, 'review-pin-dialog').waitForDisplayed({ timeout: 5000 });
    await type(browser, MANAGER.pin);
    await browser.keys(['Enter']);
    await byId(browser, 'review-done').waitForDisplayed({ timeout: 10000 });
    await browser.$(`[data-testid="review-item"][data-id="${ids[0]}"]`).waitForDisplayed({ reverse: true, timeout: 10000 });
    await browser.$('[data-testid="header-review"][data-count="1"]').waitForDisplayed({ timeout: 10000 });
    await screenshot(browser, 'window-review-settled-1024');
    await session.stop();
    session = undefined;

    // guichetctl settles the other, for the manager named, the PIN on stdin.
    const wrong = run(dataDir, ['review', 'settle', ids[1], '--outcome', 'failed', '--note', 'Absent du relevé', '--manager', MANAGER.name], { input: '0000\n' });
    assert.equal(wrong.status, 2, wrong.stderr);
    const cli = run(dataDir, ['review', 'settle', ids[1], '--outcome', 'failed', '--note', 'Absent du relevé', '--manager', MANAGER.name], { input: `${MANAGER.pin}\n` });
    assert.equal(cli.status, 0, cli.stderr);
    assert.match(run(dataDir, ['review', 'list']).stdout, /Nothing to review/);

    const trail = JSON.parse(run(dataDir, ['audit', 'export']).stdout);
    const settled = trail.entries.filter((e) => e.action === 'review_settled');
    assert.deepEqual(
      settled.map((e) => [e.actor, e.details.operation_id, e.details.outcome, e.details.note]),
      [
        [MANAGER.name, ids[0], 'success', 'Vu payé dans l\'espace EasyTransfert'],
        [MANAGER.name, ids[1], 'failed', 'Absent du relevé'],
      ],
    );
    assert.equal(run(dataDir, ['audit', 'verify']).status, 0);
    assert.match(run(dataDir, ['receipt', ids[0]]).stdout, /RÉUSSI/);
    assert.match(run(dataDir, ['receipt', ids[1]]).stdout, /ÉCHOUÉ/);
  } finally {
    await session?.stop();
    await sandbox.stop();
  }
});
