// Keyboard journeys: the skip link, visible focus, the focus order through a
// lesson and its quiz, no keyboard trap in the editor, the quiz result
// announced, the theme toggle and search from the keyboard, reduced motion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, newPage, createUser, signIn } from './helpers.js';

const PW = 'a long enough passphrase';
const LESSON = '/lessons/databases/indexes';
const MAX_TABS = 400;

const app = useApp({
  setup: (server) => {
    createUser(server, { email: 'keys@example.com', name: 'Kay Board', role: 'instructor', password: PW });
  },
});

// What has the focus, described for the test (and marked with its order).
async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: 'body' };
    const inside = (sel) => Boolean(el.closest(sel));
    const style = getComputedStyle(el);
    return {
      tag: el.tagName.toLowerCase(),
      type: el.getAttribute('type'),
      id: el.id,
      cls: el.className && typeof el.className === 'string' ? el.className : '',
      text: (el.textContent || '').trim().slice(0, 40),
      name: el.getAttribute('name'),
      inHeader: inside('header'),
      inMain: inside('main'),
      inFooter: inside('footer'),
      inQuiz: inside('.quiz-form'),
      inArticle: inside('article'),
      isSubmit: el.matches('.quiz-form button[type="submit"]'),
      outline: `${style.outlineStyle} ${style.outlineWidth}`,
      shadow: style.boxShadow,
      visible: el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().height > 0,
    };
  });
}

// Presses Tab until `done(info)` (or MAX_TABS); returns every stop. Each
// focused element is numbered (data-tab-stop) so that later checks can find
// it, and each stop must follow the previous one in document order (no
// positive tabindex, nothing jumping back), and must not repeat: a repeat
// before the end is a keyboard trap.
async function tabUntil(page, done) {
  const stops = [];
  for (let i = 0; i < MAX_TABS; i++) {
    await page.keyboard.press('Tab');
    const info = await focused(page);
    const order = await page.evaluate((n) => {
      const el = document.activeElement;
      if (!el || el === document.body) return 'body';
      if (el.hasAttribute('data-tab-stop')) return 'repeat';
      const prev = document.querySelector(`[data-tab-stop="${n - 1}"]`);
      el.setAttribute('data-tab-stop', String(n));
      if (!prev) return 'first';
      return prev.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING ? 'after' : 'before';
    }, i);
    assert.notEqual(order, 'repeat', `focus came back to ${JSON.stringify(info)} after ${i} tabs: a trap`);
    assert.notEqual(order, 'body', `focus left the page after ${JSON.stringify(stops.at(-1))}`);
    assert.notEqual(order, 'before', `focus went backwards to ${JSON.stringify(info)} from ${JSON.stringify(stops.at(-1))}`);
    stops.push(info);
    if (done(info)) return stops;
  }
  assert.fail(`not reached in ${MAX_TABS} tabs; last: ${JSON.stringify(stops.at(-1))}`);
}

test('skip link first, then focus moves to main', async () => {
  const { context, page, errors } = await newPage(app.browser);
  await page.goto(app.server.base + LESSON);
  await page.waitForLoadState('networkidle');
  await page.keyboard.press('Tab');
  const first = await focused(page);
  assert.equal(first.cls, 'skip-link', JSON.stringify(first));
  const box = await page.locator('.skip-link').boundingBox();
  assert.ok(box && box.y >= 0 && box.height > 0, 'the focused skip link is on screen');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
  // The next Tab goes into the content, not back to the header.
  await page.keyboard.press('Tab');
  const next = await focused(page);
  assert.ok(next.inMain, `after the skip link: ${JSON.stringify(next)}`);
  assert.deepEqual(errors, []);
  await context.close();
});

