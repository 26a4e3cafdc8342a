// Issue 18 on the page: events dated `-0044-03-15`, `2023-35`, `../2019-05`, `2024-03/..` and
// `1985-XX-12` are drawn (an open side fading out, never at a made-up date), described in words in
// the detail panel, and the form's preview describes each date as the server reads it.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { assertClean, BASE, enterToken, graphql, guardedContext, launch, TOKEN } from './helpers.mjs';

/** Date, its words, and the years of a window that shows it (the timeline zooms out only so far). */
const DATES = [
  ['-0044-03-15', '15 March 45 BC (day precision, ISO 8601 counts a year 0, so year -44 is 45 BC)', -47, -41],
  ['2023-35', 'the third quarter of 2023, July–September (season precision)', 2018, 2026],
  ['../2019-05', 'until May 2019 (no known start: it may have begun at any time before, month precision)', 2018, 2026],
  ['2024-03/..', 'from March 2024 on (no known end: it may have lasted any time after, month precision)', 2018, 2026],
  ['1985-XX-12', 'day 12 of an unspecified month of 1985 (day precision)', 1983, 1988],
];

/** An ISO instant JavaScript reads, also before year 0 (`-000100-01-01T00:00:00.000Z`). */
function iso(year) {
  const at = new Date(0);
  at.setUTCFullYear(year, 0, 1);
  return at.toISOString();
}

let browser;
const stamp = Date.now().toString(36);
const tag = `edtf-${stamp}`;
const titles = new Map();
const ids = [];

before(async () => {
  browser = await launch();
  for (const [date] of DATES) {
    const title = `EDTF ${date} ${stamp}`;
    titles.set(date, title);
    const { createEvent } = await graphql('mutation($input: CreateEventInput!) { createEvent(input: $input) { event { id } } }', {
      input: { title, start: date, kind: 'meeting', tags: [tag] },
    });
    ids.push(createEvent.event.id);
  }
});

// The events leave again: the other tests' default window spans the whole timeline, which these
// dates (45 BC, open ends) would stretch.
after(async () => {
  for (const id of ids) await graphql('mutation($id: ID!) { deleteEvent(input: { id: $id }) { deletedId } }', { id });
  await browser?.close();
});

describe('EDTF dates on the page', () => {
  test('each is drawn, 45 BC too, open sides fading out, and described in the detail panel', async () => {
    const guard = await guardedContext(browser);
    const page = await guard.context.newPage();
    for (const [date, words, from, to] of DATES) {
      await page.goto(`${BASE}/?tags=${tag}&start=${encodeURIComponent(iso(from))}&end=${encodeURIComponent(iso(to))}`);
      await page.waitForSelector('body[data-ready="true"]');
      const item = page.locator('#timeline .vis-item', { hasText: titles.get(date) }).first();
      await item.waitFor();
      // The window stayed where the link put it (vis-timeline's `min` once moved it after 1900).
      const shown = Date.parse(new URL(page.url()).searchParams.get('start') ?? '');
      assert.equal(new Date(shown).getUTCFullYear(), from, `${date}: window starts ${page.url()}`);
      const classes = (await item.getAttribute('class')) ?? '';
      assert.equal(classes.includes('open-start'), date.startsWith('..'), `${date}: ${classes}`);
      assert.equal(classes.includes('open-end'), date.endsWith('..'), `${date}: ${classes}`);
      if (date.includes('..')) {
        // The unknown side fades to nothing: the bar's gradient ends transparent there.
        const style = (await item.getAttribute('style')) ?? '';
        assert.match(style, date.startsWith('..') ? /--fs: ?60\.0%/ : /--fe: ?60\.0%/, `${date}: ${style}`);
      }
      await item.click();
      await page.locator('#detail h2', { hasText: titles.get(date) }).waitFor();
      await page.locator('#detail .understood', { hasText: words }).first().waitFor();
    }
    assertClean(guard);
    await guard.context.close();
  });

  test('the form describes each date as the server reads it', async () => {
    const guard = await guardedContext(browser);
    const page = await guard.context.newPage();
    await page.goto(`${BASE}/?tags=${tag}`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.click('#add-event');
    const signIn = page.locator('dialog#token-dialog[open]');
    const form = page.locator('dialog#editor[open] form');
    await Promise.race([signIn.waitFor(), form.waitFor()]);
    if (await signIn.isVisible()) await enterToken(page, TOKEN);
    await form.waitFor();
    const asked = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/graphql') && (request.postData() ?? '').includes('describeDate')) asked.push(request);
    });
    for (const [date, words] of DATES) {
      await page.fill('dialog#editor [data-field="start"]', date);
      await page.locator('dialog#editor .understood', { hasText: `Understood: ${words}` }).first().waitFor();
    }
    // One round trip per pause in typing, not one per key.
    assert.ok(asked.length <= DATES.length, `${asked.length} describeDate requests`);
    await page.fill('dialog#editor [data-field="start"]', '2024-13');
    await page.locator('dialog#editor .understood.bad', { hasText: 'month must be 01–12, found 13' }).first().waitFor();
    assertClean(guard);
    await guard.context.close();
  });
});
