/**
 * The JWS algorithms a JWT filter may accept. The default is the asymmetric set; `none` is
 * never accepted, and the HMAC algorithms only with a local shared secret (a public key used
 * as an HMAC secret is the classic key-confusion attack).
 */
export const ASYMMETRIC_ALGORITHMS: readonly string[] = Object.freeze([
  'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519',
]);

export const HMAC_ALGORITHMS: readonly string[] = Object.freeze(['HS256', 'HS384', 'HS512']);

/** RFC 7518 §3.2: an HMAC key at least as long as the hash output. */
export function minimumSecretBytes(algorithms: readonly string[]): number {
  let bytes = 0;
  for (const alg of algorithms) bytes = Math.max(bytes, Number(alg.slice(2)) / 8);
  return bytes;
}

export function isHmac(alg: string): boolean {
  return HMAC_ALGORITHMS.includes(alg);
}

export function isKnownAlgorithm(alg: string): boolean {
  return ASYMMETRIC_ALGORITHMS.includes(alg) || HMAC_ALGORITHMS.includes(alg);
}
