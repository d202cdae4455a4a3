// Role checks on every command, over the real IPC of the real window: each command listed in
// src-tauri/commands.json is invoked by nobody, by a cashier and by a manager, and must be refused
// (not_signed_in / operator_forbidden) exactly when its permission says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, setUp, MANAGER } from './driver.mjs';

const root = join(import.meta.dirname, '..', '..');
const { _doc, ...PERMISSIONS } = JSON.parse(readFileSync(join(root, 'src-tauri', 'commands.json'), 'utf8'));
const CASHIER = { name: 'Moussa', pin: '1357' };
const NIL = '00000000-0000-0000-0000-000000000000';

/** A report with nothing in it (report_text, print_report take any report). */
const LINE = { key: 'total', label: { fr: 'Total', en: 'Total' }, count: 0, amount_minor: 0, fee_minor: 0, cash_minor: 0, commission_minor: 0, provider_commission_minor: 0 };
const EMPTY_REPORT = {
  kind: 'day', z_number: null, day: '2026-01-01', generated_at: '2026-01-01T00:00:00Z', currency: 'XOF', shifts: [],
  training_count: 0, by_kind: [], by_service: [], by_provider: [], totals: LINE, by_hour: Array(24).fill(0),
  failed: { count: 0, amount_minor: 0 }, refunded: { count: 0, amount_minor: 0 }, pending: [], to_review: [], movements: [],
  cash: { opening_float_minor: 0, sales_in_minor: 0, sales_out_minor: 0, movements_in_minor: 0, movements_out_minor: 0, expected_minor: 0, counted_minor: null, difference_minor: null },
};

/** Harmless, well-formed arguments for each command (what matters is who may call it). */
const ARGS = {
  app_info: {},
  set_language: { language: 'fr' },
  first_run: { setup: { shop_name: 'X', shop_address: '', receipt_header: '', manager_name: 'Intrus', pin: '1111' } },
  login_names: {},
  login: { name: 'Personne', pin: '0000' },
  logout: { idle: false },
  kiosk_exit: { name: MANAGER.name, pin: '0000' },
  keep_alive: {},
  change_own_pin: { current: '0000', new: '1234' },
  services: {},
  bill_inquiry: { serviceCode: 'NOPE', reference: '1' },
  submit: {
    request: {
      request: { service_code: 'NOPE', kind: 'airtime', amount: { minor: 1000, currency: 'XOF' }, phone: '771234567', otp: null, extras: {} },
      invoice_ref: null,
      item_name: null,
    },
  },
  confirm_otp: { id: NIL, otp: '1234' },
  operation: { id: NIL },
  history: { query: {} },
  in_progress: {},
  receipt: { id: NIL, width: 48, copy: 'customer' },
  print_receipt: { id: NIL, copy: 'customer' },
  qr_svg: { text: 'https://pay.example/x' },
  open_customer_display: {},
  settings: {},
  save_settings: { patch: {} },
  save_printer: { printer: null },
  all_services: {},
  provider_keys: {},
  set_provider_key: { provider: 'nope', field: 'api_key', value: 'x' },
  delete_provider_key: { provider: 'nope', field: 'api_key' },
  check_connection: { provider: 'dexchange' },
  provider_status: {},
  operators: {},
  create_operator: { name: 'Binta', pin: '4321', role: 'cashier' },
  reset_pin: { id: 999, pin: '4321' },
  unlock_operator: { id: 999 },
  set_mode: { mode: 'live', pin: '0000' },
  audit_log: { query: {} },
  audit_verify: {},
  audit_export: {},
  review_list: {},
  review_count: {},
  settle_review: { id: NIL, outcome: 'success', note: 'vu', pin: '0000' },
  current_shift: {},
  open_shift: { float: { by: 'total', amount_minor: -1 } },
  cash_movement: { direction: 'in', amountMinor: 0, reason: 'x' },
  close_shift: { shiftId: 999, counted: { by: 'total', amount_minor: 0 }, approval: null },
  x_report: { id: 999 },
  z_report: { number: 999 },
  day_report: { day: '2026-01-01' },
  report_text: { report: EMPTY_REPORT, width: 32 },
  print_report: { report: EMPTY_REPORT },
  float_status: {},
  read_floats: {},
  day_settings: {},
  save_day_settings: { settings: { shift_required: false, float_thresholds: { nope: 1 } } },
};

/** Invokes a command through the page's Tauri IPC; resolves to { ok, value } or { ok, error }. */
async function invoke(browser, cmd, args) {
  // W3C Execute Script waits for a returned promise. The answer travels percent-encoded:
  // WebKitWebDriver fails on some non-ASCII script results (French messages).
  const encoded = await browser.execute(
    (c, a) =>
      window.__TAURI_INTERNALS__.invoke(c, a).then(
        (value) => encodeURIComponent(JSON.stringify({ ok: true, value: value ?? null })),
        (error) => encodeURIComponent(JSON.stringify({ ok: false, error })),
      ),
    cmd,
    args,
  );
  return JSON.parse(decodeURIComponent(encoded));
}

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
