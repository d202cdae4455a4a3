// Starts tauri-driver and opens a WebDriver session on the real Guichet window.
import { spawn } from 'node:child_process';
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
  });
  const stop = async () => {
    try { await browser.deleteSession(); } catch { /* the window may already be gone */ }
    driver.kill();
  };
  return { browser, dataDir, stop };
}

/** Saves a screenshot of the real window under target/screenshots/. */
export async function screenshot(browser, name) {
  const dir = process.env.GUICHET_SCREENSHOTS ?? '.';
  const file = join(dir, `${name}.png`);
  await browser.saveScreenshot(file);
  return file;
}
