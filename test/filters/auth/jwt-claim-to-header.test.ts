/**
 * jwtClaimToHeader against a JWKS served on loopback: only properly signed, unexpired tokens of
 * the configured issuer and audience set headers; every forged, confused, stale or injected
 * token gets 401 (or no header in optional mode); client-sent copies of the headers never pass.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CompactSign, SignJWT } from 'jose';
import type { Filter } from '../../../src/spec.js';
import { jwtClaimToHeader, JwtClaimToHeaderFilter } from '../../../filters/auth/jwt-claim-to-header.js';
import { AUTH_USER_STATE_KEY, TOKEN_STATE_KEY } from '../../../filters/auth/token-state.js';
import { filterContext, type TestContextInit, type TestFilterContext } from '../../helpers/filter-context.js';
import { expectInvalidArgs } from '../expect-invalid.js';
import { KeyServer, nowSec, signingKey, sleep, tamper, token, unsignedToken, type SigningKey } from './jwt-fixtures.js';

let rsa: SigningKey;
let ec: SigningKey;
let outsider: SigningKey;
let keys: KeyServer;
const created: Filter[] = [];

beforeAll(async () => {
  rsa = await signingKey('rsa-1', 'RS256');
  ec = await signingKey('ec-1', 'ES256');
  outsider = await signingKey('rsa-1', 'RS256'); // same kid, different key: a forger's
  keys = await KeyServer.start([rsa, ec]);
});
afterAll(async () => {
  await keys.close();
});
afterEach(() => {
  for (const f of created.splice(0)) f.close?.();
});

const ISS = 'https://idp.example';
const AUD = 'shop-api';

function filter(config: string, ...pairs: string[]): Filter {
  const f = jwtClaimToHeader.create([config, ...(pairs.length > 0 ? pairs : ['sub', 'X-User-Id'])]);
  created.push(f);
  return f;
}

/** A configuration unique to the test, so that no other test's cached tokens are shared. */
let n = 0;
function config(extra = ''): string {
  return `jwks=${keys.jwksUrl} issuer=${ISS} audience=${AUD} cacheSize=${1000 + ++n} ${extra}`;
}

async function run(f: Filter, init: TestContextInit & { bearer?: string } = {}): Promise<TestFilterContext> {
  const headers = { ...(init.headers ?? {}) };
  if (init.bearer !== undefined) headers.authorization = `Bearer ${init.bearer}`;
  const ctx = filterContext({ ...init, headers });
  await f.request!(ctx);
  return ctx;
}

const good = (key: SigningKey = rsa, claims: Record<string, unknown> = { sub: 'alice' }, o = {}): Promise<string> =>
  token(key, claims, { iss: ISS, aud: AUD, ...o });

describe('valid tokens', () => {
  it('sets the header from the verified claim and records the claims in the state bag', async () => {
    const f = filter(config());
    for (const key of [rsa, ec]) {
      const ctx = await run(f, { bearer: await good(key) });
      expect(ctx.reply).toBeUndefined();
      expect(ctx.outgoing.headers['x-user-id']).toBe('alice');
      expect((ctx.state.get(TOKEN_STATE_KEY) as { claims: { sub: string } }).claims.sub).toBe('alice');
      expect(ctx.state.get(AUTH_USER_STATE_KEY)).toBe('alice');
    }
  });

  it('maps several claims, nested paths and namespaced names; absent claims set nothing', async () => {
    const f = filter(config(), 'sub', 'X-User-Id', 'org.team', 'X-Team', 'groups.1', 'X-Second-Group', 'https://example.com/roles', 'X-Roles', 'missing.claim', 'X-Missing');
    const jwt = await good(rsa, { sub: 'alice', org: { team: 'payments' }, groups: ['a', 'b'], 'https://example.com/roles': ['admin'] });
    const ctx = await run(f, { bearer: jwt });
    expect(ctx.outgoing.headers).toMatchObject({ 'x-user-id': 'alice', 'x-team': 'payments', 'x-second-group': 'b', 'x-roles': '["admin"]' });
    expect(ctx.outgoing.headers['x-missing']).toBeUndefined();
  });

  it('encodes values predictably: numbers, booleans, JSON for structures, percent-encoding for the rest', async () => {
    const f = filter(config(), 'n', 'X-N', 'b', 'X-B', 'o', 'X-O', 'name', 'X-Name', 'pct', 'X-Pct');
    const claims = { sub: 's', n: 42, b: false, o: { k: 'v', list: [1, 2] }, name: 'Zoë ☃', pct: '100%' };
    const ctx = await run(f, { bearer: await good(rsa, claims) });
    const h = ctx.outgoing.headers;
    expect(h['x-n']).toBe('42');
    expect(h['x-b']).toBe('false');
    expect(h['x-o']).toBe('{"k":"v","list":[1,2]}');
    expect(h['x-name']).toBe('Zo%C3%AB %E2%98%83');
    expect(decodeURIComponent(h['x-name'] as string)).toBe('Zoë ☃');
    expect(h['x-pct']).toBe('100%25');
  });

  it('answers from the cache synchronously the second time', async () => {
    const f = filter(config());
    const jwt = await good();
    const first = filterContext({ headers: { authorization: `Bearer ${jwt}` } });
    const pending = f.request!(first);
    expect(pending).toBeInstanceOf(Promise);
    await pending;
    const second = filterContext({ headers: { authorization: `bearer  ${jwt} ` } });
    expect(f.request!(second)).toBeUndefined();
    expect(second.outgoing.headers['x-user-id']).toBe('alice');
  });
});

