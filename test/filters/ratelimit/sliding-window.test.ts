/** The limiter's counting, on a clock the test moves. */
import { describe, expect, it } from 'vitest';
import { SlidingWindowLimiter, ZERO_LIMIT_RETRY_SECONDS } from '../../../filters/ratelimit/sliding-window.js';

describe('SlidingWindowLimiter', () => {
  it('allows maxHits within any window, then as soon as the oldest hit leaves it', () => {
    const l = new SlidingWindowLimiter(3, 1000);
    expect([0, 100, 200, 300].map((t) => l.allow('a', t))).toEqual([true, true, true, false]);
    expect(l.retryAfterSeconds('a', 300)).toBe(1);
    expect(l.allow('a', 999)).toBe(false);
    expect(l.allow('a', 1000)).toBe(true); // the hit at 0 has left
    expect(l.allow('a', 1050)).toBe(false); // 100 and 200 are still in
    expect(l.allow('a', 1100)).toBe(true);
  });

  it('does not count refused requests, and keeps keys apart', () => {
    const l = new SlidingWindowLimiter(1, 1000);
    expect(l.allow('a', 0)).toBe(true);
    for (let t = 10; t < 1000; t += 10) expect(l.allow('a', t)).toBe(false);
    expect(l.allow('b', 500)).toBe(true);
    expect(l.allow('a', 1000)).toBe(true);
  });

  it('refuses everything with a limit of zero, for five years', () => {
    const l = new SlidingWindowLimiter(0, 1000);
    expect(l.allow('a', 0)).toBe(false);
    expect(l.retryAfterSeconds('a', 0)).toBe(ZERO_LIMIT_RETRY_SECONDS);
  });

  it('rounds the wait up to whole seconds', () => {
    const l = new SlidingWindowLimiter(1, 60_000);
    l.allow('a', 0);
    expect(l.retryAfterSeconds('a', 1)).toBe(60);
    expect(l.retryAfterSeconds('a', 59_001)).toBe(1);
    expect(l.retryAfterSeconds('never', 0)).toBe(0);
  });

  it('sweeps keys whose last request has left the window when a new key comes', () => {
    const l = new SlidingWindowLimiter(5, 1000);
    for (let i = 0; i < 50; i++) l.allow(`k${i}`, 0);
    expect(l.size).toBe(50);
    l.allow('late', 1500);
    expect(l.size).toBe(1);
  });

  it('forgets the oldest key past maxKeys instead of growing', () => {
    const l = new SlidingWindowLimiter(1, 60_000, 3);
    for (const k of ['a', 'b', 'c', 'd']) expect(l.allow(k, 10)).toBe(true);
    expect(l.size).toBe(3);
    expect(l.allow('a', 20)).toBe(true); // forgotten, so let through again
    expect(l.allow('d', 20)).toBe(false);
  });
});
