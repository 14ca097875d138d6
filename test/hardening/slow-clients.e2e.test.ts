/**
 * Slow clients against a small backend pool: a few clients that trickle a body, promise a body
 * with Expect: 100-continue and never send it, or never read a large response must not take an
 * endpoint's pooled connections for longer than the configured timeouts, and another client of
 * that backend is answered within a bound meanwhile.
 *
 * While the attackers hold every pooled connection, the right answer to the victim is a fast
 * 503 (reason `queue`): its request cannot reach the backend without a free connection, and
 * waiting without a limit is what the fix removes. It comes after the queue timeout, or at once
 * when as many requests already wait as the pool has connections. Once the attackers are cut,
 * the victim gets its 200 again.
 */
import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startSkiff, type RunningSkiff } from '../helpers/skiff.js';
import { sleep } from './raw.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const pool = 4;
const queueMs = 300;
const bodyIdleMs = 1500;
const writeMs = 1500;
const requestMs = 2500;
const checkMs = 100;

interface Backend {
  url: string;
  /** Connections accepted so far. */
  opened(): number;
  /** Times (Date.now()) at which backend connections closed. */
  closedAt: number[];
  close(): Promise<void>;
}

/** /big streams 256 MiB at the pace the reader takes it; anything else reads the body and answers "ok". */
async function backend(): Promise<Backend> {
  const sockets = new Set<net.Socket>();
  const closedAt: number[] = [];
  let opened = 0;
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  const server = http.createServer((req, res) => {
    if (req.url === '/big') {
      res.writeHead(200, { 'content-length': String(4096 * chunk.length) });
      let left = 4096;
      const pump = (): void => {
        while (left > 0) {
          left--;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      pump();
      return;
    }
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  server.on('connection', (s: net.Socket) => {
    opened++;
    sockets.add(s);
    s.on('close', () => {
      sockets.delete(s);
      closedAt.push(Date.now());
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    opened: () => opened,
    closedAt,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** (path, status, failure reason) of every finished request. */
type Outcome = [string, number, string];

async function proxyTo(b: Backend, outcomes: Outcome[]): Promise<RunningSkiff> {
  const s = await startSkiff(`r: * -> "${b.url}";`, {
    observer: { finished: (r) => void outcomes.push([r.view.path, r.status, r.failure]) },
    proxy: {
      maxConnectionsPerEndpoint: pool,
      backendQueueTimeoutMs: queueMs,
      requestBodyIdleTimeoutMs: bodyIdleMs,
      writeTimeoutMs: writeMs,
      requestTimeoutMs: requestMs,
      connectionsCheckingIntervalMs: checkMs,
    },
  });
  cleanups.push(() => s.stop());
  return s;
}

type Attack = (port: number) => net.Socket;

/** A body of 100000 bytes announced, one byte sent every 200 ms (under the body idle timeout). */
const slowPost: Attack = (port) => {
  const s = net.connect(port, '127.0.0.1');
  s.on('error', () => {});
  s.write('POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\nx');
  const t = setInterval(() => {
    if (!s.destroyed) s.write('x');
  }, 200);
  s.on('close', () => clearInterval(t));
  cleanups.push(() => clearInterval(t));
  return s;
};

/** Expect: 100-continue, and then no body at all. */
const expectNoBody: Attack = (port) => {
  const s = net.connect(port, '127.0.0.1');
  s.on('error', () => {});
  s.write('POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\nExpect: 100-continue\r\n\r\n');
  return s;
};

/** A large response the client never reads. */
const unreadGet: Attack = (port) => {
  const s = net.connect(port, '127.0.0.1');
  s.on('error', () => {});
  s.pause();
  s.write('GET /big HTTP/1.1\r\nHost: a\r\n\r\n');
  return s;
};

function victim(url: string): Promise<{ status: number; body: string; ms: number }> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const req = http.get(`${url}/small`, { agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, ms: Date.now() - start }));
    });
    req.on('timeout', () => req.destroy(new Error('victim unanswered after 5 s')));
    req.on('error', reject);
  });
}

async function until(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await sleep(10);
}

const attacks: [string, Attack, number, string][] = [
  // The trickle stays under the body idle timeout: the whole-request deadline cuts it.
  ['slow POST body', slowPost, requestMs + 2 * checkMs, '/upload'],
  ['Expect: 100-continue without a body', expectNoBody, bodyIdleMs, '/upload'],
  // The write timeout counts from the moment skiff's writes stall, once the socket buffers
  // between skiff and the client are full (several MiB on loopback, some time to fill).
  ['a large GET response never read', unreadGet, writeMs + 1500, '/big'],
];

describe('slow clients do not hold backend connections', () => {
  for (const [name, attack, limitMs, path] of attacks) {
    it(`${name}: the victim gets a fast 503 while the pool is taken, the attackers are cut within ${limitMs} ms, then the victim gets 200`, async () => {
      const b = await backend();
      cleanups.push(() => b.close());
      const outcomes: Outcome[] = [];
      const proxy = await proxyTo(b, outcomes);
      const attackers: net.Socket[] = [];
      const started = Date.now();
      for (let i = 0; i < pool; i++) attackers.push(attack(proxy.port));
      cleanups.push(() => attackers.forEach((s) => s.destroy()));
      await until(() => b.opened() >= pool, 2000);
      expect(b.opened()).toBe(pool);
      await sleep(50);

      const during = await victim(proxy.url);
      expect(during.status).toBe(503);
      expect(during.ms).toBeGreaterThanOrEqual(queueMs - 20);
      expect(during.ms).toBeLessThan(queueMs + 1000);
      // Requests that gave up stay counted until a connection frees. Three more wait their turn;
      // past as many waiting as the pool has connections, a request is refused at once.
      const waited = await Promise.all([1, 2, 3].map(() => victim(proxy.url)));
      for (const w of waited) expect(w.status).toBe(503);
      const refused = await victim(proxy.url);
      expect(refused.status).toBe(503);
      expect(refused.ms).toBeLessThan(queueMs / 2);

      // Every attacker is cut by skiff within its timeout (its request finishes), and with it
      // the pooled connection it held.
      const finished = (): number => outcomes.filter((o) => o[0] === path).length;
      await until(() => finished() >= pool, limitMs + 3000);
      const heldMs = Date.now() - started;
      expect(finished()).toBe(pool);
      expect(heldMs).toBeLessThan(limitMs + 1000);
      await until(() => b.closedAt.length >= pool, 1000);
      expect(b.closedAt.length).toBeGreaterThanOrEqual(pool);

      const after = await victim(proxy.url);
      expect(after).toMatchObject({ status: 200, body: 'ok' });
      expect(outcomes.filter((o) => o[0] === '/small')).toEqual([...Array(5).fill(['/small', 503, 'queue']), ['/small', 200, '']]);
      const slow = outcomes.filter((o) => o[0] === path);
      expect(slow).toHaveLength(pool);
      // The response had begun (200) when the client stopped reading; the uploads never got one.
      if (path === '/big') for (const o of slow) expect(o).toEqual(['/big', 200, 'write_timeout']);
      else for (const o of slow) expect(o[1]).not.toBe(200);
    });
  }
});
