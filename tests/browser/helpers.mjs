// Shared set-up for the browser tests: Debian's Chromium through playwright-core, and a request
// guard that lets through only the server under test (loopback), data: and blob: URLs, and counts
// everything else, so a test can prove the page loaded nothing from any other host.

import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

export const BASE = (process.env.CHRONIK_URL ?? '').replace(/\/$/, '');
if (!BASE) throw new Error('set CHRONIK_URL to the server under test, e.g. http://127.0.0.1:8080');

export const SCREENSHOTS = new URL('./screenshots/', import.meta.url);

/** An editor token and a reader token for the server under test (scripts/browser-tests makes them, and an admin one). */
export const TOKEN = process.env.CHRONIK_TOKEN ?? '';
export const READER_TOKEN = process.env.CHRONIK_READER_TOKEN ?? '';
/** An admin token, for merges. */
export const ADMIN_TOKEN = process.env.CHRONIK_ADMIN_TOKEN ?? '';
if (!TOKEN || !READER_TOKEN || !ADMIN_TOKEN) {
  throw new Error('set CHRONIK_TOKEN, CHRONIK_READER_TOKEN and CHRONIK_ADMIN_TOKEN to an editor, a reader and an admin token of the server under test (chronik token create)');
}
/** Where the pages keep the session's token (frontend/src/session.ts). */
export const TOKEN_KEY = 'chronik.token';

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
    ],
  });
}

function isLocal(url) {
  if (url.startsWith('data:') || url.startsWith('blob:')) return true;
  try {
    const { hostname } = new URL(url);
    return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]' || hostname === '::1';
  } catch {
    return false;
  }
}

/**
 * A browser context whose every request is routed: loopback, data: and blob: continue, anything
 * else is aborted and recorded in `external`. `errors` collects page errors and console errors.
 */
export async function guardedContext(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, ...options });
  const external = [];
  const errors = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (isLocal(url)) return route.continue();
    external.push(url);
    return route.abort('blockedbyclient');
  });
  // WebSockets are not routed by context.route: watch them too.
  context.on('page', (page) => watch(page, external, errors));
  return { context, external, errors };
}

function watch(page, external, errors) {
  page.on('websocket', (ws) => {
    if (!isLocal(ws.url())) external.push(ws.url());
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
}

export async function newPage(guard) {
  const page = await guard.context.newPage();
  return page;
}

/**
 * Asserts that nothing went to another host and the page logged no errors, but for the errors
 * `expected` matches (e.g. Chromium's log line for a request the server refused on purpose).
 */
export function assertClean(guard, expected = []) {
  assert.deepEqual(guard.external, [], `requests to other hosts: ${guard.external.join(', ')}`);
  const errors = guard.errors.filter((e) => !expected.some((pattern) => pattern.test(e)));
  assert.deepEqual(errors, [], `errors in the page: ${errors.join('\n')}`);
}

/** Waits for the token dialog, types `token` into it and submits it. */
export async function enterToken(page, token) {
  await page.waitForSelector('dialog#token-dialog[open] #token-input');
  assert.equal(await page.getAttribute('#token-input', 'type'), 'password');
  await page.fill('#token-input', token);
  await page.click('#token-submit');
}

/** The token the page keeps in sessionStorage, or null. */
export async function keptToken(page) {
  return page.evaluate((key) => sessionStorage.getItem(key), TOKEN_KEY);
}

/** Records the messages a page sends over its WebSockets (set up before the page opens them). */
export function recordSentFrames(page) {
  const frames = [];
  page.on('websocket', (ws) => ws.on('framesent', (frame) => frames.push(String(frame.payload))));
  return frames;
}

/** Polls `condition` until it holds, or fails after `timeout` ms. */
export async function eventually(condition, message, timeout = 5000) {
  const end = Date.now() + timeout;
  while (!(await condition())) {
    if (Date.now() > end) assert.fail(message);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Whether a graphql-transport-ws connection_init among `frames` carried `Authorization: Bearer token`. */
export function initCarries(frames, token) {
  return frames.some((frame) => {
    try {
      const message = JSON.parse(frame);
      return message.type === 'connection_init' && message.payload?.Authorization === `Bearer ${token}`;
    } catch {
      return false;
    }
  });
}

/** Opens the timeline and waits until it has drawn its events. */
export async function openTimeline(page, query = '') {
  await page.goto(`${BASE}/${query}`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForFunction(() => document.querySelectorAll('#timeline .vis-item[data-id]').length > 0);
}

/** The event IDs of the items drawn, without lane suffixes. */
export async function drawnEventIds(page) {
  return page.$$eval('#timeline .vis-item[data-id]', (els) => [...new Set(els.map((el) => el.dataset.id.split('|')[0]))]);
}

export async function laneLabels(page) {
  return page.$$eval('#timeline .vis-labelset .lane-label', (els) => els.map((el) => el.textContent));
}

/** Runs a GraphQL operation against the server directly (test set-up and checks), as the editor token. */
export async function graphql(query, variables = {}) {
  const response = await fetch(`${BASE}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}
