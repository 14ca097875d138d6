/**
 * ipAllowList and ipDenyList: argument checking, decisions on the resolved client IP (unknown
 * is refused by both), and the same over real requests through skiff with a client-IP policy
 * that trusts the loopback peer, with X-Forwarded-For written by the test client.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ipAllowList } from '../../../filters/ip/ip-allow-list.js';
import { ipDenyList } from '../../../filters/ip/ip-deny-list.js';
import { createClientIpPolicy } from '../../../src/proxy/client-ip.js';
import { createFilter, filterContext, runRequest } from '../../helpers/filter-context.js';
import { expectInvalidArgs } from '../expect-invalid.js';
import { startEcho, type TestServer } from '../../helpers/upstream.js';
import { startSkiff, type RunningSkiff } from '../../helpers/skiff.js';
import { request } from '../../helpers/http.js';

function status(spec: typeof ipAllowList, args: string[], clientIp: string | null): number {
  const ctx = runRequest(createFilter(spec, ...args), filterContext({ clientIp }));
  return ctx.reply?.status ?? 200;
}

describe('arguments', () => {
  it('accepts addresses and CIDR blocks, separately or comma-separated', () => {
    expect(status(ipAllowList, ['10.0.0.0/8', '192.0.2.7'], '192.0.2.7')).toBe(200);
    expect(status(ipAllowList, ['10.0.0.0/8, 192.0.2.7,2001:db8::/32'], '2001:db8::5')).toBe(200);
    expect(status(ipAllowList, [' 10.0.0.0/8 ,, '], '10.9.9.9')).toBe(200);
  });

  it('rejects empty lists, non-strings and bad entries at build time', () => {
    expectInvalidArgs(ipAllowList, []);
    expectInvalidArgs(ipAllowList, [' , ']);
    expectInvalidArgs(ipDenyList, [42]);
    expectInvalidArgs(ipDenyList, [{ regexp: '10\\..*' }]);
    expect(expectInvalidArgs(ipAllowList, ['10.0.0.0/8', '10.0.0.300']).message).toContain('10.0.0.300');
    expectInvalidArgs(ipDenyList, ['10.0.0.0/40']);
  });
});

describe('decisions', () => {
  it('allow list: 403 outside, unknown refused, mapped IPv4 matches IPv4 blocks', () => {
    const list = ['10.0.0.0/8', '2001:db8::/32'];
    expect(status(ipAllowList, list, '10.1.2.3')).toBe(200);
    expect(status(ipAllowList, list, '11.1.2.3')).toBe(403);
    expect(status(ipAllowList, list, '2001:db8:1::1')).toBe(200);
    expect(status(ipAllowList, list, '2001:db9::1')).toBe(403);
    expect(status(ipAllowList, list, '::ffff:10.0.0.1')).toBe(200);
    expect(status(ipAllowList, list, null)).toBe(403);
  });

  it('deny list: 403 inside, and fail-closed for unknown', () => {
    const list = ['192.0.2.0/24'];
    expect(status(ipDenyList, list, '192.0.2.200')).toBe(403);
    expect(status(ipDenyList, list, '192.0.3.1')).toBe(200);
    expect(status(ipDenyList, list, null)).toBe(403);
  });

  it('answers with a plain 403 body that does not name the list', () => {
    const ctx = runRequest(createFilter(ipAllowList, '10.0.0.0/8'), filterContext({ clientIp: '1.1.1.1' }));
    expect(ctx.reply).toMatchObject({ status: 403, body: 'Forbidden\n' });
  });

  it('decides on the resolved client IP, not on the peer or the header', () => {
    const ctx = runRequest(
      createFilter(ipAllowList, '10.0.0.0/8'),
      filterContext({ remoteAddress: '10.0.0.1', clientIp: '203.0.113.9', headers: { 'x-forwarded-for': '10.0.0.2' } }),
    );
    expect(ctx.reply?.status).toBe(403);
  });

  it('handles a 1,000-entry list', () => {
    const list = Array.from({ length: 1000 }, (_, i) => `10.${i >> 8}.${i & 255}.0/24`);
    expect(status(ipAllowList, list, '10.3.231.77')).toBe(200);
    expect(status(ipAllowList, list, '10.3.232.77')).toBe(403);
  });
});

describe('through the proxy', () => {
  let echo: TestServer;
  let proxy: RunningSkiff | undefined;

  beforeAll(async () => {
    echo = await startEcho();
  });
  afterAll(async () => {
    await echo.close();
  });
  afterEach(async () => {
    await proxy?.stop();
    proxy = undefined;
  });

  const routes = (url: string): string => `
    admin: Path("/admin") -> ipAllowList("203.0.113.0/24", "2001:db8::/32") -> "${url}";
    public: Path("/public") -> ipDenyList("198.51.100.0/24") -> "${url}";`;

  it('behind a trusted proxy, allows and denies by the rightmost X-Forwarded-For entry', async () => {
    proxy = await startSkiff(routes(echo.url), { clientIp: createClientIpPolicy({ trustedProxies: ['127.0.0.1/32'], hops: 1 }) });
    const get = async (path: string, xff?: string | string[]): Promise<number> =>
      (await request(`${proxy!.url}${path}`, xff === undefined ? {} : { headers: { 'x-forwarded-for': xff } })).status;

    const before = echo.received.length;
    expect(await get('/admin', '203.0.113.5')).toBe(200);
    expect(await get('/admin', '[2001:db8::7]:443')).toBe(200);
    // the client forges an allowed address on the left; the proxy in front appended the real one
    expect(await get('/admin', '203.0.113.5, 198.51.100.9')).toBe(403);
    expect(await get('/admin', ['203.0.113.5', '198.51.100.9'])).toBe(403);
    // no chain (too short for one hop) and garbage: unknown, refused
    expect(await get('/admin')).toBe(403);
    expect(await get('/admin', 'not-an-ip')).toBe(403);
    expect(echo.received.length - before).toBe(2);

    expect(await get('/public', '192.0.2.1')).toBe(200);
    expect(await get('/public', '198.51.100.9')).toBe(403);
    expect(await get('/public', '198.51.100.9, 192.0.2.1')).toBe(200);
    expect(await get('/public', '1.2.3.4, junk')).toBe(403);
  });

  it('from an untrusted peer, X-Forwarded-For is ignored: the peer decides', async () => {
    proxy = await startSkiff(routes(echo.url), { clientIp: createClientIpPolicy({ trustedProxies: ['10.0.0.0/8'], hops: 1 }) });
    const spoofed = await request(`${proxy.url}/admin`, { headers: { 'x-forwarded-for': '203.0.113.5' } });
    expect(spoofed.status).toBe(403);
    expect(spoofed.text).toBe('Forbidden\n');
    const denied = await request(`${proxy.url}/public`, { headers: { 'x-forwarded-for': '198.51.100.9' } });
    expect(denied.status).toBe(200);
  });
});
