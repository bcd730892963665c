// Marking lessons complete moves the bars (JS off and on); an instructor's
// cohort sees the learner, and the CSV holds the completion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, newPage, createUser, signIn } from './helpers.js';

const PW = 'a long enough passphrase';
const app = useApp({
  setup: (server) => {
    createUser(server, { email: 'teacher@example.com', name: 'Tess Teacher', role: 'instructor', password: PW });
    createUser(server, { email: 'nojs@example.com', name: 'No Script', password: PW });
    createUser(server, { email: 'js@example.com', name: 'With Script', password: PW });
  },
});

async function overall(page) {
  await page.goto(app.server.base + '/dashboard');
  return (await page.locator('#progress .progress').first().textContent()).match(/(\d+) of (\d+)/)[1];
}

for (const javaScript of [false, true]) {
  const mode = javaScript ? 'JS on' : 'JS off';
  test(`mark complete moves the bar (${mode})`, async () => {
    const { context, page, errors } = await newPage(app.browser, { javaScript });
    await signIn(page, app.server.base, javaScript ? 'js@example.com' : 'nojs@example.com', PW);
    assert.equal(await overall(page), '0');
    await page.goto(app.server.base + '/lessons');
    await page.locator('.lesson-list a').first().click();
    await page.waitForLoadState('load');
    if (javaScript) {
      await page.waitForSelector('.mark-complete', { state: 'attached' });
      await page.waitForLoadState('networkidle');
    }
    await page.click('.mark-complete button');
    await page.locator('.mark-status', { hasText: 'You completed this lesson' }).waitFor();
    if (javaScript) {
      // Optimistic: the page did not reload; wait for the server to confirm.
      await page.waitForLoadState('networkidle');
    }
    assert.equal(await overall(page), '1');
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('instructor creates a cohort, a learner joins, the CSV holds the progress', async () => {
  const teacher = await newPage(app.browser, { javaScript: false });
  await signIn(teacher.page, app.server.base, 'teacher@example.com', PW);
  await teacher.page.goto(app.server.base + '/instructor');
  await teacher.page.fill('#cohort-name', 'Evening class');
  await teacher.page.click('form[action="/instructor/cohorts"] button');
  await teacher.page.waitForURL(/\/instructor\/cohorts\/\d+$/);
  const cohortUrl = teacher.page.url();
  const code = (await teacher.page.locator('p code').first().textContent()).trim();

  const learner = await newPage(app.browser, { javaScript: false });
  await signIn(learner.page, app.server.base, 'nojs@example.com', PW);
  await learner.page.goto(app.server.base + '/account');
  await learner.page.fill('#join-code', code);
  await learner.page.click('form[action="/account/cohorts"] button');
  await learner.page.waitForURL(/done=joined/);

  await teacher.page.goto(cohortUrl);
  const row = teacher.page.locator('tbody tr', { hasText: 'No Script' });
  assert.match(await row.textContent(), /1\/\d+/);
  const resp = await teacher.page.request.get(cohortUrl + '/export.csv');
  assert.equal(resp.status(), 200);
  const csv = await resp.text();
  const line = csv.split('\n').find((l) => l.includes('No Script') && l.includes(',"done",'));
  assert.ok(line, csv);
  assert.match(line, /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/);
  assert.deepEqual([...teacher.errors, ...learner.errors], []);
  await teacher.context.close();
  await learner.context.close();
});
