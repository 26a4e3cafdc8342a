// Issue 12 on the page, as a new user would try it: paste the seed article (published Saturday
// 2 March 2024, Europe/Berlin) into "From an article" with a new source; the text shows its dates
// and known names highlighted, the proposals beside it, the page's trailer apart and unchecked;
// nothing is stored until a candidate is accepted; accept five (three as they are, two edited in
// the event form: a title, a date) and find five cited events on the timeline at their precisions,
// through the page and through the API.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';

import { assertClean, BASE, enterToken, graphql, guardedContext, launch, TOKEN } from './helpers.mjs';

const ARTICLE = new URL('../../../shared/seeds/taurus-leak-article.txt', import.meta.url);

let browser;
let text = null;
const stamp = Date.now().toString(36);
const tag = `article-${stamp}`;
const sourceTitle = `WSJ on the Taurus tape ${stamp}`;

/** Counts of what a review must not write before an acceptance. */
async function counts() {
  const data = await graphql('{ events(first: 1) { totalCount } sources(first: 1) { totalCount } }');
  return [data.events.totalCount, data.sources.totalCount];
}

async function tagged() {
  const data = await graphql(
    `query($tags: [String!]) { events(first: 50, filter: { tags: $tags }) { nodes { id title timeZone
      start { value precision } participants { actor { name } }
      citations { quote supports source { title publisher published { value } } } } } }`,
    { tags: [tag] },
  );
  return data.events.nodes;
}

before(async () => {
  try {
    text = await readFile(ARTICLE, 'utf8');
  } catch {
    text = null;
  }
  browser = await launch();
});

after(async () => {
  // The events leave again: the other tests' default window spans the whole timeline.
  if (text !== null) {
    for (const event of await tagged()) await graphql('mutation($id: ID!) { deleteEvent(input: { id: $id }) { deletedId } }', { id: event.id });
  }
  await browser?.close();
});

