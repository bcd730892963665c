// Register → sign out → sign in → sign out, with JavaScript off and on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, newPage } from './helpers.js';

const app = useApp();

// Types the good password, submits, lands on the welcome page, signs out.
async function submitAndSignOut(page) {
  await page.fill('#password', 'a long enough passphrase');
  await page.click('form.stack-form button[type="submit"]');
  await page.waitForURL(app.server.base + '/dashboard');
  assert.match(await page.textContent('h1'), /Welcome, Grace Hopper/);
  await page.click('header button:has-text("Sign out")');
  await page.waitForURL(app.server.base + '/');
}

for (const javaScript of [false, true]) {
  const mode = javaScript ? 'JS on' : 'JS off';
  test(`register, sign out, sign in, sign out (${mode})`, async () => {
    const { context, page, errors } = await newPage(app.browser, { javaScript });
    const email = `learner-${javaScript ? 'js' : 'nojs'}@example.com`;
    await page.goto(app.server.base + '/register');
    await page.fill('#email', email);
    await page.fill('#name', 'Grace Hopper');
    await page.fill('#password', 'short');
    // Browser-side validation would stop "short"; remove it to test the server's answer.
    await page.evaluate(() => document.querySelector('#password').removeAttribute('minlength'));
    await page.click('form.stack-form button[type="submit"]');
    await page.waitForLoadState('load');
    assert.match(await page.textContent('.form-error'), /at least 8 characters/);
    assert.equal(await page.inputValue('#email'), email, 'typed email kept');
    // Chromium logs the intended 400 of that page as a console error; only that one.
    assert.ok(errors.every((e) => /status of 400/.test(e)), errors.join('\n'));
    errors.length = 0;
    await submitAndSignOut(page);
    assert.equal(await page.locator('header a:has-text("Sign in")').count(), 1);

    await page.goto(app.server.base + '/dashboard');
    await page.waitForURL(/\/login\?next=\/dashboard/);
    await page.fill('#email', email);
    await submitAndSignOut(page);
    assert.deepEqual(errors, []);
    await context.close();
  });
}
