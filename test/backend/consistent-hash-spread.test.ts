/** consistentHash spreads keys that differ only at the end (sequential user ids, counters). */
import { describe, expect, it } from 'vitest';
import { createBalancer, ringHash } from '../../src/backend/balancer.js';
import { parseEndpoint } from '../../src/backend/endpoint.js';
import { requestView } from '../helpers/request.js';

const endpoints = [1, 2, 3].map((h) => parseEndpoint(`http://10.0.0.${h}:8080`));
const req = requestView({ url: '/' });

describe('consistentHash key spread', () => {
  it.each([
    ['user-', (i: number) => `user-${i}`],
    ['key-', (i: number) => `key-${i}`],
    ['client addresses', (i: number) => `10.1.${i >> 8}.${i & 255}`],
  ])('sends sequential keys (%s) to every endpoint in fair shares', (_name, key) => {
    const b = createBalancer('consistentHash', endpoints);
    const counts = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      const origin = b.pick(req, key(i)).origin;
      counts.set(origin, (counts.get(origin) ?? 0) + 1);
    }
    expect(counts.size).toBe(3);
    // 100 virtual nodes each: shares stay well within a few tenths of a third
    for (const n of counts.values()) expect(n).toBeGreaterThan(600);
  });

  it('spreads thirty keys that differ in their last digits over all three endpoints', () => {
    const b = createBalancer('consistentHash', endpoints);
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) seen.add(b.pick(req, `key-${i}`).origin);
    expect(seen.size).toBe(3);
  });

  it('moves one changed character across the whole range of the hash', () => {
    // the distance between two random 32-bit values is 2^32 / 3 on average
    let sum = 0;
    for (let i = 0; i < 1000; i++) sum += Math.abs(ringHash(`user-${i}`) - ringHash(`user-${i + 1}`));
    expect(sum / 1000).toBeGreaterThan(2 ** 30);
  });
});
