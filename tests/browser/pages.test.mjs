// The record pages: an actor's page (their timeline by role, aliases, description, editing that
// sends only what changed, merging a duplicate with a preview of what moves, as admin), the list
// of sources with search kept in the address, and a source's page (metadata, every quote from it
// with its event, editing).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { ADMIN_TOKEN, assertClean, BASE, enterToken, eventually, graphql, guardedContext, launch, SCREENSHOTS, TOKEN, TOKEN_KEY } from './helpers.mjs';

const stamp = `pg${Date.now().toString(36)}`;
let browser;
const ids = {};
const events = [];

const ACTOR = 'id name kind aliases description version participations { role event { id } }';
const SOURCE = 'id title url publisher author published { value } archiveUrl notes version';
const readActor = async (id) => (await graphql(`query($id: ID!) { actor(id: $id) { ${ACTOR} } }`, { id })).actor;
const readSource = async (id) => (await graphql(`query($id: ID!) { source(id: $id) { ${SOURCE} } }`, { id })).source;

async function createEvent(input) {
  const { createEvent } = await graphql('mutation($input: CreateEventInput!) { createEvent(input: $input) { event { id } } }', { input });
  events.push(createEvent.event.id);
  return createEvent.event.id;
}

before(async () => {
  browser = await launch();
  const actor = async (input) => (await graphql('mutation($input: CreateActorInput!) { createActor(input: $input) { actor { id } } }', { input })).createActor.actor.id;
  ids.alice = await actor({ name: `Alice ${stamp}`, kind: 'person', aliases: [`A. ${stamp}`], description: 'A defence official.' });
  ids.twin = await actor({ name: `Alicia ${stamp}`, kind: 'person' });
  ids.source = (
    await graphql('mutation($input: CreateSourceInput!) { createSource(input: $input) { source { id } } }', {
      input: { title: `Pages source ${stamp}`, url: 'https://example.org/pages', publisher: 'The Publisher', author: 'A. Writer', published: '2024-03', notes: 'Read twice.' },
    })
  ).createSource.source.id;
  ids.first = await createEvent({ title: `Pages meeting ${stamp}`, start: '2024-02-01', kind: 'meeting', participants: [{ actorId: ids.alice, role: 'organiser' }],
    citations: [{ sourceId: ids.source, quote: 'She called the meeting.', supports: 'participation', actorId: ids.alice }] });
  ids.second = await createEvent({ title: `Pages statement ${stamp}`, start: '2024-03-05', kind: 'statement', participants: [{ actorId: ids.alice, role: 'subject' }],
    citations: [{ sourceId: ids.source, quote: 'It was said.' }] });
  ids.third = await createEvent({ title: `Pages leak ${stamp}`, start: '2024-03-10', kind: 'leak', participants: [{ actorId: ids.twin, role: 'leaker' }] });
});
after(async () => {
  for (const id of events) await graphql('mutation($input: DeleteEventInput!) { deleteEvent(input: $input) { deletedId } }', { input: { id } });
  await browser?.close();
});

async function open(page, query) {
  await page.goto(`${BASE}/`);
  await page.evaluate((args) => sessionStorage.setItem(...args), [TOKEN_KEY, TOKEN]);
  await page.goto(`${BASE}/${query}`);
  await page.waitForSelector('body[data-ready="true"]');
}

