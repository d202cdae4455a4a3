// Role checks on every command, over the real IPC of the real window: each command listed in
// src-tauri/commands.json is invoked by nobody, by a cashier and by a manager, and must be refused
// (not_signed_in / operator_forbidden) exactly when its permission says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARGS } from './command-args.mjs';
import { invoke, launch, setUp, MANAGER } from './driver.mjs';

const root = join(import.meta.dirname, '..', '..');
const { _doc, ...PERMISSIONS } = JSON.parse(readFileSync(join(root, 'src-tauri', 'commands.json'), 'utf8'));
const CASHIER = { name: 'Moussa', pin: '1357' };

const DENIED = ['not_signed_in', 'session_locked', 'operator_forbidden'];

test('every command refuses nobody and cashiers exactly as commands.json says', async () => {
  const { browser, stop } = await launch({ dataDir: setUp() });
  try {
    await browser.waitUntil(async () => browser.execute(() => Boolean(window.__TAURI_INTERNALS__)), { timeout: 20000 });
    assert.deepEqual(Object.keys(ARGS).sort(), Object.keys(PERMISSIONS).sort(), 'ARGS covers commands.json');
    const signIn = async (who) => {
      const r = await invoke(browser, 'login', who);
      assert.ok(r.ok, `login ${who.name}: ${JSON.stringify(r.error)}`);
    };
    await signIn(MANAGER);
    // The addresses and a new operator are sensitive changes: the PIN again first.
    const confirmed = await invoke(browser, 'confirm_pin', { pin: MANAGER.pin });
    assert.ok(confirmed.ok, JSON.stringify(confirmed.error));
    // Never a real provider host: the live addresses point at a closed loopback port.
    const dead = 'http://127.0.0.1:9';
    const saved = await invoke(browser, 'save_settings', {
      patch: { provider_urls: { dexchange: dead, easytransfert: dead, easytransfert_wallet: `${dead}/w`, unipesa: dead } },
    });
    assert.ok(saved.ok, JSON.stringify(saved.error));
    const made = await invoke(browser, 'create_operator', { name: CASHIER.name, pin: CASHIER.pin, role: 'cashier' });
    assert.ok(made.ok, JSON.stringify(made.error));

    const seen = [];
    for (const who of [null, CASHIER, MANAGER]) {
      for (const [cmd, permission] of Object.entries(PERMISSIONS)) {
        await invoke(browser, 'logout', { idle: false });
        if (who) await signIn(who);
        if (process.env.ROLES_DEBUG) console.log('invoke', who?.name ?? 'nobody', cmd);
        const r = await invoke(browser, cmd, ARGS[cmd]);
        const code = r.ok ? null : r.error?.code;
        assert.ok(r.ok || typeof code === 'string', `${cmd}: the error is a CommandError, got ${JSON.stringify(r.error)}`);
        const allowed = permission === 'anyone' || (who !== null && !(who === CASHIER && permission === 'manager'));
        const by = who?.name ?? 'nobody';
        if (allowed) {
          assert.ok(!DENIED.includes(code), `${cmd} (${permission}) by ${by} was refused: ${code}`);
        } else {
          assert.equal(code, who ? 'operator_forbidden' : 'not_signed_in', `${cmd} (${permission}) by ${by}`);
          assert.ok(r.error.message.fr.length > 10 && r.error.message.en.length > 10, 'a message for the cashier');
        }
        seen.push(`${by}:${cmd}`);
      }
    }
    assert.equal(seen.length, 3 * Object.keys(PERMISSIONS).length);
  } finally {
    await stop();
  }
});
