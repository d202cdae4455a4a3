// Starts tauri-driver and opens a WebDriver session on the real Guichet window.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { remote } from 'webdriverio';

/** A free TCP port on loopback. */
async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** Waits until something accepts connections on the port. */
async function waitForPort(port, ms = 20000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.end(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`tauri-driver did not listen on ${port}`);
}

/** The manager every pre-set-up till gets (see `setUp`). */
export const MANAGER = { name: 'Awa Ndiaye', pin: '2580' };

/**
 * Sets a fresh data dir up as an installer would, with `guichetctl setup` (shop "Boutique Awa",
 * manager MANAGER, training mode), so tests that are not about the first run skip the wizard.
 */
export function setUp(dataDir = mkdtempSync(join(tmpdir(), 'guichet-window-'))) {
  const ctl = process.env.GUICHETCTL;
  if (!ctl) throw new Error('GUICHETCTL is not set: run tests/window/run.sh');
  const out = spawnSync(ctl, ['--data-dir', dataDir, 'setup', '--shop', 'Boutique Awa', '--manager', MANAGER.name], {
    input: `${MANAGER.pin}\n`,
    encoding: 'utf8',
  });
  if (out.status !== 0) throw new Error(`guichetctl setup failed: ${out.stderr}`);
  return dataDir;
}

/** Runs guichetctl on a data dir and returns its stdout (throws on a non-zero exit). */
export function ctl(dataDir, args) {
  const out = spawnSync(process.env.GUICHETCTL, ['--data-dir', dataDir, ...args], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`guichetctl ${args.join(' ')}: ${out.status} ${out.stderr}`);
  return out.stdout;
}

/**
 * Launches the app in a fresh data dir (or `dataDir`) and returns { browser, dataDir, stop }.
 * Extra environment for the app goes through tauri-driver, which passes its own on.
 */
export async function launch({ dataDir, env = {} } = {}) {
  const app = process.env.GUICHET_APP;
  if (!app) throw new Error('GUICHET_APP is not set: run tests/window/run.sh');
  dataDir ??= mkdtempSync(join(tmpdir(), 'guichet-window-'));
  const port = await freePort();
  const nativePort = await freePort();
  const driver = spawn('tauri-driver', ['--port', String(port), '--native-port', String(nativePort)], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, GUICHET_DATA_DIR: dataDir, ...env },
  });
  await waitForPort(port);
  // A session that never starts (the app died at launch) must not leave tauri-driver holding
  // the test run open.
  const browser = await remote({
    hostname: '127.0.0.1',
    port,
    logLevel: 'error',
    connectionRetryTimeout: 60000,
    capabilities: {
      // WebKitWebDriver speaks classic WebDriver only (no BiDi).
      'wdio:enforceWebDriverClassic': true,
      'tauri:options': { application: app },
    },
  }).catch(async (err) => {
    driver.kill();
    await endApp(app);
    throw err;
  });
  const stop = async () => {
    try { await browser.deleteSession(); } catch { /* the window may already be gone */ }
    driver.kill();
    // Closing the WebDriver session destroys the webview but may leave the app running, and the
    // next launch would then only focus it (single instance): end it before the next test.
    await endApp(app);
  };
  return { browser, dataDir, stop };
}

