// One sale of each kind through the real window's wizards (as operations.test.mjs drives them),
// against a guichet-sandbox process; a network receipt printer played by a TCP listener; and
// guichetctl's JSON. Shared by day.test.mjs and crash.test.mjs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { byId, type } from './driver.mjs';

/** guichetctl on `dataDir`; the whole spawnSync result (any exit code). */
export function run(dataDir, args, input = '') {
  return spawnSync(process.env.GUICHETCTL, ['--data-dir', dataDir, ...args], { encoding: 'utf8', input });
}

/** guichetctl's JSON output, exit 0 required. */
export function json(dataDir, args) {
  const out = run(dataDir, args);
  assert.equal(out.status, 0, `${args.join(' ')}: ${out.stdout}\n${out.stderr}`);
  return JSON.parse(out.stdout);
}

/** Waits for the status panel to show `status` (the engine's events drive it). */
export async function waitStatus(browser, status, timeout = 30000) {
  await browser.$(`[data-testid="status-panel"][data-status="${status}"]`).waitForDisplayed({
    timeout,
    timeoutMsg: `status never became ${status}`,
  });
}

/** The operation the outcome screen shows (its ledger id). */
async function outcomeId(browser) {
  const outcome = await byId(browser, 'outcome');
  await outcome.waitForDisplayed({ timeout: 15000 });
  const id = await outcome.getAttribute('data-operation');
  assert.ok(id, 'the outcome names its operation');
  return id;
}

/** Back to the home screen from an operation's outcome. */
export async function home(browser) {
  await byId(browser, 'home').click();
  await byId(browser, 'tile').waitForDisplayed({ timeout: 15000 });
}

/** Airtime, Orange 77 123 45 67, `amount` F; waits for its success; returns the operation's id. */
export async function sellAirtime(browser, amount = 1000) {
  await sendAirtime(browser, amount);
  await waitStatus(browser, 'success');
  return outcomeId(browser);
}

/** The airtime of `sellAirtime`, up to the cashier's last Enter (it is then being sent). */
export async function sendAirtime(browser, amount = 1000) {
  await browser.keys(['3']);
  await byId(browser, 'phone-input').waitForDisplayed({ timeout: 5000 });
  await type(browser, '771234567');
  await browser.keys(['Enter']);
  await amountThenConfirm(browser, amount);
}

/** The wizards' last two steps: the amount, then the confirmation (sent on its Enter). */
async function amountThenConfirm(browser, amount) {
  await byId(browser, 'amount-input').waitForDisplayed({ timeout: 5000 });
  await type(browser, String(amount));
  await browser.keys(['Enter']);
  await byId(browser, 'confirm-summary').waitForDisplayed({ timeout: 5000 });
  await browser.keys(['Enter']);
}

/** Woyofal, the vendor's example meter, 2 000 F; waits for the token. */
export async function sellWoyofal(browser) {
  await browser.keys(['2']);
  await byId(browser, 'meter-input').waitForDisplayed({ timeout: 5000 });
  await type(browser, '07061270877');
  await browser.keys(['Enter']);
  await byId(browser, 'meter-details').waitForDisplayed({ timeout: 15000 });
  await type(browser, '2000');
  await browser.keys(['Enter']);
  await byId(browser, 'confirm-summary').waitForDisplayed({ timeout: 5000 });
  await browser.keys(['Enter']);
  await waitStatus(browser, 'success');
  await byId(browser, 'token-digits').waitForDisplayed({ timeout: 5000 });
  return outcomeId(browser);
}

/** The Senelec bill of reference 210278816 (104 500 F + 1 045 F fee). */
export async function payBill(browser) {
  await browser.keys(['1']);
  await byId(browser, 'bill-services').waitForDisplayed({ timeout: 5000 });
  const services = await byId(browser, 'bill-services').getText();
  await browser.keys([services.indexOf('Senelec') < services.indexOf('SenEau') ? '1' : '2']);
  await byId(browser, 'reference-input').waitForDisplayed({ timeout: 5000 });
  await type(browser, '210278816');
  await browser.keys(['Enter']);
  await byId(browser, 'bills-list').waitForDisplayed({ timeout: 15000 });
  await browser.keys(['Enter']);
  await byId(browser, 'confirm-summary').waitForDisplayed({ timeout: 5000 });
  await browser.keys(['Enter']);
  await waitStatus(browser, 'success');
  return outcomeId(browser);
}

