/**
 * The shutdown sequence of a real skiff process, as a load balancer and the kubelet see it:
 * SIGTERM turns /readyz and the health-check route to 503 at once, traffic is still served (new
 * connections too) for --drain-delay with `Connection: close` on every response, then the
 * listeners close, in-flight requests finish, whatever outlives --shutdown-deadline (slow
 * requests, WebSocket tunnels) is cut, and the process exits with code 0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { startServer, type TestServer } from '../helpers/upstream.js';
import { freePort, launchSkiff, probe, skiffBuilt, spawnSkiff, waitFor, type SkiffProcess } from '../helpers/process.js';

const built = skiffBuilt();
if (!built) console.warn('test/e2e/shutdown: skipped, dist/ is missing (run `npm run build`)');

let backend: TestServer;
let routesFile: string;

beforeAll(async () => {
  backend = await startServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://backend');
    const delay = Number(url.searchParams.get('ms') ?? 0);
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`done ${url.pathname}`);
    }, delay);
  });
  backend.server.on('upgrade', (_req: http.IncomingMessage, socket: Duplex) => {
    socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
    socket.on('data', (d: Buffer) => socket.write(d));
  });
  const dir = await mkdtemp(join(tmpdir(), 'skiff-shutdown-'));
  routesFile = join(dir, 'routes.eskip');
  // the health-check pair the Kubernetes source generates, written out for a routes file
  await writeFile(
    routesFile,
    `kube__healthz_down: Path("/kube-system/healthz") && Source("127.0.0.0/8") && Shutdown() -> status(503) -> <shunt>;
     kube__healthz_up: Path("/kube-system/healthz") && Source("127.0.0.0/8") -> status(200) -> <shunt>;
     app: PathSubtree("/app") -> "${backend.url}";`,
  );
});

afterAll(async () => {
  await backend?.close();
});

function start(drainDelay: string, deadline: string): Promise<SkiffProcess> {
  return spawnSkiff([
    '--address', '127.0.0.1:0',
    '--support-address', '127.0.0.1:0',
    '--routes-file', routesFile,
    '--drain-delay', drainDelay,
    '--shutdown-deadline', deadline,
  ]);
}

interface Answer {
  status: number;
  connection: string | undefined;
  body: string;
}

function get(url: string, agent: http.Agent | false = false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.once('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
        res.once('error', reject);
      })
      .once('error', reject);
  });
}

/** Outcome of a request expected to be cut: when it ended and how. */
function settle(p: Promise<Answer>): Promise<{ at: number; answer?: Answer; error?: string }> {
  return p.then(
    (answer) => ({ at: performance.now(), answer }),
    (err: Error) => ({ at: performance.now(), error: err.message }),
  );
}

function openTunnel(url: string): Promise<Duplex> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path: '/app/ws', headers: { connection: 'Upgrade', upgrade: 'websocket' } });
    req.once('upgrade', (_res, socket) => resolve(socket));
    req.once('response', (res) => reject(new Error(`no upgrade: ${res.statusCode}`)));
    req.once('error', reject);
    req.end();
  });
}

function echo(socket: Duplex, text: string): Promise<string> {
  return new Promise((resolve) => {
    socket.once('data', (d: Buffer) => resolve(d.toString()));
    socket.write(text);
  });
}

