// The map beside the timeline (issue 13), in headless Chromium with every request to another host
// refused: the example affair's places appear as markers on the bundled basemap, as many as the
// events with coordinates that GraphQL finds in the window; choosing a marker (mouse or keyboard)
// opens the event and the timeline selects it; selecting on the timeline marks the marker; panning
// the timeline changes the markers; events at one spot cluster and list; the toggle is part of the
// link; the map works at a phone's width.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { dragTimeline } from './drag.mjs';
import { assertClean, BASE, eventually, graphql, guardedContext, launch, SCREENSHOTS, TOKEN, TOKEN_KEY } from './helpers.mjs';

const stamp = Date.now().toString(36);
const tag = `map-${stamp}`;
/** Three events at one spot (Munich, 19 February 2024), which no zoom separates. */
const MUNICH = { name: 'Munich', latitude: 48.137, longitude: 11.575 };
const made = [];

/** The window the tests open: around 2 March 2024, where the example places two events. */
const WINDOW = { start: '2024-02-26T00:00:00.000Z', end: '2024-03-08T00:00:00.000Z' };

let browser;
before(async () => {
  browser = await launch();
  for (const n of [1, 2, 3]) {
    const { createEvent } = await graphql('mutation($input: CreateEventInput!) { createEvent(input: $input) { event { id } } }', {
      input: { title: `Munich meeting ${n} ${stamp}`, start: '2024-02-19', kind: 'meeting', tags: [tag], place: MUNICH },
    });
    made.push(createEvent.event.id);
  }
});

// The events leave again: other tests read the whole example.
after(async () => {
  for (const id of made) await graphql('mutation($id: ID!) { deleteEvent(input: { id: $id }) { deletedId } }', { id });
  await browser?.close();
});

