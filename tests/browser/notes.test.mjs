// Notes and stars from the page: an editor adds a note (its links shown as links), sees who wrote
// it and when, edits and deletes it; a second browser with another token sees it arrive live, but
// may not change it; the star is the token's own.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { ADMIN_TOKEN, assertClean, BASE, eventually, graphql, guardedContext, launch, SCREENSHOTS, TOKEN, TOKEN_KEY } from './helpers.mjs';

let browser;
let id;
before(async () => {
  browser = await launch();
  const { createEvent } = await graphql('mutation($input: CreateEventInput!) { createEvent(input: $input) { event { id } } }', {
    input: { title: `Notes test ${Date.now().toString(36)}`, start: '2024-02-22', kind: 'meeting' },
  });
  id = createEvent.event.id;
});
after(async () => {
  await graphql('mutation($input: DeleteEventInput!) { deleteEvent(input: $input) { deletedId } }', { input: { id } });
  await browser?.close();
});

async function openAs(guard, token) {
  const page = await guard.context.newPage();
  await page.goto(`${BASE}/`);
  await page.evaluate((args) => sessionStorage.setItem(...args), [TOKEN_KEY, token]);
  await page.goto(`${BASE}/?event=${encodeURIComponent(id)}`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForSelector('#detail .notes-section');
  return page;
}

const readNotes = async () => (await graphql('query($id: ID!) { event(id: $id) { notes { body author } } }', { id })).event.notes;

describe('notes', () => {
  test('added, edited and deleted by their author; seen but not changeable by another; a star per token', async () => {
    const guard = await guardedContext(browser);
    const page = await openAs(guard, TOKEN);
    // A second browser on the same event, with another token, waiting for live changes.
    const other = await openAs(guard, ADMIN_TOKEN);
    await other.locator('#live[data-state="live"]').waitFor();
    await page.fill('#new-note', 'Check the minutes: https://example.org/minutes.');
    await page.click('#add-note');
    const note = page.locator('#detail li.note');
    await note.waitFor();
    assert.equal(await page.inputValue('#new-note'), '');
    assert.match(await note.locator('.note-head').textContent(), /browser-tests-editor/);
    assert.equal(await note.locator('.note-body a').getAttribute('href'), 'https://example.org/minutes');
    assert.deepEqual(await readNotes(), [{ body: 'Check the minutes: https://example.org/minutes.', author: 'browser-tests-editor' }]);

    await note.locator('.edit-note').click();
    await page.fill('#detail .note-edit', 'Minutes checked.');
    await page.click('#detail .save-note');
    await page.locator('#detail li.note .note-body', { hasText: 'Minutes checked.' }).waitFor();
    assert.deepEqual(await readNotes(), [{ body: 'Minutes checked.', author: 'browser-tests-editor' }]);

    await page.click('#star-event');
    await page.locator('#star-event[aria-pressed="true"]', { hasText: '(1)' }).waitFor();
    await page.locator('#detail .notes-section').screenshot({ path: new URL('notes.png', SCREENSHOTS).pathname });

    // The other browser saw the note arrive and change, live: not as its own, and not starred by it.
    await other.locator('#detail li.note .note-body', { hasText: 'Minutes checked.' }).waitFor();
    assert.equal(await other.locator('#detail li.note .edit-note').count(), 0);
    // Stars are not announced: opened again, it shows the count, and that this token has not starred it.
    await other.reload();
    await other.locator('#star-event[aria-pressed="false"]', { hasText: '(1)' }).waitFor();

    page.on('dialog', (dialog) => dialog.accept());
    await note.locator('.delete-note').click();
    await eventually(async () => (await page.locator('#detail li.note').count()) === 0, 'the note stayed');
    assert.deepEqual(await readNotes(), []);
    await eventually(async () => (await other.locator('#detail li.note').count()) === 0, 'the deletion did not reach the other browser');
    assertClean(guard);
    await guard.context.close();
  });
});
