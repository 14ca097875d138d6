/**
 * Random requests to the support listener, which anything in the cluster network can reach
 * (probes, scrapers, any pod): known paths with hostile queries, odd targets, any method, both
 * answer formats, and hostile edits on top. Whatever arrives, the listener answers with one
 * status line it means (never a 500: that is a handler failing) or closes the connection, and
 * /healthz still answers afterwards. Bounded: 400 exchanges with a fixed seed, 20 at a time.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSkiff, type RunningSkiff } from '../helpers/skiff.js';
import { request } from '../helpers/http.js';
import { rawExchange } from './raw.js';
import { applyEdits, editsOf } from './edits.js';

let proxy: RunningSkiff;
let port: number;

beforeAll(async () => {
  proxy = await startSkiff(`a: Path("/a") -> <shunt>; b: Host("x") -> status(418) -> <shunt>; c: * -> inlineContent("c") -> <shunt>;`);
  port = Number(new URL(proxy.supportUrl).port);
});

afterAll(async () => {
  await proxy.stop();
});

const odd = fc.constantFrom('', '%', '%ZZ', '%00', '%0d%0a', '&', '=', '==', '?', '#', '/', '//', '..', '\u00e9', '__proto__', 'constructor', '-1', '1e3', '9'.repeat(30), 'NaN', 'Infinity');
const param = fc.tuple(fc.constantFrom('invalid', 'offset', 'limit', 'listener', 'timestamp', 'nopretty', 'x'), fc.option(odd, { nil: undefined }));
const query = fc.array(param, { maxLength: 4 }).map((ps) => ps.map(([k, v]) => (v === undefined ? k : `${k}=${v}`)).join('&'));
// /routes reads the query: most requests go there
const path = fc.oneof(
  { weight: 3, arbitrary: fc.constant('/routes') },
  { weight: 2, arbitrary: fc.constantFrom('/healthz', '/readyz', '/metrics', '/metrics/', '/', '//', '//%', '/routes/', '/ROUTES', 'http://s/routes', '*') },
);
const target = fc.tuple(path, fc.option(query, { nil: undefined })).map(([p, q]) => (q === undefined ? p : `${p}?${q}`));
const method = fc.constantFrom('GET', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE');
const accept = fc.constantFrom('', 'Accept: application/json\r\n', 'Accept: */*\r\n', 'Accept: text/plain, application/json;q=0.1\r\n');
const hostile = editsOf(fc.constantFrom('\r', '\n', '\0', ' ', '%', '\x7f', '\xff', '\r\nContent-Length: 5', '\r\nTransfer-Encoding: chunked'), ['insert', 'replace']);

const requestText = fc
  .record({ method, target, accept, edits: fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: hostile }) })
  .map(({ method, target, accept, edits }) => applyEdits(`${method} ${target} HTTP/1.1\r\nHost: support\r\n${accept}Connection: close\r\n\r\n`, edits));

describe('the support listener under random requests', () => {
  it('answers each with a status it means, never a 500, and stays up', async () => {
    const cases = fc.sample(requestText, { numRuns: 400, seed: 2026 });
    const wrong: { text: string; statuses: number[]; closed: boolean }[] = [];
    for (let i = 0; i < cases.length; i += 20) {
      await Promise.all(
        cases.slice(i, i + 20).map(async (text) => {
          const got = await rawExchange(port, text, { waitMs: 1000 });
          const meant = got.statuses.length === 1 && [200, 400, 404, 405, 503].includes(got.statuses[0]!);
          const refused = got.statuses.length === 0 && got.closed;
          if (!meant && !refused) wrong.push({ text, statuses: got.statuses, closed: got.closed });
        }),
      );
    }
    expect(wrong).toEqual([]);
    expect((await request(`${proxy.supportUrl}/healthz`)).status).toBe(200);
    expect((await request(`${proxy.supportUrl}/routes?limit=1`)).status).toBe(200);
  });
});
