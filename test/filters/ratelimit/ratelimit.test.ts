/** ratelimit, clientRatelimit and disableRatelimit: arguments, answers and the client key. */
import { describe, expect, it } from 'vitest';
import { clientRatelimit, localRatelimit } from '../../../filters/ratelimit/client-ratelimit.js';
import { disableRatelimit } from '../../../filters/ratelimit/disable-ratelimit.js';
import { ratelimit } from '../../../filters/ratelimit/ratelimit.js';
import { limiterCount, sweepLimiters } from '../../../filters/ratelimit/limiters.js';
import type { Arg } from '../../../src/spec.js';
import { createFilter, filterContext, runRequest, type TestContextInit } from '../../helpers/filter-context.js';
import { expectInvalidArgs } from '../expect-invalid.js';

let unique = 0;
/** A window no other test uses, so that tests never share a limiter. */
function freshWindow(): string {
  return `${3600 + ++unique}s`;
}

function hits(filter: ReturnType<typeof createFilter>, n: number, init: TestContextInit = {}): number[] {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) {
    const ctx = runRequest(filter, filterContext(init));
    statuses.push(ctx.reply?.status ?? 200);
  }
  return statuses;
}

describe('rate limit arguments', () => {
  it.each([[[]], [[1]], [['1', '1m']], [[1, 'soon']], [[1, '-1s']], [[1, '1m', 'x']], [[1, '1m', 99]], [[1, '1m', 429, 1]]] as Arg[][][])('ratelimit rejects %j', (args) => {
    expectInvalidArgs(ratelimit, args);
  });

  it.each([[[]], [[1]], [[1, '1m', '']], [[1, '1m', 5]], [[1, '1m', 'a', 'b']]] as Arg[][][])('clientRatelimit rejects %j', (args) => {
    expectInvalidArgs(clientRatelimit, args);
  });

  it('disableRatelimit takes no arguments and does nothing', () => {
    expectInvalidArgs(disableRatelimit, ['x']);
    const ctx = runRequest(createFilter(disableRatelimit), filterContext());
    expect(ctx.served).toBe(false);
  });
});

describe('ratelimit', () => {
  it('answers 429 with Skipper headers past the limit', () => {
    const f = createFilter(ratelimit, 2, '1h');
    // no other test uses 2 per hour
    expect(hits(f, 3)).toEqual([200, 200, 429]);
    const ctx = runRequest(f, filterContext());
    expect(ctx.reply?.headers).toEqual({ 'ratelimit-limit': '2', 'x-rate-limit': '2', 'ratelimit-reset': '3600', 'retry-after': '3600' });
  });

  it('answers the status given, and reads a number window as seconds', () => {
    const f = createFilter(ratelimit, 1, 7201, 503);
    expect(hits(f, 2)).toEqual([200, 503]);
    expect(runRequest(f, filterContext()).reply?.headers?.['x-rate-limit']).toBe('0');
  });

  it('shares one count between routes with the same settings, and keeps it over a rebuild', () => {
    const window = freshWindow();
    const a = createFilter(ratelimit, 2, window);
    const b = createFilter(ratelimit, 2, window);
    expect(hits(a, 1)).toEqual([200]);
    expect(hits(b, 2)).toEqual([200, 429]);
    expect(hits(createFilter(ratelimit, 3, window), 1)).toEqual([200]);
  });

  it('refuses everything with a limit of zero', () => {
    expect(hits(createFilter(ratelimit, 0, freshWindow()), 1)).toEqual([429]);
  });
});

describe('clientRatelimit', () => {
  it('counts per client address, the resolved one, not a made-up X-Forwarded-For', () => {
    const f = createFilter(clientRatelimit, 1, freshWindow());
    expect(hits(f, 1, { clientIp: '10.0.0.1', headers: { 'x-forwarded-for': '1.1.1.1' } })).toEqual([200]);
    expect(hits(f, 1, { clientIp: '10.0.0.1', headers: { 'x-forwarded-for': '2.2.2.2' } })).toEqual([429]);
    expect(hits(f, 1, { clientIp: '10.0.0.2' })).toEqual([200]);
    expect(hits(f, 1, { clientIp: null, remoteAddress: '10.0.0.3' })).toEqual([200]);
  });

  it('counts per header value, and lets a request without one through', () => {
    const f = createFilter(clientRatelimit, 1, freshWindow(), 'Authorization');
    expect(hits(f, 2, { headers: { authorization: 'Bearer a' } })).toEqual([200, 429]);
    expect(hits(f, 1, { headers: { authorization: 'Bearer b' } })).toEqual([200]);
    expect(hits(f, 3)).toEqual([200, 200, 200]);
  });

  it('counts per tuple of the values, X-Forwarded-For meaning the client address', () => {
    const f = createFilter(clientRatelimit, 1, freshWindow(), 'X-Forwarded-For,Authorization');
    expect(hits(f, 2, { clientIp: '10.0.0.1', headers: { authorization: 't' } })).toEqual([200, 429]);
    expect(hits(f, 1, { clientIp: '10.0.0.2', headers: { authorization: 't' } })).toEqual([200]);
  });

  it('is also known by its old name localRatelimit', () => {
    expect(hits(createFilter(localRatelimit, 1, freshWindow()), 2)).toEqual([200, 429]);
  });
});

describe('the limiters registry', () => {
  it('drops limiters idle for ten windows, and a filter holding one gets a new one', () => {
    const f = createFilter(ratelimit, 1, '1s');
    expect(hits(f, 2)).toEqual([200, 429]);
    const before = limiterCount();
    sweepLimiters(Date.now() + 120_000);
    expect(limiterCount()).toBeLessThan(before);
    expect(hits(f, 1)).toEqual([200]);
  });
});
