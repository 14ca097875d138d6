/**
 * Which keys of a fetched JWKS can verify a token. jose picks a key for a token by its kty, alg,
 * use, key_ops and crv, but imports it only when a token asks for it, and refuses some keys only
 * then (bad or private key material) or later still, in the signature check, after the set has
 * handed the key out (an RSA key under 2048 bits). The remote key set (remote-key-set.ts) asks
 * here at fetch time, before the keys in use are replaced: a set in which no key passes is a
 * failed fetch, not a new set, and of a new set only the keys that pass are kept, so that a
 * token whose kid names an unusable key is a kid the set does not know.
 */
import { compactVerify, createLocalJWKSet, errors, type JSONWebKeySet, type JWK } from 'jose';

export interface SortedKeys {
  readonly usable: JWK[];
  /** Why the first unusable key cannot be used, for the log; null when every key can. */
  readonly problem: string | null;
}

/**
 * Keys are looked at in groups this large, with a turn of the event loop in between: a 1 MiB set
 * can hold thousands of keys, each an import, and requests must not wait for them all.
 */
const BATCH = 32;

/**
 * Keys looked at per set; the rest are left out. Identity providers publish a handful (two or
 * three during a rotation); without a cap, a hostile 1 MiB set of ~30,000 tiny keys would cost
 * one or two seconds of CPU on every fetch.
 */
export const MAX_KEYS = 100;

export async function sortKeys(set: JSONWebKeySet, algorithms: readonly string[]): Promise<SortedKeys> {
  const usable: JWK[] = [];
  let problem: string | null = null;
  const keys = set.keys.length > MAX_KEYS ? set.keys.slice(0, MAX_KEYS) : set.keys;
  if (keys !== set.keys) problem = `the set holds ${set.keys.length} keys; only the first ${MAX_KEYS} are used`;
  for (const [i, jwk] of keys.entries()) {
    if (i > 0 && i % BATCH === 0) await new Promise((resolve) => setImmediate(resolve));
    const why = await problemOf(jwk, algorithms);
    if (why === null) usable.push(jwk);
    else problem ??= `${typeof jwk.kid === 'string' ? `kid ${JSON.stringify(jwk.kid.slice(0, 64))}` : `key ${i}`}: ${why}`;
  }
  return { usable, problem };
}

/** Null when the key verifies tokens of one of `algorithms`; otherwise why it does not. */
async function problemOf(jwk: JWK, algorithms: readonly string[]): Promise<string | null> {
  // jose would pick such a key only for tokens without a kid (RFC 7517 §4.5: a string)
  if (jwk.kid !== undefined && typeof jwk.kid !== 'string') return 'its kid is not a string';
  const one = createLocalJWKSet({ keys: [jwk] });
  for (const alg of algorithms) {
    let key: Awaited<ReturnType<typeof one>>;
    try {
      key = await one({ alg }, { payload: '', signature: '' });
    } catch (err) {
      // not a key jose picks for this algorithm (another kty, alg, use or curve): the next one
      if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JOSENotSupported) continue;
      return messageOf(err);
    }
    // Only the first algorithm that picks the key is tried: what fails (material, a private key,
    // too few bits) is the key's own and fails the same for the others.
    return refusal(key, alg);
  }
  return `not a signing key for ${algorithms.join(', ')}`;
}

/**
 * A made-up signature checked with the key: a usable key fails it as a wrong signature, a key
 * jose will not verify with fails it otherwise. Asking jose rather than repeating its rules (the
 * 2048 bits of RSA) keeps the two from drifting apart.
 */
async function refusal(key: Parameters<typeof compactVerify>[1], alg: string): Promise<string | null> {
  const jws = `${Buffer.from(JSON.stringify({ alg })).toString('base64url')}.e30.AAAA`;
  try {
    await compactVerify(jws, key, { algorithms: [alg] });
  } catch (err) {
    return err instanceof errors.JWSSignatureVerificationFailed ? null : messageOf(err);
  }
  return 'it verifies a made-up signature';
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
