/**
 * TableBuilder: successive tables of one listener share the compiled routes of unchanged
 * definitions. A shared route keeps its filter instances, which are closed once, when the last
 * open table holding them closes; every table answers exactly as a table built from scratch.
 */
import { describe, expect, it } from 'vitest';
import type { RouteDefinition } from '../../src/eskip/definition.js';
import { parseRoutes } from '../../src/eskip/parser.js';
import { buildTable, TableBuilder } from '../../src/routing/build.js';
import { Router } from '../../src/routing/router.js';
import type { RouteTable } from '../../src/routing/table.js';
import { request } from '../predicates/create.js';
import { type FilterLog, deps } from './table-support.js';
import type { Candidate } from '../../src/routing/candidate.js';
import { printRoutes } from '../../src/eskip/printer.js';
import { compileBackend, EndpointCache } from '../../src/backend/compile.js';
import type { BuildDeps } from '../../src/routing/build.js';
import { ErrorCode, SkiffError } from '../../src/errors.js';

/** The predicates and filters of a definition as eskip text (`P() && Q() -> f() -> `), without the backend. */
function printCalls(def: RouteDefinition): string {
  const text = printRoutes([{ ...def, backend: { type: 'shunt' } }]);
  return text.slice(text.indexOf(':') + 1, text.lastIndexOf('<shunt>')).trim().replace(/->$/, '').trim();
}

/** Each `;`-separated route parsed on its own, so that a list may repeat an id (the parser refuses that). */
const routes = (text: string): RouteDefinition[] =>
  text
    .split(';')
    .filter((r) => r.trim() !== '')
    .flatMap((r) => parseRoutes(r));

function setup(): { log: FilterLog; builder: TableBuilder } {
  const log: FilterLog = { created: [], closed: [] };
  return { log, builder: new TableBuilder(deps(log)) };
}