describe('hostile and broken tokens are refused with 401', () => {
  async function expect401(f: Filter, bearer: string, why: string): Promise<void> {
    const ctx = await run(f, { bearer, headers: { 'x-user-id': 'admin' } });
    expect(ctx.reply?.status, why).toBe(401);
    expect(ctx.reply?.headers?.['www-authenticate'], why).toBe('Bearer error="invalid_token"');
    expect(ctx.outgoing.headers['x-user-id'], why).toBeUndefined();
    expect(ctx.state.has(TOKEN_STATE_KEY), why).toBe(false);
  }

  it('alg none', async () => {
    await expect401(filter(config()), unsignedToken({ sub: 'admin', iss: ISS, aud: AUD, exp: nowSec() + 300 }), 'alg none');
  });

  it('HS256 signed with the RSA public key as the secret (key confusion)', async () => {
    const f = filter(config());
    for (const secret of [rsa.spki, JSON.stringify(rsa.jwk), rsa.jwk.n!]) {
      const forged = await new SignJWT({ sub: 'admin' })
        .setProtectedHeader({ alg: 'HS256', kid: rsa.kid })
        .setIssuer(ISS)
        .setAudience(AUD)
        .setExpirationTime(nowSec() + 300)
        .sign(new TextEncoder().encode(secret));
      await expect401(f, forged, 'HS256 with public key');
    }
  });

  it('expired, not yet valid, and without exp', async () => {
    const f = filter(config());
    await expect401(f, await good(rsa, { sub: 'a' }, { exp: -60 }), 'expired');
    await expect401(f, await good(rsa, { sub: 'a' }, { nbf: 120 }), 'nbf in the future');
    await expect401(f, await good(rsa, { sub: 'a' }, { exp: null }), 'no exp');
  });

  it('wrong issuer or audience, or none when configured', async () => {
    const f = filter(config());
    await expect401(f, await token(rsa, { sub: 'a' }, { iss: 'https://evil.example', aud: AUD }), 'wrong iss');
    await expect401(f, await token(rsa, { sub: 'a' }, { iss: ISS, aud: 'other-api' }), 'wrong aud');
    await expect401(f, await token(rsa, { sub: 'a' }, { aud: AUD }), 'no iss');
    await expect401(f, await token(rsa, { sub: 'a' }, { iss: ISS }), 'no aud');
    const ok = await run(f, { bearer: await token(rsa, { sub: 'a' }, { iss: ISS, aud: ['other', AUD] }) });
    expect(ok.outgoing.headers['x-user-id']).toBe('a');
  });

  it('unknown kid, and a key the JWKS does not hold under a known kid', async () => {
    const f = filter(config());
    await expect401(f, await good(rsa, { sub: 'a' }, { kid: 'no-such-kid' }), 'unknown kid');
    await expect401(f, await good(outsider), 'forged with the same kid');
  });

  it('bad signature, malformed tokens, other algorithms than allowed', async () => {
    const f = filter(config('algorithms=RS256'));
    await expect401(f, tamper(await good(), { sub: 'admin', iss: ISS, aud: AUD, exp: nowSec() + 300 }), 'tampered payload');
    await expect401(f, 'not.a.jwt', 'garbage');
    await expect401(f, 'x'.repeat(20_000), 'huge');
    await expect401(f, await good(ec), 'ES256 not in the allow list');
  });

  it('claims that would inject headers, or are too long', async () => {
    const f = filter(config('maxValueLength=64'));
    await expect401(f, await good(rsa, { sub: 'a\r\nX-Admin: true' }), 'CRLF');
    await expect401(f, await good(rsa, { sub: 'a\nb' }), 'LF');
    await expect401(f, await good(rsa, { sub: 'a\u0000b' }), 'NUL');
    await expect401(f, await good(rsa, { sub: 'x'.repeat(65) }), 'too long');
    await expect401(f, await good(rsa, { sub: '☃'.repeat(8) }), 'too long once encoded');
    const nested = await run(f, { bearer: await good(rsa, { sub: { a: 'x\r\ny' } }) });
    expect(nested.outgoing.headers['x-user-id']).toBe('{"a":"x\\r\\ny"}');
  });

  it('a token whose exp, nbf or iat JSON reads as infinite: 401, never a token that does not expire', async () => {
    const f = filter(config());
    const exp = nowSec() + 300;
    for (const times of ['"exp":1e400', `"exp":${exp},"nbf":-1e400`, `"exp":${exp},"iat":1e400`]) {
      // SignJWT writes Infinity as null: the claims set is written out by hand
      const payload = `{"sub":"alice","iss":"${ISS}","aud":"${AUD}",${times}}`;
      const jwt = await new CompactSign(new TextEncoder().encode(payload)).setProtectedHeader({ alg: 'RS256', kid: rsa.kid }).sign(rsa.privateKey);
      await expect401(f, jwt, times);
    }
    // the same claims with reachable times pass
    expect((await run(f, { bearer: await good(rsa, { sub: 'alice', iat: nowSec() }) })).outgoing.headers['x-user-id']).toBe('alice');
  });

  it('a claim nested too deep to write out: 401, not a failed filter, also from the cache', async () => {
    const f = filter(config('maxValueLength=16384'));
    // SignJWT cannot hold such a claim either: the claims set is written out by hand
    const depth = 5000;
    const payload = `{"sub":${'['.repeat(depth)}${']'.repeat(depth)},"iss":"${ISS}","aud":"${AUD}","exp":${nowSec() + 300}}`;
    const jwt = await new CompactSign(new TextEncoder().encode(payload)).setProtectedHeader({ alg: 'RS256', kid: rsa.kid }).sign(rsa.privateKey);
    await expect401(f, jwt, 'verified');
    await expect401(f, jwt, 'cached');
  });
});

