/**
 * The remote key set behind the JWT filters: keys survive an outage of the JWKS endpoint and
 * fetched sets without a usable key, unknown `kid`s (and kids whose key cannot verify) fetch at
 * most once per cooldown, rotated-in keys are picked up, concurrent fetches merge, a set that
 * never loaded refuses tokens (fail closed), and a failed fetch from a discovered jwks_uri runs
 * discovery again.
 */
import http from 'node:http';
import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, jwtVerify, type JWK } from 'jose';
import { jwksAt, jwksByDiscovery, KeysUnavailableError } from '../../../filters/auth/remote-key-set.js';
import { setKeySetLogger } from '../../../filters/auth/key-set-log.js';
import { verifyAgainstKeySet } from '../../../filters/auth/candidate-keys.js';
import { silentLogger } from '../../../src/log.js';
import { jwtClaimToHeader } from '../../../filters/auth/jwt-claim-to-header.js';
import type { Filter } from '../../../src/spec.js';
import { filterContext } from '../../helpers/filter-context.js';
import { KeyServer, signingKey, sleep, token, type SigningKey } from './jwt-fixtures.js';

let k1: SigningKey;
let k2: SigningKey;
let server: KeyServer | undefined;
const created: Filter[] = [];
/** An RSA key of 1024 bits: it imports, and jose refuses it only when it verifies a signature. */
let weak: JWK;
const warnings: { msg: string; fields: Record<string, unknown> | undefined }[] = [];

beforeAll(async () => {
  k1 = await signingKey('k1');
  k2 = await signingKey('k2', 'ES256');
  weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' }) as JWK;
  setKeySetLogger({ debug() {}, info() {}, warn: (msg, fields) => void warnings.push({ msg, fields }), error() {} });
});
afterAll(() => setKeySetLogger(silentLogger));
afterEach(async () => {
  for (const f of created.splice(0)) f.close?.();
  await server?.close();
  server = undefined;
  warnings.length = 0;
});

const opts = (o: Partial<{ refreshMs: number; cooldownMs: number; timeoutMs: number }> = {}) => ({
  refreshMs: 600_000,
  cooldownMs: 30_000,
  timeoutMs: 2000,
  ...o,
});

async function verifies(getKey: Parameters<typeof jwtVerify>[1], jwt: string): Promise<boolean | string> {
  try {
    await jwtVerify(jwt, getKey as never, { algorithms: ['RS256', 'ES256'] });
    return true;
  } catch (err) {
    return (err as Error).name;
  }
}

