// Reading and searching lessons, with JavaScript off and on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, newPage } from './helpers.js';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

for (const javaScript of [false, true]) {
  const mode = javaScript ? 'JS on' : 'JS off';

  test(`track → lesson → next (${mode})`, async () => {
    const { context, page, errors } = await newPage(browser, { javaScript });
    await page.goto(server.base + '/lessons');
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
  const { context, page, errors } = await newPage(browser, { javaScript: false });
  await page.goto(server.base + '/search');
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
  const { context, page, errors } = await newPage(browser);
  await page.goto(server.base + '/search');
  await page.waitForLoadState('networkidle');
  // Mark the document: a full page load would lose the mark.
  await page.evaluate(() => { window.__sameDocument = true; });
  await page.locator('#q').pressSequentially('cachi', { delay: 30 });
  await page.waitForFunction(() => document.querySelectorAll('.search-results li').length > 0, null, { timeout: 10000 });
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'page reloaded');
  assert.match(page.url(), /\/search\?q=cachi$/);
  const text = await page.textContent('.search-results');
  assert.match(text, /[Cc]ach/);
  assert.deepEqual(errors, []);
  await context.close();
});
