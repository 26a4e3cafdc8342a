// The timeline page's level of detail, timed in Chromium (issue 17): opens the default view, June
// 2015 and 3 June 2015 on a running server and reports, for each, the time from the page's
// request for the window (timelineSpanClasses + timelineDensity + timelineRanked in one document)
// to the frame that draws it, as the page measures it (`data-levels-ms`), and the time from
// navigation to that frame. With --token (an editor's), also issue 13's measure: a view of June
// 2015 saved with `saveView`, opened from its link (/?view=<id>), then the timeline dragged one
// screen to the left; the time from each request to the frame that draws it. Run by
// `scripts/bench page`; alone:
//   node bench/page-levels.mjs --url http://127.0.0.1:8080 [--runs 3] [--token TOKEN]
// Needs playwright-core (npm ci in tests/browser) and Debian's /usr/bin/chromium.

import { chromium } from '../tests/browser/node_modules/playwright-core/index.mjs';
import { dragTimeline } from '../tests/browser/drag.mjs';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

const url = (arg('url', process.env.CHRONIK_URL ?? '') ?? '').replace(/\/$/, '');
const runs = Number(arg('runs', '3'));
const token = arg('token', process.env.CHRONIK_TOKEN ?? '');
if (!url) {
  console.error('usage: node bench/page-levels.mjs --url http://127.0.0.1:PORT [--runs N]');
  process.exit(2);
}

const VIEWS = [
  ['default view', ''],
  ['June 2015', '?start=2015-06-01T00:00:00Z&end=2015-07-01T00:00:00Z'],
  ['3 June 2015', '?start=2015-06-03T00:00:00Z&end=2015-06-04T00:00:00Z'],
];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
const page = await context.newPage();
const results = [];
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
for (const [name, query] of VIEWS) {
  const request = [];
  const total = [];
  let drawn = 0;
  for (let run = 0; run < runs; run++) {
    const started = Date.now();
    await page.goto(`${url}/${query}`);
    await page.waitForFunction(() => document.body.dataset.levelsMs !== undefined, null, { timeout: 120_000 });
    total.push(Date.now() - started);
    request.push(Number(await page.evaluate(() => document.body.dataset.levelsMs)));
    drawn = Number(await page.evaluate(() => document.body.dataset.drawn));
  }
  const status = await page.locator('#status').textContent();
  results.push({ view: name, requestToDrawnMs: median(request), navigationToDrawnMs: median(total), drawn, runs: request, status });
  console.error(`${name}: ${JSON.stringify(results.at(-1).runs)} ms`);
}
/** Waits for the page's next drawn window and returns its request→drawn time. */
async function nextDrawn() {
  await page.waitForFunction(() => document.body.dataset.levelsMs !== undefined, null, { timeout: 120_000 });
  return Number(await page.evaluate(() => document.body.dataset.levelsMs));
}
if (token) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({
      query: 'mutation Save($input: SaveViewInput!) { saveView(input: $input) { view { id } } }',
      variables: { input: { name: 'bench: June 2015', state: { start: '2015-06-01T00:00:00Z', end: '2015-07-01T00:00:00Z' } } },
    }),
  });
  const body = await response.json();
  const id = body?.data?.saveView?.view?.id;
  if (!id) throw new Error(`saveView failed: ${JSON.stringify(body)}`);
  const open = [];
  const pan = [];
  let drawn = 0;
  try {
    for (let run = 0; run < runs; run++) {
      await page.goto(`${url}/?view=${encodeURIComponent(id)}`);
      // The link is resolved first (the view's state replaces it in the address bar), then its
      // window drawn; what counts is the draw of that window, and the timeline settled before the drag.
      await page.waitForFunction(() => location.search.includes('start=') && document.body.dataset.levelsMs !== undefined, null, { timeout: 120_000 });
      await page.waitForLoadState('networkidle');
      open.push(await nextDrawn());
      await page.evaluate(() => { delete document.body.dataset.levelsMs; });
      // One screen to the left: the timeline dragged from its right edge to its left.
      await dragTimeline(page, 0.95, 0.05);
      pan.push(await nextDrawn());
      drawn = Number(await page.evaluate(() => document.body.dataset.drawn));
    }
  } catch (error) {
    // Known on 1,000,000 events (6 December): after the saved view opens, the drag draws no new
    // window within the timeout; reported, so the figures above are not lost.
    console.error(`saved view / pan: not measured: ${error.message.split('\n')[0]}`);
  }
  results.push({ view: 'saved view', requestToDrawnMs: open.length ? median(open) : null, navigationToDrawnMs: null, drawn, runs: open, status: `opened from /?view=${id}` });
  results.push({ view: 'pan one screen', requestToDrawnMs: pan.length ? median(pan) : null, navigationToDrawnMs: null, drawn, runs: pan, status: await page.locator('#status').textContent() });
}
await browser.close();
for (const r of results) {
  console.log(`${r.view.padEnd(14)} request→drawn ${String(r.requestToDrawnMs).padStart(6)} ms (median of ${r.runs.join(', ')})  navigation→drawn ${r.navigationToDrawnMs} ms  ${r.drawn} events drawn`);
  console.log(`${''.padEnd(14)} ${r.status}`);
}
console.log(JSON.stringify(results));
