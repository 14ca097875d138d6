/**
 * consistentHash with a balance factor (Skipper's bounded load): the endpoint a key hashes to is
 * passed over while its requests in flight exceed factor * (1 + all in flight) / endpoints.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { createBalancer } from '../../src/backend/balancer.js';
import { parseEndpoint } from '../../src/backend/endpoint.js';
import { inFlight } from '../../src/backend/in-flight.js';
import { endpointHealth, type HealthPolicy } from '../../src/backend/health.js';
import type { Endpoint } from '../../src/backend/backend.js';
import { requestView } from '../helpers/request.js';

const endpoints = [1, 2, 3].map((h) => parseEndpoint(`http://10.9.0.${h}:8080`));
const req = requestView({ url: '/' });
// keys that differ in more than their last character: FNV-1a puts near-identical keys close on the ring
const keys = Array.from({ length: 60 }, (_, i) => createHash('sha1').update(String(i)).digest('hex'));

function setLoad(e: Endpoint, n: number): void {
  inFlight.cellOf(e).n = n;
}

afterEach(() => {
  for (const e of endpoints) setLoad(e, 0);
  endpointHealth.clear();
});

describe('consistentHash bounded load', () => {
  it('picks the hashed endpoint when loads are even', () => {
    const b = createBalancer('consistentHash', endpoints);
    for (const e of endpoints) setLoad(e, 3);
    for (const key of keys) expect(b.pick(req, key, undefined, 1)).toBe(b.pick(req, key));
  });

  it('passes over an endpoint above the bound, for every key it owns', () => {
    const b = createBalancer('consistentHash', endpoints);
    const hot = endpoints[0]!;
    setLoad(hot, 10); // average (1 + 10) / 3 ≈ 3.67; bound at 1.25 ≈ 4.58
    const owned = keys.filter((k) => b.pick(req, k) === hot);
    expect(owned.length).toBeGreaterThan(0);
    for (const key of owned) {
      const chosen = b.pick(req, key, undefined, 1.25);
      expect(chosen).not.toBe(hot);
      // the same key goes the same way while the loads stay
      expect(b.pick(req, key, undefined, 1.25)).toBe(chosen);
    }
    // keys of the other endpoints stay where they are
    for (const key of keys.filter((k) => b.pick(req, k) !== hot)) expect(b.pick(req, key, undefined, 1.25)).toBe(b.pick(req, key));
  });

  it('keeps the hashed endpoint while it is within a large factor', () => {
    const b = createBalancer('consistentHash', endpoints);
    setLoad(endpoints[0]!, 10);
    for (const key of keys) expect(b.pick(req, key, undefined, 3)).toBe(b.pick(req, key));
  });

  it('counts the request being balanced: with factor 1 an endpoint at the average still takes it', () => {
    const two = endpoints.slice(0, 2);
    const b = createBalancer('consistentHash', two);
    const key = keys.find((k) => b.pick(req, k) === two[0])!;
    setLoad(two[0]!, 1); // average (1 + 1) / 2 = 1
    expect(b.pick(req, key, undefined, 1)).toBe(two[0]);
    setLoad(two[0]!, 2); // average 1.5
    expect(b.pick(req, key, undefined, 1)).toBe(two[1]);
  });

  it('does not move keys to an ejected endpoint', () => {
    const policy: HealthPolicy = { ejectAfterFailures: 1, ejectionMs: 60_000, maxEjectedRatio: 0.5 };
    const b = createBalancer('consistentHash', endpoints);
    endpointHealth.recordFailure(endpoints[1]!.origin, policy);
    setLoad(endpoints[0]!, 10);
    for (const key of keys) {
      const chosen = b.pick(req, key, undefined, 1);
      expect(chosen).toBe(endpoints[2]);
    }
  });

  it('other algorithms ignore the factor', () => {
    const b = createBalancer('roundRobin', endpoints);
    setLoad(endpoints[0]!, 100);
    const seen = new Set<Endpoint>();
    for (let i = 0; i < 6; i++) seen.add(b.pick(req, undefined, undefined, 1));
    expect(seen.has(endpoints[0]!)).toBe(true);
  });
});
