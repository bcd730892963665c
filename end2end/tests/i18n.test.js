// A second language in the browser: Spanish from the browser's language or
// the footer switcher, with JavaScript off and on. The islands (search box,
// quiz, mark-complete, theme) hydrate with the Spanish text the server
// rendered, without console errors, and a lesson without a translation
// shows in English with a notice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, createUser, signIn } from './helpers.js';

const PW = 'a long enough passphrase';
const LESSON = '/lessons/backend-basics/how-a-request-flows';

const app = useApp({
  setup: (server) => {
    createUser(server, { email: 'es-js@example.com', name: 'Lucía', password: PW });
  },
});

/// A page in a browser whose language is `locale`, collecting errors.
async function pageIn(locale, javaScript) {
  const context = await app.browser.newContext({ javaScriptEnabled: javaScript, locale });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (msg) => {
    if (!javaScript && /was preloaded using link preload but not used/.test(msg.text())) return;
    if (msg.type() === 'error' || msg.type() === 'warning') errors.push(`${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  return { context, page, errors };
}

test('without JavaScript: Spanish from the browser, the switcher, and the fallback notice', async () => {
  const { context, page, errors } = await pageIn('es-ES', false);
  const base = app.server.base;
  await page.goto(base + LESSON);
  assert.equal(await page.getAttribute('html', 'lang'), 'es');
  assert.match(await page.textContent('h1'), /Cómo fluye una petición/);
  assert.equal(await page.textContent('.nav-links a[href="/lessons"]'), 'Lecciones');

  // The footer switcher is a plain form: English, same page.
  await page.click('form.lang-switch button[value="en"]');
  await page.waitForURL(base + LESSON);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.match(await page.textContent('h1'), /How a request flows/);
  assert.equal(await page.getAttribute('form.lang-switch button[value="en"]', 'aria-current'), 'true');

  // And back to Spanish; an untranslated lesson says so, in Spanish.
  await page.click('form.lang-switch button[value="es"]');
  await page.goto(base + '/lessons/databases/indexes');
  const notice = await page.textContent('.translation-fallback');
  assert.match(notice, /aún no está traducida al español/);
  assert.equal(await page.getAttribute('article.lesson', 'lang'), 'en');
  assert.deepEqual(errors, []);
  await context.close();
});

test('with JavaScript: the islands speak Spanish after hydration', async () => {
  const { context, page, errors } = await pageIn('es-ES', true);
  const base = app.server.base;

  // Search as you type: the count comes from the island, in Spanish.
  await page.goto(base + '/search');
  await page.waitForSelector('form.theme-toggle[data-hydrated="true"]');
  await page.fill('#q', 'petición');
  await page.locator('.search-count', { hasText: 'coinciden con «petición»' }).waitFor();
  assert.match(await page.textContent('.search-results'), /Servidores, procesos/);

  // Mark complete flips in place with the Spanish sentences.
  await signIn(page, base, 'es-js@example.com', PW);
  await page.goto(base + LESSON);
  await page.waitForLoadState('networkidle');
  await page.click('form.mark-complete button');
  await page.locator('.mark-status', { hasText: 'Completaste esta lección' }).waitFor();
  assert.equal(await page.textContent('form.mark-complete button'), 'Marcar como no completada');

  // The Spanish quiz, graded in place: the result is in Spanish.
  await page.goto(base + LESSON + '/quiz');
  await page.waitForLoadState('networkidle');
  for (const fieldset of await page.locator('fieldset').all()) {
    const choice = fieldset.locator('input[type="radio"], input[type="checkbox"]').first();
    if (await choice.count()) await choice.check();
    const text = fieldset.locator('input[type="text"], input[type="number"], textarea, select').first();
    if (await text.count()) {
      if ((await text.evaluate((e) => e.tagName)) === 'SELECT') {
        await text.selectOption({ index: 1 });
      } else {
        await text.fill('200');
      }
    }
  }
  await page.click('button[type="submit"]:has-text("Enviar respuestas")');
  await page.locator('text=/Tu puntuación: \\d+ %/').first().waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});
