/**
 * Claim paths, the claim-to-header encoding (decodeURIComponent gives the claim back, and the
 * result is always a legal header value), and the verified-token LRU.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { claimHeaderValue, encodeHeaderText } from '../../../filters/auth/claim-value.js';
import { compileClaimPath, resolveClaim } from '../../../filters/auth/claim-path.js';
import { TokenCache } from '../../../filters/auth/token-cache.js';
import { bearerToken } from '../../../filters/auth/bearer.js';
import { isValidHeaderValue } from '../../../filters/header/header-syntax.js';

describe('encodeHeaderText', () => {
  it('passes plain ASCII through unchanged (same string)', () => {
    const s = 'alice@example.org (Team: A/B) [x]';
    expect(encodeHeaderText(s)).toBe(s);
  });

  it('encodes %, non-ASCII, controls and edge spaces; refuses CR, LF and NUL', () => {
    expect(encodeHeaderText('50%')).toBe('50%25');
    expect(encodeHeaderText('a\tb')).toBe('a%09b');
    expect(encodeHeaderText(' padded ')).toBe('%20padded%20');
    expect(encodeHeaderText('😀')).toBe('%F0%9F%98%80');
    expect(encodeHeaderText('\ud800x')).toBe('%EF%BF%BDx');
    expect(encodeHeaderText('a\rb')).toBeNull();
    expect(encodeHeaderText('a\nb')).toBeNull();
    expect(encodeHeaderText('a\u0000b')).toBeNull();
  });

  it('property: decodes back to the input and is always a valid header value', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        const out = encodeHeaderText(s);
        if (/[\r\n\0]/.test(s)) {
          expect(out).toBeNull();
          return;
        }
        expect(out).not.toBeNull();
        expect(isValidHeaderValue(out!)).toBe(true);
        expect(/^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$|^$/.test(out!)).toBe(true);
        expect(decodeURIComponent(out!)).toBe(s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('claimHeaderValue', () => {
  it('stringifies scalars, JSON-encodes structures, skips null, enforces the length', () => {
    expect(claimHeaderValue(3.5, 10)).toBe('3.5');
    expect(claimHeaderValue(true, 10)).toBe('true');
    expect(claimHeaderValue(['a', 'é'], 100)).toBe('["a","%C3%A9"]');
    expect(claimHeaderValue(null, 10)).toBeUndefined();
    expect(claimHeaderValue(undefined, 10)).toBeUndefined();
    expect(claimHeaderValue('x'.repeat(11), 10)).toBeNull();
    expect(claimHeaderValue('x'.repeat(10), 10)).toBe('x'.repeat(10));
  });

  it('refuses a structure nested deeper than JSON.stringify can write, instead of throwing', () => {
    // JSON.parse (and so jose) reads 8000 levels; stringify runs out of stack before that. The
    // limit is high enough that the length check alone would let it through.
    const deep: unknown = JSON.parse('['.repeat(8000) + ']'.repeat(8000));
    expect(claimHeaderValue(deep, 16_384)).toBeNull();
  });
});

describe('claim paths', () => {
  const claims = { sub: 'a', org: { team: { name: 'pay' } }, groups: ['g0', 'g1'], 'https://x.example/roles': 'r' };

  it('walks objects and arrays, and tries dotted names as one key first', () => {
    expect(resolveClaim(claims, compileClaimPath('sub'))).toBe('a');
    expect(resolveClaim(claims, compileClaimPath('org.team.name'))).toBe('pay');
    expect(resolveClaim(claims, compileClaimPath('groups.1'))).toBe('g1');
    expect(resolveClaim(claims, compileClaimPath('https://x.example/roles'))).toBe('r');
    expect(resolveClaim(claims, compileClaimPath('org.missing'))).toBeUndefined();
    expect(resolveClaim(claims, compileClaimPath('sub.length'))).toBeUndefined();
  });

  it('never reads inherited properties', () => {
    expect(resolveClaim(claims, compileClaimPath('__proto__'))).toBeUndefined();
    expect(resolveClaim(claims, compileClaimPath('constructor.name'))).toBeUndefined();
    expect(resolveClaim(claims, compileClaimPath('groups.length'))).toBe(2);
    expect(() => compileClaimPath('')).toThrow();
    expect(() => compileClaimPath('a.')).toThrow();
  });
});

describe('TokenCache', () => {
  it('evicts the least recently used entry and drops expired ones on read', () => {
    const cache = new TokenCache<{ expiresAt: number; v: number }>(2);
    cache.set('a', { expiresAt: 100, v: 1 });
    cache.set('b', { expiresAt: 100, v: 2 });
    expect(cache.get('a', 0)?.v).toBe(1); // a is now the most recent
    cache.set('c', { expiresAt: 100, v: 3 });
    expect(cache.get('b', 0)).toBeUndefined();
    expect(cache.get('a', 0)?.v).toBe(1);
    expect(cache.get('c', 0)?.v).toBe(3);
    expect(cache.get('c', 100)).toBeUndefined();
    expect(cache.size).toBe(1);
  });
});

describe('bearerToken', () => {
  it('reads the Bearer scheme case-insensitively and nothing else', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bEaReR   abc  ')).toBe('abc');
    expect(bearerToken('Bearer')).toBeNull();
    expect(bearerToken('Bearer  ')).toBeNull();
    expect(bearerToken('Bearer a b')).toBeNull();
    expect(bearerToken('Bearerabc')).toBeNull();
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });
});
