/**
 * Balancer.adopt and adoptEndpoints: a route's balancer takes the endpoint list of a balancer of
 * the same algorithm made for the route's new definition, and picks among the new endpoints only.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createBalancer } from '../../src/backend/balancer.js';
import { adoptEndpoints, compileBackend } from '../../src/backend/compile.js';
import { parseEndpoint } from '../../src/backend/endpoint.js';
import { endpointHealth, type HealthPolicy } from '../../src/backend/health.js';
import { requestView } from '../helpers/request.js';

const list = (...hosts: number[]) => hosts.map((h) => parseEndpoint(`http://10.0.0.${h}:8080`));
const req = requestView({ url: '/' });
const algorithms = ['roundRobin', 'random', 'consistentHash', 'powerOfRandomNChoices'];

afterEach(() => endpointHealth.clear());

describe('Balancer.adopt', () => {
  for (const algorithm of algorithms) {
    it(`${algorithm}: picks only among the adopted endpoints`, () => {
      const b = createBalancer(algorithm, list(1, 2));
      expect(b.adopt(createBalancer(algorithm, list(3, 4, 5)))).toBe(true);
      const seen = new Set<string>();
      for (let i = 0; i < 200; i++) seen.add(b.pick(requestView({ url: '/', remoteAddress: `192.0.2.${i % 50}` }), undefined).origin);
      expect([...seen].every((o) => ['http://10.0.0.3:8080', 'http://10.0.0.4:8080', 'http://10.0.0.5:8080'].includes(o))).toBe(true);
      expect(seen.size).toBeGreaterThan(1);
    });
  }

  it('refuses a balancer of another algorithm and changes nothing', () => {
    const b = createBalancer('roundRobin', list(1, 2));
    expect(b.adopt(createBalancer('random', list(3, 4)))).toBe(false);
    for (let i = 0; i < 10; i++) expect(['http://10.0.0.1:8080', 'http://10.0.0.2:8080']).toContain(b.pick(req, undefined).origin);
  });

  it('consistentHash: a key goes where a balancer made for the new list sends it', () => {
    const b = createBalancer('consistentHash', list(1, 2));
    const fresh = createBalancer('consistentHash', list(3, 4, 5, 6));
    const reference = createBalancer('consistentHash', list(3, 4, 5, 6));
    b.adopt(fresh);
    for (const key of ['a', 'b', 'user-17', 'session-99', 'x']) expect(b.pick(req, key).origin).toBe(reference.pick(req, key).origin);
  });

  it('looks at passive health again for the new list', () => {
    const policy: HealthPolicy = { ejectAfterFailures: 1, ejectionMs: 60_000, maxEjectedRatio: 0.5 };
    const b = createBalancer('roundRobin', list(1, 2));
    // the balancer has seen the current health state
    b.pick(req, undefined);
    endpointHealth.recordFailure('http://10.0.0.3:8080', policy);
    b.adopt(createBalancer('roundRobin', list(3, 4)));
    for (let i = 0; i < 6; i++) expect(b.pick(req, undefined).origin).toBe('http://10.0.0.4:8080');
  });
});

describe('adoptEndpoints', () => {
  it('moves the endpoints of a fresh load-balanced backend into the one in use', () => {
    const inUse = compileBackend({ type: 'lb', endpoints: ['http://10.0.0.1:8080', 'http://10.0.0.2:8080'] });
    const fresh = compileBackend({ type: 'lb', endpoints: ['http://10.0.0.3:8080', 'http://10.0.0.4:8080'] });
    if (inUse.type !== 'lb' || fresh.type !== 'lb') throw new Error('unexpected backend types');
    const balancer = inUse.balancer;
    expect(adoptEndpoints(inUse, fresh)).toBe(true);
    expect(inUse.balancer).toBe(balancer);
    expect(inUse.endpoints).toBe(fresh.endpoints);
    expect(['http://10.0.0.3:8080', 'http://10.0.0.4:8080']).toContain(inUse.balancer.pick(req, undefined).origin);
  });

  it('refuses other backends and other algorithms', () => {
    const inUse = compileBackend({ type: 'lb', endpoints: ['http://10.0.0.1:8080', 'http://10.0.0.2:8080'] });
    const endpoints = inUse.type === 'lb' ? inUse.endpoints : [];
    expect(adoptEndpoints(inUse, compileBackend({ type: 'lb', algorithm: 'random', endpoints: ['http://10.0.0.3:8080', 'http://10.0.0.4:8080'] }))).toBe(false);
    expect(adoptEndpoints(inUse, compileBackend({ type: 'network', address: 'http://10.0.0.3:8080' }))).toBe(false);
    expect(adoptEndpoints(compileBackend({ type: 'shunt' }), inUse)).toBe(false);
    expect(inUse.type === 'lb' && inUse.endpoints).toBe(endpoints);
  });
});
