// Take a lesson's quiz with JavaScript off and on; nothing of the key is in
// the page before submitting. Quizzes v2: a random draw per attempt, the
// reveal policy (no right answers until the learner passes), and an essay
// marked by the cohort's instructor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useApp, newPage, markDocument, stillSameDocument, createUser, signIn } from './helpers.js';

const PW = 'a long enough passphrase';

// A track of its own (last in order) with a quiz that draws 2 of 5 pool
// questions per attempt, a fixed question and an essay.
const POOL = [1, 2, 3, 4, 5].map((i) => `::Pool ${i}:: POOL${i} statement is true. {T}`).join('\n\n');
const LESSON = `---
id: quizlab-practice
title: Quiz lab practice
summary: Random draws, essays and the reveal policy.
order: 1
quiz_draw:
  - category: pool
    count: 2
---

## Practice

Read, then take the quiz.

\`\`\`gift
::Fixed:: The fixed question is true. {T}

::Essay:: Explain idempotency in one sentence. {}

$CATEGORY: $course$/top/pool

${POOL}
\`\`\`
`;

const app = useApp({
  extraEnv: () => {
    const content = mkdtempSync(join(tmpdir(), 'academy-content-'));
    cpSync(process.env.ACADEMY_CONTENT, content, { recursive: true });
    mkdirSync(join(content, 'quizlab'));
    writeFileSync(join(content, 'quizlab', 'track.toml'), 'title = "Quiz lab"\norder = 99\n');
    writeFileSync(join(content, 'quizlab', 'practice.md'), LESSON);
    return { ACADEMY_CONTENT: content };
  },
  setup: (server) => {
    for (const mode of ['js', 'nojs']) {
      createUser(server, { email: `quiz-${mode}@example.com`, name: `Quiz ${mode}`, password: PW });
      createUser(server, { email: `teach-${mode}@example.com`, name: `Teacher ${mode}`, role: 'instructor', password: PW });
    }
  },
});

async function answerEverything(page) {
  // Pick the first option of each question and type something into text boxes.
  for (const fieldset of await page.locator('.quiz-form fieldset').all()) {
    const radio = fieldset.locator('input[type="radio"], input[type="checkbox"]').first();
    if (await radio.count()) await radio.check();
    const text = fieldset.locator('input[type="text"]').first();
    if (await text.count()) await text.fill('42');
    for (const select of await fieldset.locator('select').all()) {
      await select.selectOption({ index: 1 });
    }
  }
}

// Submits the quiz form and waits for the result (in place with JS, a new
// page without); returns the stored attempt's address.
async function submitQuiz(page, javaScript) {
  if (javaScript) await markDocument(page);
  await page.click('.quiz-form button[type="submit"]');
  await page.locator('.quiz-result h2').waitFor();
  if (javaScript) {
    assert.equal(await stillSameDocument(page), true, 'graded without a page load');
    await page.waitForURL(/\/quiz\/attempts\/\d+$/);
  } else {
    assert.match(page.url(), /\/quiz\/attempts\/\d+$/);
  }
  return page.url();
}

