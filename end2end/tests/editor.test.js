// An instructor edits a lesson in the browser, previews, saves; a learner
// reads the change. With JavaScript off (Preview/Save buttons) and on (live preview).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useApp, newPage, createUser, signIn } from './helpers.js';

const PW = 'a long enough passphrase';
const app = useApp({
  extraEnv: () => {
    // Edit a copy of the curriculum, never the repository's own files.
    const content = mkdtempSync(join(tmpdir(), 'academy-content-'));
    cpSync(process.env.ACADEMY_CONTENT, content, { recursive: true });
    return { ACADEMY_CONTENT: content };
  },
  setup: (server) => {
    createUser(server, { email: 'editor@example.com', name: 'Ed Itor', role: 'instructor', password: PW });
  },
});

for (const javaScript of [false, true]) {
  const mode = javaScript ? 'JS on' : 'JS off';
  test(`edit, preview, save; a learner reads the change (${mode})`, async () => {
    const heading = `Freshly edited heading ${javaScript ? 'with' : 'without'} script`;
    const { context, page, errors } = await newPage(app.browser, { javaScript });
    await signIn(page, app.server.base, 'editor@example.com', PW);
    await page.goto(app.server.base + '/editor');
    const link = page.locator('.editor-files a').first();
    const href = await link.getAttribute('href');
    await link.click();
    await page.waitForURL(app.server.base + href);
    // With JavaScript, let the editor island hydrate before typing (it loads when idle).
    if (javaScript) await page.waitForLoadState('networkidle');
    const text = await page.inputValue('#text');
    const edited = text.replace(/\n## /, `\n## ${heading}\n\nA new paragraph.\n\n## `);
    assert.notEqual(edited, text);
    await page.fill('#text', edited);
    if (javaScript) {
      // Live preview: rendered by the app.server, no page load.
      await page.locator('#editor-preview h2', { hasText: heading }).waitFor({ timeout: 10000 });
    } else {
      await page.click('button[value="preview"]');
      await page.waitForLoadState('load');
      await page.locator('#editor-preview h2', { hasText: heading }).waitFor();
      assert.equal(await page.inputValue('#text'), edited, 'the text survives the preview');
    }
    await page.click('button[value="save"]');
    await page.waitForURL(/saved=1/);
    assert.match(await page.textContent('.notice'), /Saved/);

    const learner = await newPage(app.browser, { javaScript });
    await learner.page.goto(app.server.base + href.replace('/editor/', '/lessons/'));
    await learner.page.locator('article h2', { hasText: heading }).waitFor();
    assert.deepEqual([...errors, ...learner.errors], []);
    await learner.context.close();
    await context.close();
  });
}
