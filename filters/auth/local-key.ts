/**
 * Verification keys given with the route instead of fetched: a PEM public key or certificate,
 * a JWK or a JWK set (JSON), or an HMAC secret. Read once at build time; a private key is
 * refused, since routes and their files should never have to hold one.
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';

export type LocalKey =
  | { readonly kind: 'public'; readonly key: KeyObject; readonly fingerprint: string }
  | { readonly kind: 'local-jwks'; readonly getKey: JWTVerifyGetKey; readonly fingerprint: string }
  | { readonly kind: 'secret'; readonly secret: Uint8Array; readonly fingerprint: string };

function fingerprint(material: string | Uint8Array): string {
  return createHash('sha256').update(material).digest('base64url');
}

/** Parses a public key given as PEM or JSON (a JWK or `{ "keys": [...] }`); throws Error with a reason. */
export function parsePublicKey(text: string): LocalKey {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      throw new Error('the key is not valid JSON');
    }
    const set = (isObject(json) && Array.isArray(json.keys) ? json : { keys: [json] }) as unknown as JSONWebKeySet;
    for (const jwk of set.keys) {
      if (!isObject(jwk) || typeof jwk.kty !== 'string') throw new Error('a JWK needs a "kty"');
      if (jwk.kty === 'oct') throw new Error('a symmetric JWK is a secret: give it as secret or secretFile');
      if ('d' in jwk) throw new Error('the JWK is a private key: give only the public part');
    }
    let getKey: JWTVerifyGetKey;
    try {
      getKey = createLocalJWKSet(set);
    } catch (err) {
      throw new Error(`not a usable JWK set: ${(err as Error).message}`);
    }
    return { kind: 'local-jwks', getKey, fingerprint: fingerprint(trimmed) };
  }
  if (trimmed.includes('PRIVATE KEY-----')) throw new Error('the PEM is a private key: give the public key or certificate');
  if (!trimmed.startsWith('-----BEGIN ')) throw new Error('the key is neither PEM nor JSON');
  let key: KeyObject;
  try {
    key = createPublicKey(trimmed);
  } catch (err) {
    throw new Error(`not a usable PEM public key or certificate: ${(err as Error).message}`);
  }
  return { kind: 'public', key, fingerprint: fingerprint(trimmed) };
}

/** An HMAC secret: its UTF-8 bytes. */
export function parseSecret(text: string): LocalKey {
  const secret = new TextEncoder().encode(text);
  return { kind: 'secret', secret, fingerprint: fingerprint(secret) };
}

/**
 * Reads a key or secret file. A trailing line break is dropped from secrets, as files written
 * with `echo` or mounted from a Kubernetes Secret created from one often end with it.
 */
export function readKeyFile(path: string, secret: boolean): LocalKey {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return secret ? parseSecret(text.replace(/\r?\n$/, '')) : parsePublicKey(text);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
