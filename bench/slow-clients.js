// Slow clients against one backend: 128 connections that each hold a backend connection in one of
// three ways, while a victim sends small GETs to the same backend. Each kind of attacker runs
// twice: against the default pool (--max-connections-per-endpoint 1024), where the victim must be
// answered in < 100 ms while the attackers hold their connections, and against a pool of 128,
// which the attackers fill. The kinds:
//   - slow POST: Content-Length 100000, one byte every second (under the body idle timeout);
//   - Expect: 100-continue, Content-Length 100000, and no body at all;
//   - GET of a large response that the client never reads.
// For each phase it reports the victim's answers (status and latency) while the attack holds its
// connections, first alone, then after a burst of 128 more requests; how long skiff took to cut
// the attackers' backend connections; and the victim's latency once they are cut. The goal: a
// victim answered 200 in < 100 ms during the attack with the default pool. With the pool full the
// answer can only be a 503: after --backend-queue-timeout while the queue has room, at once when
// it is full.
//
//   npm run build && node bench/slow-clients.js
//   node bench/slow-clients.js --attackers 64 --request-timeout 6s --idle-timeout 3s --only unread
//
// skiff runs bin/skiff.js (one worker) with its defaults except the client timeouts, shortened so
// that a phase ends in seconds: --request-timeout (default here 8s), --request-body-idle-timeout
// and --write-timeout-server (both --idle-timeout, default here 4s). Every socket is on 127.0.0.1
// and everything stops by itself.
import http from 'node:http';
import net from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startSkiffProcess } from './lib/processes.js';

const root = fileURLToPath(new URL('..', import.meta.url));

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
}

const attackers = Number(option('attackers', '128'));
const requestTimeout = option('request-timeout', '8s');
const idleTimeout = option('idle-timeout', '4s');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// --- backend: counts connections, streams /big at the reader's pace, answers "ok" otherwise ------

