// Take a lesson's quiz with JavaScript off and on; nothing of the key is in
// the page before submitting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, newPage, markDocument, stillSameDocument, createUser, signIn } from './helpers.js';

const PW = 'a long enough passphrase';
const app = useApp({
  setup: (server) => {
    createUser(server, { email: 'quiz-js@example.com', name: 'Quiz JS', password: PW });
    createUser(server, { email: 'quiz-nojs@example.com', name: 'Quiz NoJS', password: PW });
  },
});

async function answerEverything(page) {
  // Pick the first option of each question and type something into text boxes.
  for (const fieldset of await page.locator('.quiz-form fieldset').all()) {
    const radio = fieldset.locator('input[type="radio"], input[type="checkbox"]').first();
    if (await radio.count()) await radio.check();
    const text = fieldset.locator('input[type="text"]').first();
    if (await text.count()) await text.fill('42');
    for (const select of await fieldset.locator('select').all()) {
      await select.selectOption({ index: 1 });
    }
  }
}

for (const javaScript of [false, true]) {
  const mode = javaScript ? 'JS on' : 'JS off';
  test(`take a quiz and get a score with feedback (${mode})`, async () => {
    const { context, page, errors } = await newPage(app.browser, { javaScript });
    await signIn(page, app.server.base, javaScript ? 'quiz-js@example.com' : 'quiz-nojs@example.com', PW);
    await page.goto(app.server.base + '/lessons');
    await page.locator('.lesson-list a').first().click();
    await page.waitForLoadState('load');
    assert.ok((await page.locator('.quiz-form fieldset').count()) >= 3, 'the lesson ends with a quiz');
    const html = await page.content();
    assert.doesNotMatch(html, /fraction|####/);
    if (javaScript) await page.waitForLoadState('networkidle');
    const before = page.url();
    await markDocument(page);
    await answerEverything(page);
    await page.click('.quiz-form button[type="submit"]');
    await page.locator('.quiz-result h2').waitFor();
    assert.match(await page.textContent('.quiz-result h2'), /Your score: \d+ %/);
    assert.ok((await page.locator('.quiz-result .result').count()) >= 3);
    assert.match(await page.textContent('.quiz-result'), /Right answer:/);
    if (javaScript) {
      assert.equal(await stillSameDocument(page), true, 'graded without a page load');
      assert.notEqual(page.url(), before, 'the address follows the stored attempt');
    } else {
      assert.match(page.url(), /\/quiz\/attempts\/\d+$/);
    }
    await page.goto(app.server.base + '/dashboard');
    assert.match(await page.textContent('table.scores'), /\d+ %/);
    assert.deepEqual(errors, []);
    await context.close();
  });
}
