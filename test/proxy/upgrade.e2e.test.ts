/** WebSocket-style upgrades through skiff: the 101 is relayed and bytes flow both ways. */
import { describe, expect, it } from 'vitest';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { startServer, type TestServer } from '../helpers/upstream.js';
import { startSkiff } from '../helpers/skiff.js';
import { stoppedAfterEach } from '../helpers/per-test.js';
import type { ExchangeRecord, ProxyObserver } from '../../src/proxy/observer.js';

const t = stoppedAfterEach();

/** A backend that switches protocols and then echoes every byte back upper-cased. */
async function upgradingBackend(): Promise<TestServer> {
  const s = await startServer((_req, res) => res.end('plain'));
  s.server.on('upgrade', (req: http.IncomingMessage, socket: Duplex) => {
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `X-Seen-Host: ${req.headers.host}\r\nX-Seen-Xff: ${req.headers['x-forwarded-for']}\r\n\r\n`,
    );
    socket.on('data', (d: Buffer) => socket.write(d.toString().toUpperCase()));
  });
  return s;
}

function upgrade(url: string, path: string): Promise<{ res: http.IncomingMessage; socket: Duplex; head: Buffer }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: u.hostname,
      port: u.port,
      path,
      headers: { connection: 'Upgrade', upgrade: 'websocket', host: 'chat.example.org' },
    });
    req.on('upgrade', (res, socket, head) => resolve({ res, socket, head }));
    req.on('response', (res) => reject(new Error(`no upgrade: ${res.statusCode}`)));
    req.on('error', reject);
    req.end();
  });
}

describe('upgrade', () => {
  it('relays the 101 and pipes bytes both ways', async () => {
    const backend = (t.backend = await upgradingBackend());
    const proxy = (t.proxy = await startSkiff(`ws: PathSubtree("/ws") -> "${backend.url}";`));
    const { res, socket } = await upgrade(proxy.url, '/ws/room');
    expect(res.statusCode).toBe(101);
    expect(res.headers['x-seen-host']).toBe('chat.example.org');
    expect(res.headers['x-seen-xff']).toBe('127.0.0.1');
    const reply = new Promise<string>((resolve) => socket.once('data', (d: Buffer) => resolve(d.toString())));
    socket.write('hello');
    expect(await reply).toBe('HELLO');
    socket.destroy();
  });

  it('answers an upgrade no route matches with 404', async () => {
    const backend = (t.backend = await upgradingBackend());
    const proxy = (t.proxy = await startSkiff(`ws: PathSubtree("/ws") -> "${backend.url}";`));
    await expect(upgrade(proxy.url, '/nothing')).rejects.toThrow(/no upgrade: 404/);
  });

  it('relays the answer of a backend that declines the upgrade', async () => {
    const backend = (t.backend = await startServer((_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain' });
      res.end('upgrade refused');
    }));
    const proxy = (t.proxy = await startSkiff(`ws: * -> "${backend.url}";`));
    await expect(upgrade(proxy.url, '/')).rejects.toThrow(/no upgrade: 426/);
  });

  describe('observer hooks', () => {
    /** An observer that keeps what it is told, as metrics and access logs would see it. */
    function recorder(): { observer: ProxyObserver; started: ExchangeRecord[]; finished: ExchangeRecord[]; headers: Record<string, unknown>[] } {
      const started: ExchangeRecord[] = [];
      const finished: ExchangeRecord[] = [];
      const headers: Record<string, unknown>[] = [];
      return {
        started,
        finished,
        headers,
        observer: {
          started: (r) => started.push(r),
          upstreamStarting: (_r, h) => headers.push({ ...h }),
          finished: (r) => finished.push({ ...r, view: r.view, routeId: r.routeId, filterState: r.filterState }),
        },
      };
    }

    const until = async (check: () => boolean): Promise<void> => {
      const deadline = Date.now() + 2000;
      while (!check()) {
        if (Date.now() > deadline) throw new Error('timed out');
        await new Promise((r) => setTimeout(r, 10));
      }
    };

    it('a relayed tunnel finishes once, when it closes, with 101 and the bytes sent to the client', async () => {
      const backend = (t.backend = await upgradingBackend());
      const rec = recorder();
      const proxy = (t.proxy = await startSkiff(`ws: PathSubtree("/ws") -> "${backend.url}";`, { observer: rec.observer }));
      const { socket } = await upgrade(proxy.url, '/ws/room');
      expect(rec.started).toHaveLength(1);
      expect(rec.headers).toHaveLength(1);
      const reply = new Promise<string>((resolve) => socket.once('data', (d: Buffer) => resolve(d.toString())));
      socket.write('hello');
      expect(await reply).toBe('HELLO');
      expect(rec.finished).toHaveLength(0); // still open
      socket.destroy();
      await until(() => rec.finished.length === 1);
      const r = rec.finished[0]!;
      expect(r.status).toBe(101);
      expect(r.routeId).toBe('ws');
      expect(r.failure).toBe('');
      expect(r.bytes).toBe(5);
      expect(r.endpoint?.origin).toBe(backend.url);
      expect(r.upstreamStartNs).toBeGreaterThan(0n);
      expect(r.upstreamEndNs).toBeGreaterThanOrEqual(r.upstreamStartNs);
      expect(r.endNs).toBeGreaterThanOrEqual(r.upstreamEndNs);
      await new Promise((r) => setTimeout(r, 50));
      expect(rec.finished).toHaveLength(1);
    });

    it('an upgrade no route matches is told as no_route', async () => {
      const backend = (t.backend = await upgradingBackend());
      const rec = recorder();
      const proxy = (t.proxy = await startSkiff(`ws: PathSubtree("/ws") -> "${backend.url}";`, { observer: rec.observer }));
      await expect(upgrade(proxy.url, '/nothing')).rejects.toThrow(/no upgrade: 404/);
      expect(rec.finished.map((r) => [r.status, r.failure, r.routeId])).toEqual([[404, 'no_route', '']]);
    });

    it('a backend that cannot be reached is told with the status and reason sent', async () => {
      const gone = await startServer((_req, res) => res.end());
      const url = gone.url;
      await gone.close();
      const rec = recorder();
      const proxy = (t.proxy = await startSkiff(`ws: * -> "${url}";`, { observer: rec.observer }));
      await expect(upgrade(proxy.url, '/')).rejects.toThrow(/no upgrade: 502/);
      await until(() => rec.finished.length === 1);
      expect(rec.finished.map((r) => [r.status, r.failure, r.routeId])).toEqual([[502, 'dial', 'ws']]);
    });

    it('a declined upgrade is told with the backend status and body bytes', async () => {
      const backend = (t.backend = await startServer((_req, res) => {
        res.writeHead(426, { 'content-type': 'text/plain' });
        res.end('upgrade refused');
      }));
      const rec = recorder();
      const proxy = (t.proxy = await startSkiff(`ws: * -> "${backend.url}";`, { observer: rec.observer }));
      await expect(upgrade(proxy.url, '/')).rejects.toThrow(/no upgrade: 426/);
      await until(() => rec.finished.length === 1);
      expect(rec.finished.map((r) => [r.status, r.failure, r.bytes])).toEqual([[426, '', 'upgrade refused'.length]]);
    });
  });
});