describe('missing tokens and the client-sent header', () => {
  it('required mode: 401 with a bare Bearer challenge, header removed', async () => {
    const f = filter(config());
    for (const authorization of [undefined, 'Basic YWxpY2U6c2VjcmV0', 'Bearer', 'Bearer a b']) {
      const ctx = await run(f, { headers: { 'x-user-id': 'admin', ...(authorization === undefined ? {} : { authorization }) } });
      expect(ctx.reply?.status).toBe(401);
      expect(ctx.reply?.headers?.['www-authenticate']).toBe('Bearer');
      expect(ctx.outgoing.headers['x-user-id']).toBeUndefined();
    }
  });

  it('optional mode: passes on without the header, whether the token is missing or bad', async () => {
    const f = filter(config('mode=optional'), 'sub', 'X-User-Id', 'org.team', 'X-Team');
    const cases: (string | undefined)[] = [undefined, unsignedToken({ sub: 'admin' }), await good(rsa, { sub: 'a\r\nb' })];
    for (const bearer of cases) {
      const ctx = await run(f, { headers: { 'x-user-id': 'admin', x_user_id: 'admin', 'x-team': 'root' }, ...(bearer === undefined ? {} : { bearer }) });
      expect(ctx.reply).toBeUndefined();
      expect(ctx.outgoing.headers['x-user-id']).toBeUndefined();
      expect(ctx.outgoing.headers.x_user_id).toBeUndefined();
      expect(ctx.outgoing.headers['x-team']).toBeUndefined();
    }
  });

  it('a valid token replaces the client copy, even when the claim is absent', async () => {
    const f = filter(config(), 'sub', 'X-User-Id', 'team', 'X-Team');
    const ctx = await run(f, { bearer: await good(), headers: { 'x-team': 'root', 'x-user-id': 'admin' } });
    expect(ctx.outgoing.headers['x-user-id']).toBe('alice');
    expect(ctx.outgoing.headers['x-team']).toBeUndefined();
  });
});

