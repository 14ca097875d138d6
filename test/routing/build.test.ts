/** buildTable: routes that fail are set aside with a code and reason, the rest still works. */
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
    expect(table.lookup(request({ url: '/a' }))).toBeNull();
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
    expect(table.invalid).toEqual([{ id: 'twoPaths', code: ErrorCode.InvalidRoute, reason: expect.stringContaining('at most one') }]);
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
      { id: 'a', code: ErrorCode.InvalidArgs, reason: 'Throws: boom' },
      { id: 'b', code: ErrorCode.InvalidArgs, reason: expect.stringContaining('did not return a predicate') },
    ]);
    expect(table.lookup(request())?.route.id).toBe('c');
  });

  it('records a foreign exception of the backend compiler as InvalidBackend', () => {
    const d = { ...deps(), compileBackend: () => { throw new Error('no such thing'); } };
    const table = tableOf(`a: * -> <shunt>;`, d);
    expect(table.invalid).toEqual([{ id: 'a', code: ErrorCode.InvalidBackend, reason: 'backend: no such thing' }]);
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
