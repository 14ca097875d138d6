/**
 * EndpointCache: endpoints shared by address, the same as parseEndpoint gives, whether the address
 * takes the canonical shortcut or the URL parser.
 */
import { describe, expect, it } from 'vitest';
import { canonicalEndpoint, compileBackend, EndpointCache } from '../../src/backend/compile.js';
import { parseEndpoint } from '../../src/backend/endpoint.js';

describe('canonicalEndpoint', () => {
  it('gives what the URL parser gives, or leaves the address to it', () => {
    const hosts = ['10.0.0.1', '0.0.0.0', '255.255.255.255', '256.1.1.1', '10.0.0.01', '010.0.0.1', '1.2.3', '1.2.3.4.5', 'example.org', '[::1]', '1.2.3.999'];
    const ports = ['80', '443', '8080', '0', '1', '65535', '65536', '08080', '99999', ''];
    let shortcut = 0;
    for (const scheme of ['http', 'https', 'ftp', 'HTTP']) {
      for (const host of hosts) {
        for (const port of ports) {
          const address = `${scheme}://${host}${port === '' ? '' : ':' + port}`;
          const fast = canonicalEndpoint(address);
          let slow: ReturnType<typeof parseEndpoint> | undefined;
          try {
            slow = parseEndpoint(address);
          } catch {
            slow = undefined;
          }
          if (fast !== undefined) {
            shortcut++;
            expect(fast, address).toEqual(slow);
          }
        }
      }
    }
    expect(shortcut).toBeGreaterThan(20);
  });
});

describe('EndpointCache', () => {
  it('shares one endpoint per address between backends, and forgets addresses unused for a generation', () => {
    const cache = new EndpointCache();
    const a = compileBackend({ type: 'lb', endpoints: ['http://10.0.0.1:8080', 'http://10.0.0.2:8080'] }, cache);
    const b = compileBackend({ type: 'network', address: 'http://10.0.0.1:8080' }, cache);
    if (a.type !== 'lb' || b.type !== 'network') throw new Error('unexpected backend types');
    expect(b.endpoint).toBe(a.endpoints[0]);
    expect(compileBackend({ type: 'network', address: 'http://example.org:80/x' }, cache)).toEqual({ type: 'network', endpoint: parseEndpoint('http://example.org:80/x') });
    cache.rotate();
    const kept = cache.get('http://10.0.0.1:8080');
    expect(kept).toBe(b.endpoint);
    cache.rotate();
    cache.rotate();
    expect(cache.get('http://10.0.0.2:8080')).not.toBe(a.endpoints[1]);
    expect(cache.get('http://10.0.0.2:8080')).toEqual(a.endpoints[1]);
    expect(() => cache.get('ftp://x')).toThrow(/not supported/);
  });

  it('gives the backends of one address list one array of endpoints, each with its own balancer, until the generation ends', () => {
    const cache = new EndpointCache();
    const addresses = ['http://10.0.0.1:8080', 'http://10.0.0.2:8080'];
    const a = compileBackend({ type: 'lb', endpoints: addresses }, cache);
    const b = compileBackend({ type: 'lb', algorithm: 'random', endpoints: addresses }, cache);
    // an equal list that is another array gets its own array, with the same endpoints
    const c = compileBackend({ type: 'lb', endpoints: [...addresses] }, cache);
    if (a.type !== 'lb' || b.type !== 'lb' || c.type !== 'lb') throw new Error('unexpected backend types');
    expect(b.endpoints).toBe(a.endpoints);
    expect(b.balancer).not.toBe(a.balancer);
    expect(b.balancer.algorithm).toBe('random');
    expect(c.endpoints).not.toBe(a.endpoints);
    expect(c.endpoints).toEqual(a.endpoints);
    expect(c.endpoints[0]).toBe(a.endpoints[0]);
    cache.rotate();
    const d = compileBackend({ type: 'lb', endpoints: addresses }, cache);
    if (d.type !== 'lb') throw new Error('unexpected backend type');
    expect(d.endpoints).not.toBe(a.endpoints);
    expect(d.endpoints[1]).toBe(a.endpoints[1]);
  });
});
