/**
 * TableBuilder and endpoint-only changes: a load-balanced route whose definition changed only in
 * its endpoint list (same algorithm, same everything else) stays the very same compiled route,
 * whose balancer takes the new list; when no route changed its place the new table shares the
 * previous one's route list and index. Anything else still makes a new route.
 */
import { describe, expect, it } from 'vitest';
import type { Backend, Endpoint } from '../../src/backend/backend.js';
import { compileBackend, EndpointCache } from '../../src/backend/compile.js';
import type { RouteDefinition } from '../../src/eskip/definition.js';
import { parseRoutes } from '../../src/eskip/parser.js';
import { buildTable, TableBuilder } from '../../src/routing/build.js';
import type { BuildDeps } from '../../src/routing/build.js';
import { Router } from '../../src/routing/router.js';
import type { Candidate } from '../../src/routing/candidate.js';
import { request } from '../predicates/create.js';
import { type FilterLog, deps } from './table-support.js';

/** Build dependencies with the real backend compiler, so that load-balanced backends compile. */
function lbDeps(log: FilterLog): BuildDeps {
  const cache = new EndpointCache();
  return { ...deps(log), compileBackend: (def) => compileBackend(def, cache) };
}

function setup(): { log: FilterLog; builder: TableBuilder } {
  const log: FilterLog = { created: [], closed: [] };
  return { log, builder: new TableBuilder(lbDeps(log)) };
}

const defs = (b: string, extra = ''): RouteDefinition[] =>
  parseRoutes(`a: Path("/a") && Method("GET") -> tag("a") -> ${b}; other: Path("/o") -> tag("o") -> <shunt>; ${extra}`);

function lb(backend: Backend): Extract<Backend, { type: 'lb' }> {
  if (backend.type !== 'lb') throw new Error(`expected a load-balanced backend, got ${backend.type}`);
  return backend;
}

const origins = (endpoints: readonly Endpoint[]): string[] => endpoints.map((e) => e.origin);