const second = (iso) => new Date(Math.floor(Date.parse(iso) / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** The events GraphQL finds in a window that have coordinates. */
async function locatedIn(start, end, filter = {}) {
  const { events } = await graphql(
    'query($filter: EventFilter) { events(first: 500, filter: $filter) { nodes { id title place { name latitude longitude } } } }',
    { filter: { ...filter, from: second(start), to: second(end) } },
  );
  return events.nodes.filter((e) => typeof e.place?.latitude === 'number' && typeof e.place?.longitude === 'number');
}

async function openMap(page, query) {
  await page.goto(`${BASE}/${query}`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForSelector('#map[data-ready="true"]');
}

/** What the map shows: the IDs of its single markers and the events counted by its clusters. */
async function shown(page) {
  const ids = await page.$$eval('#map .map-marker', (els) => els.map((el) => el.dataset.id));
  const clustered = await page.$$eval('#map .map-cluster', (els) => els.reduce((n, el) => n + Number(el.textContent), 0));
  return { ids, clustered, total: ids.length + clustered };
}

const windowQuery = (w) => `?map=1&start=${encodeURIComponent(w.start)}&end=${encodeURIComponent(w.end)}`;

describe('the map', () => {
  test("the example's places appear as markers on the bundled basemap, offline, as many as GraphQL finds", async () => {
    const guard = await guardedContext(browser);
    const page = await guard.context.newPage();
    const assets = [];
    page.on('request', (request) => assets.push(request.url()));
    await openMap(page, windowQuery(WINDOW));
    const expected = await locatedIn(WINDOW.start, WINDOW.end);
    const names = expected.map((e) => e.place.name);
    assert.ok(names.includes('Berlin') && names.includes('Vatican City'), `places: ${names}`);
    await eventually(async () => (await shown(page)).total === expected.length, 'the markers follow the window');
    const { ids } = await shown(page);
    assert.deepEqual(new Set(ids), new Set(expected.map((e) => e.id)));
    assert.equal(await page.getAttribute('#map', 'data-count'), String(expected.length));
    // Markers are buttons named by their event.
    for (const event of expected) {
      const marker = page.locator(`#map .map-marker[data-id="${event.id}"]`);
      assert.equal(await marker.getAttribute('role'), 'button');
      assert.equal(await marker.getAttribute('tabindex'), '0');
      assert.match(await marker.getAttribute('aria-label'), new RegExp(event.title.slice(0, 20).replace(/[^\w ]/g, '.')));
    }
    // The basemap is drawn from the data this server serves, not from a tile server.
    assert.ok((await page.locator('#map path.map-land').count()) > 0, 'the land is drawn');
    assert.equal(await page.locator('#map img.leaflet-tile').count(), 0);
    assert.ok(assets.some((url) => url.startsWith(`${BASE}/assets/countries-110m-`)), 'the basemap came from this server');
    assert.match(await page.textContent('#map .leaflet-control-attribution'), /Natural Earth/);
    await page.screenshot({ path: new URL('map.png', SCREENSHOTS).pathname });

    // The filter: the map shows what the timeline shows (here only the meetings: none of the two).
    await openMap(page, `${windowQuery(WINDOW)}&kinds=meeting`);
    const meetings = await locatedIn(WINDOW.start, WINDOW.end, { kinds: ['meeting'] });
    await eventually(async () => (await page.getAttribute('#map', 'data-count')) === String(meetings.length), 'the markers follow the filter');
    assert.deepEqual(new Set((await shown(page)).ids), new Set(meetings.map((e) => e.id)));
    assert.ok(!meetings.some((e) => e.id === expected.find((x) => x.place.name === 'Berlin').id));
    assertClean(guard);
    await guard.context.close();
  });

  test('choosing a marker opens the event and the timeline selects it; selecting on the timeline marks the marker', async () => {
    const guard = await guardedContext(browser);
    const page = await guard.context.newPage();
    await openMap(page, windowQuery(WINDOW));
    const expected = await locatedIn(WINDOW.start, WINDOW.end);
    const berlin = expected.find((e) => e.place.name === 'Berlin');
    const vatican = expected.find((e) => e.place.name === 'Vatican City');
    await page.waitForSelector(`#map .map-marker[data-id="${berlin.id}"]`);

    await page.click(`#map .map-marker[data-id="${berlin.id}"]`);
    await page.waitForSelector('#detail:not([hidden]) h2');
    assert.equal(await page.textContent('#detail h2'), berlin.title);
    await page.waitForSelector(`#timeline .vis-item.vis-selected[data-id^="${berlin.id}"]`);
    await page.waitForSelector(`#map .map-marker.selected[data-id="${berlin.id}"][aria-current="true"]`);
    assert.match(page.url(), /[?&]map=1(&|$)/);
    assert.match(page.url(), new RegExp(`event=${berlin.id.replace(/[^A-Za-z0-9]/g, '.')}`));

    // The other way: an event chosen on the timeline marks its marker, and only that one.
    await page.locator(`#timeline .vis-item[data-id^="${vatican.id}"]`).first().click();
    await page.waitForSelector(`#map .map-marker.selected[data-id="${vatican.id}"]`);
    assert.equal(await page.locator('#map .map-marker.selected').count(), 1);
    await eventually(async () => (await page.textContent('#detail h2')) === vatican.title, 'the detail follows the timeline');

    // The keyboard: a marker takes the focus, Enter chooses it.
    await page.focus(`#map .map-marker[data-id="${berlin.id}"]`);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`#map .map-marker.selected[data-id="${berlin.id}"]`);
    await eventually(async () => (await page.textContent('#detail h2')) === berlin.title, 'Enter on a marker opens its event');
    // The marker keeps the focus, though the markers are drawn anew.
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.id), berlin.id);
    assertClean(guard);
    await guard.context.close();
  });

  test('panning the timeline changes the markers; events at one spot cluster and list', async () => {
    const guard = await guardedContext(browser);
    const page = await guard.context.newPage();
    await openMap(page, windowQuery(WINDOW));
    const before = await shown(page);
    assert.ok(before.total >= 1, 'markers before the pan');
    assert.equal(before.clustered, 0);

    // Drag the timeline to the right: the window moves back by most of its width, to 19 February.
    await dragTimeline(page, 0.1, 0.9);
    await page.waitForFunction((start) => new URL(location.href).searchParams.get('start') !== start, WINDOW.start);
    const url = new URL(page.url());
    const moved = { start: url.searchParams.get('start'), end: url.searchParams.get('end') };
    assert.ok(Date.parse(moved.start) < Date.parse('2024-02-19') && Date.parse(moved.end) < Date.parse('2024-03-02'), `window ${JSON.stringify(moved)}`);

    const wanted = await locatedIn(moved.start, moved.end);
    assert.ok(made.every((id) => wanted.some((e) => e.id === id)), 'the Munich events are in the moved window');
    await eventually(async () => (await shown(page)).total === wanted.length, 'the markers follow the pan');
    const after = await shown(page);
    assert.ok(after.clustered >= 3, `the three Munich events cluster: ${JSON.stringify(after)}`);
    assert.ok(!before.ids.some((id) => after.ids.includes(id)), 'the markers of 2 March left');

    // The cluster of one spot lists its events; choosing one opens it.
    const cluster = page.locator('#map .map-cluster', { hasText: '3' }).first();
    assert.match(await cluster.getAttribute('aria-label'), /3 events here/);
    await cluster.click();
    await page.waitForSelector('#map .map-spot button');
    assert.equal(await page.locator('#map .map-spot button').count(), 3);
    await page.locator('#map .map-spot button', { hasText: 'Munich meeting 2' }).click();
    await eventually(async () => (await page.textContent('#detail h2')) === `Munich meeting 2 ${stamp}`, 'the listed event opens');
    // The selected event leaves its cluster, so its marker shows.
    await page.waitForSelector(`#map .map-marker.selected[data-id="${made[1]}"]`);
    assertClean(guard);
    await guard.context.close();
  });

  test('the toggle shows and hides the map, as part of the link; hidden, it loads nothing', async () => {
    const guard = await guardedContext(browser);
    const page = await guard.context.newPage();
    const requests = [];
    page.on('request', (request) => requests.push(request.url()));
    const query = `?start=${encodeURIComponent(WINDOW.start)}&end=${encodeURIComponent(WINDOW.end)}`;
    await page.goto(`${BASE}/${query}`);
    await page.waitForSelector('body[data-ready="true"]');
    assert.equal(await page.isHidden('#map'), true);
    assert.equal(await page.getAttribute('#toggle-map', 'aria-pressed'), 'false');
    assert.ok(!requests.some((url) => url.includes('countries-110m') || url.includes('/map/config')), 'a hidden map loads nothing');

    await page.click('#toggle-map');
    await page.waitForSelector('#map[data-ready="true"] .map-marker');
    assert.equal(await page.getAttribute('#toggle-map', 'aria-pressed'), 'true');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('map') === '1');

    await page.click('#toggle-map');
    await page.waitForSelector('#map', { state: 'hidden' });
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('map'));
    assertClean(guard);
    await guard.context.close();
  });

  test("the event form's coordinates are picked on the map, and the picked point is marked", async () => {
    const guard = await guardedContext(browser);
    const page = await guard.context.newPage();
    await page.goto(`${BASE}/`);
    await page.evaluate((args) => sessionStorage.setItem(...args), [TOKEN_KEY, TOKEN]);
    await page.goto(`${BASE}/${windowQuery(WINDOW).replace('map=1&', '')}`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.click('#add-event');
    await page.waitForSelector('dialog#editor[open] #pick-on-map');
    assert.equal(await page.inputValue('dialog#editor input[name="latitude"]'), '');
    await page.click('#pick-on-map');
    await page.waitForSelector('dialog#editor .form-map path.map-land');
    const box = await page.locator('dialog#editor .form-map').boundingBox();
    await page.mouse.click(box.x + box.width * 0.55, box.y + box.height * 0.4);
    await eventually(async () => (await page.inputValue('dialog#editor input[name="latitude"]')) !== '', 'a click sets the coordinates');
    const lat = Number(await page.inputValue('dialog#editor input[name="latitude"]'));
    const lng = Number(await page.inputValue('dialog#editor input[name="longitude"]'));
    assert.ok(Math.abs(lat) <= 90 && Math.abs(lng) <= 180, `${lat}, ${lng}`);
    await page.waitForSelector('dialog#editor .form-map .map-marker');
    // Typed coordinates move the mark (the map follows it).
    const mark = page.locator('dialog#editor .form-map .map-marker');
    assert.match(await mark.getAttribute('aria-label'), new RegExp(`${lat}, ${lng}`.replace(/[.]/g, '\\.')));
    await page.fill('dialog#editor input[name="latitude"]', '-33.87');
    await page.fill('dialog#editor input[name="longitude"]', '151.21');
    await page.locator('dialog#editor input[name="longitude"]').dispatchEvent('change');
    await eventually(async () => (await mark.count()) === 1 && /-33\.87, 151\.21/.test(await mark.getAttribute('aria-label')), 'the mark moves to typed coordinates');
    await page.keyboard.press('Escape');
    assertClean(guard);
    await guard.context.close();
  });

  test("at a phone's width the map sits below the timeline, inside the screen", async () => {
    const guard = await guardedContext(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await guard.context.newPage();
    await openMap(page, windowQuery(WINDOW));
    await page.waitForSelector('#map .map-marker');
    const map = await page.locator('#map-canvas').boundingBox();
    const timeline = await page.locator('#timeline').boundingBox();
    assert.ok(map.x >= 0 && map.x + map.width <= 390 + 1, `map ${JSON.stringify(map)}`);
    assert.ok(map.width > 300 && map.height > 150, `map ${JSON.stringify(map)}`);
    assert.ok(map.y >= timeline.y + timeline.height - 1, 'the map is below the timeline');
    await page.screenshot({ path: new URL('map-phone.png', SCREENSHOTS).pathname });
    // A marker tapped opens the detail sheet, drawn over the map (Leaflet's panes stay inside it).
    await page.locator('#map .map-marker').first().tap();
    await page.waitForSelector('#detail:not([hidden]) h2');
    const onTop = await page.evaluate(() => {
      const box = document.querySelector('#detail').getBoundingClientRect();
      const map = document.querySelector('#map-canvas').getBoundingClientRect();
      const y = Math.max(box.top, map.top) + 20;
      return document.elementFromPoint(box.left + box.width / 2, Math.min(y, box.bottom - 5))?.closest('#detail') !== null;
    });
    assert.ok(onTop, 'the detail sheet is over the map');
    assertClean(guard);
    await guard.context.close();
  });
});
