/**
 * Fuzzing the eskip parser with text, not with definitions: arbitrary strings and token soups
 * never make it throw anything but a SkiffError (with a position), and whatever parses prints
 * back to text that parses to the same definitions, and prints the same again (a fixed point).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SkiffError } from '../../src/errors.js';
import { EskipParseError, parseFilters, parsePredicates, parseRoutes, printFilters, printPredicates, printRoutes } from '../../src/eskip/index.js';

/** Pieces of eskip, valid and broken, so that random sequences often come close to a route. */
const token = fc.constantFrom(
  'r', 'r1', ':', ';', '->', '&&', '*', '(', ')', ',', '<', '>', '"', '`', '/', '\\', '//', '\n', ' ', '\t',
  'Path', 'PathSubtree', 'Host', 'Method', 'Header', 'True', 'setPath', 'setRequestHeader', 'status',
  '"/a"', '"x\\"y"', '`raw`', '/^a.*$/', '/a\\/b/', '"http://10.0.0.1:80"', '<shunt>', '<loopback>',
  '<dynamic>', '<roundRobin, "http://a", "http://b">', '42', '-1.5e3', '0x10', '1e400', '"\\u00e9"',
  '// comment\n', '/* not a comment */', '""', '"unterminated', '/unterminated', '<', 'shunt', '${id}',
);

const text = fc.oneof(
  fc.array(token, { maxLength: 40 }).map((t) => t.join('')),
  fc.array(token, { maxLength: 40 }).map((t) => t.join(' ')),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 120 }),
);

function expectOnlySkiffErrors(run: () => unknown): unknown {
  try {
    return run();
  } catch (err) {
    expect(err).toBeInstanceOf(SkiffError);
    if (err instanceof EskipParseError) {
      expect(err.line).toBeGreaterThanOrEqual(1);
      expect(err.column).toBeGreaterThanOrEqual(1);
    }
    return undefined;
  }
}

describe('eskip parser on arbitrary text', () => {
  it('throws nothing but SkiffError, and what parses is stable through print → parse', () => {
    let parsed = 0;
    fc.assert(
      fc.property(text, (src) => {
        const defs = expectOnlySkiffErrors(() => parseRoutes(src)) as ReturnType<typeof parseRoutes> | undefined;
        if (defs === undefined) return;
        parsed++;
        for (const pretty of [false, true]) {
          const printed = printRoutes(defs, { pretty });
          const again = parseRoutes(printed);
          expect(again).toEqual(defs);
          expect(printRoutes(again, { pretty })).toBe(printed);
        }
      }),
      { numRuns: 1000 },
    );
    // The token soup must reach the success path often enough to mean something.
    expect(parsed).toBeGreaterThan(20);
  });

  it('predicate lists and filter chains behave the same way', () => {
    fc.assert(
      fc.property(text, (src) => {
        const preds = expectOnlySkiffErrors(() => parsePredicates(src)) as ReturnType<typeof parsePredicates> | undefined;
        if (preds !== undefined && preds.length > 0) expect(parsePredicates(printPredicates(preds))).toEqual(preds);
        const filters = expectOnlySkiffErrors(() => parseFilters(src)) as ReturnType<typeof parseFilters> | undefined;
        if (filters !== undefined && filters.length > 0) expect(parseFilters(printFilters(filters))).toEqual(filters);
      }),
      { numRuns: 500 },
    );
  });
});
