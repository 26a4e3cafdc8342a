// The evidence on the timeline page (issue 11), walked as the "Done when" asks, on the
// example affair: a second source puts the secret Luftwaffe call on 19 February (the source is made
// through the API; the account is added on the page); both accounts show side by side and both
// spans are drawn on the call's row; preferring the precise one; the axis "when it became known"
// with the lag line, kept in the link across a reload; a retraction of the second source recorded
// on the page lists the call among the affected events, keeps its account marked RETRACTED and puts
// the call back on the month; retracting the article too leaves the call WEAKENED on its date, in
// this tab and, live, in another.
// Also: a disputed event drawn with both spans and a mark, and the "disputed only", "weakened or
// unsupported" and "rests on" filters, each checked against the API.
//
// It retracts the example's article: later test files see the affair weakened (nothing else).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { assertClean, BASE, drawnEventIds, eventually, graphql, guardedContext, launch, openTimeline, SCREENSHOTS, TOKEN, TOKEN_KEY } from './helpers.mjs';

const CALL = `id start { value precision } disputed support firstReported { value }
  accounts(aspect: WHEN, first: 10) { id status preferred date { value } citation { source { id title } } }`;

async function readCall(id) {
  const { event } = await graphql(`query($id: ID!) { event(id: $id) { ${CALL} } }`, { id });
  return event;
}

async function eventIds(filter) {
  const { events } = await graphql('query($filter: EventFilter) { events(first: 500, filter: $filter) { nodes { id } } }', { filter });
  return events.nodes.map((e) => e.id).sort();
}

async function createSource(title) {
  const { createSource } = await graphql('mutation($input: CreateSourceInput!) { createSource(input: $input) { source { id } } }', {
    input: { title, publisher: 'Test Gazette', published: '2024-03-05' },
  });
  return createSource.source.id;
}

/** Asserts that every event drawn is one the API finds with `filter`, and that `expected` are drawn. */
async function assertDrawnMatch(page, filter, expected) {
  const api = new Set(await eventIds(filter));
  await eventually(async () => {
    const drawn = await drawnEventIds(page);
    return drawn.length > 0 && drawn.every((id) => api.has(id)) && expected.every((id) => drawn.includes(id));
  }, `the events drawn are the ones ${JSON.stringify(filter)} finds`);
}

/** The distinct accounts whose spans are drawn on an event's row(s). */
async function drawnSpans(page, eventId) {
  return page.$$eval(`svg.arrows .account-span[data-event="${eventId}"]`, (els) => ({
    accounts: [...new Set(els.map((el) => el.dataset.account))].sort(),
    values: [...new Set(els.filter((el) => el.classList.contains('value')).map((el) => el.dataset.account))],
    outlines: [...new Set(els.filter((el) => el.classList.contains('outline')).map((el) => el.dataset.account))],
  }));
}

let browser;
let guard;
let page;
let call;
let article;
let second;
let apart;

before(async () => {
  browser = await launch();
  guard = await guardedContext(browser);
  page = await guard.context.newPage();
  const { events } = await graphql(`{ events(first: 5, filter: { search: "Luftwaffe video call" }) { nodes { ${CALL} } } }`);
  call = events.nodes[0];
  assert.equal(call.accounts.length, 1, 'the example call rests on the article alone');
  article = call.accounts[0].citation.source;
  second = await createSource(`Second source ${Date.now().toString(36)}`);
  // A made-up event whose two sources date it apart: disputed (the example has none).
  const third = await createSource(`Third source ${Date.now().toString(36)}`);
  const { createEvent } = await graphql('mutation($input: CreateEventInput!) { createEvent(input: $input) { event { id disputed } } }', {
    input: {
      title: 'A meeting the sources date apart',
      kind: 'meeting',
      start: '2024-02',
      accounts: [
        { aspect: 'WHEN', date: '2024-02-05', citation: { sourceId: second, quote: 'on 5 February' } },
        { aspect: 'WHEN', date: '2024-02-26', citation: { sourceId: third, quote: 'on 26 February' } },
      ],
    },
  });
  apart = createEvent.event;
  assert.equal(apart.disputed, true);
  await page.goto(`${BASE}/`);
  await page.evaluate((args) => sessionStorage.setItem(...args), [TOKEN_KEY, TOKEN]);
});
after(async () => {
  await guard?.context.close();
  await browser?.close();
});