describe('TableBuilder', () => {
  it('keeps the compiled route of an unchanged definition, filters included', () => {
    const { log, builder } = setup();
    const defs = routes(`a: Path("/a") -> tag("a") -> <shunt>; b: Path("/b") -> tag("b") -> <shunt>;`);
    const first = builder.build(defs);
    // equal definitions parsed again: reused all the same
    const second = builder.build(routes(`a: Path("/a") -> tag("a") -> <shunt>; b: Path("/b") -> tag("b") -> <shunt>;`));
    expect(builder.stats).toEqual({ compiled: 0, reused: 2, rebound: 0, failed: 0 });
    expect(second).not.toBe(first);
    expect(second.routes[0]).toBe(first.routes[0]);
    expect(second.routes[1]!.filters[0]).toBe(first.routes[1]!.filters[0]);
    expect(log.created).toEqual(['tag(a)', 'tag(b)']);
  });

  it('does not close reused filters when the old table retires, and closes a replaced route once', () => {
    const { log, builder } = setup();
    const router = new Router(builder.build(routes(`a: Path("/a") -> tag("a") -> <shunt>; b: Path("/b") -> tag("b1") -> <shunt>;`)));
    const old = router.current;
    const inFlight = router.acquire();
    router.swap(builder.build(routes(`a: Path("/a") -> tag("a") -> <shunt>; b: Path("/b") -> tag("b2") -> <shunt>;`)));
    expect(builder.stats).toEqual({ compiled: 1, reused: 1, rebound: 0, failed: 0 });
    expect(router.current.routes[1]!.filters[0]).not.toBe(old.routes[1]!.filters[0]);
    // a request still running on the old table: nothing closed yet, its route still answers
    expect(log.closed).toEqual([]);
    expect(inFlight.lookup(request({ url: '/b' }))?.route).toBe(old.routes[1]);
    router.release(inFlight);
    expect(old.isClosed).toBe(true);
    expect(log.closed).toEqual(['tag(b1)']);
    // the shared route's filter is closed with the last table that holds it, once
    router.close();
    expect(log.closed.sort()).toEqual(['tag(a)', 'tag(b1)', 'tag(b2)']);
    router.current.close();
    expect(log.closed).toHaveLength(3);
  });

  it('closes the filters of a removed route with the table that held it', () => {
    const { log, builder } = setup();
    const first = builder.build(routes(`a: * -> tag("a") -> <shunt>; gone: Path("/g") -> tag("g") -> <shunt>;`));
    const second = builder.build(routes(`a: * -> tag("a") -> <shunt>;`));
    expect(log.closed).toEqual([]);
    first.close();
    expect(log.closed).toEqual(['tag(g)']);
    second.close();
    expect(log.closed).toEqual(['tag(g)', 'tag(a)']);
  });

  it('compiles again a route whose tables have all closed', () => {
    const { log, builder } = setup();
    const defs = routes(`a: * -> tag("a") -> <shunt>;`);
    builder.build(defs).close();
    const again = builder.build(defs);
    expect(builder.stats.compiled).toBe(1);
    expect(log.created).toEqual(['tag(a)', 'tag(a)']);
    expect(again.isClosed).toBe(false);
  });

  it('gives a route whose backend alone changed its new backend, with its predicates and filter instances', () => {
    const { log, builder } = setup();
    const text = (a: string, c: string): string =>
      `a: Path("/a") && Method("GET") -> tag("a") -> "${a}"; b: Path("/b") -> tag("b") -> <shunt>; c: Path("/c") -> tag("c") -> ${c};`;
    const router = new Router(builder.build(routes(text('http://10.0.0.1:8080', '<shunt>'))));
    const first = router.current;
    const get = request({ url: '/a', method: 'GET' });
    const before = first.lookup(get) as Candidate;
    // a request still running on the first table
    const inFlight = router.acquire();
    router.swap(builder.build(routes(text('http://10.0.0.2:8080', '<shunt>'))));
    const second = router.current;
    expect(builder.stats).toEqual({ compiled: 0, reused: 2, rebound: 1, failed: 0 });
    const after = second.lookup(get) as Candidate;
    expect(after.route).not.toBe(before.route);
    expect(after.route.backend).toEqual({ type: 'network', endpoint: { origin: 'http://10.0.0.2:8080', authority: '10.0.0.2:8080' } });
    expect(after.route.definition).toBe(second.routes[0]!.definition);
    // the same predicate and filter instances, none created again, none closed
    expect(after.predicates).toBe(before.predicates);
    expect(after.route.filters).toBe(before.route.filters);
    expect(log.created).toEqual(['tag(a)', 'tag(b)', 'tag(c)']);
    // the first table, still in use, answers with its own backend
    expect((inFlight.lookup(get) as Candidate).route.backend).toEqual({ type: 'network', endpoint: { origin: 'http://10.0.0.1:8080', authority: '10.0.0.1:8080' } });
    router.release(inFlight);
    expect(first.isClosed).toBe(true);
    expect(log.closed).toEqual([]);

    // ids moved (the general path), a's backend changed again, c's backend does not compile
    const defs = routes(`z: Path("/z") -> <shunt>; ` + text('http://10.0.0.3:8080', '<"http://10.0.0.1:8080", "http://10.0.0.2:8080">'));
    const third = builder.build(defs);
    expect(builder.stats).toEqual({ compiled: 1, reused: 1, rebound: 1, failed: 1 });
    expect((third.lookup(get) as Candidate).predicates).toBe(before.predicates);
    // c is set aside as a full compilation sets it aside
    expect(third.invalid).toEqual(buildTable(defs, deps()).invalid);
    expect(third.invalid.map((r) => r.id)).toEqual(['c']);
    expect(log.created).toEqual(['tag(a)', 'tag(b)', 'tag(c)']);
    router.swap(third);
    // c's filter goes with the second table, the last one that held it
    expect(log.closed).toEqual(['tag(c)']);
    // a's filter is closed once, with the last table holding a route with it
    router.close();
    expect(log.closed.sort()).toEqual(['tag(a)', 'tag(b)', 'tag(c)']);
  });

  it('keeps a route whose position changed, and ranks it by its new position', () => {
    const { builder } = setup();
    const first = builder.build(routes(`x: Path("/x") -> <shunt>; p: Path("/p") && Method("GET") -> tag("1") -> <shunt>;`));
    // q ranks like p (same weight): the earlier definition wins
    const second = builder.build(routes(`q: Path("/p") && Header("A", "b") -> tag("2") -> <shunt>; x: Path("/x") -> <shunt>; p: Path("/p") && Method("GET") -> tag("1") -> <shunt>;`));
    expect(builder.stats).toEqual({ compiled: 1, reused: 2, rebound: 0, failed: 0 });
    expect(second.routes[2]).toBe(first.routes[1]);
    const both = request({ url: '/p', method: 'GET', headers: { a: 'b' } });
    expect(second.lookup(both)?.route.id).toBe('q');
    const third = builder.build(routes(`p: Path("/p") && Method("GET") -> tag("1") -> <shunt>; q: Path("/p") && Header("A", "b") -> tag("2") -> <shunt>;`));
    expect(builder.stats).toEqual({ compiled: 0, reused: 2, rebound: 0, failed: 0 });
    expect(third.lookup(both)?.route.id).toBe('p');
  });

  it('sets aside duplicates and broken routes as buildTable does, on every path of a rebuild', () => {
    const { builder } = setup();
    const steps = [
      `a: * -> <shunt>; dup: Path("/1") -> <shunt>; dup: Path("/2") -> <shunt>; bad: Path("/b") -> failing() -> <shunt>;`,
      // same ids in place (the quick path), one definition changed
      `a: Path("/a") -> <shunt>; dup: Path("/1") -> <shunt>; dup: Path("/3") -> <shunt>; bad: Path("/b") -> failing() -> <shunt>;`,
      // ids moved: the general path
      `dup: Path("/2") -> <shunt>; a: * -> <shunt>; bad: Path("/b") -> tag("fixed") -> <shunt>; dup: Path("/1") -> <shunt>;`,
      `dup: Path("/2") -> <shunt>; a: * -> <shunt>; bad: Path("/b") -> tag("fixed") -> <shunt>; dup: Path("/1") -> <shunt>;`,
      ``,
      `a: * -> <shunt>;`,
    ];
    for (const text of steps) {
      const defs = routes(text);
      const table = builder.build(defs);
      const fresh = buildTable(defs, deps());
      expect(table.invalid).toEqual(fresh.invalid);
      expect(table.routes.map((r) => r.definition)).toEqual(fresh.routes.map((r) => r.definition));
      for (const url of ['/', '/1', '/2', '/3', '/a', '/b']) {
        expect(table.lookup(request({ url }))?.route.id).toBe(fresh.lookup(request({ url }))?.route.id);
      }
    }
  });

  it('answers as a table built from scratch along a random series of route changes', () => {
    let seed = 7;
    const random = (): number => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const ids = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5'];
    const conditions = ['Path("/x")', 'PathSubtree("/x")', 'Path("/y")', '*', 'Path("/x") && Method("GET")', 'Nope()'];
    const filters = ['', 'tag("1") -> ', 'tag("2") -> ', 'failing() -> '];
    // a change of backend alone keeps the filter instances, a change of endpoints alone the whole
    // route; an lb backend with 10.0.0.9 does not compile here
    const backends = [
      '<shunt>',
      '"http://10.0.0.1:8080"',
      '"http://10.0.0.2:8080"',
      '<"http://10.0.0.1:8080", "http://10.0.0.2:8080">',
      '<"http://10.0.0.1:8080", "http://10.0.0.3:8080", "http://10.0.0.4:8080">',
      '<random, "http://10.0.0.1:8080", "http://10.0.0.2:8080">',
      '<random, "http://10.0.0.2:8080", "http://10.0.0.3:8080">',
      '<"http://10.0.0.9:8080", "http://10.0.0.2:8080">',
    ];
    let rebound = 0;
    // filter instances, not labels: the same label is created many times
    const created = new Set<object>();
    const closed = new Set<object>();
    let closeCalls = 0;
    const cache = new EndpointCache();
    const withLb = (base: BuildDeps): BuildDeps => ({
      ...base,
      compileBackend: (def) => {
        if (def.type !== 'lb') return base.compileBackend(def);
        if (def.endpoints.includes('http://10.0.0.9:8080')) throw new SkiffError(ErrorCode.InvalidBackend, 'no route to 10.0.0.9');
        return compileBackend(def, cache);
      },
    });
    const d = withLb(deps());
    d.filters.register({
      name: 'tag',
      create() {
        const filter = {
          close: () => {
            closeCalls++;
            closed.add(filter);
          },
        };
        created.add(filter);
        return filter;
      },
    });
    const builder = new TableBuilder(d);
    const router = new Router(builder.build([]));
    let defs: RouteDefinition[] = [];
    const held: RouteTable[] = [];
    for (let i = 0; i < 300; i++) {
      const r = random();
      if (r < 0.4 && defs.length > 0) {
        // one definition changed in place
        const at = Math.floor(random() * defs.length);
        defs = defs.slice();
        const was = defs[at]!;
        // half of the changes are to the backend alone, as an endpoint change is
        const text = random() < 0.5 ? `${was.id}: ${pick(conditions)} -> ${pick(filters)}${pick(backends)};` : `${was.id}: ${printCalls(was)} -> ${pick(backends)};`;
        defs[at] = routes(text)[0]!;
      } else if (r < 0.7) {
        defs = [...defs, routes(`${pick(ids)}: ${pick(conditions)} -> ${pick(filters)}${pick(backends)};`)[0]!];
      } else if (r < 0.9) {
        defs = defs.filter(() => random() < 0.8);
      } else {
        defs = [...defs].reverse();
      }
      // now and then a request is still running on the table being replaced
      if (random() < 0.2) held.push(router.acquire());
      const table = builder.build(defs);
      rebound += builder.stats.rebound;
      router.swap(table);
      if (held.length > 0 && random() < 0.5) router.release(held.shift()!);
      const fresh = buildTable(defs, withLb(deps()));
      expect(table.invalid).toEqual(fresh.invalid);
      expect(table.routes.map((r) => r.definition)).toEqual(fresh.routes.map((r) => r.definition));
      // a balancer picks from the endpoints and with the algorithm of its route's definition
      for (const route of table.routes) {
        const def = route.definition.backend;
        if (route.backend.type !== 'lb' || def.type !== 'lb') continue;
        expect(route.backend.endpoints.map((e) => e.origin)).toEqual(def.endpoints);
        expect(route.backend.balancer.algorithm).toBe(def.algorithm ?? 'roundRobin');
        expect(def.endpoints).toContain(route.backend.balancer.pick(request({ url: '/x' }), undefined).origin);
      }
      for (const url of ['/x', '/y', '/z']) {
        for (const method of ['GET', 'POST']) {
          const got = table.lookup(request({ url, method }));
          const want = fresh.lookup(request({ url, method }));
          expect(got?.route.definition).toEqual(want?.route.definition);
        }
      }
      // a filter is never closed while an open table holds it, nor twice
      for (const t of [router.current, ...held]) for (const route of t.routes) for (const f of route.filters) expect(closed.has(f)).toBe(false);
      expect(closeCalls).toBe(closed.size);
    }
    for (const t of held) router.release(t);
    router.close();
    // every filter created was closed exactly once
    expect(created.size).toBeGreaterThan(20);
    expect(rebound).toBeGreaterThan(10);
    expect(closed.size).toBe(created.size);
    expect(closeCalls).toBe(created.size);
  });
});
