/**
 * buildTable: routes that fail are listed with a code and reason and answer 500 in their place
 * (fail closed), the rest still works.
 */
import { describe, expect, it } from 'vitest';
import type { RouteDefinition } from '../../src/eskip/definition.js';
import type { PredicateSpec } from '../../src/spec.js';
import { ErrorCode } from '../../src/errors.js';
import { parseRoutes } from '../../src/eskip/parser.js';
import { buildTable } from '../../src/routing/build.js';
import { RouteTable } from '../../src/routing/table.js';
import { type FilterLog, deps, tableOf } from './table-support.js';
import { request } from '../predicates/create.js';

function log(): FilterLog {
  return { created: [], closed: [] };
}

describe('buildTable', () => {
  it('sets aside each broken route with its code and keeps the rest', () => {
    const table = tableOf(`
      good: Path("/good") -> tag("g") -> <shunt>;
      unknownPredicate: Path("/a") && Nope() -> <shunt>;
      unknownFilter: Path("/b") -> nope() -> <shunt>;
      badArgs: Path("/c") && Method() -> <shunt>;
      badRegexp: Path("/d") && Host(/(/) -> <shunt>;
      badBackend: Path("/e") -> <roundRobin, "http://a:80", "http://b:80">;
      refused: Path("/f") -> failing() -> <shunt>;
      crashed: Path("/g") -> crashing() -> <shunt>;
      alsoGood: Path("/also") -> "http://127.0.0.1:9999";
    `);
    expect(table.routes.map((r) => r.id)).toEqual(['good', 'alsoGood']);
    expect(table.invalid.map((r) => [r.id, r.code])).toEqual([
      ['unknownPredicate', ErrorCode.UnknownPredicate],
      ['unknownFilter', ErrorCode.UnknownFilter],
      ['badArgs', ErrorCode.InvalidArgs],
      ['badRegexp', ErrorCode.InvalidArgs],
      ['badBackend', ErrorCode.InvalidBackend],
      ['refused', ErrorCode.InvalidArgs],
      ['crashed', ErrorCode.InvalidArgs],
    ]);
    expect(table.invalid.find((r) => r.id === 'unknownPredicate')?.reason).toContain('Nope');
    expect(table.invalid.find((r) => r.id === 'crashed')?.reason).toBe('crashing: cannot read properties of undefined');
    expect(table.lookup(request({ url: '/good' }))?.route.id).toBe('good');
    expect(table.lookup(request({ url: '/also' }))?.route.backend).toEqual({
      type: 'network',
      endpoint: { origin: 'http://127.0.0.1:9999', authority: '127.0.0.1:9999' },
    });
    // each broken route keeps its place and answers 500 there: nothing falls through
    const a = table.lookup(request({ url: '/a' }))?.route;
    expect(a?.id).toBe('unknownPredicate');
    expect(a?.failure).toEqual({ code: ErrorCode.UnknownPredicate, reason: 'unknown predicate Nope' });
    expect(table.invalid.every((r) => r.failClosed === true)).toBe(true);
    for (const [url, id] of [['/b', 'unknownFilter'], ['/c', 'badArgs'], ['/e', 'badBackend'], ['/f', 'refused'], ['/g', 'crashed']] as const) {
      const route = table.lookup(request({ url }))?.route;
      expect(route?.id).toBe(id);
      expect(route?.backend).toEqual({ type: 'shunt' });
      expect(route?.filters).toHaveLength(1);
    }
  });

  it('keeps the predicates of a broken route that could be built, a wider match when one could not', () => {
    const table = tableOf(`
      admin: Path("/admin/*rest") && Method("GET") -> failing() -> "http://127.0.0.1:9999";
      open: * -> "http://127.0.0.1:9998";
      wider: PathSubtree("/w") && Nope() -> <shunt>;
      narrow: PathSubtree("/w") && Header("X-Open", "1") -> "http://127.0.0.1:9997";
    `);
    expect(table.lookup(request({ url: '/admin/secret' }))?.route.id).toBe('admin');
    expect(table.lookup(request({ url: '/admin/secret' }))?.route.failure?.code).toBe(ErrorCode.InvalidArgs);
    // Method("GET") was built and kept: other methods are not the broken route's
    expect(table.lookup(request({ url: '/admin/secret', method: 'POST' }))?.route.id).toBe('open');
    expect(table.lookup(request({ url: '/other' }))?.route.id).toBe('open');
    // Nope() left out: the broken route takes /w requests, except the more specific narrow route's
    expect(table.lookup(request({ url: '/w/x' }))?.route.id).toBe('wider');
    expect(table.lookup(request({ url: '/w/x', headers: { 'x-open': '1' } }))?.route.id).toBe('narrow');
    expect(table.routes.map((r) => r.id)).toEqual(['open', 'narrow']);
  });

  it('keeps the first of two routes with the same id', () => {
    const defs = [...parseRoutes(`dup: Path("/one") -> <shunt>;`), ...parseRoutes(`dup: Path("/two") -> <shunt>;`)];
    const table = buildTable(defs, deps());
    expect(table.routes).toHaveLength(1);
    expect(table.invalid).toEqual([{ id: 'dup', code: ErrorCode.InvalidRoute, reason: expect.stringContaining('duplicate') }]);
    expect(table.lookup(request({ url: '/one' }))?.route.id).toBe('dup');
    expect(table.lookup(request({ url: '/two' }))).toBeNull();
  });

  it('refuses a route with two path-tree predicates', () => {
    const def: RouteDefinition = {
      id: 'twoPaths',
      predicates: [
        { name: 'Path', args: ['/a'] },
        { name: 'PathSubtree', args: ['/b'] },
      ],
      filters: [],
      backend: { type: 'shunt' },
    };
    const table = buildTable([def], deps());
    expect(table.invalid).toEqual([{ id: 'twoPaths', code: ErrorCode.InvalidRoute, reason: expect.stringContaining('at most one'), failClosed: true }]);
    // both paths are kept: the first in the tree, the second evaluated
    expect(table.lookup(request({ url: '/a' }))).toBeNull();
    expect(table.lookup(request({ url: '/b' }))).toBeNull();
    expect(buildTable([{ ...def, predicates: [{ name: 'PathSubtree', args: ['/a'] }, { name: 'PathSubtree', args: ['/a/b'] }] }], deps()).lookup(request({ url: '/a/b/c' }))?.route.id).toBe('twoPaths');
  });

  it('records foreign exceptions and bad return values of a predicate spec as InvalidArgs', () => {
    const throwing: PredicateSpec = {
      name: 'Throws',
      create() {
        throw new RangeError('boom');
      },
    };
    const broken: PredicateSpec = { name: 'Broken', create: () => ({}) as never };
    const table = tableOf(`a: Throws() -> <shunt>; b: Broken() -> <shunt>; c: * -> <shunt>;`, deps(log(), [throwing, broken]));
    expect(table.invalid).toEqual([
      { id: 'a', code: ErrorCode.InvalidArgs, reason: 'Throws: boom', failClosed: true },
      { id: 'b', code: ErrorCode.InvalidArgs, reason: expect.stringContaining('did not return a predicate'), failClosed: true },
    ]);
    // with no predicate left, a and b match every request; of equal weights the first wins
    expect(table.lookup(request())?.route.id).toBe('a');
    expect(table.routes.map((r) => r.id)).toEqual(['c']);
  });

  it('records a foreign exception of the backend compiler as InvalidBackend', () => {
    const d = { ...deps(), compileBackend: () => { throw new Error('no such thing'); } };
    const table = tableOf(`a: * -> <shunt>;`, d);
    expect(table.invalid).toEqual([{ id: 'a', code: ErrorCode.InvalidBackend, reason: 'backend: no such thing', failClosed: true }]);
  });

  it('creates filters once per route, in order, and closes those of a route that fails', () => {
    const l = log();
    const table = tableOf(`a: * -> tag("1") -> other("2") -> <shunt>; b: Path("/b") -> tag("3") -> failing() -> <shunt>;`, deps(l));
    expect(l.created).toEqual(['tag(1)', 'other(2)', 'tag(3)']);
    expect(l.closed).toEqual(['tag(3)']);
    expect(table.routes[0]!.filters).toHaveLength(2);
    expect(table.lookup(request())?.route.filters).toBe(table.routes[0]!.filters);
  });

  it('does not build predicates or filters per lookup', () => {
    const l = log();
    const table = tableOf(`a: Path("/x") && Method("GET") -> tag("1") -> <shunt>;`, deps(l));
    for (let i = 0; i < 5; i++) table.lookup(request({ url: '/x' }));
    expect(l.created).toEqual(['tag(1)']);
  });

  it('stamps the table and keeps definitions', () => {
    const before = Date.now();
    const table = tableOf(`a: Path("/x") -> <shunt>;`);
    expect(table.createdAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(table.routes[0]!.definition.predicates).toEqual([{ name: 'Path', args: ['/x'] }]);
  });
});

describe('RouteTable.close', () => {
  it('closes every filter once, even when called twice or a close throws', () => {
    const l = log();
    const table = tableOf(`a: * -> tag("1") -> <shunt>; b: Path("/b") -> other("2") -> tag("3") -> <shunt>;`, deps(l));
    table.close();
    table.close();
    expect(l.closed.sort()).toEqual(['other(2)', 'tag(1)', 'tag(3)']);
    expect(table.isClosed).toBe(true);
  });

  it('reports a failing close and goes on with the others', () => {
    const closed: string[] = [];
    const d = deps();
    d.filters.register({ name: 'bad', create: () => ({ close: () => { throw new Error('close failed'); } }) });
    d.filters.register({ name: 'ok', create: () => ({ close: () => void closed.push('ok') }) });
    const table = tableOf(`a: * -> bad() -> ok() -> <shunt>;`, d);
    const errors: string[] = [];
    table.close((e, id) => errors.push(`${id}: ${(e as Error).message}`));
    expect(errors).toEqual(['a: close failed']);
    expect(closed).toEqual(['ok']);
  });

  it('an empty table matches nothing', () => {
    expect(RouteTable.empty().lookup(request())).toBeNull();
  });
});
