// The GraphQL-over-HTTP audit of the graphql-http package (its `serverAudits`) against the real
// release server: every audit passes, the MUSTs (an "error" when failed), the SHOULDs ("warn") and
// the MAYs ("notice") alike. Among them: a mutation over GET is refused with a 4xx (Chronik: 405),
// a POST without a JSON Content-Type too (415), and a document that does not parse or validate,
// asked for as application/graphql-response+json, gets a 400 without `data`.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serverAudits } from 'graphql-http';

const BASE = (process.env.CHRONIK_URL ?? '').replace(/\/$/, '');
if (!BASE) throw new Error('set CHRONIK_URL to the server under test, e.g. http://127.0.0.1:8080');

test('the GraphQL-over-HTTP audit passes every MUST, SHOULD and MAY', async () => {
  const audits = serverAudits({ url: `${BASE}/graphql` });
  assert.ok(audits.length > 50, `only ${audits.length} audits`);
  const results = [];
  // One at a time: the server's log then reads in the audits' order.
  for (const audit of audits) results.push(await audit.fn());
  const failed = results
    .filter((result) => result.status !== 'ok')
    .map((result) => `${result.status} ${result.id} ${result.name}: ${result.reason}`);
  assert.deepEqual(failed, []);
});
