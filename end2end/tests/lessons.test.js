// Reading and searching lessons, with JavaScript off and on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, newPage, openMarked, stillSameDocument } from './helpers.js';

const app = useApp();

for (const javaScript of [false, true]) {
  const mode = javaScript ? 'JS on' : 'JS off';

  test(`track → lesson → next (${mode})`, async () => {
    const { context, page, errors } = await newPage(app.browser, { javaScript });
    await page.goto(app.server.base + '/lessons');
    assert.equal(await page.title(), 'Lessons · Backend Academy');
    const tracks = await page.locator('section.track').count();
    assert.ok(tracks >= 6, `${tracks} tracks`);
    const first = page.locator('.lesson-list a').first();
    const title = (await first.textContent()).trim();
    await first.click();
    await page.waitForLoadState('load');
    assert.equal((await page.textContent('article h1')).trim(), title);
    assert.ok((await page.locator('.toc a').count()) > 0, 'table of contents');
    const next = page.locator('a[rel="next"]');
    const nextTitle = (await next.locator('strong').textContent()).trim();
    await next.click();
    await page.waitForLoadState('load');
    assert.equal((await page.textContent('article h1')).trim(), nextTitle);
    assert.equal(await page.locator('a[rel="prev"]').count(), 1);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('search with a plain GET form (JS off)', async () => {
  const { context, page, errors } = await newPage(app.browser, { javaScript: false });
  await page.goto(app.server.base + '/search');
  await page.fill('#q', 'database');
  await page.click('.search-form button[type="submit"]');
  await page.waitForURL(/\/search\?q=database/);
  const hits = page.locator('.search-results li');
  assert.ok((await hits.count()) > 0, 'no results');
  assert.ok((await page.locator('.search-results mark').count()) > 0, 'no highlight');
  assert.deepEqual(errors, []);
  await context.close();
});

test('search updates as you type without a page load (JS on)', async () => {
  const { context, page, errors } = await newPage(app.browser);
  // Mark the document: a full page load would lose the mark.
  await openMarked(page, app.server.base + '/search');
  await page.locator('#q').pressSequentially('cachi', { delay: 30 });
  await page.waitForFunction(() => document.querySelectorAll('.search-results li').length > 0, null, { timeout: 10000 });
  assert.equal(await stillSameDocument(page), true, 'page reloaded');
  assert.match(page.url(), /\/search\?q=cachi$/);
  const text = await page.textContent('.search-results');
  assert.match(text, /[Cc]ach/);
  assert.deepEqual(errors, []);
  await context.close();
});
