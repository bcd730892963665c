// Two-factor sign-in: register, turn it on at /account/2fa (the code is
// computed here, RFC 6238 with HMAC-SHA1), sign out, sign in with the
// password and then a code. With JavaScript off and on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { useApp, newPage } from './helpers.js';

const app = useApp();
const PASSWORD = 'a long enough passphrase';

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let buffer = 0;
  let bits = 0;
  const out = [];
  for (const c of text.replace(/\s+/g, '')) {
    buffer = (buffer << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((buffer >> bits) & 0xff);
    }
  }
  return Buffer.from(out);
}

function totp(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const h = createHmac('sha1', secret).update(counter).digest();
  const o = h[19] & 0x0f;
  const n = ((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3];
  return String(n % 1_000_000).padStart(6, '0');
}

// The current 30-second step, after waiting out the last seconds of one.
async function freshStep() {
  const into = Math.floor(Date.now() / 1000) % 30;
  if (into > 24) await new Promise((r) => setTimeout(r, (31 - into) * 1000));
  return Math.floor(Date.now() / 1000 / 30);
}

for (const javaScript of [false, true]) {
  const mode = javaScript ? 'JS on' : 'JS off';
  test(`turn two-factor on, sign out, sign in with a code (${mode})`, async () => {
    const { context, page, errors } = await newPage(app.browser, { javaScript });
    const email = `twofactor-${javaScript ? 'js' : 'nojs'}@example.com`;
    await page.goto(app.server.base + '/register');
    await page.fill('#email', email);
    await page.fill('#name', 'Ada Lovelace');
    await page.fill('#password', PASSWORD);
    await page.click('form.stack-form button[type="submit"]');
    await page.waitForURL(app.server.base + '/dashboard');

    await page.goto(app.server.base + '/account');
    await page.click('a[href="/account/2fa"]');
    await page.waitForURL(app.server.base + '/account/2fa');
    assert.equal(await page.locator('.qr-code svg').count(), 1, 'QR code shown');
    const secret = base32Decode(await page.textContent('.totp-secret'));
    assert.equal(secret.length, 20);
    const step = await freshStep();
    await page.fill('#code', totp(secret, step));
    await page.click('form[action="/account/2fa/confirm"] button[type="submit"]');
    await page.waitForSelector('.recovery-codes');
    assert.equal(await page.locator('.recovery-codes li').count(), 10);

    await page.click('header button:has-text("Sign out")');
    await page.waitForURL(app.server.base + '/');
    await page.goto(app.server.base + '/login');
    await page.fill('#email', email);
    await page.fill('#password', PASSWORD);
    await page.click('form.stack-form button[type="submit"]');
    await page.waitForURL(app.server.base + '/login/2fa');
    // The code of the next step: the confirmation used this one.
    await page.fill('#code', totp(secret, step + 1));
    await page.click('form.stack-form button[type="submit"]');
    await page.waitForURL(app.server.base + '/dashboard');
    assert.match(await page.textContent('h1'), /Welcome, Ada Lovelace/);
    assert.deepEqual(errors, []);
    await context.close();
  });
}
