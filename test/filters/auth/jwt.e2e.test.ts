/**
 * JWT filters over real sockets: skiff with an echo backend and a JWKS server on loopback. The
 * backend must see the verified claim headers and never a client-sent copy, and must not be
 * called at all for a refused token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEcho, type Received, type TestServer } from '../../helpers/upstream.js';
import { startSkiff, type RunningSkiff } from '../../helpers/skiff.js';
import { json, request } from '../../helpers/http.js';
import { KeyServer, signingKey, token, unsignedToken, type SigningKey } from './jwt-fixtures.js';

type Echo = Received & { backend: string };

let echo: TestServer;
let keys: KeyServer;
let key: SigningKey;
let proxy: RunningSkiff;

beforeAll(async () => {
  key = await signingKey('e2e');
  keys = await KeyServer.start([key]);
  echo = await startEcho();
  const cfg = `jwks=${keys.jwksUrl} audience=shop`;
  proxy = await startSkiff(`
    required: Path("/api") -> jwtClaimToHeader("${cfg}", "sub", "X-User-Id", "org.team", "X-Team") -> "${echo.url}";
    optional: Path("/maybe") -> jwtClaimToHeader("${cfg} mode=optional", "sub", "X-User-Id") -> "${echo.url}";
    skipper: Path("/skipper") -> jwtValidation("${keys.url}") -> forwardTokenField("X-Email", "claims.email") -> "${echo.url}";`);
});
afterAll(async () => {
  await proxy.stop();
  await echo.close();
  await keys.close();
});

describe('through the proxy', () => {
  it('forwards verified claims, and only those', async () => {
    const jwt = await token(key, { sub: 'alice', org: { team: 'payments' } }, { aud: 'shop' });
    const r = await json<Echo>(`${proxy.url}/api`, { headers: { authorization: `Bearer ${jwt}`, 'x-user-id': 'admin', 'x-team': 'root' } });
    expect(r.status).toBe(200);
    expect(r.body.headers['x-user-id']).toBe('alice');
    expect(r.body.headers['x-team']).toBe('payments');
    expect(r.body.rawHeaders.filter((h) => h.toLowerCase() === 'x-user-id')).toHaveLength(1);
    expect(r.body.headers.authorization).toBe(`Bearer ${jwt}`);
    // the second request is served from the verified-token cache
    const again = await json<Echo>(`${proxy.url}/api`, { headers: { authorization: `Bearer ${jwt}` } });
    expect(again.body.headers['x-user-id']).toBe('alice');
  });

  it('refuses missing, forged and wrong-audience tokens before the backend is called', async () => {
    const before = echo.received.length;
    const cases: Record<string, string | undefined> = {
      missing: undefined,
      unsigned: unsignedToken({ sub: 'admin', aud: 'shop', exp: Math.floor(Date.now() / 1000) + 60 }),
      audience: await token(key, { sub: 'alice' }, { aud: 'other' }),
      injected: await token(key, { sub: 'alice\r\nX-Admin: true' }, { aud: 'shop' }),
    };
    for (const [why, jwt] of Object.entries(cases)) {
      const r = await request(`${proxy.url}/api`, { headers: { 'x-user-id': 'admin', ...(jwt === undefined ? {} : { authorization: `Bearer ${jwt}` }) } });
      expect(r.status, why).toBe(401);
      expect(r.headers['www-authenticate'], why).toMatch(/^Bearer/);
    }
    expect(echo.received.length).toBe(before);
  });

  it('in optional mode, passes the request on without the client-sent header', async () => {
    const r = await json<Echo>(`${proxy.url}/maybe`, { headers: { 'x-user-id': 'admin' } });
    expect(r.status).toBe(200);
    expect(r.body.headers['x-user-id']).toBeUndefined();
  });

  it('never lets an underscore spelling of the header through (the request is refused)', async () => {
    const before = echo.received.length;
    const r = await request(`${proxy.url}/maybe`, { headers: { 'X_User_Id': 'admin' } });
    expect(r.status).toBe(400);
    expect(echo.received.length).toBe(before);
  });

  it('runs the Skipper pair jwtValidation -> forwardTokenField', async () => {
    const jwt = await token(key, { sub: 'bob', email: 'bob@example.org' }, { iss: keys.url });
    const r = await json<Echo>(`${proxy.url}/skipper`, { headers: { authorization: `Bearer ${jwt}`, 'x-email': 'forged@example.org' } });
    expect(r.status).toBe(200);
    expect(r.body.headers['x-email']).toBe('bob@example.org');
    const denied = await request(`${proxy.url}/skipper`, { headers: { 'x-email': 'forged@example.org' } });
    expect(denied.status).toBe(401);
  });
});