/** Country Sénégal (first, focused), then `service` on the collect/payout wizard. */
async function pickService(browser, screen, service) {
  await byId(browser, screen).waitForDisplayed({ timeout: 5000 });
  await browser.keys(['Enter']);
  const choice = browser.$(`[data-choice="${service}"]`);
  await choice.waitForDisplayed({ timeout: 5000 });
  await choice.click();
  await byId(browser, 'phone-input').waitForDisplayed({ timeout: 5000 });
}

/** A payout (cash-in to a wallet): Wave Sénégal, 77 123 45 68, 3 000 F; waits for its success. */
export async function sellPayout(browser) {
  await sendPayout(browser);
  // EASYTRANSFERT is polled gently (15 s between status calls): the final state comes later.
  await waitStatus(browser, 'success', 90000);
  return outcomeId(browser);
}

/**
 * A payout to 77 123 45 68 with `service` (Wave by EASYTRANSFERT unless told) of `amount` F,
 * up to the cashier's last Enter (it is then being sent).
 */
export async function sendPayout(browser, { service = 'EASYTRANSFERT_20', amount = 3000 } = {}) {
  await browser.keys(['6']);
  await pickService(browser, 'screen-payout', service);
  await type(browser, '771234568');
  await browser.keys(['Enter']);
  await amountThenConfirm(browser, amount);
}

/** A collection with the customer's OTP: Orange Money Sénégal, 77 123 45 67, 5 000 F. */
export async function sellCollection(browser) {
  await browser.keys(['5']);
  await pickService(browser, 'screen-collect', 'EASYTRANSFERT_23');
  await type(browser, '771234567');
  await browser.keys(['Enter']);
  await byId(browser, 'amount-input').waitForDisplayed({ timeout: 5000 });
  await type(browser, '5000');
  await browser.keys(['Enter']);
  await byId(browser, 'otp-instructions').waitForDisplayed({ timeout: 5000 });
  await type(browser, '482913');
  await browser.keys(['Enter']);
  await byId(browser, 'confirm-summary').waitForDisplayed({ timeout: 5000 });
  await browser.keys(['Enter']);
  await waitStatus(browser, 'success', 90000);
  return outcomeId(browser);
}

/**
 * A payment link for `item` at `price` F; waits for its QR and the pending status. Returns its
 * id; the customer pays it with `payLink`.
 */
export async function createLink(browser, item, price) {
  await browser.keys(['4']);
  await byId(browser, 'item-input').waitForDisplayed({ timeout: 5000 });
  await type(browser, item);
  await browser.keys(['Enter']);
  await byId(browser, 'amount-input').waitForDisplayed({ timeout: 5000 });
  await type(browser, String(price));
  await browser.keys(['Enter']);
  await browser.$('[data-testid="qr"] svg').waitForExist({ timeout: 15000, timeoutMsg: 'no QR drawn' });
  await waitStatus(browser, 'pending');
  return outcomeId(browser);
}

/** The transactions `provider` recorded for `amount`, as the sandbox's admin API lists them. */
export async function sandboxRecords(sandbox, provider, amount) {
  const txs = await (await fetch(`${sandbox.url}/__sandbox/transactions?provider=${provider}`)).json();
  return (Array.isArray(txs) ? txs : txs.transactions).filter((t) => t.amount === amount && t.provider_id);
}

/** The sandbox's own record of the DEXCHANGE payment link of `price` (what the provider says). */
export async function sandboxLink(sandbox, price) {
  const links = await sandboxRecords(sandbox, 'dexchange', price);
  assert.equal(links.length, 1, `one link of ${price} at the sandbox: ${JSON.stringify(links)}`);
  return links[0];
}

