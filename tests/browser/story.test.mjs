// Story mode from the page: an editor builds a three-step story from open events (the draft stays
// in the tab across page loads), writes a text per step, reorders, saves; plays it with the
// keyboard (the detail opens at each step's event; Escape leaves); its link plays it in a fresh
// browser; it downloads as TimelineJS3 slides with the steps' texts.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { assertClean, BASE, graphql, guardedContext, launch, SCREENSHOTS, TOKEN, TOKEN_KEY } from './helpers.mjs';

let browser;
let events;
before(async () => {
  browser = await launch();
  const { events: page } = await graphql('{ events(first: 3) { nodes { id title } } }');
  events = page.nodes;
  assert.equal(events.length, 3, 'the example has three events');
});
after(async () => {
  await browser?.close();
});

async function openEvent(page, id) {
  await page.goto(`${BASE}/?event=${encodeURIComponent(id)}`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.locator('#detail-title').waitFor();
  await page.locator('#add-step:not([disabled])').waitFor();
}

const position = (page) => page.locator('#story-position').textContent();

describe('story mode', () => {
  test('built from three events, played with the keyboard, reopened from its link, exported to TimelineJS3', async () => {
    const guard = await guardedContext(browser);
    const page = await guard.context.newPage();
    await page.goto(`${BASE}/`);
    await page.evaluate((args) => sessionStorage.setItem(...args), [TOKEN_KEY, TOKEN]);
    await page.goto(`${BASE}/?event=${encodeURIComponent(events[0].id)}`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.click('#stories summary');
    await page.click('#new-story');
    const title = `Story test ${Date.now().toString(36)}`;
    await page.fill('#story-title', title);
    await page.locator('#add-step:not([disabled])').waitFor();
    await page.click('#add-step');
    // The draft survives loading another event.
    await openEvent(page, events[2].id);
    await page.click('#add-step');
    await openEvent(page, events[1].id);
    await page.click('#add-step');
    assert.equal(await page.inputValue('#story-title'), title);
    const steps = page.locator('#story-builder .story-step');
    assert.equal(await steps.count(), 3);
    // Steps 2 and 3 swap: the order becomes events 0, 1, 2.
    await page.click('#story-builder button[aria-label="Move step 3 up"]');
    const texts = ['It begins.', 'Then this.', 'And it ends.'];
    for (const [i, text] of texts.entries()) await steps.nth(i).locator('textarea').fill(text);
    await page.click('#save-story');
    await page.locator('#status', { hasText: 'Saved the story' }).waitFor();
    const { stories } = await graphql('{ stories(first: 500) { id title steps { text event { id } } } }');
    const saved = stories.find((s) => s.title === title);
    assert.ok(saved, 'the story is on the server');
    assert.deepEqual(saved.steps.map((s) => [s.event.id, s.text]), events.map((e, i) => [e.id, texts[i]]));

    // Played: each step opens its event; arrows move, Escape leaves.
    await page.click('#play-draft');
    await page.locator('#story-player:not([hidden])').waitFor();
    assert.equal(await position(page), 'step 1 of 3');
    await page.locator('#detail-title', { hasText: events[0].title }).waitFor();
    assert.equal(await page.locator('#story-text').textContent(), texts[0]);
    await page.screenshot({ path: new URL('story-player.png', SCREENSHOTS).pathname });
    await page.keyboard.press('ArrowRight');
    assert.equal(await position(page), 'step 2 of 3');
    await page.locator('#detail-title', { hasText: events[1].title }).waitFor();
    await page.keyboard.press('ArrowRight');
    assert.equal(await position(page), 'step 3 of 3');
    await page.locator('#detail-title', { hasText: events[2].title }).waitFor();
    assert.equal(await page.locator('#story-text').textContent(), texts[2]);
    await page.keyboard.press('ArrowRight');
    assert.equal(await position(page), 'step 3 of 3', 'the last step stays the last');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await position(page), 'step 2 of 3');
    await page.locator('#detail-title', { hasText: events[1].title }).waitFor();
    await page.keyboard.press('Escape');
    await page.locator('#story-player').waitFor({ state: 'hidden' });

    // Its link, in a fresh browser, plays it from the start.
    const fresh = await guardedContext(browser);
    const other = await fresh.context.newPage();
    await other.goto(`${BASE}/?story=${encodeURIComponent(saved.id)}`);
    await other.waitForSelector('body[data-ready="true"]');
    await other.locator('#story-player:not([hidden])').waitFor();
    assert.equal(await position(other), 'step 1 of 3');
    await other.locator('#detail-title', { hasText: events[0].title }).waitFor();
    await other.click('#story-next');
    assert.equal(await position(other), 'step 2 of 3');
    assert.equal(await other.locator('#story-event').textContent(), events[1].title);
    await other.locator('#detail-title', { hasText: events[1].title }).waitFor();

    // The TimelineJS3 file the player links to: one slide per step, with its text.
    const href = await other.locator('#story-player a.story-export').getAttribute('href');
    const timeline = await (await fetch(`${BASE}${href}`)).json();
    assert.equal(timeline.title.text.headline, title);
    assert.deepEqual(timeline.events.map((s) => [s.text.headline, s.text.text]), events.map((e, i) => [e.title, texts[i]]));

    await graphql('mutation($id: ID!) { deleteStory(input: { id: $id }) { deletedId } }', { id: saved.id });
    assertClean(guard);
    assertClean(fresh);
    await guard.context.close();
    await fresh.context.close();
  });
});
