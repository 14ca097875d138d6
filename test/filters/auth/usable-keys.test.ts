/** The fetch-time check of a JWKS's keys, and its cap on how many are looked at. */
import { describe, expect, it } from 'vitest';
import { MAX_KEYS, sortKeys } from '../../../filters/auth/usable-keys.js';
import { signingKey } from './jwt-fixtures.js';

describe('sortKeys', () => {
  it('keeps the signing keys and says why the first other key is left out', async () => {
    const good = await signingKey('good');
    const { usable, problem } = await sortKeys({ keys: [{ kty: 'oct', k: 'c2VjcmV0', kid: 'sym' }, good.jwk] }, ['RS256']);
    expect(usable.map((k) => k.kid)).toEqual(['good']);
    expect(problem).toMatch(/^kid "sym": /);
  });

  it(`looks at the first ${MAX_KEYS} keys of a set only`, async () => {
    const good = await signingKey('late');
    const filler = Array.from({ length: MAX_KEYS }, (_, i) => ({ kty: 'oct', k: 'c2VjcmV0', kid: `f${i}` }));
    const late = await sortKeys({ keys: [...filler, good.jwk] }, ['RS256']);
    expect(late.usable).toEqual([]);
    expect(late.problem).toBe(`the set holds ${MAX_KEYS + 1} keys; only the first ${MAX_KEYS} are used`);
    const early = await sortKeys({ keys: [good.jwk, ...filler] }, ['RS256']);
    expect(early.usable.map((k) => k.kid)).toEqual(['late']);
  });
});
