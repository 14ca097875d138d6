/**
 * jwtVerify against a key set, trying each key when several match the token's header. jose does
 * not choose between them (two keys under one `kid` while an issuer rotates, or a token without
 * `kid` and a set holding several keys of its type) and leaves the trying to the caller: without
 * this, every such token was refused although one of the keys verifies it. At most
 * MAX_CANDIDATES are tried: a token without `kid` must not cost a signature check for every key of
 * a large set (issuers publish two or three).
 */
import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';

export const MAX_CANDIDATES = 8;

export async function verifyAgainstKeySet(token: string, getKey: JWTVerifyGetKey, options: JWTVerifyOptions): Promise<{ payload: JWTPayload }> {
  try {
    return await jwtVerify(token, getKey, options);
  } catch (err) {
    if (!(err instanceof errors.JWKSMultipleMatchingKeys)) throw err;
    // The candidates come imported; one that cannot be imported is skipped by jose.
    let tried = 0;
    for await (const key of err) {
      if (++tried > MAX_CANDIDATES) break;
      try {
        return await jwtVerify(token, key, options);
      } catch (inner) {
        // another key may be the one; any other failure (expired, wrong audience) is the token's
        if (!(inner instanceof errors.JWSSignatureVerificationFailed)) throw inner;
      }
    }
    throw new errors.JWSSignatureVerificationFailed();
  }
}
