/** Several keys of a set match a token: each is tried, and only a verifying one lets it pass. */
import { beforeAll, describe, expect, it } from 'vitest';
import { createLocalJWKSet } from 'jose';
import { MAX_CANDIDATES, verifyAgainstKeySet } from '../../../filters/auth/candidate-keys.js';
import { signingKey, token, type SigningKey } from './jwt-fixtures.js';

// ES256: what is tested does not depend on the algorithm, and eleven RSA key pairs took seconds
const options = { algorithms: ['ES256'] };
let rotating: SigningKey;
let previous: SigningKey;
let forger: SigningKey;
beforeAll(async () => {
  rotating = await signingKey('k', 'ES256');
  previous = await signingKey('k', 'ES256'); // the same kid: an issuer rotating keys in place
  forger = await signingKey('k', 'ES256');
});

async function outcome(keys: SigningKey[], jwt: string): Promise<string> {
  try {
    const { payload } = await verifyAgainstKeySet(jwt, createLocalJWKSet({ keys: keys.map((k) => k.jwk) }), options);
    return `ok ${String(payload.sub)}`;
  } catch (err) {
    return (err as Error).name;
  }
}

describe('verifyAgainstKeySet', () => {
  it('verifies with whichever of two keys under one kid signed the token, in either order', async () => {
    expect(await outcome([previous, rotating], await token(rotating, { sub: 'new' }))).toBe('ok new');
    expect(await outcome([previous, rotating], await token(previous, { sub: 'old' }))).toBe('ok old');
    expect(await outcome([rotating, previous], await token(previous, { sub: 'old' }))).toBe('ok old');
  });

  it('tries every key for a token without kid', async () => {
    expect(await outcome([previous, rotating], await token(rotating, { sub: 'no-kid' }, { kid: null }))).toBe('ok no-kid');
  });

  it('refuses a token none of the matching keys verifies', async () => {
    expect(await outcome([previous, rotating], await token(forger, { sub: 'forged' }))).toBe('JWSSignatureVerificationFailed');
  });

  it('keeps the token’s own failure once a key verifies its signature', async () => {
    expect(await outcome([previous, rotating], await token(rotating, { sub: 'late' }, { exp: -120 }))).toBe('JWTExpired');
  });

  it('is plain jwtVerify when one key matches', async () => {
    expect(await outcome([rotating], await token(rotating, { sub: 'one' }))).toBe('ok one');
    expect(await outcome([rotating], await token(forger, { sub: 'forged' }))).toBe('JWSSignatureVerificationFailed');
  });

  it('tries no more than MAX_CANDIDATES keys', async () => {
    const others = await Promise.all(Array.from({ length: MAX_CANDIDATES }, () => signingKey('k', 'ES256')));
    expect(await outcome([...others.slice(0, MAX_CANDIDATES - 1), rotating], await token(rotating, { sub: 'last' }))).toBe('ok last');
    expect(await outcome([...others, rotating], await token(rotating, { sub: 'past' }))).toBe('JWSSignatureVerificationFailed');
  });
});
