// Shared helpers for the Playwright tests: a tiny static server for ui/dist, Debian's Chromium
// through playwright-core, and a fake Tauri IPC (`window.__TAURI_INTERNALS__`) injected before
// the app's own scripts run.
import { createServer } from 'node:http';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { installFakeDesk } from './fake-desk.mjs';
import { installFakeEngine } from './fake-engine.mjs';
import { auditTrail, BILLS, CATALOG, providerStatus, TOKEN } from './fixtures.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const UI_DIR = resolve(here, '..');
export const DIST_DIR = join(UI_DIR, 'dist');
export const SCREENSHOT_DIR = resolve(UI_DIR, '..', 'target', 'screenshots');

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/**
 * Serve ui/dist on 127.0.0.1 at an ephemeral port.
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function serveDist() {
  try {
    await stat(join(DIST_DIR, 'index.html'));
  } catch {
    throw new Error(`${DIST_DIR}/index.html is missing: run "npm run build" first`);
  }
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      let path = normalize(join(DIST_DIR, decodeURIComponent(url.pathname)));
      if (path !== DIST_DIR && !path.startsWith(DIST_DIR + sep)) {
        res.writeHead(403).end();
        return;
      }
      if (path === DIST_DIR || path.endsWith(sep)) path = join(DIST_DIR, 'index.html');
      const body = await readFile(path);
      const type = TYPES[/** @type {keyof typeof TYPES} */ (extname(path))];
      res.writeHead(200, {
        'content-type': type ?? 'application/octet-stream',
        'cache-control': 'no-store',
      });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(undefined)));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no server address');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/**
 * @typedef {{ code: string, message: { fr: string, en: string } }} CommandError
 * @typedef {{ shop_name: string, operator_name: string, mode: 'training' | 'live',
 *             language: 'fr' | 'en', version: string, idle_timeout_secs?: number, kiosk?: boolean,
 *             notice?: { fr: string, en: string } | null }} AppInfo
 * @typedef {{ name: string, role: 'manager' | 'cashier', failed_attempts?: number,
 *             locked_until?: string | null }} FakeOperator
 * @typedef {{ needsSetup?: boolean, signedIn?: string | null, operators?: FakeOperator[],
 *             keys?: Record<string, string>, masks?: Record<string, string>,
 *             disabled_services?: string[], printer?: any, audit?: any[],
 *             providers?: any[], review?: any[], account_services?: any, shift?: any,
 *             floats?: any[] }} DeskOptions
 *   The till's starting state: `needsSetup` (no operator yet: the first-run wizard), `signedIn`
 *   (an operator's name, or null for the login screen; default the app info's operator_name,
 *   Awa Diop, a manager), `operators` (default Awa Diop, manager, and Moussa Fall, cashier),
 *   `keys` (`dexchange.api_key` → value: stored), `masks` (how the core shows a stored key,
 *   default ••••), `audit` (the trail audit_log answers; default fixtures' auditTrail()),
 *   `providers` (what provider_status answers; default the three providers reachable),
 *   `review` (what review_list answers, and review_count its length; default none),
 *   `account_services` (what account_services answers; default training: no list read).
 *   `shift` (what current_shift answers; default none open), `floats` (what float_status
 *   answers; default none read).
 * @typedef {{ value: unknown } | { error: CommandError & Record<string, unknown> }} Answer
 *   A scripted answer: what the command returns, or the error it rejects with.
 * @typedef {{ operation: any, events: any[] }} LedgerEntry
 * @typedef {{ appInfo?: Partial<AppInfo>, desk?: DeskOptions, fail?: Record<string, CommandError>,
 *             answers?: Record<string, Answer[]>,
 *             catalog?: any[], bills?: Record<string, any[]>, ledger?: LedgerEntry[],
 *             prints?: Record<string, number>, stepDelay?: number }} MockOptions
 */

/** @type {AppInfo} */
export const DEFAULT_APP_INFO = {
  shop_name: 'Boutique Ndiaye & Fils',
  operator_name: 'Awa Diop',
  mode: 'training',
  language: 'fr',
  version: '0.1.0',
};

/** @type {FakeOperator[]} */
export const DEFAULT_OPERATORS = [
  { name: 'Awa Diop', role: 'manager' },
  { name: 'Moussa Fall', role: 'cashier' },
];

/** The live providers' documented addresses (the core's ProviderUrls::live). */
export const LIVE_URLS = {
  dexchange: 'https://api-m.dexchange.sn/api/v1',
  easytransfert: 'http://proxy-airtime.easytransfert.app/api_v1/transaction',
  easytransfert_wallet: 'http://proxy-airtime.easytransfert.app/api_v1/admin/partner/wallet/single',
  unipesa: 'https://api.unipesa.tech',
};

/**
 * The fake desk's first state, from a test's options.
 * @param {MockOptions} options
 */
function deskState(options) {
  const info = { ...DEFAULT_APP_INFO, ...options.appInfo };
  const desk = options.desk ?? {};
  const created = '2026-11-01T08:00:00.000Z';
  const operators = (desk.needsSetup ? [] : (desk.operators ?? DEFAULT_OPERATORS)).map((o, i) => ({
    id: i + 1, name: o.name, role: o.role, failed_attempts: o.failed_attempts ?? 0,
    locked_until: o.locked_until ?? null, created_at: created,
  }));
  const signedIn = desk.needsSetup ? null : desk.signedIn !== undefined ? desk.signedIn : info.operator_name;
  let me = signedIn ? operators.find((o) => o.name === signedIn) : undefined;
  if (signedIn && !me) {
    me = { id: operators.length + 1, name: signedIn, role: 'manager', failed_attempts: 0, locked_until: null, created_at: created };
    operators.push(me);
  }
  return {
    shop_name: desk.needsSetup ? '' : info.shop_name,
    shop_address: desk.needsSetup ? '' : 'Rue 10, Médina, Dakar',
    receipt_header: desk.needsSetup ? '' : 'NINEA 0012345 2G3',
    mode: info.mode,
    language: info.language,
    version: info.version,
    idle_timeout_secs: info.idle_timeout_secs ?? 300,
    kiosk: info.kiosk ?? false,
    notice: info.notice ?? null,
    printer: desk.printer ?? null,
    provider_urls: { ...LIVE_URLS },
    disabled_services: desk.disabled_services ?? [],
    operators,
    session: me ? { operator_id: me.id, name: me.name, role: me.role } : null,
    keys: Object.fromEntries(Object.keys(desk.keys ?? {}).map((k) => [k, true])),
    masks: { ...desk.masks },
    audit: desk.audit ?? auditTrail(),
    providers: desk.providers ?? providerStatus({}),
    review: desk.review ?? [],
    account_services: desk.account_services ?? { live: false, providers: [] },
    shift: desk.shift ?? null,
    floats: desk.floats ?? [],
    nextId: operators.length + 1,
  };
}

/**
 * The fake Tauri IPC, run in the page before any other script. The fake desk (fake-desk.mjs)
 * answers the shell's commands from a state kept in localStorage (as the Rust side keeps it in
 * the ledger), so a reload finds the language that was saved and who is signed in; it hands the
 * operation commands to the fake engine (fake-engine.mjs). Every
 * call is recorded in `window.__IPC_CALLS__`. The event plugin (`plugin:event|listen`) is
 * emulated so `window.__EMIT__(event, payload)` reaches the page's `listen` handlers, as the
 * shell's `emit` would; `__EMIT__('operation-updated', op)` and `__EMIT__('customer-view', view)`
 * reach the channels the page gave `follow_operations` / `follow_customer_view`, as the shell's
 * feeds would. What the core would decide comes from the test: `answers` (and
 * `answerNext` later) queue the next answers of a command, each used once, before the fakes.
 * @param {{ desk: any, fail: Record<string, CommandError>, answers: Record<string, Answer[]>, engine: any }} config
 * @param {typeof installFakeEngine} makeEngine
 * @param {typeof installFakeDesk} makeDesk
 */
function installTauriMock(config, makeEngine, makeDesk) {
  /** @type {{ cmd: string, args: unknown }[]} */
  const calls = [];
  /** @type {Map<number, (data: unknown) => unknown>} */
  const callbacks = new Map();
  /** @type {Map<string, number[]>} event name → handler callback ids */
  const listeners = new Map();
  let nextCallbackId = 1;

  /** @type {Map<string, { id: number, next: number }[]>} feed command → the channels it was given */
  const channels = new Map();
  /** What the shell sends over the channels of each feed command, by the name tests emit. */
  const FEEDS = { 'operation-updated': 'follow_operations', 'customer-view': 'follow_customer_view' };
  /**
   * @param {string} event
   * @param {unknown} payload
   */
  const emit = (event, payload) => {
    for (const handler of [...(listeners.get(event) ?? [])]) {
      callbacks.get(handler)?.({ event, id: handler, payload: JSON.parse(JSON.stringify(payload)) });
    }
    const feed = FEEDS[/** @type {keyof typeof FEEDS} */ (event)];
    for (const channel of feed ? (channels.get(feed) ?? []) : []) {
      callbacks.get(channel.id)?.({ message: JSON.parse(JSON.stringify(payload)), index: channel.next++ });
    }
  };
  const desk = makeDesk({ state: config.desk, catalog: config.engine.catalog });
  const engine = makeEngine(config.engine, { emit, appInfo: () => desk.info() });

  const w = /** @type {any} */ (window);
  w.__IPC_CALLS__ = calls;
  w.__EMIT__ = emit;
  w.__LISTENERS__ = listeners;
  // Tests may change failures at run time (e.g. let app_info succeed on "Réessayer").
  const fail = { ...config.fail };
  w.__IPC_FAIL__ = fail;
  /** @type {Record<string, Answer[]>} command → its next answers, oldest first */
  const answers = structuredClone(config.answers);
  w.__ANSWERS__ = {
    /** @param {string} cmd @param {Answer} answer */
    next(cmd, answer) {
      (answers[cmd] ??= []).push(answer);
    },
  };
  w.__TAURI_EVENT_PLUGIN_INTERNALS__ = {
    /**
     * @param {string} event
     * @param {number} id
     */
    unregisterListener(event, id) {
      listeners.set(event, (listeners.get(event) ?? []).filter((h) => h !== id));
      callbacks.delete(id);
    },
  };
  w.__TAURI_INTERNALS__ = {
    /**
     * @param {string} cmd
     * @param {Record<string, any>} [args]
     */
    async invoke(cmd, args = {}) {
      if (cmd.startsWith('plugin:event|')) {
        if (cmd === 'plugin:event|listen') {
          const handlers = listeners.get(args.event) ?? [];
          handlers.push(args.handler);
          listeners.set(args.event, handlers);
          return args.handler;
        }
        if (cmd === 'plugin:event|unlisten') {
          listeners.set(args.event, (listeners.get(args.event) ?? []).filter((h) => h !== args.eventId));
          return null;
        }
        if (cmd === 'plugin:event|emit') {
          emit(args.event, args.payload);
          return null;
        }
      }
      calls.push({ cmd, args: JSON.parse(JSON.stringify(args)) });
      // A feed command hands the shell a channel (`onUpdate`); a later page replaces it.
      if (Object.values(FEEDS).includes(cmd) && !fail[cmd]) {
        channels.set(cmd, [{ id: args.onUpdate.id, next: 0 }]);
        if (!answers[cmd]?.length) return null;
      }
      const failure = fail[cmd];
      if (failure) throw failure;
      const scripted = answers[cmd]?.shift();
      if (scripted) {
        if ('error' in scripted) throw JSON.parse(JSON.stringify(scripted.error));
        return JSON.parse(JSON.stringify(scripted.value));
      }
      return desk.handle(cmd, args, () => {
        const answer = engine.handle(cmd, args);
        if (answer !== undefined) return answer;
        throw {
          code: 'unknown_command',
          message: { fr: `Commande inconnue : ${cmd}`, en: `Unknown command: ${cmd}` },
        };
      });
    },
    /**
     * @param {(data: unknown) => unknown} callback
     * @param {boolean} [once]
     */
    transformCallback(callback, once = false) {
      const id = nextCallbackId++;
      callbacks.set(id, (data) => {
        if (once) callbacks.delete(id);
        return callback?.(data);
      });
      return id;
    },
    /** @param {number} id */
    unregisterCallback(id) {
      callbacks.delete(id);
    },
    /**
     * @param {number} id
     * @param {unknown} data
     */
    runCallback(id, data) {
      callbacks.get(id)?.(data);
    },
    callbacks,
    /**
     * @param {string} path
     * @param {string} [protocol]
     */
    convertFileSrc(path, protocol = 'asset') {
      return `http://${protocol}.localhost/${encodeURIComponent(path)}`;
    },
    metadata: {
      currentWindow: { label: 'main' },
      currentWebview: { windowLabel: 'main', label: 'main' },
    },
  };
}

/**
 * A new browser context (fresh storage) and page with the IPC mock installed.
 * @param {import('playwright-core').Browser} browser
 * @param {MockOptions & { viewport?: { width: number, height: number } }} [options]
 */
export async function openApp(browser, options = {}) {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1024, height: 768 },
    locale: 'fr-SN',
    timezoneId: 'Africa/Dakar',
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  /** @type {string[]} */
  const pageErrors = [];
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(msg.text());
  });
  const config = {
    desk: deskState(options),
    fail: options.fail ?? {},
    answers: options.answers ?? {},
    engine: {
      catalog: options.catalog ?? CATALOG,
      bills: options.bills ?? BILLS,
      ledger: options.ledger ?? [],
      prints: options.prints ?? {},
      token: TOKEN,
      stepDelay: options.stepDelay ?? 300,
    },
  };
  // Both functions run in the page: their source goes in as is (they use nothing from here).
  await page.addInitScript({
    content: `(${installTauriMock.toString()})(${JSON.stringify(config)}, ${installFakeEngine.toString()}, ${installFakeDesk.toString()});`,
  });
  return { context, page, pageErrors };
}