/** The customer pays the link of `price` (the sandbox's admin API plays the customer). */
export async function payLink(sandbox, price) {
  const link = await sandboxLink(sandbox, price);
  assert.equal(link.native_status, 'PENDING');
  const paid = await fetch(`${sandbox.url}/__sandbox/links/${link.provider_id}/pay`, { method: 'POST' });
  assert.ok(paid.ok, `pay link: ${paid.status}`);
}

/** Characters 0x80..0xFF of code page PC858 (the table of crates/guichet-core/src/printer/pc858.rs). */
const PC858_HIGH = [
  'ÇüéâäàåçêëèïîìÄÅ',
  'ÉæÆôöòûùÿÖÜø£Ø×ƒ',
  'áíóúñÑªº¿®¬½¼¡«»',
  '░▒▓│┤ÁÂÀ©╣║╗╝¢¥┐',
  '└┴┬├─┼ãÃ╚╔╩╦╠═╬¤',
  'ðÐÊËÈ€ÍÎÏ┘┌█▄¦Ì▀',
  'ÓßÔÒõÕµþÞÚÛÙýÝ¯´',
  '\u00AD±‗¾¶§÷¸°¨·¹³²■\u00A0',
].join('');

/**
 * What a receipt printer would print from these ESC/POS bytes: the lines of text, and whether
 * the paper was cut. Knows the commands `printer::escpos_bytes` sends (ESC @, ESC t, ESC a,
 * ESC E, ESC d, GS !, GS V A); any other control byte fails the test.
 */
export function escposLines(bytes) {
  const lines = [];
  let line = '';
  let cut = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x1b) {
      const cmd = String.fromCharCode(bytes[i + 1]);
      if (cmd === '@') i += 1;
      else if ('taE'.includes(cmd)) i += 2;
      else if (cmd === 'd') {
        for (let n = 0; n < bytes[i + 2]; n++) {
          lines.push(line);
          line = '';
        }
        i += 2;
      } else throw new Error(`unexpected ESC ${cmd} at ${i}`);
    } else if (b === 0x1d) {
      const cmd = String.fromCharCode(bytes[i + 1]);
      if (cmd === '!') i += 2;
      else if (cmd === 'V' && bytes[i + 2] === 0x41) {
        cut = true;
        i += 3;
      } else throw new Error(`unexpected GS ${cmd} at ${i}`);
    } else if (b < 0x20 || b === 0x7f) {
      throw new Error(`unexpected control byte ${b} at ${i}`);
    } else {
      line += b < 0x80 ? String.fromCharCode(b) : PC858_HIGH[b - 0x80];
    }
  }
  if (line !== '') lines.push(line);
  return { lines, cut };
}

/**
 * A network receipt printer: a TCP listener on loopback. `port`; `next()` resolves to the
 * bytes of the next print job (a connection, read until the paper is cut or it closes).
 */
export async function startPrinter() {
  const jobs = [];
  const waiting = [];
  const server = net.createServer((socket) => {
    const chunks = [];
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      const bytes = Buffer.concat(chunks);
      const w = waiting.shift();
      if (w) w(bytes);
      else jobs.push(bytes);
    };
    socket.on('data', (c) => {
      chunks.push(c);
      const all = Buffer.concat(chunks);
      // GS V A 0: the full cut ends every job.
      if (all.length >= 4 && all.subarray(-4).equals(Buffer.from([0x1d, 0x56, 0x41, 0x00]))) finish();
    });
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', () => {});
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    next: (ms = 15000) =>
      jobs.length > 0
        ? Promise.resolve(jobs.shift())
        : new Promise((resolve, reject) => {
            const take = (bytes) => {
              clearTimeout(timer);
              resolve(bytes);
            };
            const timer = setTimeout(() => {
              waiting.splice(waiting.indexOf(take), 1);
              reject(new Error('nothing printed'));
            }, ms);
            waiting.push(take);
          }),
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** Amount in francs as the reports write it (`104 500 FCFA`). */
export function francs(minor) {
  const sign = minor < 0 ? '-' : '';
  return `${sign}${String(Math.abs(minor)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ')} FCFA`;
}

/** Polls `check` (sync or async) until it returns a truthy value, which it returns; fails after `ms`. */
export async function eventually(check, ms, what) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
