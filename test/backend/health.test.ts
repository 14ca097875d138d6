/**
 * Passive health: ejection after consecutive failures, growing ejection times, readmission, and
 * balancers that skip ejected endpoints without ever leaving a backend empty.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBalancer } from '../../src/backend/balancer.js';
import { endpointHealth, outcomeOf, type HealthPolicy } from '../../src/backend/health.js';
import { parseEndpoint } from '../../src/backend/endpoint.js';
import type { ExchangeRecord } from '../../src/proxy/observer.js';
import { requestView } from '../helpers/request.js';

const policy: HealthPolicy = { ejectAfterFailures: 3, ejectionMs: 1000, maxEjectedRatio: 0.3 };
const endpoints = ['http://127.0.0.1:1001', 'http://127.0.0.1:1002', 'http://127.0.0.1:1003'].map(parseEndpoint);

afterEach(() => {
  endpointHealth.clear();
  endpointHealth.maxEjectedRatio = 0.3;
  vi.useRealTimers();
});

function fail(origin: string, times: number): void {
  for (let i = 0; i < times; i++) endpointHealth.recordFailure(origin, policy);
}

describe('ejection', () => {
  it('ejects after the configured consecutive failures; a success in between resets the count', () => {
    const o = endpoints[0]!.origin;
    fail(o, 2);
    endpointHealth.recordSuccess(o);
    fail(o, 2);
    expect(endpointHealth.isEjected(o)).toBe(false);
    fail(o, 1);
    expect(endpointHealth.isEjected(o)).toBe(true);
  });

  it('readmits after the ejection time, and doubles the time for a second ejection in a row', () => {
    vi.useFakeTimers();
    const o = endpoints[0]!.origin;
    fail(o, 3);
    vi.advanceTimersByTime(999);
    expect(endpointHealth.isEjected(o)).toBe(true);
    vi.advanceTimersByTime(2);
    expect(endpointHealth.isEjected(o)).toBe(false);
    fail(o, 3);
    vi.advanceTimersByTime(1500);
    expect(endpointHealth.isEjected(o)).toBe(true);
    vi.advanceTimersByTime(600);
    expect(endpointHealth.isEjected(o)).toBe(false);
  });

  it('does nothing when turned off', () => {
    const o = endpoints[0]!.origin;
    for (let i = 0; i < 50; i++) endpointHealth.recordFailure(o, { ...policy, ejectAfterFailures: 0 });
    expect(endpointHealth.isEjected(o)).toBe(false);
  });
});

describe('balancers over ejected endpoints', () => {
  const req = requestView();

  for (const algorithm of ['roundRobin', 'random', 'powerOfRandomNChoices', 'consistentHash']) {
    it(`${algorithm} sends nothing to an ejected endpoint and uses it again once readmitted`, () => {
      const lb = createBalancer(algorithm, endpoints);
      const bad = endpoints[1]!;
      fail(bad.origin, 3);
      const picked = new Map<string, number>();
      for (let i = 0; i < 300; i++) {
        const e = lb.pick(requestView({ clientIp: `10.0.${i % 250}.${i % 7}` }), undefined);
        picked.set(e.origin, (picked.get(e.origin) ?? 0) + 1);
      }
      expect(picked.get(bad.origin) ?? 0).toBe(0);
      endpointHealth.readmit(bad.origin);
      let seen = 0;
      for (let i = 0; i < 300; i++) if (lb.pick(requestView({ clientIp: `10.1.${i % 250}.${i % 11}` }), undefined) === bad) seen++;
      expect(seen).toBeGreaterThan(0);
    });
  }

  it('never ejects more than the ratio allows, at least one, and never all', () => {
    const lb = createBalancer('roundRobin', endpoints);
    for (const e of endpoints) fail(e.origin, 3);
    const used = new Set<string>();
    for (let i = 0; i < 30; i++) used.add(lb.pick(req, undefined).origin);
    // 3 endpoints × 0.3 rounds down to 0, but one may always go: two stay in rotation.
    expect(used.size).toBe(2);
    const single = createBalancer('roundRobin', [endpoints[0]!]);
    expect(single.pick(req, undefined)).toBe(endpoints[0]);
    endpointHealth.maxEjectedRatio = 0.99;
    const two = createBalancer('roundRobin', endpoints.slice(0, 2));
    const left = new Set<string>();
    for (let i = 0; i < 10; i++) left.add(two.pick(req, undefined).origin);
    expect(left.size).toBe(1);
  });

  it('still honours the retry exclusion among the live endpoints', () => {
    const lb = createBalancer('roundRobin', endpoints);
    fail(endpoints[0]!.origin, 3);
    for (let i = 0; i < 10; i++) expect(lb.pick(req, undefined, endpoints[1])).toBe(endpoints[2]);
  });
});

describe('outcomes', () => {
  const base = { endpoint: endpoints[0]!, failure: '', status: 200 } as unknown as ExchangeRecord;
  const as = (over: Partial<ExchangeRecord>): ExchangeRecord => ({ ...base, ...over }) as ExchangeRecord;

  it('counts unreachable, slow, broken and ≥500 answers as failures; client departures as nothing', () => {
    expect(outcomeOf(as({}))).toBe('success');
    expect(outcomeOf(as({ status: 404 }))).toBe('success');
    expect(outcomeOf(as({ status: 503 }))).toBe('failure');
    for (const failure of ['dial', 'timeout', 'network', 'response']) expect(outcomeOf(as({ failure, status: 502 }))).toBe('failure');
    expect(outcomeOf(as({ failure: 'client_gone', status: 499 }))).toBe('none');
    expect(outcomeOf(as({ endpoint: null }))).toBe('none');
  });
});
