import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { createJwksMetrics } from '../../src/metrics/jwks-metrics.js';
import type { KeySetCount } from '../../filters/auth/key-set-counts.js';
import { jwksAt } from '../../filters/auth/remote-key-set.js';
import { startServer } from '../helpers/upstream.js';
import { parseExposition, sampleValue } from './exposition.js';

async function scrape(registry: Registry) {
  return parseExposition(await registry.metrics());
}

describe('JWKS metrics', () => {
  it('follows the cumulative counts per key set, adding only the increase at each scrape', async () => {
    const registry = new Registry();
    const counts = new Map<string, KeySetCount>([['jwks http://a/keys', { fetches: 3, errors: 1 }]]);
    createJwksMetrics(registry, () => counts);
    let s = await scrape(registry);
    expect(sampleValue(s, 'skiff_jwks_fetches_total', { key_set: 'jwks http://a/keys' })).toBe(3);
    expect(sampleValue(s, 'skiff_jwks_fetch_errors_total', { key_set: 'jwks http://a/keys' })).toBe(1);
    counts.set('jwks http://a/keys', { fetches: 5, errors: 4 });
    counts.set('oidc http://issuer', { fetches: 1, errors: 0 });
    s = await scrape(registry);
    s = await scrape(registry);
    expect(sampleValue(s, 'skiff_jwks_fetches_total', { key_set: 'jwks http://a/keys' })).toBe(5);
    expect(sampleValue(s, 'skiff_jwks_fetch_errors_total', { key_set: 'jwks http://a/keys' })).toBe(4);
    expect(sampleValue(s, 'skiff_jwks_fetches_total', { key_set: 'oidc http://issuer' })).toBe(1);
    expect(sampleValue(s, 'skiff_jwks_fetch_errors_total', { key_set: 'oidc http://issuer' })).toBe(0);
  });

  it('counts the failed fetches of a real key set whose endpoint answers 500', async () => {
    const endpoint = await startServer((_req, res) => {
      res.statusCode = 500;
      res.end('down');
    });
    try {
      const registry = new Registry();
      createJwksMetrics(registry);
      const url = `${endpoint.url}/keys`;
      const keys = jwksAt(url, { refreshMs: 60_000, cooldownMs: 0, timeoutMs: 2000 });
      const header = { alg: 'RS256', kid: 'k1' };
      for (let i = 0; i < 2; i++) await expect(keys.getKey(header, { payload: '', signature: '' } as never)).rejects.toThrow();
      const s = await scrape(registry);
      expect(sampleValue(s, 'skiff_jwks_fetches_total', { key_set: `jwks ${url}` })).toBe(2);
      expect(sampleValue(s, 'skiff_jwks_fetch_errors_total', { key_set: `jwks ${url}` })).toBe(2);
    } finally {
      await endpoint.close();
    }
  });
});
