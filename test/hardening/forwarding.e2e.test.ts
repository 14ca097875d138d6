/**
 * Hop-by-hop abuse, byte-level: a client naming skiff's own headers in Connection, every
 * hop-by-hop field at once (Expect with a body, TE, Trailer, Upgrade: h2c), a backend naming
 * its secrets in Connection. What crosses is checked at the recording backend and on the raw
 * client stream; the pooled upstream connection must survive a client's `Connection: close`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startSkiff, type RunningSkiff } from '../helpers/skiff.js';
import { rawExchange, startRawBackend, startRecordingBackend, type RecordingBackend } from './raw.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(routes: (backend: string) => string): Promise<{ backend: RecordingBackend; proxy: RunningSkiff }> {
  const backend = await startRecordingBackend();
  const proxy = await startSkiff(routes(backend.url));
  cleanups.push(() => backend.close(), () => proxy.stop());
  return { backend, proxy };
}

describe('Connection naming the fields skiff manages', () => {
  it('keeps the proxy-built X-Forwarded-For and filter-set headers, drops the rest, and reuses the upstream connection', async () => {
    const { backend, proxy } = await setup((b) => `r: * -> setRequestHeader("X-User", "verified") -> "${b}";`);
    for (let i = 0; i < 5; i++) {
      const r = await rawExchange(
        proxy.port,
        `GET /n${i} HTTP/1.1\r\nHost: a\r\nConnection: close, X-Forwarded-For, X-User, X-Foo\r\nX-Foo: 1\r\nX-Forwarded-For: 1.2.3.4\r\n\r\n`,
        { waitMs: 1000 },
      );
      expect(r.statuses).toEqual([200]);
      // The client asked to close: its own connection is closed after the answer.
      expect(r.closed).toBe(true);
    }
    for (const q of backend.requests) {
      expect(q.headers['x-forwarded-for']).toBe('1.2.3.4, 127.0.0.1');
      expect(q.headers['x-user']).toBe('verified');
      expect(q.headers['x-foo']).toBeUndefined();
      expect(q.headers.connection).not.toBe('close');
    }
    // Five client connections, each closed; upstream, one pooled connection carried them all.
    expect(backend.requests).toHaveLength(5);
    expect(backend.connections).toHaveLength(1);
  });
});

describe('forwarding claims from an untrusted client', () => {
  it('reach the backend as skiff states them, never as the client wrote them', async () => {
    const { backend, proxy } = await setup((b) => `r: * -> "${b}";`);
    const r = await rawExchange(
      proxy.port,
      'GET / HTTP/1.1\r\nHost: shop.example\r\nX-Forwarded-For: 10.0.0.1\r\nX-Real-IP: 10.0.0.1\r\nForwarded: for=10.0.0.1;proto=https\r\n' +
        'X-Forwarded-Host: admin.example\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Port: 443\r\nX-Forwarded-Prefix: /admin\r\nConnection: close\r\n\r\n',
    );
    expect(r.statuses).toEqual([200]);
    const h = backend.requests[0]!.headers;
    expect(h['x-real-ip']).toBeUndefined();
    expect(h.forwarded).toBeUndefined();
    expect(h['x-forwarded-prefix']).toBeUndefined();
    expect(h['x-forwarded-host']).toBe('shop.example');
    expect(h['x-forwarded-proto']).toBe('http');
    expect(h['x-forwarded-port']).toBe(String(proxy.port));
    // The chain is data, kept and extended; decisions use the peer (see the allow-list tests).
    expect(h['x-forwarded-for']).toBe('10.0.0.1, 127.0.0.1');
  });

  it('pass through from a trusted proxy', async () => {
    const backend = await startRecordingBackend();
    const { createClientIpPolicy } = await import('../../src/proxy/client-ip.js');
    const proxy = await startSkiff(`r: * -> "${backend.url}";`, { clientIp: createClientIpPolicy({ trustedProxies: ['127.0.0.0/8'], hops: 1 }) });
    cleanups.push(() => backend.close(), () => proxy.stop());
    await rawExchange(proxy.port, 'GET / HTTP/1.1\r\nHost: a\r\nX-Real-IP: 192.0.2.7\r\nX-Forwarded-Prefix: /app\r\nX-Forwarded-Proto: https\r\nConnection: close\r\n\r\n');
    const h = backend.requests[0]!.headers;
    expect(h['x-real-ip']).toBe('192.0.2.7');
    expect(h['x-forwarded-prefix']).toBe('/app');
    expect(h['x-forwarded-proto']).toBe('https');
  });
});

describe('every hop-by-hop field at once', () => {
  it('answers 200 without an undici error, and the backend sees none of them (TE: trailers aside)', async () => {
    const { backend, proxy } = await setup((b) => `r: * -> "${b}";`);
    const request =
      'POST /hop HTTP/1.1\r\nHost: a\r\n' +
      'Keep-Alive: timeout=10\r\nProxy-Connection: keep-alive\r\nTE: gzip\r\nTrailer: X-T\r\n' +
      'Proxy-Authorization: Basic Zm9vOmJhcg==\r\nExpect: 100-continue\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello';
    const r = await rawExchange(proxy.port, request, { waitMs: 2000 });
    expect(r.statuses.filter((s) => s !== 100)).toEqual([200]);
    const seen = backend.requests[0]!;
    expect(seen.body.toString()).toBe('hello');
    for (const name of ['keep-alive', 'proxy-connection', 'te', 'trailer', 'proxy-authorization', 'expect', 'upgrade']) {
      expect(seen.headers[name], name).toBeUndefined();
    }
  });

  it('lets TE: trailers through', async () => {
    const { backend, proxy } = await setup((b) => `r: * -> "${b}";`);
    await rawExchange(proxy.port, 'GET / HTTP/1.1\r\nHost: a\r\nTE: trailers\r\nConnection: close\r\n\r\n');
    // Either forwarded as trailers or dropped; never anything else.
    expect([undefined, 'trailers']).toContain(backend.requests[0]!.headers.te);
  });

  it('serves an h2c upgrade request as plain HTTP/1.1: never a 101, the backend sees no Upgrade', async () => {
    const { backend, proxy } = await setup((b) => `r: * -> "${b}";`);
    const r = await rawExchange(proxy.port, 'GET /h2c HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n', { waitMs: 2000 });
    expect(r.statuses).toEqual([200]);
    expect(r.text).toMatch(/\r\nconnection: close\r\n/i);
    expect(r.closed).toBe(true);
    const seen = backend.requests[0]!;
    expect(seen.url).toBe('/h2c');
    expect(seen.headers.upgrade).toBeUndefined();
    expect(seen.headers['http2-settings']).toBeUndefined();
  });

  it('never relays a 101 to h2c even when the backend would switch', async () => {
    const switching = await startRawBackend((s) => s.end('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n'));
    const proxy = await startSkiff(`r: * -> "${switching.url}";`);
    cleanups.push(() => switching.close(), () => proxy.stop());
    const r = await rawExchange(proxy.port, 'GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n', { waitMs: 1000 });
    expect(r.statuses).not.toContain(101);
  });
});

describe('WebSocket upgrades', () => {
  // Go's rule (handleUpgradeResponse): a 101 whose Upgrade differs from the one asked for is
  // refused, never relayed.
  it('answers 502 when the backend switches to another protocol than the one requested', async () => {
    const wrong = await startRawBackend((s) => s.end('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: not-websocket\r\n\r\n'));
    const proxy = await startSkiff(`r: * -> "${wrong.url}";`);
    cleanups.push(() => wrong.close(), () => proxy.stop());
    const r = await rawExchange(proxy.port, 'GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n', { waitMs: 1000 });
    expect(r.statuses).toEqual([502]);
  });
});

describe('a backend naming its own fields in Connection', () => {
  it('strips them and the backend keep-alive fields; the client connection stays usable', async () => {
    const backend = await startRawBackend((s) => {
      const answer = 'HTTP/1.1 200 OK\r\nConnection: close, X-Secret\r\nX-Secret: 1\r\nKeep-Alive: timeout=1\r\nX-Kept: yes\r\nContent-Length: 2\r\n\r\nok';
      s.end(answer);
    });
    const proxy = await startSkiff(`r: * -> "${backend.url}";`);
    cleanups.push(() => backend.close(), () => proxy.stop());
    const r = await rawExchange(proxy.port, ['GET /1 HTTP/1.1\r\nHost: a\r\n\r\n', 'GET /2 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n'], { gapMs: 200, waitMs: 1000 });
    expect(r.statuses).toEqual([200, 200]);
    const first = r.text.slice(0, r.text.indexOf('\r\n\r\n'));
    expect(first).not.toMatch(/x-secret/i);
    expect(first).not.toMatch(/keep-alive: timeout=1/i);
    expect(first).not.toMatch(/^connection: close/im);
    expect(first).toMatch(/^x-kept: yes/im);
  });
});

describe('routing loops', () => {
  it('answers 508 fast when a route leads back to skiff itself, and marks forwarded requests with Via', async () => {
    const { backend, proxy } = await setup((b) => `r: Path("/ok") -> "${b}";`);
    const ok = await rawExchange(proxy.port, 'GET /ok HTTP/1.1\r\nHost: a\r\nVia: 1.0 edge\r\nConnection: close\r\n\r\n');
    expect(ok.statuses).toEqual([200]);
    expect(backend.requests[0]!.headers.via).toMatch(/^1\.0 edge, 1\.1 skiff-[0-9a-f]{8}$/);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(proxy.routesFile, `r: Path("/ok") -> "${backend.url}"; loop: Path("/loop") -> "http://127.0.0.1:${proxy.port}";`);
    for (let i = 0; i < 100 && proxy.skiff.table().routes.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    const t0 = performance.now();
    const r = await rawExchange(proxy.port, 'GET /loop HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
    expect(r.statuses).toEqual([508]);
    // at once (a few ms when idle), not after going round until something gives out
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
