// Hands-on exercises in the browser, with JavaScript off (form posts, then
// the page) and on (run in place, Ctrl+Enter): a SQL exercise from failing
// to passing, an HTTP exercise sent from the page and checked, and the
// lesson page counting what is solved.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, newPage, markDocument, stillSameDocument, createUser, signIn } from './helpers.js';

const PW = 'a long enough passphrase';
const SQL = '/lessons/databases/sql-essentials/exercises/unknown-country';
const HTTP = '/lessons/http-and-apis/http-messages/exercises/create-item';
const RIGHT = "SELECT id, name, email FROM customers\nWHERE country IS NULL AND created_at >= '2024-01-01' AND created_at < '2025-01-01';";
const app = useApp({
  setup: (server) => {
    createUser(server, { email: 'lab-js@example.com', name: 'Lab JS', password: PW });
    createUser(server, { email: 'lab-nojs@example.com', name: 'Lab NoJS', password: PW });
  },
});

// Submits the exercise form with `button` (or Ctrl+Enter) and returns the
// result panel: in place with JavaScript, on the next page without.
async function submit(page, javaScript, button, { keyboard = false } = {}) {
  const click = () => keyboard
    ? page.focus('#answer').then(() => page.keyboard.press('Control+Enter'))
    : page.click(`.exercise-form button[value="${button}"]`);
  if (javaScript) {
    await page.evaluate(() => { document.querySelector('.live-result').innerHTML = ''; });
    await click();
    await page.locator('.live-result .run-result').waitFor();
    return page.locator('.live-result .run-result');
  }
  await Promise.all([page.waitForNavigation(), click()]);
  return page.locator('.last-run .run-result');
}

async function run(page, javaScript, sql, options = {}) {
  await page.fill('#answer', sql);
  return submit(page, javaScript, 'run', options);
}

for (const javaScript of [false, true]) {
  const mode = javaScript ? 'JS on' : 'JS off';
  test(`a SQL exercise from a wrong answer to a pass (${mode})`, async () => {
    const { context, page, errors } = await newPage(app.browser, { javaScript });
    await signIn(page, app.server.base, javaScript ? 'lab-js@example.com' : 'lab-nojs@example.com', PW);
    // The lesson shows the exercise card, which leads to the exercise.
    await page.goto(app.server.base + '/lessons/databases/sql-essentials');
    await page.click('#exercise-unknown-country a');
    await page.waitForLoadState('load');
    assert.equal(new URL(page.url()).pathname, SQL);
    assert.match(await page.textContent('h1'), /Customers with no country/);
    const html = await page.content();
    assert.doesNotMatch(html, /country IS NULL\s+AND created_at/, 'no solution before a pass');
    if (javaScript) await page.waitForLoadState('networkidle');
    await markDocument(page);
    let panel = await run(page, javaScript, 'SELECT id, name, email FROM customers WHERE country IS NULL');
    assert.match(await panel.textContent(), /Not yet/);
    assert.match(await panel.textContent(), /rows; the expected result has \d+ rows?\./);
    assert.ok((await panel.locator('tbody tr').count()) > 0, 'the learner sees their rows');
    panel = await run(page, javaScript, "SELECT nme FROM customers");
    assert.match(await panel.textContent(), /no such column: nme/);
    panel = await run(page, javaScript, RIGHT, { keyboard: javaScript });
    assert.match(await panel.textContent(), /Passed/);
    if (javaScript) {
      assert.equal(await stillSameDocument(page), true, 'ran in place');
    } else {
      assert.equal(new URL(page.url()).hash, '#result');
      assert.match(await page.textContent('.solution'), /country IS NULL/, 'the solution after a pass');
      assert.match(await page.textContent('.exercise-status'), /Solved/);
    }
    await page.goto(app.server.base + '/lessons/databases/sql-essentials');
    assert.match(await page.textContent('.lesson-progress'), /Exercises: 1 of \d+ solved\./);
    await page.goto(app.server.base + '/dashboard');
    assert.match(await page.textContent('#practice'), /SQL essentials|1 of/);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test(`an HTTP exercise sent from the page and checked (${mode})`, async () => {
    const { context, page, errors } = await newPage(app.browser, { javaScript });
    await signIn(page, app.server.base, javaScript ? 'lab-js@example.com' : 'lab-nojs@example.com', PW);
    await page.goto(app.server.base + HTTP);
    const base = (await page.textContent('.lab code')).trim();
    assert.match(base, /^http:\/\/127\.0\.0\.1:\d+\/lab\/[0-9a-f]{32}$/);
    if (javaScript) await page.waitForLoadState('networkidle');
    const send = async (raw, button) => {
      await page.fill('#answer', raw);
      return (await submit(page, javaScript, button)).textContent();
    };
    let text = await send('POST /items HTTP/1.1\nContent-Type: application/json\n\n{"name": "notebook", "quantity": 5}', 'send');
    assert.match(text, /HTTP\/1\.1 201 Created/);
    const id = text.match(/location: \/lab\/[0-9a-f]+\/items\/(\d+)/i)[1];
    text = await send(`GET /items/${id} HTTP/1.1`, 'send');
    assert.match(text, /HTTP\/1\.1 200 OK/);
    text = await send('', 'check');
    assert.match(text, /Passed/);
    // The learner's own client reaches the same lab.
    const resp = await fetch(`${base}/items/${id}`);
    assert.equal(resp.status, 200);
    assert.equal((await resp.json()).name, 'notebook');
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('a visitor reads an exercise and is asked to sign in to run it', async () => {
  const { context, page } = await newPage(app.browser, { javaScript: false });
  await page.goto(app.server.base + SQL);
  assert.match(await page.textContent('.exercise'), /Sign in to run this exercise/);
  assert.equal(await page.locator('#answer').count(), 0);
  await context.close();
});
