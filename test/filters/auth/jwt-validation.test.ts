/**
 * The Skipper-compatible pair: jwtValidation (OIDC discovery, `sub` and `iss` required) and
 * jwtValidationKeys (a JWKS URL), followed by forwardTokenField reading the stored claims.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Filter } from '../../../src/spec.js';
import { jwtValidation, jwtValidationKeys } from '../../../filters/auth/jwt-validation.js';
import { forwardTokenField } from '../../../filters/auth/forward-token-field.js';
import { AUTH_USER_STATE_KEY, TOKEN_STATE_KEY } from '../../../filters/auth/token-state.js';
import { filterContext, runRequest, type TestFilterContext } from '../../helpers/filter-context.js';
import { expectInvalidArgs } from '../expect-invalid.js';
import { KeyServer, signingKey, token, unsignedToken, type SigningKey } from './jwt-fixtures.js';

let key: SigningKey;
let server: KeyServer;
const created: Filter[] = [];

beforeAll(async () => {
  key = await signingKey('v1');
  server = await KeyServer.start([key]);
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  for (const f of created.splice(0)) f.close?.();
});

function make(spec: typeof jwtValidation, ...args: string[]): Filter {
  const f = spec.create(args);
  created.push(f);
  return f;
}

/** Runs the chain as the proxy would: stops at the first local reply. */
async function chain(filters: Filter[], headers: Record<string, string>): Promise<TestFilterContext> {
  const ctx = filterContext({ headers });
  for (const f of filters) {
    await f.request?.(ctx);
    if (ctx.served) break;
  }
  return ctx;
}

describe('jwtValidation', () => {
  it('verifies through OIDC discovery and leaves the claims for forwardTokenField', async () => {
    const filters = [
      make(jwtValidation, server.url),
      make(forwardTokenField, 'X-Email', 'claims.email'),
      make(forwardTokenField, 'X-Subject', 'subject'),
      make(forwardTokenField, 'X-Team', 'claims.org.team'),
    ];
    const jwt = await token(key, { sub: 'alice', email: 'alice@example.org', org: { team: 'pay' } }, { iss: server.url });
    const ctx = await chain(filters, { authorization: `Bearer ${jwt}`, 'x-email': 'forged@example.org' });
    expect(ctx.reply).toBeUndefined();
    expect(ctx.outgoing.headers).toMatchObject({ 'x-email': 'alice@example.org', 'x-subject': 'alice', 'x-team': 'pay' });
    expect(ctx.state.get(AUTH_USER_STATE_KEY)).toBe('alice');
    expect(ctx.state.get(TOKEN_STATE_KEY)).toMatchObject({ subject: 'alice', claims: { email: 'alice@example.org' } });
    expect(server.discoveryFetches).toBe(1);
  });

  it('answers 401 without a token, with a token of another issuer, without sub, or unsigned', async () => {
    const f = make(jwtValidation, server.url);
    const cases: Record<string, string> = {
      'other issuer': await token(key, { sub: 'alice' }, { iss: 'https://evil.example' }),
      'no sub': await token(key, { email: 'x' }, { iss: server.url }),
      unsigned: unsignedToken({ sub: 'alice', iss: server.url, exp: Math.floor(Date.now() / 1000) + 60 }),
    };
    for (const [why, jwt] of Object.entries(cases)) {
      const ctx = await chain([f], { authorization: `Bearer ${jwt}` });
      expect(ctx.reply?.status, why).toBe(401);
      expect(ctx.reply?.headers?.['www-authenticate'], why).toBe('Bearer error="invalid_token"');
    }
    const none = await chain([f], {});
    expect(none.reply?.status).toBe(401);
    expect(none.reply?.headers?.['www-authenticate']).toBe('Bearer');
  });

  it('takes exactly one http(s) URL', () => {
    expectInvalidArgs(jwtValidation, []);
    expectInvalidArgs(jwtValidation, ['issuer.example']);
    expectInvalidArgs(jwtValidation, ['https://a', 'https://b']);
    expectInvalidArgs(jwtValidationKeys, [5]);
  });
});

describe('jwtValidationKeys', () => {
  it('verifies against the JWKS URL without requiring sub or an issuer', async () => {
    const filters = [make(jwtValidationKeys, server.jwksUrl), make(forwardTokenField, 'X-Client', 'claims.client_id')];
    const ctx = await chain(filters, { authorization: `Bearer ${await token(key, { client_id: 'batch-job' })}` });
    expect(ctx.reply).toBeUndefined();
    expect(ctx.outgoing.headers['x-client']).toBe('batch-job');
  });
});

describe('forwardTokenField', () => {
  it('removes the client copy when no token was verified or the field is absent or unsafe', () => {
    const f = make(forwardTokenField, 'X-Email', 'claims.email');
    const bare = runRequest(f, filterContext({ headers: { 'x-email': 'forged', x_email: 'forged' } }));
    expect(bare.outgoing.headers['x-email']).toBeUndefined();
    expect(bare.outgoing.headers.x_email).toBeUndefined();
    const absent = filterContext({ headers: { 'x-email': 'forged' } });
    absent.state.set(TOKEN_STATE_KEY, { claims: { sub: 'a' }, subject: 'a' });
    expect(runRequest(f, absent).outgoing.headers['x-email']).toBeUndefined();
    const injected = filterContext({ headers: { 'x-email': 'forged' } });
    injected.state.set(TOKEN_STATE_KEY, { claims: { email: 'a@b\r\nX-Admin: 1' }, subject: 'a' });
    expect(runRequest(f, injected).outgoing.headers['x-email']).toBeUndefined();
    expect(runRequest(f, injected).outgoing.headers['x-admin']).toBeUndefined();
  });

  it('checks its arguments', () => {
    expectInvalidArgs(forwardTokenField, ['X-A']);
    expectInvalidArgs(forwardTokenField, ['Host', 'claims.sub']);
    expectInvalidArgs(forwardTokenField, ['X-A', '']);
  });
});
