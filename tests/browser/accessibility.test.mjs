// Accessibility: axe-core (injected into the page by the test, from tests/browser/node_modules)
// finds no serious or critical violation on the timeline with an event open, an event's history,
// an event's accounts with the form adding one and the dialog recording a source's change, the
// map beside the timeline with an event selected, an actor's page, the list of sources and a
// source's page, the story player and the story builder.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';

import { assertClean, BASE, graphql, guardedContext, launch, TOKEN, TOKEN_KEY } from './helpers.mjs';

const require = createRequire(import.meta.url);
let axeSource;
let browser;
let guard;
let page;
let sample;

before(async () => {
  axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  browser = await launch();
  guard = await guardedContext(browser);
  page = await guard.context.newPage();
  const { events } = await graphql('{ events(first: 500) { nodes { id title participants { actor { id } } citations { source { id } } } } }');
  sample = events.nodes.find((e) => e.participants.length && e.citations.length);
  assert.ok(sample, 'the example has an event with participants and citations');
});
after(async () => {
  await guard?.context.close();
  await browser?.close();
});

/** The serious and critical violations axe finds in the page as it is now. */
async function violations() {
  // Evaluated through the DevTools protocol: the page's Content-Security-Policy (script-src 'self')
  // rightly refuses an inline script tag, and the test does not weaken it.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const { violations } = await axe.run(document, { resultTypes: ['violations'] });
    return violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

async function open(query) {
  await page.goto(`${BASE}/${query}`);
  await page.waitForSelector('body[data-ready="true"]');
}

describe('accessibility (axe-core)', () => {
  test('the timeline with an event open, its relations and its history', async () => {
    await open('');
    await page.evaluate((args) => sessionStorage.setItem(...args), [TOKEN_KEY, TOKEN]);
    await open(`?event=${encodeURIComponent(sample.id)}`);
    await page.waitForSelector('#timeline .vis-item[data-id]');
    await page.waitForSelector('#detail:not([hidden]) .relations');
    await page.click('#detail .add-link summary');
    assert.deepEqual(await violations(), []);
    await page.click('#detail #open-history');
    await page.waitForSelector('dialog#history[open] .revision');
    assert.deepEqual(await violations(), []);
  });

  test('the accounts of an event, adding one, recording a change of a source', async () => {
    const { events } = await graphql('{ events(first: 5, filter: { search: "Luftwaffe video call" }) { nodes { id } } }');
    await open(`?event=${encodeURIComponent(events.nodes[0].id)}&axis=both`);
    await page.waitForSelector('#detail:not([hidden]) .accounts .account');
    await page.click('#detail .add-account summary');
    await page.waitForSelector('#acc-source option:nth-child(2)', { state: 'attached' });
    assert.deepEqual(await violations(), []);
    await page.locator('#detail .citation .record-change').first().click();
    await page.waitForSelector('dialog#source-change[open] #change-kind');
    assert.deepEqual(await violations(), []);
    await page.click('#change-close');
  });

  test('the map beside the timeline, with an event selected', async () => {
    const { events } = await graphql('{ events(first: 500) { nodes { id place { name latitude } } } }');
    const located = events.nodes.filter((e) => typeof e.place?.latitude === 'number');
    assert.ok(located.length >= 2, 'the example places events on the map');
    const window = 'start=2024-02-26T00:00:00.000Z&end=2024-03-08T00:00:00.000Z';
    await open(`?map=1&${window}&event=${encodeURIComponent(located[0].id)}`);
    await page.waitForSelector(`#map .map-marker.selected[data-id="${located[0].id}"]`);
    await page.waitForSelector('#detail:not([hidden]) h2');
    assert.ok((await page.locator('#map .map-marker').count()) >= 2);
    assert.deepEqual(await violations(), []);
  });

  test("an actor's page", async () => {
    await open(`?actor=${encodeURIComponent(sample.participants[0].actor.id)}`);
    await page.waitForSelector('.role-group');
    assert.deepEqual(await violations(), []);
    await page.click('#edit-actor');
    assert.deepEqual(await violations(), []);
  });

  test('the story player and the story builder', async () => {
    const { events } = await graphql('{ events(first: 2) { nodes { id } } }');
    const { saveStory } = await graphql('mutation($input: SaveStoryInput!) { saveStory(input: $input) { story { id } } }', {
      input: { title: 'Accessibility story', steps: events.nodes.map((e, i) => ({ eventId: e.id, text: `Step ${i + 1}.` })) },
    });
    await open(`?story=${encodeURIComponent(saveStory.story.id)}`);
    await page.waitForSelector('#story-player:not([hidden]) #story-next');
    await page.waitForSelector('#detail:not([hidden])');
    assert.deepEqual(await violations(), []);
    await page.keyboard.press('Escape');
    await page.click('#stories summary');
    await page.locator('#story-list button', { hasText: 'Edit' }).first().click();
    await page.waitForSelector('#story-builder:not([hidden]) .story-step');
    assert.deepEqual(await violations(), []);
    await page.locator('#story-builder button', { hasText: 'Close' }).click();
    await graphql('mutation($id: ID!) { deleteStory(input: { id: $id }) { deletedId } }', { id: saveStory.story.id });
  });

  test('the list of sources and a source page', async () => {
    await open('?sources=');
    await page.waitForSelector('.sources-list li');
    assert.deepEqual(await violations(), []);
    await open(`?source=${encodeURIComponent(sample.citations[0].source.id)}`);
    await page.waitForSelector('.source-citations li');
    assert.deepEqual(await violations(), []);
    await page.click('#edit-source');
    assert.deepEqual(await violations(), []);
    assertClean(guard);
  });
});
