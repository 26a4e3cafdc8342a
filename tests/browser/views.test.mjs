// Saved views and the display time zone from the page: an editor saves the current view (filters,
// lanes, window, axis, zone) by name; its link opened in a fresh browser shows the same filters and
// window; the owner deletes it. The zone switch (the browser's, UTC, an IANA zone typed in) is in
// the link, refuses a zone it does not know, and the detail's times and the axis follow it.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { assertClean, BASE, eventually, graphql, guardedContext, launch, TOKEN, TOKEN_KEY } from './helpers.mjs';

let browser;
let sample;
before(async () => {
  browser = await launch();
  const { events } = await graphql('{ events(first: 500) { nodes { id title kind start { precision earliest } } } }');
  sample = events.nodes;
});
after(async () => {
  await browser?.close();
});

async function signedIn(guard, query) {
  const page = await guard.context.newPage();
  page.on('dialog', (dialog) => void dialog.accept());
  await page.goto(`${BASE}/`);
  await page.evaluate((args) => sessionStorage.setItem(...args), [TOKEN_KEY, TOKEN]);
  await page.goto(`${BASE}/${query}`);
  await page.waitForSelector('body[data-ready="true"]');
  return page;
}

const params = (page) => Object.fromEntries(new URL(page.url()).searchParams);

describe('saved views', () => {
  test('saved from the page, reopened from its link in a fresh browser with the same filters and window, deleted', async () => {
    const guard = await guardedContext(browser);
    const kind = sample[0].kind;
    const name = `View test ${Date.now().toString(36)}`;
    const query = `?group=kind&kinds=${encodeURIComponent(kind)}&start=2024-01-15T00:00:00.000Z&end=2024-04-15T00:00:00.000Z&axis=both&tz=Europe/Berlin`;
    const page = await signedIn(guard, query);
    const before = params(page);
    await page.click('#views summary');
    await page.fill('#view-name', name);
    await page.click('#save-view');
    await page.locator('#status', { hasText: 'Saved the view' }).waitFor();
    const { views } = await graphql('{ views(first: 500) { id name state { group kinds start end axis timeZone } } }');
    const saved = views.find((v) => v.name === name);
    assert.ok(saved, 'the view is on the server');
    assert.equal(saved.state.group, 'kind');
    assert.deepEqual(saved.state.kinds, [kind]);
    assert.equal(saved.state.axis, 'both');
    assert.equal(saved.state.timeZone, 'Europe/Berlin');
    assert.equal(Date.parse(saved.state.start), Date.parse('2024-01-15T00:00:00Z'));
    // It is in the list, as a link.
    await page.locator('#view-list a.view-link', { hasText: name }).waitFor();
    assert.equal(await page.locator('#view-list a.view-link', { hasText: name }).getAttribute('href'), `/?view=${encodeURIComponent(saved.id)}`);

    // A fresh browser (no token kept, reading is public) opens the link: the same view.
    const fresh = await guardedContext(browser);
    const other = await fresh.context.newPage();
    await other.goto(`${BASE}/?view=${encodeURIComponent(saved.id)}`);
    await other.waitForSelector('body[data-ready="true"]');
    const opened = params(other);
    assert.equal(opened.view, undefined, 'the link is replaced by the view');
    for (const key of ['group', 'kinds', 'axis', 'tz']) assert.equal(opened[key], before[key], key);
    assert.equal(Date.parse(opened.start), Date.parse(before.start));
    assert.equal(Date.parse(opened.end), Date.parse(before.end));
    assert.equal(await other.inputValue('#f-group'), 'kind');
    assert.equal(await other.inputValue('#f-axis'), 'both');
    assert.equal(await other.inputValue('#f-zone'), 'other');
    assert.equal(await other.inputValue('#f-zone-name'), 'Europe/Berlin');
    assert.match(await other.locator('#f-kinds .count').textContent(), /1/);
    assert.equal(await other.title(), `${name} · Chronik`);

    // Its author deletes it.
    await page.click('#views summary');
    await page.click('#views summary');
    await page.locator(`#view-list button[aria-label="Delete the view ${name}"]`).click();
    await page.locator('#status', { hasText: 'Deleted the view' }).waitFor();
    const left = await graphql('{ views(first: 500) { name } }');
    assert.ok(!left.views.some((v) => v.name === name));
    assertClean(guard);
    assertClean(fresh);
    await guard.context.close();
    await fresh.context.close();
  });
});

describe('display time zone', () => {
  test('UTC, an IANA zone typed in, a wrong one refused; the detail and the axis follow; it is in the link', async () => {
    const { createEvent } = await graphql('mutation($input: CreateEventInput!) { createEvent(input: $input) { event { id start { precision earliest } } } }', {
      input: { title: `Zone test ${Date.now().toString(36)}`, start: '2024-02-22T14:30:00Z', kind: 'meeting' },
    });
    const timed = createEvent.event;
    assert.equal(timed.start.precision, 'SECOND');
    const guard = await guardedContext(browser);
    const at = Date.parse(timed.start.earliest);
    const window = `start=${new Date(at - 3 * 3600e3).toISOString()}&end=${new Date(at + 3 * 3600e3).toISOString()}`;
    const page = await signedIn(guard, `?event=${encodeURIComponent(timed.id)}&${window}&tz=UTC`);
    const format = (zone) => new Date(timed.start.earliest).toLocaleString('en-GB', { timeZone: zone, dateStyle: 'medium', timeStyle: 'long' });
    const shown = page.locator('#detail .in-zone').first();
    await shown.waitFor();
    assert.equal(await shown.textContent(), format('UTC'));
    assert.equal(await page.inputValue('#f-zone'), 'UTC');
    const axis = () => page.$$eval('.vis-time-axis .vis-text.vis-minor', (els) => els.map((e) => e.textContent).join('|'));
    const inUtc = await axis();

    await page.selectOption('#f-zone', 'other');
    await page.fill('#f-zone-name', 'Asia/Tokyo');
    await page.press('#f-zone-name', 'Enter');
    await eventually(async () => params(page).tz === 'Asia/Tokyo', 'the zone is in the link');
    await eventually(async () => (await shown.textContent()) === format('Asia/Tokyo'), 'the detail shows Tokyo time');
    await eventually(async () => (await axis()) !== inUtc, 'the axis shows Tokyo time');

    await page.fill('#f-zone-name', 'Mars/Olympus');
    await page.press('#f-zone-name', 'Enter');
    await page.locator('#f-zone-error', { hasText: 'Mars/Olympus' }).waitFor();
    assert.equal(params(page).tz, 'Asia/Tokyo', 'a wrong zone is not applied');

    await page.selectOption('#f-zone', 'browser');
    await eventually(async () => params(page).tz === undefined, "the browser's zone is the default, out of the link");
    await graphql('mutation($input: DeleteEventInput!) { deleteEvent(input: $input) { deletedId } }', { input: { id: timed.id } });
    assertClean(guard);
    await guard.context.close();
  });
});
