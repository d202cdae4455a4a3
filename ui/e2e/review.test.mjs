// « À vérifier »: the header's count, the manager's queue with its evidence, and settling one with
// a note and the PIN again. What the core answers (the list, the count, a wrong PIN, a refused
// note, the settlement) each test scripts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { answer, noteRequired, wrongPin } from './core-answers.mjs';
import { reviewItem } from './fixtures.mjs';
import { answerNext, callsOf, focusedTestId, launchBrowser, plain, screenshot, serveDist, startApp } from './harness.mjs';

/** @type {import('playwright-core').Browser} */
let browser;
/** @type {{ url: string, close: () => Promise<void> }} */
let server;

before(async () => {
  server = await serveDist();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const FIRST = '01937a3c-0000-7000-8000-000000000001';
const SECOND = '01937a3c-0000-7000-8000-000000000002';
const QUEUE = [reviewItem(FIRST, 5000, '77 123 45 68'), reviewItem(SECOND, 12500, '76 987 65 43')];

describe('review queue', () => {
  test('the header counts what waits; a cashier sees the count only', async () => {
    const { context, page, pageErrors } = await startApp(browser, server.url, {
      desk: { signedIn: 'Moussa Fall', review: QUEUE },
    });
    try {
      const badge = page.getByTestId('header-review');
      await badge.waitFor();
      assert.equal(await badge.getAttribute('data-count'), '2');
      assert.equal(await page.getByTestId('review-badge').textContent(), '2');
      assert.equal(await badge.evaluate((el) => el.tagName), 'SPAN', 'not a button for a cashier');
      assert.match(plain(await badge.getAttribute('title')), /2 opération\(s\) à vérifier/);
      assert.deepEqual(await callsOf(page, 'review_list'), [], 'a cashier never asks for the list');
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('a manager opens the queue from the header, reads the evidence and settles one with a note and the PIN', async () => {
    const { context, page, pageErrors } = await startApp(browser, server.url, { desk: { review: QUEUE } });
    try {
      const button = page.getByTestId('header-review');
      await page.locator('[data-testid="header-review"][data-count="2"]').waitFor();
      // The header still fits at 1024 px: « Verrouiller » is whole and on screen.
      const lock = await page.getByTestId('lock-button').boundingBox();
      assert.ok(lock && lock.x + lock.width <= 1024, `lock button at ${JSON.stringify(lock)}`);
      assert.equal(plain(await page.getByTestId('lock-button').textContent()), 'Verrouiller');
      await screenshot(page, 'ui-review-header.png');

      await button.click();
      await page.getByTestId('screen-review').waitFor();
      const items = page.getByTestId('review-item');
      await items.nth(1).waitFor();
      assert.equal(await items.count(), 2);
      const first = items.first();
      assert.equal(plain(await first.getByTestId('review-amount').textContent()), '5 000 FCFA');
      assert.match(plain(await first.getByTestId('review-reason').textContent()), /payer deux fois/);
      assert.equal(await first.getByTestId('review-reason').getAttribute('data-code'), 'no_lookup_no_resend');
      // The first « Réussie » has the focus: the manager works from the keyboard.
      assert.equal(await focusedTestId(page), 'review-success');
      // Two wait: the evidence starts closed, and its summary says what it holds.
      assert.equal(await first.locator('details.evidence').getAttribute('open'), null);
      assert.match(plain(await first.getByTestId('review-evidence-toggle').textContent()), /\(4 étape\(s\), 1 réponse\(s\)\)/);
      await first.locator('summary').click();
      assert.equal(await first.getByTestId('review-timeline').locator('li').count(), 4);
      assert.match(plain(await first.getByTestId('review-answer').textContent()), /timeout/);
      await screenshot(page, 'ui-review-list.png');

      // « Réussie » by keyboard: the note is asked first; an empty one is refused at once.
      await first.getByTestId('review-success').focus();
      await page.keyboard.press('Enter');
      await page.locator('[data-testid="review-form"][data-outcome="success"]').waitFor();
      assert.equal(await focusedTestId(page), 'review-note');
      await page.keyboard.press('Enter');
      await page.getByTestId('review-note-error').waitFor();
      assert.equal(await page.getByTestId('review-pin-dialog').count(), 0);

      await page.keyboard.type('Vu payé dans l\'espace EasyTransfert, réf. ET-77');
      await page.keyboard.press('Enter');
      await page.getByTestId('review-pin-dialog').waitFor();
      assert.match(plain(await page.getByTestId('review-pin-dialog').textContent()), /5 000 FCFA · 77 123 45 68/);

      // A wrong PIN: the core's words, the dialog stays for another try.
      await answerNext(page, 'settle_review', wrongPin(4));
      await page.keyboard.type('0000');
      await page.keyboard.press('Enter');
      await page.getByTestId('review-pin-message').getByText('Encore 4 essai(s)').waitFor();
      await screenshot(page, 'ui-review-pin.png');

      // The right PIN: settled; the list and the header's count come back from the core, which
      // now has one left.
      await answerNext(page, 'settle_review', answer({ ...QUEUE[0].operation, status: 'success' }));
      await page.evaluate((left) => /** @type {any} */ (window).__DESK__.setReview(left), [QUEUE[1]]);
      await page.keyboard.type('2468');
      await page.keyboard.press('Enter');
      await page.getByTestId('review-done').getByText('Opération enregistrée comme réussie.').waitFor();
      await page.getByTestId('review-pin-dialog').waitFor({ state: 'detached' });
      await page.locator('[data-testid="review-item"]').nth(1).waitFor({ state: 'detached' });
      assert.equal(await page.getByTestId('review-item').getAttribute('data-id'), SECOND);
      await page.locator('[data-testid="header-review"][data-count="1"]').waitFor();
      assert.equal(await focusedTestId(page), 'review-success');

      const settled = await callsOf(page, 'settle_review');
      assert.deepEqual(settled, [
        { id: FIRST, outcome: 'success', note: 'Vu payé dans l\'espace EasyTransfert, réf. ET-77', pin: '0000' },
        { id: FIRST, outcome: 'success', note: 'Vu payé dans l\'espace EasyTransfert, réf. ET-77', pin: '2468' },
      ]);
      await screenshot(page, 'ui-review-settled.png');

      // Esc goes home.
      await page.keyboard.press('Escape');
      await page.getByTestId('tile').first().waitFor();
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('« Échouée »: a note the core refuses is shown at the note; Esc cancels the settlement, then goes home', async () => {
    const { context, page, pageErrors } = await startApp(browser, server.url, { desk: { review: [QUEUE[1]] } });
    try {
      await page.getByTestId('header-review').click();
      await page.getByTestId('review-item').waitFor();
      await page.getByTestId('review-failed').click();
      await page.getByTestId('review-note').fill('Absent du relevé');
      await page.getByTestId('review-validate').click();
      await page.getByTestId('review-pin-dialog').waitFor();
      await answerNext(page, 'settle_review', noteRequired);
      await page.getByTestId('review-pin').fill('2468');
      await page.getByTestId('review-pin-confirm').click();
      const status = page.getByTestId('review-status');
      await status.waitFor();
      assert.equal(await status.getAttribute('data-code'), 'invalid_setting');
      assert.match(plain(await status.textContent()), /La note est obligatoire/);
      assert.equal(await page.getByTestId('review-pin-dialog').count(), 0);
      assert.equal(await focusedTestId(page), 'review-note');
      assert.deepEqual(await callsOf(page, 'settle_review'), [
        { id: SECOND, outcome: 'failed', note: 'Absent du relevé', pin: '2468' },
      ]);

      await page.keyboard.press('Escape');
      await page.getByTestId('review-form').waitFor({ state: 'detached' });
      assert.equal(await focusedTestId(page), 'review-success');
      await page.keyboard.press('Escape');
      await page.getByTestId('tile').first().waitFor();
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('nothing to review: the manager still reaches the screen, which says so', async () => {
    const { context, page, pageErrors } = await startApp(browser, server.url, { appInfo: { language: 'en' } });
    try {
      const button = page.getByTestId('header-review');
      await button.waitFor();
      assert.equal(await button.getAttribute('data-count'), '0');
      assert.equal(await page.getByTestId('review-badge').count(), 0);
      await button.click();
      await page.getByTestId('review-empty').getByText('No operation to review.').waitFor();
      assert.equal(plain(await page.locator('#screen-title').textContent()), 'To review');
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });
});
