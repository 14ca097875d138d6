/**
 * The path tree against a plain reference: among all routes whose pattern and conditions match,
 * the tree must pick the one whose segment kinds (static < param < free) come first, then by
 * weight and definition order, and give the same parameters. Random route sets and paths.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Call, RouteDefinition } from '../../src/eskip/definition.js';
import { tableOf } from './table-support.js';
import { request } from '../predicates/create.js';

type Token = { kind: 'static'; text: string } | { kind: 'param' } | { kind: 'free' };

interface Spec {
  subtree: boolean;
  tokens: Token[];
  trailingSlash: boolean;
  get: boolean;
}

/** Route specs over the static segments `segments` (the `:` and `*` wildcards are added). */
function specOf(segments: readonly string[]): fc.Arbitrary<Spec> {
  const token: fc.Arbitrary<Token> = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...segments).map((text) => ({ kind: 'static', text }) as Token) },
    { weight: 2, arbitrary: fc.constant({ kind: 'param' } as Token) },
  );
  return fc
    .record({
      subtree: fc.boolean(),
      tokens: fc.array(token, { minLength: 0, maxLength: 3 }),
      trailingSlash: fc.boolean(),
      get: fc.boolean(),
      free: fc.boolean(),
    })
    .map(({ free, ...s }) => ({ ...s, tokens: free && !s.subtree ? [...s.tokens, { kind: 'free' } as Token] : s.tokens }));
}

function definition(s: Spec, i: number): RouteDefinition {
  const id = `r${i}`;
  let p = 0;
  const parts = s.tokens.map((t) => (t.kind === 'static' ? t.text : t.kind === 'param' ? `:${id}p${p++}` : `*${id}rest`));
  let pattern = '/' + parts.join('/');
  if (s.trailingSlash && s.tokens.at(-1)?.kind !== 'free' && pattern !== '/') pattern += '/';
  const predicates: Call[] = [{ name: s.subtree ? 'PathSubtree' : 'Path', args: [pattern] }];
  if (s.get) predicates.push({ name: 'Method', args: ['GET'] });
  return { id, predicates, filters: [], backend: { type: 'shunt' } };
}

/** Reference match of one route: the kinds per segment and the params, or null. */
function reference(s: Spec, i: number, path: string): { kinds: number[]; params: Record<string, string> } | null {
  const id = `r${i}`;
  const segs = path.split('/').slice(1);
  const keys: { tokens: Token[]; atBase: boolean }[] = [];
  const trailing = s.trailingSlash && s.tokens.length > 0 && s.tokens.at(-1)!.kind !== 'free';
  if (!s.subtree) {
    keys.push({ tokens: trailing ? [...s.tokens, { kind: 'static', text: '' }] : s.tokens, atBase: false });
    if (s.tokens.length === 0) keys[0] = { tokens: [{ kind: 'static', text: '' }], atBase: false };
  } else if (s.tokens.length === 0) {
    keys.push({ tokens: [{ kind: 'static', text: '' }], atBase: true }, { tokens: [{ kind: 'free' }], atBase: false });
  } else {
    keys.push(
      { tokens: s.tokens, atBase: true },
      { tokens: [...s.tokens, { kind: 'static', text: '' }], atBase: true },
      { tokens: [...s.tokens, { kind: 'free' }], atBase: false },
    );
  }
  let best: { kinds: number[]; params: Record<string, string> } | null = null;
  for (const key of keys) {
    const kinds: number[] = [];
    const params: Record<string, string> = {};
    let p = 0;
    let ok = true;
    let consumedAll = false;
    for (let t = 0; t < key.tokens.length && ok; t++) {
      const tok = key.tokens[t]!;
      if (tok.kind === 'free') {
        const rest = segs.slice(t).join('/');
        ok = t < segs.length && rest !== '';
        kinds.push(2);
        params[s.subtree ? '*' : `${id}rest`] = '/' + rest;
        consumedAll = true;
      } else if (t >= segs.length) ok = false;
      else if (tok.kind === 'param') {
        ok = segs[t] !== '';
        kinds.push(1);
        params[`${id}p${p++}`] = segs[t]!;
      } else {
        ok = segs[t] === tok.text;
        kinds.push(0);
      }
    }
    if (!ok || (!consumedAll && key.tokens.length !== segs.length)) continue;
    if (key.atBase) params['*'] = '/';
    if (best === null || compareKinds(kinds, best.kinds) < 0) best = { kinds, params };
  }
  return best;
}

