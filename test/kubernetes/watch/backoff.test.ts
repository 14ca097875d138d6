import { describe, expect, it } from 'vitest';
import { Backoff } from '../../../src/kubernetes/watch/backoff.js';

describe('Backoff', () => {
  it('doubles its ceiling up to the cap, with the initial delay as floor', () => {
    const top = new Backoff({ initialMs: 200, maxMs: 30_000, random: () => 0.999999 });
    const highs = Array.from({ length: 10 }, () => top.next());
    expect(highs).toEqual([200, 400, 800, 1600, 3200, 6400, 12800, 25600, 30000, 30000]);
    const bottom = new Backoff({ initialMs: 200, maxMs: 30_000, random: () => 0 });
    expect(Array.from({ length: 5 }, () => bottom.next())).toEqual([200, 200, 200, 200, 200]);
  });

  it('spreads delays with jitter and starts over after reset', () => {
    const b = new Backoff({ initialMs: 100, maxMs: 10_000 });
    for (let i = 0; i < 6; i++) b.next();
    const samples = Array.from({ length: 50 }, () => {
      const x = new Backoff({ initialMs: 100, maxMs: 10_000 });
      for (let i = 0; i < 5; i++) x.next();
      return x.next();
    });
    expect(new Set(samples).size).toBeGreaterThan(10);
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...samples)).toBeLessThanOrEqual(3200);
    expect(b.failures).toBe(6);
    b.reset();
    expect(b.failures).toBe(0);
    expect(b.next()).toBe(100);
  });
});