/** Ends every process running the app binary under test and waits until they are gone. */
async function endApp(app) {
  const running = () => spawnSync('pgrep', ['-f', app]).status === 0;
  if (!running()) return;
  spawnSync('pkill', ['-TERM', '-f', app]);
  const gone = async (ms) => {
    const end = Date.now() + ms;
    while (running() && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    return !running();
  };
  if (await gone(5000)) return;
  spawnSync('pkill', ['-KILL', '-f', app]);
  // The next launch must not find this one still on the session bus (single instance).
  await gone(5000);
}

/** Saves a screenshot of the real window under target/screenshots/. */
export async function screenshot(browser, name) {
  const dir = process.env.GUICHET_SCREENSHOTS ?? '.';
  const file = join(dir, `${name}.png`);
  await browser.saveScreenshot(file);
  return file;
}

/** The element with this data-testid. */
export const byId = (browser, id) => browser.$(`[data-testid="${id}"]`);

/**
 * Types text into the focused field, as a cashier on the keyboard. (Element Send Keys: the
 * key-action path drops the second of two identical keys in a row with WebKitWebDriver.)
 */
export async function type(browser, text) {
  const focused = await browser.$(await browser.getActiveElement());
  await focused.addValue(text);
}

/** Replaces the value of the field with this data-testid. */
export async function fill(browser, id, text) {
  const field = await byId(browser, id);
  await field.waitForDisplayed({ timeout: 10000 });
  await field.click();
  await field.clearValue();
  await field.addValue(text);
}

/** Signs `who` in on the login screen with their PIN, then waits for the home screen. */
export async function signIn(browser, who = MANAGER) {
  await byId(browser, 'login-screen').waitForDisplayed({ timeout: 20000 });
  const pick = await browser.$(`[data-testid="login-operator"][data-name="${who.name}"]`);
  await pick.waitForDisplayed({ timeout: 5000 });
  await pick.click();
  await fill(browser, 'login-pin', who.pin);
  await byId(browser, 'login-submit').click();
  await byId(browser, 'tile').waitForDisplayed({ timeout: 15000 });
}

/** A till set up by `guichetctl setup`, opened and signed in as the manager. */
export async function launchSignedIn({ env = {}, who = MANAGER } = {}) {
  const session = await launch({ dataDir: setUp(), env });
  await signIn(session.browser, who);
  return session;
}

/** The visible text of the page plus every field's value: what a screenshot could show. */
export async function shownText(browser) {
  return browser.execute(() => {
    const values = [...document.querySelectorAll('input, textarea, select')].map((e) => e.value);
    return encodeURIComponent([document.body.innerText, ...values].join('\n'));
  }).then(decodeURIComponent);
}

/**
 * Starts target/debug/guichet-sandbox on an ephemeral loopback port, with fast approvals and
 * `args` (credentials…); returns { url, stop }.
 */
export async function startSandbox(args = []) {
  const bin = join(process.env.GUICHET_APP, '..', '..', 'debug', 'guichet-sandbox');
  const child = spawn(bin, ['--listen', '127.0.0.1:0', '--approve-after-ms', '500', '--settle-after-ms', '500', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const [first] = await once(lines, 'line');
  const url = /listening on (http:\/\/\S+)/.exec(first)?.[1];
  if (!url) throw new Error(`unexpected first line: ${first}`);
  lines.on('line', () => {});
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/**
 * Clicks the button with this data-testid until the page shows it was taken (`taken()` true, or
 * the button disabled while it works). A click WebDriver reports done but the page never saw
 * was seen once in CI (no command reached the core); it is clicked again then, and the log says so.
 */
export async function clickTaken(browser, id, taken, ms = 5000) {
  const button = await byId(browser, id);
  for (let attempt = 1; ; attempt += 1) {
    await button.click();
    const seen = await browser
      .waitUntil(async () => (await taken()) || !(await button.isEnabled()), { timeout: ms, interval: 100 })
      .then(() => true, () => false);
    if (seen) return;
    if (attempt === 2) throw new Error(`${id}: two clicks, none taken by the page (button says "${await button.getText()}")`);
    console.log(`# ${id}: the click was not taken by the page; clicking again`);
  }
}

/** Types the manager's PIN in the "PIN again" dialog a sensitive change opens, and confirms. */
export async function confirmPin(browser, pin = MANAGER.pin) {
  await byId(browser, 'reauth-pin-dialog').waitForDisplayed({ timeout: 10000, timeoutMsg: 'the PIN was not asked again' });
  await fill(browser, 'reauth-pin', pin);
  await byId(browser, 'reauth-pin-confirm').click();
  await byId(browser, 'reauth-pin-dialog').waitForDisplayed({ reverse: true, timeout: 10000 });
}

/**
 * The manager adds an operator in Réglages › Opérateurs (Réglages stays open). The first
 * sensitive change of a session asks the PIN again: `pinAsked` says whether to expect it.
 */
export async function addOperator(browser, who, { pinAsked = true } = {}) {
  await byId(browser, 'header-settings').click();
  await byId(browser, 'settings-tab-operators').click();
  await fill(browser, 'operator-add-name', who.name);
  await fill(browser, 'operator-add-pin', who.pin);
  await fill(browser, 'operator-add-pin-confirm', who.pin);
  await byId(browser, 'operator-add-save').click();
  if (pinAsked) await confirmPin(browser);
  await browser.$(`[data-testid="operator-row"][data-name="${who.name}"]`).waitForDisplayed({ timeout: 10000 });
}

/** Invokes a command through the page's Tauri IPC; resolves to { ok, value } or { ok, error }. */
export async function invoke(browser, cmd, args = {}) {
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
