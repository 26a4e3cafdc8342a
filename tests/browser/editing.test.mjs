// Editing from the page loses nothing: every event of the example affair, opened in the form and
// saved unchanged, reads the same through GraphQL afterwards, field by field (participants with
// their notes, citations with what they support, links, place with coordinates, time zone, parent,
// tags); editing one field in the form changes that field only.

import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { after, before, describe, test } from 'node:test';

import { assertClean, BASE, enterToken, graphql, guardedContext, launch, TOKEN } from './helpers.mjs';

/** Every field the form could lose, and the links (which updateEvent must not touch). */
const EVENT = `id title summary kind version updatedAt
  start { value } end { value } timeZone confidence tags
  place { name latitude longitude }
  parent { id }
  participants { role note actor { id } }
  citations { quote supports supportsActor { id } source { id } }
  links { kind note target { id } }
  backlinks { kind note source { id } }`;

async function read(id) {
  const { event } = await graphql(`query($id: ID!) { event(id: $id) { ${EVENT} } }`, { id });
  assert.ok(event, `event ${id} is gone`);
  return event;
}

/** The fields of an event but the ones every write changes. */
function content(event) {
  const { version, updatedAt, ...rest } = event;
  void version;
  void updatedAt;
  return rest;
}

/** The fields of `after` that differ from `before` with `changed` applied (the version aside). */
function differences(before, after, changed = {}) {
  const expected = { ...content(before), ...changed };
  return Object.entries(content(after))
    .filter(([field, value]) => !isDeepStrictEqual(value, expected[field]))
    .map(([field, value]) => `${before.title}: ${field} was ${JSON.stringify(expected[field])}, is ${JSON.stringify(value)}`);
}

/** Asserts that `after` equals `before` field by field, but for `changed` (and the version). */
function assertOnly(before, after, changed = {}) {
  assert.deepEqual(differences(before, after, changed), []);
  assert.ok(after.version >= before.version, `${before.title}: version went back`);
}

async function affairEvents() {
  const { events } = await graphql(`{ events(first: 500) { nodes { ${EVENT} } } }`);
  const affair = events.nodes.find((e) => e.title === 'The Taurus leak affair');
  assert.ok(affair, 'the example affair is missing');
  return [affair, ...events.nodes.filter((e) => e.parent?.id === affair.id)];
}

let browser;
/** Two events of the affair made for these tests, linked both ways, with everything the form must keep. */
const made = [];
before(async () => {
  browser = await launch();
  const affair = (await affairEvents())[0];
  const actors = (await graphql('{ actors(first: 3) { nodes { id name } } }')).actors.nodes;
  const source = (await graphql('{ sources(first: 1) { nodes { id } } }')).sources.nodes[0];
  const stamp = Date.now().toString(36);
  for (const title of [`Editing test A ${stamp}`, `Editing test B ${stamp}`]) {
    const { createEvent } = await graphql(`mutation($input: CreateEventInput!) { createEvent(input: $input) { event { id } } }`, {
      input: {
        title,
        summary: '  A summary with spaces around it.  ',
        kind: 'meeting',
        start: '2024-02-19T10:00',
        end: '2024-02-19T12:30',
        timeZone: 'Europe/Berlin',
        place: { name: 'Hotel room, Singapore', latitude: 1.2834, longitude: 103.8607 },
        confidence: 'alleged',
        tags: ['editing-test', stamp],
        parentId: affair.id,
        participants: [
          { actorId: actors[0].id, role: 'organiser', note: 'Called the meeting.' },
          { actorId: actors[1].id, role: 'participant', note: null },
          { actorId: actors[2].id, role: 'subject', note: 'Named, not present.' },
        ],
        citations: [
          { sourceId: source.id, quote: 'Something happened.', supports: 'event' },
          { sourceId: source.id, quote: 'On a Monday.', supports: 'date' },
          { sourceId: source.id, quote: 'He called it.', supports: 'participation', actorId: actors[0].id },
          { sourceId: source.id, quote: null, supports: 'participation', actorId: actors[2].id },
        ],
      },
    });
    made.push(createEvent.event.id);
  }
  await graphql('mutation($input: LinkEventsInput!) { linkEvents(input: $input) { link { id } } }', {
    input: { sourceId: made[0], targetId: made[1], kind: 'causes', note: 'A leads to B.' },
  });
  await graphql('mutation($input: LinkEventsInput!) { linkEvents(input: $input) { link { id } } }', {
    input: { sourceId: made[1], targetId: made[0], kind: 'responds_to', note: null },
  });
});
after(async () => {
  for (const id of made) {
    await graphql('mutation($input: DeleteEventInput!) { deleteEvent(input: $input) { deletedId } }', { input: { id } });
  }
  await browser?.close();
});

