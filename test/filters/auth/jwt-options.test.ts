/**
 * The JWT configuration argument (URL, key=value and JSON forms) and locally given keys: PEM,
 * JWK, key files and HMAC secrets, with the algorithm rules that keep key confusion out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportPKCS8, SignJWT } from 'jose';
import type { Filter } from '../../../src/spec.js';
import { parseJwtOptions, verifierKey } from '../../../filters/auth/jwt-options.js';
import { ASYMMETRIC_ALGORITHMS } from '../../../filters/auth/algorithms.js';
import { jwtClaimToHeader } from '../../../filters/auth/jwt-claim-to-header.js';
import { filterContext } from '../../helpers/filter-context.js';
import { nowSec, signingKey, token, type SigningKey } from './jwt-fixtures.js';

let dir: string;
let rsa: SigningKey;
let ed: SigningKey;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'skiff-jwt-'));
  rsa = await signingKey('r', 'RS256');
  ed = await signingKey('e', 'EdDSA');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function fails(text: string, message: RegExp): void {
  expect(() => parseJwtOptions(text)).toThrow(message);
}

describe('parseJwtOptions', () => {
  it('takes a bare URL as a JWKS with safe defaults', () => {
    const o = parseJwtOptions('https://idp.example/keys');
    expect(o.source).toEqual({ kind: 'jwks', url: 'https://idp.example/keys' });
    expect(o.algorithms).toEqual(ASYMMETRIC_ALGORITHMS);
    expect(o.algorithms).not.toContain('HS256');
    expect(o.requiredClaims).toEqual(['exp']);
    expect(o.required).toBe(true);
    expect(o.issuer).toBeUndefined();
    expect(o.cacheTtlMs).toBe(60_000);
  });

  it('reads key=value lists and JSON alike', () => {
    const kv = parseJwtOptions('jwks=https://idp.example/keys issuer=https://idp.example audience=a,b algorithms=RS256,ES256 mode=optional clockTolerance=30s cacheTtl=5m requiredClaims=sub typ=at+jwt');
    const js = parseJwtOptions(JSON.stringify({
      jwks: 'https://idp.example/keys', issuer: 'https://idp.example', audience: ['a', 'b'], algorithms: ['RS256', 'ES256'],
      mode: 'optional', clockTolerance: 30, cacheTtl: '5m', requiredClaims: ['sub'], typ: 'at+jwt',
    }));
    for (const o of [kv, js]) {
      expect(o.issuer).toEqual(['https://idp.example']);
      expect(o.audience).toEqual(['a', 'b']);
      expect(o.algorithms).toEqual(['RS256', 'ES256']);
      expect(o.required).toBe(false);
      expect(o.clockToleranceSec).toBe(30);
      expect(o.cacheTtlMs).toBe(300_000);
      expect(o.requiredClaims).toEqual(['exp', 'sub']);
      expect(o.typ).toBe('at+jwt');
    }
    expect(verifierKey(kv)).toBe(verifierKey(js));
  });

  it('defaults the issuer to the OIDC issuer', () => {
    expect(parseJwtOptions('oidc=https://idp.example').issuer).toEqual(['https://idp.example']);
  });

  it('refuses unsafe or unclear configurations', () => {
    fails('jwks=https://a/keys algorithms=none', /never accepted/);
    fails('jwks=https://a/keys algorithms=RS256,NONE', /never accepted/);
    fails('jwks=https://a/keys algorithms=HS256', /needs a shared secret/);
    fails(`secret=${'x'.repeat(32)} algorithms=RS256`, /only HS256/);
    fails(`secret=${'x'.repeat(31)}`, /at least 32 bytes/);
    fails(`secret=${'x'.repeat(40)} algorithms=HS512`, /at least 64 bytes/);
    fails('jwks=https://a/keys oidc=https://a', /exactly one/);
    fails('issuer=https://a', /exactly one/);
    fails('jwks=https://a/keys jwks=https://b/keys', /twice/);
    fails('jwks=https://a/keys foo=bar', /unknown option/);
    fails('jwks=https://a/keys mode=maybe', /mode/);
    fails('jwks=https://a/keys cacheTtl=forever', /cacheTtl/);
    fails('jwks=https://a/keys cacheSize=0', /cacheSize/);
    fails('jwks=ftp://a/keys', /http/);
    fails('jwks=https://user:pw@a/keys', /credentials/);
    fails('jwks=https://a/keys algorithms=XS256', /unknown algorithm/);
    fails('{"jwks": 1', /JSON/);
    fails('{"jwks": {"url": "x"}}', /expected a string/);
    fails('just words', /key=value/);
  });
});

describe('local keys', () => {
  const created: Filter[] = [];
  afterAll(() => created.forEach((f) => f.close?.()));

  async function header(config: string, jwt: string): Promise<string | number> {
    const f = jwtClaimToHeader.create([config, 'sub', 'X-User']);
    created.push(f);
    const ctx = filterContext({ headers: { authorization: `Bearer ${jwt}` } });
    await f.request!(ctx);
    return ctx.reply?.status ?? (ctx.outgoing.headers['x-user'] as string);
  }

  it('verifies with a PEM public key from a file, and refuses HS256 made from that PEM', async () => {
    const file = join(dir, 'rsa.pem');
    await writeFile(file, rsa.spki);
    expect(await header(`keyFile=${file}`, await token(rsa, { sub: 'pem-user' }))).toBe('pem-user');
    const confused = await new SignJWT({ sub: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(nowSec() + 60).sign(new TextEncoder().encode(rsa.spki));
    expect(await header(`keyFile=${file}`, confused)).toBe(401);
  });

  it('verifies with an inline JWK (JSON form) and an EdDSA key', async () => {
    const config = JSON.stringify({ key: JSON.stringify(ed.jwk) });
    expect(await header(config, await token(ed, { sub: 'ed-user' }))).toBe('ed-user');
    expect(await header(config, await token(rsa, { sub: 'other' }))).toBe(401);
  });

  it('verifies HS256 with a secret file (trailing newline dropped), and nothing else', async () => {
    const secret = 'correct horse battery staple, 32+ bytes long';
    const file = join(dir, 'secret');
    await writeFile(file, `${secret}\n`);
    const hs = await new SignJWT({ sub: 'hs-user' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(nowSec() + 60).sign(new TextEncoder().encode(secret));
    expect(await header(`secretFile=${file}`, hs)).toBe('hs-user');
    const wrong = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(nowSec() + 60).sign(new TextEncoder().encode(`${secret}!`));
    expect(await header(`secretFile=${file}`, wrong)).toBe(401);
    expect(await header(`secretFile=${file}`, await token(rsa, { sub: 'rsa' }))).toBe(401);
  });

  it('refuses private keys, symmetric JWKs, unreadable files and junk', async () => {
    const pkcs8 = await exportPKCS8(rsa.privateKey);
    const privateFile = join(dir, 'private.pem');
    await writeFile(privateFile, pkcs8);
    fails(`keyFile=${privateFile}`, /private key/);
    fails(JSON.stringify({ key: JSON.stringify({ kty: 'oct', k: 'c2VjcmV0' }) }), /secret/);
    fails(JSON.stringify({ key: JSON.stringify({ ...rsa.jwk, d: 'AAAA' }) }), /private key/);
    fails(`keyFile=${join(dir, 'missing.pem')}`, /cannot read/);
    fails(JSON.stringify({ key: '-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----' }), /PEM/);
    fails('key=hello', /neither PEM nor JSON/);
  });
});