describe('upgrade backends chosen by filters', () => {
  /** A backend that names itself in plain answers and in its 101. */
  async function named(name: string): Promise<TestServer> {
    const s = await startServer((_req, res) => res.end(name));
    s.server.on('upgrade', (_req: http.IncomingMessage, socket: Duplex) => {
      socket.end(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Backend: ${name}\r\n\r\n`);
    });
    return s;
  }

  function upgradeWith(url: string, headers: Record<string, string>): Promise<http.IncomingMessage> {
    const u = new URL(url);
    return new Promise((resolve, reject) => {
      const req = http.request({ host: u.hostname, port: u.port, path: '/', headers: { connection: 'Upgrade', upgrade: 'websocket', ...headers } });
      req.on('upgrade', (res, socket) => {
        socket.destroy();
        resolve(res);
      });
      req.on('response', (res) => reject(new Error(`no upgrade: ${res.statusCode}`)));
      req.on('error', reject);
      req.end();
    });
  }

  function plain(url: string, headers: Record<string, string>): Promise<string> {
    return new Promise((resolve, reject) => {
      http
        .get(url, { headers }, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve(body));
        })
        .on('error', reject);
    });
  }

  it('sends a session keyed by consistentHashKey to the endpoint its plain requests go to', async () => {
    const a = (t.backend = await named('a'));
    const b = await named('b');
    try {
      const proxy = (t.proxy = await startSkiff(`lb: * -> consistentHashKey("\${request.header.X-User}") -> <consistentHash, "${a.url}", "${b.url}">;`));
      const seen = new Set<string>();
      for (let user = 0; user < 12; user++) {
        const headers = { 'x-user': `user-${user * 7919}` };
        const viaPlain = await plain(proxy.url, headers);
        const viaUpgrade = (await upgradeWith(proxy.url, headers)).headers['x-backend'];
        expect(viaUpgrade, headers['x-user']).toBe(viaPlain);
        seen.add(viaPlain);
      }
      expect(seen.size).toBe(2);
    } finally {
      await b.close();
    }
  });

  it('upgrades through a <dynamic> route to the target a filter set', async () => {
    const a = (t.backend = await named('a'));
    const proxy = (t.proxy = await startSkiff(`dyn: * -> setDynamicBackendUrlFromHeader("X-Target") -> <dynamic>;`));
    expect((await upgradeWith(proxy.url, { 'x-target': a.url })).headers['x-backend']).toBe('a');
    await expect(upgradeWith(proxy.url, {})).rejects.toThrow(/no upgrade: 502/);
  });
});
