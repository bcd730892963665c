// axe-core (npm, pinned) on every page type, light and dark, desktop and
// 375 px wide, JavaScript on (the islands hydrated). Fails on any violation
// of impact serious or critical, and on a moderate one that is not in
// MODERATE_ALLOWED below with its reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { useApp, newPage, createUser, signIn } from './helpers.js';

// axe's source, evaluated in the page through the DevTools protocol: the
// site's Content-Security-Policy (rightly) refuses an injected <script>.
const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const PW = 'a long enough passphrase';
const LESSON = '/lessons/databases/indexes';

// Moderate (or minor) violations accepted, rule id → reason. Empty: every
// moderate one axe found was fixed. A rule added here needs its reason.
const MODERATE_ALLOWED = {};

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const THEMES = ['light', 'dark'];
const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: '375px', width: 375, height: 812 },
];

const fixtures = {};
const app = useApp({
  setup: async (server) => {
    createUser(server, { email: 'admin@example.com', name: 'Ada Admin', role: 'admin', password: PW });
    createUser(server, { email: 'learner@example.com', name: 'Lee Learner', password: PW });
    // The data the signed-in pages show: a cohort with a learner who
    // completed a lesson, and a stored quiz attempt (JS off: plain forms).
    const base = server.base;
    const admin = await newPage(app.browser, { javaScript: false });
    await signIn(admin.page, base, 'admin@example.com', PW);
    await admin.page.goto(base + '/instructor');
    await admin.page.fill('#cohort-name', 'Accessibility class');
    await admin.page.click('form[action="/instructor/cohorts"] button');
    await admin.page.waitForURL(/\/instructor\/cohorts\/\d+$/);
    fixtures.cohort = new URL(admin.page.url()).pathname;
    const code = (await admin.page.locator('p code').first().textContent()).trim();

    const learner = await newPage(app.browser, { javaScript: false });
    await signIn(learner.page, base, 'learner@example.com', PW);
    await learner.page.goto(base + '/account');
    await learner.page.fill('#join-code', code);
    await learner.page.click('form[action="/account/cohorts"] button');
    await learner.page.waitForURL(/done=joined/);
    await learner.page.goto(base + LESSON);
    await learner.page.click('.mark-complete button');
    await learner.page.locator('.mark-status').waitFor();
    await learner.context.close();

    await admin.page.goto(base + LESSON);
    await admin.page.click('.mark-complete button');
    await admin.page.locator('.mark-status').waitFor();
    await admin.page.goto(base + LESSON + '/quiz');
    for (const fieldset of await admin.page.locator('.quiz-form fieldset').all()) {
      const choice = fieldset.locator('input[type="radio"], input[type="checkbox"]').first();
      if (await choice.count()) await choice.check();
    }
    await admin.page.click('.quiz-form button[type="submit"]');
    await admin.page.waitForURL(/\/quiz\/attempts\/\d+$/);
    fixtures.attempt = new URL(admin.page.url()).pathname;
    await admin.context.close();
  },
});

const PUBLIC = () => [
  ['home', '/'],
  ['lessons index', '/lessons'],
  ['track', '/lessons/databases'],
  ['lesson', LESSON],
  ['quiz', LESSON + '/quiz'],
  ['quiz result (visitor, in place)', LESSON + '/quiz', quizResultInPlace],
  ['search', '/search?q=index'],
  ['salaries', '/salaries'],
  ['sign-in', '/login'],
  ['register', '/register'],
];
const SIGNED_IN = () => [
  ['track, signed in', '/lessons/databases'],
  ['lesson, signed in', LESSON],
  ['quiz result', fixtures.attempt],
  ['dashboard', '/dashboard'],
  ['account', '/account'],
  ['instructor', '/instructor'],
  ['cohort matrix', fixtures.cohort],
  ['editor', '/editor' + LESSON.replace('/lessons', '')],
  ['history', '/editor' + LESSON.replace('/lessons', '') + '/history'],
  ['admin', '/admin/users'],
];

// A visitor's result, graded in place by the quiz island (JS on).
async function quizResultInPlace(page) {
  for (const fieldset of await page.locator('.quiz-form fieldset').all()) {
    const choice = fieldset.locator('input[type="radio"], input[type="checkbox"]').first();
    if (await choice.count()) await choice.check();
  }
  await page.click('.quiz-form button[type="submit"]');
  await page.locator('.quiz-result-live .quiz-result h2').waitFor();
}

async function audit(page, url, then) {
  const resp = await page.goto(url);
  assert.equal(resp.status(), 200, url);
  // The islands have hydrated once the theme toggle (on every page) says so.
  await page.waitForSelector('.theme-toggle[data-hydrated="true"]');
  if (then) await then(page);
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
    await page.evaluate(AXE_SOURCE);
  }
  return page.evaluate(
    async (tags) => {
      const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
    },
    TAGS,
  );
}

