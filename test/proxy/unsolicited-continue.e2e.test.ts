/**
 * A backend that sends `100 Continue` nobody asked for, then its answer (RFC 9110 §15.2: the
 * client skips the interim response). skiff passes the final answer through and sends the
 * request once; when it cannot read past the interim head, it answers 502 and still never sends
 * the request a second time.
 */
import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startSkiff, type RunningSkiff } from '../helpers/skiff.js';
import { sleep } from '../hardening/raw.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Every connection gets `answer` once per request line it reads; requests are counted over all bytes. */
async function backend(answer: (s: net.Socket, request: string) => void): Promise<{ url: string; requests: () => string[] }> {
  const sockets = new Set<net.Socket>();
  const requests: string[] = [];
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.once('close', () => sockets.delete(s));
    let buffered = '';
    s.on('data', (d: Buffer) => {
      buffered += d.toString('latin1');
      for (let end = buffered.indexOf('\r\n\r\n'); end !== -1; end = buffered.indexOf('\r\n\r\n')) {
        const head = buffered.slice(0, end);
        buffered = buffered.slice(end + 4);
        const line = head.split('\r\n')[0]!;
        requests.push(line);
        answer(s, line);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, requests: () => [...requests] };
}

async function proxyTo(url: string): Promise<RunningSkiff> {
  const s = await startSkiff(`r: * -> "${url}";`);
  cleanups.push(() => s.stop());
  return s;
}

function get(url: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${url}${path}`, { agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('no answer in 5 s')));
    req.on('error', reject);
  });
}

describe('an unsolicited 100 Continue from the backend', () => {
  it('is skipped: the final answer reaches the client and the request is sent once', async () => {
    const b = await backend((s) => s.write('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
    const proxy = await proxyTo(b.url);
    expect(await get(proxy.url, '/one')).toEqual({ status: 200, body: 'ok' });
    expect(b.requests()).toEqual(['GET /one HTTP/1.1']);
    // The connection stays usable for the next request.
    expect(await get(proxy.url, '/two')).toEqual({ status: 200, body: 'ok' });
    expect(b.requests()).toEqual(['GET /one HTTP/1.1', 'GET /two HTTP/1.1']);
  });

  it('is skipped when it arrives alone, twice, and before the answer in a later packet', async () => {
    const b = await backend((s) => {
      s.write('HTTP/1.1 100 Continue\r\n\r\n');
      setTimeout(() => s.write('HTTP/1.1 100 Continue\r\nX-A: 1\r\n\r\n'), 30);
      setTimeout(() => s.write('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nlater'), 60);
    });
    const proxy = await proxyTo(b.url);
    expect(await get(proxy.url, '/')).toEqual({ status: 200, body: 'later' });
    expect(b.requests()).toHaveLength(1);
  });

  it('is skipped, while a body packet that starts with the same bytes is passed on as it is', async () => {
    const fake = 'HTTP/1.1 100 Continue\r\n\r\n';
    const b = await backend((s) => {
      s.write(`${fake}HTTP/1.1 200 OK\r\nContent-Length: ${fake.length + 3}\r\n\r\n`);
      setTimeout(() => s.write(`${fake}end`), 30);
    });
    const proxy = await proxyTo(b.url);
    expect(await get(proxy.url, '/')).toEqual({ status: 200, body: `${fake}end` });
  });

  it('split across two packets is a 502, and the GET is not sent again', async () => {
    const b = await backend((s) => {
      s.write('HTTP/1.1 100 Cont');
      setTimeout(() => s.write('inue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'), 30);
    });
    const proxy = await proxyTo(b.url);
    const r = await get(proxy.url, '/');
    expect(r.status).toBe(502);
    await sleep(100);
    expect(b.requests()).toHaveLength(1);
  });
});
