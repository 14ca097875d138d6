/**
 * Property: any route definition the printer can print parses back to a deep-equal definition,
 * in compact and pretty form; the same for bare predicate lists and filter chains.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Arg, BackendDefinition, Call, RouteDefinition } from '../../src/eskip/definition.js';
import { parseFilters, parsePredicates, parseRoutes } from '../../src/eskip/parser.js';
import { printFilters, printPredicates, printRegexp, printRoutes } from '../../src/eskip/printer.js';

const RESERVED_PREDICATES = new Set(['Any', 'Path', 'PathSubtree', 'Method', 'Header']);

const routeId = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,15}$/);
const predicateName = fc
  .stringMatching(/^[A-Z][A-Za-z0-9_]{0,12}$/)
  .filter((n) => !RESERVED_PREDICATES.has(n));
const filterName = fc.stringMatching(/^[a-z_][A-Za-z0-9_]{0,12}$/);
const symbol = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/);

/** Any string: printable ASCII heavy on quotes/backslashes/escapes, arbitrary code points, raw UTF-16. */
const anyString = fc.oneof(
  fc.string({ unit: fc.constantFrom('"', '`', '\\', '/', 'a', 'n', '\n', '\t', '\v', '\x07', '\0', ' ', '*', '//') }),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }),
);

/** Regexp pieces that stress the literal's escaping: slashes, backslashes, classes. */
const regexpPiece = fc.constantFrom(
  'a', '.', '\\/', '/', '\\\\', '[/]', '[^\\]/]', '\\d', '\\[', '\\]', '(x|y)', '+', '*?', '^', '$',
  '\n', 'ü', '😀', '\\.html', '[a-z]', '{2,3}', '//', '\\u0041', '`', '"',
);
const validRegexpSource = fc
  .array(regexpPiece, { minLength: 1, maxLength: 8 })
  .map((parts) => parts.join(''))
  .filter(isValidJsRegexp);

function isValidJsRegexp(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

function hasLiteralForm(source: string): boolean {
  try {
    printRegexp(source);
    return true;
  } catch {
    return false;
  }
}

/** Valid JS regexps, plus arbitrary strings whenever a literal form exists (e.g. a trailing backslash). */
const regexpSource = fc.oneof(validRegexpSource, anyString.filter(hasLiteralForm));

const arg: fc.Arbitrary<Arg> = fc.oneof(
  anyString,
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  regexpSource.map((regexp) => ({ regexp })),
);
const args = fc.array(arg, { maxLength: 4 });

/** Plain objects only: fast-check may otherwise build null-prototype records, which parse results never are. */
const plain = { noNullPrototype: true } as const;

const predicate: fc.Arbitrary<Call> = fc.record({ name: predicateName, args }, plain);
const filter: fc.Arbitrary<Call> = fc.record({ name: filterName, args }, plain);

/** Generic predicates plus at most one path-tree predicate, one Method and distinct Header keys. */
const predicates: fc.Arbitrary<Call[]> = fc
  .record({
    generic: fc.array(predicate, { maxLength: 4 }),
    path: fc.option(fc.record({ name: fc.constantFrom('Path', 'PathSubtree'), args: fc.tuple(anyString) }, plain)),
    method: fc.option(
      fc.record({ name: fc.constant('Method'), args: fc.tuple(fc.constantFrom('GET', 'POST')) }, plain),
    ),
    headers: fc.uniqueArray(fc.tuple(fc.stringMatching(/^[A-Za-z-]{1,10}$/), anyString), {
      maxLength: 3,
      selector: ([k]) => k.toLowerCase(),
    }),
    order: fc.integer(),
  }, plain)
  .map(({ generic, path, method, headers, order }) => {
    const all: Call[] = [...generic];
    if (path !== null) all.push(path);
    if (method !== null) all.push(method);
    for (const [k, v] of headers) all.push({ name: 'Header', args: [k, v] });
    // rotate, so the special predicates appear anywhere in the list
    const shift = all.length === 0 ? 0 : Math.abs(order) % all.length;
    return [...all.slice(shift), ...all.slice(0, shift)];
  });

const endpoints = fc
  .tuple(fc.constantFrom('http', 'https', 'fastcgi', 'h2c'), fc.array(anyString, { minLength: 1, maxLength: 4 }))
  .map(([scheme, rests]) => rests.map((r) => `${scheme}://${r}`));

const backend: fc.Arbitrary<BackendDefinition> = fc.oneof(
  anyString.map((address) => ({ type: 'network' as const, address })),
  fc.constantFrom<BackendDefinition>({ type: 'shunt' }, { type: 'loopback' }, { type: 'dynamic' }, { type: 'forward' }),
  endpoints.map((eps) => ({ type: 'lb' as const, endpoints: eps })),
  fc.tuple(symbol, endpoints).map(([algorithm, eps]) => ({ type: 'lb' as const, algorithm, endpoints: eps })),
);

const route: fc.Arbitrary<RouteDefinition> = fc.record({
  id: routeId,
  predicates,
  filters: fc.array(filter, { maxLength: 4 }),
  backend,
}, plain);

const routes = fc.uniqueArray(route, { maxLength: 6, selector: (r) => r.id });

describe('print → parse round trip', () => {
  it('gives back equal routes from the compact form', () => {
    fc.assert(
      fc.property(routes, (defs) => {
        expect(parseRoutes(printRoutes(defs))).toStrictEqual(defs);
      }),
      { numRuns: 300 },
    );
  });

  it('gives back equal routes from the pretty form', () => {
    fc.assert(
      fc.property(routes, (defs) => {
        expect(parseRoutes(printRoutes(defs, { pretty: true }))).toStrictEqual(defs);
      }),
      { numRuns: 300 },
    );
  });

  it('gives back a single route without id', () => {
    fc.assert(
      fc.property(route, (def) => {
        const bare = { ...def, id: '' };
        expect(parseRoutes(printRoutes([bare]))).toStrictEqual([bare]);
      }),
      { numRuns: 100 },
    );
  });

  it('gives back bare predicate lists and filter chains', () => {
    fc.assert(
      fc.property(predicates, fc.array(filter, { maxLength: 5 }), (ps, fs) => {
        expect(parsePredicates(printPredicates(ps))).toStrictEqual(ps);
        expect(parseFilters(printFilters(fs))).toStrictEqual(fs);
      }),
      { numRuns: 200 },
    );
  });

  it('can print every valid JS regexp source', () => {
    fc.assert(
      fc.property(validRegexpSource, (source) => {
        expect(parseFilters(`f(${printRegexp(source)})`)).toStrictEqual([{ name: 'f', args: [{ regexp: source }] }]);
      }),
      { numRuns: 300 },
    );
  });

  it('prints equal definitions equally', () => {
    fc.assert(
      fc.property(routes, (defs) => {
        const copy = structuredClone(defs) as RouteDefinition[];
        expect(printRoutes(copy)).toBe(printRoutes(defs));
        expect(printRoutes(copy, { pretty: true })).toBe(printRoutes(defs, { pretty: true }));
      }),
      { numRuns: 100 },
    );
  });
});