describe('cache correctness', () => {
  it('does not serve a cached token past its exp', async () => {
    const f = filter(config());
    // exp is in whole seconds: a token made late in a second for one second ahead expired within
    // milliseconds when its first check crossed into the next second (on a loaded machine).
    // Made just after the start of a second, it has nearly a whole second for that check. (A timer
    // counts from the event loop's cached time, so on a busy loop it fires early by what the loop
    // had already spent: aimed at the second's start itself, it could land just before it.)
    await sleep(1000 - (Date.now() % 1000) + 50);
    const jwt = await good(rsa, { sub: 'short' }, { exp: 1 });
    const first = await run(f, { bearer: jwt });
    expect(first.outgoing.headers['x-user-id']).toBe('short');
    // into the second of exp (or one later): expired from its first millisecond on
    await sleep(1100 - (Date.now() % 1000));
    const later = await run(f, { bearer: jwt });
    expect(later.reply?.status).toBe(401);
  });

  it('with cacheTtl=0, verifies every time', async () => {
    const f = filter(config('cacheTtl=0'));
    const jwt = await good();
    await run(f, { bearer: jwt });
    const ctx = filterContext({ headers: { authorization: `Bearer ${jwt}` } });
    const again = f.request!(ctx);
    expect(again).toBeInstanceOf(Promise);
    await again;
    expect(ctx.outgoing.headers['x-user-id']).toBe('alice');
  });
});

describe('arguments', () => {
  it('rejects bad shapes and unsafe configurations at build time', () => {
    const jwks = `jwks=${keys.jwksUrl}`;
    expectInvalidArgs(jwtClaimToHeader, [jwks]);
    expectInvalidArgs(jwtClaimToHeader, [jwks, 'sub']);
    expectInvalidArgs(jwtClaimToHeader, [jwks, 'sub', 'X-A', 'email']);
    expectInvalidArgs(jwtClaimToHeader, [jwks, 'sub', 'X-A', 'email', 'x-a']);
    expectInvalidArgs(jwtClaimToHeader, [jwks, 'sub', 'bad header']);
    expectInvalidArgs(jwtClaimToHeader, [jwks, 'sub', 'Host']);
    expectInvalidArgs(jwtClaimToHeader, [jwks, 'sub', 'Authorization']);
    expectInvalidArgs(jwtClaimToHeader, [jwks, 'a..b', 'X-A']);
    expectInvalidArgs(jwtClaimToHeader, [`${jwks} algorithms=none`, 'sub', 'X-A']);
    expectInvalidArgs(jwtClaimToHeader, [`${jwks} algorithms=HS256`, 'sub', 'X-A']);
    expectInvalidArgs(jwtClaimToHeader, [`${jwks} mode=sometimes`, 'sub', 'X-A']);
    expectInvalidArgs(jwtClaimToHeader, [`${jwks} colour=blue`, 'sub', 'X-A']);
    expectInvalidArgs(jwtClaimToHeader, [`${jwks} secret=${'s'.repeat(40)}`, 'sub', 'X-A']);
    expectInvalidArgs(jwtClaimToHeader, ['ftp://keys.example/jwks', 'sub', 'X-A']);
    expectInvalidArgs(jwtClaimToHeader, [3, 'sub', 'X-A']);
  });

  it('builds the filter class with the pairs in order', () => {
    const f = filter(`${keys.jwksUrl}`, 'sub', 'X-User-Id', 'email', 'X-Email');
    expect(f).toBeInstanceOf(JwtClaimToHeaderFilter);
    expect((f as JwtClaimToHeaderFilter).pairs.map((p) => p.header)).toEqual(['x-user-id', 'x-email']);
    expect((f as JwtClaimToHeaderFilter).strip).toEqual(['x-user-id', 'x_user_id', 'x-email', 'x_email']);
  });
});
