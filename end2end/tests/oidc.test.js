// "Sign in with the school": click the button on /login, sign in on a real
// OpenID Connect provider's own pages (end2end/oidc-provider.mjs), consent,
// land on the dashboard signed in. With JavaScript off and on.
//
// The provider's port is picked first; the app starts with that issuer
// (not yet reachable: discovery is retried in the background), then the
// provider starts with the app's callback; the button shows once the app
// has discovered it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, launchBrowser, newPage } from './helpers.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const CLIENT_ID = 'academy';
const SECRET = 'academy-e2e-secret';

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function startProvider(port, redirectUri) {
  const child = spawn(process.execPath, [join(HERE, '..', 'oidc-provider.mjs'), String(port)], {
    env: { ...process.env, OIDC_CLIENT_ID: CLIENT_ID, OIDC_CLIENT_SECRET: SECRET, OIDC_REDIRECT_URI: redirectUri },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`provider did not start:\n${log}`)), 20000);
    const onData = (chunk) => {
      log += chunk.toString();
      if (/^ready /m.test(log)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c) => { log += c.toString(); });
    child.on('exit', (code) => reject(new Error(`provider exited ${code}:\n${log}`)));
  });
}

const app = {};

before(async () => {
  const port = await freePort();
  app.server = await startServer({
    ACADEMY_OIDC_ISSUER: `http://127.0.0.1:${port}`,
    ACADEMY_OIDC_CLIENT_ID: CLIENT_ID,
    ACADEMY_OIDC_CLIENT_SECRET: SECRET,
    ACADEMY_OIDC_NAME: 'Test School',
  });
  app.provider = await startProvider(port, `${app.server.base}/login/oidc/callback`);
  // Wait for the app's background discovery to find the provider.
  const deadline = Date.now() + 30000;
  for (;;) {
    const html = await (await fetch(`${app.server.base}/login`)).text();
    if (html.includes('Sign in with Test School')) break;
    if (Date.now() > deadline) throw new Error(`no button after 30 s:\n${app.server.log()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  app.browser = await launchBrowser();
});

after(async () => {
  await app.browser?.close();
  app.provider?.kill('SIGTERM');
  await app.server?.stop();
});

for (const javaScript of [false, true]) {
  const mode = javaScript ? 'JS on' : 'JS off';
  test(`sign in with the school's provider (${mode})`, async () => {
    const { context, page, errors } = await newPage(app.browser, { javaScript });
    const name = javaScript ? 'ada' : 'grace';
    const base = app.server.base;
    await page.goto(base + '/login');
    await page.click('a:has-text("Sign in with Test School")');
    // The provider's own login page, then its consent page.
    await page.waitForSelector('input[name="login"]');
    await page.fill('input[name="login"]', `${name}@school.edu`);
    await page.fill('input[name="password"]', 'anything');
    await page.click('button.login-submit');
    await page.waitForSelector('input[name="prompt"][value="consent"]', { state: 'attached' });
    await page.click('button.login-submit');
    await page.waitForURL(base + '/dashboard');
    assert.match(await page.textContent('h1'), new RegExp(`Welcome, ${name}`));
    await page.goto(base + '/account');
    assert.match(await page.textContent('main'), new RegExp(`${name}@school.edu`));
    // Console errors are not checked here: most pages of this journey are
    // the provider's development pages, not ours (accounts.test.js holds
    // the sign-in page itself to "no console errors").
    void errors;
    await context.close();
  });
}
