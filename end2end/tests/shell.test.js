// The app shell: complete without JavaScript, hydrated with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, newPage } from './helpers.js';

const app = useApp();

test('home page is complete with JavaScript disabled', async () => {
  const { context, page, errors } = await newPage(app.browser, { javaScript: false });
  const resp = await page.goto(app.server.base + '/');
  assert.equal(resp.status(), 200);
  assert.equal(await page.title(), 'Learn backend development · Backend Academy');
  assert.match(await page.textContent('h1'), /Learn backend development/);
  for (const name of ['Lessons', 'Salaries', 'Sign in']) {
    assert.equal(await page.getByRole('link', { name, exact: true }).count(), 1, name);
  }
  assert.match(await page.textContent('footer'), /Backend Academy/);
  // The theme toggle still works as a plain form post.
  await page.click('.theme-toggle button');
  await page.waitForURL(app.server.base + '/');
  assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
  assert.deepEqual(errors, []);
  await context.close();
});

test('home page hydrates: the theme toggle flips in place, no request, no console errors', async () => {
  const { context, page, errors } = await newPage(app.browser);
  const posts = [];
  page.on('request', (req) => {
    if (req.method() === 'POST') posts.push(req.url());
  });
  await page.goto(app.server.base + '/');
  await page.waitForSelector('.theme-toggle[data-hydrated="true"]', { timeout: 15000 });
  const before = await page.getAttribute('html', 'data-theme');
  await page.click('.theme-toggle button');
  const after = await page.getAttribute('html', 'data-theme');
  assert.notEqual(after, before);
  assert.ok(['light', 'dark'].includes(after));
  assert.deepEqual(posts, [], 'toggle must not post once hydrated');
  // Remembered across visits: a reload renders the chosen theme on the app.server.
  await page.reload();
  assert.equal(await page.getAttribute('html', 'data-theme'), after);
  assert.deepEqual(errors, []);
  await context.close();
});

test('unknown pages answer 404 with a human page', async () => {
  const { context, page } = await newPage(app.browser, { javaScript: false });
  const resp = await page.goto(app.server.base + '/definitely/not/here');
  assert.equal(resp.status(), 404);
  assert.match(await page.textContent('h1'), /Page not found/);
  await context.close();
});
