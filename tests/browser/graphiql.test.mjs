// GraphiQL at /graphiql in headless Chromium: bundled (nothing from other hosts), runs the
// example query of its default tab and shows the result; its Headers tab carries the API token the
// timeline page keeps for the tab, or says how to add one.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertClean, BASE, eventually, graphql, guardedContext, initCarries, launch, recordSentFrames, SCREENSHOTS, TOKEN, TOKEN_KEY } from './helpers.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const isExample = (r) => r.url().endsWith('/graphql') && (r.postData() ?? '').includes('AffairEvents');

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
  const sent = page.waitForRequest(isExample);
  await page.click('.graphiql-execute-button');
  const result = page.locator('.result-window');
  await result.filter({ hasText: '"data"' }).waitFor();
  // The editor draws only the lines in view: the first event's fields are there.
  await result.filter({ hasText: '"events"' }).waitFor();
  await result.filter({ hasText: '"participants"' }).waitFor();
  assert.ok(!(await result.textContent()).includes('"errors"'));
  // No token in this tab: the request goes without one, and the Headers tab says how to add it.
  assert.equal((await (await sent).allHeaders()).authorization, undefined);
  await page.screenshot({ path: new URL('graphiql.png', SCREENSHOTS).pathname });
  await page.getByRole('button', { name: 'Headers' }).click();
  await page.locator('.graphiql-editor-tool', { hasText: 'token create' }).waitFor();
  assertClean(guard);
  await guard.context.close();
});

test("GraphiQL sends the tab's API token, over HTTP and in the WebSocket's connection_init", async () => {
  const guard = await guardedContext(browser);
  const page = await guard.context.newPage();
  const frames = recordSentFrames(page);
  // The timeline page keeps the token in sessionStorage; GraphiQL is the same origin and the same tab.
  await page.goto(`${BASE}/graphiql`);
  await page.evaluate(([key, token]) => sessionStorage.setItem(key, token), [TOKEN_KEY, TOKEN]);
  await page.reload();
  await page.waitForSelector('.graphiql-container');
  await page.locator('.graphiql-query-editor', { hasText: 'AffairEvents' }).waitFor();
  const sent = page.waitForRequest(isExample);
  await page.click('.graphiql-execute-button');
  await page.locator('.result-window').filter({ hasText: '"events"' }).waitFor();
  assert.equal((await (await sent).allHeaders()).authorization, `Bearer ${TOKEN}`);
  await page.getByRole('button', { name: 'Headers' }).click();
  await page.locator('.graphiql-editor-tool', { hasText: 'Authorization' }).waitFor();

  // The second tab's subscription: graphiql passes the headers as the connection_init payload.
  await page.locator('.graphiql-tab', { hasText: 'Changes' }).click();
  await page.locator('.graphiql-query-editor', { hasText: 'eventChanged' }).waitFor();
  // GraphiQL reads the operation's name from the editor 100 ms after it changes (a debounce):
  // run before that, and it asks for the other tab's operation.
  await page.waitForTimeout(300);
  await page.click('.graphiql-execute-button');
  await eventually(() => initCarries(frames, TOKEN), `no connection_init carried the token: ${frames}`);
  // The server accepted it: a change made elsewhere arrives (and is deleted again, to leave the
  // example affair as it was for the other tests).
  await eventually(() => frames.some((f) => f.includes('"subscribe"')), 'GraphiQL did not subscribe');
  // The server may still be setting up the subscription it was just sent: try a few times.
  let seen = false;
  for (let attempt = 0; attempt < 5 && !seen; attempt++) {
    const title = `Seen by GraphiQL ${Date.now().toString(36)}`;
    const { createEvent } = await graphql('mutation($input: CreateEventInput!) { createEvent(input: $input) { event { id version } } }', {
      input: { title, start: '2024-03-05', kind: 'other' },
    });
    seen = await page.locator('.result-window', { hasText: title }).waitFor({ timeout: 2000 }).then(() => true, () => false);
    await graphql('mutation($input: DeleteEventInput!) { deleteEvent(input: $input) { deletedId } }', {
      input: { id: createEvent.event.id, version: createEvent.event.version },
    });
  }
  assert.ok(seen, 'the subscription did not deliver a new event');
  await page.click('.graphiql-execute-button');
  assertClean(guard);
  await guard.context.close();
});