describe('RemoteKeySet', () => {
  it('keeps the last good keys when the endpoint goes down after the first fetch', async () => {
    server = await KeyServer.start([k1]);
    const set = jwksAt(server.jwksUrl, opts({ refreshMs: 1, cooldownMs: 0 }));
    expect(await verifies(set.getKey, await token(k1, { sub: 'a' }))).toBe(true);
    expect(server.jwksFetches).toBe(1);

    for (const mode of ['error', 'reset'] as const) {
      server.goDown(mode);
      await sleep(5);
      // stale keys: each use starts a background refresh, which fails; the old keys still verify
      for (let i = 0; i < 3; i++) {
        expect(await verifies(set.getKey, await token(k1, { sub: `fresh-${mode}-${i}` }))).toBe(true);
        await sleep(20);
      }
    }
    const stats = set.stats();
    expect(stats.errors).toBeGreaterThanOrEqual(2);
    expect(stats.lastError).not.toBeNull();
    expect(stats.ageMs).toBeGreaterThan(0);
  });

  it('unlike jose createRemoteJWKSet, which rejects valid tokens once its cache is old and the endpoint is down', async () => {
    const { createRemoteJWKSet } = await import('jose');
    server = await KeyServer.start([k1]);
    const joseSet = createRemoteJWKSet(new URL(server.jwksUrl), { cacheMaxAge: 1, cooldownDuration: 0 });
    expect(await verifies(joseSet, await token(k1, { sub: 'a' }))).toBe(true);
    server.goDown('error');
    await sleep(5);
    expect(await verifies(joseSet, await token(k1, { sub: 'b' }))).not.toBe(true);
    const ours = jwksAt(server.jwksUrl, opts({ refreshMs: 1, cooldownMs: 0 }));
    server.mode = 'up';
    expect(await verifies(ours.getKey, await token(k1, { sub: 'a' }))).toBe(true);
    server.goDown('error');
    await sleep(5);
    expect(await verifies(ours.getKey, await token(k1, { sub: 'b' }))).toBe(true);
  });

  it('fetches at most once per cooldown for unknown kids', async () => {
    server = await KeyServer.start([k1]);
    const set = jwksAt(server.jwksUrl, opts({ cooldownMs: 30_000 }));
    expect(await verifies(set.getKey, await token(k1, { sub: 'a' }))).toBe(true);
    const results = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => verifies(set.getKey, await token(k1, { sub: 'x' }, { kid: `random-${i}` }))),
    );
    expect(results.every((r) => r === 'JWKSNoMatchingKey')).toBe(true);
    expect(server.jwksFetches).toBe(1);
  });

  it('picks up a key rotated in, once the cooldown allows a fetch', async () => {
    server = await KeyServer.start([k1]);
    // Both verifications below must fall inside the cooldown that the first fetch starts: the
    // tokens are signed beforehand, and the cooldown leaves room for a loaded machine.
    const set = jwksAt(server.jwksUrl, opts({ cooldownMs: 300 }));
    const first = await token(k1, { sub: 'a' });
    const rotated = await token(k2, { sub: 'b' });
    expect(await verifies(set.getKey, first)).toBe(true);
    server.keys = [k1.jwk, k2.jwk];
    // within the cooldown the new kid is unknown and no fetch happens
    expect(await verifies(set.getKey, rotated)).toBe('JWKSNoMatchingKey');
    expect(server.jwksFetches).toBe(1);
    await sleep(320);
    expect(await verifies(set.getKey, rotated)).toBe(true);
    expect(server.jwksFetches).toBe(2);
    // a key removed from the set stops verifying after the next refresh
    server.keys = [k2.jwk];
    await sleep(320);
    expect(await verifies(set.getKey, await token(k1, { sub: 'c' }, { kid: 'k1-gone' }))).toBe('JWKSNoMatchingKey');
    expect(await verifies(set.getKey, await token(k1, { sub: 'c' }))).toBe('JWKSNoMatchingKey');
  });

  it('fetches again for a known kid whose key cannot be used, once the cooldown allows', async () => {
    server = await KeyServer.start([k1]);
    const { n: _n, ...withoutModulus } = k1.jwk;
    // (a kid given twice is no such case: the verifier tries both keys, see candidate-keys.ts)
    const broken = [withoutModulus, [{ ...k1.jwk, d: 'AQAB' }]];
    for (const [i, keys] of broken.entries()) {
      // a set served broken (no modulus, a private key), then repaired
      server.keys = (Array.isArray(keys) ? keys : [keys]) as typeof server.keys;
      const set = jwksAt(server.jwksUrl, opts({ cooldownMs: 100 }));
      const jwt = await token(k1, { sub: `case-${i}` });
      expect(await verifies(set.getKey, jwt), `case ${i}`).not.toBe(true);
      server.keys = [k1.jwk];
      await sleep(120);
      expect(await verifies(set.getKey, jwt), `case ${i}`).toBe(true);
      expect(set.stats().fetches, `case ${i}`).toBe(2);
    }
  });

  it('keeps the last good keys when a fetched set holds no usable key, and counts and logs it', async () => {
    server = await KeyServer.start([k1]);
    const set = jwksAt(server.jwksUrl, opts({ cooldownMs: 100 }));
    expect(await verifies(set.getKey, await token(k1, { sub: 'a' }))).toBe(true);
    const { n: _n, ...withoutModulus } = k1.jwk;
    const useless: Record<string, JWK[]> = {
      empty: [],
      'no modulus': [withoutModulus],
      private: [{ ...(await exportJWK(k1.privateKey)), kid: 'k1', alg: 'RS256' }],
      symmetric: [{ kty: 'oct', kid: 'k1', k: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA' }],
      'unknown kty': [{ ...k1.jwk, kty: 'XYZ' }],
      'encryption only': [{ ...k1.jwk, alg: 'RSA-OAEP', use: 'enc' }],
      'alg not accepted': [{ ...k1.jwk, alg: 'HS256' }],
      'kid not a string': [{ ...k1.jwk, kid: 1 as unknown as string }],
      'too weak': [{ ...weak, kid: 'k1', alg: 'RS256' }],
    };
    let errorsBefore = set.stats().errors;
    const reasons: (string | null)[] = [];
    for (const [name, keys] of Object.entries(useless)) {
      server.keys = keys;
      await sleep(120);
      // a kid the set does not hold makes it fetch now
      const fetches = server.jwksFetches;
      expect(await verifies(set.getKey, await token(k1, { sub: 'x' }, { kid: 'rotated-in' })), name).toBe('JWKSNoMatchingKey');
      expect(server.jwksFetches, name).toBe(fetches + 1);
      expect(await verifies(set.getKey, await token(k1, { sub: name })), name).toBe(true);
      const stats = set.stats();
      expect(stats.errors, name).toBe(errorsBefore + 1);
      expect(stats.lastError, name).toContain('no usable key');
      errorsBefore = stats.errors;
      reasons.push(stats.lastError);
    }
    // one warning, with the reason; the next ones within the minute are only counted
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.fields).toEqual({ keySet: `jwks ${server.jwksUrl}`, error: reasons[0], keys: 'kept', failures: 1 });
    expect(reasons[0]).toBe(`${server.jwksUrl}: no usable key in an empty set`);
    expect(reasons.at(-1)).toBe(`${server.jwksUrl}: no usable key (kid "k1": RS256 requires key modulusLength to be 2048 bits or larger)`);

    // a set with a usable key (beside a broken one) replaces the old one: k1, no longer in it, stops verifying
    server.keys = [k2.jwk, { ...withoutModulus, kid: 'broken' }];
    await sleep(120);
    expect(await verifies(set.getKey, await token(k2, { sub: 'rotated' }))).toBe(true);
    expect(await verifies(set.getKey, await token(k1, { sub: 'gone' }))).toBe('JWKSNoMatchingKey');
    expect(set.stats().lastError).toBeNull();
  });

  it('has no keys while the only sets fetched are useless, and takes the first good one', async () => {
    server = await KeyServer.start([]);
    const set = jwksAt(server.jwksUrl, opts({ cooldownMs: 100 }));
    const jwt = await token(k1, { sub: 'a' });
    expect(await verifies(set.getKey, jwt)).toBe('KeysUnavailableError');
    expect(set.stats()).toMatchObject({ fetches: 1, errors: 1, ageMs: null });
    expect(set.stats().lastError).toContain('no usable key');
    expect(warnings.at(-1)?.fields).toMatchObject({ keys: 'none' });
    server.keys = [k1.jwk];
    await sleep(120);
    expect(await verifies(set.getKey, jwt)).toBe(true);
  });

  it('fetches again, after the cooldown, for a kid whose key imports but is too weak to verify', async () => {
    server = await KeyServer.start([]);
    // the set is in use (k2 is fine), but k1's key is an RSA key of 1024 bits
    server.keys = [{ ...weak, kid: 'k1', alg: 'RS256' }, k2.jwk];
    const set = jwksAt(server.jwksUrl, opts({ cooldownMs: 100 }));
    const jwt = await token(k1, { sub: 'weak' });
    expect(await verifies(set.getKey, jwt)).not.toBe(true);
    expect(await verifies(set.getKey, await token(k2, { sub: 'other' }))).toBe(true);
    server.keys = [k1.jwk, k2.jwk];
    await sleep(120);
    // before, the weak key stayed until the stale refresh (jwksRefresh, 10 minutes by default)
    expect(await verifies(set.getKey, jwt)).toBe(true);
    expect(server.jwksFetches).toBe(2);
  });

  it('does not let a weak key under the token\'s kid hide the key that signed it', async () => {
    server = await KeyServer.start([]);
    server.keys = [{ ...weak, kid: 'k1', alg: 'RS256' }, k1.jwk];
    const set = jwksAt(server.jwksUrl, opts());
    const { payload } = await verifyAgainstKeySet(await token(k1, { sub: 'beside' }), set.getKey, { algorithms: ['RS256'] });
    expect(payload.sub).toBe('beside');
  });

  it('stops reading a body at the 1 MiB cap instead of at the timeout', async () => {
    // an endless chunked body: before, all of it was buffered until the timeout ended the fetch
    const endless = http.createServer((_req, res) => {
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = (): void => {
        while (!res.destroyed) if (!res.write(chunk)) return void res.once('drain', pump);
      };
      res.on('error', () => undefined);
      res.writeHead(200, { 'content-type': 'application/json' });
      pump();
    });
    await new Promise<void>((r) => endless.listen(0, '127.0.0.1', r));
    try {
      const set = jwksAt(`http://127.0.0.1:${(endless.address() as AddressInfo).port}/keys`, opts({ timeoutMs: 5000 }));
      const started = Date.now();
      expect(await verifies(set.getKey, await token(k1, { sub: 'a' }))).toBe('KeysUnavailableError');
      expect(Date.now() - started).toBeLessThan(2500);
      expect(set.stats().lastError).toContain('body over 1048576 bytes');
    } finally {
      endless.closeAllConnections();
      await new Promise((r) => endless.close(r));
    }
  });

  it('merges concurrent first fetches into one', async () => {
    server = await KeyServer.start([k1]);
    const set = jwksAt(server.jwksUrl, opts());
    const jwt = await token(k1, { sub: 'a' });
    const results = await Promise.all(Array.from({ length: 20 }, () => verifies(set.getKey, jwt)));
    expect(results.every((r) => r === true)).toBe(true);
    expect(server.jwksFetches).toBe(1);
  });

  it('refuses tokens while it has never had keys, without fetching on every request', async () => {
    server = await KeyServer.start([k1]);
    server.goDown('error');
    const set = jwksAt(server.jwksUrl, opts({ cooldownMs: 30_000 }));
    const jwt = await token(k1, { sub: 'a' });
    let thrown: unknown;
    try {
      await set.getKey({ alg: 'RS256', kid: 'k1' }, { payload: '', signature: '' });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(KeysUnavailableError);
    server.mode = 'up';
    for (let i = 0; i < 5; i++) expect(await verifies(set.getKey, jwt)).not.toBe(true);
    expect(set.stats().fetches).toBe(1);
  });

  it('finds the key set through OpenID discovery, and refuses a document naming another issuer', async () => {
    server = await KeyServer.start([k1]);
    const set = jwksByDiscovery(server.url, opts());
    expect(await verifies(set.getKey, await token(k1, { sub: 'a' }))).toBe(true);
    expect(server.discoveryFetches).toBe(1);
    expect(server.jwksFetches).toBe(1);

    server.advertisedIssuer = 'https://someone-else.example';
    const misled = jwksByDiscovery(`${server.url}/`, opts());
    expect(await verifies(misled.getKey, await token(k1, { sub: 'a' }))).toBe('KeysUnavailableError');
    expect(misled.stats().lastError).toContain('issuer');
  });

  it('runs discovery again after a failed fetch from the jwks_uri it found, and not while fetches work', async () => {
    const leftBehind: Record<string, (req: http.IncomingMessage, res: http.ServerResponse) => void> = {
      '404': (_req, res) => void res.writeHead(404).end(),
      reset: (req) => void req.socket.destroy(),
      'no usable key': (_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":[]}'),
    };
    for (const [i, [name, answer]] of Object.entries(leftBehind).entries()) {
      server = await KeyServer.start([k1]);
      const set = jwksByDiscovery(server.url, opts({ cooldownMs: 100 }));
      expect(await verifies(set.getKey, await token(k1, { sub: 'a' })), name).toBe(true);
      // working fetches (an unknown kid, after the cooldown) do not look again
      await sleep(120);
      expect(await verifies(set.getKey, await token(k1, { sub: 'b' }, { kid: 'unknown' })), name).toBe('JWKSNoMatchingKey');
      expect([server.discoveryFetches, server.jwksFetches], name).toEqual([1, 2]);

      // the issuer moves its keys and rotates in k2; the old jwks_uri answers as `name`
      server.jwksPath = `/keys-${i}`;
      server.keys = [k1.jwk, k2.jwk];
      server.elsewhere = answer;
      await sleep(120);
      const rotated = await token(k2, { sub: 'c' });
      expect(await verifies(set.getKey, rotated), name).not.toBe(true);
      expect(server.elsewhereFetches, name).toBe(1);
      expect(await verifies(set.getKey, await token(k1, { sub: 'kept' })), name).toBe(true);
      await sleep(120);
      expect(await verifies(set.getKey, rotated), name).toBe(true);
      expect([server.discoveryFetches, server.elsewhereFetches], name).toEqual([2, 1]);
      await server.close();
      server = undefined;
    }
  });
});

describe('through the filter', () => {
  it('a filter keeps accepting fresh tokens while the JWKS endpoint is down', async () => {
    server = await KeyServer.start([k1]);
    const f = jwtClaimToHeader.create([`jwks=${server.jwksUrl} jwksRefresh=1ms jwksCooldown=0s`, 'sub', 'X-User']);
    created.push(f);
    const call = async (sub: string): Promise<string | undefined> => {
      const ctx = filterContext({ headers: { authorization: `Bearer ${await token(k1, { sub })}` } });
      await f.request!(ctx);
      return ctx.reply === undefined ? (ctx.outgoing.headers['x-user'] as string) : `status ${ctx.reply.status}`;
    };
    expect(await call('before')).toBe('before');
    server.goDown('reset');
    for (let i = 0; i < 3; i++) {
      expect(await call(`during-${i}`)).toBe(`during-${i}`);
      await sleep(10);
    }
  });
});
