/**
 * End to end through real sockets: a client, skiff on an ephemeral port, real upstream servers.
 * Covers forwarding headers, hop-by-hop removal, bodies, upstream failures and local replies.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import net from 'node:net';
import { startEcho, startServer, type TestServer } from '../helpers/upstream.js';
import { startSkiff, type RunningSkiff } from '../helpers/skiff.js';
import { request, json } from '../helpers/http.js';
import type { Received } from '../helpers/upstream.js';

type Echo = Received & { backend: string };

let echo: TestServer;
let proxy: RunningSkiff | undefined;

beforeAll(async () => {
  echo = await startEcho('echo');
});
afterAll(async () => {
  await echo.close();
});
afterEach(async () => {
  await proxy?.stop();
  proxy = undefined;
});

describe('forwarded headers', () => {
  it('keeps the incoming X-Forwarded-For chain and appends the peer', async () => {
    proxy = await startSkiff(`r: * -> "${echo.url}";`);
    const first = await json<Echo>(`${proxy.url}/a?b=1`);
    expect(first.status).toBe(200);
    expect(first.body.url).toBe('/a?b=1');
    expect(first.body.headers['x-forwarded-for']).toBe('127.0.0.1');
    const chained = await json<Echo>(`${proxy.url}/`, { headers: ['X-Forwarded-For', '203.0.113.7, 10.0.0.1', 'X-Forwarded-For', '10.0.0.2'] });
    expect(chained.body.headers['x-forwarded-for']).toBe('203.0.113.7, 10.0.0.1, 10.0.0.2, 127.0.0.1');
  });

  it('keeps the chain as is in keep mode', async () => {
    proxy = await startSkiff(`r: * -> "${echo.url}";`, { proxy: { xff: 'keep' } });
    const r = await json<Echo>(`${proxy.url}/`, { headers: { 'x-forwarded-for': '203.0.113.7' } });
    expect(r.body.headers['x-forwarded-for']).toBe('203.0.113.7');
  });

  it('sets X-Forwarded-Proto, -Port and -Host from the listener, not from an untrusted client', async () => {
    proxy = await startSkiff(`r: * -> "${echo.url}";`);
    const r = await json<Echo>(`${proxy.url}/`, {
      headers: { host: 'shop.example.org', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example' },
    });
    expect(r.body.headers['x-forwarded-proto']).toBe('http');
    expect(r.body.headers['x-forwarded-port']).toBe(String(proxy.port));
    expect(r.body.headers['x-forwarded-host']).toBe('shop.example.org');
  });

  it("sends the client's Host unchanged, or the backend address with preserveHost(\"false\")", async () => {
    proxy = await startSkiff(`
      keep: Path("/keep") -> "${echo.url}";
      swap: Path("/swap") -> preserveHost("false") -> "${echo.url}";`);
    const kept = await json<Echo>(`${proxy.url}/keep`, { headers: { host: 'Shop.Example.org:8443' } });
    expect(kept.body.headers.host).toBe('Shop.Example.org:8443');
    const swapped = await json<Echo>(`${proxy.url}/swap`, { headers: { host: 'shop.example.org' } });
    expect(swapped.body.headers.host).toBe(`127.0.0.1:${echo.port}`);
  });
});

describe('hop-by-hop fields', () => {
  it('removes them and every field named in Connection, in both directions', async () => {
    const backend = await startServer((req, res) => {
      res.writeHead(200, {
        connection: 'x-backend-private',
        'x-backend-private': 'secret',
        'keep-alive': 'timeout=5',
        'x-kept': 'yes',
        'content-type': 'application/json',
      });
      res.end(JSON.stringify(req.headers));
    });
    try {
      proxy = await startSkiff(`r: * -> "${backend.url}";`);
      const r = await request(`${proxy.url}/`, {
        headers: {
          connection: 'keep-alive, x-client-private',
          'x-client-private': 'secret',
          'keep-alive': 'timeout=10',
          te: 'trailers',
          'proxy-connection': 'keep-alive',
          'proxy-authorization': 'Basic Zm9vOmJhcg==',
          'x-normal': 'kept',
        },
      });
      const seen = JSON.parse(r.text) as Record<string, string>;
      expect(seen['x-client-private']).toBeUndefined();
      expect(seen['keep-alive']).toBeUndefined();
      expect(seen.te).toBeUndefined();
      expect(seen['proxy-connection']).toBeUndefined();
      expect(seen['proxy-authorization']).toBeUndefined();
      expect(seen['x-normal']).toBe('kept');
      expect(r.headers['x-backend-private']).toBeUndefined();
      expect(r.headers['x-kept']).toBe('yes');
    } finally {
      await backend.close();
    }
  });

  it('adds a Server header only when the backend sends none', async () => {
    const named = await startServer((_req, res) => {
      res.setHeader('server', 'backend/1.0');
      res.end('x');
    });
    try {
      proxy = await startSkiff(`a: Path("/a") -> "${echo.url}"; b: Path("/b") -> "${named.url}";`);
      expect((await request(`${proxy.url}/a`)).headers.server).toBe('skiff');
      expect((await request(`${proxy.url}/b`)).headers.server).toBe('backend/1.0');
    } finally {
      await named.close();
    }
  });
});

describe('bodies', () => {
  beforeAll(async () => {
    proxy = await startSkiff(`r: * -> "${echo.url}";`);
  });

  it.each([
    ['empty', Buffer.alloc(0)],
    ['1 MB', Buffer.alloc(1024 * 1024, 7)],
  ])('forwards a %s request body exactly', async (_name, body) => {
    proxy ??= await startSkiff(`r: * -> "${echo.url}";`);
    const r = await json<Echo>(`${proxy.url}/upload`, { method: 'POST', body, headers: { 'content-length': body.length } });
    expect(r.body.bodyBytes).toBe(body.length);
    expect(r.body.bodySha256).toBe(createHash('sha256').update(body).digest('hex'));
    expect(r.body.headers['content-length']).toBe(String(body.length));
  });

  it('streams a chunked upload as it arrives', async () => {
    proxy ??= await startSkiff(`r: * -> "${echo.url}";`);
    const hash = createHash('sha256');
    async function* chunks(): AsyncIterable<Buffer> {
      for (let i = 0; i < 20; i++) {
        const c = Buffer.alloc(10_000, i);
        hash.update(c);
        yield c;
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    const r = await json<Echo>(`${proxy.url}/stream`, { method: 'POST', body: chunks() });
    expect(r.body.headers['transfer-encoding']).toBe('chunked');
    expect(r.body.bodyBytes).toBe(200_000);
    expect(r.body.bodySha256).toBe(hash.digest('hex'));
  });
});

describe('responses', () => {
  it('keeps Content-Length responses Content-Length, and streams large ones intact', async () => {
    const big = Buffer.alloc(1024 * 1024, 3);
    const backend = await startServer((_req, res) => {
      res.writeHead(200, { 'content-length': big.length });
      res.end(big);
    });
    try {
      proxy = await startSkiff(`r: * -> "${backend.url}";`);
      const r = await request(`${proxy.url}/`);
      expect(r.headers['content-length']).toBe(String(big.length));
      expect(r.headers['transfer-encoding']).toBeUndefined();
      expect(r.body.equals(big)).toBe(true);
    } finally {
      await backend.close();
    }
  });
});

describe('upstream failures map to Skipper status codes', () => {
  it('answers 502 when the backend refuses connections', async () => {
    const port = await freePort();
    proxy = await startSkiff(`r: * -> "http://127.0.0.1:${port}";`);
    const r = await request(`${proxy.url}/`);
    expect(r.status).toBe(502);
    expect(r.text).toBe('Bad Gateway\n');
  });

  it('answers 503 when the backend resets the connection', async () => {
    const backend = await startServer((req) => req.socket.destroy());
    try {
      proxy = await startSkiff(`r: * -> "${backend.url}";`);
      const r = await request(`${proxy.url}/`);
      expect(r.status).toBe(503);
    } finally {
      await backend.close();
    }
  });

  it('answers 504 when the backend is slower than backendTimeout', async () => {
    const backend = await startServer((_req, res) => setTimeout(() => res.end('late'), 2000));
    try {
      proxy = await startSkiff(`r: * -> backendTimeout("200ms") -> "${backend.url}";`);
      const t0 = Date.now();
      const r = await request(`${proxy.url}/`);
      expect(r.status).toBe(504);
      expect(Date.now() - t0).toBeLessThan(1500);
    } finally {
      await backend.close();
    }
  });

  it('answers 404 when no route matches', async () => {
    proxy = await startSkiff(`r: Path("/only") -> "${echo.url}";`);
    const r = await request(`${proxy.url}/other`);
    expect(r.status).toBe(404);
    expect(r.text).toBe('Not Found\n');
  });

  it('retries once on another endpoint when a load-balanced endpoint refuses', async () => {
    const dead = await freePort();
    proxy = await startSkiff(`r: * -> <roundRobin, "http://127.0.0.1:${dead}", "${echo.url}">;`);
    for (let i = 0; i < 6; i++) expect((await request(`${proxy.url}/`)).status).toBe(200);
  });
});

describe('local routes', () => {
  it('answers shunt, status, inlineContent and redirectTo routes itself', async () => {
    proxy = await startSkiff(`
      shunt: Path("/shunt") -> <shunt>;
      teapot: Path("/teapot") -> status(418) -> <shunt>;
      hello: Path("/hello") -> inlineContent("hello world") -> <shunt>;
      moved: Path("/old") -> redirectTo(301, "/new") -> <shunt>;`);
    expect((await request(`${proxy.url}/shunt`)).status).toBe(404);
    expect((await request(`${proxy.url}/teapot`)).status).toBe(418);
    const hello = await request(`${proxy.url}/hello`);
    expect(hello.status).toBe(200);
    expect(hello.text).toBe('hello world');
    expect(hello.headers['content-length']).toBe('11');
    const moved = await request(`${proxy.url}/old`);
    expect(moved.status).toBe(301);
    expect(moved.headers.location).toMatch(/\/new$/);
  });

  it('matches a <loopback> route again after its filters ran', async () => {
    proxy = await startSkiff(`
      entry: Path("/v1/*rest") -> setPath("/v2\${rest}") -> <loopback>;
      v2: PathSubtree("/v2") -> "${echo.url}";`);
    const r = await json<Echo>(`${proxy.url}/v1/items`);
    expect(r.status).toBe(200);
    expect(r.body.url).toBe('/v2/items');
  });

  it('stops a loopback cycle with a 500', async () => {
    proxy = await startSkiff(`loop: * -> <loopback>;`);
    expect((await request(`${proxy.url}/`)).status).toBe(500);
  });
});

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}
