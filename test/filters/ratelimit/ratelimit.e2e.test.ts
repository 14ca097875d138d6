/**
 * The rate limits through the real proxy: a limited request never reaches the backend and gets
 * 429 with Skipper's headers; routes with the same settings share their count, as the routes of
 * one Ingress do when `zalando.org/skipper-filter` puts the filter on each of them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEcho, type TestServer } from '../../helpers/upstream.js';
import { startSkiff, type RunningSkiff } from '../../helpers/skiff.js';
import { request } from '../../helpers/http.js';

let echo: TestServer;
let proxy: RunningSkiff;

beforeAll(async () => {
  echo = await startEcho('echo');
  proxy = await startSkiff(`
    a: Path("/svc/a") -> ratelimit(3, "7h") -> "${echo.url}";
    b: Path("/svc/b") -> ratelimit(3, "7h") -> "${echo.url}";
    shed: Path("/shed") -> ratelimit(1, "7h", 503) -> "${echo.url}";
    login: Path("/login") -> clientRatelimit(2, "7h", "Authorization") -> "${echo.url}";
  `);
});
afterAll(async () => {
  await proxy.stop();
  await echo.close();
});

describe('rate limits end to end', () => {
  it('answers 429 with Retry-After once the routes of one setting have used it up', async () => {
    const statuses = [];
    for (const path of ['/svc/a', '/svc/b', '/svc/a', '/svc/b']) statuses.push((await request(`${proxy.url}${path}`)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await request(`${proxy.url}/svc/a`);
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(7 * 3600 - 60);
    expect(limited.headers['x-rate-limit']).toBe('0');
    expect(limited.headers['ratelimit-limit']).toBe('3');
  });

  it('answers the status the route asks for', async () => {
    expect((await request(`${proxy.url}/shed`)).status).toBe(200);
    expect((await request(`${proxy.url}/shed`)).status).toBe(503);
  });

  it('counts each token on its own and lets a request without one through', async () => {
    const send = (token?: string) => request(`${proxy.url}/login`, { headers: token === undefined ? {} : { authorization: token } }).then((r) => r.status);
    expect([await send('t1'), await send('t1'), await send('t1')]).toEqual([200, 200, 429]);
    expect(await send('t2')).toBe(200);
    expect([await send(), await send(), await send()]).toEqual([200, 200, 200]);
  });
});