/** Opens the page on an event, and the event in the form. */
async function openForm(page, id) {
  await page.goto(`${BASE}/?event=${encodeURIComponent(id)}`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForSelector('#detail:not([hidden]) #edit-event');
  await page.click('#edit-event');
  await page.waitForSelector('dialog#editor[open] form');
}

/** Saves the open form (giving the editor token when the page asks for it) and waits until it has closed. */
async function save(page) {
  await page.click('#save-event');
  const end = Date.now() + 10_000;
  for (;;) {
    if (await page.locator('dialog#token-dialog[open]').count()) await enterToken(page, TOKEN);
    if (!(await page.locator('dialog#editor[open]').count())) return;
    if (Date.now() > end) {
      const errors = await page.locator('dialog#editor .form-errors, dialog#editor .field-error').allTextContents();
      assert.fail(`the form did not close: ${errors.filter(Boolean).join(' | ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('editing from the page', () => {
  test('the events of the affair cover everything the form must keep', async () => {
    const events = await affairEvents();
    assert.ok(events.length >= 14, `${events.length} events`);
    const some = (what, test) => assert.ok(events.some(test), `no event has ${what}`);
    some('an end', (e) => e.end);
    some('a summary', (e) => e.summary);
    some('a time zone', (e) => e.timeZone);
    some('coordinates', (e) => e.place?.latitude != null && e.place?.longitude != null);
    some('a place without coordinates', (e) => e.place?.name && e.place.latitude == null);
    some('a participant note', (e) => e.participants.some((p) => p.note));
    some('a citation supporting a participation', (e) => e.citations.some((c) => c.supports === 'participation' && c.supportsActor));
    some('a citation supporting the date', (e) => e.citations.some((c) => c.supports === 'date'));
    some('a link', (e) => e.links.length);
    some('a backlink', (e) => e.backlinks.length);
    some('a confidence other than reported', (e) => e.confidence !== 'reported');
  });

  test('every event of the example affair, saved unchanged from the form, is unchanged', async () => {
    const guard = await guardedContext(browser);
    const page = await guard.context.newPage();
    const events = await affairEvents();
    const changed = [];
    const written = [];
    for (const before of events) {
      await openForm(page, before.id);
      await save(page);
      const after = await read(before.id);
      changed.push(...differences(before, after));
      if (after.version !== before.version) written.push(before.title);
    }
    assert.deepEqual(changed, [], 'fields changed by saving the form unchanged');
    // Nothing was written: no new version, no empty revision in the history; the page says so.
    assert.deepEqual(written, [], 'saved unchanged, yet written');
    await page.locator('#status', { hasText: 'Nothing to save' }).waitFor();
    assertClean(guard);
    await guard.context.close();
  });

  test('editing the title in the form changes the title only', async () => {
    const guard = await guardedContext(browser);
    const page = await guard.context.newPage();
    const before = await read(made[0]);
    await openForm(page, before.id);
    await page.fill('dialog#editor [data-field="title"]', `${before.title} (retitled)`);
    await save(page);
    await page.locator('#detail h2', { hasText: '(retitled)' }).waitFor();
    const after = await read(before.id);
    assert.equal(after.version, before.version + 1);
    assertOnly(before, after, { title: `${before.title} (retitled)` });
    assertClean(guard);
    await guard.context.close();
  });

  test('a participant note and what a quote supports are edited in the form, and nothing else changes', async () => {
    const guard = await guardedContext(browser);
    const page = await guard.context.newPage();
    const before = await read(made[1]);
    await openForm(page, before.id);
    // The form shows every note, what each quote supports, and whose participation.
    const notes = await page.locator('dialog#editor .participant .note').evaluateAll((els) => els.map((el) => el.value));
    assert.deepEqual(notes, before.participants.map((p) => p.note ?? ''));
    const supports = await page.locator('dialog#editor .citation-row .supports').evaluateAll((els) => els.map((el) => el.value));
    assert.deepEqual(supports, before.citations.map((c) => c.supports));
    const whose = await page.locator('dialog#editor .citation-row .supports-actor').evaluateAll((els) => els.map((el) => (el.hidden ? null : el.value)));
    assert.deepEqual(whose, before.citations.map((c) => c.supportsActor?.id ?? null));

    await page.locator('dialog#editor .participant .note').nth(1).fill('Joined late.');
    await page.locator('dialog#editor .citation-row .supports').nth(0).selectOption('participation');
    await page.locator('dialog#editor .citation-row .supports-actor').nth(0).selectOption(before.participants[1].actor.id);
    await save(page);
    await page.locator('#detail .participants', { hasText: 'Joined late.' }).waitFor();
    const after = await read(before.id);
    const participants = before.participants.map((p, i) => (i === 1 ? { ...p, note: 'Joined late.' } : p));
    const citations = before.citations.map((c, i) => (i === 0 ? { ...c, supports: 'participation', supportsActor: { id: before.participants[1].actor.id } } : c));
    assertOnly(before, after, { participants, citations });
    assertClean(guard);
    await guard.context.close();
  });

  test('coordinates and the time zone are edited in the form', async () => {
    const guard = await guardedContext(browser);
    const page = await guard.context.newPage();
    const before = await read(made[0]);
    await openForm(page, before.id);
    assert.equal(await page.inputValue('dialog#editor [data-field="place.latitude"]'), String(before.place.latitude));
    assert.equal(await page.inputValue('dialog#editor [data-field="place.longitude"]'), String(before.place.longitude));
    await page.fill('dialog#editor [data-field="place.latitude"]', '1.3521');
    await page.fill('dialog#editor [data-field="place.longitude"]', '103.8198');
    assert.equal(await page.inputValue('dialog#editor [data-field="timeZone"]'), before.timeZone);
    await page.fill('dialog#editor [data-field="timeZone"]', 'Asia/Singapore');
    await save(page);
    await page.locator('#detail:not([hidden])').waitFor();
    const after = await read(before.id);
    assertOnly(before, after, { timeZone: 'Asia/Singapore', place: { name: before.place.name, latitude: 1.3521, longitude: 103.8198 } });
    assertClean(guard);
    await guard.context.close();
  });
});