describe('From an article', () => {
  test('the seed article gives five cited events at their precisions, two of them edited', async (t) => {
    if (text === null) {
      t.skip(`the article is not at ${ARTICLE.pathname} (a clone without ../shared)`);
      return;
    }
    const guard = await guardedContext(browser);
    const page = await guard.context.newPage();
    await page.goto(`${BASE}/`);
    await page.waitForSelector('body[data-ready="true"]');
    const before = await counts();

    await page.click('#from-article');
    const dialog = page.locator('dialog#article-review[open]');
    await dialog.waitFor();
    await page.fill('#article-text', text);
    await page.check('#source-new');
    await page.fill('#article-source-title', sourceTitle);
    await page.fill('#article-source-url', 'https://www.wsj.com/world/europe/russian-tape-taurus');
    await page.fill('#article-source-publisher', 'The Wall Street Journal');
    await page.fill('#article-published', '2024-03-02');
    await page.fill('#article-zone', 'Europe/Berlin');
    await page.fill('#article-tags', tag);
    await page.click('#article-extract');
    await page.locator('#candidates li.candidate').first().waitFor();

    // The text with its dates and known names marked.
    const view = page.locator('#article-view');
    for (const phrase of ['last month', 'late Friday', 'Last week']) {
      await view.locator('mark.date', { hasText: phrase }).first().waitFor();
    }
    assert.match((await view.locator('mark.date', { hasText: 'last month' }).first().getAttribute('title')) ?? '', /^2024-02: February 2024/);
    await view.locator('mark.actor.known', { hasText: 'Scholz' }).first().waitFor();
    await view.locator('mark.actor.known', { hasText: 'Gen. Gerhartz' }).first().waitFor();
    await view.locator('hr.trailer-break').waitFor({ state: 'attached' });

    // The trailer's proposals: apart, unchecked; the article's checked.
    const trailer = page.locator('#trailer-candidates li.candidate');
    assert.ok((await trailer.count()) > 0, 'the trailer is listed apart');
    for (const box of await trailer.locator('input.take').all()) assert.equal(await box.isChecked(), false);
    assert.equal(await page.locator('#candidates li.candidate.from-trailer').count(), 0);

    const card = (words) => page.locator('#candidates li.candidate', { has: page.locator('.c-quote', { hasText: words }) }).first();
    // Each described in words, with its known actors.
    await card('was posted online late Friday').locator('.c-when', { hasText: '1 March 2024' }).waitFor();
    await card('visit to the Vatican on Saturday').locator('.chip.known', { hasText: 'Olaf Scholz' }).waitFor();

    // A rejection writes nothing, and nothing is written by reading.
    await card('Britain at one point offered').locator('button.reject').click();
    assert.equal(await card('Britain at one point offered').getAttribute('data-state'), 'rejected');
    assert.deepEqual(await counts(), before, 'nothing written before an acceptance');

    // Accepted as they are: the first asks for the editor's token.
    const accept = async (words) => {
      const item = card(words);
      await item.locator('button.accept').click();
      const signIn = page.locator('dialog#token-dialog[open]');
      const done = item.locator('.c-status', { hasText: 'Accepted' });
      await Promise.race([signIn.waitFor(), done.waitFor()]);
      if (await signIn.isVisible()) await enterToken(page, TOKEN);
      await done.waitFor();
      assert.equal(await item.getAttribute('data-state'), 'accepted');
    };
    await accept('was posted online late Friday');
    await accept('visit to the Vatican on Saturday');
    await accept('Last week, Scholz said');

    // Edited first, in the event form: a title, then a date.
    const edit = async (words, field, value) => {
      const item = card(words);
      await item.locator('button.edit').click();
      const form = page.locator('dialog#editor[open] form');
      await form.waitFor();
      assert.equal(await form.locator('.citation-row .quote').inputValue(), await item.locator('.c-quote').textContent());
      await form.locator(`[data-field="${field}"]`).fill(value);
      await form.locator('#save-event').click();
      await form.waitFor({ state: 'detached' });
      await item.locator('.c-status', { hasText: 'Accepted' }).waitFor();
    };
    const editedTitle = `Air force chiefs discuss Taurus delivery in a call ${stamp}`;
    await edit('gathered his top officers for a secret meeting last month', 'title', editedTitle);
    await edit('launched an investigation into the entire armed forces', 'start', '2024-03');

    // Through the API: five events, each citing the new source with its sentence, at its precision.
    const events = await tagged();
    assert.equal(events.length, 5, JSON.stringify(events.map((e) => e.title)));
    const by = (words) => {
      const event = events.find((e) => e.citations.some((c) => c.quote?.includes(words)));
      assert.ok(event, `an event cites “${words}”`);
      return event;
    };
    const expected = [
      ['was posted online late Friday', '2024-03-01', 'DAY'],
      ['visit to the Vatican on Saturday', '2024-03-02', 'DAY'],
      ['Last week, Scholz said', '2024-W08', 'WEEK'],
      ['gathered his top officers for a secret meeting last month', '2024-02', 'MONTH'],
      ['launched an investigation into the entire armed forces', '2024-03', 'MONTH'],
    ];
    for (const [words, value, precision] of expected) {
      const event = by(words);
      assert.deepEqual(event.start, { value, precision }, words);
      assert.equal(event.timeZone, 'Europe/Berlin');
      assert.equal(event.citations.length, 1);
      const [citation] = event.citations;
      assert.ok(text.includes(citation.quote), `the quote is the article's sentence: ${citation.quote}`);
      assert.deepEqual(citation.source, { title: sourceTitle, publisher: 'The Wall Street Journal', published: { value: '2024-03-02' } });
    }
    assert.equal(by('gathered his top officers').title, editedTitle);
    assert.ok(by('visit to the Vatican').participants.some((p) => p.actor?.name === 'Olaf Scholz'));
    const [eventsAfter, sourcesAfter] = await counts();
    assert.deepEqual([eventsAfter, sourcesAfter], [before[0] + 5, before[1] + 1], 'five events and one source written');

    // Through the page: the five on the timeline (Feb to March 2024), one opened with its quote.
    await page.locator('#article-close').click();
    await page.goto(`${BASE}/?tags=${tag}&start=2024-01-25T00:00:00.000Z&end=2024-03-12T00:00:00.000Z`);
    await page.waitForSelector('body[data-ready="true"]');
    for (const event of events) await page.locator('#timeline .vis-item', { hasText: event.title }).first().waitFor();
    await page.locator('#timeline .vis-item', { hasText: editedTitle }).first().click();
    await page.locator('#detail h2', { hasText: editedTitle }).waitFor();
    await page.locator('#detail', { hasText: 'February 2024' }).waitFor();
    await page.locator('#detail', { hasText: 'gathered his top officers for a secret meeting last month' }).waitFor();
    assertClean(guard);
    await guard.context.close();
  });
});