function compareKinds(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function requestPathOf(segments: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.array(fc.constantFrom(...segments), { minLength: 0, maxLength: 4 }), fc.boolean())
    .map(([segs, slash]) => '/' + segs.join('/') + (slash && segs.length > 0 ? '/' : ''));
}

/** The matcher against the reference on random tables of up to `maxRoutes` routes. */
function agreesWithReference(segments: readonly string[], extra: readonly string[], maxRoutes: number, numRuns: number): void {
  fc.assert(
    fc.property(
      fc.array(specOf(segments), { minLength: 1, maxLength: maxRoutes }),
      requestPathOf([...segments, ...extra]),
      fc.constantFrom('GET', 'POST'),
      (specs, path, method) => {
        const table = tableOf(specs.map(definition));
        expect(table.invalid).toEqual([]);
        let expected: { id: string; kinds: number[]; weight: number; order: number; params: Record<string, string> } | null = null;
        specs.forEach((s, i) => {
          if (s.get && method !== 'GET') return;
          const m = reference(s, i, path);
          if (m === null) return;
          const candidate = { id: `r${i}`, kinds: m.kinds, weight: s.get ? 1 : 0, order: i, params: m.params };
          if (
            expected === null ||
            compareKinds(candidate.kinds, expected.kinds) < 0 ||
            (compareKinds(candidate.kinds, expected.kinds) === 0 && candidate.weight > expected.weight)
          ) {
            expected = candidate;
          }
        });
        const match = table.lookup(request({ url: path, method }));
        if (expected === null) {
          expect(match).toBeNull();
        } else {
          const e = expected as { id: string; params: Record<string, string> };
          expect(match?.route.id).toBe(e.id);
          expect({ ...match!.params }).toEqual(e.params);
        }
      },
    ),
    { numRuns },
  );
}

describe('path tree vs reference', () => {
  it('picks the same route and params as the reference order', () => {
    agreesWithReference(['a', 'b', 'ab'], ['c'], 8, 1500);
  });

  // More static siblings than a node scans as a list (a hash table then), segments that share
  // length and first unit, text outside ASCII and the BMP, and long runs of single children
  // (written as one node with a multi-segment label).
  it('agrees on wide nodes, look-alike segments and non-ASCII text', () => {
    const segments = ['a', 'ab', 'ac', 'ad', 'b', 'bc', 'x', 'y', 'z', 'users', 'usexs', 'ü', 'üb', '😀', '😀x', 'é'];
    agreesWithReference(segments, ['abc', 'a😀', 'q'], 24, 600);
  });
});

describe('params objects', () => {
  it('are prototype-less and shared only when empty', () => {
    const table = tableOf(`a: Path("/a/:__proto__") -> <shunt>; b: Path("/b") -> <shunt>;`);
    const withParams = table.lookup(request({ url: '/a/x' }))!;
    expect(Object.getPrototypeOf(Object.getPrototypeOf(withParams.params))).toBeNull();
    expect(Object.getOwnPropertyDescriptor(withParams.params, '__proto__')?.value).toBe('x');
    expect('toString' in withParams.params).toBe(false);
    const first = table.lookup(request({ url: '/b' }))!;
    const second = table.lookup(request({ url: '/b' }))!;
    expect(first).toBe(second);
    expect(Object.keys(first.params)).toEqual([]);
  });
});