for (const javaScript of [false, true]) {
  const mode = javaScript ? 'JS on' : 'JS off';
  test(`take a quiz and get a score with feedback (${mode})`, async () => {
    const { context, page, errors } = await newPage(app.browser, { javaScript });
    await signIn(page, app.server.base, javaScript ? 'quiz-js@example.com' : 'quiz-nojs@example.com', PW);
    await page.goto(app.server.base + '/lessons');
    await page.locator('.lesson-list a').first().click();
    await page.waitForLoadState('load');
    assert.ok((await page.locator('.quiz-form fieldset').count()) >= 3, 'the lesson ends with a quiz');
    const html = await page.content();
    assert.doesNotMatch(html, /fraction|####/);
    if (javaScript) await page.waitForLoadState('networkidle');
    const before = page.url();
    await markDocument(page);
    await answerEverything(page);
    await page.click('.quiz-form button[type="submit"]');
    await page.locator('.quiz-result h2').waitFor();
    assert.match(await page.textContent('.quiz-result h2'), /Your score: \d+ %/);
    assert.ok((await page.locator('.quiz-result .result').count()) >= 3);
    // The reveal policy (after-pass): right answers once passed, else a note.
    const result = await page.textContent('.quiz-result');
    if (/Passed/.test(result)) assert.match(result, /Right answer:/);
    else assert.match(result, /not shown for this attempt/);
    if (javaScript) {
      assert.equal(await stillSameDocument(page), true, 'graded without a page load');
      assert.notEqual(page.url(), before, 'the address follows the stored attempt');
    } else {
      assert.match(page.url(), /\/quiz\/attempts\/\d+$/);
    }
    await page.goto(app.server.base + '/dashboard');
    assert.match(await page.textContent('table.scores'), /\d+ %/);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test(`random draw, reveal policy and an essay marked by the instructor (${mode})`, async () => {
    const suffix = javaScript ? 'js' : 'nojs';
    const base = app.server.base;
    const teacher = await newPage(app.browser, { javaScript });
    const learner = await newPage(app.browser, { javaScript });

    // The instructor's cohort; the learner joins it.
    await signIn(teacher.page, base, `teach-${suffix}@example.com`, PW);
    await teacher.page.goto(base + '/instructor');
    await teacher.page.fill('#cohort-name', `Quiz class ${suffix}`);
    await teacher.page.click('form[action="/instructor/cohorts"] button');
    await teacher.page.waitForURL(/\/instructor\/cohorts\/\d+$/);
    const cohortUrl = teacher.page.url();
    const code = (await teacher.page.locator('p code').first().textContent()).trim();
    await signIn(learner.page, base, `quiz-${suffix}@example.com`, PW);
    await learner.page.goto(base + '/account');
    await learner.page.fill('#join-code', code);
    await learner.page.click('form[action="/account/cohorts"] button');
    await learner.page.waitForLoadState('load');

    // Each attempt draws 2 of the 5 pool questions, plus the fixed ones. A
    // reload keeps the attempt's draw; each submitted attempt draws anew.
    const quiz = base + '/lessons/quizlab/practice/quiz';
    const drawnOn = async () => {
      await learner.page.goto(quiz);
      const text = await learner.page.textContent('.quiz-form');
      const drawn = [1, 2, 3, 4, 5].filter((n) => text.includes(`POOL${n} `));
      assert.equal(drawn.length, 2, `two pool questions: ${drawn}`);
      assert.match(text, /fixed question/);
      return drawn.join(',');
    };
    const first = await drawnOn();
    assert.equal(await drawnOn(), first, 'a reload keeps the draw');
    const draws = new Set([first]);
    for (let i = 0; i < 6 && draws.size < 2; i++) {
      // Submit this attempt unanswered (as its form would), then open the next.
      const token = await learner.page.inputValue('.quiz-form input[name="attempt"]');
      const resp = await learner.page.request.post(quiz, { form: { attempt: token }, headers: { Origin: base }, maxRedirects: 0 });
      assert.equal(resp.status(), 303);
      draws.add(await drawnOn());
    }
    assert.ok(draws.size > 1, 'the draw changes between attempts');
    if (javaScript) await learner.page.waitForLoadState('networkidle');

    // A failed attempt shows the score, not the right answers.
    for (const radio of await learner.page.locator('.quiz-form input[type="radio"][value="false"]').all()) {
      await radio.check();
    }
    await submitQuiz(learner.page, javaScript);
    let result = await learner.page.textContent('.quiz-result');
    assert.match(result, /Your score: 0 %/);
    assert.match(result, /not shown for this attempt/);
    assert.doesNotMatch(result, /Right answer:/);

    // A passing attempt with an essay: the answers show, the essay waits.
    await learner.page.goto(quiz);
    if (javaScript) await learner.page.waitForLoadState('networkidle');
    for (const radio of await learner.page.locator('.quiz-form input[type="radio"][value="true"]').all()) {
      await radio.check();
    }
    await learner.page.fill('.quiz-form textarea', `ESSAY-${suffix}: the same request twice has the effect of once.`);
    const attemptUrl = await submitQuiz(learner.page, javaScript);
    result = await learner.page.textContent('.quiz-result');
    assert.match(result, /Your score: 100 %/);
    assert.match(result, /Right answer:/);
    assert.match(result, /Waiting for an instructor/);

    // The instructor marks the essay from the cohort page.
    await teacher.page.goto(cohortUrl);
    await teacher.page.click('a:has-text("Quiz statistics and essays")');
    await teacher.page.waitForURL(/\/quizzes$/);
    assert.match(await teacher.page.textContent('main'), /Facility/);
    const essay = teacher.page.locator('li.essay', { hasText: `ESSAY-${suffix}` });
    await essay.locator('input[name="mark"]').fill('90');
    await essay.locator('textarea[name="comment"]').fill(`Clear, ${suffix}.`);
    await essay.locator('button[type="submit"]').click();
    await teacher.page.waitForURL(/marked=/);
    assert.match(await teacher.page.locator('li.essay', { hasText: `ESSAY-${suffix}` }).textContent(), /Marked: 90 %/);

    // The learner sees the mark and the comment on the attempt.
    await learner.page.goto(attemptUrl);
    result = await learner.page.textContent('.quiz-result');
    assert.match(result, /Instructor's mark: 90 %/);
    assert.match(result, new RegExp(`Clear, ${suffix}.`));

    assert.deepEqual(teacher.errors, []);
    assert.deepEqual(learner.errors, []);
    await teacher.context.close();
    await learner.context.close();
  });
}
