// Links and parents edited from the page: a typed link added with the searchable picker shows in
// the detail panel of both events (→ and ←) and is removed from either; the parent is cleared and
// set again in the form, which changes the parent only; the detail shows an event's parent and the
// events part of it.

import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { after, before, describe, test } from 'node:test';

import { assertClean, BASE, eventually, graphql, guardedContext, launch, TOKEN, TOKEN_KEY } from './helpers.mjs';

const EVENT = `id title summary kind version
  start { value } end { value } timeZone confidence tags
  place { name latitude longitude }
  parent { id }
  participants { role note actor { id } }
  citations { quote supports supportsActor { id } source { id } }
  links { id kind note target { id } }
  backlinks { id kind note source { id } }`;

async function read(id) {
  return (await graphql(`query($id: ID!) { event(id: $id) { ${EVENT} } }`, { id })).event;
}

/** The fields of `after` that differ from `before` with `changed` applied (the version aside). */
function differences(before, after, changed = {}) {
  const expected = { ...before, ...changed, version: after.version };
  return Object.keys(after).filter((k) => !isDeepStrictEqual(after[k], expected[k])).map((k) => `${k}: ${JSON.stringify(expected[k])} → ${JSON.stringify(after[k])}`);
}

let browser;
let affair;
const made = [];
const stamp = `rel${Date.now().toString(36)}`;

before(async () => {
  browser = await launch();
  const { events } = await graphql('{ events(first: 500) { nodes { id title } } }');
  affair = events.nodes.find((e) => e.title === 'The Taurus leak affair');
  assert.ok(affair, 'the example affair is missing');
  for (const title of [`Relations first ${stamp}`, `Relations second ${stamp}`]) {
    const { createEvent } = await graphql('mutation($input: CreateEventInput!) { createEvent(input: $input) { event { id } } }', {
      input: { title, start: '2024-02-20', kind: 'meeting', parentId: affair.id, summary: 'Made by relations.test.mjs', tags: [stamp] },
    });
    made.push(createEvent.event.id);
  }
});
after(async () => {
  for (const id of made) await graphql('mutation($input: DeleteEventInput!) { deleteEvent(input: $input) { deletedId } }', { input: { id } });
  await browser?.close();
});

/** Opens the page on an event and waits for its detail panel. */
async function openEvent(page, id) {
  await page.goto(`${BASE}/?event=${encodeURIComponent(id)}`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForSelector('#detail:not([hidden]) .relations');
}

/** Keeps the editor token in the tab, as the token dialog would: writes need no dialog then. */
async function signIn(page) {
  await page.goto(`${BASE}/`);
  await page.evaluate((args) => sessionStorage.setItem(...args), [TOKEN_KEY, TOKEN]);
}

describe('links and parents from the page', () => {
  test('a link added with the picker shows both ways and is removed from the other end', async () => {
    const guard = await guardedContext(browser);
    const page = await guard.context.newPage();
    await signIn(page);
    const [first, second] = made;
    const before = await read(first);
    await openEvent(page, first);
    await page.click('#detail .add-link summary');
    await page.fill('#detail [name="link-kind"]', 'causes');
    await page.fill('#detail [name="link-note"]', 'First leads to second.');
    await page.fill('#detail [name="link-target"]', `second ${stamp}`);
    // The picker finds the other event by its words, and never offers the event itself.
    await page.locator(`#detail .pick-event[data-event="${second}"]`).waitFor();
    assert.equal(await page.locator(`#detail .pick-event[data-event="${first}"]`).count(), 0);
    await page.click(`#detail .pick-event[data-event="${second}"]`);
    await page.locator(`#detail .relations li.link`, { hasText: `Relations second ${stamp}` }).waitFor();

    const linked = await read(first);
    assert.equal(linked.links.length, 1);
    assert.equal(linked.links[0].kind, 'causes');
    assert.equal(linked.links[0].note, 'First leads to second.');
    assert.equal(linked.links[0].target.id, second);
    assert.deepEqual(differences(before, linked, { links: linked.links }), [], 'linking changed more than the links');

    // The other end shows it as a backlink, and removes it.
    await page.click(`#detail .relations li.link button[data-event="${second}"]`);
    const back = page.locator('#detail .relations li.backlink', { hasText: `Relations first ${stamp}` });
    await back.waitFor();
    assert.match(await back.textContent(), /← causes/);
    await back.locator('button.unlink').click();
    await eventually(async () => (await page.locator('#detail .relations li.backlink').count()) === 0, 'the backlink stayed on the page');
    assert.deepEqual((await read(first)).links, []);
    assert.deepEqual((await read(second)).backlinks, []);
    assertClean(guard);
    await guard.context.close();
  });

  test('the parent is cleared and set again in the form, and nothing else changes', async () => {
    const guard = await guardedContext(browser);
    const page = await guard.context.newPage();
    await signIn(page);
    const id = made[0];
    const before = await read(id);
    assert.equal(before.parent.id, affair.id);

    // The detail shows the parent, and the parent shows its children.
    await openEvent(page, id);
    await page.locator('#detail .relations .parent', { hasText: 'The Taurus leak affair' }).waitFor();

    await page.click('#edit-event');
    await page.waitForSelector('dialog#editor[open] form');
    assert.equal(await page.getAttribute('dialog#editor [data-field="parentId"]', 'data-id'), affair.id);
    await page.click('dialog#editor #clear-parent');
    await page.click('#save-event');
    await eventually(async () => (await page.locator('dialog#editor[open]').count()) === 0, 'the form did not close');
    const cleared = await read(id);
    assert.deepEqual(differences(before, cleared, { parent: null }), []);
    assert.equal(cleared.version, before.version + 1);
    await eventually(async () => (await page.locator('#detail .relations .parent').count()) === 0, 'the detail still shows a parent');

    await page.click('#edit-event');
    await page.waitForSelector('dialog#editor[open] form');
    await page.fill('dialog#editor [name="parent-search"]', 'Taurus leak affair');
    await page.press('dialog#editor [name="parent-search"]', 'Enter');
    await page.locator(`dialog#editor .pick-event[data-event="${affair.id}"]`).click();
    assert.equal(await page.getAttribute('dialog#editor [data-field="parentId"]', 'data-id'), affair.id);
    await page.click('#save-event');
    await eventually(async () => (await page.locator('dialog#editor[open]').count()) === 0, 'the form did not close');
    const restored = await read(id);
    assert.deepEqual(differences(before, restored), []);

    await page.locator('#detail .relations .parent button', { hasText: 'The Taurus leak affair' }).click();
    await page.locator('#detail h2', { hasText: 'The Taurus leak affair' }).waitFor();
    await page.locator(`#detail .relations .children button[data-event="${id}"]`).waitFor();
    assertClean(guard);
    await guard.context.close();
  });
});
