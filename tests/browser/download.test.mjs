// "Download the current filter as CSV" (issue 13): the header's Download menu gives what the
// filter shows, from the server's /export, as a file: without a token by a plain link, with one by
// a fetch that carries it. The file holds exactly the events the page's filter picks.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';

import { assertClean, BASE, graphql, guardedContext, launch, TOKEN, TOKEN_KEY } from './helpers.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** The titles of the events a GraphQL filter picks, sorted. */
async function titles(filter) {
  const { events } = await graphql('query($filter: EventFilter) { events(first: 500, filter: $filter) { edges { node { title } } } }', { filter });
  return events.edges.map((edge) => edge.node.title).sort();
}

/** The `title` column of a CSV file (RFC 4180 quoting), sorted. */
function csvTitles(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 1; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; } else if (c !== '\r') field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  const column = rows[0].indexOf('title');
  assert.ok(column >= 0, `a title column in ${rows[0]}`);
  return rows.slice(1).map((r) => r[column]).sort();
}

async function downloadCsv(page) {
  await page.click('#download summary');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download a[data-format="csv"]')]);
  assert.match(download.suggestedFilename(), /\.csv$/);
  return readFile(await download.path(), 'utf8');
}

describe('download', () => {
  test('the current filter as CSV, with and without a token', async () => {
    const expected = await titles({ from: '2024-02', to: '2024-03', search: 'Scholz' });
    const everything = await titles({});
    assert.ok(expected.length > 0 && expected.length < everything.length, `${expected.length} of ${everything.length}`);
    const guard = await guardedContext(browser, { acceptDownloads: true });
    const page = await guard.context.newPage();
    await page.goto(`${BASE}/?from=2024-02&to=2024-03&q=Scholz`);
    await page.waitForSelector('body[data-ready="true"]');
    const href = await page.getAttribute('#download a[data-format="csv"]', 'href');
    assert.match(href, /^\/export\?format=csv&/);
    assert.deepEqual(csvTitles(await downloadCsv(page)), expected);

    // Signed in, the page fetches the file with its token.
    await page.evaluate((args) => sessionStorage.setItem(...args), [TOKEN_KEY, TOKEN]);
    const sent = [];
    page.on('request', (request) => {
      if (request.url().includes('/export?')) sent.push(request.headers().authorization ?? '');
    });
    assert.deepEqual(csvTitles(await downloadCsv(page)), expected);
    assert.deepEqual(sent, [`Bearer ${TOKEN}`]);
    assertClean(guard);
    await guard.context.close();
  });
});
