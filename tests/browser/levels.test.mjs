// Issue 17 in headless Chromium: the timeline's level of detail on a database of its own (4,000
// generated events, served by the release binary on another free port). At the default view, a
// month and a day something is drawn (events or "N more" boxes), the band's counts equal the
// API's for the same window, and the density strip's bars change with the zoom.

import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { assertClean, guardedContext, launch } from './helpers.mjs';

// The release binary scripts/browser-tests builds; CHRONIK_BINARY to try another.
const BINARY = process.env.CHRONIK_BINARY ?? new URL('../../target/release/chronik', import.meta.url).pathname;

let browser;
let server;
let work;
let base;

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

async function api(query, variables = {}) {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'chronik-levels-'));
  const database = join(work, 'levels.db');
  execFileSync(BINARY, ['--database', database, 'generate', '--events', '4000', '--actors', '300', '--sources', '100', '--seed', '3'], { stdio: 'ignore' });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(BINARY, ['--database', database, 'serve', '--no-example', '--listen', `127.0.0.1:${port}`], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.kill();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The page's window, as its URL says once it settles. */
async function settled(page) {
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForFunction(() => document.body.dataset.loading === 'false' && document.body.dataset.drawn !== undefined);
  await page.waitForTimeout(400);
  await page.waitForFunction(() => document.body.dataset.loading === 'false');
}

async function drawn(page) {
  return page.$$eval('#timeline .vis-item[data-id]', (els) => ({
    events: new Set(els.filter((el) => !el.dataset.id.startsWith('more:')).map((el) => el.dataset.id.split('|')[0])).size,
    more: els.filter((el) => el.dataset.id.startsWith('more:')).length,
  }));
}

/** The band's count, and the API's count of coarse events for the same window. */
async function bandAgainstApi(page, from, to) {
  const band = await page.$eval('#coarse-band', (el) => (el.hidden ? 0 : Number(el.dataset.count)));
  const data = await api('query($f: EventFilter!) { timelineSpanClasses(filter: $f) { coarseCount } }', { f: { from, to } });
  return { band, api: data.timelineSpanClasses.coarseCount };
}

async function bars(page) {
  return page.$eval('#density canvas', (canvas) => canvas.toDataURL());
}

describe('the timeline level of detail', () => {
  test('default view, a month and a day each draw something, the band counts as the API, the strip follows the zoom', async () => {
    const guard = await guardedContext(browser);
    const page = await guard.context.newPage();
    await page.goto(`${base}/`);
    await settled(page);
    const overview = await drawn(page);
    assert.ok(overview.events > 0, 'the default view draws events');
    assert.ok(overview.more > 0, 'and says how many more where it does not draw them all');
    const stripOverview = await bars(page);
    assert.match(await page.locator('#density-note').textContent(), /^Bars: events of this zoom's scale/);

    const windows = [
      ['2015-06-01T00:00:00Z', '2015-07-01T00:00:00Z'],
      ['2015-06-03T00:00:00Z', '2015-06-04T00:00:00Z'],
    ];
    let previous = stripOverview;
    for (const [start, end] of windows) {
      await page.goto(`${base}/?start=${start}&end=${end}`);
      await settled(page);
      const seen = await drawn(page);
      assert.ok(seen.events + seen.more > 0, `${start}: something is drawn`);
      // The window the page counted, as the band says.
      const from = await page.$eval('#coarse-band', (el) => el.dataset.from);
      const to = await page.$eval('#coarse-band', (el) => el.dataset.to);
      const counts = await bandAgainstApi(page, from, to);
      assert.equal(counts.band, counts.api, `${start}: the band's count is the API's`);
      assert.ok(counts.api > 0, `${start}: coarse events overlap a month and a day`);
      const strip = await bars(page);
      assert.notEqual(strip, previous, `${start}: the strip's bars change with the zoom`);
      previous = strip;
    }
    // The band opens into its list, from the API, most relevant first.
    await page.click('#coarse-band .coarse-toggle');
    await page.waitForSelector('#coarse-band .coarse-event');
    assert.ok((await page.locator('#coarse-band .coarse-event').count()) > 0);
    assert.match(await page.locator('#coarse-band .coarse-pager').textContent(), /of [\d,]+, most relevant first/);
    assertClean(guard);
    await guard.context.close();
  });

  test('with more actors than lanes, the 40 with the most events drawn have one and the others share "Other actors"', async () => {
    const guard = await guardedContext(browser);
    const page = await guard.context.newPage();
    await page.goto(`${base}/`);
    await settled(page);
    // The events the page draws, from the API: the window's most relevant (the band names the window).
    const from = await page.$eval('#coarse-band', (el) => el.dataset.from);
    const to = await page.$eval('#coarse-band', (el) => el.dataset.to);
    const drawnCount = Number(await page.evaluate(() => document.body.dataset.drawn));
    const { timelineRanked } = await api(
      'query($f: EventFilter!, $n: Int!) { timelineRanked(filter: $f, first: $n) { events { id participants { actor { id name } } } } }',
      { f: { from, to }, n: drawnCount },
    );
    const perActor = new Map();
    for (const event of timelineRanked.events) {
      for (const actor of new Map(event.participants.filter((p) => p.actor).map((p) => [p.actor.id, p.actor.name])).values()) {
        perActor.set(actor, (perActor.get(actor) ?? 0) + 1);
      }
    }
    assert.ok(perActor.size > 40, `the drawn events name more than 40 actors (${perActor.size})`);
    const busiest = [...perActor.entries()]
      .sort(([a, x], [b, y]) => y - x || a.localeCompare(b, 'en', { sensitivity: 'base' }))
      .slice(0, 40)
      .map(([name]) => name);
    const lanes = await page.$$eval('#timeline .vis-labelset .lane-label', (els) => els.map((el) => el.textContent));
    const own = lanes.filter((l) => l !== 'More here' && l !== '(no actor)' && !l.startsWith('Other actors'));
    assert.deepEqual(new Set(own), new Set(busiest), 'the lanes are the busiest actors');
    assert.ok(lanes.includes(`Other actors (${(perActor.size - 40).toLocaleString('en')})`), `the others' lane says how many: ${lanes.slice(-3)}`);

    // An actor filter draws the lanes it names, however many: here one without a lane of its own.
    const left = [...perActor.keys()].find((name) => !busiest.includes(name));
    const { actors } = await api('query($s: String) { actors(first: 5, search: $s) { nodes { id name } } }', { s: left });
    const actor = actors.nodes.find((a) => a.name === left);
    await page.goto(`${base}/?start=${encodeURIComponent(from)}&end=${encodeURIComponent(to)}&actors=${actor.id}`);
    await settled(page);
    const filtered = await page.$$eval('#timeline .vis-labelset .lane-label', (els) => els.map((el) => el.textContent));
    assert.ok(filtered.includes(left) && !filtered.some((l) => l.startsWith('Other actors')), `lanes: ${filtered}`);
    assertClean(guard);
    await guard.context.close();
  });
});