async function checkPages(pages, signedInAs, lang) {
  const { context, page, errors } = await newPage(app.browser);
  if (signedInAs) await signIn(page, app.server.base, signedInAs, PW);
  if (lang) await context.addCookies([{ name: 'lang', value: lang, url: app.server.base }]);
  const problems = [];
  const allowedSeen = new Set();
  for (const theme of THEMES) {
    await context.addCookies([{ name: 'theme', value: theme, url: app.server.base }]);
    for (const vp of VIEWPORTS) {
      await page.setViewportSize({ width: vp.width, height: vp.height });
      for (const [name, path, then] of pages) {
        for (const v of await audit(page, app.server.base + path, then)) {
          if ((v.impact === 'moderate' || v.impact === 'minor') && MODERATE_ALLOWED[v.id]) {
            allowedSeen.add(v.id);
            continue;
          }
          problems.push(`${name} (${path}, ${theme}, ${vp.name}): ${v.id} [${v.impact}] ${v.help}\n    ${v.targets.slice(0, 8).join('\n    ')}`);
        }
      }
    }
  }
  await context.close();
  assert.deepEqual(errors, []);
  return problems;
}

test('public pages: no axe violations (light, dark; desktop, 375 px)', async () => {
  const problems = await checkPages(PUBLIC());
  assert.equal(problems.length, 0, `axe found:\n${problems.join('\n')}`);
});

// The Spanish interface: a translated lesson and its quiz, an untranslated
// one (English text under a Spanish notice, marked `lang="en"`), and the
// pages with the most interface text.
const SPANISH = () => [
  ['home (es)', '/'],
  ['lesson (es)', '/lessons/backend-basics/how-a-request-flows'],
  ['quiz result (es, in place)', '/lessons/backend-basics/how-a-request-flows/quiz', quizResultInPlace],
  ['untranslated lesson (es)', LESSON],
  ['search (es)', '/search?q=petici%C3%B3n'],
  ['salaries (es)', '/salaries'],
  ['register (es)', '/register'],
];

test('Spanish pages: no axe violations (light, dark; desktop, 375 px)', async () => {
  const problems = await checkPages(SPANISH(), null, 'es');
  assert.equal(problems.length, 0, `axe found:\n${problems.join('\n')}`);
});

test('signed-in pages: no axe violations (light, dark; desktop, 375 px)', async () => {
  const problems = await checkPages(SIGNED_IN(), 'admin@example.com');
  assert.equal(problems.length, 0, `axe found:\n${problems.join('\n')}`);
});

test('nothing by colour alone: the cohort matrix and the salary chart', async () => {
  const { context, page, errors } = await newPage(app.browser);
  await signIn(page, app.server.base, 'admin@example.com', PW);
  // Matrix: each cell's status is a symbol (✓ ○ ·) and, for screen readers,
  // its word; the symbols are explained in the table's caption.
  await page.goto(app.server.base + fixtures.cohort);
  const cells = await page.$$eval('.matrix td.cell', (tds) =>
    tds.map((td) => ({
      symbol: td.querySelector('[aria-hidden="true"]')?.textContent.trim(),
      word: td.querySelector('.visually-hidden')?.textContent.trim(),
    })),
  );
  assert.ok(cells.length > 0);
  const expected = { '✓': 'done', '○': 'visited', '·': 'not started' };
  for (const c of cells) assert.equal(c.word, expected[c.symbol], JSON.stringify(c));
  assert.ok(cells.some((c) => c.symbol === '✓'), 'the completed lesson shows');
  assert.match(await page.textContent('.matrix caption'), /✓ done, ○ visited, · not started/);

  // Chart: median and mean bars differ in outline (dashed for the mean), not
  // only in colour; every bar names its statistic, and the table repeats it.
  await page.goto(app.server.base + '/salaries');
  const bars = await page.$$eval('.chart rect.mark', (rects) =>
    rects.map((r) => ({ mean: r.classList.contains('mean'), dash: getComputedStyle(r).strokeDasharray, title: r.querySelector('title')?.textContent ?? '' })),
  );
  assert.ok(bars.some((b) => b.mean) && bars.some((b) => !b.mean), 'both kinds of bar on the default page');
  for (const b of bars) {
    assert.equal(b.dash !== 'none', b.mean, JSON.stringify(b));
    assert.equal(/\(mean/.test(b.title), b.mean, JSON.stringify(b));
    assert.match(b.title, /\((mean|median|\d+th percentile)/, JSON.stringify(b));
  }
  assert.deepEqual(errors, []);
  await context.close();
});