const chunk = Buffer.alloc(64 * 1024, 0x61);
let opened = 0;
const closedAt = [];
const backend = http.createServer((req, res) => {
  if (req.url === '/big') {
    let left = 4096; // 256 MiB, never all of it in flight: written as the reader takes it
    res.writeHead(200, { 'content-length': String(left * chunk.length) });
    const pump = () => {
      while (left > 0) {
        left--;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    return pump();
  }
  req.resume();
  req.on('end', () => res.end('ok'));
});
backend.on('connection', (s) => {
  opened++;
  s.on('close', () => closedAt.push(performance.now()));
});
await new Promise((r) => backend.listen(0, '127.0.0.1', r));
const backendPort = backend.address().port;

// --- skiff ------------------------------------------------------------------------------------------

const dir = await mkdtemp(join(tmpdir(), 'skiff-slow-clients-'));
const routes = join(dir, 'routes.eskip');
await writeFile(routes, `r: * -> "http://127.0.0.1:${backendPort}";\n`);
/** A fresh skiff per phase, so that one phase's pool and queue do not carry into the next. */
async function startSkiff(pool) {
  const port = await freePort();
  const supportPort = await freePort();
  const skiff = await startSkiffProcess(
    [
      '--address', `127.0.0.1:${port}`,
      '--support-address', `127.0.0.1:${supportPort}`,
      '--routes-file', routes,
      '--workers', '1',
      '--request-timeout', requestTimeout,
      '--request-body-idle-timeout', idleTimeout,
      '--write-timeout-server', idleTimeout,
      ...(pool === null ? [] : ['--max-connections-per-endpoint', String(pool)]),
    ],
    supportPort,
    { script: join(root, 'bin/skiff.js') },
  );
  return { port, stop: () => skiff.stop() };
}

// --- attackers and the victim ------------------------------------------------------------------------

const kinds = {
  'slow POST': (s) => {
    s.write('POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\nx');
    const t = setInterval(() => !s.destroyed && s.write('x'), 1000);
    s.on('close', () => clearInterval(t));
  },
  'Expect without body': (s) => s.write('POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\nExpect: 100-continue\r\n\r\n'),
  'unread large GET': (s) => {
    s.pause();
    s.write('GET /big HTTP/1.1\r\nHost: a\r\n\r\n');
  },
};

function victim(port) {
  const start = performance.now();
  return new Promise((resolve) => {
    const req = http.get(`http://127.0.0.1:${port}/small`, { agent: false, timeout: 100_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - start }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => resolve({ status: err.message, ms: performance.now() - start }));
  });
}

const fmt = (v) => v.map((r) => `${r.status} in ${r.ms.toFixed(1)} ms`).join(', ');
const rows = [];
let failed = false;
let current = null;
try {
  const only = option('only', '');
  for (const [kind, attack] of Object.entries(kinds))
  for (const pool of [null, attackers]) {
    if (only !== '' && !kind.startsWith(only)) continue;
    const name = `${kind}, pool ${pool ?? 'default'}`;
    const skiff = await startSkiff(pool);
    current = skiff;
    const port = skiff.port;
    const openedBefore = opened;
    const closedBefore = closedAt.length;
    const sockets = [];
    const started = performance.now();
    for (let i = 0; i < attackers; i++) {
      const s = net.connect(port, '127.0.0.1');
      s.on('error', () => {});
      s.on('connect', () => attack(s));
      sockets.push(s);
    }
    for (let i = 0; i < 200 && opened - openedBefore < attackers; i++) await sleep(25);
    const held = opened - openedBefore;
    await sleep(200);
    const during = [];
    for (let i = 0; i < 3; i++) during.push(await victim(skiff.port));
    // A burst as large as the pool fills the queue (requests that gave up stay counted until a
    // connection frees); from then on a victim is refused at once.
    const burst = await Promise.all(Array.from({ length: attackers }, () => victim(skiff.port)));
    const refused = [];
    for (let i = 0; i < 3; i++) refused.push(await victim(skiff.port));
    const limit = performance.now() + 30_000;
    while (closedAt.length - closedBefore < held && performance.now() < limit) await sleep(50);
    const cut = closedAt.slice(closedBefore, closedBefore + held);
    const cutMs = cut.length === held ? Math.max(...cut) - started : NaN;
    const after = [];
    for (let i = 0; i < 3; i++) after.push(await victim(skiff.port));
    for (const s of sockets) s.destroy();
    skiff.stop();
    current = null;
    rows.push({ name, pool, held, during, refused, cutMs, cutCount: cut.length, after });
    console.log(
      `${name.padEnd(34)} backend connections held: ${held}; victim during: ${fmt(during)}; ` +
        `burst of ${burst.length}: ${burst.filter((r) => r.status === 503).length} x 503, max ${Math.max(...burst.map((r) => r.ms)).toFixed(0)} ms; ` +
        `victim with the queue full: ${fmt(refused)}; ` +
        `attackers' backend connections cut: ${cut.length}/${held} after ${cutMs.toFixed(0)} ms; victim after: ${fmt(after)}`,
    );
    if (after.some((r) => r.status !== 200 || r.ms >= 100) || during.some((r) => typeof r.status !== 'number')) failed = true;
    // the goal: with the default pool, the attackers do not keep the victim waiting
    if (pool === null && during.some((r) => r.status !== 200 || r.ms >= 100)) failed = true;
    await sleep(500);
  }
} finally {
  current?.stop();
  backend.closeAllConnections();
  backend.close();
  await rm(dir, { recursive: true, force: true });
}
const max = (key, pool) => Math.max(...rows.filter((r) => r.pool === pool).flatMap((r) => r[key].map((d) => d.ms))).toFixed(1);
const statuses = (key, pool) => [...new Set(rows.filter((r) => r.pool === pool).flatMap((r) => r[key].map((d) => d.status)))].join('/');
console.log(
  `\nvictim while ${attackers} attackers hold connections, default pool: ${statuses('during', null)}, max ${max('during', null)} ms (goal: 200 in < 100 ms)` +
    `\nvictim while ${attackers} attackers fill a pool of ${attackers}: ${statuses('during', attackers)}, max ${max('during', attackers)} ms (503 after --backend-queue-timeout, 1s), ` +
    `max ${max('refused', attackers)} ms once the queue is full; after the attackers are cut: max ${max('after', attackers)} ms (goal < 100 ms)`,
);
process.exit(failed ? 1 : 0);
