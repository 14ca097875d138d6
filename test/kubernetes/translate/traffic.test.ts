import { describe, expect, it } from 'vitest';
import { trafficShares } from '../../../src/kubernetes/translate/traffic.js';

function printed(services: string[], weights: Record<string, number> | undefined): string[] {
  return trafficShares(services, weights && new Map(Object.entries(weights))).map(
    (s) => `${services[s.index]}: ${s.predicates.map((p) => `${p.name}(${p.args.join(',')})`).join(' && ')}`,
  );
}

describe('trafficShares', () => {
  it('reproduces Skipper’s 1/2/3/4 example', () => {
    const shares = trafficShares(['a', 'b', 'c', 'd'], new Map([['a', 1], ['b', 2], ['c', 3], ['d', 4]]));
    expect(shares.map((s) => s.predicates.map((p) => p.name))).toEqual([['Traffic', 'True', 'True'], ['Traffic', 'True'], ['Traffic'], []]);
    expect(shares.map((s) => s.predicates[0]?.args[0])).toEqual([0.1, 2 / 9, 3 / 7, undefined]);
  });

  it('gives no route to weight 0 and the rest to the last non-zero backend', () => {
    expect(printed(['a', 'b', 'c'], { a: 1, b: 1, c: 0 })).toEqual(['a: Traffic(0.5) && True()', 'b: ']);
    expect(printed(['a', 'b', 'c'], { a: 0, b: 0, c: 5 })).toEqual(['c: ']);
  });

  it('weighs every backend 1 when no weight applies', () => {
    expect(printed(['a', 'b'], undefined)).toEqual(['a: Traffic(0.5)', 'b: ']);
    expect(printed(['a', 'b', 'c'], { x: 3 })).toEqual(['a: Traffic(0.3333333333333333) && True()', 'b: Traffic(0.5)', 'c: ']);
  });

  it('leaves a single backend alone', () => {
    expect(printed(['a'], { a: 0 })).toEqual(['a: ']);
  });

  it('multiplies out to the requested shares', () => {
    const weights = { a: 0.7, b: 0.1, c: 0.2 };
    const shares = trafficShares(['a', 'b', 'c'], new Map(Object.entries(weights)));
    let left = 1;
    const got: number[] = [];
    for (const s of shares) {
      const p = (s.predicates[0]?.args[0] as number | undefined) ?? 1;
      got.push(left * p);
      left *= 1 - p;
    }
    expect(got[0]).toBeCloseTo(0.7, 10);
    expect(got[1]).toBeCloseTo(0.1, 10);
    expect(got[2]).toBeCloseTo(0.2, 10);
  });
});
