/** The interned latin1 decoding of response header fields gives exactly Buffer#toString('latin1'). */
import { describe, expect, it } from 'vitest';
import { fieldString } from '../../src/proxy/header-strings.js';

/** Deterministic bytes, so that a failure can be replayed. */
function generator(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) >>> 8;
}

describe('fieldString', () => {
  it('decodes repeated fields from the table and new ones from the bytes', () => {
    const server = Buffer.from('nginx/1.22.1', 'latin1');
    expect(fieldString(server)).toBe('nginx/1.22.1');
    // a copy of the bytes in another buffer hits the slot and gives the same text
    expect(fieldString(Buffer.from(server))).toBe('nginx/1.22.1');
    expect(fieldString(Buffer.alloc(0))).toBe('');
    // obs-text bytes stay one char each
    expect(fieldString(Buffer.from([0x61, 0xe9, 0xff, 0x80]))).toBe('a\u00e9\u00ff\u0080');
    const long = Buffer.from('x'.repeat(200), 'latin1');
    expect(fieldString(long)).toBe('x'.repeat(200));
  });

  it('never answers with another field’s text, however the fields collide', () => {
    const next = generator(11);
    const pool: Buffer[] = [];
    // few distinct lengths and bytes: many fields share a slot and evict each other
    for (let i = 0; i < 400; i++) {
      const length = 1 + (next() % 12);
      pool.push(Buffer.from(Array.from({ length }, () => 97 + (next() % 3))));
    }
    for (let i = 0; i < 20_000; i++) {
      const buf = pool[next() % pool.length]!;
      expect(fieldString(buf)).toBe(buf.toString('latin1'));
    }
  });

  it('matches toString on random fields of every length up to past the table’s limit', () => {
    const next = generator(5);
    for (let i = 0; i < 20_000; i++) {
      const length = next() % 64;
      const buf = Buffer.from(Array.from({ length }, () => next() % 256));
      // a view into a larger buffer, as undici hands the fields over
      const padded = Buffer.concat([Buffer.from('xx'), buf, Buffer.from('yy')]).subarray(2, 2 + length);
      expect(fieldString(padded)).toBe(buf.toString('latin1'));
      expect(fieldString(padded)).toBe(buf.toString('latin1'));
    }
  });
});