describe('the evidence on the timeline page', () => {
  test('a disputed event is marked and drawn with both spans; the filters follow the API', async () => {
    await openTimeline(page, '?disputed=1');
    await assertDrawnMatch(page, { disputed: true }, [apart.id]);
    await page.waitForSelector(`#timeline .vis-item.disputed[data-id^="${apart.id}"]`);
    assert.match(await page.locator(`#timeline .vis-item[data-id^="${apart.id}"]`).first().textContent(), /≠/);
    await eventually(async () => (await drawnSpans(page, apart.id)).accounts.length === 2, 'two spans on the disputed row');
    assert.equal(await page.isChecked('#f-disputed'), true);
    // Unchecking it is part of the link too.
    await page.uncheck('#f-disputed');
    await eventually(async () => !page.url().includes('disputed=1'), 'the link drops the filter');
    await page.screenshot({ path: new URL('evidence-disputed.png', SCREENSHOTS).pathname });
  });

  test('the walk of the issue: add, prefer, the axis, retract the second source, retract the article', async () => {
    await openTimeline(page, `?event=${encodeURIComponent(call.id)}`);
    await page.waitForSelector('#detail:not([hidden]) .accounts');
    assert.equal(await page.locator('#detail .accounts [data-aspect="WHEN"] .account').count(), 1);

    // Add the second source's account on the page; a missing date is refused, naming the field.
    await page.click('#detail .add-account summary');
    await page.locator('#acc-source option', { hasText: 'Second source' }).waitFor({ state: 'attached' });
    await page.selectOption('#acc-aspect', 'WHEN');
    const secondLabel = await page.locator('#acc-source option', { hasText: 'Second source' }).textContent();
    await page.selectOption('#acc-source', { label: secondLabel });
    await page.fill('#acc-quote', 'The call took place on 19 February.');
    await page.click('#add-account');
    await page.waitForSelector('#detail output[data-for="date"]:not(:empty)');
    assert.match(await page.locator('#detail output[data-for="date"]').textContent(), /^date: /);
    assert.equal((await readCall(call.id)).accounts.length, 1, 'nothing was written');
    await page.fill('#acc-date', '2024-02-19');
    await page.click('#add-account');
    await page.locator('#detail .accounts [data-aspect="WHEN"] .account').nth(1).waitFor();

    const added = await readCall(call.id);
    assert.equal(added.accounts.length, 2);
    const precise = added.accounts.find((a) => a.date.value === '2024-02-19');
    const month = added.accounts.find((a) => a.date.value === '2024-02');
    assert.equal(precise.citation.source.id, second);
    // Side by side: value, source, quote, status.
    const cards = page.locator('#detail .accounts [data-aspect="WHEN"] .account');
    assert.equal(await cards.count(), 2);
    const preciseCard = page.locator(`#detail .account[data-account="${precise.id}"]`);
    assert.match(await preciseCard.textContent(), /2024-02-19/);
    assert.match(await preciseCard.textContent(), /Second source/);
    assert.match(await preciseCard.textContent(), /19 February/);
    assert.match(await preciseCard.locator('.status-badge').textContent(), /current/);
    // 19 February lies inside the article's "last month": by the rules the two agree (not
    // disputed), and the more precise one is the call's date. Both spans are drawn on its row.
    assert.equal(added.disputed, false);
    assert.equal(added.start.value, '2024-02-19');
    await eventually(async () => (await drawnSpans(page, call.id)).accounts.length === 2, 'both spans on the call\'s row');
    const spans = await drawnSpans(page, call.id);
    assert.deepEqual(spans.accounts, [month.id, precise.id].sort());
    assert.deepEqual(spans.values, [precise.id], 'the value account is solid');
    assert.deepEqual(spans.outlines, [month.id], 'the other is an outline');

    // Prefer the precise one: its mark changes, no account else.
    await preciseCard.locator('.prefer-account').click();
    await page.waitForSelector(`#detail .account[data-account="${precise.id}"][data-preferred="true"]`);
    const preferred = await readCall(call.id);
    assert.equal(preferred.start.value, '2024-02-19');
    assert.deepEqual(preferred.accounts.map((a) => [a.id, a.status, a.date.value]), added.accounts.map((a) => [a.id, a.status, a.date.value]));
    assert.equal(preferred.accounts.find((a) => a.id === precise.id).preferred, true);

    // When it became known: the call moves to 1 March, a thin line back to February; the link
    // keeps the choice across a reload. "Both" draws the line too.
    await page.selectOption('#f-axis', 'reported');
    await eventually(async () => page.url().includes('axis=reported'), 'the axis is in the link');
    await page.waitForSelector(`svg.arrows .lag-line[data-event="${call.id}"]`, { state: 'attached' });
    const reportedIds = await drawnEventIds(page);
    assert.ok(reportedIds.includes(call.id));
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    assert.equal(await page.inputValue('#f-axis'), 'reported');
    await page.waitForSelector(`svg.arrows .lag-line[data-event="${call.id}"]`, { state: 'attached' });
    await page.selectOption('#f-axis', 'both');
    await page.waitForSelector(`svg.arrows .lag-mark.reported[data-event="${call.id}"]`, { state: 'attached' });
    await page.screenshot({ path: new URL('evidence-lag.png', SCREENSHOTS).pathname });
    await page.selectOption('#f-axis', 'happened');
    await eventually(async () => (await page.locator('svg.arrows .lag-line').count()) === 0, 'no lag lines by when it happened');

    // Everything that rests on the second source: the call and the made-up meeting.
    await page.click(`#detail .account[data-account="${precise.id}"] .rests-on`);
    await eventually(async () => page.url().includes(`restsOn=${second}`), 'the source filter is in the link');
    await assertDrawnMatch(page, { sourceIds: [second] }, [call.id, apart.id]);
    await page.goto(`${BASE}/?event=${encodeURIComponent(call.id)}`);
    await page.waitForSelector('#detail:not([hidden]) .accounts');

    // Retract the second source on the page: the call is among the affected events, its account
    // kept and marked, its date back to the month.
    await page.click(`#detail .account[data-account="${precise.id}"] .record-change`);
    await page.waitForSelector('dialog#source-change[open] #change-kind');
    await page.selectOption('#change-kind', 'RETRACTED');
    await page.fill('#change-at', '2024-03-10');
    await page.fill('#change-note', 'The second source withdrew its story.');
    await page.click('#change-submit');
    await page.waitForSelector(`dialog#source-change .affected-events li[data-event="${call.id}"]`);
    assert.ok(await page.locator(`dialog#source-change .affected-events li[data-event="${apart.id}"]`).count());
    await page.click('#change-close');
    await page.waitForSelector(`#detail .account[data-account="${precise.id}"][data-status="RETRACTED"]`);
    assert.match(await page.locator(`#detail .account[data-account="${precise.id}"] .status-badge`).textContent(), /retracted/);
    await eventually(async () => (await page.locator('#detail .dates code.typed').first().textContent()) === '2024-02', 'the date is back to the month');
    const retracted = await readCall(call.id);
    assert.deepEqual(retracted.start, { value: '2024-02', precision: 'MONTH' });
    assert.equal(retracted.accounts.find((a) => a.id === precise.id).status, 'RETRACTED');
    assert.equal(retracted.support, 'SUPPORTED');

    // Another tab follows live: the subscription announces every event the retraction affects.
    const watcher = await guard.context.newPage();
    await openTimeline(watcher);
    await watcher.waitForSelector(`#timeline .vis-item[data-id^="${call.id}"]`);
    await watcher.waitForSelector('#live[data-state="live"]');
    assert.equal(await watcher.locator(`#timeline .vis-item.weakened[data-id^="${call.id}"]`).count(), 0);

    // Retract the article too, from the call's citation: weakened, on its date.
    await page.locator(`#detail .citation .record-change[data-source="${article.id}"]`).first().click();
    await page.waitForSelector('dialog#source-change[open] #change-kind');
    await page.selectOption('#change-kind', 'RETRACTED');
    await page.click('#change-submit');
    await page.waitForSelector(`dialog#source-change .affected-events li[data-event="${call.id}"][data-support="WEAKENED"]`);
    await page.click('#change-close');
    await page.waitForSelector('#detail .evidence-notice');
    assert.match(await page.locator('#detail .evidence-notice').textContent(), /Weakened/);
    assert.match(await page.locator('#detail .evidence-notice').textContent(), /retracted source/);
    await page.waitForSelector(`#timeline .vis-item.weakened[data-id^="${call.id}"]`);
    assert.equal(await page.locator('#detail .dates code.typed').first().textContent(), '2024-02');
    await watcher.waitForSelector(`#timeline .vis-item.weakened[data-id^="${call.id}"]`);
    await watcher.close();
    const weakened = await readCall(call.id);
    assert.equal(weakened.support, 'WEAKENED');
    assert.equal(weakened.start.value, '2024-02');

    // Weakened or unsupported: the filter shows what the API says.
    await page.check('#f-weak');
    await eventually(async () => page.url().includes('weak=1'), 'the filter is in the link');
    await assertDrawnMatch(page, { support: ['WEAKENED', 'UNSUPPORTED'] }, [call.id]);
    await page.screenshot({ path: new URL('evidence-weakened.png', SCREENSHOTS).pathname });
    assertClean(guard);
  });

  test("a source's page records a change and shows its life", async () => {
    const fresh = await createSource(`Fourth source ${Date.now().toString(36)}`);
    await page.goto(`${BASE}/?source=${encodeURIComponent(fresh)}`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.click('#record-change');
    await page.waitForSelector('dialog#source-change[open] #change-kind');
    await page.selectOption('#change-kind', 'UPDATED');
    await page.fill('#change-at', 'not a date');
    await page.click('#change-submit');
    await page.waitForSelector('dialog#source-change output[data-for="at"]:not(:empty)');
    assert.match(await page.locator('dialog#source-change output[data-for="at"]').textContent(), /^at: /);
    await page.fill('#change-at', '2024-03-11');
    await page.click('#change-submit');
    await page.waitForSelector('dialog#source-change .change-result h3');
    await page.click('#change-close');
    await page.waitForSelector('#source-status');
    await eventually(async () => (await page.locator('#source-status').textContent()) === 'updated', 'the page shows the new status');
    assert.match(await page.locator('.source-changes li').first().textContent(), /updated 2024-03-11/);
    const { source } = await graphql('query($id: ID!) { source(id: $id) { status changes { kind at { value } } } }', { id: fresh });
    assert.deepEqual(source, { status: 'UPDATED', changes: [{ kind: 'UPDATED', at: { value: '2024-03-11' } }] });
    assertClean(guard);
  });
});