describe('record pages', () => {
  test("an actor's page: their timeline by role, editing that changes only what changed, and a merge with its preview", async () => {
    const guard = await guardedContext(browser);
    const page = await guard.context.newPage();
    // From an event's detail, the actor's name leads to their page.
    await open(page, `?event=${encodeURIComponent(ids.first)}`);
    await page.click(`#detail a.actor-link[href*="${encodeURIComponent(ids.alice)}"]`);
    await page.waitForSelector('body[data-ready="true"][data-page="actor"]');
    assert.equal(await page.textContent('#actor-name'), `Alice ${stamp}`);
    assert.match(await page.textContent('.aliases'), new RegExp(`A\\. ${stamp}`));
    assert.equal(await page.textContent('.description'), 'A defence official.');
    assert.deepEqual(await page.$$eval('.role-group', (els) => els.map((el) => el.dataset.role)), ['organiser', 'subject']);
    assert.equal(await page.getAttribute('.role-group[data-role="organiser"] a', 'data-event'), ids.first);
    assert.equal(await page.getAttribute('.role-group[data-role="subject"] a', 'data-event'), ids.second);
    await page.screenshot({ path: new URL('actor-page.png', SCREENSHOTS).pathname });

    // Saved unchanged: nothing written. One field changed: that field only.
    const before = await readActor(ids.alice);
    await page.click('#edit-actor');
    await page.click('#actor-form-save');
    await page.locator('#page-status', { hasText: 'Nothing to save' }).waitFor();
    assert.deepEqual(await readActor(ids.alice), before);
    await page.click('#edit-actor');
    await page.fill('#actor-form [data-field="description"]', 'A defence official, retired.');
    await page.click('#actor-form-save');
    await page.locator('.description', { hasText: 'retired' }).waitFor();
    assert.deepEqual(await readActor(ids.alice), { ...before, description: 'A defence official, retired.', version: before.version + 1 });

    // Merge the duplicate: the preview says what moves; the editor token is refused, an admin's is taken.
    await page.fill('[name="merge-search"]', `Alicia ${stamp}`);
    await page.click(`.pick-actor[data-actor="${ids.twin}"]`);
    await page.locator('.merge-preview .merge-events li', { hasText: `Pages leak ${stamp} (leaker, from Alicia ${stamp})` }).waitFor();
    assert.match(await page.textContent('.merge-preview .merge-summary'), /^1 participation/);
    assert.match(await page.textContent('.merge-preview .merge-aliases'), new RegExp(`Alicia ${stamp}`));
    await page.click('#merge-actors');
    await enterToken(page, ADMIN_TOKEN);
    await page.locator('.role-group[data-role="leaker"] a', { hasText: `Pages leak ${stamp}` }).waitFor();
    assert.equal(await readActor(ids.twin), null);
    const merged = await readActor(ids.alice);
    assert.ok(merged.aliases.includes(`Alicia ${stamp}`), JSON.stringify(merged.aliases));
    assert.ok(merged.participations.some((p) => p.role === 'leaker' && p.event.id === ids.third));
    // The editor token was refused with FORBIDDEN on purpose.
    assertClean(guard, [/status of 40[13]/]);
    await guard.context.close();
  });

  test('the sources: a list with search in the address, a page per source with its quotes, and editing', async () => {
    const guard = await guardedContext(browser);
    const page = await guard.context.newPage();
    await open(page, '');
    await page.click('#sources-link');
    await page.waitForSelector('body[data-ready="true"][data-page="sources"]');
    await page.waitForSelector('.sources-list li');
    await page.fill('#sources-search', `Pages source ${stamp}`);
    await eventually(async () => (await page.locator('.sources-list li').count()) === 1, 'the search did not narrow the list');
    assert.equal(await page.getAttribute('.sources-list li', 'data-source'), ids.source);
    assert.equal(new URL(page.url()).searchParams.get('sources'), `Pages source ${stamp}`);
    // The address is the link: opened again, it shows the same list.
    await page.goto(page.url());
    await page.waitForSelector('body[data-ready="true"]');
    await eventually(async () => (await page.locator('.sources-list li').count()) === 1, 'the link did not keep the search');

    await page.click('.sources-list li a');
    await page.waitForSelector('body[data-ready="true"][data-page="source"]');
    assert.equal(await page.textContent('#source-title'), `Pages source ${stamp}`);
    const meta = await page.textContent('.meta');
    for (const text of ['https://example.org/pages', 'The Publisher', 'A. Writer', '2024-03', 'Read twice.']) assert.ok(meta.includes(text), `${text} missing`);
    const quotes = await page.$$eval('.source-citations li', (els) => els.map((el) => ({ quote: el.querySelector('blockquote')?.textContent, event: el.querySelector('a')?.dataset.event, text: el.textContent })));
    assert.deepEqual(quotes.map((q) => [q.quote, q.event]), [['She called the meeting.', ids.first], ['It was said.', ids.second]]);
    assert.match(quotes[0].text, new RegExp(`Supports the participation of Alice ${stamp} of Pages meeting`));
    await page.screenshot({ path: new URL('source-page.png', SCREENSHOTS).pathname });

    const before = await readSource(ids.source);
    await page.click('#edit-source');
    await page.click('#source-form-save');
    await page.locator('#page-status', { hasText: 'Nothing to save' }).waitFor();
    assert.deepEqual(await readSource(ids.source), before);
    await page.click('#edit-source');
    await page.fill('#source-form [data-field="notes"]', 'Read three times.');
    await page.click('#source-form-save');
    await page.locator('.meta', { hasText: 'Read three times.' }).waitFor();
    assert.deepEqual(await readSource(ids.source), { ...before, notes: 'Read three times.', version: before.version + 1 });

    // A quote leads to its event on the timeline.
    await page.click(`.source-citations a[data-event="${ids.second}"]`);
    await page.locator('#detail h2', { hasText: `Pages statement ${stamp}` }).waitFor();
    assertClean(guard);
    await guard.context.close();
  });
});
