// An event's history from the page: every revision with who wrote it, when, and what changed
// field by field; an earlier version restored in one click becomes a new version (operation
// `revert`), equal to the one restored.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { assertClean, BASE, graphql, guardedContext, launch, SCREENSHOTS, TOKEN, TOKEN_KEY } from './helpers.mjs';

const FIELDS = `title summary kind start { value } end { value } timeZone confidence tags
  place { name latitude longitude } parent { id }
  participants { role note actor { id } }
  citations { quote supports supportsActor { id } source { id } }
  links { kind note target { id } }`;

async function read(id) {
  return (await graphql(`query($id: ID!) { event(id: $id) { version ${FIELDS} } }`, { id })).event;
}
const content = ({ version, ...rest }) => (void version, rest);

let browser;
let id;
before(async () => {
  browser = await launch();
  const actors = (await graphql('{ actors(first: 2) { nodes { id } } }')).actors.nodes;
  const { createEvent } = await graphql('mutation($input: CreateEventInput!) { createEvent(input: $input) { event { id } } }', {
    input: {
      title: `History test ${Date.now().toString(36)}`, start: '2024-02-21', kind: 'statement', summary: 'First told.',
      tags: ['history-test'], participants: [{ actorId: actors[0].id, role: 'speaker', note: 'on the record' }],
    },
  });
  id = createEvent.event.id;
  await graphql('mutation($input: UpdateEventInput!) { updateEvent(input: $input) { event { id } } }', {
    input: { id, version: 1, title: 'History test, retold', summary: 'Told again.', tags: ['history-test', 'retold'], participants: [{ actorId: actors[1].id, role: 'speaker' }] },
  });
});
after(async () => {
  await graphql('mutation($input: DeleteEventInput!) { deleteEvent(input: $input) { deletedId } }', { input: { id } });
  await browser?.close();
});

describe('history', () => {
  test('shows what changed field by field, and restores an earlier version in one click', async () => {
    const guard = await guardedContext(browser);
    const page = await guard.context.newPage();
    await page.goto(`${BASE}/`);
    await page.evaluate((args) => sessionStorage.setItem(...args), [TOKEN_KEY, TOKEN]);
    const first = await read(id);
    assert.equal(first.version, 2);
    const original = (await graphql('query($id: ID!) { event(id: $id) { revision(version: 1) { event { ' + FIELDS + ' } } } }', { id })).event.revision.event;

    await page.goto(`${BASE}/?event=${encodeURIComponent(id)}`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.click('#detail #open-history');
    await page.waitForSelector('dialog#history[open] .revision');
    assert.deepEqual(await page.$$eval('dialog#history .revision', (els) => els.map((el) => el.dataset.version)), ['2', '1']);
    const head = await page.textContent('dialog#history .revision[data-version="2"] .revision-head');
    assert.match(head, /update/);
    assert.match(head, /browser-tests-editor/);
    await page.screenshot({ path: new URL('history.png', SCREENSHOTS).pathname });
    const row = (field) => page.locator(`dialog#history .revision[data-version="2"] tr.change[data-field="${field}"]`);
    assert.equal(await row('title').locator('.was').textContent(), original.title);
    assert.equal(await row('title').locator('.is').textContent(), 'History test, retold');
    assert.equal(await row('summary').locator('.was').textContent(), 'First told.');
    assert.equal(await row('tags').locator('.is').textContent(), 'history-test, retold');
    assert.match(await row('participants').locator('.was').textContent(), /\(speaker\): on the record/);
    // Fields that did not change have no row.
    assert.equal(await page.locator('dialog#history .revision[data-version="2"] tr.change[data-field="start"]').count(), 0);
    // The current version cannot be restored; the first can.
    assert.equal(await page.locator('dialog#history .revision[data-version="2"] .restore-version').count(), 0);

    await page.click('dialog#history .revision[data-version="1"] .restore-version');
    await page.locator('#detail h2', { hasText: original.title }).waitFor();
    assert.equal(await page.locator('dialog#history[open]').count(), 0);
    const restored = await read(id);
    assert.equal(restored.version, 3);
    assert.deepEqual(content(restored), original);
    const { event } = await graphql('query($id: ID!) { event(id: $id) { revisions { version operation by } } }', { id });
    assert.deepEqual(event.revisions.at(-1), { version: 3, operation: 'revert', by: 'browser-tests-editor' });

    // The new version is in the history, as a revert.
    await page.click('#detail #open-history');
    await page.waitForSelector('dialog#history[open] .revision[data-version="3"]');
    assert.match(await page.textContent('dialog#history .revision[data-version="3"] .revision-head'), /revert/);
    assertClean(guard);
    await guard.context.close();
  });
});
