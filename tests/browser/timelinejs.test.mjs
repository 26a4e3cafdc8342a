// Chronik's TimelineJS3 export of the example affair, rendered by the real TimelineJS3 library
// (@knight-lab/timelinejs from npm, served from node_modules by a static server of this test on a
// loopback port: nothing comes from a CDN). scripts/browser-tests writes the export
// (CHRONIK_TIMELINEJS) before any test edits the database. TimelineJS must draw one slide per
// event (and the title slide), one marker per event and a band per era, show every fuzzy date (the
// decade `202X` above all) as the export's display_date says it, and log no error.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname } from 'node:path';
import { after, before, test } from 'node:test';

import { assertClean, guardedContext, launch } from './helpers.mjs';

const EXPORT = process.env.CHRONIK_TIMELINEJS ?? '';
if (!EXPORT) throw new Error('set CHRONIK_TIMELINEJS to a TimelineJS3 export of the example affair (scripts/browser-tests makes it)');

const DIST = new URL('./node_modules/@knight-lab/timelinejs/dist/', import.meta.url);
const TYPES = { '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.html': 'text/html' };

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>TimelineJS3</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="/tl/css/timeline.css">
<script src="/tl/js/timeline.js"></script></head>
<body><div id="timeline-embed" style="width: 1400px; height: 800px"></div>
<script>
  fetch('/timeline.json').then((response) => response.json()).then((data) => {
    // Given the data itself, TimelineJS builds the timeline within the constructor. Its default
    // font theme would fetch Google Fonts: font null keeps to the library's own files.
    const options = { script_path: location.origin + '/tl/js/', language: 'en', font: null };
    window.timeline = new TL.Timeline('timeline-embed', data, options);
    document.body.dataset.ready = 'true';
  });
</script></body></html>`;

let server;
let origin;
let browser;
let data;

before(async () => {
  data = JSON.parse(await readFile(EXPORT, 'utf8'));
  server = createServer(async (request, response) => {
    const path = new URL(request.url, 'http://localhost').pathname;
    try {
      let body;
      if (path === '/') body = PAGE;
      else if (path === '/timeline.json') body = JSON.stringify(data);
      else if (path.startsWith('/tl/') && !path.includes('..')) body = await readFile(new URL(path.slice(4), DIST));
      else throw new Error('not found');
      response.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'text/html' });
      response.end(body);
    } catch {
      response.writeHead(404);
      response.end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

test('the TimelineJS3 library draws a slide and a marker per exported event, dates as display_date says', async () => {
  const events = data.events;
  assert.ok(events.length > 0, 'the export has events');
  const guard = await guardedContext(browser);
  const page = await guard.context.newPage();
  await page.goto(`${origin}/`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
  await page.waitForFunction((n) => document.querySelectorAll('.tl-timemarker').length >= n, events.length);

  const drawn = await page.evaluate(() => ({
    slides: document.querySelectorAll('.tl-slide').length,
    titleSlides: document.querySelectorAll('.tl-slide-titleslide').length,
    markers: document.querySelectorAll('.tl-timemarker').length,
    eras: document.querySelectorAll('.tl-timeera').length,
    headlines: [...document.querySelectorAll('.tl-slide:not(.tl-slide-titleslide) .tl-headline')].map((e) => e.textContent.trim()),
    dates: [...document.querySelectorAll('.tl-slide .tl-headline-date')].map((e) => e.textContent.trim()),
  }));
  const title = data.title ? 1 : 0;
  assert.equal(drawn.slides, events.length + title, 'one slide per event, and the title slide');
  assert.equal(drawn.titleSlides, title);
  assert.equal(drawn.markers, events.length, 'one marker per event');
  assert.equal(drawn.eras, (data.eras ?? []).length, 'a band per era');
  assert.deepEqual([...drawn.headlines].sort(), events.map((e) => e.text.headline).sort());

  // Fuzzy dates are shown as the export words them, not as the day TimelineJS would make up.
  const worded = events.filter((e) => e.display_date).map((e) => e.display_date);
  assert.ok(worded.length > 0, 'the example has fuzzy dates');
  for (const words of worded) assert.ok(drawn.dates.includes(words), `"${words}" is shown: ${drawn.dates.join(' | ')}`);
  assert.ok(worded.some((words) => /decade/.test(words)), `the event dated 202X is worded as a decade: ${JSON.stringify(worded)}`);

  assertClean(guard);
  await guard.context.close();
});