describe.skipIf(!built)('graceful shutdown of the process', () => {
  it('drains for the delay, serves in-flight work to the deadline, cuts the rest and exits 0', async () => {
    const skiff = await start('2s', '2s');
    const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const before = await get(`${skiff.url}/app/a`, keepAlive);
      expect(before).toMatchObject({ status: 200, connection: 'keep-alive' });
      expect(await probe(`${skiff.url}/kube-system/healthz`)).toBe(200);

      const tunnel = await openTunnel(skiff.url);
      const tunnelClosed = new Promise<number>((r) => tunnel.once('close', () => r(performance.now())));
      tunnel.on('error', () => undefined);
      expect(await echo(tunnel, 'before')).toBe('before');

      // in flight at SIGTERM: one finishes inside the deadline, one outlives it
      const finishing = settle(get(`${skiff.url}/app/slow?ms=3000`));
      const outliving = settle(get(`${skiff.url}/app/stuck?ms=20000`));
      await new Promise((r) => setTimeout(r, 100));

      const t0 = performance.now();
      expect(skiff.signal('SIGTERM')).toBe(true);

      // at once: both health signals fail, liveness does not
      await waitFor(async () => (await probe(`${skiff.supportUrl}/readyz`)) === 503, 1000, '/readyz did not turn 503 within a second of SIGTERM');
      expect(await probe(`${skiff.url}/kube-system/healthz`)).toBe(503);
      expect(await probe(`${skiff.supportUrl}/healthz`)).toBe(200);

      // still serving during the delay, on the kept-alive connection and on new ones, each told to close
      const onKept = await get(`${skiff.url}/app/b`, keepAlive);
      expect(onKept).toMatchObject({ status: 200, connection: 'close', body: 'done /app/b' });
      const onNew = await get(`${skiff.url}/app/c`);
      expect(onNew).toMatchObject({ status: 200, connection: 'close' });
      const noRoute = await get(`${skiff.url}/nothing`);
      expect(noRoute).toMatchObject({ status: 404, connection: 'close' });
      const health = await get(`${skiff.url}/kube-system/healthz`);
      expect(health).toMatchObject({ status: 503, connection: 'close' });
      expect(await echo(tunnel, 'during')).toBe('during');
      await new Promise((r) => setTimeout(r, Math.max(0, t0 + 1200 - performance.now())));
      expect((await get(`${skiff.url}/app/late`)).status).toBe(200);

      // after the delay the listener is closed: new connections are refused
      await new Promise((r) => setTimeout(r, Math.max(0, t0 + 2300 - performance.now())));
      expect(await probe(`${skiff.url}/app/refused`)).toBe(0);

      const done = await finishing;
      expect(done.answer).toMatchObject({ status: 200, connection: 'close', body: 'done /app/slow' });

      const cut = await outliving;
      expect(cut.answer).toBeUndefined();
      expect(cut.error).toBeDefined();
      // drain delay + deadline = 4 s after SIGTERM
      expect(cut.at - t0).toBeGreaterThan(3800);
      expect(cut.at - t0).toBeLessThan(5500);
      const tunnelEnd = await tunnelClosed;
      expect(tunnelEnd - t0).toBeGreaterThan(3800);
      expect(tunnelEnd - t0).toBeLessThan(5500);

      const exit = await skiff.exited;
      expect(exit).toMatchObject({ code: 0, signal: null });
      expect(exit.at - t0).toBeLessThan(6000);
      const messages = skiff.logs.map((l) => l.msg);
      expect(messages).toContain('draining');
      expect(messages).toContain('stopped');
    } finally {
      keepAlive.destroy();
      await skiff.stop(1000);
    }
  });

  it('exits right after the delay when nothing is in flight, even with idle keep-alive connections open', async () => {
    const skiff = await start('500ms', '10s');
    const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 2 });
    try {
      await Promise.all([get(`${skiff.url}/app/1`, keepAlive), get(`${skiff.url}/app/2`, keepAlive)]);
      const t0 = performance.now();
      skiff.signal('SIGTERM');
      const exit = await skiff.exited;
      expect(exit).toMatchObject({ code: 0, signal: null });
      expect(exit.at - t0).toBeGreaterThan(450);
      // far below the 10 s deadline: idle connections do not hold the shutdown
      expect(exit.at - t0).toBeLessThan(2500);
    } finally {
      keepAlive.destroy();
      await skiff.stop(1000);
    }
  });

  it('drains without the delay on SIGINT', async () => {
    const skiff = await start('30s', '5s');
    try {
      const t0 = performance.now();
      skiff.signal('SIGINT');
      const exit = await skiff.exited;
      expect(exit).toMatchObject({ code: 0, signal: null });
      expect(exit.at - t0).toBeLessThan(2000);
    } finally {
      await skiff.stop(1000);
    }
  });

  it('exits 0 on SIGTERM while still waiting for its first route table', async () => {
    // an API server address nothing listens on: start-up waits for the first list forever
    const apiPort = await freePort();
    const supportPort = await freePort();
    const dir = await mkdtemp(join(tmpdir(), 'skiff-kubeconfig-'));
    const kubeconfig = join(dir, 'kubeconfig.yaml');
    await writeFile(
      kubeconfig,
      `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "http://127.0.0.1:${apiPort}" } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: x, context: { cluster: c, user: u } }]
current-context: x
`,
    );
    const skiff = launchSkiff(['--kubernetes', '--kubeconfig', kubeconfig, '--address', '127.0.0.1:0', '--support-address', `127.0.0.1:${supportPort}`, '--drain-delay', '1s']);
    try {
      const support = `http://127.0.0.1:${supportPort}`;
      await waitFor(async () => (await probe(`${support}/healthz`)) === 200, 10_000, `support listener never came up:\n${skiff.stderr()}`);
      expect(await probe(`${support}/readyz`)).toBe(503);
      const t0 = performance.now();
      skiff.signal('SIGTERM');
      const exit = await skiff.exited;
      // Ended by the signal's default action means no handler ran: as PID 1 in a container the
      // kernel drops such a signal, and the kubelet waits the whole grace period to SIGKILL.
      expect(exit).toMatchObject({ code: 0, signal: null });
      // nothing is served yet, so there is nothing to drain; waiting out the delay is tolerated
      expect(exit.at - t0).toBeLessThan(1000 + 2000);
    } finally {
      await skiff.stop(1000);
    }
  });
});