/**
 * Script the core's next answer to `cmd` (each answer is used once, in order).
 * @param {import('playwright-core').Page} page
 * @param {string} cmd
 * @param {...Answer} list
 */
export async function answerNext(page, cmd, ...list) {
  for (const answer of list) {
    await page.evaluate(([c, a]) => /** @type {any} */ (window).__ANSWERS__.next(c, a), /** @type {const} */ ([cmd, answer]));
  }
}

/**
 * The IPC calls the page made so far.
 * @param {import('playwright-core').Page} page
 * @returns {Promise<{ cmd: string, args: any }[]>}
 */
export function ipcCalls(page) {
  return page.evaluate(() => /** @type {any} */ (window).__IPC_CALLS__);
}

/**
 * @param {import('playwright-core').Page} page
 * @param {string} name file name under target/screenshots
 */
export async function screenshot(page, name) {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, name);
  await page.screenshot({ path });
  return path;
}

/**
 * Open the app on the home screen (tiles shown) with the fake engine.
 * @param {import('playwright-core').Browser} browser
 * @param {string} url
 * @param {MockOptions & { viewport?: { width: number, height: number }, now?: Date }} [options]
 */
export async function startApp(browser, url, options = {}) {
  const opened = await openApp(browser, options);
  if (options.now) await opened.page.clock.setFixedTime(options.now);
  await opened.page.goto(url);
  await opened.page.getByTestId('tile').first().waitFor();
  return opened;
}

/**
 * Text with the narrow no-break spaces of French amounts turned into plain spaces.
 * @param {string | null | undefined} text
 */
export function plain(text) {
  return (text ?? '').replace(/[\u202f\u00a0]/g, ' ').replace(/[ \t]+/g, ' ').trim();
}

/**
 * The id of the element that has focus, by its data-testid.
 * @param {import('playwright-core').Page} page
 */
export function focusedTestId(page) {
  return page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);
}

/**
 * Wait until the status panel shows `status`.
 * @param {import('playwright-core').Page} page
 * @param {string} status
 */
export async function waitStatus(page, status) {
  await page.locator(`[data-testid="status-panel"][data-status="${status}"]`).waitFor();
}

/**
 * The arguments of every call of `cmd` the page made, oldest first.
 * @param {import('playwright-core').Page} page
 * @param {string} cmd
 */
export async function callsOf(page, cmd) {
  return (await ipcCalls(page)).filter((/** @type {any} */ c) => c.cmd === cmd).map((/** @type {any} */ c) => c.args);
}
