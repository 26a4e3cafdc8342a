// The timeline page's level of detail, timed in Chromium (issue 17): opens the default view, June
// 2015 and 3 June 2015 on a running server and reports, for each, the time from the page's
// request for the window (timelineSpanClasses + timelineDensity + timelineRanked in one document)
// to the frame that draws it, as the page measures it (`data-levels-ms`), and the time from
// navigation to that frame. Run by `scripts/bench page`; alone:
//   node bench/page-levels.mjs --url http://127.0.0.1:8080 [--runs 3]
// Needs playwright-core (npm ci in tests/browser) and Debian's /usr/bin/chromium.

import { chromium } from '../tests/browser/node_modules/playwright-core/index.mjs';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

const url = (arg('url', process.env.CHRONIK_URL ?? '') ?? '').replace(/\/$/, '');
const runs = Number(arg('runs', '3'));
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
  const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
  const status = await page.locator('#status').textContent();
  results.push({ view: name, requestToDrawnMs: median(request), navigationToDrawnMs: median(total), drawn, runs: request, status });
}
await browser.close();
for (const r of results) {
  console.log(`${r.view.padEnd(14)} request→drawn ${String(r.requestToDrawnMs).padStart(6)} ms (median of ${r.runs.join(', ')})  navigation→drawn ${r.navigationToDrawnMs} ms  ${r.drawn} events drawn`);
  console.log(`${''.padEnd(14)} ${r.status}`);
}
console.log(JSON.stringify(results));
