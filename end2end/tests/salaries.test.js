// The salary explorer: filter with JavaScript off (GET form) and on (no page
// load, the address follows); the chart has one mark per visible figure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, newPage, openMarked, stillSameDocument } from './helpers.js';

const app = useApp();

async function marksMatchRows(page) {
  const marks = await page.locator('#salary-results svg rect.mark').count();
  const rows = await page.locator('#salary-results tbody tr').count();
  assert.equal(marks, rows);
  return rows;
}

test('filter to the United Kingdom (JS off)', async () => {
  const { context, page, errors } = await newPage(app.browser, { javaScript: false });
  await page.goto(app.server.base + '/salaries');
  for (const figure of ['61,042', '95,000', '87,948']) {
    assert.match(await page.textContent('#salary-results'), new RegExp(figure));
  }
  const all = await marksMatchRows(page);
  await page.selectOption('#country', 'United Kingdom');
  await page.click('.salary-form button[type="submit"]');
  await page.waitForURL(/country=United\+Kingdom/);
  const uk = await marksMatchRows(page);
  assert.ok(uk < all && uk > 0);
  assert.doesNotMatch(await page.textContent('#salary-results'), /170,000/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('filter updates without a page load and the URL follows (JS on)', async () => {
  const { context, page, errors } = await newPage(app.browser);
  await openMarked(page, app.server.base + '/salaries');
  const all = await marksMatchRows(page);
  await page.selectOption('#country', 'Germany');
  await page.waitForFunction(() => location.search.includes('country=Germany'));
  await page.waitForFunction(() => !document.querySelector('#salary-results').textContent.includes('170,000'));
  const de = await marksMatchRows(page);
  assert.ok(de < all && de > 0);
  assert.equal(await stillSameDocument(page), true);
  assert.deepEqual(errors, []);
  await context.close();
});
