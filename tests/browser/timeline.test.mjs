// The timeline page at / in headless Chromium: the example affair with its lanes, filters, the
// detail panel with citations, the view in the URL, the keyboard, the form (with the API token it
// asks for), live updates and the timeline as known at an instant.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { dragTimeline } from './drag.mjs';
import {
  assertClean, BASE, drawnEventIds, enterToken, eventually, graphql, guardedContext, initCarries, keptToken, laneLabels, launch,
  openTimeline, READER_TOKEN, recordSentFrames, SCREENSHOTS, TOKEN,
} from './helpers.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function eventIdsOf(filter) {
  const data = await graphql('query($filter: EventFilter) { events(first: 100, filter: $filter) { nodes { id title } } }', { filter });
  return data.events.nodes;
}

async function eventCount() {
  const data = await graphql('{ events(first: 1) { totalCount } }');
  return data.events.totalCount;
}

async function actorId(name) {
  const data = await graphql('query($search: String) { actors(first: 10, search: $search) { nodes { id name } } }', { search: name });
  const actor = data.actors.nodes.find((a) => a.name === name);
  assert.ok(actor, `no actor ${name}`);
  return actor.id;
}

describe('the timeline page', () => {
  test('renders the example affair in lanes, with link arrows, offline', async () => {
    const guard = await guardedContext(browser);
    const page = await guard.context.newPage();
    await openTimeline(page);
    await page.waitForFunction(() => document.querySelectorAll('#timeline .vis-item').length >= 10);
    const lanes = await laneLabels(page);
    assert.ok(lanes.length >= 5, `lanes: ${lanes}`);
    assert.ok(lanes.includes('Olaf Scholz'), `lanes: ${lanes}`);
    // Fuzzy dates are drawn as spans with soft edges, marked when approximate or uncertain.
    assert.ok((await page.locator('#timeline .vis-item.fuzzy').count()) >= 5);
    assert.ok((await page.locator('#timeline .vis-item.uncertain').count()) >= 1);
    // Typed links are arrows with their kind written on them.
    await page.waitForSelector('svg.arrows path.link');
    const labels = await page.$$eval('svg.arrows .link-label', (els) => els.map((el) => el.textContent));
    assert.ok(labels.includes('reveals'), `arrow labels: ${labels}`);
    // The density strip comes from timelineHistogram.
    assert.match(await page.locator('#status').textContent(), /events? in view/);
    await page.screenshot({ path: new URL('timeline.png', SCREENSHOTS).pathname });
    assertClean(guard);
    await guard.context.close();
  });

  test('filtering by an actor hides the other actors and their events', async () => {
    const guard = await guardedContext(browser);
    const page = await guard.context.newPage();
    await openTimeline(page);
    const before = await drawnEventIds(page);
    const scholz = await actorId('Olaf Scholz');
    const expected = new Set((await eventIdsOf({ actorIds: [scholz] })).map((e) => e.id));
    assert.ok(expected.size >= 1 && expected.size < before.length);

    await page.click('#f-actors summary');
    await page.fill('#f-actors .pick-search', 'Scholz');
    await page.check('#f-actors input[type="checkbox"][value="' + scholz + '"]');
    await page.waitForFunction(() => {
      const labels = [...document.querySelectorAll('#timeline .vis-labelset .lane-label')].map((el) => el.textContent);
      return labels.length === 1 && labels[0] === 'Olaf Scholz';
    });
    await page.waitForFunction((n) => new Set([...document.querySelectorAll('#timeline .vis-item[data-id]')].map((el) => el.dataset.id.split('|')[0])).size === n, expected.size);
    const after = await drawnEventIds(page);
    for (const id of after) assert.ok(expected.has(id), `event ${id} does not involve Scholz`);
    assert.match(page.url(), new RegExp(`actors=${scholz.replace(/[^A-Za-z0-9]/g, '.')}`));
    assertClean(guard);
    await guard.context.close();
  });

  test('selecting an event shows its sources with their quotes', async () => {
    const guard = await guardedContext(browser);
    const page = await guard.context.newPage();
    await openTimeline(page);
    await page.locator('#timeline .vis-item', { hasText: 'Head of RT posts the 38-minute recording' }).first().click();
    await page.waitForSelector('#detail:not([hidden]) .citation blockquote');
    await assert.doesNotReject(page.locator('#detail h2', { hasText: 'Head of RT posts the 38-minute recording online' }).waitFor());
    const quotes = await page.locator('#detail .citation blockquote').allTextContents();
    assert.ok(quotes.some((q) => q.includes('38-minute audio tape')), `quotes: ${quotes}`);
    assert.match(await page.locator('#detail .understood').first().textContent(), /1 March 2024 \(day precision\)/);
    assert.ok(await page.locator('#detail .citation .source', { hasText: 'The Wall Street Journal' }).count());
    // Linked events are clickable and open the other event.
    await page.locator('#detail .links button', { hasText: 'Secret Luftwaffe video call' }).first().click();
    await page.locator('#detail h2', { hasText: 'Secret Luftwaffe video call' }).waitFor();
    assertClean(guard);
    await guard.context.close();
  });

  test('the URL reproduces the view: filters, window and selected event', async () => {
    const guard = await guardedContext(browser);
    const page = await guard.context.newPage();
    await openTimeline(page);
    await page.selectOption('#f-group', 'kind');
    await page.click('#f-kinds summary');
    await page.check('#f-kinds input[value="statement"]');
    await page.waitForFunction(() => {
      const labels = [...document.querySelectorAll('#timeline .vis-labelset .lane-label')].map((el) => el.textContent);
      return labels.length === 1 && labels[0] === 'statement';
    });
    await page.locator('#timeline .vis-item', { hasText: 'Medvedev' }).first().click();
    await page.locator('#detail h2', { hasText: 'Medvedev' }).waitFor();
    await page.click('#copy-link');
    const url = page.url();
    assert.match(url, /group=kind/);
    assert.match(url, /kinds=statement/);
    assert.match(url, /event=/);
    assert.match(url, /start=.*end=/);

    const other = await guardedContext(browser);
    const second = await other.context.newPage();
    await second.goto(url);
    await second.waitForSelector('body[data-ready="true"]');
    await second.locator('#detail h2', { hasText: 'Medvedev' }).waitFor();
    assert.deepEqual(await laneLabels(second), ['statement']);
    assert.ok(await second.locator('#f-kinds input[value="statement"]').isChecked());
    assert.equal(await second.locator('#f-group').inputValue(), 'kind');
    const selected = await second.$$eval('#timeline .vis-item.vis-selected', (els) => els.map((el) => el.textContent));
    assert.ok(selected.some((t) => t.includes('Medvedev')), `selected: ${selected}`);
    const windowOf = (u) => new URL(u).searchParams.get('start') + new URL(u).searchParams.get('end');
    assert.equal(windowOf(second.url()), windowOf(url));
    assertClean(guard);
    assertClean(other);
    await guard.context.close();
    await other.context.close();
  });

  test("a link's window takes clicks and drags as soon as the page is ready", async () => {
    const guard = await guardedContext(browser);
    const page = await guard.context.newPage();
    const start = '2024-02-26T00:00:00.000Z';
    await page.goto(`${BASE}/?start=${encodeURIComponent(start)}&end=${encodeURIComponent('2024-03-08T00:00:00.000Z')}`);
    await page.waitForSelector('body[data-ready="true"]');
    // vis-timeline's transparent loading screen would swallow the first second of a user's drags.
    assert.equal(await page.locator('#timeline .vis-loading-screen').count(), 0, 'nothing covers the lanes');
    await dragTimeline(page, 0.2, 0.8);
    await page.waitForFunction((s) => new URL(location.href).searchParams.get('start') !== s, start);
    assert.ok(Date.parse(new URL(page.url()).searchParams.get('start')) < Date.parse(start), 'dragged right, the window moved back');
    assertClean(guard);
    await guard.context.close();
  });

  test('the keyboard moves between events and opens one', async () => {
    const guard = await guardedContext(browser);
    const page = await guard.context.newPage();
    await openTimeline(page);
    await page.focus('#timeline');
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('#timeline .vis-item.vis-selected');
    const first = await page.locator('#timeline .vis-item.vis-selected').first().getAttribute('data-id');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction((id) => document.querySelector('#timeline .vis-item.vis-selected')?.dataset.id !== id, first);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#detail:not([hidden]) h2');
    assert.match(page.url(), /event=/);
    await page.keyboard.press('Escape');
    assertClean(guard);
    await guard.context.close();
  });

  test('an event added in the form appears, and a second window receives it live', async () => {
    const stamp = Date.now().toString(36);
    const title = `Browser test event ${stamp}`;
    const known = `Known actor ${stamp}`;
    const fresh = `New actor ${stamp}`;
    const { createActor } = await graphql(
      'mutation($input: CreateActorInput!) { createActor(input: $input) { actor { id } } }',
      { input: { name: known, kind: 'person' } },
    );

    const writer = await guardedContext(browser);
    const reader = await guardedContext(browser);
    const page = await writer.context.newPage();
    const frames = recordSentFrames(page);
    await openTimeline(page);
    // No token yet: nothing to sign out of, and the live connection went without one.
    assert.ok(await page.locator('#sign-out').isHidden());
    await page.waitForSelector('#live[data-state="live"]');
    assert.ok(!frames.some((f) => f.includes('Authorization')), `frames: ${frames}`);
    // The second window shows the same period, filtered on the known actor: one lane, no events yet.
    const view = new URL(page.url());
    const watcher = await reader.context.newPage();
    await watcher.goto(`${BASE}/?actors=${createActor.actor.id}&start=${view.searchParams.get('start')}&end=${view.searchParams.get('end')}`);
    await watcher.waitForSelector('body[data-ready="true"]');
    await watcher.waitForSelector('#live[data-state="live"]');
    assert.equal(await watcher.locator('#timeline .vis-item[data-id]').count(), 0);

    await page.click('#add-event');
    await page.waitForSelector('dialog#editor[open] form');
    await page.fill('dialog#editor [data-field="title"]', title);

    // What the server rejects lands next to its field.
    await page.fill('dialog#editor [data-field="start"]', '2024-13');
    await page.locator('dialog#editor .understood.bad').first().waitFor();
    // The first save asks for the API token, once, in a password field.
    const firstSave = page.waitForRequest((r) => r.url().endsWith('/graphql') && (r.postData() ?? '').includes('createEvent'));
    await page.click('#save-event');
    await page.locator('dialog#token-dialog[open]', { hasText: 'chronik token create' }).waitFor();
    await enterToken(page, TOKEN);
    assert.equal((await (await firstSave).allHeaders()).authorization, `Bearer ${TOKEN}`);
    await page.locator('[data-error-for="start"]', { hasText: 'month must be 01–12' }).waitFor();
    assert.equal(await keptToken(page), TOKEN);
    assert.ok(await page.locator('#sign-out').isVisible());

    // The fuzzy date field says what it understood.
    await page.fill('dialog#editor [data-field="start"]', '2024-03-02T12:00');
    await page.locator('dialog#editor .understood', { hasText: '2 March 2024, 12:00 UTC (minute precision)' }).waitFor();

    // Participants: a known actor picked by name, and a new one created from the picker.
    await page.click('#add-participant');
    await page.locator('dialog#editor .participant .actor').nth(0).fill(known);
    await page.locator('dialog#editor .participant .role').nth(0).fill('speaker');
    await page.click('#add-participant');
    await page.locator('dialog#editor .participant .actor').nth(1).fill(fresh);
    await page.locator('dialog#editor .participant .create-actor-button').nth(1).click();
    await page.locator('dialog#editor .participant .create-actor').nth(1).waitFor({ state: 'hidden' });
    await page.locator('dialog#editor .participant .role').nth(1).fill('subject');

    // A citation with a quote from the example's source.
    await page.click('#add-citation');
    const source = page.locator('dialog#editor .citation-row select.source');
    await source.selectOption(await source.locator('option').nth(1).getAttribute('value'));
    await page.fill('dialog#editor .citation-row .quote', 'A quote typed by the browser test.');

    const saved = page.waitForResponse((r) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes('createEvent'));
    await page.click('#save-event');
    const response = await saved;
    const savedAt = Date.now();
    assert.equal((await response.request().allHeaders()).authorization, `Bearer ${TOKEN}`);
    // The second window shows it within a second, without reloading.
    await watcher.locator('#timeline .vis-item', { hasText: title }).first().waitFor({ timeout: 1000 });
    const delay = Date.now() - savedAt;
    assert.ok(delay <= 1000, `the second window took ${delay} ms`);
    assert.deepEqual(await laneLabels(watcher), [known]);

    await page.locator('#detail h2', { hasText: title }).waitFor();
    await page.locator('#timeline .vis-item', { hasText: title }).first().waitFor();
    assert.match(await page.locator('#status').textContent(), /2 March 2024, 12:00 UTC/);
    assert.ok(await page.locator('#detail .participants', { hasText: fresh }).count());
    assert.ok(await page.locator('#detail blockquote', { hasText: 'A quote typed by the browser test.' }).count());

    // Editing sends the version read; the second window follows live.
    await page.click('#edit-event');
    await page.fill('dialog#editor [data-field="title"]', `${title} (edited)`);
    await page.click('#save-event');
    await page.locator('#detail h2', { hasText: '(edited)' }).waitFor();
    await watcher.locator('#timeline .vis-item', { hasText: `${title} (edited)` }).first().waitFor({ timeout: 2000 });
    // The token was asked for once only.
    assert.equal(await page.locator('dialog#token-dialog[open]').count(), 0);

    // Once the server accepted the token, the live connection presents it in connection_init.
    await eventually(() => initCarries(frames, TOKEN), 'no connection_init carried the token');
    await page.waitForSelector('#live[data-state="live"]');

    // Signing out forgets it: the next change asks again.
    await page.click('#sign-out');
    assert.equal(await keptToken(page), null);
    assert.ok(await page.locator('#sign-out').isHidden());
    await page.click('#edit-event');
    // A change (saving an unchanged form writes nothing, and needs no token).
    await page.fill('dialog#editor [data-field="title"]', `${title} (edited twice)`);
    await page.click('#save-event');
    await page.locator('dialog#token-dialog[open]').waitFor();
    await page.click('#token-cancel');
    await page.locator('dialog#editor .form-errors', { hasText: 'changes need an API token' }).waitFor();
    assertClean(writer);
    assertClean(reader);
    await writer.context.close();
    await reader.context.close();
  });

  test('a change with a bad token says why and writes nothing, and live updates go on', async () => {
    const title = `Refused then saved ${Date.now().toString(36)}`;
    const before = await eventCount();
    const writer = await guardedContext(browser);
    const reader = await guardedContext(browser);
    const page = await writer.context.newPage();
    await openTimeline(page);
    const view = new URL(page.url());
    const watcher = await reader.context.newPage();
    // The second window shows the same period in one lane, for events of kind "other" (what the form adds).
    await watcher.goto(`${BASE}/?group=kind&kinds=other&start=${view.searchParams.get('start')}&end=${view.searchParams.get('end')}`);
    await watcher.waitForSelector('body[data-ready="true"]');
    await watcher.waitForSelector('#live[data-state="live"]');

    await page.click('#add-event');
    await page.waitForSelector('dialog#editor[open] form');
    await page.fill('dialog#editor [data-field="title"]', title);
    await page.fill('dialog#editor [data-field="start"]', '2024-03-02');
    await page.click('#save-event');

    // A token the server does not know: 401, said at the form and in the dialog, which asks again.
    await enterToken(page, 'chronik_this-token-was-never-created');
    await page.locator('dialog#token-dialog[open] #token-problem', { hasText: 'Unknown or revoked token' }).waitFor();
    await page.locator('dialog#editor .form-errors', { hasText: 'Unknown or revoked token' }).waitFor();
    assert.equal(await keptToken(page), null);

    // A reader token: FORBIDDEN.
    await enterToken(page, READER_TOKEN);
    await page.locator('dialog#token-dialog[open] #token-problem', { hasText: 'may not edit' }).waitFor();
    await page.locator('dialog#editor .form-errors', { hasText: 'may not edit' }).waitFor();
    assert.equal(await keptToken(page), null);

    // Giving up leaves the form open with the reason; nothing was written.
    await page.click('#token-cancel');
    await page.locator('dialog#editor[open] .form-errors', { hasText: 'may not edit' }).waitFor();
    assert.equal(await eventCount(), before);
    assert.equal((await eventIdsOf({ search: title })).length, 0);
    assert.equal(await watcher.locator('#timeline .vis-item', { hasText: title }).count(), 0);

    // With an editor token the same form saves, and the second window still receives it live.
    await page.click('#save-event');
    await enterToken(page, TOKEN);
    await page.locator('#detail h2', { hasText: title }).waitFor();
    await watcher.locator('#status', { hasText: `New: “${title}”` }).waitFor({ timeout: 2000 });
    await watcher.locator('#timeline .vis-item', { hasText: title }).first().waitFor({ timeout: 2000 });
    assert.equal(await eventCount(), before + 1);
    // Chromium logs the refused request (401); that one error is expected.
    assertClean(writer, [/status of 401/]);
    assertClean(reader);
    await writer.context.close();
    await reader.context.close();
  });

  test('the timeline as known at an instant shows the record before its edit, read-only, and comes back to now', async () => {
    const stamp = Date.now().toString(36);
    const { createEvent } = await graphql(
      'mutation($input: CreateEventInput!) { createEvent(input: $input) { event { id } } }',
      { input: { title: `Draft headline ${stamp}`, start: '2024-03-01', kind: 'publication', tags: [`draft-${stamp}`] } },
    );
    const id = createEvent.event.id;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const knownThen = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await graphql('mutation($input: UpdateEventInput!) { updateEvent(input: $input) { event { id } } }', {
      input: { id, version: 1, title: `Corrected headline ${stamp}` },
    });

    const guard = await guardedContext(browser);
    const page = await guard.context.newPage();
    // Filtered to its tag, so that its lane is the only one (and in view).
    await openTimeline(page, `?asOf=${knownThen}&tags=draft-${stamp}&event=${encodeURIComponent(id)}`);
    await page.locator('#detail h2', { hasText: `Draft headline ${stamp}` }).waitFor();
    await page.locator('#timeline .vis-item', { hasText: `Draft headline ${stamp}` }).first().waitFor();
    assert.equal(await page.locator('#timeline .vis-item', { hasText: `Corrected headline ${stamp}` }).count(), 0);
    assert.match(await page.locator('#past').textContent(), /As known at/);
    // The past cannot be changed: no edit or delete, no adding, and no search (which reads the present).
    assert.equal(await page.locator('#edit-event').count(), 0);
    assert.ok(await page.locator('#add-event').isDisabled());
    assert.ok(await page.locator('#f-search').isDisabled());
    assert.notEqual(await page.locator('#f-asof').inputValue(), '');
    // The link carries the instant.
    assert.equal(new URL(page.url()).searchParams.get('asOf'), knownThen);
    await page.screenshot({ path: new URL('timeline-as-known-at.png', SCREENSHOTS).pathname });

    await page.click('#back-to-now');
    await page.locator('#detail h2', { hasText: `Corrected headline ${stamp}` }).waitFor();
    await page.locator('#timeline .vis-item', { hasText: `Corrected headline ${stamp}` }).first().waitFor();
    assert.ok(await page.locator('#past').isHidden());
    assert.equal(new URL(page.url()).searchParams.get('asOf'), null);
    assert.ok(await page.locator('#edit-event').isVisible());
    assert.ok(!(await page.locator('#add-event').isDisabled()));
    assertClean(guard);
    await guard.context.close();
    await graphql('mutation($input: DeleteEventInput!) { deleteEvent(input: $input) { deletedId } }', { input: { id, version: 2 } });
  });

  test('works on a phone-sized screen, in dark mode', async () => {
    const guard = await guardedContext(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, colorScheme: 'dark' });
    const page = await guard.context.newPage();
    await openTimeline(page);
    await page.locator('#timeline .vis-item', { hasText: 'Head of RT' }).first().tap();
    await page.waitForSelector('#detail:not([hidden]) .citation blockquote');
    // Filters fold away behind a button.
    assert.ok(!(await page.locator('#f-search').isVisible()));
    await page.click('#toggle-filters');
    await page.locator('#f-search').waitFor();
    await page.click('#toggle-filters');
    const box = await page.locator('#detail').boundingBox();
    assert.ok(box && box.width <= 390, `detail panel is ${box?.width}px wide`);
    await page.screenshot({ path: new URL('timeline-phone.png', SCREENSHOTS).pathname });
    assertClean(guard);
    await guard.context.close();
  });
});
