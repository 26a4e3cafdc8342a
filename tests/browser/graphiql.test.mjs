// GraphiQL at /graphiql in headless Chromium: bundled (nothing from other hosts), runs the
// example query of its default tab and shows the result.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertClean, BASE, guardedContext, launch, SCREENSHOTS } from './helpers.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('GraphiQL runs the example query and shows the result, offline', async () => {
  const guard = await guardedContext(browser);
  const page = await guard.context.newPage();
  await page.goto(`${BASE}/graphiql`);
  await page.waitForSelector('.graphiql-container');
  // The default tab holds the example query.
  await page.locator('.graphiql-query-editor', { hasText: 'AffairEvents' }).waitFor();
  // Schema documentation is there (introspection ran).
  await page.click('button[aria-label="Show Documentation Explorer"]');
  await page.locator('.graphiql-doc-explorer', { hasText: 'QueryRoot' }).waitFor();
  await page.click('.graphiql-execute-button');
  const result = page.locator('.result-window');
  await result.filter({ hasText: '"data"' }).waitFor();
  // The editor draws only the lines in view: the first event's fields are there.
  await result.filter({ hasText: '"events"' }).waitFor();
  await result.filter({ hasText: '"participants"' }).waitFor();
  assert.ok(!(await result.textContent()).includes('"errors"'));
  await page.screenshot({ path: new URL('graphiql.png', SCREENSHOTS).pathname });
  assertClean(guard);
  await guard.context.close();
});