describe('TableBuilder, endpoint-only changes', () => {
  const get = request({ url: '/a', method: 'GET' });

  it('keeps the very same route, candidate and balancer, and sends the next requests to the new endpoints', () => {
    const { log, builder } = setup();
    const router = new Router(builder.build(defs('<"http://10.0.0.1:8080", "http://10.0.0.2:8080">')));
    const first = router.current;
    const before = first.lookup(get) as Candidate;
    const backend = lb(before.route.backend);
    const balancer = backend.balancer;
    // a request running on the first table has already picked its endpoint
    const inFlight = router.acquire();
    const picked = balancer.pick(get, undefined);
    expect(['http://10.0.0.1:8080', 'http://10.0.0.2:8080']).toContain(picked.origin);

    const next = defs('<"http://10.0.0.3:8080", "http://10.0.0.4:8080", "http://10.0.0.5:8080">');
    router.swap(builder.build(next));
    const second = router.current;
    expect(builder.stats).toEqual({ compiled: 0, reused: 1, rebound: 1, failed: 0 });
    const after = second.lookup(get) as Candidate;
    expect(after).toBe(before);
    expect(after.route).toBe(before.route);
    expect(after.route.backend).toBe(backend);
    expect(lb(after.route.backend).balancer).toBe(balancer);
    // the route reports its new definition, in both tables (the old one is retiring)
    expect(after.route.definition).toBe(next[0]);
    expect(first.routes[0]!.definition).toBe(next[0]);
    expect(origins(backend.endpoints)).toEqual(['http://10.0.0.3:8080', 'http://10.0.0.4:8080', 'http://10.0.0.5:8080']);
    // every pick from now on is one of the new endpoints, round robin going through all of them
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) seen.add(balancer.pick(get, undefined).origin);
    expect([...seen].sort()).toEqual(['http://10.0.0.3:8080', 'http://10.0.0.4:8080', 'http://10.0.0.5:8080']);
    // no route changed its place: the route list (and the index) of the first table serve again
    expect(second.routes).toBe(first.routes);
    expect(second).not.toBe(first);
    // the picked endpoint is the request's own; retiring the first table closes nothing
    expect(picked.origin).toMatch(/10\.0\.0\.[12]/);
    router.release(inFlight);
    expect(first.isClosed).toBe(true);
    expect(log.closed).toEqual([]);
    expect(log.created).toEqual(['tag(a)', 'tag(o)']);
    // the filters go once, with the last table
    router.close();
    expect(log.closed.sort()).toEqual(['tag(a)', 'tag(o)']);
  });

  it('answers as a table built from scratch after the swap, with the eskip of the new definitions', () => {
    const { builder } = setup();
    builder.build(defs('<"http://10.0.0.1:8080", "http://10.0.0.2:8080">'));
    const next = defs('<"http://10.0.0.7:8080", "http://10.0.0.8:8080">');
    const table = builder.build(next);
    const fresh = buildTable(next, lbDeps({ created: [], closed: [] }));
    expect(table.routes.map((r) => r.definition)).toEqual(fresh.routes.map((r) => r.definition));
    expect(table.routes.map((r) => r.definition)).toEqual(next);
    const route = (table.lookup(get) as Candidate).route;
    const want = lb((fresh.lookup(get) as Candidate).route.backend);
    expect(origins(lb(route.backend).endpoints)).toEqual(origins(want.endpoints));
  });

  it('makes a new route when anything but the endpoints changed', () => {
    const { log, builder } = setup();
    const first = builder.build(defs('<"http://10.0.0.1:8080", "http://10.0.0.2:8080">'));
    const was = (first.lookup(get) as Candidate).route;

    // another algorithm: a new Route and balancer, the same filter instances
    const second = builder.build(defs('<random, "http://10.0.0.1:8080", "http://10.0.0.2:8080">'));
    expect(builder.stats).toEqual({ compiled: 0, reused: 1, rebound: 1, failed: 0 });
    const byAlgorithm = (second.lookup(get) as Candidate).route;
    expect(byAlgorithm).not.toBe(was);
    expect(lb(byAlgorithm.backend).balancer).not.toBe(lb(was.backend).balancer);
    expect(lb(byAlgorithm.backend).balancer.algorithm).toBe('random');
    expect(byAlgorithm.filters).toBe(was.filters);
    // the old route is left as it was
    expect(lb(was.backend).balancer.algorithm).toBe('roundRobin');
    expect(second.routes).not.toBe(first.routes);

    // another filter: compiled in full
    const third = builder.build(parseRoutes(`a: Path("/a") && Method("GET") -> tag("b") -> <random, "http://10.0.0.3:8080", "http://10.0.0.4:8080">; other: Path("/o") -> tag("o") -> <shunt>;`));
    expect(builder.stats).toEqual({ compiled: 1, reused: 1, rebound: 0, failed: 0 });
    expect((third.lookup(get) as Candidate).route).not.toBe(byAlgorithm);
    expect(log.created).toEqual(['tag(a)', 'tag(o)', 'tag(b)']);

    // from load-balanced to one endpoint: a new Route with a network backend
    const fourth = builder.build(parseRoutes(`a: Path("/a") && Method("GET") -> tag("b") -> "http://10.0.0.3:8080"; other: Path("/o") -> tag("o") -> <shunt>;`));
    const single = (fourth.lookup(get) as Candidate).route;
    expect(single.backend.type).toBe('network');
    expect(single.filters).toBe((third.lookup(get) as Candidate).route.filters);
  });

  it('leaves the route as it was when the new endpoints do not compile, and sets the route aside', () => {
    const { builder } = setup();
    const first = builder.build(defs('<"http://10.0.0.1:8080", "http://10.0.0.2:8080">'));
    const route = (first.lookup(get) as Candidate).route;
    const definition = route.definition;
    // mixed protocols, which the eskip parser refuses but a source may hand over
    const good = defs('<"http://10.0.0.1:8080", "http://10.0.0.3:8080">');
    const broken = [{ ...good[0]!, backend: { type: 'lb' as const, endpoints: ['http://10.0.0.1:8080', 'https://10.0.0.2:8443'] } }, good[1]!];
    const second = builder.build(broken);
    expect(second.invalid).toEqual(buildTable(broken, lbDeps({ created: [], closed: [] })).invalid);
    expect(second.invalid.map((r) => r.id)).toEqual(['a']);
    // it answers 500 in its place
    expect(second.lookup(get)?.route.failure?.code).toBe(second.invalid[0]!.code);
    // the first table still answers with the old endpoints
    expect(route.definition).toBe(definition);
    expect(origins(lb(route.backend).endpoints)).toEqual(['http://10.0.0.1:8080', 'http://10.0.0.2:8080']);
    expect((first.lookup(get) as Candidate).route).toBe(route);
  });

  it('builds the index again when a route was added, and keeps the swapped route in it', () => {
    const { builder } = setup();
    const first = builder.build(defs('<"http://10.0.0.1:8080", "http://10.0.0.2:8080">'));
    const route = (first.lookup(get) as Candidate).route;
    const second = builder.build(defs('<"http://10.0.0.3:8080", "http://10.0.0.4:8080">', 'b: Path("/b") -> <shunt>;'));
    expect(second.routes).not.toBe(first.routes);
    expect((second.lookup(get) as Candidate).route).toBe(route);
    expect(second.lookup(request({ url: '/b' }))?.route.id).toBe('b');
    expect(first.lookup(request({ url: '/b' }))).toBeNull();
  });

  it('closes a swapped route once, with the last table holding it, after it is replaced in full', () => {
    const { log, builder } = setup();
    const router = new Router(builder.build(defs('<"http://10.0.0.1:8080", "http://10.0.0.2:8080">')));
    const t1 = router.current;
    const held1 = router.acquire();
    router.swap(builder.build(defs('<"http://10.0.0.3:8080", "http://10.0.0.4:8080">')));
    const held2 = router.acquire();
    // a filter change: compiled in full, tag(a) is held by two retiring tables
    router.swap(builder.build(parseRoutes(`a: Path("/a") && Method("GET") -> tag("a2") -> <"http://10.0.0.3:8080">; other: Path("/o") -> tag("o") -> <shunt>;`)));
    expect(log.closed).toEqual([]);
    router.release(held1);
    expect(t1.isClosed).toBe(true);
    expect(log.closed).toEqual([]);
    router.release(held2);
    expect(log.closed).toEqual(['tag(a)']);
    router.close();
    expect(log.closed.sort()).toEqual(['tag(a)', 'tag(a2)', 'tag(o)']);
  });
});
