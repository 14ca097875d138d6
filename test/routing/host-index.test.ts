/**
 * The host index with many buckets: every exact host and wildcard suffix finds its own routes
 * (no probe lands on a neighbour's bucket), and hosts that are not indexed fall through to the
 * hostless routes.
 */
import { describe, expect, it } from 'vitest';
import type { RouteDefinition } from '../../src/eskip/definition.js';
import { exactHostRegexp, wildcardHostRegexp } from '../../src/routing/host-pattern.js';
import { tableOf } from './table-support.js';
import { request } from '../predicates/create.js';

const HOSTS = 300;
const SUFFIXES = 60;

function routes(): RouteDefinition[] {
  const defs: RouteDefinition[] = [];
  for (let i = 0; i < HOSTS; i++) {
    defs.push({
      id: `exact${i}`,
      predicates: [
        { name: 'Host', args: [exactHostRegexp([`svc${i}.example.org`])] },
        { name: 'PathSubtree', args: [`/api${i % 7}`] },
      ],
      filters: [],
      backend: { type: 'shunt' },
    });
  }
  for (let i = 0; i < SUFFIXES; i++) {
    defs.push({
      id: `wild${i}`,
      predicates: [{ name: 'Host', args: [wildcardHostRegexp(`zone${i}.example.net`)] }],
      filters: [],
      backend: { type: 'shunt' },
    });
  }
  defs.push({ id: 'hostless', predicates: [{ name: 'PathSubtree', args: ['/'] }], filters: [], backend: { type: 'shunt' } });
  return defs;
}

describe('host index with many buckets', () => {
  const table = tableOf(routes());

  it('finds each exact host, in any case and with a port', () => {
    expect(table.invalid).toEqual([]);
    for (let i = 0; i < HOSTS; i++) {
      expect(table.lookup(request({ host: `svc${i}.example.org`, url: `/api${i % 7}/x` }))?.route.id).toBe(`exact${i}`);
    }
    expect(table.lookup(request({ host: 'SVC17.Example.ORG:8443', url: '/api3' }))?.route.id).toBe('exact17');
    expect(table.lookup(request({ host: 'svc17.example.org.', url: '/api3/' }))?.route.id).toBe('exact17');
  });

  it('falls through to the hostless routes for another path, host or a non-numeric port', () => {
    expect(table.lookup(request({ host: 'svc17.example.org', url: '/api4' }))?.route.id).toBe('hostless');
    expect(table.lookup(request({ host: `svc${HOSTS}.example.org`, url: '/api0' }))?.route.id).toBe('hostless');
    expect(table.lookup(request({ host: 'svc17.example.org:http', url: '/api3' }))?.route.id).toBe('hostless');
    expect(table.lookup(request({ host: 'example.org', url: '/api3' }))?.route.id).toBe('hostless');
  });

  it('finds each wildcard suffix for one label, and only one', () => {
    for (let i = 0; i < SUFFIXES; i++) {
      expect(table.lookup(request({ host: `web-${i}.zone${i}.example.net`, url: '/' }))?.route.id).toBe(`wild${i}`);
    }
    expect(table.lookup(request({ host: 'a.b.zone3.example.net', url: '/' }))?.route.id).toBe('hostless');
    expect(table.lookup(request({ host: 'zone3.example.net', url: '/' }))?.route.id).toBe('hostless');
    expect(table.lookup(request({ host: `a.zone${SUFFIXES}.example.net`, url: '/' }))?.route.id).toBe('hostless');
  });
});
