/**
 * Predicate instances shared between routes: only specs that say they hold nothing but their
 * arguments (`shareable`), never Traffic (each instance draws on its own), never a plugin's spec
 * unless it says so.
 */
import { describe, expect, it } from 'vitest';
import type { Predicate, PredicateSpec } from '../../src/spec.js';
import { sharedPredicate } from '../../src/routing/shared-predicates.js';
import { builtinPredicates } from '../../src/predicates/index.js';
import { Registry } from '../../src/registry.js';
import { deps, tableOf } from './table-support.js';
import { request } from '../predicates/create.js';

const registry = new Registry(builtinPredicates());
const spec = (name: string): PredicateSpec => registry.get(name)!;

describe('sharedPredicate', () => {
  it('gives equal calls of a shareable built-in one instance', () => {
    const host = { regexp: '^(shared[.]example[.]org[.]?(:[0-9]+)?)$' };
    expect(sharedPredicate(spec('Host'), [host])).toBe(sharedPredicate(spec('Host'), [{ regexp: host.regexp }]));
    expect(sharedPredicate(spec('Header'), ['X-A', 'b'])).toBe(sharedPredicate(spec('Header'), ['X-A', 'b']));
    expect(sharedPredicate(spec('Header'), ['X-A', 'b'])).not.toBe(sharedPredicate(spec('Header'), ['X-Ab', '']));
    // a regexp and a string of the same text are different calls
    expect(sharedPredicate(spec('HeaderRegexp'), ['X-A', { regexp: 'b' }])).not.toBe(sharedPredicate(spec('HeaderRegexp'), ['X-A', 'b']));
    expect(sharedPredicate(spec('Weight'), [2])).toBe(sharedPredicate(spec('Weight'), [2]));
  });

  it('makes a new instance of Traffic and Path every time', () => {
    expect(sharedPredicate(spec('Traffic'), [0.5])).not.toBe(sharedPredicate(spec('Traffic'), [0.5]));
    expect(sharedPredicate(spec('Path'), ['/a'])).not.toBe(sharedPredicate(spec('Path'), ['/a']));
  });

  it('calls a plugin that replaces a built-in name for every route', () => {
    let created = 0;
    const plugin: PredicateSpec = {
      name: 'Method',
      create(): Predicate {
        created++;
        return { match: () => true };
      },
    };
    const table = tableOf(
      `a: Path("/a") && Method("GET") -> <shunt>; b: Path("/b") && Method("GET") -> <shunt>;`,
      deps(undefined, [plugin]),
    );
    expect(table.invalid).toEqual([]);
    expect(created).toBe(2);
  });

  it('shares the instances of a plugin spec that declares itself shareable', () => {
    let created = 0;
    const plugin: PredicateSpec = {
      name: 'Tenant',
      shareable: true,
      create(): Predicate {
        created++;
        return { match: () => true };
      },
    };
    const table = tableOf(
      `a: Path("/a") && Tenant("t1") -> <shunt>; b: Path("/b") && Tenant("t1") -> <shunt>; c: Path("/c") && Tenant("t2") -> <shunt>;`,
      deps(undefined, [plugin]),
    );
    expect(table.invalid).toEqual([]);
    expect(created).toBe(2);
  });

  it('marks exactly the built-ins that hold only their arguments as shareable', () => {
    const shared = builtinPredicates()
      .filter((s) => s.shareable === true)
      .map((s) => s.name)
      .sort();
    expect(shared).toEqual(
      ['ClientIP', 'Cookie', 'False', 'Header', 'HeaderRegexp', 'Host', 'HostAny', 'Method', 'Methods', 'PathRegexp', 'QueryParam', 'Source', 'SourceFromLast', 'True', 'Weight'].sort(),
    );
  });

  it('does not tie the draws of two Traffic routes together', () => {
    const table = tableOf(`first: Path("/t") && Traffic(0.5) -> <shunt>; second: Path("/t") && Traffic(0.5) -> <shunt>;`);
    const seen = new Set<string | undefined>();
    for (let i = 0; i < 200; i++) seen.add(table.lookup(request({ url: '/t', random: i / 200 }))?.route.id);
    // one shared instance would make the second route unreachable: it fails exactly when the first does
    expect(seen).toEqual(new Set(['first', 'second', undefined]));
  });
});
