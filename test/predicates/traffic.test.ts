/** Traffic(p) and the sticky Traffic(p, cookie, group). */
import { describe, expect, it } from 'vitest';
import type { Arg } from '../../src/spec.js';
import { createPredicate, expectInvalidArgs, matches, request } from './create.js';
import { deriveDraw } from '../../src/predicates/traffic.js';

/** A small seeded generator, so the shares below are reproducible. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('Traffic', () => {
  it.each<[Arg[], number, string | undefined, boolean]>([
    [[0], 0, undefined, false],
    [[0], 0.999, undefined, false],
    [[1], 0, undefined, true],
    [[1], 0.999, undefined, true],
    [[0.5, 'canary', 'yes'], 0.9, 'canary=yes', true],
    [[0.5, 'canary', 'yes'], 0.1, 'canary=yes', true],
    [[0.5, 'canary', 'yes'], 0.1, 'canary=no', false],
    [[0.5, 'canary', 'yes'], 0.9, 'canary=no', false],
    [[0, 'canary', 'yes'], 0.5, undefined, false],
    [[1, 'canary', 'yes'], 0.5, 'other=yes', true],
  ])('Traffic(%j) with draw %d and cookie %j → %s', (args, random, cookie, expected) => {
    const headers = cookie === undefined ? {} : { cookie };
    expect(matches('Traffic', args, { random, headers })).toBe(expected);
  });

  it('decides the same way for the same request draw', () => {
    const p = createPredicate('Traffic', [0.5]);
    const r = request({ random: 0.4242 });
    const first = p.match(r);
    for (let i = 0; i < 10; i++) expect(p.match(r)).toBe(first);
  });

  it.each([0.1, 0.3, 0.5, 0.9])('Traffic(%d) matches that share of requests', (chance) => {
    const p = createPredicate('Traffic', [chance]);
    const next = mulberry32(7);
    let hits = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) if (p.match(request({ random: next() }))) hits++;
    expect(Math.abs(hits / n - chance)).toBeLessThan(0.015);
  });

  it('draws independently per predicate, so Skipper-style chains split evenly', () => {
    // backend weights 1,1,1 → Traffic(1/3) && True(), Traffic(1/2), and a route without Traffic
    const first = createPredicate('Traffic', [1 / 3]);
    const second = createPredicate('Traffic', [1 / 2]);
    const next = mulberry32(11);
    const counts = [0, 0, 0];
    const n = 30_000;
    for (let i = 0; i < n; i++) {
      const r = request({ random: next() });
      if (first.match(r)) counts[0]!++;
      else if (second.match(r)) counts[1]!++;
      else counts[2]!++;
    }
    for (const c of counts) expect(Math.abs(c / n - 1 / 3)).toBeLessThan(0.015);
  });

  it('gives two predicates with the same chance different draws', () => {
    const a = createPredicate('Traffic', [0.5]);
    const b = createPredicate('Traffic', [0.5]);
    const next = mulberry32(3);
    let both = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const r = request({ random: next() });
      if (a.match(r) && b.match(r)) both++;
    }
    expect(Math.abs(both / n - 0.25)).toBeLessThan(0.015);
  });

  it('derives uniform draws', () => {
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i++) buckets[Math.floor(deriveDraw((i + 0.5) / 10_000, 12345) * 10)]!++;
    for (const b of buckets) expect(Math.abs(b - 1000)).toBeLessThan(100);
  });

  it.each([
    [[], 'expects a chance'],
    [[0.5, 'c'], 'expects a chance'],
    [['0.5'], 'must be a number'],
    [[1.5], 'between 0 and 1'],
    [[-0.1], 'between 0 and 1'],
    [[0.5, 'c', 1], 'must be a string'],
    [[0.5, '', 'g'], 'must not be empty'],
  ])('rejects Traffic(%j)', (args, fragment) => {
    expectInvalidArgs('Traffic', args, fragment);
  });
});
