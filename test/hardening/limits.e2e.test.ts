/**
 * Limits against resource exhaustion: header size and line count (431, never a silent
 * truncation), backend header size (502), the maxBodySize filter (413, chunked bodies cut
 * mid-stream), header/request/body-idle deadlines (slowloris, slow POST), the concurrency cap
 * (fast 503) and downstream keep-alive against an idle-timeout load balancer.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startSkiff, type RunningSkiff } from '../helpers/skiff.js';
import { startServer } from '../helpers/upstream.js';
import { request } from '../helpers/http.js';
import { rawExchange, sleep, startRawBackend, startRecordingBackend, type RecordingBackend } from './raw.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function recording(): Promise<RecordingBackend> {
  const b = await startRecordingBackend();
  cleanups.push(() => b.close());
  return b;
}

async function skiff(routes: string, proxy: Parameters<typeof startSkiff>[1] = {}): Promise<RunningSkiff> {
  const s = await startSkiff(routes, proxy);
  cleanups.push(() => s.stop());
  return s;
}

function headerLines(n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += `X-H${i}: ${i}\r\n`;
  return out;
}

describe('request header limits', () => {
  it('answers 431 to a 17 KiB header block and forwards nothing', async () => {
    const backend = await recording();
    const proxy = await skiff(`r: * -> "${backend.url}";`);
    const r = await rawExchange(proxy.port, `GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${'a'.repeat(17 * 1024)}\r\n\r\n`);
    expect(r.statuses).toEqual([431]);
    expect(r.closed).toBe(true);
    expect(backend.bytes()).toBe(0);
  });

  it('answers 431 past the header line cap instead of dropping lines, and forwards every line at the cap', async () => {
    const backend = await recording();
    const proxy = await skiff(`r: * -> "${backend.url}";`, { proxy: { maxRequestHeaderLines: 50 } });
    // 1 Host + 48 + X-Last = 50 lines: all of them reach the backend.
    const atCap = await rawExchange(proxy.port, `GET /cap HTTP/1.1\r\nHost: a\r\n${headerLines(48)}X-Last: yes\r\nConnection: close\r\n\r\n`.replace('Connection: close\r\n', ''), { waitMs: 500 });
    expect(atCap.statuses).toEqual([200]);
    expect(backend.requests[0]!.headers['x-last']).toBe('yes');
    expect(backend.requests[0]!.headers['x-h47']).toBe('47');
    backend.reset();
    // Far past the cap: 431, and the trailing lines are not silently lost.
    for (const extra of [49, 200, 2100]) {
      const r = await rawExchange(proxy.port, `GET /over HTTP/1.1\r\nHost: a\r\n${headerLines(extra)}X-Last: yes\r\n\r\n`);
      expect(r.statuses, `${extra} extra lines`).toEqual([431]);
      expect(r.closed).toBe(true);
    }
    expect(backend.bytes()).toBe(0);
  });
});

describe('backend response header limit', () => {
  it('answers 502 when a backend sends a 20 KiB header, and serves normal answers from it', async () => {
    const backend = await startServer((req, res) => {
      if (req.url === '/big') res.setHeader('x-big', 'b'.repeat(20 * 1024));
      res.end('fine');
    });
    cleanups.push(() => backend.close());
    const proxy = await skiff(`r: * -> "${backend.url}";`);
    expect((await request(`${proxy.url}/big`)).status).toBe(502);
    const ok = await request(`${proxy.url}/small`);
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('fine');
  });
});

describe('maxBodySize', () => {
  it('answers 413 to a Content-Length over the cap without calling the backend', async () => {
    const backend = await recording();
    const proxy = await skiff(`r: * -> maxBodySize("1KB") -> "${backend.url}";`);
    const r = await rawExchange(proxy.port, `POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1025\r\n\r\n${'x'.repeat(1025)}`);
    expect(r.statuses).toEqual([413]);
    expect(r.closed).toBe(true);
    await sleep(30);
    expect(backend.bytes()).toBe(0);
  });

  it('passes bodies up to the cap intact, whatever the framing', async () => {
    const backend = await recording();
    const proxy = await skiff(`r: * -> maxBodySize(1024) -> "${backend.url}";`);
    const body = 'y'.repeat(1024);
    const cl = await request(`${proxy.url}/cl`, { method: 'POST', body });
    expect(cl.status).toBe(200);
    const chunked = await rawExchange(proxy.port, `POST /chunked HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n200\r\n${body.slice(0, 512)}\r\n200\r\n${body.slice(512)}\r\n0\r\n\r\n`, { waitMs: 2000 });
    expect(chunked.statuses).toEqual([200]);
    expect(backend.requests.map((r) => [r.url, r.body.length, r.complete])).toEqual([
      ['/cl', 1024, true],
      ['/chunked', 1024, true],
    ]);
  });

  it('cuts a chunked body that passes the cap: 413, connection closed, the backend never gets it whole', async () => {
    const backend = await recording();
    const proxy = await skiff(`r: * -> maxBodySize("1KB") -> "${backend.url}";`);
    const chunk = `200\r\n${'z'.repeat(512)}\r\n`;
    const r = await rawExchange(proxy.port, [`POST /big HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n${chunk}`, chunk, chunk, chunk, '0\r\n\r\n'], { gapMs: 50, waitMs: 1000 });
    expect(r.statuses).toEqual([413]);
    expect(r.closed).toBe(true);
    await sleep(50);
    for (const q of backend.requests) {
      expect(q.complete).toBe(false);
      expect(q.body.length).toBeLessThanOrEqual(1536);
    }
  });
});

describe('deadlines', () => {
  it('closes a slowloris connection with 408 at the header deadline', async () => {
    const backend = await recording();
    const proxy = await skiff(`r: * -> "${backend.url}";`, { proxy: { requestHeadersTimeoutMs: 400, connectionsCheckingIntervalMs: 100 } });
    const t0 = performance.now();
    const r = await rawExchange(proxy.port, ['GET / HTTP/1.1\r\n', 'Host: a\r\n', 'X-A: 1\r\n', 'X-B: 2\r\n', 'X-C: 3\r\n', 'X-D: 4\r\n', 'X-E: 5\r\n'], { gapMs: 150, waitMs: 2000 });
    const ms = performance.now() - t0;
    expect(r.statuses).toEqual([408]);
    expect(r.closed).toBe(true);
    expect(ms).toBeLessThan(1500);
    expect(backend.bytes()).toBe(0);
  });

  it('answers a slow POST with 408 at the request deadline and aborts the upstream request', async () => {
    const backend = await recording();
    const proxy = await skiff(`r: * -> "${backend.url}";`, { proxy: { requestTimeoutMs: 800, requestHeadersTimeoutMs: 800, connectionsCheckingIntervalMs: 100 } });
    const drip = Array.from({ length: 12 }, () => 'x');
    const t0 = performance.now();
    const r = await rawExchange(proxy.port, ['POST /slow HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n', ...drip], { gapMs: 200, waitMs: 500 });
    const ms = performance.now() - t0;
    expect(r.statuses).toEqual([408]);
    expect(r.closed).toBe(true);
    expect(ms).toBeLessThan(2200);
    await sleep(50);
    // The backend saw the request start, then its connection cut: never a complete request.
    expect(backend.requests.every((q) => !q.complete)).toBe(true);
  });

  it('cuts a body that stalls past the idle timeout, but a finished body leaves the connection reusable', async () => {
    const backend = await recording();
    const proxy = await skiff(`r: * -> "${backend.url}";`, { proxy: { requestBodyIdleTimeoutMs: 300 } });
    const t0 = performance.now();
    const stalled = await rawExchange(proxy.port, 'POST /stall HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc', { waitMs: 2000 });
    expect(stalled.closed).toBe(true);
    expect(performance.now() - t0).toBeLessThan(1500);
    await sleep(30);
    expect(backend.requests.filter((q) => q.url === '/stall').every((q) => !q.complete)).toBe(true);
    // A complete POST, an idle pause longer than the body timeout, then a second request on
    // the same connection: the body timer must not outlive its body.
    const reused = await rawExchange(
      proxy.port,
      ['POST /one HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc', 'GET /two HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n'],
      { gapMs: 600, waitMs: 1000 },
    );
    expect(reused.statuses).toEqual([200, 200]);
  });
});

describe('concurrency cap', () => {
  it('answers the requests past the cap with a fast 503 while the admitted ones complete', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const backend = await startServer((_req, res) => void gate.then(() => res.end('done')));
    cleanups.push(() => backend.close());
    const proxy = await skiff(`r: * -> "${backend.url}";`, { proxy: { maxConcurrentRequests: 5 } });
    const slow = Array.from({ length: 5 }, () => request(`${proxy.url}/slow`));
    await sleep(100);
    const t0 = performance.now();
    const extra = await Promise.all(Array.from({ length: 20 }, () => request(`${proxy.url}/extra`)));
    const ms = performance.now() - t0;
    expect(extra.map((r) => r.status)).toEqual(Array(20).fill(503));
    // not queued behind the admitted ones, whose backend answers only when released
    expect(ms).toBeLessThan(2000);
    release();
    expect((await Promise.all(slow)).map((r) => r.status)).toEqual(Array(5).fill(200));
    // The slots come back once requests finish.
    expect((await request(`${proxy.url}/after`)).status).toBe(200);
  });
});

describe('downstream keep-alive against a load balancer idle timeout', () => {
  /** Sends requests on one connection with pauses; counts answers and whether it stayed open. */
  async function reuse(port: number, gapsMs: number[]): Promise<{ answered: number; resets: number }> {
    const socket = net.connect(port, '127.0.0.1');
    let buffer = '';
    let closed = false;
    socket.on('data', (d: Buffer) => (buffer += d.toString('latin1')));
    socket.on('close', () => (closed = true));
    socket.on('error', () => undefined);
    await new Promise((r) => socket.once('connect', r));
    let answered = 0;
    let resets = 0;
    for (const gap of [0, ...gapsMs]) {
      await sleep(gap);
      if (closed) {
        resets++;
        continue;
      }
      const before = (buffer.match(/HTTP\/1\.1 200/g) ?? []).length;
      socket.write('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
      for (let i = 0; i < 200 && (buffer.match(/HTTP\/1\.1 200/g) ?? []).length === before && !closed; i++) await sleep(10);
      if ((buffer.match(/HTTP\/1\.1 200/g) ?? []).length > before) answered++;
      else resets++;
    }
    socket.destroy();
    return { answered, resets };
  }

  it('keeps a connection reused just under its idle timeout open, and a shorter timeout loses it', async () => {
    const backend = await recording();
    // Scaled down: a load balancer that reuses its connection after 1.0–1.2 s of idleness. The
    // timeout leaves 0.8 s for a late timer on a loaded machine.
    const longer = await skiff(`r: * -> "${backend.url}";`, { proxy: { keepAliveTimeoutMs: 2000 } });
    const shorter = await skiff(`r: * -> "${backend.url}";`, { proxy: { keepAliveTimeoutMs: 100 } });
    const [ok, control] = await Promise.all([reuse(longer.port, [1000, 1200]), reuse(shorter.port, [1500])]);
    expect(ok).toEqual({ answered: 3, resets: 0 });
    expect(control.resets).toBe(1);
  });
});

describe('raw backend helper', () => {
  it('is reachable (sanity of the malformed-backend tests)', async () => {
    const raw = await startRawBackend((s) => s.end('HTTP/1.1 204 No Content\r\n\r\n'));
    cleanups.push(() => raw.close());
    const proxy = await skiff(`r: * -> "${raw.url}";`);
    expect((await request(`${proxy.url}/`)).status).toBe(204);
  });
});