for (const theme of ['light', 'dark']) {
  test(`focus order through a lesson, its quiz and submit; focus always visible (${theme})`, async () => {
    const { context, page, errors } = await newPage(app.browser);
    await context.addCookies([{ name: 'theme', value: theme, url: app.server.base }]);
    await page.goto(app.server.base + LESSON);
    await page.waitForLoadState('networkidle');
    const stops = await tabUntil(page, (s) => s.inFooter);

    // Header, then the lesson, then the quiz, its submit button, the footer.
    const kind = (s) => (s.inHeader ? 'header' : s.isSubmit ? 'submit' : s.inQuiz ? 'quiz' : s.inFooter ? 'footer' : s.inArticle ? 'article' : s.inMain ? 'main' : 'other');
    const kinds = stops.map(kind).filter((k, i, all) => k !== all[i - 1]);
    for (const want of ['header', 'article', 'quiz', 'submit', 'footer']) {
      assert.ok(kinds.includes(want), `${want} in ${kinds.join(' → ')}`);
    }
    const at = (k) => kinds.indexOf(k);
    assert.ok(at('header') < at('article') && at('article') < at('quiz') && at('quiz') < at('submit') && at('submit') < at('footer'), kinds.join(' → '));
    assert.equal(kinds.filter((k) => k === 'quiz').length, 1, `the quiz's fields come together: ${kinds.join(' → ')}`);
    assert.equal(stops[0].cls, 'skip-link');
    // Scrollable code blocks are stops of their own.
    assert.ok(stops.some((s) => s.tag === 'pre'), 'code blocks take the focus');

    // Every stop was visible and had a focus indicator it lacks unfocused.
    const hidden = stops.filter((s) => !s.visible);
    assert.deepEqual(hidden, [], 'every focused element is visible');
    const unfocused = await page.evaluate(() => {
      document.activeElement?.blur();
      return [...document.querySelectorAll('[data-tab-stop]')].map((el) => {
        const style = getComputedStyle(el);
        return { n: Number(el.dataset.tabStop), outline: `${style.outlineStyle} ${style.outlineWidth}`, shadow: style.boxShadow };
      });
    });
    for (const u of unfocused) {
      const f = stops[u.n];
      const indicated = (f.outline !== u.outline && !f.outline.startsWith('none')) || f.shadow !== u.shadow;
      assert.ok(indicated, `no visible focus on ${JSON.stringify(f)} (unfocused: ${JSON.stringify(u)})`);
    }
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('quiz answered and submitted with the keyboard; the result is announced (aria-live)', async () => {
  const { context, page, errors } = await newPage(app.browser);
  await page.goto(app.server.base + LESSON + '/quiz');
  await page.waitForLoadState('networkidle');
  const live = page.locator('.quiz-result-live');
  assert.equal(await live.getAttribute('aria-live'), 'polite', 'the live region is there before the result');
  assert.equal((await live.textContent()).trim(), '');
  // Tab to each question's first choice and pick it with Space, then submit with Enter.
  await tabUntil(page, (s) => s.inQuiz);
  for (let i = 0; i < MAX_TABS; i++) {
    const s = await focused(page);
    if (s.isSubmit) break;
    if (s.type === 'radio' || s.type === 'checkbox') await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
  }
  assert.ok((await focused(page)).isSubmit, 'the submit button follows the questions');
  await page.keyboard.press('Enter');
  await live.locator('.quiz-result h2').waitFor();
  assert.match(await live.textContent(), /Your score: \d+ %/);
  assert.equal(await page.locator('.quiz-live [aria-live] .quiz-result').count(), 1, 'the result landed in the live region');
  // Focus follows the result, never lost on the hidden form.
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains('quiz-result-live')), true);
  assert.deepEqual(errors, []);
  await context.close();
});

test('editor: no keyboard trap, Tab leaves the textarea untouched and reaches the footer', async () => {
  const { context, page, errors } = await newPage(app.browser);
  await signIn(page, app.server.base, 'keys@example.com', PW);
  await page.goto(app.server.base + '/editor' + LESSON.replace('/lessons', ''));
  await page.waitForLoadState('networkidle');
  const before = await page.inputValue('#text');
  const stops = await tabUntil(page, (s) => s.inFooter);
  assert.ok(stops.some((s) => s.id === 'text'), 'the textarea is on the way');
  assert.equal(await page.inputValue('#text'), before, 'Tab moved on instead of typing a tab');
  assert.deepEqual(errors, []);
  await context.close();
});

for (const javaScript of [true, false]) {
  test(`theme toggle with Enter and Space (${javaScript ? 'JS on' : 'JS off'})`, async () => {
    const { context, page, errors } = await newPage(app.browser, { javaScript });
    await context.addCookies([{ name: 'theme', value: 'light', url: app.server.base }]);
    await page.goto(app.server.base + '/');
    if (javaScript) await page.waitForSelector('.theme-toggle[data-hydrated="true"]');
    const theme = () => page.evaluate(() => document.documentElement.getAttribute('data-theme'));
    const toToggle = async () => tabUntil(page, (s) => s.tag === 'button' && (s.text.includes('Toggle dark theme')));
    assert.equal(await theme(), 'light');
    await toToggle();
    await page.keyboard.press('Enter');
    if (!javaScript) await page.waitForLoadState('load');
    await page.waitForFunction(() => document.documentElement.getAttribute('data-theme') === 'dark');
    if (!javaScript) await toToggle();
    await page.keyboard.press('Space');
    if (!javaScript) await page.waitForLoadState('load');
    await page.waitForFunction(() => document.documentElement.getAttribute('data-theme') === 'light');
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('search reached and submitted from the keyboard', async () => {
  const { context, page, errors } = await newPage(app.browser);
  await page.goto(app.server.base + '/lessons');
  await page.waitForLoadState('networkidle');
  await tabUntil(page, (s) => s.tag === 'input' && s.type === 'search');
  await page.keyboard.type('index');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/search\?q=index/);
  await page.locator('.search-count').waitFor();
  assert.match(await page.textContent('.search-count'), /\d/);
  // The search page's own box is reachable too, and its results are links.
  await tabUntil(page, (s) => s.tag === 'input' && s.type === 'search');
  const result = await tabUntil(page, (s) => s.tag === 'a' && s.inMain);
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/lessons\/[^/]+\/[^/?]+/);
  assert.ok(result.length > 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('prefers-reduced-motion: transitions and smooth scrolling off', async () => {
  const { context, page, errors } = await newPage(app.browser);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto(app.server.base + LESSON);
  const motion = await page.evaluate(() => {
    const b = getComputedStyle(document.querySelector('.theme-toggle button'));
    return { transition: b.transitionDuration, animation: b.animationDuration, scroll: getComputedStyle(document.documentElement).scrollBehavior };
  });
  assert.deepEqual(motion, { transition: '1e-05s', animation: '1e-05s', scroll: 'auto' });
  assert.deepEqual(errors, []);
  await context.close();
});
