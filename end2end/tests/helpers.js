// Starts the real `academy` binary on a free port with a fresh database, and
// launches Debian's Chromium through playwright-core (never a downloaded browser).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

const BIN = process.env.ACADEMY_BIN;
const SITE_ROOT = process.env.ACADEMY_SITE_ROOT;
const CONTENT = process.env.ACADEMY_CONTENT;

export async function startServer(extraEnv = {}) {
  if (!BIN) throw new Error('ACADEMY_BIN is not set (run through `make e2e`)');
  const dir = mkdtempSync(join(tmpdir(), 'academy-e2e-'));
  const child = spawn(BIN, ['serve', '--addr', '127.0.0.1:0'], {
    env: {
      ...process.env,
      ACADEMY_DB: join(dir, 'academy.db'),
      ACADEMY_SITE_ROOT: SITE_ROOT,
      ACADEMY_CONTENT: CONTENT,
      RUST_LOG: 'info',
      NO_COLOR: '1',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 30000);
    const onData = (chunk) => {
      log += chunk.toString();
      const m = log.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited ${code}:\n${log}`)));
  });
  return {
    base,
    dir,
    db: join(dir, 'academy.db'),
    log: () => log,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/// A page whose console errors and uncaught exceptions are collected.
export async function newPage(browser, { javaScript = true } = {}) {
  const context = await browser.newContext({ javaScriptEnabled: javaScript });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (msg) => {
    // With JavaScript off the browser still preloads the WASM it can never
    // run, and warns once the page has been open a few seconds: an artifact
    // of the switched-off browser, not of the page (seen on slow CI runs).
    if (!javaScript && /was preloaded using link preload but not used/.test(msg.text())) return;
    if (msg.type() === 'error' || msg.type() === 'warning') errors.push(`${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  return { context, page, errors };
}

/// Creates an account with the real CLI on the running server's database.
export function createUser(server, { email, name, role = 'learner', password }) {
  execFileSync(BIN, ['user', 'add', '--email', email, '--name', name, '--role', role, '--password-stdin', '--db', server.db], {
    input: password + '\n',
  });
}

/// Signs in through the form.
export async function signIn(page, base, email, password) {
  await page.goto(base + '/login');
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('form.stack-form button[type="submit"]');
  await page.waitForURL(base + '/dashboard');
}

// One server and one browser for a test file: started before its tests,
// closed after them. `extraEnv` goes to the server; `setup(server)` runs once
// both are up (accounts the tests need). Tests read `app.server`, `app.browser`.
export function useApp({ extraEnv = {}, setup = () => {} } = {}) {
  const app = {};
  before(async () => {
    app.server = await startServer(typeof extraEnv === 'function' ? extraEnv() : extraEnv);
    app.browser = await launchBrowser();
    await setup(app.server);
  });
  after(async () => {
    await app.browser?.close();
    await app.server?.stop();
  });
  return app;
}

// Opens `url` with JavaScript and marks the document, so that
// `stillSameDocument(page)` can tell an in-place update from a page load.
export async function openMarked(page, url) {
  await page.goto(url);
  await page.waitForLoadState('networkidle');
  await markDocument(page);
}

export async function markDocument(page) {
  await page.evaluate(() => { window.__sameDocument = true; });
}

export async function stillSameDocument(page) {
  return page.evaluate(() => window.__sameDocument === true);
}
